"""Helpers of the rule tests (test_numbers.py, test_figures.py, test_attribution.py):
find the figure over an anchor of a text and compare its value."""

from __future__ import annotations

import pandas as pd

QUALIFIERS = {"exact", "approx", "more_than", "at_least", "up_to", "range", "vague"}
STATUSES = {"deployed", "planned", "casualties", "supplied", "other"}


def extract(text: str) -> pd.DataFrame:
    import kit  # imported lazily so each test fails on its own while kit is missing

    df = kit.figures_in_text(text)
    assert isinstance(df, pd.DataFrame)
    return df


def span_of(text: str, anchor: str, occurrence: int = 0) -> tuple[int, int]:
    idx = -1
    for _ in range(occurrence + 1):
        idx = text.index(anchor, idx + 1)
    return idx, idx + len(anchor)


def overlapping(df: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    if df.empty:
        return df
    return df[(df["start"] < end) & (df["end"] > start)]


def describe_rows(df: pd.DataFrame) -> str:
    if df.empty:
        return "<no figures>"
    cols = [c for c in ("surface", "low", "high", "qualifier", "what", "status", "claimant")
            if c in df.columns]
    return "\n" + df[cols].to_string()


def figure_at(text: str, anchor: str, occurrence: int = 0) -> pd.Series:
    df = extract(text)
    s, e = span_of(text, anchor, occurrence)
    rows = overlapping(df, s, e)
    assert len(rows) == 1, (
        f"expected exactly one figure over {anchor!r} in {text!r}; got {len(rows)}."
        f" All figures: {describe_rows(df)}"
    )
    return rows.iloc[0]


def assert_no_figure_at(text: str, anchor: str, occurrence: int = 0) -> pd.DataFrame:
    df = extract(text)
    s, e = span_of(text, anchor, occurrence)
    rows = overlapping(df, s, e)
    assert rows.empty, f"{anchor!r} in {text!r} is not a figure, got {describe_rows(rows)}"
    return df


def assert_value(row: pd.Series, low, high, qualifier: str) -> None:
    got = (None if pd.isna(row["low"]) else int(row["low"]),
           None if pd.isna(row["high"]) else int(row["high"]),
           row["qualifier"])
    assert got == (low, high, qualifier), f"surface {row['surface']!r}: got {got}"
