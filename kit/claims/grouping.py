"""Claims: the figures that state the same thing, across outlets and days.

A figure row says what one article printed; a *claim* is what someone said,
however many outlets repeated it ("the NIS says about 12,000 will be sent").
``claims(figures)`` groups the figures into claims, in the spirit of the
low / best / high estimates of hand-built conflict datasets (UCDP), each claim
keeping the ids of the figures behind it so every number stays traceable to
its sentence.  ``discrepancies(figures, claims)`` then flags where the sources
disagree, and ``compare(figures, claims)`` sets each source's latest value of a
measure beside the others', date by date.  All are pure functions on frames
(columns in ``kit.schema``).

**The grouping rule.**  Two figures state the same claim when they have

1. the same ``claimant``, its name normalised: case, a leading article ("The
   agency", "the agency"), a possessive "'s" and surrounding spaces and
   punctuation do not count; every claim shows the claimant's most frequent
   written form (ties: the earliest figure's), the same in every claim
   ("unattributed" groups like a name),
2. the same ``status`` and the same ``measure`` (dead, injured, missing, crowd,
   deployed forces, ...: ``kit/data/measures.csv``): 57 dead and 12 missing are
   never one claim, whatever their values,
3. the same noun *family* (``what``): the counted noun phrase is looked up in
   ``kit/data/noun_families.csv`` by its longest listed ending, so "special
   forces soldiers", "troops" and "military personnel" are all ``troops``; a
   noun that is not listed is its own family (its last word, so "shells" and
   "containers" never merge); a figure without a noun falls back to its
   ``kind`` (people, materiel, ...); a noun that only names a measure
   ("deaths", "killed", "the injured", "bodies", "evacuees": a noun row of
   measures.csv matches its family or last word) counts people, so "the toll
   rose to 57" and "57 people were killed" are one family, ``people``,
4. the same value: each figure is an interval ``[low, high]`` (a point value is
   ``[v, v]``; "more than 13,000" is ``[13000, open]``; "up to 500" is
   ``[open, 500]``).  Two figures are compatible when the same bounds are
   open and each given bound is the same value, by the ``tolerance`` of
   ``claims`` (and ``discrepancies``):

   * ``"rounding"`` (the default): equal after the source's own rounding.  A
     number's granularity is 10 to the power of its trailing zeros, capped so
     that at least two significant digits count (12,000: 1,000; 11,600: 100;
     1,480: 10; 70 and 68: 1; 1,000 and 1,400: 100).  Two numbers are the same
     when the more precise one, rounded (halves up) to the granularity of the
     rounder one, equals it: "about 12,000" and 12,000; 11,600 and 12,000;
     1,480 and 1,500; 1,450–1,520 and "about 1,500".  Numbers of the same
     granularity must be equal: 68 and 71 dead are two claims, so are 68 and
     70, 10,000 and 12,000, 1,000 and 1,400.
   * a share such as ``0.05``: each bound within 5 % relative difference of the
     other (``|a - b| <= 0.05 * max(a, b)``), the rule before the rounding one.

   A point is *not* merged into a wider range that contains it: "about
   12,000" and "between 10,000 and 12,000" are different statements (their
   lower bounds differ), so they stay two claims and ``discrepancies`` shows
   them side by side; likewise "13,000" and "more than 13,000".  The grouping
   is greedy and deterministic: the roundest figures come first (then the
   smaller values; by value alone with a share), and a figure joins the first
   claim whose *first* member it is compatible with, so a claim never spreads
   by chaining (1,000, 1,040, 1,080 and 1,120 are not one claim).
5. Vague figures ("thousands of soldiers") have no value: they form their own
   claims, one per claimant, status, measure, family and wording ("thousands",
   "dozens"), with ``low``, ``best`` and ``high`` empty.

**The claim's numbers.**  ``low`` is the smallest stated lower bound (or
value) of its figures, ``high`` the largest upper bound; ``best`` is the point
value stated by the most figures (ties broken by the most outlets, then a value
stated without a hedge over one only said "about" (rounding goes from the precise
number to the round one), then the earliest publication date, then the smaller
value), else (only ranges) the
midpoint of ``low`` and ``high`` rounded down; claims that only give a bound
("more than 13,000") or no number have no ``best``.  The ``value`` label says
"about" when most figures stating ``best`` hedge it ("about 12,000": two of
three said "about"/"around").  ``qualifier`` is
``range`` when any figure gives a range, ``approx`` when any figure hedges or
the values differ by rounding, else ``exact`` (bounds: ``more_than`` unless all
say ``at_least``; ``up_to``; ``vague``).

**Lists in cells.**  ``outlets``, ``nouns`` and ``figure_ids`` are strings
joined with ``"; "`` (outlets sorted case-insensitively, figure ids earliest
first), so the frame exports to CSV, JSON and Parquet as it is.  A missing
outlet counts as one outlet, "unknown outlet".
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import schema
from kit.claims.families import family
from kit.claims.values import (ROUNDING, _round_to, check_tolerance, granularity, same_value,
                               value_label)
from kit.schema import UNKNOWN_OUTLET

#: The share of ``tolerance=0.05``, the rule before the rounding one (kept for callers).
TOLERANCE = 0.05
SEP = "; "
UNATTRIBUTED = "unattributed"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)
_EDGES = " \t\r\n\"'“”‘’.,;:!?«»-–—"


def compatible(a: tuple, b: tuple, tolerance=ROUNDING) -> bool:
    """Two (low, high) intervals state the same value (see the module doc)."""
    return same_value(a[0], b[0], tolerance) and same_value(a[1], b[1], tolerance)


def claimant_key(name) -> str:
    """A claimant's name as grouping compares it: case, a leading article, possessives
    and surrounding spaces and punctuation left out ("The agency's" -> "agency")."""
    text = _POSSESSIVE.sub("", str(name)).strip(_EDGES)
    text = _ARTICLE.sub("", text).strip(_EDGES)
    return " ".join(text.casefold().split())


def claimant_names(names) -> list[str]:
    """Each name replaced by the most frequent written form of its ``claimant_key``
    (ties: the form written first), so one claimant is shown one way."""
    names = [str(n) for n in names]
    keys = {n: claimant_key(n) for n in dict.fromkeys(names)}  # each written form once
    counts: dict[str, dict[str, int]] = {}
    for n in names:
        forms = counts.setdefault(keys[n], {})
        forms[n] = forms.get(n, 0) + 1
    shown = {key: max(forms, key=forms.__getitem__) for key, forms in counts.items()}
    return [shown[keys[n]] for n in names]


def as_int(v):
    return None if v is None or pd.isna(v) else int(v)


def _bounds(low, high, qualifier) -> tuple | None:
    """The (low, high) interval of a figure; None for vague figures."""
    lo, hi = as_int(low), as_int(high)
    if qualifier == "vague" or (lo is None and hi is None):
        return None
    return (lo, hi)


def cluster(items: list[tuple[int, tuple]], tolerance=ROUNDING) -> list[list[int]]:
    """Greedy clustering of (row, interval) pairs: in order (the roundest first under
    "rounding", then by value), each joins the first cluster whose anchor (first member)
    it is compatible with."""
    keys: dict[tuple, tuple] = {}  # an interval's sort key (but for the row), made once

    def key(item):
        found = keys.get(item[1])
        if found is None:
            lo, hi = item[1]
            found = (lo if lo is not None else -1, hi if hi is not None else float("inf"))
            if tolerance == ROUNDING:
                steps = [granularity(v) for v in (lo, hi) if v is not None]
                found = (-min(steps) if steps else 0, *found)
            keys[item[1]] = found
        return (*found, item[0])

    clusters: list[tuple[tuple, list[int]]] = []
    # An interval met again joins the cluster it joined (or made) the first time: the
    # anchors made since come after that one, and those before were not compatible with it.
    # (An archive states the same values again and again.)
    joined: dict[tuple, int] = {}
    if tolerance != ROUNDING:
        for row, iv in sorted(items, key=key):
            k = joined.get(iv)
            if k is None:
                k = next((k for k, (anchor, _) in enumerate(clusters)
                          if compatible(anchor, iv, tolerance)), len(clusters))
                if k == len(clusters):
                    clusters.append((iv, []))
                joined[iv] = k
            clusters[k][1].append(row)
        return [members for _, members in clusters]
    # The same first-compatible-anchor rule, with the anchors indexed by their lower
    # bound: an anchor as round as the item or rounder is compatible only if the item's
    # bound rounded to the anchor's granularity is that bound, and an anchor finer than
    # the item only if its bound rounded to the item's granularity is the item's bound, so
    # a lookup per granularity replaces a scan of every anchor (a year of one source's
    # daily tolls makes thousands of claims; an archive, hundreds of thousands).
    index: dict[tuple, list[int]] = {}  # (granularity, lower bound) -> clusters
    finer: dict[tuple, list[int]] = {}  # (coarser step, bound rounded to it) -> clusters
    steps: set[int | None] = set()  # the anchors' granularities
    for row, iv in sorted(items, key=key):
        k = joined.get(iv)
        if k is not None:
            clusters[k][1].append(row)
            continue
        lo = iv[0]
        if lo is None:
            found = index.get((None, None), [])
        else:
            step = granularity(lo)
            found = list(finer.get((step, int(lo)), ()))
            for g in steps:
                if g is not None and g >= step:
                    found += index.get((g, _round_to(int(lo), g)), ())
        for k in sorted(found):
            if compatible(clusters[k][0], iv, tolerance):
                clusters[k][1].append(row)
                joined[iv] = k
                break
        else:
            joined[iv] = len(clusters)
            g = None if lo is None else granularity(lo)
            index.setdefault((g, None if lo is None else int(lo)), []).append(len(clusters))
            if lo is not None:
                coarser = g * 10
                while coarser <= 10 * 10 ** len(str(abs(int(lo)))):
                    finer.setdefault((coarser, _round_to(int(lo), coarser)), []).append(
                        len(clusters))
                    coarser *= 10
            steps.add(g)
            clusters.append((iv, [row]))
    return [members for _, members in clusters]


def _values(column: pd.Series) -> list:
    """A column as a list of Python values, None where missing (one conversion: iterating
    an Arrow-backed column value by value costs far more)."""
    return column.astype(object).where(column.notna(), None).tolist()


def _families(f: pd.DataFrame, families, measure_nouns) -> list[str]:
    """The noun family of each figure (each noun and kind looked up once: an archive
    writes the same nouns again and again)."""
    pairs = list(zip(_values(f["what"]), _values(f["kind"])))
    found = {pair: family(pair[0], pair[1], families) for pair in dict.fromkeys(pairs)}
    if measure_nouns is not None:  # "deaths", "the injured": a noun naming a measure counts people
        found = {pair: "people" if measure_nouns(pair[0], fam) else fam
                 for pair, fam in found.items()}
    return [found[pair] for pair in pairs]


def _order_keys(f: pd.DataFrame, rows=None) -> list[tuple]:
    """Each figure's place among a claim's figures: earliest first (undated last), then
    outlet and position (of the figures ``rows``, default all)."""
    pick = (lambda col: _values(col)) if rows is None else \
        (lambda col: _values(col.iloc[rows]))
    return [(d is None, d or "", (UNKNOWN_OUTLET if o is None else str(o)).lower(), a, int(st))
            for d, o, a, st in zip(pick(f["published"]), pick(f["outlet"]),
                                   pick(f["article_id"]), pick(f["start"]))]


def _shown_names(f: pd.DataFrame, order_of=None) -> list[str]:
    """``claimant_names`` of the figures in their claims' order, without sorting them all:
    the order only decides between forms written equally often (``order_of(rows)``: the
    ``_order_keys`` of those rows, default read from ``f``)."""
    names = [str(pd.NA) if n is None else n for n in _values(f["claimant"])]
    keys = {n: claimant_key(n) for n in dict.fromkeys(names)}
    counts: dict[str, dict[str, int]] = {}
    for n in names:
        forms = counts.setdefault(keys[n], {})
        forms[n] = forms.get(n, 0) + 1
    shown = {}
    tied: dict[str, set[str]] = {}
    for key, forms in counts.items():
        top = max(forms.values())
        best = [n for n, k in forms.items() if k == top]
        shown[key] = best[0]
        if len(best) > 1:
            tied[key] = set(best)
    if tied:  # the tied form written first in the claims' order
        rows = [i for i, n in enumerate(names) if n in tied.get(keys[n], ())]
        for _, i in sorted(zip((order_of or (lambda r: _order_keys(f, r)))(rows), rows)):
            key = keys[names[i]]
            if key in tied:
                shown[key] = names[i]
                del tied[key]
    return [shown[keys[n]] for n in names]


def _prepared(figures: pd.DataFrame, families: dict[str, str] | None,
              measure_nouns=None, family_=None) -> pd.DataFrame:
    f = figures.reset_index(drop=True).copy()
    f["family_"] = _families(f, families, measure_nouns) if family_ is None else family_
    outlets = [UNKNOWN_OUTLET if o is None else str(o) for o in _values(f["outlet"])]
    f["outlet_"] = outlets
    f["date_"] = pd.Series(_values(f["published"]), dtype=object)
    bounds = [_bounds(lo, hi, q) for lo, hi, q in
              zip(_values(f["low"]), _values(f["high"]), _values(f["qualifier"]))]
    f["bounds_"] = pd.Series(bounds, dtype=object)
    f["vague_"] = [(s or "").strip().lower() if b is None else None
                   for s, b in zip(_values(f["surface"]), bounds)]
    # Figures of a claim, earliest first (undated last), then outlet and position.
    keys = _order_keys(f)
    rank = sorted(range(len(f)), key=keys.__getitem__)
    order = [0] * len(f)
    for position, row in enumerate(rank):
        order[row] = position
    f["order_"] = order
    # One claimant, one name: the most frequent written form (ties: the earliest figure's).
    names = [str(pd.NA) if n is None else n for n in _values(f["claimant"])]
    shown = claimant_names([names[row] for row in rank])
    written = [""] * len(f)
    for row, name in zip(rank, shown):
        written[row] = name
    f["claimant"] = pd.Series(written, dtype="string")
    return f


def _shape_rank(iv) -> int:
    if iv is None:
        return 3
    lo, hi = iv
    return 0 if lo is not None and hi is not None else (1 if hi is None else 2)


#: The columns of the prepared figures a claim row is made from.
_ROW_COLUMNS = ("claimant", "status", "measure", "family_", "bounds_", "vague_", "outlet_",
                "date_", "qualifier", "what", "figure_id", "order_")


def _claim_row(members: list[int], c: dict[str, list]) -> dict:
    """The claim of the figures ``members`` (rows of the prepared figures, whose columns
    are the lists ``c``: plain lists, as a frame slice per claim costs far more)."""
    rows = sorted(members, key=c["order_"].__getitem__)
    bounds = [c["bounds_"][i] for i in rows]
    outlets_ = [c["outlet_"][i] for i in rows]
    dates_ = [c["date_"][i] for i in rows]
    quals_ = [c["qualifier"][i] for i in rows]
    k = rows[0]
    first = {name: c[name][k] for name in ("claimant", "status", "measure", "family_", "vague_")}
    iv = bounds[0]
    quals = set(quals_)
    lows = [b[0] for b in bounds if b is not None and b[0] is not None]
    highs = [b[1] for b in bounds if b is not None and b[1] is not None]
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    best = None
    best_hedged = False
    if iv is None:
        qualifier = "vague"
        low = high = None
    elif iv[0] is not None and iv[1] is not None:
        points = [(b[0], o, d, q) for b, o, d, q in
                  zip(bounds, outlets_, dates_, quals_) if b[0] == b[1]]
        if points:
            tally: dict[int, dict] = {}
            for v, o, d, q in points:
                t = tally.setdefault(v, {"n": 0, "outlets": set(), "first": None, "hedged": 0})
                t["n"] += 1
                t["outlets"].add(o)
                t["hedged"] += q == "approx"
                if d is not None and (t["first"] is None or d < t["first"]):
                    t["first"] = d
            best = min(tally, key=lambda v: (-tally[v]["n"], -len(tally[v]["outlets"]),
                                             tally[v]["hedged"] == tally[v]["n"],
                                             tally[v]["first"] or "9999", v))
            # "about" in the label when most figures stating the best value hedge it.
            best_hedged = tally[best]["hedged"] * 2 > tally[best]["n"]
        else:
            best = (low + high) // 2
        if any(b[0] != b[1] for b in bounds):
            qualifier = "range"
        elif "approx" in quals or low != high:
            qualifier = "approx"
        else:
            qualifier = "exact"
    elif iv[1] is None:
        qualifier = "at_least" if quals == {"at_least"} else "more_than"
    else:
        qualifier = "up_to"
    if qualifier == "vague":
        value = first["vague_"] or "unquantified"
    elif qualifier == "range":
        value = value_label(low, high, "range")
    elif qualifier in ("exact", "approx"):
        value = value_label(best, best, "approx" if best_hedged else "exact")
    else:
        value = value_label(low, high, qualifier)
    outlets = sorted(set(outlets_), key=lambda s: (s.lower(), s))
    dates = sorted(d for d in dates_ if d is not None)
    nouns = sorted({w.strip().lower() for w in (c["what"][i] for i in rows) if isinstance(w, str)})
    figure_ids = SEP.join([c["figure_id"][i] for i in rows])
    return {
        "claimant": first["claimant"], "status": first["status"], "measure": first["measure"],
        "what": first["family_"],
        "qualifier": qualifier, "low": low, "best": best, "high": high, "value": value,
        "nouns": SEP.join(nouns) if nouns else None,
        "n_outlets": len(outlets), "outlets": SEP.join(outlets), "n_figures": len(rows),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "figure_ids": figure_ids,
        "_sort": (*group_place(first["claimant"], first["status"], first["measure"],
                               first["family_"]), _shape_rank(iv),
                  low if low is not None else (high if high is not None else 0),
                  high if high is not None else 0, first["vague_"] or "",
                  figure_ids),  # no two claims share a figure
    }


def group_place(claimant: str, status, measure, family: str) -> tuple:
    """The first keys of the claims' order, those of a group (claimant as shown, status,
    measure, noun family): every claim of a group starts with them."""
    return (claimant == UNATTRIBUTED, claimant.lower(),
            schema.STATUSES.index(status) if status in schema.STATUSES else 99,
            _measure_rank(measure), family)


def _measure_rank(measure) -> int:
    return schema.MEASURES.index(measure) if measure in schema.MEASURES else len(schema.MEASURES)


def claims(figures: pd.DataFrame, families: dict[str, str] | None = None, *,
           lexicon=None, tolerance=ROUNDING) -> pd.DataFrame:
    """Group the figures into claims (one row per claim; see the module doc for
    the rule).  ``families`` maps nouns to families (default: the noun_families.csv of
    ``lexicon``, a story folder, a shipped story's name or a ``Lexicon``; see
    ``kit.lexicon.resolve``; its measures.csv says which nouns only name a measure).
    ``tolerance``: when two values are the same, ``"rounding"`` (the default: equal after
    the source's own rounding) or a share such as 0.05 (ValueError otherwise).  Returns a
    frame checked against ``kit.schema.CLAIMS``; an empty frame for no figures."""
    return finish_claims(claim_rows(figures, families, lexicon=lexicon, tolerance=tolerance))


def claim_rows(figures: pd.DataFrame, families: dict[str, str] | None = None, *,
               lexicon=None, tolerance=ROUNDING) -> list[dict]:
    """The claims of ``figures`` as rows not yet ordered nor numbered.  Figures of
    different claimants never share a claim, so the figures may be given in parts that
    keep each claimant whole, and the parts' rows put together by ``finish_claims``."""
    from kit.extract import measures
    from kit.lexicon import resolve

    tolerance = check_tolerance(tolerance)
    lex = resolve(lexicon)
    if families is None:
        families = lex.families
    if not len(figures):
        return []
    f = _prepared(figures, families, measures.noun_names(lex))
    c = {name: [None if v is pd.NA else v for v in f[name].tolist()] for name in _ROW_COLUMNS}
    groups: dict[tuple, list[int]] = {}  # in order of first appearance, like groupby(sort=False)
    for i, key in enumerate(zip(c["claimant"], c["status"], c["measure"], c["family_"])):
        groups.setdefault(key, []).append(i)
    rows = []
    for members in groups.values():
        for part in _group_parts(members, c, tolerance):
            rows += _part_claims(part, c, tolerance)
    return rows


def part_claim_rows(figures: pd.DataFrame, *, lexicon=None,
                    known: set[str] | frozenset = frozenset()) -> tuple[list[dict], dict]:
    """The claims of ``figures`` (the default tolerance), *part* by part: the figures of
    a claimant, status, measure and noun family (a group) are cut into parts no two of
    which hold figures of one claim (values that rounding can make the same share a part;
    vague figures, a part a wording), so a part's claims, like a group's, depend on its
    figures alone.  Groups and parts are named by a hash of their figures' rows and the
    claimant as claims show it; the claims of a group or part named in ``known`` are not
    made (the caller has them), and only the figures of the parts to make are prepared.
    ``figures`` may hold each figure's noun family and row hash already
    (``claim_inputs``: columns ``_family`` and ``_hash``).  Returns the rows made, each
    with the names of its group and part (``_group``, ``_part``), and the names of
    ``known`` found (the groups and parts whose claims the caller keeps), each with the
    name of the group it is now in.  ``finish_claims`` of the rows of all parts equals
    ``claims(figures)``; ``named_groups`` and ``group_claim_rows`` do the same a few
    groups at a time."""
    from kit.lexicon import resolve

    lex = resolve(lexicon)
    if not len(figures):
        return [], {}
    given = figures if "_hash" in figures.columns else claim_inputs(figures, lex)
    given = given.reset_index(drop=True)
    named = named_groups(given)
    return group_claim_rows(named, named.groups,
                            lambda at, columns: (given if columns is None else given[columns])
                            .take(at), lexicon=lex, known=known)


@dataclass
class NamedGroups:
    """The groups of a set of figures, named (``named_groups``)."""

    shown: list[str]  # each figure's claimant as claims show it
    mixed: np.ndarray  # each figure's row hash mixed with its shown claimant (uint64)
    squares: np.ndarray  # and its square: a set of rows is named by their sums
    groups: list[tuple[str, np.ndarray]]  # each group's name and rows, in order of appearance
    places: list[tuple]  # each group's ``group_place``: where its claims are in the order


def named_groups(given: pd.DataFrame, order_of=None) -> NamedGroups:
    """The groups of ``given`` (figures with ``claim_inputs``' columns; only ``claimant``,
    ``status``, ``measure``, ``_family`` and ``_hash`` are read, and ``order_of(rows)``
    gives the ``_order_keys`` of rows whose claimant is written two ways equally often:
    default read from ``given``), each named by its figures and placed in the claims'
    order: enough to make their claims a few groups at a time (``group_claim_rows``)."""
    shown = _shown_names(given, order_of)
    mixed, squares, groups = _group_names(given, shown)
    status, measure, fams = (_values(given[c]) for c in ("status", "measure", "_family"))
    places = [group_place(shown[i], status[i], measure[i], fams[i])
              for i in (int(rows[0]) for _, rows in groups)]
    return NamedGroups(shown, mixed, squares, groups, places)


def group_claim_rows(named: NamedGroups, groups: list[tuple[str, np.ndarray]], frame_of, *,
                     lexicon=None, known: set[str] | frozenset = frozenset()
                     ) -> tuple[list[dict], dict]:
    """``part_claim_rows`` of the figures of ``groups`` (some of ``named.groups``):
    ``frame_of(rows, columns)`` gives the figures at those rows (``columns``, or every
    column of ``claim_inputs`` when None): the values of the groups not ``known``, to cut
    them into parts, then every column of the parts to make."""
    from kit.lexicon import resolve

    found: dict[str, str] = {}
    unknown: list[tuple[str, np.ndarray]] = []
    for group, members in groups:
        if group in known:
            found[group] = group
        else:
            unknown.append((group, members))
    if not unknown:
        return [], found
    lex = resolve(lexicon)
    positions = np.sort(np.concatenate([members for _, members in unknown]))
    c = _shapes(frame_of(positions, list(_SHAPE_COLUMNS)).reset_index(drop=True),
                list(range(len(positions))))
    cut: list[tuple[str, list]] = []  # (group, part: rows or (row, interval)s of ``given``)
    for group, members in unknown:
        for part in _group_parts(np.searchsorted(positions, members).tolist(), c, ROUNDING):
            cut.append((group, part))
    names = _rows_names([[i for i, _ in part] if isinstance(part[0], tuple) else part
                         for _, part in cut], named.mixed[positions], named.squares[positions])
    todo: list[tuple[str, str, list]] = []
    for (group, part), name in zip(cut, names):
        if name in known:
            found[name] = group
        else:
            todo.append((group, name, part))
    if not todo:
        return [], found
    rows_ = sorted(i if isinstance(i, int) else i[0] for _, _, part in todo for i in part)
    at = {row: k for k, row in enumerate(rows_)}  # the same order: the same tie-breaks
    given = frame_of(positions[rows_], None).reset_index(drop=True)
    given = given.assign(claimant=pd.Series([named.shown[i] for i in positions[rows_].tolist()],
                                            dtype="string"))
    f = _prepared(given, lex.families, family_=_values(given["_family"]))
    c = {name: [None if v is pd.NA else v for v in f[name].tolist()] for name in _ROW_COLUMNS}
    rows: list[dict] = []
    for group, name, part in todo:
        part = [(at[i], iv) for i, iv in part] if isinstance(part[0], tuple) else \
            [at[i] for i in part]
        rows += [dict(r, _group=group, _part=name) for r in _part_claims(part, c, ROUNDING)]
    return rows, found


def claim_inputs(figures: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """``figures`` with what names their groups and parts: each figure's noun family
    (``_family``) and a hash of its row (``_hash``), as ``part_claim_rows`` reads them
    (``kit extract`` computes them on the workers, once a figure)."""
    from kit.extract import measures
    from kit.lexicon import resolve

    lex = resolve(lexicon)
    given = figures.reset_index(drop=True)
    fams = _families(given, lex.families, measures.noun_names(lex))
    hashes = pd.util.hash_pandas_object(given, index=False).to_numpy()
    return given.assign(_family=pd.Series(fams, dtype="string"), _hash=hashes)


def _group_names(given: pd.DataFrame, shown: list[str]) -> tuple[np.ndarray, np.ndarray,
                                                                   list]:
    """Each row's hash mixed with its claimant's shown name (a claim shows it) and its
    square, for ``_rows_names``; and each group (claimant as shown, status, measure,
    family) as its name and its rows, named at once (sums of the hashes and squares of
    its rows, as ``_rows_names`` names a set of rows)."""
    codes, names = pd.factorize(pd.Series(shown, dtype=object))
    salt = np.array([int(hashlib.sha1(str(n).encode("utf-8", "surrogatepass")).hexdigest()
                         [:16], 16) for n in names], dtype=np.uint64)
    mixed = given["_hash"].to_numpy(dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + \
        salt[codes]  # (uint64 arrays wrap, as the sums of _rows_names do)
    squares = mixed * mixed
    group = given[["status", "measure", "_family"]].assign(claimant=codes).groupby(
        ["claimant", "status", "measure", "_family"], sort=False, dropna=False).ngroup()
    order = np.argsort(group.to_numpy(), kind="stable")
    starts = np.flatnonzero(np.diff(group.to_numpy()[order], prepend=-1))
    sums = np.add.reduceat(mixed[order], starts), np.add.reduceat(squares[order], starts)
    ends = [*starts[1:].tolist(), len(order)]
    out = [("%016x%016x%x" % (a, b, end - start), order[start:end])
           for a, b, start, end in zip(sums[0].tolist(), sums[1].tolist(), starts.tolist(), ends)]
    return mixed, squares, out


#: The columns ``_shapes`` reads.
_SHAPE_COLUMNS = ("low", "high", "qualifier", "surface")


def _shapes(given: pd.DataFrame, members: list[int]) -> dict[str, dict]:
    """The interval (``bounds_``) and the vague wording (``vague_``) of the rows
    ``members``, as ``_group_parts`` reads them (what ``_prepared`` gives)."""
    rows = given.iloc[members]
    # _bounds of values already None where missing (its missing-value test costs more)
    bounds = [None if q == "vague" or (lo is None and hi is None) else
              (None if lo is None else int(lo), None if hi is None else int(hi))
              for lo, hi, q in zip(_values(rows["low"]), _values(rows["high"]),
                                   _values(rows["qualifier"]))]
    vague = [(s or "").strip().lower() if b is None else None
             for s, b in zip(_values(rows["surface"]), bounds)]
    return {"bounds_": dict(zip(members, bounds)), "vague_": dict(zip(members, vague))}


def _rows_names(sets: list[list[int]], mixed: np.ndarray, squares: np.ndarray) -> list[str]:
    """A name of each set of rows (none empty) from their hashes and squares
    (``_group_names``), whatever the rows' order: the sums (wrapping at 64 bits) and the
    number of rows."""
    if not sets:
        return []
    sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    flat = np.fromiter(itertools.chain.from_iterable(sets), dtype=np.int64,
                       count=int(sizes.sum()))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    a, b = np.add.reduceat(mixed[flat], starts), np.add.reduceat(squares[flat], starts)
    return ["%016x%016x%x" % (x, y, n) for x, y, n in zip(a.tolist(), b.tolist(),
                                                          sizes.tolist())]


def _group_parts(members: list[int], c: dict[str, list], tolerance) -> list[list]:
    """The parts of one group's figures: lists of (row, interval) of numeric figures that
    may be one claim, and lists of rows of vague figures of one wording."""
    numeric = [(i, c["bounds_"][i]) for i in members if c["bounds_"][i] is not None]
    vague: dict[object, list[int]] = {}
    for i in members:
        if c["bounds_"][i] is None:
            vague.setdefault(c["vague_"][i], []).append(i)
    parts: list[list] = _value_parts(numeric) if tolerance == ROUNDING else \
        ([numeric] if numeric else [])
    return parts + list(vague.values())


def _part_claims(part: list, c: dict[str, list], tolerance) -> list[dict]:
    if part and isinstance(part[0], tuple):  # numeric: (row, interval) pairs
        return [_claim_row(together, c) for together in cluster(part, tolerance)]
    return [_claim_row(part, c)]  # vague figures of one wording: one claim


def _value_parts(items: list[tuple[int, tuple]]) -> list[list[tuple[int, tuple]]]:
    """(row, interval) pairs cut so that two compatible intervals (by rounding) share a
    part: two intervals are compatible only if their lower bounds are (their upper bounds
    when neither has one), and a bound is compatible with another only if one is the
    other rounded to its own granularity; so each bound is joined to the bounds it rounds
    to at every coarser granularity.  ``cluster`` of each part alone gives the claims of
    ``cluster`` of all (an item joins the first compatible anchor, always in its part)."""
    by_bound: dict[tuple, list] = {}
    for item in items:
        lo, hi = item[1]
        by_bound.setdefault((0, lo) if lo is not None else (1, hi), []).append(item)
    parent = {b: b for b in by_bound}

    def root(b: tuple) -> tuple:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for side, v in by_bound:
        v = int(v)
        step = granularity(v) * 10
        while step <= 2 * abs(v):  # past that the value rounds to 0
            coarse = _round_to(v, step)
            if (side, coarse) in by_bound and granularity(coarse) == step:
                parent[root((side, v))] = root((side, coarse))
            step *= 10
    parts: dict[tuple, list] = {}
    for b, its in by_bound.items():
        parts.setdefault(root(b), []).extend(its)
    return list(parts.values())


def finish_claims(rows: list[dict]) -> pd.DataFrame:
    """The claims frame of ``claim_rows``: in the claims' order, numbered C1, C2, ..."""
    if not rows:
        return schema.empty("claims")
    rows = sorted(rows, key=lambda r: r["_sort"])
    out = pd.DataFrame(rows).drop(columns="_sort")
    out.insert(0, "claim_id", [f"C{i}" for i in range(1, len(out) + 1)])
    return schema.conform(out, "claims")


#: The columns of ``claim_frame`` that hold a claim's place in the claims' order.
_SORT_COLUMNS = tuple(f"_sort{k}" for k in range(9))


def claim_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows of ``claim_rows`` or ``part_claim_rows`` as a frame that can be stored
    (its place in the claims' order as plain columns) and finished by
    ``finish_claim_frame`` (None for no rows: a frame needs its columns)."""
    if not rows:
        return None
    out = pd.DataFrame([{k: v for k, v in r.items() if k != "_sort"} for r in rows])
    places = pd.DataFrame([r["_sort"][:len(_SORT_COLUMNS)] for r in rows],
                          columns=list(_SORT_COLUMNS))
    return pd.concat([out, places], axis=1)


def sort_order(frame: pd.DataFrame) -> list[int]:
    """The rows of ``claim_frame`` frames in the order of ``finish_claims``: the same keys
    (the claim's figure ids last), as tuples."""
    keys = list(zip(*(frame[name].tolist() for name in (*_SORT_COLUMNS, "figure_ids"))))
    return sorted(range(len(frame)), key=keys.__getitem__)


def finish_claim_frame(frame: pd.DataFrame | None) -> pd.DataFrame:
    """``finish_claims`` of the rows of ``claim_frame`` frames put together."""
    if frame is None or not len(frame):
        return schema.empty("claims")
    out = frame.iloc[sort_order(frame)].drop(columns=[n for n in frame.columns if n.startswith("_")])
    out = out.reset_index(drop=True)
    out.insert(0, "claim_id", [f"C{i}" for i in range(1, len(out) + 1)])
    return schema.conform(out, "claims")


def claim_ids(figures: pd.DataFrame, claims: pd.DataFrame) -> pd.Series:
    """The claim of each figure (a string Series aligned with ``figures``; empty
    for figures the claims frame does not cover)."""
    owner = {fid: cid for cid, ids in zip(claims["claim_id"], claims["figure_ids"])
             for fid in str(ids).split(SEP)}
    return pd.Series([owner.get(fid) for fid in figures["figure_id"]], index=figures.index,
                     dtype="string")
