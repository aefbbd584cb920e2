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

try:  # pragma: no cover - exercised on machines with and without the wheel
    import re2 as _re2

    _OPTIONS = _re2.Options()
    _OPTIONS.log_errors = False
    _LONGEST = _re2.Options()
    _LONGEST.log_errors = False
    _LONGEST.longest_match = True  # leftmost-longest: the longest alternative wins
    _UNANCHORED = _re2._Anchor.UNANCHORED
except ImportError:  # pragma: no cover
    _re2 = None

_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=|\\[uUN]|\(\?[a-z]*x")
_ASCII_TWINS = str.maketrans({
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2007": " ",
})


CACHE_LIMIT = 2_000  # characters: sentences are re-read by several patterns; whole articles are not cached
_TWIN_ITEMS = tuple(_ASCII_TWINS.items())


def ascii_view(text: str) -> bytes:
    """The text as ASCII bytes, one byte per character (offsets unchanged)."""
    return _ascii_view(text) if len(text) <= CACHE_LIMIT else _ascii(text)


_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")


def _ascii(text: str) -> bytes:
    if text.isascii():
        return text.encode("ascii")
    for code, twin in _TWIN_ITEMS:  # a few C-speed replaces beat translate() with a dict
        text = text.replace(chr(code), twin)
    # Other letters become "_" so \b and \w see a word character, as re does;
    # what is left becomes one "?" each.
    return _NON_ASCII_WORD.sub("_", text).encode("ascii", "replace")


_ascii_view = functools.lru_cache(maxsize=256)(_ascii)


def _twins(text: str) -> str:
    """What ``re`` sees when RE2 cannot run a pattern: the same ASCII twins, letters kept."""
    if text.isascii():
        return text
    for code, twin in _TWIN_ITEMS:
        text = text.replace(chr(code), twin)
    return text


Spans = list  # [(start, end) of the whole match, then of each group; (-1, -1) if unset]


class Pattern:
    """A compiled pattern whose matches come as span lists (character offsets).

    ``scan`` yields, for each match, ``[(start, end), (g1_start, g1_end), ...]``;
    ``find`` gives the first one or None.  Read text through the offsets.
    Span lists, not match objects, because building a match object per hit
    was most of the cost on RE2's Python wrapper.
    """

    def __init__(self, pattern: str, ignorecase: bool = False, multiline: bool = False,
                 longest: bool = False):
        self.pattern = pattern = pattern.translate(_ASCII_TWINS)  # it sees the ASCII view too
        self.longest, self.ignorecase, self.multiline = longest, ignorecase, multiline
        self._re2 = None
        if _re2 is not None and not _UNSUPPORTED.search(pattern) and pattern.isascii():
            flags = ("i" if ignorecase else "") + ("m" if multiline else "")
            try:
                self._re2 = _re2.compile(f"(?{flags}){pattern}" if flags else pattern,
                                         _LONGEST if longest else _OPTIONS)
            except _re2.error:
                self._re2 = None
        if longest and self._re2 is None:
            raise ValueError(f"leftmost-longest matching needs RE2 and an RE2 pattern: {pattern[:80]}")
        self._re = None if self._re2 is not None else re.compile(
            pattern, (re.IGNORECASE if ignorecase else 0) | (re.MULTILINE if multiline else 0))
        self.groupindex = dict((self._re2 or self._re).groupindex)
        # RE2's C entry point, when this version of the wrapper exposes it.
        self._raw = getattr(self._re2, "_regexp", None) if self._re2 is not None else None

    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "re"

    def scan(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        if self._raw is not None:
            view, match, anchor = ascii_view(text), self._raw.Match, _UNANCHORED
            while pos <= endpos:
                spans = match(anchor, view, pos, endpos)
                if spans[0][0] < 0:
                    return
                yield spans
                pos = spans[0][1] if spans[0][1] > spans[0][0] else spans[0][1] + 1
        elif self._re2 is not None:
            for m in self._re2.finditer(ascii_view(text), pos, endpos):
                yield [m.span(g) for g in range(self._re2.groups + 1)]
        else:
            for m in self._re.finditer(_twins(text), pos, endpos):
                yield list(m.regs)

    def find(self, text: str, pos: int = 0, endpos: int | None = None) -> Spans | None:
        if self._raw is not None:  # the common case without a generator
            endpos = len(text) if endpos is None else endpos
            spans = self._raw.Match(_UNANCHORED, ascii_view(text), pos, endpos)
            return spans if spans[0][0] >= 0 else None
        return next(self.scan(text, pos, endpos), None)


def first_group(spans: Spans) -> int:
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
