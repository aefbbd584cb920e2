"""Figures: the numbers that count people or things, with what, status and claimant.

A figure is found in four steps, each a small function: the number grammar
(``kit.numbers``) gives numbers; ``_merge`` joins ranges and hedges; ``_noun``
finds the counted noun phrase after it (a number that counts nothing, or
counts days, dollars or kilometres, is not a figure); ``_status_cue`` and the
``Attributor`` read the words around it; ``kit.extract.measures`` says what it
measures (dead, injured, crowd, ...).  Everything is a span of the unchanged
article text.
"""

from __future__ import annotations

import math
import re
from typing import Final
from dataclasses import dataclass

import pandas as pd

from kit import lexicon as _lexicon
from kit import schema
from kit import dates
from kit import fastre
from kit.dates import MONTH
from kit.extract import attribution, measures, nouns, numbers, segment
from kit.load.outlets import outlet_index

BEFORE_DATE: Final = re.compile(rf"\b(?:{MONTH})\.?\s*$|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*\(\s*$"
                         r"|\b(?:19|20)\d\d\s*[-/.]\s*$", re.IGNORECASE)
BEFORE_MONEY: Final = re.compile(r"(?:[$€£¥₩₽₴]|\b(?:US|USD|EUR|GBP|KRW|RUB|UAH|Rs)\.?\$?)\s*$")
BEFORE_AGE: Final = re.compile(r"\b(?:aged|age|ages|age of|aged between|until|till)\s*$", re.IGNORECASE)
BEFORE_LABEL: Final = re.compile(r"(?:\bNo\.|\bnumber|#|§)\s*$", re.IGNORECASE)
BEFORE_WORD: Final = re.compile(r"([A-Za-z][\w'’]*)\s+$")
# One pass for all four: the words before a number that make it not a count.
BEFORE_ANY: Final = re.compile("|".join(f"(?i:{p.pattern})" if p.flags & re.IGNORECASE else f"(?:{p.pattern})"
                                 for p in (BEFORE_DATE, BEFORE_MONEY, BEFORE_AGE, BEFORE_LABEL)))
RANGE_GAP: Final = re.compile(r"^\s*(?:-|–|—|to|or)\s*$", re.IGNORECASE)
AND_GAP: Final = re.compile(r"^\s+and\s+$", re.IGNORECASE)
RANGE_INTRO: Final = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
RANGE_INTRO_WORDS: Final = ("between", "from")  # one is in every match of RANGE_INTRO
#: Words that make a bare number the earlier value of a count of the sentence.
CHANGED_FROM: Final = re.compile(r"\b(?:up|down|rising|risen|rose|climbing|falling|fallen|fell|revised|"
                          r"increased|decreased|compared)\s+(?:from|with)\s+(?:about\s+|around\s+|"
                          r"some\s+|roughly\s+|nearly\s+|almost\s+)?$", re.IGNORECASE)
#: "one person died", "one soldier was wounded": a singular noun counts only when the
#: sentence says at once what happened to that one (else "one man said" would count).
ONE_HURT: Final = re.compile(r"\s+(person|man|woman|child|boy|girl|baby|soldier|civilian|resident|"
                      r"firefighter|officer|worker|miner|protester|demonstrator|passenger|patient|"
                      r"pedestrian|driver|student|journalist|migrant|climber|hiker|fisherman|"
                      r"policeman|guard|rescuer|volunteer)\s+(?:was\s+|has\s+been\s+|had\s+been\s+|"
                      r"is\s+|remains\s+|remained\s+)?(?:killed|died|dead|injured|hurt|wounded|"
                      r"missing|drowned|arrested|detained|hospitali[sz]ed)\b", re.IGNORECASE)
#: One of these is in every match of CHANGED_FROM.
CHANGED_FROM_WORDS: Final = ("from", "with")


def _changed_from(text: str, s_start: int, start: int) -> bool:
    """Whether the words just before ``start`` (in its sentence) make the number an
    earlier value ("down from 35,000"): ``CHANGED_FROM``, searched only where its words are."""
    return fastre.search_where(CHANGED_FROM, CHANGED_FROM_WORDS, text, max(s_start, start - 25),
                               start) is not None


SINGULAR_PLURAL: Final = {"person": "people", "man": "men", "woman": "women", "child": "children",
                   "fisherman": "fishermen", "policeman": "policemen"}
DETERMINER: Final = re.compile(r"\b(?:the|these|those|both|its|their|his|her|our|my|your|all|every|each)\s+$",
                        re.IGNORECASE)
STATUS_PRIORITY: Final = {"casualties": 0, "supplied": 1, "planned": 2, "deployed": 3, "other": 4}


@dataclass
class Figure:
    start: int
    end: int
    low: int | None
    high: int | None
    qualifier: str
    what: str | None
    kind: str
    noun_end: int
    inferred: bool = False  # the counted noun is not written next to the number


#: A counted noun followed by more of its phrase ("soldiers and border guards",
#: "units of equipment"): what was read may be cut short.
NOUN_GOES_ON: Final = re.compile(r",?\s+(?:and|of)\s+[a-z]")
#: Beyond this many characters a status cue is a weak guess (for the confidence).
FAR_CUE: Final = 60
#: Confidence: any of these reasons makes a figure low at once; otherwise one reason is
#: medium and two or more are low.
STRONG_REASONS: Final = ("number:",)


def confidence(reasons: list[str]) -> str:
    """high, medium or low from the reasons to doubt a figure."""
    if not reasons:
        return "high"
    if len(reasons) > 1 or any(r.startswith(STRONG_REASONS) for r in reasons):
        return "low"
    return "medium"


def _int(value: float | None) -> int | None:
    if value is None or value != int(value):
        return None
    return int(value)


def _hedge_before(text: str, start: int, floor: int, lex: _lexicon.Lexicon) -> tuple[int, str | None]:
    """The hedge written just before a number ("about", "more than"): its start and qualifier."""
    lo = max(floor, start - 24)
    token = numbers.token_before(text, lo, start)
    if token is None or token not in lex.hedge_ends:
        return start, None
    m = lex.hedge_before.search(text, lo, start)
    if m is None:
        return start, None
    return m.start("hedge"), lex.hedge_qualifier[m.group("hedge").lower()]


def _hedge_after(text: str, end: int, ceiling: int, lex: _lexicon.Lexicon) -> tuple[int, str | None]:
    window = text[end:min(ceiling, end + 12)].lower()
    for phrase, qualifier in lex.hedges_after:
        probe = phrase if phrase[0] in "-+" else " " + phrase
        if window.startswith(probe):
            stop = end + len(probe)
            if stop >= ceiling or not text[stop].isalnum():
                return stop, qualifier
    return end, None


def _spans(text: str, s_start: int, s_end: int, nums: list[numbers.Number], lex: _lexicon.Lexicon):
    """Numbers of one sentence merged into ranges, with their hedge: (start, end, low, high, qualifier, core_start)."""
    i = 0
    while i < len(nums):
        a = nums[i]
        b = nums[i + 1] if i + 1 < len(nums) else None
        intro = fastre.search_where(RANGE_INTRO, RANGE_INTRO_WORDS, text, max(s_start, a.start - 9),
                                    a.start)
        if b and not a.vague and not b.vague and (
            RANGE_GAP.match(text[a.end:b.start]) or (intro and AND_GAP.match(text[a.end:b.start]))
        ):
            first, second = a.value, b.value  # set: neither is vague
            assert first is not None and second is not None
            if b.has_scale and not a.has_scale and first * b.scale <= second:
                first *= b.scale  # "10-12 thousand", "1.5 to 2 million": the scale is shared
            low, high = _int(first), _int(second)
            if low is not None and high is not None and low < high:
                start = intro.start() if intro else a.start
                yield start, b.end, low, high, "range", a.start
                i += 2
                continue
        i += 1
        if a.vague:
            yield a.start, a.end, None, None, "vague", a.start
            continue
        value = _int(a.value)
        if value is None:
            continue
        start, q = _hedge_before(text, a.start, s_start, lex)
        end, q_after = _hedge_after(text, a.end, s_end, lex)
        q = q or q_after or "exact"
        low = value if q in ("exact", "approx", "more_than", "at_least") else None
        high = value if q in ("exact", "approx", "up_to") else None
        yield start, end, low, high, q, a.start


#: The words a match of BEFORE_ANY can end with (besides marks such as "$" or "#"):
#: after any other word the search cannot succeed, and is not run.
_MONTH_WORDS: Final = {w for stem in dates.MONTH_STEMS for w in (stem, dates.MONTH_NAMES[stem])} | {"sept"}
_CURRENCY_CODES: Final = {"us", "usd", "eur", "gbp", "krw", "rub", "uah", "rs"}
#: The tokens (``numbers.token_before``) that can end a match of ``BEFORE_ANY``: a month
#: ("oct", "oct."), a currency ("usd", "rs.", "$", "€"), an age ("aged", "of" of "age of",
#: "between" of "aged between"), a label ("no.", "number", "#", "§"), a weekday's
#: bracket and a date's separator ("(", "-", "/", ".").
TOKENS_BEFORE_EXCLUDED: Final = frozenset(
    _MONTH_WORDS | {w + "." for w in _MONTH_WORDS} | _CURRENCY_CODES
    | {w + "." for w in _CURRENCY_CODES} | set("$€£¥₩₽₴#§(-/.")
    | {"aged", "age", "ages", "of", "between", "until", "till", "no.", "number"})
#: Words that end an exclusion only after another word ("age of", "aged between").
_AFTER_WORD: Final = {"of": "age", "between": "aged"}
#: Marks that end a match of ``BEFORE_ANY`` by themselves, with only spaces after them (a
#: currency of BEFORE_MONEY, a label's mark of BEFORE_LABEL): the search is not needed.
MARKS_EXCLUDED: Final = frozenset("$€£¥₩₽₴#§")


def _excluded(text: str, s_start: int, core_start: int) -> bool:
    """Dates, money, ages, labels: decided by the words just before the number."""
    lo = max(s_start, core_start - 30)
    token = numbers.token_before(text, lo, core_start)
    if token is None or token not in TOKENS_BEFORE_EXCLUDED:
        return False
    if token.rstrip(".") in _MONTH_WORDS:  # "Oct. 21", "June 5": a date (BEFORE_DATE's
        # first branch) when the month starts a word; most tokens that get here are months
        k = lo + len(text[lo:core_start].rstrip()) - len(token)
        if k == 0 or not (text[k - 1].isalnum() or text[k - 1] == "_"):
            return True
    if token in _AFTER_WORD and not text[lo:core_start].rstrip()[:-len(token)].rstrip().lower() \
            .endswith(_AFTER_WORD[token]):
        return False  # "between 10,000 and 12,000", "a toll of 57"
    if token in MARKS_EXCLUDED:  # "$ 5", "#3": money or a label
        return True
    return BEFORE_ANY.search(text, lo, core_start) is not None


def status_cues(sentence: str, lex: _lexicon.Lexicon) -> list[tuple[int, int, str]]:
    """Every status cue of a sentence as (start, end, status), from one pass of their union."""
    return [(s, e, lex.status_of_group[group]) for s, e, group in lex.status_any.firsts(sentence, lex.status_groups)]


def _cues_within(found: list[tuple[int, int, int]], k: int, s_start: int, s_end: int,
                 lex: _lexicon.Lexicon) -> tuple[list[tuple[int, int, str]], int]:
    """The status cues of the article (``found``, from ``k`` on) inside one sentence, as
    ``status_cues`` gives them, and where the next sentence's start in ``found``."""
    while k < len(found) and found[k][0] < s_start:
        k += 1
    out = []
    j = k
    while j < len(found) and found[j][0] < s_end:
        c_start, c_end, group = found[j]
        if c_end <= s_end:
            out.append((c_start - s_start, c_end - s_start, lex.status_of_group[group]))
        j += 1
    return out, j


def _status_cue(found: list[tuple[int, int, str]], fig_start: int, fig_end: int,
                kind: str) -> tuple[str, int]:
    """Deployed, planned, casualties, supplied or other, from the nearest cue; and how far
    from the figure that cue is (0: decided by the figure's own words or by no cue).

    Only forces (kind ``forces``) are deployed or planned, only materiel is
    supplied: a crowd, a strike's workers or arrivals of migrants are "other"
    whatever verb moves them.

    Casualty words in the noun itself or right after it ("300 killed") decide
    outright; otherwise the cue nearest to the figure wins, ties going to the
    more specific status.  For materiel a deployment verb means supplied.
    """
    cues = []
    for c_start, c_end, status in found:
        if c_end <= fig_start:
            dist = fig_start - c_end
        elif c_start >= fig_end:
            dist = c_start - fig_end
        elif status == "casualties":
            dist = 0
        else:
            continue
        cues.append((dist, STATUS_PRIORITY[status], status, c_start >= fig_end))
    casualty = [c for c in cues if c[2] == "casualties" and (c[0] == 0 or (c[3] and c[0] <= 24))]
    if casualty:
        return "casualties", 0
    cues = [c for c in cues if c[2] != "casualties" or c[0] <= 40]
    if kind != "materiel":
        cues = [c for c in cues if c[2] != "supplied"]
    if kind not in ("forces", "units", "materiel"):  # only forces are deployed or planned
        cues = [c for c in cues if c[2] not in ("deployed", "planned")]
    if not cues:
        return "other", 0
    dist, _, status, _ = min(cues)
    if kind == "materiel" and status == "deployed":
        return "supplied", dist
    return status, dist


def _paragraphs(text: str, spans: list[tuple[int, int, int]]) -> list[int]:
    """Paragraph number of each sentence: a blank line (or a new line) starts a paragraph."""
    out, para, prev_end = [], 0, None
    for s, e, _ in spans:
        if prev_end is not None and text.find("\n", prev_end, s) >= 0:
            para += 1
        out.append(para)
        prev_end = e
    return out


def article_figures(text: str, lex: _lexicon.Lexicon, spans=None, boiler=None) -> list[dict]:
    """Figures of one article text as dicts (offsets into ``text``)."""
    spans = segment.split(text) if spans is None else spans
    all_numbers = numbers.find_numbers(text)  # one pass over the article, bucketed below
    doubts = [(n.start, n.doubt) for n in all_numbers if n.doubt]
    buckets: list[tuple[int, int, int]] = []  # (sentence, first number, end of its numbers)
    k = 0
    for idx, (s_start, s_end, _) in enumerate(spans):
        while k < len(all_numbers) and all_numbers[k].start < s_start:
            k += 1
        j = k
        while j < len(all_numbers) and all_numbers[j].end <= s_end:
            j += 1
        if j > k:
            buckets.append((idx, k, j))
    if boiler is None:  # boilerplate matters only on the lines that hold numbers
        boiler = segment.mark_boilerplate(text, spans, lex, {spans[b[0]][2] for b in buckets})
    counted: list[tuple[int, list[Figure]]] = []  # the sentences with figures
    for idx, k, j in buckets:
        s_start, s_end, _ = spans[idx]
        if boiler[idx] is not None:
            continue
        found: list[Figure] = []
        lead = spans[idx - 1][0] if idx and text.find("\n", spans[idx - 1][1], s_start) < 0 \
            else s_start  # the previous sentence, when it is in the same paragraph
        for start, end, low, high, qualifier, core in _spans(text, s_start, s_end, all_numbers[k:j], lex):
            if _excluded(text, s_start, core):
                continue
            noun = nouns.noun_after(text, end, s_end, qualifier == "vague", lex, one=(low == 1 == high))
            if noun is None and low == 1 == high:
                one = ONE_HURT.match(text, end, s_end)
                if one is not None:  # "one person died": a toll of one, not "one man said"
                    singular = one.group(1).lower()
                    noun = ("noun", one.start(1), one.end(1),
                            lex.nouns.get(SINGULAR_PLURAL.get(singular, singular + "s"), "people"))
            if noun is None and qualifier != "vague":
                noun = nouns.noun_before(text, s_start, start, end, lex)
            if noun is None:
                noun = nouns.implied(text, lead, s_start, s_end, start, end, found, lex)
            if noun is None and found and _changed_from(text, s_start, start):
                noun = ("implied", found[-1].what, found[-1].kind)  # "down from 35,000 last week"
            if noun is None or noun[0] == "unit":
                continue
            if noun[0] == "implied":
                what, kind, noun_end = noun[1], noun[2], end
                value = low if low is not None else high
                if found and value and _changed_from(text, s_start, start):
                    # "3,400 residents from 11 villages, up from about 3,000": the earlier value
                    # of the count nearest in size, not of the last one
                    near = min(found, key=lambda f: abs(math.log((f.low or f.high or 1) / value)))
                    what, kind = near.what, near.kind
                if value is not None and qualifier == "exact" and (
                        1900 <= value <= 2100 and "," not in text[core:end]
                        or value < 10 and text[core].isdigit() and not found
                        and not nouns.CASUALTY_AFTER.match(text, end, s_end)):
                    continue  # "in 2024", "at 7": a bare year or small digit counts nothing
            elif noun[0] == "pronoun":
                prev = nouns.previous_noun(text, s_start, start, lex)
                if found and (prev is None or prev[0] < found[-1].start):
                    # "One person died and four were injured": the sentence's last count
                    last = found[-1]
                    what = last.what
                    if last.low == 1 == last.high and what:  # "one person ... and four": people
                        what = SINGULAR_PLURAL.get(what.lower(), what + "s")
                    found.append(Figure(start, end, low, high, qualifier, what, last.kind,
                                        max(noun[2], end), True))
                    continue
                prev = prev or nouns.previous_noun(text, lead, start, lex)
                if prev is None and noun[1] == "whom":
                    continue  # "75 were wounded" with nothing counted before it
                what, kind = (text[prev[0]:prev[1]], prev[2]) if prev else (noun[1], "other")
                noun_end = max(noun[2], end)
            else:
                _, n_start, n_end, kind = noun
                what, noun_end = text[n_start:n_end], max(n_end, end)
                value = low if low is not None else high
                if value is not None and qualifier == "exact":
                    if 1900 <= value <= 2100 and "," not in text[core:end] and kind == "other":
                        continue  # a year followed by a plural word: "in 2023 elections"
                    if value < 10 and DETERMINER.search(text, max(s_start, start - 8), start):
                        continue  # "the two countries": a reference, not a reported count
                    prev_word = BEFORE_WORD.search(text, max(s_start, start - 30), start)
                    if (prev_word and prev_word.group(1)[0].isupper() and prev_word.start() > s_start
                            and kind == "other" and not prev_word.group(1).endswith(("'s", "’s"))
                            and prev_word.group(1).lower() not in dates.WEEKDAYS):
                        continue  # "Resolution 2231 demands": a label
            found.append(Figure(start, end, low, high, qualifier, what, kind, noun_end,
                                noun[0] in ("implied", "pronoun")))
        if found:
            counted.append((idx, found))
    if not counted:
        return []
    # Dense: figures in over a sixth of the sentences, so reading the sentences' names and
    # cues in one pass beats reading the few needed one by one (a long article with few
    # figures is read sentence by sentence; callgrind, varied corpus and seed copies).
    dense = 6 * len(counted) > len(spans)
    attributor = attribution.Attributor(text, [(s, e) for s, e, _ in spans], lex,
                                        _paragraphs(text, spans), upto=counted[-1][0] + 4,
                                        dense=dense)
    article_cues: list[tuple[int, int, int]] | None = None
    next_cue = 0
    rows = []
    for idx, found in counted:
        s_start, s_end, _ = spans[idx]
        sentence = attributor.sentence(idx)
        if dense:  # the status cues of all sentences from one pass
            if article_cues is None:
                article_cues = lex.status_any.firsts(text, lex.status_groups)
            cues, next_cue = _cues_within(article_cues, next_cue, s_start, s_end, lex)
        else:
            cues = status_cues(sentence, lex)
        for f in found:
            status, dist = _status_cue(cues, f.start - s_start, f.noun_end - s_start, f.kind)
            who, reasons = attributor.attribute(idx, f.start - s_start)
            if f.inferred:
                reasons.append(f"what: '{f.what}' inferred, not written next to the number")
            if dist > FAR_CUE:
                reasons.append(f"status: {status} from a cue {dist} characters away")
            elif status == "other" and f.kind in ("forces", "units"):
                reasons.append("status: other, though forces are counted (no cue says sent "
                               "or planned)")
            if doubts:  # "30.000" in an article that shows no convention
                reasons += [d for at, d in doubts if f.start <= at < f.end]
            if f.what and not f.inferred and NOUN_GOES_ON.match(text, f.noun_end, s_end):
                reasons.append(f"what: '{f.what}' may go on ('and' or 'of' after it)")
            rows.append({  # a display, not dict(...): compiled, it builds the dict directly
                "start": f.start, "end": f.end, "surface": text[f.start:f.end], "low": f.low,
                "high": f.high, "qualifier": f.qualifier, "what": f.what, "kind": f.kind,
                "status": status,
                "claimant": who.canonical if who else attribution.UNATTRIBUTED,
                "claimant_text": who.text if who else None,
                "confidence": confidence(reasons),
                "confidence_reasons": "; ".join(reasons) if reasons else None,
                "sentence_id": idx, "sentence": sentence, "sentence_start": s_start,
                "sentence_end": s_end,
            })
    return rows


# Words of a publication's name that say it is a news outlet, not an organisation
# publishing its own statement.
NEWS_WORDS: Final = re.compile(
    r"\b(?:press|news|times|post|herald|courier|gazette|wire|agency|daily|journal|tribune|"
    r"ledger|star|today|tv|radio|broadcast\w*|media|telegraph|guardian|independent|chronicle|"
    r"observer|express|mail|standard|review|weekly|magazine|lantern|monitor|bulletin|reporter|"
    r"press service|newspaper|online|digital)\b|\.|\(", re.IGNORECASE)


def _issuer(outlet, text: str, lex: _lexicon.Lexicon) -> str | None:
    """The organisation that published a text about itself (a press release): an outlet
    whose name is no news outlet's and whose name, or its last word, the text uses."""
    if not isinstance(outlet, str) or not outlet.strip() or NEWS_WORDS.search(outlet) \
            or outlet_index(*lex.folders).named(outlet):  # a known news outlet (outlets.csv)
        return None
    words = re.findall(r"[A-Z][\w'’-]{3,}", outlet)
    if outlet in text or (words and re.search(rf"\b{re.escape(words[-1])}\b", text)):
        return outlet.strip()
    return None


def _sentence_spans(sentences: pd.DataFrame) -> dict[str, tuple[list[tuple[int, int, int]],
                                                                 list[str | None]]]:
    """article_id -> (its sentences' (start, end, k) in sentence order, their boilerplate
    cues or None): one pass over the frame (a frame slice per article costs more than
    the extraction itself)."""
    sf = sentences.sort_values("sentence_id", kind="stable")
    cues = sf["boilerplate_cue"].fillna("marked").tolist()
    out: dict[str, tuple[list[tuple[int, int, int]], list[str | None]]] = {}
    for article_id, start, end, marked, cue in zip(sf["article_id"].tolist(), sf["start"].tolist(),
                                                    sf["end"].tolist(), sf["boilerplate"].tolist(),
                                                    cues):
        found = out.get(article_id)
        if found is None:
            found = out[article_id] = ([], [])  # spans, cues
        found[0].append((start, end, len(found[0])))
        found[1].append(cue if marked else None)
    return out


def figures(articles: pd.DataFrame, sentences: pd.DataFrame | None = None, *,
            lexicon: object = None, client: object = None, store: object = None,
            jobs: int = 1, progress: object = None) -> pd.DataFrame:
    """The figures frame of ``articles`` (columns in ``kit.schema.FIGURES``).

    ``sentences`` (from :func:`kit.sentences`) is reused when given, so a
    notebook that edited boilerplate flags sees its edits respected.  ``lexicon``:
    the story knowledge (a folder, a shipped story's name or a ``Lexicon``; default
    ``$KIT_LEXICON``, else the kit's own; see ``kit.lexicon.resolve``).

    ``client`` (a ``dask.distributed.Client``), or ``articles`` given as a Dask
    dataframe: the work is split into partitions run on the cluster
    (``kit.scale.parallel``); the frame is the same, and the articles or partitions
    that failed are named in ``attrs["failed"]``; ``jobs``: worker processes of a local
    cluster (0: all cores; a corpus of one partition or less stays in this process).
    ``store``: the folder of an incremental store (``kit.scale.store``): only articles
    it lacks are extracted.  ``progress``: the bar of partitions done (None: on a terminal
    or in JupyterLab; False in a report, where it would be printed into the page).
    """
    lex = _lexicon.resolve(lexicon)
    if store is not None or jobs != 1 or client is not None or \
            not isinstance(articles, pd.DataFrame):
        if sentences is not None:
            raise ValueError("sentences= cannot be combined with client=, jobs=, store= or a "
                             "Dask dataframe: the sentences are split again where the work runs")
        from kit.scale.cluster import jobs_value
        from kit.scale.run import frames

        run = frames(articles, lex, client=client, store=store, jobs=jobs_value(jobs or None),
                     claims=False, progress=None if progress is None else bool(progress))
        out = run.frames["figures"]
        out.attrs["failed"] = run.failed
        return out
    by_article = _sentence_spans(sentences) if sentences is not None else {}
    rows: list[dict] = []
    owner: list[int] = []  # the article row of each figure
    outlets = articles["outlet"].tolist()
    for a, (article_id, text) in enumerate(zip(articles["article_id"].tolist(), articles["text"].tolist())):
        spans, boiler = by_article.get(article_id, (None, None))
        found = article_figures(text, lex, spans, boiler)
        issuer = _issuer(outlets[a], text, lex)
        if issuer:  # a press release: what nobody else is said to report, its issuer does
            for row in found:
                if row["claimant"] == attribution.UNATTRIBUTED:
                    row["claimant"], row["claimant_text"] = issuer, issuer
                    reasons = [r for r in (row["confidence_reasons"] or "").split("; ") if r]
                    reasons.append("claimant: the issuer of the press release, not named "
                                   "with the figure")
                    row["confidence"], row["confidence_reasons"] = confidence(reasons), \
                        "; ".join(reasons)
        rows += found
        owner += [a] * len(found)
    if not rows:
        return schema.empty("figures")
    # Columns, not a list of dicts: pandas builds a frame from lists several times faster.
    columns = {key: [r[key] for r in rows] for key in rows[0]}
    for key in ("article_id", "path", "outlet", "published", "url"):
        values = articles[key].tolist()
        columns[key] = [values[a] for a in owner]
    columns["figure_id"] = [f"{art}:{start}" for art, start in zip(columns["article_id"], columns["start"])]
    columns["measure"] = measures.measures_of(
        columns["what"], columns["kind"], columns["status"], columns["sentence"],
        [a - s for a, s in zip(columns["start"], columns["sentence_start"])],
        [b - s for b, s in zip(columns["end"], columns["sentence_start"])], lex)
    return schema.from_columns(columns, "figures")


def figures_in_text(text: str, *, article_id: str = "text", path: str = "<text>",
                    outlet: str | None = None, published: str | None = None,
                    url: str | None = None, lexicon: object = None) -> pd.DataFrame:
    """Figures of one text given as a string: for tests, notebooks and quick checks."""
    articles = pd.DataFrame([dict(article_id=article_id, path=path, outlet=outlet, title=None,
                                  byline=None, published=published, url=url, encoding="utf-8",
                                  text=text)])
    return figures(schema.conform(articles, "articles"), lexicon=lexicon)
