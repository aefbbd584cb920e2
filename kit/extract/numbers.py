"""Number grammar: find the numbers of a text and read their values.

Kept apart from extraction because it knows nothing of news: it only reads
"12,000", "12 000", "1.5 million", "12k", "12-thousand", "ten thousand",
"a dozen", and vague amounts ("thousands", "tens of thousands", "several
hundred").  Each match is a :class:`Number` with offsets into the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kit import fastre

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SUFFIXES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}

_unit = "|".join(sorted(UNITS, key=len, reverse=True))
_tens = "|".join(TENS)
_scale = "|".join(SCALES)
_small = rf"(?:(?:{_tens})(?:[- ](?:{_unit}))?|(?:{_unit}))"
# "two", "twenty-five", "ten thousand", "one hundred and fifty", "a thousand", "a dozen"
_fraction = r"(?:half|a half|one half|a quarter|one quarter|quarter|three quarters|a third|one third|two thirds)"
# "half a million", "a quarter of a million", "three quarters of a million"
FRACTIONS = rf"{_fraction}(?: of)? an? (?:{_scale}|dozen)"
WORDS = (
    rf"(?:{FRACTIONS}"
    rf"|(?:{_small}|an?)[ -](?:{_scale})(?:(?:,? and |[ -])(?:{_small})(?:[ -](?:{_scale}))?)*"
    rf"|an? dozen|(?:{_small})(?: dozen)?)"
)
FRACTION_VALUES = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
GROUP_SPACE = "[ ]"  # NBSP and thin spaces arrive as " " (fastre's ASCII view)
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:" + GROUP_SPACE + r"\d{3})+|\d+)(?:\.\d+)?"
SCALED = rf"(?:\s?-?\s?(?:{_scale})\b|(?:k|m|mn|bn)\b)?"
VAGUE = (
    rf"(?:(?:several|a few|a couple of|many|some|a number of)\s+(?:{_scale}|dozen)s?\b"
    rf"|(?:tens|hundreds|thousands|millions|dozens|scores)(?:\s+of\s+(?:thousands|millions))?\b)"
)
# Written in lower case, matched ignoring case.  Digits must not touch letters,
# colons, slashes or other digits ("F-16", "12:14", "1/2", "3D"): checked in
# ``_digits_stand_alone`` because RE2 has no look-behind.  The scan has no capture
# groups (RE2 then answers from its fast DFA alone); which branch matched is read
# back from the short matched text.
NUMBER = fastre.compile(rf"\b{VAGUE}|{DIGITS}{SCALED}|\b(?:{WORDS})\b", ignorecase=True)
_DIGITS = re.compile(DIGITS.replace(GROUP_SPACE, "[ \u00a0\u202f\u2009\u2007]"))
_VAGUE = re.compile(VAGUE, re.IGNORECASE)


def _digits_stand_alone(text: str, start: int, end: int) -> bool:
    """No letter, digit, colon, slash, or separator glued to either side of a digit run."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in "_:/.,":
            return False
        if before == "-" and start > 1 and text[start - 2].isalpha():
            return False  # "su-27", "covid-19"
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in "_:/":
            return False
        if after == "." and end + 1 < len(text) and text[end + 1].isdigit():
            return False
    return True


#: A NamedTuple's own __new__ is Python code even when its module is compiled; tuples
#: made with tuple.__new__ cost a C call (numbers, mentions and cues are made by the
#: hundred thousand: 6% of the pipeline on varied news, scripts/bench_extract.py).
new_tuple = tuple.__new__


class Number(NamedTuple):
    """One number of a text (a tuple: there is one per digit run of every article)."""

    start: int
    end: int
    value: float | None  # None for vague amounts; may be fractional before a shared scale
    vague: bool
    words: bool  # written in words ("ten thousand")
    has_scale: bool  # carries its own scale ("12 thousand", "1.5m")
    scale: float = 1.0  # that scale's multiplier, shared with a bare first number of a range


def parse_words(phrase: str) -> int | None:
    """Value of a number written in words; None if it is not one."""
    low = phrase.lower()
    fraction = re.match(rf"{_fraction}(?: of)? (?=an? )", low)
    if fraction:  # "three quarters of a million": 3 * 0.25 * 1,000,000
        words = fraction.group().split()
        count = 2 if words[0] == "two" else 3 if words[0] == "three" else 1
        rest = parse_words(low[fraction.end():])
        share = count * FRACTION_VALUES[words[1] if words[0] in ("a", "one", "two", "three")
                                        else words[0]]
        return round(rest * share) if rest is not None else None
    total, current = 0, 0
    tokens = re.split(r"[\s-]+|,", low.replace(" and ", " "))
    for tok in filter(None, tokens):
        if tok in ("a", "an"):
            current = max(current, 1)
        elif tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = max(current, 1) * 12
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok in SCALES:
            total += max(current, 1) * SCALES[tok]
            current = 0
        else:
            return None
    return total + current


_SEPARATORS = str.maketrans("", "", ", \t\n\u00a0\u202f")


def parse_digits(body: str, tail: str) -> float | None:
    """Value of "12,000", "12 000", "1.5" + optional scale tail ("million", "k")."""
    number = float(body.translate(_SEPARATORS)) * _scale_of(tail)
    if number > 10**13:
        return None  # absurd sizes are noise (phone numbers, ids)
    return number


def _scale_of(tail: str) -> int:
    """The multiplier of a scale tail (" million", "-thousand", "k"); 1 when there is none."""
    if not tail:
        return 1
    tail = tail.strip(" -").lower()
    return SCALES.get(tail) or SUFFIXES.get(tail) or 1


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Number]:
    """Every number in ``text[start:end]``, in order, with offsets into ``text``."""
    found: list[Number] = []
    for m_start, m_end in NUMBER.spans(text, start, end):
        if text[m_start].isdigit():
            if not _digits_stand_alone(text, m_start, m_end):
                continue
            digits = _DIGITS.match(text, m_start, m_end)
            assert digits is not None
            tail = text[digits.end():m_end]
            value = parse_digits(digits.group(), tail)
            if value is not None:
                found.append(new_tuple(Number, (m_start, m_end, value, False, False,
                                                bool(tail.strip()), float(_scale_of(tail)))))
        elif _VAGUE.fullmatch(text, m_start, m_end):
            found.append(new_tuple(Number, (m_start, m_end, None, True, True, True, 1.0)))
        else:
            phrase = text[m_start:m_end].lower()
            in_words = parse_words(phrase)
            if in_words is not None:
                scales = [SCALES[w] for w in re.split(r"[\s-]+", phrase) if w in SCALES]
                found.append(Number(m_start, m_end, float(in_words), False, True, bool(scales),
                                    float(scales[-1]) if scales else 1.0))
    return found
