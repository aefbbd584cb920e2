#!/usr/bin/env python
"""Compare the kit's old HTML reader with the trafilatura reader on the saved-page corpus.

    python scripts/compare_readers.py          # prints a Markdown table (the README's)

The corpus is tests/data/pages: invented articles in the layouts of several CMSs, with
the labels in tests/data/pages/expected.csv (title, byline, date, outlet of each page,
and the number-bearing phrases of its furniture).  For each reader it counts the
figures whose sentence holds a furniture phrase, the furniture phrases stored as
article text, and the metadata fields that are right (each page has four).

The old reader is ``kit.load.html.html_to_text`` with ``kit.load.metadata.guess``, as
``kit.load.read_article`` used them before; the new one is ``kit.load.read_article``.

A second line measures publication dates of plain-text articles (the development set's
.txt files, dates from its sources.csv): the kit's heuristics against trafilatura's
htmldate on the same text as paragraphs, as right / wrong / none found.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from saved_pages import FIELDS, PAGES, expected, fields_right, furniture_figures  # noqa: E402

from kit.extract.figures import figures_in_text  # noqa: E402
from kit.load import metadata, read_article  # noqa: E402
from kit.load.html import html_to_text  # noqa: E402


def old_reader(path: Path) -> dict:
    text, meta = html_to_text(path.read_text(encoding="utf-8"))
    guessed = metadata.guess(text, meta)
    return {"path": str(path), "text": text, **{k: getattr(guessed, k) for k in FIELDS}}


def measure(read, labels: dict[str, dict]) -> dict[str, tuple[int, int, int]]:
    """file -> (figures from furniture, furniture phrases in the text, fields right)."""
    out = {}
    for name, label in labels.items():
        row = read(PAGES / name)
        figs = figures_in_text(row["text"], path=row["path"])
        phrases = sum(p in row["text"] for p in label["furniture"])
        out[name] = (len(furniture_figures(figs, labels)), phrases,
                     len(fields_right(row, label)))
    return out


def main() -> None:
    labels = expected()
    old, new = measure(old_reader, labels), measure(read_article, labels)
    print("| page | figures from furniture (old → new) | furniture phrases in the text "
          "(old → new) | metadata fields right, of 4 (old → new) |")
    print("|---|---|---|---|")
    totals = [0] * 6
    for name in labels:
        cells = [old[name][0], new[name][0], old[name][1], new[name][1], old[name][2],
                 new[name][2]]
        totals = [t + c for t, c in zip(totals, cells)]
        print(f"| {name} | {cells[0]} → {cells[1]} | {cells[2]} → {cells[3]} | "
              f"{cells[4]} → {cells[5]} |")
    n = len(labels)
    print(f"| **all {n} pages** | **{totals[0]} → {totals[1]}** | **{totals[2]} → {totals[3]}** "
          f"| **{totals[4]} → {totals[5]}** of {4 * n} |")
    print(f"\nDates of the development set's plain-text articles: {plain_text_dates()}")


def plain_text_dates() -> str:
    """Dates of the development set's plain-text articles: heuristics vs trafilatura."""
    import csv
    import html

    from trafilatura import bare_extraction

    from kit.load.decode import decode_bytes

    dev = PAGES.parent / "dev"
    with (dev / "sources.csv").open(encoding="utf-8", newline="") as fh:
        want = {r["file"]: r["published"] for r in csv.DictReader(fh)}
    counts = {"heuristics": [0, 0, 0], "trafilatura": [0, 0, 0]}  # right, wrong, none
    for path in sorted(dev.glob("*.txt")):
        text = decode_bytes(path.read_bytes())[0]
        markup = "".join(f"<p>{html.escape(x)}</p>" for x in text.splitlines() if x.strip())
        doc = bare_extraction(f"<html><body>{markup}</body></html>", with_metadata=True)
        found = {"heuristics": metadata.guess(text).published,
                 "trafilatura": doc.date if doc else None}
        for who, date in found.items():
            counts[who][2 if not date else 0 if date == want.get(path.name) else 1] += 1
    return "; ".join(f"{who}: {c[0]} right, {c[1]} wrong, {c[2]} none"
                     for who, c in counts.items())


if __name__ == "__main__":
    main()
