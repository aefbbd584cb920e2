"""Writing frames for people and for other programs (table, CSV, JSON lines)."""

from __future__ import annotations

import json
from typing import IO

import pandas as pd

TABLE_COLUMNS = ["article_id", "outlet", "surface", "low", "high", "qualifier", "what", "status",
                 "claimant"]


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts: missing values become None, numbers stay numbers."""
    out = []
    for row in frame.astype(object).itertuples(index=False):
        out.append({k: (None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else
                        int(v) if hasattr(v, "item") and float(v).is_integer() else v)
                    for k, v in zip(frame.columns, row)})
    return out


def write_figures(frame: pd.DataFrame, stream: IO[str], fmt: str) -> None:
    """Write the figures frame as ``table``, ``csv`` or ``jsonl``."""
    if fmt == "jsonl":
        for rec in records(frame):
            stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        frame.to_csv(stream, index=False)
    elif fmt == "table":
        if frame.empty:
            stream.write("no figures found\n")
            return
        reviewed = "reviewed" in frame and bool((frame["reviewed"] != "kit").any())
        cols = TABLE_COLUMNS + (["reviewed"] if reviewed else [])  # shown once any is
        view = frame[cols].astype(object).where(frame[cols].notna(), "")
        stream.write(view.to_string(index=False, max_colwidth=32) + "\n")
        stream.write(f"{len(frame)} figures in {frame.article_id.nunique()} articles\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use table, csv or jsonl")
