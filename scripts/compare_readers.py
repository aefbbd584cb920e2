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


if __name__ == "__main__":
    main()
