"""A figure's or claim's value as a reader says it: "about 1,500", "10,000–12,000"."""

from __future__ import annotations

import pandas as pd


def _fmt(n) -> str:
    return f"{int(n):,}"


def value_label(low, high, qualifier: str, surface: str = "") -> str:
    """The value as a reader says it: "about 1,500", "10,000–12,000", "more than 13,000"."""
    lo = None if pd.isna(low) else low
    hi = None if pd.isna(high) else high
    if qualifier == "vague" or (lo is None and hi is None):
        return (surface or "unquantified").strip()
    if qualifier in ("more_than", "at_least") or hi is None:
        word = "at least" if qualifier == "at_least" else "more than"
        return f"{word} {_fmt(lo)}"
    if qualifier == "up_to" or lo is None:
        return f"up to {_fmt(hi)}"
    if lo != hi:
        return f"{_fmt(lo)}–{_fmt(hi)}"
    return ("about " if qualifier == "approx" else "") + _fmt(lo)


def value_labels(figs: pd.DataFrame) -> pd.Series:
    """``value_label`` for every row (a string Series aligned with ``figs``)."""
    return pd.Series(
        [value_label(lo, hi, q, s) for lo, hi, q, s in
         zip(figs["low"], figs["high"], figs["qualifier"], figs["surface"])],
        index=figs.index, dtype="string",
    )
