"""The saved-page corpus (tests/data/pages) and its labels, shared by its tests and by
scripts/compare_readers.py."""

from __future__ import annotations

import csv
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "pages"
FIELDS = ("title", "byline", "published", "outlet")


def expected() -> dict[str, dict]:
    """expected.csv by file name; article_figures and furniture as lists."""
    lines = [x for x in (PAGES / "expected.csv").read_text(encoding="utf-8").splitlines()
             if not x.startswith("#")]
    rows = {}
    for row in csv.DictReader(lines):
        row["article_figures"] = [s for s in row["article_figures"].split(";") if s]
        row["furniture"] = [s for s in row["furniture"].split(";") if s]
        rows[row["file"]] = row
    return rows


def furniture_figures(figs, labels: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(file, figure, furniture phrase) of each figure whose sentence holds a furniture
    phrase of its page."""
    found = []
    for f in figs.itertuples(index=False):
        for phrase in labels[Path(f.path).name]["furniture"]:
            if phrase in f.sentence:
                found.append((Path(f.path).name, f.surface, phrase))
                break
    return found


def fields_right(row: dict, label: dict) -> list[str]:
    """The metadata fields of an article row that are as labelled."""
    return [k for k in FIELDS if (row.get(k) or "") == label[k]]
