"""Regular expressions on RE2 where the pattern allows it, else Python's ``re``.

Why: Python's backtracking engine tries every alternative at every position,
so the kit's big alternations (number words, cue lists, alias tables) ran at
2-5 MB/s.  RE2 (google-re2, Google's linear-time engine) runs them 10x
faster and cannot be sent into catastrophic backtracking by an analyst's
pattern or a hostile text.  RE2 has no look-around or back-references:
such patterns, and machines without the wheel, fall back to ``re`` with the
same meaning.

RE2 is fed a one-byte-per-character ASCII view of the text (typographic
quotes, dashes and spaces become their ASCII twins, other letters and digits
become ``_`` and anything else ``?``), so byte offsets are character offsets,
word boundaries fall where ``re`` puts them, and the wrapper does no
decoding.  Patterns run here therefore match ASCII words:
aliases with accented letters belong in patterns that ``re`` runs
(``lexicon.Claimant.pattern``), which the fast union only pre-screens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

_re2: Any = None
try:  # pragma: no cover - exercised on machines with and without the wheel
    import re2 as _re2_module

    _re2 = _re2_module
    _OPTIONS = _re2.Options()
    _OPTIONS.log_errors = False
    _LONGEST = _re2.Options()
    _LONGEST.log_errors = False
    _LONGEST.longest_match = True  # leftmost-longest: the longest alternative wins
    _UNANCHORED = _re2._Anchor.UNANCHORED
    _ANCHOR_START = _re2._Anchor.ANCHOR_START
except ImportError:  # pragma: no cover
    pass

_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=|\\[uUN]|\(\?[a-z]*x")
_ASCII_TWINS = str.maketrans({
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2007": " ",
})


CACHE_LIMIT = 2_000  # characters: sentences are re-read by several patterns; whole articles are not cached
_TWIN_ITEMS = tuple(_ASCII_TWINS.items())


# The last long text and its view: an article is scanned by several patterns in a row.
# One tuple, replaced whole, so a reader never pairs one text with another's view.
_last_long: tuple[str, bytes] = ("", b"")


def ascii_view(text: str) -> bytes:
    """The text as ASCII bytes, one byte per character (offsets unchanged)."""
    global _last_long
    if len(text) <= CACHE_LIMIT:
        return _ascii_view(text)
    last = _last_long
    if last[0] is text:
        return last[1]
    view = _ascii(text)
    _last_long = (text, view)
    return view


_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")


def _ascii(text: str) -> bytes:
    if text.isascii():
        return text.encode("ascii")
    for code, twin in _TWIN_ITEMS:  # a few C-speed replaces beat translate() with a dict
        text = text.replace(chr(code), twin)
    if text.isascii():  # only typographic quotes, dashes and spaces: the common case
        return text.encode("ascii")
    # Other letters become "_" so \b and \w see a word character, as re does;
    # what is left becomes one "?" each.
    return _NON_ASCII_WORD.sub("_", text).encode("ascii", "replace")


_ascii_view = functools.lru_cache(maxsize=256)(_ascii)


def ascii_twins(text: str) -> str:
    """The text with typographic quotes, dashes and spaces as their ASCII twins (other
    characters kept): what ``re`` sees when RE2 cannot run a pattern."""
    if text.isascii():
        return text
    for code, twin in _TWIN_ITEMS:
        text = text.replace(chr(code), twin)
    return text


Spans = list[tuple[int, int]]  # [(start, end) of the whole match, then of each group; (-1, -1) if unset]

#: Distinct matches whose groups a pattern remembers (see ``Pattern.scan``).
GROUP_CACHE_LIMIT = 4_096


def regex_tokens(pattern: str) -> list[tuple[str, str]]:
    """A regular expression cut into ``(kind, text)`` pieces: "escape" (a backslash and
    the character after it), "class" (a whole [...] set) or "char" (anything else).

    For rewriting patterns without touching what stands inside a set: a "]" right
    after "[" or "[^" is a member, not the end.
    """
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(("escape", pattern[i:i + 2]))
            i += 2
        elif c == "[":
            j = i + 1 + pattern.startswith("^", i + 1)
            j += pattern.startswith("]", j)
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(("class", pattern[i:j + 1]))
            i = j + 1
        else:
            out.append(("char", c))
            i += 1
    return out


def without_captures(pattern: str) -> str:
    """The same pattern with every capturing group made non-capturing.

    Same matches, but RE2 can answer from its DFA alone: asking for groups
    makes it re-run a slower engine over each match and hand back one tuple
    per group (3x the cost per call on the kit's unions).
    """
    tokens = regex_tokens(pattern)
    out, k = [], 0
    while k < len(tokens):
        kind, text = tokens[k]
        k += 1
        if kind == "char" and text == "(":
            rest = "".join(t for _, t in tokens[k:k + 40])
            named = re.match(r"\?P?<(?![=!])\w+>", rest)
            if named:
                k += len(named.group())  # its characters are single "char" tokens
                text = "(?:"
            elif not rest.startswith("?"):
                text = "(?:"
        out.append(text)
    return "".join(out)


def without_anchors(pattern: str) -> str:
    """The pattern with its anchors (^ $ \\A \\Z \\z) dropped: it matches wherever the
    original does, and more.  For a quick look at a whole line before its sentences."""
    return "".join(text for kind, text in regex_tokens(pattern)
                   if not (kind == "char" and text in "^$")
                   and not (kind == "escape" and text in ("\\A", "\\Z", "\\z")))


class Pattern:
    """A compiled pattern whose matches come as span lists (character offsets).

    ``scan`` yields, for each match, ``[(start, end), (g1_start, g1_end), ...]``;
    ``find`` gives the first one or None; ``scan_first`` gives ``(start, end,
    group)`` with the lowest group that took part (the row of a union).  Read
    text through the offsets.  Span lists, not match objects, because building
    a match object per hit was most of the cost on RE2's Python wrapper.

    On RE2 a pattern with groups is scanned by its capture-free twin, and the
    groups of each distinct match are read once, by re-running the full
    pattern anchored at the match, then remembered.  The memory is keyed by
    the matched bytes plus the character on each side: a regular expression
    without look-around decides a match from exactly those (word boundaries
    and line anchors look one character out), so the answer is the one a
    full scan would give.
    """

    def __init__(self, pattern: str, ignorecase: bool = False, multiline: bool = False,
                 longest: bool = False, engine: str = "auto"):
        """``engine``: "auto" (RE2 where it can run the pattern) or "re" (always ``re``)."""
        self.pattern = pattern = pattern.translate(_ASCII_TWINS)  # it sees the ASCII view too
        self.longest, self.ignorecase, self.multiline = longest, ignorecase, multiline
        self._re2: Any = None
        self._re: re.Pattern | None = None
        options = (_LONGEST if longest else _OPTIONS) if _re2 is not None else None
        prefix = ""
        if (engine == "auto" and _re2 is not None and not _UNSUPPORTED.search(pattern)
                and pattern.isascii()):
            flags = ("i" if ignorecase else "") + ("m" if multiline else "")
            prefix = f"(?{flags})" if flags else ""
            try:
                self._re2 = _re2.compile(prefix + pattern, options)
            except _re2.error:
                self._re2 = None
        if longest and self._re2 is None:
            raise ValueError(f"leftmost-longest matching needs RE2 and an RE2 pattern: {pattern[:80]}")
        if self._re2 is None:
            self._re = re.compile(pattern, (re.IGNORECASE if ignorecase else 0)
                                  | (re.MULTILINE if multiline else 0))
            self.groupindex: dict[str, int] = dict(self._re.groupindex)
            self.groups: int = self._re.groups
        else:
            self.groupindex = dict(self._re2.groupindex)
            self.groups = self._re2.groups
        # RE2's C entry points, when this version of the wrapper exposes them:
        # the full pattern, and its capture-free twin for scanning.
        self._raw: Any = getattr(self._re2, "_regexp", None) if self._re2 is not None else None
        self._bare: Any = self._raw
        if self._raw is not None and self.groups:
            bare = _re2.compile(prefix + without_captures(pattern), options)
            if bare.groups == 0:
                self._bare = bare._regexp
        # (bytes around a match, at-start, at-end) -> group spans relative to the match
        self._groups_of: dict[tuple[bytes, bool, bool], tuple[tuple[int, int], ...]] = {}

    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "re"

    def _spans_at(self, view: bytes, p: int, e: int, endpos: int) -> tuple[tuple[int, int], ...]:
        """Group spans of the match view[p:e], relative to p (cached, see the class docstring)."""
        key = (view[p - 1:e + 1] if p else view[:e + 1], p == 0, e == len(view))
        rel = self._groups_of.get(key)
        if rel is None:
            spans = self._raw.Match(_ANCHOR_START, view, p, endpos)
            rel = tuple((s - p, t - p) if s >= 0 else (-1, -1) for s, t in spans)
            if len(self._groups_of) >= GROUP_CACHE_LIMIT:
                self._groups_of.clear()
            self._groups_of[key] = rel
        return rel

    def _matches(self, view: bytes, pos: int, endpos: int) -> list[tuple[int, int]]:
        """(start, end) of each match in view[pos:endpos], from the capture-free twin.

        The one loop over RE2 matches: every form of scan below is built on it."""
        match, anchor = self._bare.Match, _UNANCHORED
        out = []
        while pos <= endpos:
            s, e = match(anchor, view, pos, endpos)[0]
            if s < 0:
                break
            out.append((s, e))
            pos = e if e > s else e + 1
        return out

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Spans]:
        endpos = len(text) if endpos is None else endpos
        if self._raw is not None:
            view = ascii_view(text)
            if self._bare is self._raw:
                for s, e in self._matches(view, pos, endpos):
                    yield [(s, e)]
            else:
                for s, e in self._matches(view, pos, endpos):
                    yield [(a + s, b + s) if a >= 0 else (-1, -1)
                           for a, b in self._spans_at(view, s, e, endpos)]
        elif self._re2 is not None:
            for m in self._re2.finditer(ascii_view(text), pos, endpos):
                yield [m.span(g) for g in range(self._re2.groups + 1)]
        else:
            assert self._re is not None
            for m in self._re.finditer(ascii_twins(text), pos, endpos):
                yield list(m.regs)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every match, as a list (no generator: for short texts)."""
        if self._raw is None:
            return [spans[0] for spans in self.scan(text)]
        return self._matches(ascii_view(text), 0, len(text))

    def firsts(self, text: str) -> list[tuple[int, int, int]]:
        """``scan_first`` as a list: ``(start, end, group)`` of every match."""
        if self._raw is None or self._bare is self._raw:
            return list(self.scan_first(text))
        view, endpos = ascii_view(text), len(text)
        return [(s, e, first_group(self._spans_at(view, s, e, endpos)))
                for s, e in self._matches(view, 0, endpos)]

    def scan_relative(self, text: str, pos: int = 0,
                      endpos: int | None = None) -> Iterator[tuple[int, tuple[tuple[int, int], ...]]]:
        """``(start, spans)`` of each match, its spans relative to ``start`` ((-1, -1) if unset).

        The same matches as ``scan`` without a new list per match: on RE2 the
        relative spans are the remembered ones, shared by equal matches."""
        endpos = len(text) if endpos is None else endpos
        if self._raw is None or self._bare is self._raw:
            for spans in self.scan(text, pos, endpos):
                s = spans[0][0]
                yield s, tuple((a - s, b - s) if a >= 0 else (-1, -1) for a, b in spans)
            return
        view = ascii_view(text)
        for s, e in self._matches(view, pos, endpos):
            yield s, self._spans_at(view, s, e, endpos)

    def scan_first(self, text: str, pos: int = 0,
                   endpos: int | None = None) -> Iterator[tuple[int, int, int]]:
        """``(start, end, group)`` of each match: the lowest group that took part (0 if none)."""
        endpos = len(text) if endpos is None else endpos
        if self._raw is None or self._bare is self._raw:
            for spans in self.scan(text, pos, endpos):
                yield spans[0][0], spans[0][1], first_group(spans)
            return
        view = ascii_view(text)
        for s, e in self._matches(view, pos, endpos):
            yield s, e, first_group(self._spans_at(view, s, e, endpos))

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> Spans | None:
        if self._raw is not None and self._bare is self._raw:  # the common case without a generator
            endpos = len(text) if endpos is None else endpos
            spans = self._raw.Match(_UNANCHORED, ascii_view(text), pos, endpos)
            return spans if spans[0][0] >= 0 else None
        return next(self.scan(text, pos, endpos), None)


class PatternSet:
    """Rows of patterns asked together: which is the first row that matches the text?

    On RE2 one pass of an RE2::Set answers for every row at once; when RE2 cannot
    run some row, each row is tried with ``re`` in order (the same answer).
    """

    def __init__(self, patterns: Sequence[str], ignorecase: bool = False, multiline: bool = False):
        rows = [Pattern(p, ignorecase, multiline) for p in patterns]
        self.rows = rows
        self._set: Any = None
        if rows and all(r.engine == "re2" for r in rows):
            flags = ("i" if ignorecase else "") + ("m" if multiline else "")
            self._set = _re2._re2.Set(_UNANCHORED, _OPTIONS)
            for r in rows:
                self._set.Add((f"(?{flags})" if flags else "").encode() + r.pattern.encode())
            if not self._set.Compile():
                self._set = None

    @property
    def engine(self) -> str:
        return "re2" if self._set is not None else "re"

    def first(self, text: str) -> int:
        """Index of the first row matching anywhere in ``text``, or -1."""
        if self._set is not None:
            hits = self._set.Match(ascii_view(text))
            return min(hits) if hits else -1
        for i, row in enumerate(self.rows):
            if row.find(text) is not None:
                return i
        return -1


def first_group(spans: Sequence[tuple[int, int]]) -> int:
    """The lowest-numbered group that took part in the match (the row of a union)."""
    for g in range(1, len(spans)):
        if spans[g][0] >= 0:
            return g
    return 0


def compile(pattern: str, *, ignorecase: bool = False, multiline: bool = False,  # noqa: A001
            longest: bool = False) -> Pattern:
    """``longest``: at each place the longest alternative wins (RE2 only; else ValueError)."""
    return Pattern(pattern, ignorecase, multiline, longest)


def engine(compiled) -> str:
    """'re2' or 're': which engine a compiled pattern runs on (for tests and benchmarks)."""
    return compiled.engine if isinstance(compiled, Pattern) else "re"
