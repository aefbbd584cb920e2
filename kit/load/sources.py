"""``sources.csv``: the analyst's corrections of article metadata, one row per file."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kit.dates import iso_prefix
from kit.load.decode import decode_bytes
from kit.load.html import is_http
from kit.load.problems import Skip

SOURCES_NAME = "sources.csv"
SOURCE_FIELDS = ("outlet", "title", "byline", "published", "url")
#: Columns ``kit add`` writes about the fetch, not the article (when it was fetched, the
#: SHA-256 of the text stored): accepted, never applied to the articles frame.
RECORD_FIELDS = ("fetched", "sha256")


def read_sources(path: Path, known: dict[str, list[str]]) -> tuple[dict[str, dict], list[dict]]:
    """Overrides from a sources.csv, keyed by article path, and the problems found.

    ``known`` maps a file name to the loaded article paths with that name.  A row
    for a file that sits beside the csv but was not loaded (skipped, or not asked
    for) is silently unused; a name that matches no file is a problem.  A row with
    any problem is ignored entirely (half-applied rows are harder to reason about).
    """
    problems: list[dict] = []

    def problem(line: int, reason: str) -> None:
        problems.append({"path": str(path), "line": line, "reason": reason})

    try:
        text, _ = decode_bytes(path.read_bytes())
    except (Skip, OSError) as err:
        problem(1, f"cannot read sources file: {err}")
        return {}, problems
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problem(1, "empty sources file (expected a header: file,outlet,title,byline,published,url)")
        return {}, problems
    if "file" not in header:
        problem(1, f"missing required column 'file' (found columns: {', '.join(header) or 'none'})")
        return {}, problems
    unknown = [h for h in header if h != "file" and h not in SOURCE_FIELDS + RECORD_FIELDS]
    if unknown:
        problem(1, f"unknown column(s) ignored: {', '.join(unknown)} "
                   f"(known: file, {', '.join(SOURCE_FIELDS + RECORD_FIELDS)})")
    overrides: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        name = cells["file"]
        reasons = []
        if len(row) > len(header):
            reasons.append(f"{len(row)} cells but the header has {len(header)}")
        if not name:
            reasons.append("empty 'file' cell")
        elif name not in known:
            if (path.parent / name).is_file():
                continue
            reasons.append(f"no article file named '{name}' in {path.parent}")
        elif name in first_line:
            reasons.append(f"duplicate row for '{name}' (first on line {first_line[name]})")
        pub = cells.get("published", "")
        if pub and not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub) and iso_prefix(pub)):
            reasons.append(f"bad date '{pub}': published must be YYYY-MM-DD")
        url = cells.get("url", "")
        if url and not is_http(url):
            reasons.append(f"bad url '{url}': must start with http:// or https://")
        if reasons:
            problem(start, "; ".join(reasons) + " (row ignored)")
            continue
        first_line[name] = start
        values = {k: v for k, v in cells.items() if k in SOURCE_FIELDS and v}
        for article_path in known[name]:
            overrides[article_path] = values
    return overrides, problems


