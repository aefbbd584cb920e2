"""Month names and calendar dates: the one place the kit spells them.

Metadata guessing reads dates ("October 21, 2024", "21 Oct 2024"), figure
extraction refuses numbers that are days of a month ("Oct. 21"), and the
sentence splitter knows "Oct." does not end a sentence: all three use these.
"""

from __future__ import annotations

import datetime as dt
import re

#: Three-letter stems, January first.
MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Days of the week, lower case.
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
#: Full month names by stem.
MONTH_NAMES = dict(zip(MONTH_STEMS, ("january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december")))
#: Month names and their abbreviations as a regular expression (no group; use it with IGNORECASE).
MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
#: Month abbreviations written with a period ("Oct.", "Sept."); May has none, so "May."
#: ends a sentence.
ABBREVIATIONS = (frozenset(MONTH_STEMS) - {"may"}) | {"sept"}

_ISO_PREFIX = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def month_number(name: str) -> int | None:
    """1-12 for a month name or abbreviation in any case ("Oct", "october"), else None."""
    stem = name.casefold()[:3]
    return MONTH_STEMS.index(stem) + 1 if stem in MONTH_STEMS else None


def valid_date(year: int, month: int | None, day: int) -> str | None:
    """The ISO date, or None when there is no such day."""
    if month is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except (TypeError, ValueError):
        return None


def iso_prefix(value: str | None) -> str | None:
    """The date a string starts with in ISO form ("2024-10-21T09:00Z" -> "2024-10-21")."""
    m = _ISO_PREFIX.match(value or "")
    return valid_date(*map(int, m.groups())) if m else None
