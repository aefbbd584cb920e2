"""Regular expressions on RE2 where the pattern allows it, else Python's ``re``.

Why: Python's backtracking engine tries every alternative at every position,
so the kit's big alternations (number words, cue lists, alias tables) ran at
2-5 MB/s.  RE2 (google-re2, Google's linear-time engine) runs them 10x
faster and cannot be sent into catastrophic backtracking by an analyst's
pattern or a hostile text.  RE2 has no look-around or back-references:
such patterns, and machines without the wheel, fall back to ``re`` with the
same meaning.

RE2 is fed a one-byte-per-character ASCII view of the text (typographic
quotes, dashes and spaces become their ASCII twins, any other non-ASCII
character becomes ``?``), so byte offsets are character offsets and the
wrapper does no decoding.  Patterns run here therefore match ASCII words:
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
except ImportError:  # pragma: no cover
    _re2 = None

_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=|\\[uUN]|\(\?[a-z]*x")
_ASCII_TWINS = str.maketrans({
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2007": " ",
})


CACHE_LIMIT = 2_000  # characters: sentences are re-read by several patterns; whole articles are not cached


def ascii_view(text: str) -> bytes:
    """The text as ASCII bytes, one byte per character (offsets unchanged)."""
    return _ascii_view(text) if len(text) <= CACHE_LIMIT else _ascii(text)


def _ascii(text: str) -> bytes:
    return text.translate(_ASCII_TWINS).encode("ascii", "replace")


_ascii_view = functools.lru_cache(maxsize=256)(_ascii)


def _twins(text: str) -> str:
    """What ``re`` sees when RE2 cannot run a pattern: the same ASCII twins, letters kept."""
    return text.translate(_ASCII_TWINS)


class Pattern:
    """A compiled pattern: ``finditer``/``search``/``match`` return match objects
    whose ``start``, ``end``, ``span`` and ``lastindex`` are character offsets into
    the str given; read text through those offsets, not ``group()``."""

    def __init__(self, pattern: str, ignorecase: bool = False, multiline: bool = False):
        self.pattern = pattern = pattern.translate(_ASCII_TWINS)  # it sees the ASCII view too
        self._re2 = None
        if _re2 is not None and not _UNSUPPORTED.search(pattern) and pattern.isascii():
            flags = ("i" if ignorecase else "") + ("m" if multiline else "")
            try:
                self._re2 = _re2.compile(f"(?{flags}){pattern}" if flags else pattern, _OPTIONS)
            except _re2.error:
                self._re2 = None
        self._re = None if self._re2 is not None else re.compile(
            pattern, (re.IGNORECASE if ignorecase else 0) | (re.MULTILINE if multiline else 0))
        self.groupindex = dict((self._re2 or self._re).groupindex)

    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "re"

    def _args(self, text: str, pos: int, endpos: int | None):
        endpos = len(text) if endpos is None else endpos
        view = ascii_view(text) if self._re2 is not None else _twins(text)
        return view, pos, endpos

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return (self._re2 or self._re).finditer(*self._args(text, pos, endpos))

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        return (self._re2 or self._re).search(*self._args(text, pos, endpos))

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        return (self._re2 or self._re).match(*self._args(text, pos, endpos))


def compile(pattern: str, *, ignorecase: bool = False, multiline: bool = False) -> Pattern:  # noqa: A001
    return Pattern(pattern, ignorecase, multiline)


def engine(compiled) -> str:
    """'re2' or 're': which engine a compiled pattern runs on (for tests and benchmarks)."""
    return compiled.engine if isinstance(compiled, Pattern) else "re"
