"""Sentences: standoff spans over the unchanged article text, boilerplate marked.

Why our own splitter: the off-the-shelf ones either ignore newlines (headline,
byline and first sentence merge) or split at a blank line inside a sentence
(measured on the seeds).  News text needs both: every line of a header is its own
sentence, yet a paragraph break in the middle of a sentence ("...over the
deployment,\\n\\nwhich comes after...") is a scraping accident, not a boundary.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from kit import dates, schema
from kit import lexicon as _lexicon

# Words that end with a period without ending a sentence.
ABBREVIATIONS: Final = dates.ABBREVIATIONS | frozenset(
    """mon tue tues wed thu thur thurs fri sat sun
    mr mrs ms dr prof gen lt col maj capt cpt sgt cmdr adm rep sen gov pres st mt ft no nos vs
    jr sr inc corp co ltd dept est approx fig vol pp ca cf al etc""".split()
)
LINE: Final = re.compile(r"[^\n]+")
# A candidate end: terminal punctuation, closing quotes/brackets, then space
# and something that can start a sentence.
END: Final = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["“‘(\[]?[A-Z0-9])""")
DATE_MARKER: Final = re.compile(r"^[ \t]*(date[ \t]+\d{4}-\d{2}-\d{2})[ \t]+\S", re.MULTILINE | re.IGNORECASE)
TERMINAL: Final = re.compile(r"""[.!?:;"'”’)\]*]\s*$""")
_LETTERS_AND_DOTS_CHARS: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ."


def _word_before(text: str, lo: int, end: int) -> str:
    """The ASCII word (letters, inner periods) that ends at ``end`` in ``text[lo:end]`` (or
    just before a line break there, as ``$`` allows): what a search for
    ``[A-Za-z][A-Za-z.]*$`` finds, by a walk back ("" when none); the search tried every
    place of its window (2% of kit.figures)."""
    for stop in (end, end - 1):
        if stop < end and not (stop > lo and text[stop] == "\n"):
            break
        # the run of letters and dots ending at ``stop``, its leading dots dropped (by
        # rstrip and lstrip: a walk back one character at a time cost five times more)
        run = text[lo:stop]
        word = run[len(run.rstrip(_LETTERS_AND_DOTS_CHARS)):].lstrip(".")
        if word:
            return word
    return ""


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the period at ``end`` closes an abbreviation (Oct., U.S., Gen.)."""
    word = _word_before(text, max(0, end - 12), end)
    if not word:
        return False
    if "." in word:  # U.S, e.g, a.m: initialisms with inner periods
        return True
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def split(text: str) -> list[tuple[int, int, int]]:
    """Sentence spans ``(start, end, line_no)`` of ``text``.

    Every line break ends a sentence, except when the text before it has no
    closing punctuation and the next line starts in lower case: then the break
    is a wrap and the two parts are one sentence (``line_no`` of the first).
    One regex pass over the whole text finds the candidate ends; the loop
    below only visits lines and ends, not characters.
    """
    ends = []
    for m in _end_matches(text):
        mark = m.group()
        if mark[0] == "." and len(mark.rstrip("\"'”’)]")) == 1 and _is_abbreviation(text, m.start()):
            continue  # "Oct. 21", "U.S. officials"
        ends.append(m.end())
    ends += _date_marker_ends(text)  # "date 2024-10-21 Text...": a header
    ends.sort()
    spans: list[tuple[int, int, int]] = []
    k = 0
    line_no = -1
    stop = -1
    while stop < len(text):  # the lines of LINE ([^\n]+), by str.find
        cut = stop + 1
        stop = text.find("\n", cut)
        if stop < 0:
            stop = len(text)
        if stop == cut:
            continue  # an empty line is no line
        line_no += 1
        first = True
        while True:
            while k < len(ends) and ends[k] <= cut:
                k += 1
            end = ends[k] if k < len(ends) and ends[k] < stop else stop
            span = _trim(text, cut, end)
            if span:
                if first and spans and _continues(text, spans[-1][1], span[0]):
                    spans[-1] = (spans[-1][0], span[1], spans[-1][2])
                else:
                    spans.append((span[0], span[1], line_no))
                first = False
            if end >= stop:
                break
            cut = end
    return spans


def _end_matches(text: str) -> list[re.Match]:
    """``END.finditer(text)``, tried only where a run of . ! ? starts: str.find reaches
    those marks several times faster than the regex engine's own scan (8% of the
    pipeline on varied news, measured with scripts/bench_extract.py)."""
    starts = []
    for mark in ".!?":
        i = text.find(mark)
        while i >= 0:
            if i == 0 or text[i - 1] not in ".!?":
                starts.append(i)
            i = text.find(mark, i + 1)
    out = []
    for i in sorted(starts):
        m = END.match(text, i)
        if m is not None:
            out.append(m)
    return out


def _date_marker_ends(text: str) -> list[int]:
    """Where DATE_MARKER's date ends, for each line that starts with one: its MULTILINE
    finditer, run only where a line starts "date" (5% of the pipeline on varied news:
    a regex scan of a whole article is slow on non-ASCII text)."""
    out = []
    start = 0
    while start < len(text):
        i = start
        while i < len(text) and text[i] in " \t":
            i += 1
        if text[i:i + 4].lower() == "date":
            m = DATE_MARKER.match(text, start)
            if m:
                out.append(m.end(1))
        nl = text.find("\n", start)
        if nl < 0:
            break
        start = nl + 1
    return out


def _continues(text: str, prev_end: int, start: int) -> bool:
    """A line starting in lower case after a line with no closing punctuation."""
    if text.startswith("by ", start):  # a byline under a headline
        return False
    return text[start].islower() and not TERMINAL.search(text, max(0, prev_end - 2), prev_end)


#: A line-scoped cue marks its whole line only on lines up to this long: a pitch
#: box is a short paragraph, while a file with no line breaks is one huge "line".
LINE_SCOPE_MAX: Final = 1000


def _short_line(text: str, start: int, end: int) -> bool:
    """Whether the line holding text[start:end] is at most LINE_SCOPE_MAX long
    (bounded searches: cheap even on a file that is one 50 MB line)."""
    if end - start > LINE_SCOPE_MAX:
        return False
    lo = max(0, end - LINE_SCOPE_MAX - 1)
    a = text.rfind("\n", lo, start) + 1
    if a == 0 and lo > 0:
        return False
    b = text.find("\n", end, a + LINE_SCOPE_MAX + 1)
    if b < 0:
        b = len(text) if len(text) <= a + LINE_SCOPE_MAX else -1
    return 0 <= b - a <= LINE_SCOPE_MAX


def mark_boilerplate(text: str, spans: list[tuple[int, int, int]], lex: _lexicon.Lexicon,
                     lines: set[int] | None = None) -> list[str | None]:
    """The boilerplate cue (``kind``) of each span, or None for article text.

    ``lines``: look only at the sentences on these lines (the others get None), for
    a caller that needs to know only where its numbers are."""
    cues: list[str | None] = [None] * len(spans)
    line_cue: dict[int, str] = {}
    for i, (s, e, line_no) in enumerate(spans):
        if lines is not None and line_no not in lines:
            continue
        row = lex.boilerplate_rows.first(text, s, e)  # the first cue of the file that matches
        if row < 0:
            continue
        kind, scope, _ = lex.boilerplate[row]
        cues[i] = kind
        if scope == "line" and _short_line(text, s, e):
            line_cue.setdefault(line_no, kind)
    for i, (_, _, line_no) in enumerate(spans):
        if cues[i] is None and line_no in line_cue:
            cues[i] = line_cue[line_no]
    return cues


def sentences(articles: pd.DataFrame, *, lexicon: object = None) -> pd.DataFrame:
    """The sentences frame of ``articles`` (see ``kit.schema.SENTENCES``); ``lexicon``: the
    story knowledge whose boilerplate.csv marks page furniture (see ``kit.lexicon.resolve``)."""
    lex = _lexicon.resolve(lexicon)
    rows = []
    for article_id, text in zip(articles["article_id"], articles["text"]):
        spans = split(text)
        cues = mark_boilerplate(text, spans, lex)
        for i, ((s, e, _), cue) in enumerate(zip(spans, cues)):
            rows.append((article_id, i, s, e, text[s:e], cue is not None, cue))
    frame = pd.DataFrame(rows, columns=[c.name for c in schema.SENTENCES])
    return schema.conform(frame, "sentences")
