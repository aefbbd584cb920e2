"""A figure's or claim's value as a reader says it: "about 1,500", "10,000–12,000"."""

from __future__ import annotations

import functools

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
         zip(*(figs[c].tolist() for c in ("low", "high", "qualifier", "surface")))],
        index=figs.index, dtype="string",
    )


#: The default tolerance of claims and discrepancies: equal after the source's own rounding.
ROUNDING = "rounding"


@functools.lru_cache(maxsize=1 << 16)  # an archive states the same values again and again
def granularity(value) -> int:
    """How finely a number is written: 10 ** its trailing zeros ("12,000": 1,000; "11,600":
    100; "1,480": 10), capped at 10 ** (digits - 2) so that at least two significant digits
    count ("70" and "1,000" are not rounder than "68" and "1,400": 1 and 100)."""
    digits = str(abs(int(value)))
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10 ** max(0, min(zeros, len(digits) - 2))


def _round_to(value: int, step: int) -> int:
    """``value`` rounded to a multiple of ``step``, halves away from zero."""
    sign = -1 if value < 0 else 1
    return sign * ((abs(value) + step // 2) // step) * step


def check_tolerance(tolerance) -> str | float:
    """``tolerance`` if it is "rounding" or a share in [0, 1) such as 0.05 (also written as a
    string, "0.05", as a report parameter gives it), else ValueError."""
    if tolerance == ROUNDING:
        return ROUNDING
    if isinstance(tolerance, str):
        try:
            tolerance = float(tolerance.strip())
        except ValueError:
            pass
    if isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool) \
            and 0 <= tolerance < 1:
        return float(tolerance)
    raise ValueError(f"tolerance: expected {ROUNDING!r} or a share such as 0.05, got "
                     f"{tolerance!r}")


def same_value(a, b, tolerance=ROUNDING) -> bool:
    """Whether two stated numbers say the same value (both missing counts as the same).

    ``"rounding"``: the more precise one, rounded to the granularity of the rounder one,
    is the rounder one (11,600 and "about 12,000"; 1,480 and 1,500; not 68 and 71, 68 and
    70, 10,000 and 12,000, 1,000 and 1,400); two numbers of the same granularity must be
    equal.  A share (0.05): they differ by at most that share of the larger."""
    if a is None or b is None:
        return a is None and b is None
    a, b = int(a), int(b)
    if tolerance == ROUNDING:
        ga, gb = granularity(a), granularity(b)
        if ga == gb:
            return a == b
        fine, coarse, step = (a, b, gb) if ga < gb else (b, a, ga)
        return _round_to(fine, step) == coarse
    top = max(abs(a), abs(b))
    return top == 0 or abs(a - b) <= tolerance * top
