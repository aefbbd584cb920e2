"""Measures: what a figure measures, so that only like is compared with like.

A toll, a count of the missing, a crowd estimate and a number of troops sent
are different measures: a claim groups figures of one measure, and a
discrepancy never sets 57 dead against 12 missing.  ``kit.schema.MEASURES``
lists them: dead, injured, missing, captured, evacuated, displaced, crowd,
deployed forces, planned forces, supplied items, cases and other.

The knowledge is data, ``kit/data/measures.csv`` (a story folder's rows come
first), one regular expression a row with the text it is searched in (its
``scope``), in three rounds:

1. ``figure`` rows (the figure's status, kind and noun written
   ``"status kind: noun"``: "planned forces: troops", "supplied materiel:
   tonnes") and ``noun`` rows (the counted noun: "deaths", "wounded soldiers",
   "cases"), in order: the first that matches decides;
2. ``near`` rows, searched in the sentence from ``NEAR_BEFORE`` characters before
   the figure to ``NEAR_AFTER`` after it (the counted noun included): the cue
   nearest to the figure decides, a cue before it counting ``BEFORE_WEIGHT``
   times its distance (ties: the cue after the figure, then the earlier row), so
   in "the flood killed 57 people and injured 300" 57 is dead and 300 injured;
3. ``default`` rows (the figure text again), in order: what is counted when
   nothing near it says what happened ("protesters": a crowd; "patients":
   injured).

A noun the figure takes over from the count before it ("injured 300, and 12
are still missing": the kit's noun of 12 is "injured") is no evidence of its
own: its noun rows are tried after the near rows.  A figure that no row
matches measures ``other``.

This module is not compiled (it is cheap): the first and last rounds are
remembered per distinct noun, status and kind, the near cues are read once a
sentence (one pass of their union), and each figure looks at the cues of its
own window only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import fastre
from kit import lexicon as _lexicon
from kit.extract import nouns

FILE = "measures.csv"
OTHER = "other"
#: How far from the figure (in characters of its sentence) a near cue may stand.
NEAR_BEFORE = 60
NEAR_AFTER = 80
#: A cue before the figure counts as this many times further than one after it: what
#: happened to what is counted mostly follows it ("14 are missing"), a verb before it
#: must stand close ("killing 57").
BEFORE_WEIGHT = 2
#: What ends a clause between a cue before the figure and the figure: the cue then counts
#: ``BEFORE_WEIGHT`` times further again (it most likely belongs to the clause before).
CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:and|but|while|whereas|as)\s", re.IGNORECASE)
#: A counted noun is written after the figure when it starts within this many characters
#: of it ("40 Kestravan soldiers", "thousands of protesters").
NOUN_REACH = 40
#: How far before the figure its count phrase may start ("the number of people killed by
#: the strike has reached 47", as ``kit.extract.nouns`` reads it).
COUNT_REACH = 90
#: The first and last rounds remember this many distinct figure texts at most.
MEMO_LIMIT = 50_000


@dataclass
class Rules:
    """The rows of measures.csv of one lexicon, compiled."""

    first: tuple[tuple[str, str, re.Pattern], ...]  # (measure, scope, pattern): noun, figure
    near: fastre.Pattern | None  # the near rows as one union, a group a row
    near_of_group: dict[int, tuple[int, str]]  # group -> (row number, measure)
    defaults: tuple[tuple[str, re.Pattern], ...]
    _decided: dict[tuple, tuple[str | None, str]] = field(default_factory=dict)  # round 1
    _default: dict[str, str] = field(default_factory=dict)  # figure text -> round 3


def compile_rules(rows) -> Rules:
    """Rules from the rows of measures.csv (dicts with measure, scope, pattern, _where)."""
    first, near, defaults = [], [], []
    for r in rows:
        pattern = _lexicon.compile_pattern(r["pattern"], r.get("_where", FILE))
        if r["scope"] in ("noun", "figure"):
            first.append((r["measure"], r["scope"], pattern))
        elif r["scope"] == "near":
            near.append((r["measure"], pattern))
        else:
            defaults.append((r["measure"], pattern))
    union, groups, group = None, {}, 1
    if near:
        # pattern.pattern is the row as compiled (apostrophes widened): a group a row
        union = fastre.compile("|".join(f"({p.pattern})" for _, p in near), ignorecase=True)
        for k, (measure, p) in enumerate(near):
            groups[group] = (k, measure)
            group += 1 + p.groups
    return Rules(tuple(first), union, groups, tuple(defaults))


@functools.lru_cache(maxsize=16)
def _rules_of(folders: tuple[Path, ...]) -> Rules:
    return compile_rules(_lexicon.load(*folders).tables[FILE])


def rules(lex: _lexicon.Lexicon) -> Rules:
    """The compiled rules of a lexicon (once per set of story folders)."""
    if FILE in lex.tables:
        return _rules_of(lex.folders)
    return _rules_of(())


def _figure_text(what, kind, status) -> str:
    return f"{status} {kind}: {what if isinstance(what, str) else ''}"


def _first_round(r: Rules, what: str | None, text: str, nouns_too: bool) -> tuple[str | None, str]:
    """The first figure row (or noun row, with ``nouns_too``) that matches: (measure, scope)."""
    key = (what, text, nouns_too)
    if key not in r._decided:
        if len(r._decided) >= MEMO_LIMIT:
            r._decided.clear()
        found: tuple[str | None, str] = (None, "")
        for measure, scope, pattern in r.first:
            if scope == "figure" and pattern.search(text) or \
                    scope == "noun" and nouns_too and what and pattern.search(what):
                found = (measure, scope)
                break
        r._decided[key] = found
    return r._decided[key]


def _own_noun(sentence: str, start: int, end: int, what: str) -> bool:
    """Whether the counted noun is the figure's own: written just after it ("57 dead",
    "300 wounded soldiers", "thousands of protesters") or named by its count phrase ("the
    toll rose to 57"), not taken over from an earlier count ("killed 57 and injured 300,
    and 12 are still missing": the kit's noun of 12 is "injured")."""
    return sentence.find(what, end, end + NOUN_REACH + len(what)) >= 0 or \
        nouns.COUNT_BEFORE.search(sentence, max(0, start - COUNT_REACH), start) is not None


def _default_round(r: Rules, text: str) -> str:
    if text not in r._default:
        if len(r._default) >= MEMO_LIMIT:
            r._default.clear()
        r._default[text] = next((m for m, p in r.defaults if p.search(text)), OTHER)
    return r._default[text]


def _nearest(cues: list[tuple[int, int, int]], r: Rules, sentence: str, start: int,
             end: int) -> str | None:
    """The measure of the near cue closest to the figure ``[start, end)`` of its sentence."""
    best: tuple[int, bool, int] | None = None
    measure = None
    for c_start, c_end, group in cues:
        if c_end <= start:
            if c_end < start - NEAR_BEFORE:
                continue
            dist = BEFORE_WEIGHT * (start - c_end)
            if CLAUSE_BREAK.search(sentence, c_end, start):
                dist *= BEFORE_WEIGHT  # "57 died and 9 are missing": the cue is 57's
        elif c_start >= end:
            if c_start > end + NEAR_AFTER:
                break  # the cues come in order: the rest are further still
            dist = c_start - end
        else:
            dist = 0
        row, m = r.near_of_group.get(group, (1 << 30, OTHER))
        key = (dist, c_end <= start, row)  # ties: the cue after the figure, then the earlier row
        if best is None or key < best:
            best, measure = key, m
    return measure


def measures_of(what: list, kind: list, status: list, sentence: list, start: list, end: list,
                lex: _lexicon.Lexicon) -> list[str]:
    """The measure of each figure given as columns: its counted noun, kind, status,
    sentence and the offsets of its words in that sentence."""
    r = rules(lex)
    out: list[str] = []
    last_sentence: str | None = None
    cues: list[tuple[int, int, int]] = []
    for w, k, s, text, a, b in zip(what, kind, status, sentence, start, end):
        w = w if isinstance(w, str) else None
        text = text if isinstance(text, str) else ""
        a, b = int(a), int(b)
        fig = _figure_text(w, k, s)
        found, scope = _first_round(r, w, fig, True)
        taken_over = None  # the measure a noun taken over from an earlier count says
        if scope == "noun" and w is not None and not _own_noun(text, a, b, w):
            taken_over = found  # weighed after the words near the figure
            found, _ = _first_round(r, w, fig, False)
        if found is None and r.near is not None:
            if text is not last_sentence and text != last_sentence:
                last_sentence = text
                cues = r.near.firsts(text)
            found = _nearest(cues, r, text, a, b)
        if found is None:
            found = taken_over
        out.append(found if found is not None else _default_round(r, fig))
    return out


def measure(figures: pd.DataFrame, lexicon: object = None) -> pd.Series:
    """The measure of every figure of a figures frame (a string Series aligned with it),
    as ``kit.figures`` derives it; with another ``lexicon`` (a story folder, a shipped
    story's name or a ``Lexicon``) to see what its measures.csv changes."""
    lex = _lexicon.resolve(lexicon)
    offset = figures["sentence_start"]
    values = measures_of(figures["what"].tolist(), figures["kind"].tolist(),
                         figures["status"].tolist(), figures["sentence"].tolist(),
                         (figures["start"] - offset).tolist(), (figures["end"] - offset).tolist(),
                         lex)
    return pd.Series(values, index=figures.index, dtype="string")


def noun_names(lex: _lexicon.Lexicon):
    """A test ``(noun, family) -> bool``: whether a counted noun only names a measure
    ("deaths", "killed", "bodies", "the injured", "evacuees", "cases"), not who is counted:
    a noun row (other than ``other``) matches its family or its last word.  Claims count
    such nouns as people (the noun of "wounded soldiers" names soldiers: it is not one)."""
    patterns = [p for m, scope, p in rules(lex).first if scope == "noun" and m != OTHER]
    memo: dict[tuple[str, str], bool] = {}

    def names(what, family) -> bool:
        if not isinstance(what, str) or not what.split():
            return False
        key = (what, str(family))
        if key not in memo:
            last = what.split()[-1]
            memo[key] = any(p.search(last) or p.fullmatch(str(family)) for p in patterns)
        return memo[key]

    return names
