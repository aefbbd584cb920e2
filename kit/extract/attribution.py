"""Claimants: who a figure is attributed to, read from the reporting frames of a paragraph.

News attributes a number with a reporting frame: a speaker and a reporting verb
or phrase ("the ministry said", "said a spokeswoman for the Red Cross",
"according to the latest update from X", "police put the turnout at N",
"citing X", "X: ..." in a headline).  For each sentence the frames are found
from the cues (``attribution_cues.csv``: ``after`` cues follow the speaker,
``before`` cues precede it) and the speaker phrase next to each cue is read:

* a name of the alias table (``claimants.csv``) inside the phrase gives its
  canonical name ("NIS Director Cho" -> the NIS);
* "a spokesperson for X", "a member of X", "officials at X" speak for X;
* a role noun or pronoun ("the agency", "the ministry", "he", "the leader")
  is resolved to the nearest earlier speaker or named claimant of the same
  kind in the article (``claimant_roles.csv``); when there is none it is kept
  as written;
* any other speaker is the phrase as written ("police", "organisers", "a
  local hospital director"), never a fragment: weekdays, months and
  nationalities alone are not speakers, nor a noun that is no source ("the
  death toll").

A figure takes the frame of its own clause (in "police counted 28,000 while
organisers claimed 87,000" each number has its own speaker), else, in order:
the speaker of the quotation it stands in (named after the quote, or in the
sentence before it), a frame of an earlier sentence of its paragraph (the lead
names the source, figures follow), a next sentence of the paragraph that only
attributes ("The estimate was given by X"), and the paragraph before it when
that one leads into a list.  The most specific originating source wins over a
relay: a wire or lawmaker citing or briefed by X gives X.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from kit import fastre
from kit.extract.numbers import new_tuple
from kit.extract.speakers import (GLUE, NOT_NAMES, ORG_WORDS, OWNED, PRONOUNS, Mention,
                                  clean, find_mentions, is_speaker_word, mentions_by_sentence,
                                  phrase_after, phrase_before, resolve_phrase)
from kit.lexicon import Lexicon

UNATTRIBUTED: Final = "unattributed"
#: How many sentences back a role noun ("the agency", "he") looks for its referent.
LOOKBACK: Final = 40
#: The article's first sentences (headline, standfirst, lead): their subjects stay referents.
LEAD: Final = 4


class Cue(NamedTuple):
    start: int
    end: int
    word: str


# --------------------------------------------------------------------------- frames

class Frame(NamedTuple):
    """A speaker attached to a sentence by a reporting cue."""

    start: int  # where the speaker phrase starts in the sentence
    at: int  # where the cue is (the frame's position, for the nearest-frame choice)
    text: str  # the speaker phrase as written
    canonical: str  # the claimant's name
    kind: str  # origin | relay
    role: str  # the knowledge files' role, or the phrase's head noun
    generic: bool  # a role noun or pronoun still to resolve


_CITING: Final = frozenset({"citing", "quoting", "cited by", "according to"})
_CITING_BEFORE: Final = re.compile(r"\b(?:citing|quoting|according to)\s+(?:[\w'’-]+\s+){0,6}$",
                            re.IGNORECASE)
INVERTIBLE: Final = frozenset({"said", "says", "told", "say", "added", "stated", "explained"})
_INVERSION: Final = re.compile(r"[,\"”’']\s*$")
_BRIEFED: Final = re.compile(r"\b(?:briefing|briefed|briefings|closed-door (?:session|meeting)) "
                      r"(?:by|from|with)\s+", re.IGNORECASE)
_OWNER_COUNT: Final = re.compile(r"['’]s\s+(?:(?:latest|new|own|official|daily|updated|last|"
                          r"provisional|preliminary|final)\s+)*(?:figure|figures|count|tally|"
                          r"estimate|estimates|toll|data|numbers|records|calculations?)\b")
_SOURCE_OF: Final = re.compile(r"\b(?:estimate|estimates|statement|figures|data|tally|report|update|"
                        r"count|assessment|numbers)\s+(?:from|by|released by|"
                        r"published by|issued by|of)\s+", re.IGNORECASE)
_BY_CUE: Final = re.compile(r"\b(?:was|were|is|are|has been|have been|had been)\s+(?:given|provided|"
                     r"released|published|confirmed|put out|issued|reported|announced)\s+by\s+",
                     re.IGNORECASE)
# One quick look for any of the four forms above (most sentences have none).
_EXTRA_CUES: Final = fastre.compile("|".join(f"(?:{p.pattern})" for p in (_OWNER_COUNT, _SOURCE_OF,
                                                                    _BY_CUE, _BRIEFED)),
                             ignorecase=True)
_RELATIVE: Final = re.compile(r",\s+(?:which|who|whom|where)\b", re.IGNORECASE)
#: Verbs of estimating that a gapped clause leaves out: "police put the crowd at 3,500,
#: organisers at more than 10,000".
_ESTIMATING: Final = frozenset({"put", "puts", "put the number", "put the figure", "estimated",
                                "estimates", "estimate", "gave", "gives", "counted", "counts"})
#: The speaker of a gapped clause, between a clause break and "at" before a number.
_GAPPED: Final = re.compile(
    r"(?:[,;]\s+(?:(?:and|while|but|whereas)\s+)?|\s+(?:and|while|but|whereas)\s+)"
    r"(?P<who>[^\W\d][\w'’.-]*(?:\s+[\w'’.-]+){0,4}?)\s+(?P<at>at)\s+(?=(?:about|around|"
    r"roughly|some|nearly|almost|more than|over|under|fewer than|less than|at least|"
    r"up to|as many as|just|only|\d))", re.IGNORECASE)
#: A clause break right before a frame ("..., and the ministry said"): a figure after it
#: is the new clause's.
_CLAUSE_LEAD: Final = re.compile(r"(?:[,;]\s*(?:(?:and|while|but|whereas)\s+)?|"
                                 r"\s+(?:and|while|but|whereas)\s+)$", re.IGNORECASE)
_CONTRAST: Final = re.compile(r";\s+|,?\s+\b(?:while|whereas|but|although|though)\b\s+", re.IGNORECASE)
_HEADLINE_SOURCE: Final = re.compile(r"^\s*(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*:\s+\S")
_HEADLINE_TAIL: Final = re.compile(r"(?::|\s[—–-])\s+(?P<who>[^:—–]{2,60}?)\s*$")
_HEADLINE_SAYS: Final = re.compile(r",\s+(?:says|say|said|claims|warns)\s+(?P<who>[^,]{2,60}?)\s*$")
_OUTLET_TAIL: Final = re.compile(r"\s+\|\s+[^|]{1,60}$")


def _cues(pattern: fastre.Pattern, sentence: str) -> list[Cue]:
    return [new_tuple(Cue, (s, e, sentence[s:e].lower())) for s, e in pattern.spans(sentence)]


#: Words that may stand between a speaker and its verb ("the agency on Monday also said").
GAP_WORDS: Final = frozenset("""on last this late early in earlier previously also has have had again now
    reportedly publicly separately further then itself week month year a its their recent briefing
    statement report officially first would will could did does do not never already later only
    just monday tuesday wednesday thursday friday saturday sunday today yesterday""".split())


def _word_back(text: str, lo: int, end: int) -> int:
    r"""Where the run of word characters (letters, digits, _, ' ’ -) ending at ``end`` starts,
    not before ``lo`` (``end`` when there is none): a walk back, where a search for
    ``[\w'’-]+$`` would try every place of the window."""
    k = end
    while k > lo:
        c = text[k - 1]
        if not (c.isalnum() or c in "_'’-"):
            break
        k -= 1
    return k


def _speaker_end(sentence: str, cue: int) -> int:
    """Where the speaker phrase before a cue ends: adverbs and auxiliaries ("on Monday",
    "has"), an apposition (", the country's spy agency,") and a parenthesis ("(NIS)")
    are skipped, reading back from the cue."""
    end = cue
    while True:
        k = end
        while k > 0 and sentence[k - 1].isspace():
            k -= 1
        w = _word_back(sentence, max(0, k - 30), k)
        if w == k or sentence[w:k].lower() not in GAP_WORDS:
            break
        end = w
    k = len(sentence[:end].rstrip())
    if k and sentence[k - 1] == ",":  # ", the country's spy agency,"
        opening = sentence.rfind(",", max(0, k - 82), k - 1)
        if opening >= 0 and not any(c in sentence[opening + 1:k - 1] for c in '.;:!?"“”'):
            end = opening
            k = len(sentence[:end].rstrip())
    if k and sentence[k - 1] == ")":  # "the National Intelligence Service (NIS) said"
        opening = sentence.rfind("(", max(0, k - 42), k - 1)
        if opening >= 0 and ")" not in sentence[opening:k - 1]:
            end = opening
    return end


class SentenceCues(NamedTuple):
    """A sentence's reporting cues, found once: speaker before (``after``), speaker after
    (``before``), and whether any of the other forms may be there (``extra``)."""

    after: list[Cue]
    before: list[Cue]
    extra: bool


def sentence_cues(sentence: str, lex: Lexicon) -> SentenceCues:
    if not lex.cues_any.spans(sentence):
        return new_tuple(SentenceCues, ([], [], bool(_EXTRA_CUES.spans(sentence))))
    return new_tuple(SentenceCues, (_cues(lex.cues_after, sentence),
                                    _cues(lex.cues_before, sentence),
                                    bool(_EXTRA_CUES.spans(sentence))))


def cues_by_sentence(text: str, spans: list[tuple[int, int]], lex: Lexicon) -> list[SentenceCues]:
    """``sentence_cues`` of every sentence, from one pass of each pattern over the text."""
    found = [_bucket(text, lex.cues_after.spans(text), spans),
             _bucket(text, lex.cues_before.spans(text), spans),
             _bucket(text, _EXTRA_CUES.spans(text), spans)]
    return [new_tuple(SentenceCues, (a, b, bool(x))) for a, b, x in zip(*found)]


def _bucket(text: str, matches: list[tuple[int, int]],
            spans: list[tuple[int, int]]) -> list[list[Cue]]:
    """The matches of each sentence, as cues with offsets within it."""
    out: list[list[Cue]] = []
    k = 0
    for s_start, s_end in spans:
        while k < len(matches) and matches[k][0] < s_start:
            k += 1
        mine = []
        j = k
        while j < len(matches) and matches[j][0] < s_end:
            s, e = matches[j]
            if e <= s_end:
                mine.append(new_tuple(Cue, (s - s_start, e - s_start, text[s:e].lower())))
            j += 1
        out.append(mine)
    return out


def _add(out: list[Frame], taken: list[tuple[int, int]], lex: Lexicon, start: int, at: int,
         phrase: str) -> bool:
    """Add the frame of ``phrase`` (at ``start``) unless it overlaps one already read or
    names nobody; whether it was added."""
    end = start + len(phrase)
    for s, e in taken:
        if start < e and s < end:
            return False
    found = resolve_phrase(phrase, lex)
    if found is None:
        return False
    out.append(new_tuple(Frame, (start, at, phrase, found[0], found[1], found[2], found[3])))
    taken.append((start, end))
    return True


def frames_of(sentence: str, lex: Lexicon, first: bool = False,
              cues: SentenceCues | None = None) -> list[Frame]:
    """The reporting frames of one sentence (``first``: the article's headline line;
    ``cues``: its cues, when already found)."""
    cues = sentence_cues(sentence, lex) if cues is None else cues
    out: list[Frame] = []
    taken: list[tuple[int, int]] = []

    if not cues.after and not cues.before and not cues.extra:
        # no reporting cue at all: at most a headline's "...: X"
        if first or (len(sentence) < 160 and sentence.rstrip()[-1:] not in ".\"”"):
            return _headline_frames(sentence, lex, out)
        return out
    for cue in cues.after:
        if cue.start == 0:
            continue
        # what stands between the speaker and its verb: "the NIS, the spy agency, said"
        end = _speaker_end(sentence, cue.start)
        owned = OWNED.search(sentence, 0, end) if sentence.find("'s", 0, end) >= 0 or \
            sentence.find("’s", 0, end) >= 0 else None
        if owned:  # "the agency's latest tally shows": the agency
            end = owned.start()
        found = phrase_before(sentence, end)
        if found:
            _add(out, taken, lex, found[0], cue.start, found[1])
    citing = 0
    for cue in cues.before:
        if cue.word in INVERTIBLE and not _INVERSION.search(sentence, max(0, cue.start - 3),
                                                           cue.start):
            continue  # "the agency said North Korea planned": not an inverted "said X"
        found = phrase_after(sentence, cue.end)
        if found and _add(out, taken, lex, found[0], cue.start, found[1]) and cue.word in _CITING:
            citing += 1
    if cues.extra:
        citing += _extra_frames(sentence, lex, out, taken)
    for cue in cues.after:  # "police put the crowd at 3,500, organisers at more than 10,000"
        if cue.word in _ESTIMATING:  # (after the frames of cues: they win an overlap)
            for m in _GAPPED.finditer(sentence, cue.end):
                _add(out, taken, lex, m.start("who"), m.start("at"), m.group("who"))
    if citing:  # "the Courier, quoting two US officials, said": the Courier only relays
        origins = {f.start for f in out if f.kind == "origin" and (
            _CITING_BEFORE.search(sentence, max(0, f.start - 40), f.start)
            or _BRIEFED.search(sentence, max(0, f.start - 60), f.start))}
        out = [f if f.start in origins else f._replace(kind="relay") for f in out]
    if first or (not out and len(sentence) < 160 and sentence.rstrip()[-1:] not in ".\"”"):
        out += _headline_frames(sentence, lex, out)  # a headline or a live blog's heading
    return out


def _extra_frames(sentence: str, lex: Lexicon, out: list[Frame],
                  taken: list[tuple[int, int]]) -> int:
    """Frames of owned counts, "an estimate from X", "given by X" and briefings; returns
    how many briefing sources it found (what they relay is not the origin)."""
    briefings = 0
    for m in _OWNER_COUNT.finditer(sentence):  # "the government's figure stood at 44"
        found = phrase_before(sentence, m.start())
        if found:
            _add(out, taken, lex, found[0], m.start(), found[1])
    for m in _SOURCE_OF.finditer(sentence):  # "an estimate from the coastguard which said"
        found = phrase_after(sentence, m.end())
        if found:
            _add(out, taken, lex, found[0], m.start(), found[1])
    for m in _BY_CUE.finditer(sentence):
        found = phrase_after(sentence, m.end())
        if found:
            _add(out, taken, lex, found[0], m.start(), found[1])
    for m in _BRIEFED.finditer(sentence):  # a briefing by X: X originates what follows
        found = phrase_after(sentence, m.end())
        if found and _add(out, taken, lex, found[0], m.start(), found[1]):
            briefings += 1
            out[-1] = out[-1]._replace(role="briefing")
    return briefings


def _headline_frames(sentence: str, lex: Lexicon, have: list[Frame]) -> list[Frame]:
    """"...: Shoigu", "..., says health ministry" and "Kyiv: ..." as headlines write them."""
    line = _OUTLET_TAIL.sub("", sentence.rstrip())
    out = []
    tail = _HEADLINE_TAIL.search(line)
    if tail and not any(c.isdigit() for c in tail.group("who")):
        who = clean(tail.group("who"))
        found = resolve_phrase(who, lex) if who and len(who.split()) <= 6 else None
        if found and not found[3] and who[0].isupper():
            out.append(new_tuple(Frame, (tail.start("who"), tail.start("who"), who, found[0], found[1],
                             found[2], False)))
    says = _HEADLINE_SAYS.search(line)
    if says:
        who = clean(says.group("who"))
        found = resolve_phrase(who, lex)
        if found:
            out.append(new_tuple(Frame, (says.start("who"), says.start(), who, found[0], found[1], found[2],
                             found[3])))
    lead = _HEADLINE_SOURCE.match(line)
    if lead and not out:
        who = lead.group("who")
        found = resolve_phrase(who, lex)
        if found and not found[3] and who not in NOT_NAMES:
            out.append(new_tuple(Frame, (0, 0, who, found[0], found[1], found[2], False)))
    return [f for f in out if not any(f.start == h.start for h in have)]


def attributed(sentence: str, lex: Lexicon, mentions: list[Mention] | None = None) -> list[Mention]:
    """The speakers a sentence's own frames name, as mentions (offsets in the sentence)."""
    return [Mention(f.start, f.start + len(f.text), f.text, f.canonical, f.kind, "", f.role,
                    f.generic) for f in frames_of(sentence, lex)]


# --------------------------------------------------------------------------- the article



class Attributor:
    """Attribution for the sentences of one article, computed lazily."""

    def __init__(self, text: str, spans: list[tuple[int, int]], lex: Lexicon,
                 paragraph_of: list[int], upto: int = -1, dense: bool = True):
        """``dense`` (many sentences hold figures): the names and reporting cues of the
        sentences before ``upto`` (default: all) are read in one pass over that part of
        the article, on first use; otherwise, and for later sentences, one sentence at a
        time as they are asked for.  Attribution looks back (role nouns walk back over
        many sentences) and at most three sentences ahead, so ``upto`` is three past the
        last sentence with a figure: a long article whose figures come early is not read
        to its end."""
        self.text, self.spans, self.lex = text, spans, lex
        self.paragraph_of = paragraph_of
        self.upto = len(spans) if upto < 0 else min(upto, len(spans))
        self._sentences: dict[int, str] = {}
        self._frames: dict[int, list[Frame]] = {}
        self.dense = dense
        self._one_by_one: dict[int, list[Mention]] = {}
        self._mentions: list[list[Mention]] | None = None
        self._cues: list[SentenceCues] | None = None
        self._titled: list[list[tuple[int, str]]] | None = None
        self._offered: dict[int, list[Frame]] = {}
        self._picked: dict[tuple[int, int], Frame] = {}
        self._leads: dict[int, Frame | None] = {}
        self._subjects: dict[int, Frame | None] = {}

    def sentence(self, i: int) -> str:
        found = self._sentences.get(i)
        if found is None:
            s_start, s_end = self.spans[i]
            found = self._sentences[i] = self.text[s_start:s_end]
        return found

    def mentions(self, i: int) -> list[Mention]:
        """Sentence ``i``'s names (all sentences are read in one pass, on first use)."""
        if i >= self.upto or not self.dense:
            found = self._one_by_one.get(i)
            if found is None:
                found = self._one_by_one[i] = find_mentions(self.sentence(i), self.lex)
            return found
        if self._mentions is None:
            self._mentions = mentions_by_sentence(self._head(), self.spans[:self.upto],
                                                  self.lex)
        return self._mentions[i]

    def _head(self) -> str:
        """The article up to the sentence after the ones read in one pass."""
        return self.text if self.upto >= len(self.spans) else \
            self.text[:self.spans[self.upto][0]]

    def _resolve(self, i: int, frame: Frame) -> Frame:
        if not frame.generic:
            return frame
        for cand in reversed(self._frames_raw(i)):  # "the NIS said it believes": the NIS
            if cand.start < frame.start and not cand.generic and _compatible(frame, cand):
                return _meaning(frame, cand)
        if frame.text.lower() in PRONOUNS and i > 0:
            # a lawmaker briefed by X, or the subject of the sentence before
            for cand in self._frames_raw(i - 1):
                if cand.role == "briefing":
                    return _meaning(frame, cand)
            lead = self._lead(i - 1)
            if lead is not None and _compatible(frame, lead):
                return _meaning(frame, lead)
        referent = self._referent(i, frame)
        if referent is None:
            return frame
        return _meaning(frame, referent)

    def _referent(self, i: int, frame: Frame) -> Frame | None:
        """The nearest named speaker or claimant before ``frame`` (in sentence ``i``) that it
        can refer to; a relay only when no origin is found."""
        relay: Frame | None = None
        for m in self.mentions(i):  # the sentence's subject (its first name) before later ones
            if m.generic or m.end > frame.start:
                continue
            cand = new_tuple(Frame, (m.start, m.start, m.text, m.canonical or m.text, m.kind,
                                     m.role, False))
            if _compatible(frame, cand):
                if cand.kind != "relay":
                    return cand
                if relay is None:
                    relay = cand
        para = self.paragraph_of[i]
        for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
            for cand in self._candidates(j):
                if _compatible(frame, cand):
                    if cand.kind != "relay":
                        return cand
                    if relay is None:
                        relay = cand
            if j < LEAD or self.paragraph_of[j] == para:
                # the subject of a sentence of the lead or of this paragraph ("Riverside
                # Relief Trust opened ..."), when no cue made it a speaker already
                lead = self._subject_of(j)
                if lead is not None and _compatible(frame, lead):
                    if lead.kind != "relay":
                        return lead
                    if relay is None:
                        relay = lead
        return relay

    def _subject_of(self, j: int) -> Frame | None:
        """Sentence ``j``'s subject as a referent, unless a cue already made it a speaker."""
        if j not in self._subjects:
            lead = self._lead(j)
            self._subjects[j] = None if lead is None or any(
                f.start == 0 for f in self._candidates(j)) else lead
        return self._subjects[j]

    def _candidates(self, j: int) -> list[Frame]:
        """The speakers sentence ``j`` offers to a later role noun or pronoun, last first."""
        found = self._offered.get(j)
        if found is None:
            own = [f for f in self._frames_raw(j) if not f.generic]
            named = [new_tuple(Frame, (m.start, m.start, m.text, m.canonical or m.text, m.kind, m.role, False))
                     for m in self.mentions(j) if not m.generic]
            people = [new_tuple(Frame, (s, s, w, w, "origin", "person", False))
                      for s, w in self._people(j)]
            found = self._offered[j] = sorted(own + named + people, key=lambda f: -f.start)
        return found

    def _lead(self, j: int) -> Frame | None:
        if j not in self._leads:
            self._leads[j] = _lead_phrase(self.sentence(j), self.lex)
        return self._leads[j]

    def _people(self, j: int) -> list[tuple[int, str]]:
        """People named with a title in sentence ``j`` (one pass over the article)."""
        if self._titled is None:
            found = _PERSON_SCAN.spans(self.text)
            self._titled = [[(s - a, self.text[s:e]) for s, e in found if a <= s and e <= b]
                            for a, b in self.spans] if found else [[] for _ in self.spans]
        return self._titled[j]

    def _frames_raw(self, j: int) -> list[Frame]:
        if j not in self._frames:
            if j >= self.upto or not self.dense:
                self._frames[j] = frames_of(self.sentence(j), self.lex, j == 0)
                return self._frames[j]
            if self._cues is None:  # the sentences' cues in one pass
                self._cues = cues_by_sentence(self._head(), self.spans[:self.upto], self.lex)
            self._frames[j] = frames_of(self.sentence(j), self.lex, j == 0, self._cues[j])
        return self._frames[j]

    def claimant(self, i: int, figure_at: int) -> Mention | None:
        """Who sentence ``i``'s figure at ``figure_at`` is attributed to (see the module doc)."""
        return self.attribute(i, figure_at)[0]

    def attribute(self, i: int, figure_at: int) -> tuple[Mention | None, list[str]]:
        """The claimant of sentence ``i``'s figure at ``figure_at``, and why it may be wrong
        (for the figure's confidence): taken from another sentence, or a role noun or
        pronoun taken to mean an earlier speaker, or one that names nobody before it."""
        reasons: list[str] = []
        frame = self._own(i, figure_at)
        if frame is None:
            frame = self._quoted(i, figure_at)
            if frame is not None:
                reasons.append("claimant: the speaker of a quotation, named in another sentence")
        if frame is None:
            frame = self._carried(i)
            if frame is not None:
                reasons.append("claimant: named in another sentence of the paragraph")
        if frame is None:
            return None, ["claimant: no speaker found in its sentence or paragraph"]
        written = resolve_phrase(frame.text, self.lex)
        if written is not None and written[3]:  # a role noun or pronoun
            if frame.generic:
                reasons.append(f"claimant: '{frame.text}' names no speaker before it")
            else:
                reasons.append(f"claimant: '{frame.text}' taken to mean {frame.canonical}")
        elif _FRAGMENT.match(frame.text):
            reasons.append(f"claimant: '{frame.text}' read as written, a phrase rather than "
                           "a name")
        return new_tuple(Mention, (frame.start, frame.start + len(frame.text), frame.text,
                                   frame.canonical, frame.kind, "", frame.role, False)), reasons

    def _pick(self, i: int, frames: list[Frame], figure_at: int) -> Frame | None:
        """The most specific source among sentence ``i``'s ``frames`` (an origin over a relay,
        then a named speaker over a role noun, then the nearest),
        resolved; a pronoun that names nobody is passed over.  Only the frame chosen
        is resolved: a walk back through the article costs, and most frames are not used."""
        origins = [f for f in frames if f.kind != "relay"] or frames
        for frame in sorted(origins, key=lambda f: (f.generic, abs(f.at - figure_at), f.start)):
            key = (i, frame.start)
            found = self._picked.get(key)
            if found is None:
                found = self._picked[key] = self._resolve(i, frame)
            if not (found.generic and found.text.lower() in PRONOUNS):
                return found
        return None

    def _own(self, i: int, figure_at: int) -> Frame | None:
        frames = self._frames_raw(i)
        if frames and len(self.sentence(i)) > figure_at:
            # "Police arrested 12 protesters at the march, which organisers said drew 2,000":
            # a speaker inside a relative clause after the figure speaks for the clause only
            sentence = self.sentence(i)
            frames = [f for f in frames if f.start <= figure_at or
                      not _RELATIVE.search(sentence, figure_at, f.start)]
        if not frames:
            return None
        cut = _cuts(self.sentence(i), frames) if len(frames) > 1 else []
        if cut:  # each side of "while", "but", "and the ministry said" has its own speaker
            side = sum(1 for c in cut if c < figure_at)
            same = [f for f in frames if sum(1 for c in cut if c < f.at) == side]
            frames = same or frames
        return self._pick(i, frames, figure_at)

    def _quoted(self, i: int, figure_at: int) -> Frame | None:
        """In a quotation: its speaker, named after it or in the sentence before."""
        para = self.paragraph_of[i]
        start_i = self.spans[i][0]
        first = i
        while first > 0 and self.paragraph_of[first - 1] == para:
            first -= 1
        before = self.text[self.spans[first][0]:start_i + figure_at]
        inside = before.count("“") > before.count("”") or before.count('"') % 2 == 1
        if not inside:
            return None
        for j in range(i + 1, min(len(self.spans), i + 4)):
            if self.paragraph_of[j] != para:
                break
            found = self._pick(j, self._frames_raw(j), 0)
            if found:
                return found
        for j in range(i - 1, first - 1, -1):
            speaker = _subject(self.sentence(j), self.lex)
            if speaker:
                return speaker
        return None

    def _carried(self, i: int) -> Frame | None:
        para = self.paragraph_of[i]
        for j in range(i - 1, max(-1, i - 4), -1):  # the lead names the source
            if self.paragraph_of[j] != para:
                break
            found = self._pick(j, self._frames_raw(j), len(self.sentence(j)))
            if found:
                return found
        j = i + 1  # "The estimate was given by X": a next sentence that only attributes
        if j < len(self.spans) and self.paragraph_of[j] == para and \
                not re.search(r"\d", self.sentence(j)):
            found = self._pick(j, self._frames_raw(j), 0)
            if found:
                return found
        prev_para_last = None
        for j in range(i - 1, -1, -1):
            if self.paragraph_of[j] != para:
                prev_para_last = j
                break
        if prev_para_last is not None and self.sentence(prev_para_last).rstrip().endswith(":"):
            return self._pick(prev_para_last, self._frames_raw(prev_para_last),
                              len(self.sentence(prev_para_last)))
        return None


#: A speaker phrase that starts like a sentence fragment ("Its mayor", "He repeated the
#: ministry", "the information of the Authority"): a guess worth checking.
_FRAGMENT: Final = re.compile(r"(?:its|his|her|their|he|she|they|it)\s+\S|the\s+\w+\s+of\s+the\b",
                       re.IGNORECASE)


_POLICE: Final = re.compile(r"\bpolice|constabulary\b", re.IGNORECASE)
_AGENCY: Final = re.compile(r"\b(?:agency|service|bureau|intelligence|directorate)\b")
_MINISTRY: Final = re.compile(r"\b(?:ministry|government|office)\b")
_INTERNATIONAL: Final = re.compile(
    r"\b(?:un|united nations|who|unicef|unhcr|ocha|iom|wfp|eu|european union|nato|osce|"
    r"red cross|red crescent|world bank|imf|african union)\b")
_NAME: Final = re.compile(r"(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+")


def _cuts(sentence: str, frames: list[Frame]) -> list[int]:
    """Where the clauses of a sentence of several frames break: at "while", "but", a
    semicolon, and at a comma or "and" that starts a frame whose speaker comes first
    ("..., and the ministry said", "..., organisers at 10,000"; not "..., according to
    X", which attributes what comes before it)."""
    cut = [m.start() for m in _CONTRAST.finditer(sentence)]
    for f in frames:
        if f.start > f.at:
            continue
        lead = _CLAUSE_LEAD.search(sentence, max(0, f.start - 16), f.start)
        if lead and lead.start() > 0:
            cut.append(lead.start())
    return sorted(set(cut))


def _meaning(frame: Frame, referent: Frame) -> Frame:
    """``frame`` (a role noun or pronoun) resolved to the speaker ``referent``."""
    return new_tuple(Frame, (frame.start, frame.at, frame.text, referent.canonical,
                             referent.kind, frame.role, False))


#: _compatible's answers by (role, the candidate's role, its text): the same speakers are
#: weighed again by every role noun that walks back over them.
_COMPATIBLE: Final[dict[tuple[str, str, str], bool]] = {}


def _compatible(frame: Frame, cand: Frame) -> bool:
    """Whether a role noun or pronoun can refer to an earlier speaker."""
    if cand.generic or not cand.canonical:
        return False
    role = frame.role
    if role == "any":
        return True
    key = (role, cand.role, cand.text)
    found = _COMPATIBLE.get(key)
    if found is None:
        if len(_COMPATIBLE) > 20_000:
            _COMPATIBLE.clear()
        found = _COMPATIBLE[key] = _role_fits(role, cand)
    return found


def _role_fits(role: str, cand: Frame) -> bool:
    """``_compatible`` for a named candidate and a role other than "any"."""
    if role == "person":
        return _is_person(cand)
    if role == "org":
        return not _is_person(cand)
    if role == "police":
        return bool(_POLICE.search(cand.text))
    if role == cand.role:
        return True
    words = cand.text.lower()
    if role in ("intelligence", "agency", "service", "bureau"):
        return cand.role in ("intelligence", "agency", "service", "bureau") or \
            bool(_AGENCY.search(words))
    if role in ("government", "ministry", "office"):  # (an international body's office is
        # no government's: "the ministry said" after "the UN office estimated")
        return cand.role == "government" or (bool(_MINISTRY.search(words))
                                             and not _INTERNATIONAL.search(words))
    if role in ("leader", "president", "minister", "governor", "mayor", "person"):
        return cand.role in ("leader", "person") or bool(_TITLES.search(words))
    pattern = _ROLE_WORD.get(role)
    if pattern is None:
        pattern = _ROLE_WORD[role] = re.compile(rf"\b{re.escape(role)}s?\b")
    return bool(pattern.search(words))


_TITLES: Final = re.compile(r"\b(?:president|minister|governor|mayor|leader|premier)\b")
_ROLE_WORD: Final[dict[str, re.Pattern]] = {}  # a role noun's pattern ("union" -> "unions?")


_PERSON: Final = re.compile(r"\b(?:(?:President|Governor|Mayor|Minister|Premier|Chancellor|General|"
                     r"Colonel|Col|Gen|Director|Chief|Constable|Inspector|Superintendent|"
                     r"Commissioner|Senator|Undersecretary|Secretary|Dr|Mr|Mrs|Ms|Captain|Capt)"
                     r"\.?\s+)+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}")


_PERSONS: Final[dict[tuple[str, str], bool]] = {}  # (role, text) -> _is_person: speakers recur


def _is_person(cand: Frame) -> bool:
    """A speaker that is a person: a title and a name, or a name of two or three words."""
    key = (cand.role, cand.text)
    found = _PERSONS.get(key)
    if found is None:
        if len(_PERSONS) > 20_000:
            _PERSONS.clear()
        found = _PERSONS[key] = _person(cand)
    return found


def _person(cand: Frame) -> bool:
    if cand.role in ("person", "leader"):
        return True
    if cand.role in ("intelligence", "government", "media", "alliance", "lawmaker"):
        return False
    text = cand.text
    if ORG_WORDS.search(text):
        return bool(_PERSON.fullmatch(text)) and not ORG_WORDS.search(_PERSON_TITLE.sub("", text))
    return bool(_NAME.fullmatch(text))


_PERSON_TITLE: Final = re.compile(r"^(?:[A-Z][a-z]+\.?\s+)+(?=[A-Z])")


#: People named with a title ("President Ilse Marken"): referents of "he", "the leader".
_PERSON_SCAN: Final = fastre.compile(_PERSON.pattern)


def _lead_phrase(sentence: str, lex: Lexicon) -> Frame | None:
    """The noun phrase a sentence starts with, when it names a speaker (its subject)."""
    words = sentence.split(None, 8)[:8]  # the first eight, the rest not cut up
    keep: list[str] = []
    for w in words:
        if keep and w[0].islower() and w.lower() not in GLUE and not is_speaker_word(w) and \
                w.lower() not in ("spy", "intelligence", "health", "interior", "defence"):
            break
        keep.append(w)
    phrase = clean(" ".join(keep))
    found = resolve_phrase(phrase, lex) if phrase else None
    if not found or found[3]:
        return None
    return new_tuple(Frame, (0, 0, phrase, found[0], found[1], found[2], False))


def _subject(sentence: str, lex: Lexicon) -> Frame | None:
    """The subject a sentence before a quotation names ("The mayor was blunt.")."""
    m = re.match(r"\s*((?:The|A|An)\s+(?:[a-z][\w'’-]*\s+){0,3}[a-z][\w'’-]*"
                 r"(?:\s+of\s+[A-Z][\w'’-]*)?|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
                 r"\s+(?:was|is|said|spoke|told|added|went on|continued|insisted|warned)\b",
                 sentence)
    if not m:
        return None
    phrase = m.group(1)
    found = resolve_phrase(phrase, lex)
    if not found:
        return None
    return new_tuple(Frame, (m.start(1), m.start(1), phrase, found[0], found[1], found[2], False))
