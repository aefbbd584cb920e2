"""Counted nouns: what a number counts.

``noun_after`` reads the noun phrase after a number ("1,500 special forces
soldiers"; "25-year-old" or "30 km" count nothing); ``noun_before`` the noun
that comes first ("troops numbering 12,000", "of whom about 1,000");
``implied`` the thing counted when no noun follows ("the toll rose to 57",
"police put the turnout at 40,000", "250,000 marched", "..., while organisers
claimed 87,000").  Kinds come from ``counted_nouns.csv``.
"""

from __future__ import annotations

import re
from typing import Final

from kit import fastre
from kit import lexicon as _lexicon
from kit.dates import MONTH

MONTH_WORD: Final = re.compile(rf"^(?:{MONTH})\.?$", re.IGNORECASE)
TOKEN: Final = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[-.][A-Za-z]+)*|\d[\d,.]*|\S")
PRONOUNS: Final = frozenset("them whom those these which us you they".split())
PARTITIVE_DETERMINERS: Final = frozenset("the these those its their his her our".split())
STOP: Final = frozenset("""to from in into on onto at by for with without across along near inside outside
    within over under between through toward towards against during after before since until
    per via as than like of about around among amid the a an this that these those its their his
    her our my your it they them who which whom whose what where when why how and or but nor so
    yet if is are was were be been being have has had do does did will would can could may might
    must shall should said says say according also already reportedly now still including
    totaling totalling totalled totaled out up down off here there each every all both either
    neither not no than then just only even while whereas because since""".split())
VERBISH: Final = frozenset("""says shows seems appears includes comes goes makes takes gives needs wants
    plans hopes believes claims reports states calls costs lies runs does means remains becomes
    stands sits puts gets keeps leads faces marks sees tells asks adds warns notes""".split())
NOT_WHAT: Final = frozenset("more additional further extra other another new fresh".split())
PRONOUN_BEFORE: Final = re.compile(r"\b(?:of (?:whom|which|them|those)|among (?:them|whom|those))\s*,?\s*$",
                            re.IGNORECASE)
LINK_BEFORE: Final = re.compile(r"^[\s,]*(?:\b(?:numbering|totall?ing|reaching|reached|estimated at|put at|"
                         r"approaching|to|at|of|is|was|are|were|now|stands at|stood at|rose to|"
                         r"grew to|climbed to|about|around|some|nearly|almost|more than|over|"
                         r"at least|up to|roughly)\b[\s,]*)*$", re.IGNORECASE)
ELLIPTIC_AFTER: Final = re.compile(r"\s+(?:more\b|(?:were|was|have been|had been|are being|were being|have|had|are)"
                            r"\s+(?:also\s+|reportedly\s+|already\s+)?(?:killed|wounded|injured|captured|"
                            r"taken|missing|dead|deployed|sent|stationed|arrived|moved|transferred|"
                            r"dispatched|evacuated|detained|trained|held)\b)", re.IGNORECASE)


_ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def token_end(text: str, p: int, end: int) -> int:
    """Where the token (``TOKEN``) that starts at ``p`` (not a space) ends, read by hand:
    a word ("co-op", "U.S"), a number ("1,500") or one mark.  A regular expression's
    match objects cost ten times as much, and the tokens after each number are read."""
    q = p + 1
    if text[p] in _ASCII_LETTERS:
        while q < end and (text[q] in _ASCII_LETTERS or text[q] == "'" or text[q] == "’"):
            q += 1
        while q + 1 < end and (text[q] == "-" or text[q] == ".") and text[q + 1] in _ASCII_LETTERS:
            q += 2
            while q < end and text[q] in _ASCII_LETTERS:
                q += 1
    elif text[p].isdecimal():
        while q < end and (text[q].isdecimal() or text[q] == "," or text[q] == "."):
            q += 1
    return q


class _LazyTokens:
    """The first ``n`` tokens after a number, read only as far as they are asked for:
    the noun is most often within the first few (reading all twelve made the whole
    pipeline 8% slower on varied news, scripts/bench_extract.py)."""

    def __init__(self, text: str, pos: int, s_end: int, n: int = 12) -> None:
        self.text, self.at, self.end = text, pos, s_end
        self.n = n
        self.toks: list[str] = []  # as written
        self.starts: list[int] = []
        self.words: list[str] = []  # lower case, trailing apostrophe dropped

    def has(self, k: int) -> bool:
        """Whether there is a token ``k`` (reading up to it)."""
        text, end = self.text, self.end
        while len(self.toks) <= k and len(self.toks) < self.n:
            p = self.at
            while p < end and text[p].isspace():
                p += 1
            if p >= end:
                self.n = len(self.toks)
                break
            self.at = token_end(text, p, end)
            tok = text[p:self.at]
            self.toks.append(tok)
            self.starts.append(p)
            self.words.append(tok.lower().rstrip("'’"))
        return k < len(self.toks)


def _lexicon_noun(words: list[str], i: int, lex: _lexicon.Lexicon) -> int:
    """Number of words from ``i`` (lower-cased tokens) that form a counted noun (0 if none)."""
    if words[i] not in lex.noun_starts:
        return 0
    for width in range(min(lex.max_noun_words, len(words) - i), 0, -1):
        if " ".join(words[i:i + width]) in lex.nouns:
            return width
    return 0


def _is_plural_noun(word: str) -> bool:
    w = word.lower().rstrip("'’")
    return (len(w) >= 4 and w.endswith("s") and w.isalpha() and w not in STOP and w not in VERBISH
            and not w.endswith(("ss", "us", "is", "ous")))


def noun_after(text: str, pos: int, s_end: int, vague: bool, lex: _lexicon.Lexicon, one: bool = False):
    """The counted noun phrase after ``pos``: ("noun", start, end, kind), ("unit", reason), ("pronoun", word) or None."""
    if text.startswith("-", pos) and pos + 1 < s_end and text[pos + 1].isalpha():
        pos += 1  # "25-year-old", "1,500-strong"
    lazy = _LazyTokens(text, pos, s_end)
    toks, starts, words = lazy.toks, lazy.starts, lazy.words  # grow as lazy.has() reads on
    i = 0
    if lazy.has(1) and words[0] == "of":
        nxt = toks[1].lower()
        if nxt in PRONOUNS:
            return ("pronoun", nxt, starts[1] + len(toks[1]))
        if one:
            return None  # "one of the countries": a pick, not a count
        i = 2 if nxt in PARTITIVE_DETERMINERS and lazy.has(2) else 1
    head_end = None
    kind = None
    phrase_start = None
    modifiers = 0
    while lazy.has(i):
        tok = toks[i]
        low = words[i]
        first = low.split("-", 1)[0]
        if not tok[0].isalnum():
            if tok in ("%",):
                return ("unit", "percentage")
            break
        if head_end is None and (low in lex.not_counts or first in lex.not_counts):
            return ("unit", lex.not_counts.get(low) or lex.not_counts[first])
        if head_end is None and (MONTH_WORD.match(tok) or first == "strong"):
            if first == "strong":
                i += 1
                continue
            return ("unit", "date")
        lazy.has(i + lex.max_noun_words - 1)  # the longest noun starting here
        width = _lexicon_noun(words, i, lex)
        if width:
            if phrase_start is None:
                phrase_start = starts[i]
            last = i + width - 1
            head_end = starts[last] + len(toks[last].rstrip("'’"))
            kind = lex.nouns[" ".join(words[i:i + width])]
            i += width
            continue
        if head_end is not None:
            break
        if low in STOP:
            break
        if tok[0].isupper():
            phrase_start = None  # "North Korean": nationality, not part of `what`
            i += 1
            continue
        if low in NOT_WHAT and phrase_start is None:
            i += 1  # "more troops": the noun is "troops"
            continue
        if _is_plural_noun(tok):
            if phrase_start is None:
                phrase_start = starts[i]
            head_end, kind = starts[i] + len(tok.rstrip("'’")), "other"
            break
        modifiers += 1
        if modifiers > 3 or not tok.isalpha() and "-" not in tok:
            break
        if phrase_start is None:
            phrase_start = starts[i]
        i += 1
    if head_end is None:
        return None
    return ("noun", phrase_start, head_end, kind)


_ASCII_MARKS: Final = frozenset(c for c in map(chr, range(33, 127)) if not c.isalnum() and c != "'")


def tokens(chunk: str) -> list[str]:
    """``TOKEN.findall(chunk)``, read piece by piece between spaces (a token holds no
    space, and none of ``TOKEN``'s branches looks past one): a piece of ASCII letters is one
    token, and so is one of digits, commas and dots; a word and a mark after it ("said,")
    are two; any other piece is left to ``TOKEN``."""
    out: list[str] = []
    for piece in chunk.split():
        if piece.isascii():
            if piece.isalpha():
                out.append(piece)
                continue
            if piece[-1] in _ASCII_MARKS and len(piece) > 1 and piece[:-1].isalpha():
                out.append(piece[:-1])
                out.append(piece[-1])
                continue
            if piece[0].isdigit() and not piece.strip("0123456789,."):
                out.append(piece)
                continue
        out += TOKEN.findall(piece)
    return out


def previous_noun(text: str, s_start: int, before: int, lex: _lexicon.Lexicon):
    """The last counted noun of the lexicon before ``before`` in the sentence ("1,500 of them").

    The tokens are read as strings (``findall``: no match objects, a third of the cost),
    from the sentence's part lower-cased in one call when it is ASCII, and only the chosen
    noun's place is found again: tokens stand next to each other or apart by spaces, so
    each starts where ``str.find`` first finds it after the last."""
    chunk = text[s_start:before]
    if chunk.isascii():  # lower case keeps an ASCII text's length and its tokens: one call
        chunk = chunk.lower()
        written = tokens(chunk)
        words = [w if w[-1] != "'" else w.rstrip("'") for w in written]
    else:
        written = tokens(chunk)
        words = [w.lower().rstrip("'’") for w in written]
    best, width = -1, 0
    i = 0
    while i < len(words):
        found = _lexicon_noun(words, i, lex)
        if found:
            best, width = i, found
            i += found
        else:
            i += 1
    if best < 0:
        return None
    at = start = end = 0
    for k in range(best + width):  # in the chunk: its offsets are those of the text
        at = chunk.find(written[k], at)
        if k == best:
            start = at
        at += len(written[k])
        end = at
    return (start + s_start, end + s_start, lex.nouns[" ".join(words[best:best + width])])


def noun_before(text: str, s_start: int, start: int, end: int, lex: _lexicon.Lexicon):
    """A count whose noun comes first: "of whom about 1,000", "troops numbering 12,000",
    "... and 75 were wounded", "... and 120 more reached the border"."""
    if PRONOUN_BEFORE.search(text, max(s_start, start - 20), start) or ELLIPTIC_AFTER.match(text, end):
        return ("pronoun", "whom", start)
    prev = previous_noun(text, max(s_start, start - 60), start, lex)
    if prev and LINK_BEFORE.match(text[prev[1]:start]):
        return ("noun", prev[0], prev[1], prev[2])
    return None


# The thing counted named before the number: "the toll rose to 57", "police put the
# turnout at 40,000", "the number of cases surpasses 15,000", "brings the force to 13,000".
COUNT_BEFORE: Final = re.compile(
    r"\b(?P<noun>(?:death |casualty )?tolls?|turnout|crowds?|attendance|tally|(?:total )?number of "
    r"(?P<of>(?:the )?[a-z]+(?: [a-z]+)?)|force|forces|contingent|deployment)\b"
    r"(?:[^.;!?\d]{0,50}?)\b(?:at|to|as|of|reached|reaches|hit|hits|topped|tops|passed|passes|"
    r"surpassed|surpasses|exceeded|exceeds|past|is|was|stood at|stands at|now|hitting|reaching|"
    r"passing|surpassing|exceeding)\s*:?\s*$", re.IGNORECASE)
COUNT_AFTER: Final = re.compile(r"\s+(?:the\s+)?(?:total\s+)?(?:number|toll|count)\s+of\s+"
                         r"(?P<of>[a-z]+(?:\s+[a-z]+)?)", re.IGNORECASE)
PEOPLE_VERB_AFTER: Final = re.compile(
    r"\s+(?:people\s+)?(?:marched|rallied|protested|demonstrated|gathered|attended|turned out|"
    r"took part|took to the streets|joined the (?:march|rally|protest|strike)|went on strike|"
    r"walked out|fled|died|perished|drowned)\b", re.IGNORECASE)
# A bare number that repeats an earlier count's noun: "..., while organisers claimed 87,000."
BARE_AFTER: Final = re.compile(
    r"\s*(?:[.,;:)\"”]|$|\s(?:and|or|more|others|were|was|had|have|are|remain|remained|still|"
    r"are|in|by|on|according)\b|\s(?:killed|wounded|injured|captured|missing|dead|hurt|"
    r"arrested|detained|rescued|evacuated|displaced|hospitali[sz]ed)\b)", re.IGNORECASE)
CASUALTY_AFTER: Final = re.compile(r"\s+(?:were\s+|had been\s+|have been\s+)?(?:killed|wounded|injured|"
                            r"captured|missing|dead|hurt)\b", re.IGNORECASE)
IMPLIED_WHAT: Final[dict[str, str | None]] = {"toll": "deaths", "tolls": "deaths", "death toll": "deaths",
                "casualty toll": "casualties", "turnout": "people", "crowd": "people",
                "crowds": "people", "attendance": "people", "tally": None, "force": "troops",
                "forces": "troops", "contingent": "troops", "deployment": "troops"}


#: A word every match of ``COUNT_BEFORE`` holds (lower case).
_COUNT_WORDS: Final = ("toll", "turnout", "crowd", "attendance", "tally", "number of", "force",
                "contingent", "deployment")


def _count_before(text: str, lo: int, hi: int) -> re.Match | None:
    """``COUNT_BEFORE.search(text, lo, hi)``, tried only where one of its words is."""
    return fastre.search_where(COUNT_BEFORE, _COUNT_WORDS, text, lo, hi)


def _kind_of(what: str, lex: _lexicon.Lexicon) -> str:
    words = what.lower().split()
    for i in range(len(words)):
        kind = lex.nouns.get(" ".join(words[i:]))
        if kind:
            return kind
    return "people" if what in ("deaths", "casualties", "people", "dead", "injured") else "other"


def implied(text: str, lead: int, s_start: int, s_end: int, start: int, end: int,
             found: list, lex: _lexicon.Lexicon):
    """("implied", what, kind) for a count whose noun is not written after it."""
    m = _count_before(text, max(s_start, start - 90), start)
    if m:
        what = m.group("of") or IMPLIED_WHAT.get(m.group("noun").lower())
        if what is None:  # "the tally": of what, the earlier noun says
            prev = previous_noun(text, lead, m.start(), lex)
            what = text[prev[0]:prev[1]] if prev else "people"
        what = re.sub(r"^the ", "", what)
        return ("implied", what, _kind_of(what, lex))
    m = COUNT_AFTER.match(text, end, s_end)
    if m:
        return ("implied", m.group("of"), _kind_of(m.group("of"), lex))
    if PEOPLE_VERB_AFTER.match(text, end, s_end):
        return ("implied", "people", "people")
    if BARE_AFTER.match(text, end, s_end):
        if found:  # the sentence's earlier count: "40 killed and 7 captured"
            return ("implied", found[-1].what, found[-1].kind)
        prev = previous_noun(text, lead, start, lex)
        if prev:
            return ("implied", text[prev[0]:prev[1]], prev[2])
    return None
