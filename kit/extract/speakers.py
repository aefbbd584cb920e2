"""Speakers: the names a sentence gives its sources, and the phrase a reporting cue points at.

``find_mentions`` finds the names of the alias table (``claimants.csv``) and the
generic roles (``claimant_roles.csv``: "the agency", "it"); ``phrase_before``
and ``phrase_after`` read the speaker phrase next to a reporting cue ("the
ministry said", "according to the latest update from X"); ``resolve_phrase``
says who a phrase names: a canonical claimant, a role noun or pronoun still to
resolve, an unknown speaker kept as written, or nobody ("Tuesday", "the death
toll").
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from kit import fastre
from kit.extract.numbers import new_tuple
from kit.lexicon import Lexicon


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


# --------------------------------------------------------------------------- mentions

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
    # the rows read the text as the union does (fastre's view: a no-break space is a space)
    view = fastre.ascii_twins(text)
    for p, _, group in lex.mention_any.firsts(text, lex.mention_groups):
        # Rows before the one the union chose cannot match here (it tries them in order).
        first = lex.mention_row[group]
        for c in lex.claimants[first:]:
            m = c.pattern.match(view, p)
            if m:
                found.append(Mention(p, m.end(), text[p:m.end()], c.canonical, c.kind,
                                     c.country, c.role, False))
        for role, pattern in lex.roles[max(0, first - n):]:
            m = pattern.match(view, p)
            if m:
                found.append(Mention(p, m.end(), text[p:m.end()], None, "origin", "", role, True))
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
            found.append(new_tuple(Mention, (p, e, text[p:e], c.canonical, c.kind, c.country,
                                             c.role, False)))
        else:
            found.append(new_tuple(Mention, (p, e, text[p:e], None, "origin", "",
                                             lex.roles[row - n][0], True)))
    return found


POSSESSIVE: Final = re.compile(r"['’]s\s+(?:own\s+|the\s+)?")


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


def mentions_by_sentence(text: str, spans: list[tuple[int, int]],
                         lex: Lexicon) -> list[list[Mention]]:
    """``find_mentions`` of every sentence (offsets within it), from one pass over the text:
    an article's sentences are scanned once, not one call each (5% of the pipeline)."""
    raw = _raw_mentions(text, lex)
    out: list[list[Mention]] = []
    k = 0
    for s_start, s_end in spans:
        while k < len(raw) and raw[k].start < s_start:
            k += 1
        mine = []
        j = k
        while j < len(raw) and raw[j].start < s_end:
            m = raw[j]
            if m.end <= s_end:
                mine.append(new_tuple(Mention, (m.start - s_start, m.end - s_start, m.text,
                                                m.canonical, m.kind, m.country, m.role,
                                                m.generic)))
            j += 1
        out.append(_tidy(text[s_start:s_end], mine))
    return out


def find_mentions(sentence: str, lex: Lexicon) -> list[Mention]:
    """Named claimants and generic roles in a sentence; longer matches win overlaps."""
    return _tidy(sentence, _raw_mentions(sentence, lex))


# --------------------------------------------------------------------------- speaker phrases

# Words that may make up a speaker phrase besides capitalised ones.
#: Public bodies named by their place ("the county said", "the city said"): speakers
#: themselves, but as an owner ("the city's emergency service") not part of the speaker.
PLACE_NOUNS: Final = frozenset("""county counties city cities state states province provinces region
    district districts town township borough parish canton prefecture cabinet parliament senate
    congress assembly presidency palace""".split())
SPEAKER_NOUNS: Final = frozenset("""police policeman policemen officer officers organiser organisers organizer
    organizers official officials authorities authority ministry ministries agency agencies service
    services bureau office government governments spokesperson spokesman spokeswoman spokespeople
    director directors minister ministers governor mayor chief head heads leader leaders president
    premier chancellor commander commanders army military navy coastguard guard union unions
    company firm operator employer employers federation association council committee commission
    department hospital hospitals doctors doctor medics nurses rescuers rescue rescue workers
    team teams group groups volunteers volunteer residents witnesses witness survivors source sources
    analyst analysts experts expert researchers observers monitors monitor institute centre center
    center authority agency's ngo charity charities organisation organisations organization
    organizations red cross crescent brigade brigades firefighters services staff representative
    representatives member members lawmaker lawmakers legislator legislators mp mps deputy deputies
    secretary general administration administrator administrators coordinator coordinators
    diplomat diplomats envoy envoys ambassador embassy court prosecutors prosecutor judge
    campaigners activists protesters demonstrators counters counter statisticians media wire
    newspaper paper broadcaster station channel outlet intelligence watchdog regulator
    observatory inspectors investigators coroner paramedics medic ambulance rescuers
    firefighter workers worker miners miner residents villagers farmers parents teachers
    students counting corps crew crews operators inspectorate directorate ombudsman
    undersecretary secretary spokesperson commissioner commissioners inspector inspectors
    superintendent constable sheriff marshal prefect registrar manager managers owner owners
    chairman chairwoman chair ceo executive executives board force""".split()) | PLACE_NOUNS
# Words that end a speaker phrase read backwards: times are not speakers ("Last Saturday
# the force counted").
TIME_WORDS: Final = frozenset("""last next this yesterday today tonight monday tuesday wednesday thursday
    friday saturday sunday""".split())
# Heads of a generic organisation noun ("the organisation estimates"): refers to the
# organisation named before.
ORG_NOUNS: Final = frozenset("organisation organization group charity ngo".split())
# Lower-case words that end a speaker phrase read backwards ("..., while organisers said").
FUNCTION_WORDS: Final = frozenset("""while whereas but although though that which who whom when where as
    if because since after before than then so yet nor or and also even only just not and""".split())
# Nouns that say what was counted or reported, not who spoke: never a speaker's head.
NOT_SPEAKERS: Final = frozenset("""toll tally count number numbers figure figures estimate estimates total
    totals data report reports statement statements update updates video footage image images
    photo photos document documents analysis study survey article story news list map graph table
    chart record records death deaths case cases turnout crowd attendance result results""".split())
NOT_NAMES: Final = frozenset("""The A An It He She They This That These Those Its His Her Their We I You
    But And Or So In On At As If When While After Before Since Until During Meanwhile However
    Also Still Yet Now Then There Here Some Many Most Several Both All Each Every No Not More
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Today Yesterday Tomorrow Earlier
    Later Last Next Officials Sources""".split())
PRONOUNS: Final = frozenset("he she they it we".split())
PRONOUN_ROLES: Final = {"he": "person", "she": "person", "it": "org"}
_STAND_IN: Final = re.compile(
    r"^(?:(?:a|an|the|its|their|his|her)\s+)(?:(?:senior|chief|top|deputy|press)\s+)?(?P<noun>"
    r"spokes(?:person|man|woman)|representative|head|chief|director|coordinator|official|"
    r"force)$", re.IGNORECASE)
ORG_WORDS: Final = re.compile(r"\b(?:agency|service|services|ministry|police|union|authority|bureau|"
                       r"office|council|committee|corps|group|alliance|company|federation|"
                       r"confederation|association|headquarters|directorate|government|army|"
                       r"guard|coastguard|institute|centre|center|organisation|organization|"
                       r"commission|department|brigade|hospital|tally|court|compact|nis|un|"
                       r"trust|foundation|fund|society|network|crescent|cross|charity)\b",
                       re.IGNORECASE)
# A person named by title ("Health Minister Jonas Berg", "President Ilse Marken").
_WORD: Final = re.compile(r"[\w'’.-]+")
_SPOKES_FOR: Final = re.compile(
    r"\b(?:a |an |the )?(?:spokes(?:person|man|woman|people)|representative|member|head|chief|"
    r"director|official|source|sources|officials|doctor|doctors|members|employee|employees|"
    r"staff|lawyer|adviser|advisor)\s+(?:for|of|at|from|in|with)\s+(?P<org>.+)$", re.IGNORECASE)
_OWNER: Final = re.compile(r"^(?P<owner>.+?)['’]s\s+(?:[a-z]+\s+){0,3}(?:tally|count|estimate|estimates|"
                    r"figures|data|report|statement|update|numbers|assessment|calculation|"
                    r"records|toll)$")
OWNED: Final = re.compile(r"['’]s\s+(?:[a-z]+\s+){0,3}(?:tally|count|estimate|estimates|figures|data|"
                    r"report|statement|update|numbers|assessment|calculation|records|toll)\s*$")
_APPOSITION: Final = re.compile(r"^(?P<name>[^,]+),\s+(?P<role>(?:a|an|the)\b[^,]*?)\s*$")
_LEADING_ARTICLE: Final = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING_JUNK: Final = re.compile(r"[\s,;:.\"“”‘’'()\[\]-]+$")


def as_written(phrase: str) -> str:
    """A speaker's words as a name: as written, a leading article in lower case ("The
    ministry" and "the ministry" are one claimant)."""
    return _LEADING_ARTICLE.sub(lambda m: m.group().lower(), phrase, count=1)


_JUNK_AFTER: Final = ",;:.\"“”‘’'()[]-"


def clean(phrase: str) -> str:
    """The phrase without the spaces and punctuation around it (``_TRAILING_JUNK`` after
    the strip, walked back by hand: the end-anchored search tried every place)."""
    phrase = phrase.strip(" \t\n,;:\"“”‘’'()[]")
    k = len(phrase)
    while k and (phrase[k - 1] in _JUNK_AFTER or phrase[k - 1].isspace()):
        k -= 1
    return phrase[:k]


def is_speaker_word(word: str) -> bool:
    if word.lower().endswith(("'s", "’s")):
        w = word.lower().rstrip("'’s")
        return w not in PLACE_NOUNS and (w in SPEAKER_NOUNS or w.rstrip("s") in SPEAKER_NOUNS)
    w = word.lower()
    return w in SPEAKER_NOUNS or w.rstrip("s") in SPEAKER_NOUNS


def _looks_like_speaker(phrase: str) -> bool:
    """A phrase that can name who spoke: a name, or a noun of speakers at its head."""
    words = _WORD.findall(phrase)
    if not words:
        return False
    head = words[-1]
    content = [w for w in words if w.lower() not in ("the", "a", "an", "of", "for", "and", "its",
                                                       "their", "his", "her")]
    if not content:
        return False
    if head.lower() in NOT_SPEAKERS:
        return False
    if is_speaker_word(head):
        return True
    if all(w in NOT_NAMES for w in content):
        return False
    if head[0].isupper():
        return head not in NOT_NAMES and not head.isdigit()
    return is_speaker_word(head) or head.lower() in PRONOUNS


# Words allowed inside a speaker phrase read backwards from a cue.
GLUE: Final = frozenset("of for and the a an its their his her at from in de al von van".split())
_NOT_FIRST: Final = GLUE - {"the", "a", "an", "its", "their", "his", "her"}  # glue that starts no phrase


def _is_word_char(c: str) -> bool:
    """A character of ``_WORD`` (``\\w`` is ``str.isalnum`` plus the underscore)."""
    return c.isalnum() or c in "_'’.-"


def phrase_before(sentence: str, end: int) -> tuple[int, str] | None:
    """The speaker phrase ending at ``end`` (``X said``), read backwards word by word."""
    # the words must run to ``end`` with nothing but spaces between them; they are read
    # backwards from ``end`` as far as needed (a list of every word of the window cost 2%
    # of the pipeline)
    picked: list[tuple[int, str]] = []
    limit = end
    lo = max(0, end - 160)
    k = end
    while True:
        while k > lo and not _is_word_char(sentence[k - 1]):
            k -= 1
        if k == lo:
            break
        w_end = k
        while k > lo and _is_word_char(sentence[k - 1]):
            k -= 1
        start, word = k, sentence[k:w_end]
        gap = sentence[start + len(word):limit]
        if gap.strip() and not (gap.strip() in ("'s", "’s") and picked):
            break
        lower = word.lower()
        if lower in ("whose", "whom", "which", "who"):
            break
        if lower in PRONOUNS and not picked:
            picked.append((start, word))  # "he said": the pronoun is the whole phrase
            break
        if lower in FUNCTION_WORDS and not (lower == "and" and picked and picked[-1][1][0].isupper()):
            break
        if lower in TIME_WORDS:
            break
        if word[0].isupper() or is_speaker_word(word) or lower in GLUE or \
                (picked and lower.isalpha() and len(picked) < 6 and _modifier_ok(picked)):
            picked.append((start, word))
            limit = start
            continue
        break
    while picked and picked[-1][1].lower() in _NOT_FIRST:
        picked.pop()  # a phrase does not start with "of" or "and"
    if not picked:
        return None
    start = picked[-1][0]
    phrase = clean(sentence[start:end])
    return (start, phrase) if phrase else None


def _modifier_ok(picked: list[tuple[int, str]]) -> bool:
    """A lower-case word may modify a speaker noun already read ("local hospital director")."""
    return any(is_speaker_word(w) for _, w in picked[:1])


_STOP_AFTER: Final = fastre.compile(
    r"\s*(?:,|;|:|\.|\(|\)|\"|“|”|\bthat\b|\bwho\b|\bwhich\b|\bon\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b|\bin\s+a\b|\blate\b|\bearlier\b|\bhas\b|\bhave\b|\bhad\b|"
    r"\bsaid\b|\bsays\b|\bwas\b|\bwere\b|\bis\b|\bare\b|\breported\b|\bput\b|\bgave\b|\bshow|"
    r"\bestimated?\b|\bclaimed\b|\bas\b|\bto\b|\bwhen\b|\bwhile\b|\bbut\b|$)")
_SKIP_AFTER_CUE: Final = re.compile(
    r"\s*(?:(?:the|a|an)\s+)?(?:(?:latest|new|newest|last|most recent|updated|daily|official|"
    r"preliminary|provisional|final|first)\s+)*(?:update|updates|estimate|estimates|data|figures|"
    r"tally|count|report|statement|numbers|assessment|briefing|calculations|records)\s+"
    r"(?:from|by|of|released by|published by)\s+", re.IGNORECASE)

#: The words a match of ``_SKIP_AFTER_CUE`` can start with after its article ("the"): a
#: modifier or the noun itself, lower case.
SKIP_AFTER_ARTICLE: Final = frozenset("""latest new newest last most updated daily official
    preliminary provisional final first update updates estimate estimates data figures tally
    count report statement numbers assessment briefing calculations records""".split())
_ARTICLES: Final = frozenset({"the", "a", "an"})
_ASCII_LETTERS: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _ascii_word(sentence: str, k: int) -> tuple[int, int, bool]:
    """The run of ASCII letters after the spaces from ``k``: its start and end, and whether
    it is a whole word as ``re`` reads it (the end of the text or an ASCII character after
    it; a character beyond ASCII may match a letter of a case-insensitive pattern)."""
    n = len(sentence)
    while k < n and sentence[k].isspace():
        k += 1
    j = k
    while j < n and sentence[j] in _ASCII_LETTERS:
        j += 1
    return k, j, j >= n or sentence[j].isascii()


def skip_after_cue(sentence: str, start: int) -> re.Match | None:
    """``_SKIP_AFTER_CUE.match(sentence, start)``, not tried when its first words are ASCII
    words no match starts with: most cues are followed by a name ("said the ministry"), not
    by "the latest update from"."""
    k, j, whole = _ascii_word(sentence, start)
    if whole:
        word = sentence[k:j].lower()
        if word in _ARTICLES:  # what follows the article decides
            k, j, whole = _ascii_word(sentence, j)
            if whole and sentence[k:j].lower() not in SKIP_AFTER_ARTICLE:
                return None
        elif word not in SKIP_AFTER_ARTICLE:
            return None
    return _SKIP_AFTER_CUE.match(sentence, start)


_APPOSED: Final = re.compile(r",\s+((?:a|an|the)\s+[^,.;\"“”]{3,80}?)(?=[,.;\"“”]|$)")
_JOINED: Final = re.compile(r"\s*(?:,|and|,\s*and)\s*")
#: A word every match of ``_SPOKES_FOR`` holds (lower case).
_SPOKES_WORDS: Final = ("spokes", "representative", "member", "head", "chief", "director", "official",
                 "source", "doctor", "employee", "staff", "lawyer", "advis")


#: A speaker phrase's "officials in PLACE" (where they are, not whom they speak for).
_IN_A_PLACE: Final = re.compile(r"(?:a |an |the )?\w+\s+in\s", re.IGNORECASE)


def _spokes_for(phrase: str) -> re.Match | None:
    """``_SPOKES_FOR.search(phrase)``, tried only where one of its words is."""
    return fastre.search_where(_SPOKES_FOR, _SPOKES_WORDS, phrase)


def phrase_after(sentence: str, start: int) -> tuple[int, str] | None:
    """The speaker phrase starting at ``start`` (``according to X``, ``said X``)."""
    m = skip_after_cue(sentence, start)
    if m:
        start = m.end()
    while start < len(sentence) and sentence[start] in " \t":
        start += 1
    stop = _STOP_AFTER.first(sentence, start + 1)
    end = stop if stop >= 0 else len(sentence)
    phrase = clean(sentence[start:end])
    if not phrase:
        return None
    # "Maria Duval, a spokeswoman for the Red Cross": keep the apposition with the name
    after = start + len(phrase)
    app = _APPOSED.match(sentence, after) if sentence.startswith(",", after) else None
    if app and _spokes_for(app.group(1)):
        phrase = f"{phrase}, {app.group(1)}"
    return start, phrase


#: resolve_phrase's answers by (knowledge, phrase): the same speakers recur in every article.
_RESOLVED: Final[dict[tuple[int, str], tuple[str, str, str, bool] | None]] = {}


def resolve_phrase(phrase: str, lex: Lexicon) -> tuple[str, str, str, bool] | None:
    """(canonical, kind, role, generic) of a speaker phrase, None when it names nobody."""
    key = (id(lex), phrase)
    if key in _RESOLVED:
        return _RESOLVED[key]
    if len(_RESOLVED) > 20_000:
        _RESOLVED.clear()
    found = _RESOLVED[key] = _resolve_phrase(phrase, lex)
    return found


def _resolve_phrase(phrase: str, lex: Lexicon) -> tuple[str, str, str, bool] | None:
    mentions = find_mentions(phrase, lex)
    named = [m for m in mentions if not m.generic and m.canonical]
    if len(named) > 1 and all(_JOINED.fullmatch(phrase[a.end:b.start])
                              for a, b in zip(named, named[1:])):
        # "Seoul and Kyiv", "US and South Korean officials": a joint source keeps both
        names = list(dict.fromkeys(m.canonical or "" for m in named))
        if len(names) > 1:
            return " and ".join(names), "origin", named[0].role, False
    if named:
        best = min(named, key=lambda m: (m.kind == "relay", -(m.end - m.start)))
        return best.canonical or "", best.kind, best.role, False
    spokes = _spokes_for(phrase)
    if spokes and _IN_A_PLACE.match(phrase[spokes.start():]) and phrase[:spokes.start()].strip() \
            and not ORG_WORDS.search(spokes.group("org")):
        spokes = None  # "hospital officials in Oster Mill": the officials, not the town
    if spokes:
        org = clean(spokes.group("org"))
        if org and _looks_like_speaker(org):
            inner = resolve_phrase(org, lex)
            if inner:
                return inner
    owner = _OWNER.match(phrase) if "'s" in phrase or "’s" in phrase else None
    if owner:  # "the agency's latest tally": the agency
        return resolve_phrase(owner.group("owner"), lex)
    bare0 = as_written(phrase)
    if bare0.lower() in PRONOUNS:
        return bare0, "origin", PRONOUN_ROLES.get(bare0.lower(), "any"), True
    words0 = phrase.split()
    if len(words0) == 2 and words0[0].lower() == "the" and words0[1][0].isupper() and \
            is_speaker_word(words0[1]):
        return bare0, "origin", words0[1].lower(), True  # "the Director": a title
    stand_in = _STAND_IN.match(phrase)
    if stand_in:  # "its spokeswoman", "a spokesman", "the force": speaks for one named before
        noun = stand_in.group("noun").lower()
        return bare0, "origin", "police" if noun == "force" else "org", True
    generic = [m for m in mentions if m.generic and m.start == 0 and m.end >= len(phrase) - 1]
    if generic:
        return as_written(phrase), "origin", generic[0].role, True
    app = _APPOSITION.match(phrase)
    if app:
        inner = resolve_phrase(app.group("role"), lex)
        if inner and not inner[3]:
            return inner
        phrase = clean(app.group("name"))
    if not _looks_like_speaker(phrase):
        return None
    bare = as_written(phrase)
    words = bare.split()
    head = words[-1].lower() if words else ""
    if head in ORG_NOUNS and len(words) <= 3 and not any(w[0].isupper() for w in words[1:]):
        return bare, "origin", "org", True  # "the organisation": the one named before
    if all(not w[0].isupper() for w in words):
        # "the union", "the regional governor": a role noun that may refer back
        return bare, "origin", head, True
    return bare, "origin", head, False
