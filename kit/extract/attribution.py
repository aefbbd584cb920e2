"""Claimants: who a figure is attributed to.

News attributes a number with a handful of patterns: "according to X",
"X said / estimated / told reporters", "citing X", "..., said X", a headline
ending ": X" or ", X confirms".  We find every mention of a known claimant
(the alias table, ``claimants.csv``) and of generic roles ("the agency",
"it"), keep those a cue attaches to the sentence, and resolve generic ones to
the claimant named before them.  The most specific originating source wins
over a relay ("Yonhap reported, citing the NIS" -> the NIS).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kit import fastre
from kit.extract.numbers import new_tuple
from kit.lexicon import Lexicon

UNATTRIBUTED = "unattributed"
# What may sit between a claimant and its verb: "the NIS, the country's spy
# agency, said", "Kyiv on Monday said", "the agency has previously said".
GAP_AFTER = re.compile(
    r"^(?:\s*\([^()]{1,40}\))?(?:\s*,[^,.;:!?\"“”]{1,80},)?"
    r"(?:\s+(?:on|last|this|late|early|in|earlier|previously|also|has|have|had|again|now|"
    r"reportedly|publicly|separately|further|then|itself|\w+day|week|month|year|statement|a|"
    r"its|their|recent|briefing|report|also|officially|first)\b)*\s*$",
    re.IGNORECASE,
)
GAP_BEFORE = re.compile(r"^\s*(?:(?:the|a|an|its|their|some|one|two|several|senior|top|an?\s+\w+)\s+)?$",
                        re.IGNORECASE)
NAME_AFTER = re.compile(r"\s*((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)")
NAME_BEFORE = re.compile(r"([A-Z][\w'’.-]*(?:\s+(?:(?:of|for|and|the|de|al|von|van)\s+)?[A-Z][\w'’.-]*){0,5})"
                         r"\s*(?:,[^,]{1,80},\s*)?$")
# "the union said", "a regional official told reporters": an agent the alias
# table does not know, written in lower case.  Things that "show" or "say"
# without being sources are left out.
AGENT_BEFORE = re.compile(r"\b((?:the|a|an)\s+(?:[a-z][\w'’-]*\s+){0,2}[a-z][\w'’-]*)\s*(?:,[^,]{1,80},\s*)?$")
NOT_AGENTS = frozenset("""figure figures number numbers estimate estimates report reports data video
    videos footage image images photo photos statement statements document documents analysis study
    survey article story news move decision deal agreement treaty letter post message list table
    map count tally total""".split())
NOT_NAMES = frozenset("""The A An It He She They This That These Those Its His Her Their We I
    But And Or So In On At As If When While Officials Analysts Experts Sources Authorities""".split())
POSSESSIVE = re.compile(r"['’]s\s+(?:own\s+|the\s+)?")
INVERTIBLE = frozenset({"said", "says", "told", "say"})
INVERSION = re.compile(r"[,\"”’']\s*$")
HEADLINE_TAIL = re.compile(r"(?::|—|–|-)\s*$")


class Mention(NamedTuple):
    """A claimant named (or a generic role) in a sentence."""

    start: int  # offsets within the sentence
    end: int
    text: str
    canonical: str | None  # None until a generic mention is resolved
    kind: str  # origin | relay
    country: str
    role: str
    generic: bool


def _raw_mentions(text: str, lex: Lexicon) -> list[Mention]:
    """Every name of the alias tables matching at a place where one of them starts.

    Usually one leftmost-longest RE2 pass does it all (``_longest_mentions``).
    When RE2 cannot run the alias table (an analyst's pattern with a
    look-around, or no RE2 wheel), one pass of the union finds the starting
    places and each table row is tried only there, so overlapping names can
    still be compared by length; tests/test_attribution.py checks both agree.
    """
    if lex.mention_longest is not None:
        return _longest_mentions(text, lex.mention_longest, lex)
    found: list[Mention] = []
    n = len(lex.claimants)
    for p, _, group in lex.mention_any.firsts(text, lex.mention_groups):
        # Rows before the one the union chose cannot match here (it tries them in order).
        first = lex.mention_row[group]
        for c in lex.claimants[first:]:
            m = c.pattern.match(text, p)
            if m:
                found.append(Mention(p, m.end(), m.group(), c.canonical, c.kind, c.country,
                                     c.role, False))
        for role, pattern in lex.roles[max(0, first - n):]:
            m = pattern.match(text, p)
            if m:
                found.append(Mention(p, m.end(), m.group(), None, "origin", "", role, True))
    found.sort(key=lambda m: (m.start, -(m.end - m.start), m.generic))
    return found


def _longest_mentions(text: str, longest: fastre.Pattern, lex: Lexicon) -> list[Mention]:
    """The same mentions from one leftmost-longest pass: the longest name at each place."""
    found: list[Mention] = []
    n = len(lex.claimants)
    for p, e, group in longest.firsts(text, lex.mention_groups):
        row = lex.mention_row[group]
        if row < n:
            c = lex.claimants[row]
            found.append(new_tuple(Mention, (p, e, text[p:e], c.canonical, c.kind, c.country, c.role,
                                             False)))
        else:
            found.append(new_tuple(Mention, (p, e, text[p:e], None, "origin", "", lex.roles[row - n][0],
                                             True)))
    return found


def _tidy(sentence: str, found: list[Mention]) -> list[Mention]:
    """Drop overlapped mentions (longer wins) and fold possessors into what they own."""
    kept: list[Mention] = []
    for m in found:
        if kept and m.start < kept[-1].end:
            continue
        prev = kept[-1] if kept else None
        if prev and not m.generic and POSSESSIVE.fullmatch(sentence[prev.end:m.start]):
            # "South Korea's National Intelligence Service": the possessor is not the speaker
            kept[-1] = m._replace(start=prev.start, text=sentence[prev.start:m.end])
            continue
        kept.append(m)
    return kept


def find_mentions(sentence: str, lex: Lexicon) -> list[Mention]:
    """Named claimants and generic roles in a sentence; longer matches win overlaps."""
    return _tidy(sentence, _raw_mentions(sentence, lex))


class Cue(NamedTuple):
    start: int
    end: int
    word: str


def _cues(pattern, sentence: str) -> list[Cue]:
    """Every attribution cue of a sentence, found once and reused for each mention."""
    return [new_tuple(Cue, (s, e, sentence[s:e].lower())) for s, e in pattern.spans(sentence)]


def _cue_after(sentence: str, end: int, after: list[Cue]) -> bool:
    """ "X said", "X, the country's spy agency, estimated": a cue right after the mention."""
    for cue in after:
        if cue.start >= end:
            return cue.start <= end + 140 and bool(GAP_AFTER.match(sentence[end:cue.start]))
    return False


def _cue_before(sentence: str, start: int, before: list[Cue]) -> bool:
    """ "according to X", "citing X"; "said X" only inverted after a comma or quote."""
    for cue in before:
        if (start - 60 <= cue.start and cue.end <= start
                and GAP_BEFORE.match(sentence[cue.end:start]) and _inverted_ok(sentence, cue)):
            return True
    return False


def _inverted_ok(sentence: str, cue: Cue) -> bool:
    """ "..., said X" names X; "the agency said North Korea planned" does not name North Korea."""
    return cue.word not in INVERTIBLE or bool(
        INVERSION.search(sentence, max(0, cue.start - 3), cue.start))


def _headline(sentence: str, m: Mention) -> bool:
    """ "...: Zelensky" — the claimant closes the sentence after a colon or dash."""
    for k in range(m.end, len(sentence)):  # only closing marks after it (no slice of the rest)
        if sentence[k] not in " .'\"”’":
            return False
    return bool(HEADLINE_TAIL.search(sentence[:m.start]))


def attributed(sentence: str, lex: Lexicon, mentions: list[Mention] | None = None) -> list[Mention]:
    """Mentions a cue attaches to the sentence, plus unknown named speakers ("Dr X said")."""
    mentions = find_mentions(sentence, lex) if mentions is None else mentions
    after, before = _cues(lex.cues_after, sentence), _cues(lex.cues_before, sentence)
    out = [m for m in mentions
           if _cue_after(sentence, m.end, after) or _cue_before(sentence, m.start, before)
           or _headline(sentence, m)]
    if out:
        return out
    return _unknown_speakers(sentence, mentions, after, before)


def _unknown_speakers(sentence: str, mentions: list[Mention], after: list[Cue],
                      before: list[Cue]) -> list[Mention]:
    """A capitalised name next to a cue that the alias table does not know."""
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for cue in after:
        m = NAME_BEFORE.search(sentence, max(0, cue.start - 160), cue.start)
        # (one word at sentence start is likely not a name)
        if (m and m.group(1).split()[0] not in NOT_NAMES and not _overlaps(m.span(1), taken)
                and (m.start(1) > 0 or " " in m.group(1))):
            out.append(Mention(m.start(1), m.end(1), m.group(1), m.group(1), "origin", "", "", False))
            continue
        m = AGENT_BEFORE.search(sentence, max(0, cue.start - 160), cue.start)
        if m and m.group(1).split()[-1].lower() not in NOT_AGENTS and not _overlaps(m.span(1), taken):
            out.append(Mention(m.start(1), m.end(1), m.group(1), m.group(1), "origin", "", "", False))
    for cue in before:
        if not _inverted_ok(sentence, cue):
            continue
        m = NAME_AFTER.match(sentence, cue.end)
        if m and m.group(1).split()[0] not in NOT_NAMES and not _overlaps(m.span(1), taken):
            out.append(Mention(m.start(1), m.end(1), m.group(1), m.group(1), "origin", "", "", False))
    return out


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def resolve(mention: Mention, before: list[Mention], history) -> Mention | None:
    """Give a generic mention ("the agency", "it") the claimant it stands for.

    Looks first at named mentions earlier in the same sentence (its subject
    first), then at ``history``: claimants named earlier, newest first.
    """
    if not mention.generic:
        return mention
    for pool in (before, history):
        for cand in pool:
            if cand.generic or cand.canonical is None:
                continue
            if mention.role in ("any", cand.role):
                return mention._replace(canonical=cand.canonical, kind=cand.kind,
                                        country=cand.country)
    return None


def choose(mentions: list[Mention], figure_at: int) -> Mention | None:
    """The most specific source: an origin over a relay, then the nearest to the figure."""
    named = [m for m in mentions if m.canonical]
    if not named:
        return None
    origins = [m for m in named if m.kind != "relay"] or named
    return min(origins, key=lambda m: (m.generic, abs(m.start - figure_at), m.start))


#: How many sentences back a generic mention ("the agency", "it") looks for its claimant.
LOOKBACK = 40


class Attributor:
    """Attribution for the sentences of one article, computed lazily.

    Only the sentences a figure needs are read: its own, its neighbours, and
    as far back as it takes to resolve "the agency" or "it" to a claimant
    named earlier.  Each result is cached.
    """

    def __init__(self, text: str, spans: list[tuple[int, int]], lex: Lexicon, paragraph_of: list[int]):
        self.text, self.spans, self.lex = text, spans, lex
        self.paragraph_of = paragraph_of
        self._sentences: dict[int, str] = {}  # one string per sentence: RE2's view of it is cached by it
        self._mentions: dict[int, list[Mention]] = {}
        self._resolved: dict[int, tuple[list[Mention], bool]] = {}
        self._named: dict[int, list[Mention]] = {}  # claimants each earlier sentence offers

    def sentence(self, i: int) -> str:
        found = self._sentences.get(i)
        if found is None:
            s_start, s_end = self.spans[i]
            found = self._sentences[i] = self.text[s_start:s_end]
        return found

    def mentions(self, i: int) -> list[Mention]:
        if i not in self._mentions:
            self._mentions[i] = find_mentions(self.sentence(i), self.lex)
        return self._mentions[i]

    def _named_before(self, i: int):
        """Named claimants of earlier sentences, newest first (attributed ones first in each).

        At most ``LOOKBACK`` sentences back: "the agency" refers to someone named
        recently, and an unbounded walk makes a long article quadratic."""
        for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
            if j not in self._named:
                named = [m for m in self.mentions(j) if not m.generic]
                said = [m for m in attributed(self.sentence(j), self.lex, self.mentions(j))
                        if not m.generic] if named else []
                self._named[j] = list(reversed(said or named))
            yield from self._named[j]

    def resolved(self, i: int) -> tuple[list[Mention], bool]:
        """Attributed claimants of sentence ``i``, and whether all came by anaphora."""
        if i not in self._resolved:
            sentence, mentions = self.sentence(i), self.mentions(i)
            named = [m for m in mentions if not m.generic]
            out, generic_only = [], True
            for m in attributed(sentence, self.lex, mentions):
                r = m if not m.generic else resolve(m, [n for n in named if n.end <= m.start],
                                                    self._named_before(i))
                if r is None and m.role != "any":
                    r = m._replace(canonical=m.text)  # "the ministry said", nobody named: keep its words
                if r is not None:
                    out.append(r)
                    generic_only &= m.generic
            self._resolved[i] = (out, bool(out) and generic_only)
        return self._resolved[i]

    def claimant(self, i: int, figure_at: int) -> Mention | None:
        """Who sentence ``i``'s figure at ``figure_at`` is attributed to, with carry-over.

        Own sentence first; else a next sentence of the same paragraph that
        attributes by anaphora ("the agency said"); else the previous sentence
        of the same paragraph; else the next one.
        """
        own = choose(self.resolved(i)[0], figure_at)
        if own:
            return own
        para = self.paragraph_of[i]
        nxt, prev = i + 1, i - 1
        has_next = nxt < len(self.spans) and self.paragraph_of[nxt] == para
        if has_next and self.resolved(nxt)[1]:
            return choose(self.resolved(nxt)[0], 0)
        if prev >= 0 and self.paragraph_of[prev] == para and self.resolved(prev)[0]:
            return choose(self.resolved(prev)[0], self.spans[prev][1] - self.spans[prev][0])
        if has_next:
            return choose(self.resolved(nxt)[0], 0)
        return None
