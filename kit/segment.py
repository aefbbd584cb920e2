"""Sentences: standoff spans over the unchanged article text, boilerplate marked.

Why our own splitter: the off-the-shelf ones either ignore newlines (headline,
byline and first sentence merge) or split at a blank line inside a sentence
(TOOLCHAIN.md).  News text needs both: every line of a header is its own
sentence, yet a paragraph break in the middle of a sentence ("...over the
deployment,\\n\\nwhich comes after...") is a scraping accident, not a boundary.
"""

from __future__ import annotations

import re

import pandas as pd

from kit import lexicon as _lexicon
from kit import schema

# Words that end with a period without ending a sentence.
ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    mr mrs ms dr prof gen lt col maj capt cpt sgt cmdr adm rep sen gov pres st mt ft no nos vs
    jr sr inc corp co ltd dept est approx fig vol pp ca cf al etc""".split()
)
LINE = re.compile(r"[^\n]+")
# A candidate end: terminal punctuation, closing quotes/brackets, then space
# and something that can start a sentence.
END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["“‘(\[]?[A-Z0-9])""")
DATE_MARKER = re.compile(r"^[ \t]*(date[ \t]+\d{4}-\d{2}-\d{2})[ \t]+\S", re.MULTILINE | re.IGNORECASE)
TERMINAL = re.compile(r"""[.!?:;"'”’)\]*]\s*$""")
WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS_DOT = _LETTERS | {"."}


def _word_before(text: str, end: int) -> str | None:
    """What ``WORD_BEFORE.search(text, max(0, end - 12), end)`` finds, by a walk back
    over letters and dots (a $-anchored search tries every place of its window)."""
    lo = max(0, end - 12)
    k = end
    while k > lo and text[k - 1] in _LETTERS_DOT:
        k -= 1
    while k < end and text[k] == ".":
        k += 1  # the word starts with a letter
    return text[k:end] if k < end else None


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the period at ``end`` closes an abbreviation (Oct., U.S., Gen.)."""
    word = _word_before(text, end)
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
    """``END.finditer(text)``, trying END only where a run of . ! ? starts.

    A match of END is such a run, its closing quotes and the look-ahead, so
    it can only start at the first mark of a run; str.find reaches those
    marks far faster than the regex engine's own scan.
    """
    starts = []
    for mark in ".!?":
        i = text.find(mark)
        while i >= 0:
            if i == 0 or text[i - 1] not in ".!?":
                starts.append(i)
            i = text.find(mark, i + 1)
    starts.sort()
    out = []
    for i in starts:
        m = END.match(text, i)
        if m is not None:
            out.append(m)
    return out


def _date_marker_ends(text: str) -> list[int]:
    """Where DATE_MARKER's date ends, for each line that starts with one: the same
    as its MULTILINE finditer, but the regex runs only where a line starts "date"."""
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
LINE_SCOPE_MAX = 1000


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


def mark_boilerplate(text: str, spans: list[tuple[int, int, int]],
                     lex: _lexicon.Lexicon) -> list[str | None]:
    """The boilerplate cue (``kind``) of each span, or None for article text."""
    cues: list[str | None] = [None] * len(spans)
    line_cue: dict[int, str] = {}
    for i, (s, e, line_no) in enumerate(spans):
        row = lex.boilerplate_rows.first(text[s:e])  # the first cue of the file that matches
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


class LazyBoilerplate:
    """``mark_boilerplate`` computed only for the sentences asked about (and their lines).

    Figure extraction needs the boilerplate flag only where there are
    numbers; the answers are the same as ``mark_boilerplate``'s.
    """

    def __init__(self, text: str, spans: list[tuple[int, int, int]], lex: _lexicon.Lexicon):
        """``spans`` as ``split`` gives them: the sentences of a line are consecutive."""
        self.text, self.spans, self.lex = text, spans, lex
        self.cache: dict[int, str | None] = {}

    def _line(self, i: int) -> range:
        """The sentences on sentence ``i``'s line."""
        line_no = self.spans[i][2]
        a, b = i, i + 1
        while a > 0 and self.spans[a - 1][2] == line_no:
            a -= 1
        while b < len(self.spans) and self.spans[b][2] == line_no:
            b += 1
        return range(a, b)

    def __getitem__(self, i: int) -> str | None:
        if i not in self.cache:
            line = self._line(i)
            quick = self.lex.boilerplate_line
            if quick is not None and quick.find(self.text, self.spans[line[0]][0],
                                                self.spans[line[-1]][1]) is None:
                for j in line:  # no cue anywhere in the line: none in its sentences
                    self.cache[j] = None
            else:
                spans = [self.spans[j] for j in line]
                for j, cue in zip(line, mark_boilerplate(self.text, spans, self.lex)):
                    self.cache[j] = cue
        return self.cache[i]


def sentences(articles: pd.DataFrame, *, lexicon: _lexicon.Lexicon | None = None) -> pd.DataFrame:
    """The sentences frame of ``articles`` (see ``kit.schema.SENTENCES``)."""
    lex = lexicon or _lexicon.load()
    rows = []
    for article_id, text in zip(articles["article_id"], articles["text"]):
        spans = split(text)
        cues = mark_boilerplate(text, spans, lex)
        for i, ((s, e, _), cue) in enumerate(zip(spans, cues)):
            rows.append((article_id, i, s, e, text[s:e], cue is not None, cue))
    frame = pd.DataFrame(rows, columns=[c.name for c in schema.SENTENCES])
    return schema.conform(frame, "sentences")
