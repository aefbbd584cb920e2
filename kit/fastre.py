"""Regular expressions on RE2 where the pattern allows it, else Python's ``re``.

Why: Python's backtracking engine tries every alternative at every position,
so the kit's big alternations (number words, cue lists, alias tables) run
several times slower on ``re``; RE2 (google-re2, Google's linear-time engine)
also cannot be sent into catastrophic backtracking by an analyst's pattern or
a hostile text.  RE2 has no look-around or back-references: such patterns run
on ``re`` with the same meaning.

Only RE2's public Python API is used, and only a tested range of its versions
(``RE2_VERSIONS``).  Outside that range, without the wheel, or if RE2 fails
its check at import, every pattern runs on ``re`` and a warning says so.

RE2 is fed a one-byte-per-character ASCII view of the text (typographic
quotes, dashes and spaces become their ASCII twins, other letters and digits
become ``_`` and anything else ``?``), so byte offsets are character offsets
and word boundaries fall where ``re`` puts them.  Patterns run here therefore
match ASCII words: aliases with accented letters belong in patterns that
``re`` runs (``lexicon.Claimant.pattern``).
"""

from __future__ import annotations

import codecs
import functools
import re
import warnings
from collections.abc import Sequence
from typing import Any, Final

#: google-re2 releases this module is tested with (major.minor).
RE2_VERSIONS: Final = ((1, 1),)

_UNSUPPORTED: Final = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=|\\[uUN]|\(\?[a-z]*x")
_ASCII_TWINS: Final = str.maketrans({
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u2007": " ",
})

def _word_or_mark(err: UnicodeError) -> tuple[str, int]:
    """The ASCII view's stand-ins for a run of other characters: ``_`` for a word character
    (what ``\\w`` of ``re`` takes: ``str.isalnum``), ``?`` for anything else."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    run = err.object[err.start:err.end]
    return "".join(["_" if c.isalnum() else "?" for c in run]), err.end


#: The encoding error handler that gives ``ascii_view`` its bytes in one encode (the
#: encoder hands it each run of characters beyond ASCII): a search of the whole text for
#: such characters cost several times more.
ASCII_VIEW_ERRORS: Final = "kit-ascii-view"
codecs.register_error(ASCII_VIEW_ERRORS, _word_or_mark)


def _load_re2() -> tuple[Any, str]:
    """The re2 module if it is usable here, else None and why not.

    Matching goes through the wrapper's C entry point (``_Regexp.Match``: one call
    a match, all group spans at once), which is several times cheaper than the
    wrapper's Python match objects; so does a set (``_Set.Match``); they are not public
    API, hence the version range and the check here that they still answer as expected."""
    try:
        from importlib.metadata import version

        import re2

        found = version("google-re2")
        if tuple(int(p) for p in found.split(".")[:2]) not in RE2_VERSIONS:
            return None, f"google-re2 {found} is not a tested version"
        options = re2.Options()
        options.longest_match = True
        compiled = re2.compile("(a)|(ab)", options)
        spans = compiled._regexp.Match(re2._Anchor.UNANCHORED, b"xab", 0, 3)
        search = re2.Set.SearchSet(re2.Options())
        search.Add(b"b")
        search.Compile()
        if list(spans) != [(1, 3), (-1, -1), (1, 3)] or search.Match(b"ab") != [0] or \
                search._set.Match(b"ab") != [0] or search._set.Match(b"x") != []:
            return None, "google-re2 failed its self-check"
        return re2, ""
    except Exception as err:  # noqa: BLE001 - any failure means: run on re
        return None, f"google-re2 cannot be used ({type(err).__name__}: {err})"


_re2, RE2_PROBLEM = _load_re2()
_UNANCHORED: Final[Any] = _re2._Anchor.UNANCHORED if _re2 is not None else None
_ANCHOR_START: Final[Any] = _re2._Anchor.ANCHOR_START if _re2 is not None else None
if RE2_PROBLEM and "No module named" not in RE2_PROBLEM:
    warnings.warn(f"{RE2_PROBLEM}: the kit runs its patterns on Python's re (slower)",
                  RuntimeWarning, stacklevel=2)


_TWIN_ITEMS: Final = tuple((chr(code), twin) for code, twin in _ASCII_TWINS.items())


def ascii_twins(text: str) -> str:
    """The text with typographic quotes, dashes and spaces as their ASCII twins (what a
    pattern sees; a few replaces run several times faster than ``str.translate``)."""
    for char, twin in _TWIN_ITEMS:
        if char in text:
            text = text.replace(char, twin)
    return text


@functools.lru_cache(maxsize=256)
def ascii_view(text: str) -> bytes:
    """The text as ASCII bytes, one byte per character (offsets unchanged)."""
    if not text.isascii():
        text = ascii_twins(text)
    if text.isascii():
        return text.encode("ascii")
    # Other letters become "_" so \b and \w see a word character, as re does;
    # what is left becomes one "?" each.
    return text.encode("ascii", ASCII_VIEW_ERRORS)


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


#: Distinct matches whose groups a pattern remembers (see ``Pattern._matches``).
GROUP_CACHE_LIMIT: Final = 4_096


class _Groups:
    """The groups of one distinct match: each group's span relative to the match's start
    ((-1, -1) if unset) and the groups that took part."""

    def __init__(self, spans: list[tuple[int, int]], took: tuple[int, ...]):
        self.spans = spans
        self.took = took


class Pattern:
    """A compiled pattern whose matches come as offsets into the text.

    ``spans`` gives ``(start, end)`` of every match, ``firsts`` adds the lowest
    group that took part (the row of a union), ``groups`` every group's span.
    """

    def __init__(self, pattern: str, ignorecase: bool = False, multiline: bool = False,
                 longest: bool = False, engine: str = "auto"):
        """``engine``: "auto" (RE2 where it can run the pattern) or "re" (always ``re``).
        ``longest``: at each place the longest alternative wins (RE2 only)."""
        self.pattern = pattern = pattern.translate(_ASCII_TWINS)  # it sees the ASCII view too
        self._re2: Any = None
        prefix, options = "", None
        if (engine == "auto" and _re2 is not None and not _UNSUPPORTED.search(pattern)
                and pattern.isascii()):
            options = _re2.Options()
            options.log_errors = False
            options.longest_match = longest
            flags = ("i" if ignorecase else "") + ("m" if multiline else "")
            prefix = f"(?{flags})" if flags else ""
            try:
                self._re2 = _re2.compile(prefix + pattern, options)
            except _re2.error:
                self._re2 = None
        if longest and self._re2 is None:
            raise ValueError(f"leftmost-longest matching needs RE2 and an RE2 pattern: {pattern[:80]}")
        self._re = re.compile(pattern, (re.IGNORECASE if ignorecase else 0)
                              | (re.MULTILINE if multiline else 0)) if self._re2 is None else None
        compiled: Any = self._re2 if self._re2 is not None else self._re
        self.groupindex: dict[str, int] = dict(compiled.groupindex)
        self.groups: int = compiled.groups
        # On RE2 a pattern with groups is scanned by its capture-free twin (RE2 then
        # answers from its DFA alone) and the groups of each distinct match are read
        # once, by the full pattern anchored at the match, and remembered: 4% of the
        # whole pipeline on varied news (the alias and cue unions have a group a row).
        self._bare: Any = None
        self._groups_of: dict[tuple[bytes, bool, bool], _Groups] = {}
        self._rows: Sequence[int] | None = None
        self._rows_place: dict[int, int] = {}
        if self._re2 is not None and self.groups:
            bare = _re2.compile(prefix + without_captures(pattern), options)
            self._bare = bare if bare.groups == 0 else None

    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "re"

    def _scan(self, view: bytes, pos: int, endpos: int) -> list[tuple[int, int]]:
        """``(start, end)`` of every RE2 match in ``view[pos:endpos]``, groups not read."""
        scan = self._re2._regexp.Match if self._bare is None else self._bare._regexp.Match
        out: list[tuple[int, int]] = []
        while pos <= endpos:
            s, e = scan(_UNANCHORED, view, pos, endpos)[0]
            if s < 0:
                break
            out.append((s, e))
            pos = e if e > s else e + 1
        return out

    def _relative(self, view: bytes, s: int, e: int, endpos: int) -> _Groups:
        """The groups of the RE2 match ``view[s:e]``, relative to ``s``, read once for each
        distinct match: a regular expression decides its groups from the matched bytes and
        one character on each side (\\b, ^ and $ look no further)."""
        key = (view[s - 1 if s else 0:e + 1], s == 0, e == len(view))
        found = self._groups_of.get(key)
        if found is None:
            rel = [(a - s, b - s) if a >= 0 else (-1, -1)
                   for a, b in self._re2._regexp.Match(_ANCHOR_START, view, s, endpos)]
            found = _Groups(rel, tuple(g for g in range(1, len(rel)) if rel[g][0] >= 0))
            if len(self._groups_of) >= GROUP_CACHE_LIMIT:
                self._groups_of.clear()
            self._groups_of[key] = found
        return found

    def _matches(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        """The spans of every match: the whole match, then each group ((-1, -1) if unset)."""
        endpos = len(text) if endpos is None else endpos
        out: list[Any] = []
        if self._re2 is None:
            assert self._re is not None
            for m in self._re.finditer(ascii_twins(text), pos, endpos):
                out.append(m.regs)
            return out
        view = ascii_view(text)
        if self._bare is None:  # no groups (or no capture-free twin): the scan has them all
            full = self._re2._regexp.Match
            while pos <= endpos:
                spans = full(_UNANCHORED, view, pos, endpos)
                s, e = spans[0]
                if s < 0:
                    break
                out.append(spans)
                pos = e if e > s else e + 1
            return out
        for s, e in self._scan(view, pos, endpos):
            out.append([(a + s, b + s) if a >= 0 else (-1, -1)
                        for a, b in self._relative(view, s, e, endpos).spans])
        return out

    def first(self, text: str, pos: int = 0) -> int:
        """Where the first match at or after ``pos`` starts, or -1."""
        if self._re2 is None:
            assert self._re is not None
            m = self._re.search(ascii_twins(text), pos)
            return m.start() if m else -1
        scan = self._re2._regexp.Match if self._bare is None else self._bare._regexp.Match
        return scan(_UNANCHORED, ascii_view(text), pos, len(text))[0][0]

    def spans(self, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of every match."""
        if self._re2 is None or (self._bare is None and self.groups):
            return [m[0] for m in self._matches(text, pos, endpos)]
        return self._scan(ascii_view(text), pos, len(text) if endpos is None else endpos)

    def firsts(self, text: str, rows: Sequence[int] | None = None) -> list[tuple[int, int, int]]:
        """``(start, end, group)`` of every match, ``group`` the first of ``rows`` (default:
        all groups, in order) that took part in it, 0 if none did."""
        rows = range(1, self.groups + 1) if rows is None else rows
        out = []
        if self._re2 is None or self._bare is None:
            for m in self._matches(text):
                first = 0
                for g in rows:
                    if m[g][0] >= 0:
                        first = g
                        break
                out.append((m[0][0], m[0][1], first))
            return out
        # the groups that took part in a match are few: the first of them in ``rows``
        place = self._places(rows)
        view = ascii_view(text)
        for s, e in self._scan(view, 0, len(view)):
            first, best = 0, len(place) + 1
            for g in self._relative(view, s, e, len(view)).took:
                at = place.get(g, best)
                if at < best:
                    first, best = g, at
            out.append((s, e, first))
        return out

    def _places(self, rows: Sequence[int]) -> dict[int, int]:
        """Each group's place in ``rows`` (remembered for the last rows asked)."""
        if self._rows is not rows:
            self._rows, self._rows_place = rows, {g: k for k, g in enumerate(rows)}
        return self._rows_place

    def groups_of(self, text: str, pos: int = 0,
                  endpos: int | None = None) -> list[Any]:
        """For every match, the spans of the whole match then of each group ((-1, -1) if unset)."""
        return self._matches(text, pos, endpos)


class PatternSet:
    """Rows of patterns asked together: which is the first row that matches the text?

    On RE2 one pass of an RE2 set answers for every row at once; when RE2 cannot
    run some row, each row is tried with ``re`` in order (the same answer).
    """

    def __init__(self, patterns: Sequence[str], ignorecase: bool = False, multiline: bool = False):
        self.rows = [Pattern(p, ignorecase, multiline) for p in patterns]
        self._set: Any = None
        # the set's C entry point (what re2.Set.Match calls after a Python-level check of
        # the text's type), 3,000 instructions a call cheaper
        self._match: Any = None
        if self.rows and all(r.engine == "re2" for r in self.rows):
            options = _re2.Options()
            options.log_errors = False
            flags = ("i" if ignorecase else "") + ("m" if multiline else "")
            self._set = _re2.Set.SearchSet(options)
            try:
                for r in self.rows:
                    self._set.Add(((f"(?{flags})" if flags else "") + r.pattern).encode())
                self._set.Compile()
                self._match = self._set._set.Match
            except _re2.error:
                self._set = None

    @property
    def engine(self) -> str:
        return "re2" if self._set is not None else "re"

    def first(self, text: str, start: int = 0, end: int = -1) -> int:
        """Index of the first row matching anywhere in ``text[start:end]`` (default: all
        of it) as a text of its own, or -1."""
        if self._set is not None:
            view = ascii_view(text)  # the whole text's view is remembered; a piece's is not
            hits = self._match(view if start == 0 and end < 0 else
                               view[start:len(view) if end < 0 else end])
            return min(hits) if hits else -1
        piece = text if start == 0 and end < 0 else text[start:len(text) if end < 0 else end]
        for i, row in enumerate(self.rows):
            if row.spans(piece):
                return i
        return -1


def search_where(pattern: re.Pattern, words: tuple[str, ...], text: str, pos: int = 0,
                 endpos: int | None = None) -> re.Match | None:
    """``pattern.search(text, pos, endpos)``, not tried on an ASCII text without one of
    ``words`` (lower case: a word every match of the case-insensitive ``pattern`` holds).
    For ``re`` patterns whose alternation would be tried at every place of a text that
    mostly cannot match."""
    endpos = len(text) if endpos is None else endpos
    window = text[pos:endpos]
    if window.isascii():
        lower = window.lower()
        if not any(w in lower for w in words):
            return None
    return pattern.search(text, pos, endpos)


def compile(pattern: str, *, ignorecase: bool = False, multiline: bool = False,  # noqa: A001
            longest: bool = False) -> Pattern:
    """``longest``: at each place the longest alternative wins (RE2 only; else ValueError)."""
    return Pattern(pattern, ignorecase, multiline, longest)
