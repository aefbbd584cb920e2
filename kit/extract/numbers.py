"""Number grammar: find the numbers of a text and read their values.

Kept apart from extraction because it knows nothing of news: it only reads
"12,000", "12 000", "1.5 million", "12k", "12-thousand", "ten thousand",
"a dozen", and vague amounts ("thousands", "tens of thousands", "several
hundred").  Each match is a :class:`Number` with offsets into the text.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from kit import fastre

UNITS: Final = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: Final = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES: Final = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SUFFIXES: Final = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}

_unit = "|".join(sorted(UNITS, key=len, reverse=True))
_tens = "|".join(TENS)
_scale = "|".join(SCALES)
_small = rf"(?:(?:{_tens})(?:[- ](?:{_unit}))?|(?:{_unit}))"
# "two", "twenty-five", "ten thousand", "one hundred and fifty", "a thousand", "a dozen"
_fraction = r"(?:half|a half|one half|a quarter|one quarter|quarter|three quarters|a third|one third|two thirds)"
# "half a million", "a quarter of a million", "three quarters of a million"
FRACTIONS: Final = rf"{_fraction}(?: of)? an? (?:{_scale}|dozen)"
WORDS: Final = (
    rf"(?:{FRACTIONS}"
    rf"|(?:{_small}|an?)[ -](?:{_scale})(?:(?:,? and |[ -])(?:{_small})(?:[ -](?:{_scale}))?)*"
    rf"|an? dozen|(?:{_small})(?: dozen)?)"
)
FRACTION_VALUES: Final = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
GROUP_SPACE: Final = "[ ]"  # NBSP and thin spaces arrive as " " (fastre's ASCII view)
# "12,000", "12 000", "1.5"; and as other languages write them: "1.234.567" and
# "1.234,5" (dots group thousands), "1,5" (a decimal comma; kept only before a scale
# word or where the article writes numbers that way: see ``Convention``)
DIGITS: Final = (r"(?:\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}\.\d{3},\d+"
          r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:" + GROUP_SPACE + r"\d{3})+(?:[.,]\d+)?"
          r"|\d+,\d{1,2}|\d+(?:\.\d+)?)")
# other languages' scale words, as translated copy keeps them ("1,5 millones", "12 mil")
FOREIGN_SCALES: Final = {"mil": 1_000, "mio": 1_000_000, "mln": 1_000_000, "millones": 1_000_000,
                  "millions": 1_000_000, "milioni": 1_000_000, "millionen": 1_000_000,
                  "miljoen": 1_000_000}
SCALED: Final = (rf"(?:\s?-?\s?(?:{_scale})\b|(?:k|m|mn|bn)\b"
          rf"|\s(?:{'|'.join(FOREIGN_SCALES)})\b)?")
VAGUE: Final = (
    rf"(?:(?:several|a few|a couple of|many|some|a number of)\s+(?:{_scale}|dozen)s?\b"
    rf"|(?:tens|hundreds|thousands|millions|dozens|scores)(?:\s+of\s+(?:thousands|millions))?\b)"
)
# Written in lower case, matched ignoring case.  Digits must not touch letters,
# colons, slashes or other digits ("F-16", "12:14", "1/2", "3D"): checked in
# ``_digits_stand_alone`` because RE2 has no look-behind.  The scan has no capture
# groups (RE2 then answers from its fast DFA alone); which branch matched is read
# back from the short matched text.
NUMBER: Final = fastre.compile(rf"\b{VAGUE}|{DIGITS}{SCALED}|\b(?:{WORDS})\b", ignorecase=True)
_DIGITS: Final = re.compile(DIGITS.replace(GROUP_SPACE, "[ \u00a0\u202f\u2009\u2007]"))
_VAGUE: Final = re.compile(VAGUE, re.IGNORECASE)


def token_before(text: str, lo: int = 0, end: int = -1) -> str | None:
    """What ends just before ``end`` (default: the end of ``text``) within ``text[lo:end]``,
    spaces skipped, lower-cased: a run of letters ("than"), a run of letters with the full
    stop after it ("jun.", "c."), else the one character there ("$", "(", "4", ".");
    None when there is nothing but spaces.

    The words and marks a number can stand after: hedges and exclusions look here first,
    and run their search (which, anchored at the number, tries every place of its window)
    only when this token can end one of their phrases."""
    i = len(text) if end < 0 else end
    while i > lo and text[i - 1].isspace():
        i -= 1
    if i == lo:
        return None
    stop = i
    if text[i - 1] == "." and i - 1 > lo and text[i - 2].isalpha():
        i -= 1  # "Jun.", "c.": the letters and their full stop
    elif not text[i - 1].isalpha():
        return text[i - 1]
    k = i - 1
    while k > lo and text[k - 1].isalpha():
        k -= 1
    return text[k:stop].lower()


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
    doubt: str = ""  # why the reading may be wrong ("30.000" with no convention in sight)


class Convention(NamedTuple):
    """How an article writes numbers: its decimal mark ("." or ","; "" when it gives no
    evidence or both), and why the kit thinks so."""

    decimal: str
    why: str


#: Numbers only one convention writes: "1.234.567", "1.234,5", "2,5 %", "1,5 millones"
#: (a decimal comma: dots group thousands) ...
_DOT_GROUPS: Final = re.compile(r"\b\d{1,3}(?:\.\d{3}){2,}\b|\b\d{1,3}\.\d{3},\d|\b\d+,\d{1,2}\s?(?:%|"
                         r"(?:mil|mio|mln|millones|millions|milioni|millionen|miljoen|million|"
                         r"billion|milliards?)\b)", re.IGNORECASE)
#: ... and "1,234,567", "1,234.5", "2.5%", "1.5 million", "12,000" (a decimal point).
_COMMA_GROUPS: Final = re.compile(r"\b\d{1,3}(?:,\d{3}){2,}\b|\b\d{1,3},\d{3}\.\d|\b\d+\.\d{1,2}\s?"
                           r"(?:%|(?:million|billion|bn|m)\b)|\b\d{1,3},\d{3}\b(?![.,]\d)",
                           re.IGNORECASE)
#: The commonest words of the languages whose copy the kit may meet; those other than
#: English write thousands with a dot (French with a space, a dot in translated copy).
_STOPWORDS: Final = {
    "en": "the and of to in is that said for was were with have has from".split(),
    "de": "der die das und nicht ist mit von den sich auf wurde wurden dem des".split(),
    "es": "el los las que y en del por con para fue una se al".split(),
    "pt": "o os que e em do da para com não foi uma dos das".split(),
    "fr": "le les et des du est que dans pour une sur au ont été".split(),
    "it": "il di che per del della un sono non con gli alla nel".split(),
    "nl": "het een en van dat op te niet met voor zijn werd".split(),
}
_LANGUAGES: Final = {"en": "English", "de": "German", "es": "Spanish", "pt": "Portuguese",
              "fr": "French", "it": "Italian", "nl": "Dutch"}
_WORD: Final = re.compile(r"[^\W\d_]+")


def language_of(text: str) -> str | None:
    """The language of ``text`` among English, German, Spanish, Portuguese, French,
    Italian and Dutch, by their commonest words (None when it is not clear).  A lookup
    of a few hundred words: enough to choose a decimal mark, which is all it is for."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    lookup: dict[str, list[str]] = {}
    for lang, words in _STOPWORDS.items():
        for w in words:
            lookup.setdefault(w, []).append(lang)
    for k, m in enumerate(_WORD.finditer(text)):
        if k >= 3000:
            break
        for lang in lookup.get(m.group().lower(), ()):
            counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, n), (_, second) = ranked[0], ranked[1]
    return best if n >= 5 and n >= 1.5 * second else None


def convention_of(text: str) -> Convention:
    """The article's decimal mark: from numbers only one convention writes, else from
    its language."""
    dots, commas = _DOT_GROUPS.search(text), _COMMA_GROUPS.search(text)
    if dots and not commas:
        return Convention(",", f"the article writes {dots.group().strip()}")
    if commas and not dots:
        return Convention(".", f"the article writes {commas.group().strip()}")
    if dots and commas:
        return Convention("", f"the article writes both {dots.group().strip()} and "
                              f"{commas.group().strip()}")
    language = language_of(text)
    if language and language != "en":
        return Convention(",", f"the article is in {_LANGUAGES[language]}")
    return Convention("", "the article writes no other number with a separator")


_ONE_DOT_GROUP: Final = re.compile(r"[1-9]\d{0,2}\.\d{3}")  # "30.000", "4.500": which convention?
_DECIMAL_COMMA: Final = re.compile(r"\d+,\d{1,2}")  # "1,5"


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


_SEPARATORS: Final = str.maketrans("", "", ", \t\n\u00a0\u202f")
_SPACES: Final = str.maketrans("", "", " \t\n\u00a0\u202f\u2009\u2007")


def parse_digits(body: str, tail: str) -> float | None:
    """Value of "12,000", "12 000", "1.5" + optional scale tail ("million", "k")."""
    return read_digits(body, tail)[0]


def read_digits(body: str, tail: str, convention: Convention | None = None
                ) -> tuple[float | None, str]:
    """Value of a digit run and its scale tail, and why that reading may be wrong ("").

    "1.234.567" and "1.234,5" group thousands with dots; "1,5" before a scale word
    has a decimal comma; "30.000" (one group of three after a dot) is thirty thousand
    where the article writes numbers that way (``convention``), and also where it
    shows no convention (a count with three decimals is not written), then with the
    doubt said."""
    doubt = ""
    if body.isdigit():  # most numbers: no separator to read
        number = float(body) * _scale_of(tail)
        if number > 10**13:
            return None, ""  # absurd sizes are noise (phone numbers, ids)
        mil = bool(tail) and tail.strip(" -").lower() == "mil"
        return number, _mil_doubt(body, number, convention) if mil else ""
    plain = body.translate(_SPACES)
    if plain.count(".") > 1 or ("." in plain and "," in plain and plain.index(".") < plain.index(",")):
        number = float(plain.replace(".", "").replace(",", "."))  # 1.234.567 / 1.234,5
    elif _DECIMAL_COMMA.fullmatch(plain) or ("," in plain and plain != body and
                                             len(plain) - plain.index(",") <= 3):
        number = float(plain.replace(",", "."))  # "1,5 million", "12 000,5"
        if not tail.strip() and plain == body and (convention is None or
                                                   convention.decimal != ","):
            doubt = f"number: '{body}' read as {number:,} (a decimal comma)"
    elif _ONE_DOT_GROUP.fullmatch(plain):
        number = float(plain.replace(".", ""))
        if convention is None or convention.decimal != ",":
            why = convention.why if convention is not None else "no convention seen"
            doubt = (f"number: '{body}' read as {number:,.0f}, a dot grouping thousands "
                     f"({why}); it could be {float(plain):g}")
    else:
        number = float(body.translate(_SEPARATORS))
    if tail and tail.strip(" -").lower() == "mil":
        doubt = doubt or _mil_doubt(body, number * 1000, convention)
    number *= _scale_of(tail)
    if number > 10**13:
        return None, ""  # absurd sizes are noise (phone numbers, ids)
    return number, doubt


def _mil_doubt(body: str, value: float, convention: Convention | None) -> str:
    """Why "12 mil" may not be twelve thousand ("" in Spanish or Portuguese copy)."""
    if convention is not None and convention.decimal == ",":
        return ""
    return (f"number: '{body} mil' read as {value:,.0f} ('mil' is thousand in Spanish and "
            "Portuguese; in English copy it may mean million)")


def _scale_of(tail: str) -> int:
    """The multiplier of a scale tail (" million", "-thousand", "k"); 1 when there is none."""
    if not tail:
        return 1
    tail = tail.strip(" -").lower()
    return SCALES.get(tail) or SUFFIXES.get(tail) or FOREIGN_SCALES.get(tail) or 1


#: Where the digits of a number as written end (before its scale word), by the number as
#: written: the same numbers recur ("12", "1,200", "2024 elections"), a match costs more.
_BODY_END: Final[dict[str, int]] = {}


def _body_end(written: str) -> int:
    """``_DIGITS.match(written).end()``: as on the article's text between the number's
    offsets (``_DIGITS`` has no anchor, boundary or look-around to see past them)."""
    digits = _DIGITS.match(written)
    assert digits is not None
    if len(_BODY_END) > 20_000:
        _BODY_END.clear()
    _BODY_END[written] = digits.end()
    return digits.end()


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Number]:
    """Every number in ``text[start:end]``, in order, with offsets into ``text``."""
    found: list[Number] = []
    convention: Convention | None = None  # read from the article when a number needs it
    for m_start, m_end in NUMBER.spans(text, start, end):
        if text[m_start].isdigit():
            if not _digits_stand_alone(text, m_start, m_end):
                continue
            written = text[m_start:m_end]
            cut = _BODY_END.get(written)
            if cut is None:
                cut = _body_end(written)
            body, tail = written[:cut], written[cut:]
            if convention is None and not body.isdigit() and (
                    _ONE_DOT_GROUP.fullmatch(body) or (_DECIMAL_COMMA.fullmatch(body)
                                                       and not tail.strip())) \
                    or convention is None and tail.strip().lower() == "mil":
                convention = convention_of(text)  # only a form that could be read two ways
            value, doubt = read_digits(body, tail, convention)
            if value is not None:
                found.append(new_tuple(Number, (m_start, m_end, value, False, False,
                                                bool(tail.strip()), float(_scale_of(tail)),
                                                doubt)))
        elif _VAGUE.fullmatch(text, m_start, m_end):
            found.append(new_tuple(Number, (m_start, m_end, None, True, True, True, 1.0, "")))
        else:
            phrase = text[m_start:m_end].lower()
            in_words = parse_words(phrase)
            if in_words is not None:
                scales = [SCALES[w] for w in re.split(r"[\s-]+", phrase) if w in SCALES]
                found.append(Number(m_start, m_end, float(in_words), False, True, bool(scales),
                                    float(scales[-1]) if scales else 1.0, ""))
    return found
