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
import pyarrow as pa
import pyarrow.compute as pc

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


def _coded(column: pd.Series) -> tuple[np.ndarray, list]:
    """Each value of ``column`` as a number (-1 where missing) and the distinct values
    those number (Python values, in order of appearance): a value's work done once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes, list(uniques)


def _by_code(codes: np.ndarray, values: list, missing) -> np.ndarray:
    """An object array of ``values[code]`` a row (``missing`` for -1)."""
    table = np.empty(len(values) + 1, dtype=object)
    for k, v in enumerate([*values, missing]):
        table[k] = v
    return table[codes]


def _sorted_ranks(codes: np.ndarray, keys: list, missing_key) -> np.ndarray:
    """Each row's rank among the sorted distinct ``keys`` of its code (``missing_key``
    for -1): rows of equal keys share a rank, as ``pd.factorize(sort=True)`` of the
    rows' keys numbers them."""
    every = [*keys, missing_key]
    ranks = pd.factorize(pd.Series(every, dtype=object), sort=True)[0]
    return ranks[codes]


def _in_order(f: pd.DataFrame, outlets: tuple[np.ndarray, list],
              dates: tuple[np.ndarray, list]) -> np.ndarray:
    """The rows of the figures ``f`` sorted as by their ``_order_keys`` (ties kept in
    their order), with arrays: each key's distinct strings (``outlets`` and ``dates``:
    ``_coded``) ranked once."""
    outlet_codes, outlet_names = outlets
    date_codes, date_names = dates
    outlet_rank = _sorted_ranks(outlet_codes, [str(o).lower() for o in outlet_names],
                                UNKNOWN_OUTLET.lower())
    date_rank = _sorted_ranks(date_codes, [d or "" for d in date_names], "")
    articles = pd.factorize(f["article_id"], sort=True)[0]
    return np.lexsort((f["start"].to_numpy(dtype=np.int64), articles, outlet_rank,
                       date_rank, date_codes < 0))


def _shown_names(f: pd.DataFrame, order_of=None) -> tuple[np.ndarray, list[str]]:
    """``claimant_names`` of the figures in their claims' order, without sorting them all:
    the order only decides between forms written equally often (``order_of(rows)``: the
    ``_order_keys`` of those rows, default read from ``f``).  Returns each figure's name
    as a number among the distinct names shown, and those names (each written form's
    work done once)."""
    codes, distinct = _coded(f["claimant"])
    index: dict[str, int] = {}  # each written form (a missing name is str(pd.NA)) once
    form_of = np.array([index.setdefault(n, len(index)) for n in [*distinct, str(pd.NA)]],
                       dtype=np.int64)
    form = form_of[np.where(codes < 0, len(distinct), codes)]
    names = list(index)
    counts = np.bincount(form, minlength=len(names)).tolist()
    keys = [claimant_key(n) for n in names]
    forms: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        if counts[k]:
            forms.setdefault(key, []).append(k)
    shown: dict[str, int] = {}
    tied: dict[str, set[int]] = {}
    for key, found in forms.items():
        top = max(counts[k] for k in found)
        best = [k for k in found if counts[k] == top]
        shown[key] = best[0]
        if len(best) > 1:
            tied[key] = set(best)
    if tied:  # the tied form written first in the claims' order
        among = np.zeros(len(names), dtype=bool)
        among[[k for ks in tied.values() for k in ks]] = True
        rows = np.flatnonzero(among[form]).tolist()
        for _, i in sorted(zip((order_of or (lambda r: _order_keys(f, r)))(rows), rows)):
            key = keys[form[i]]
            if key in tied:
                shown[key] = int(form[i])
                del tied[key]
    out: dict[int, int] = {}  # each form's shown name, numbered
    place = np.array([out.setdefault(shown[keys[k]], len(out)) if counts[k] else -1
                      for k in range(len(names))], dtype=np.int64)
    return place[form], [names[k] for k in out]


def _prepared(figures: pd.DataFrame, families: dict[str, str] | None,
              measure_nouns=None, family_=None, shown: bool = False) -> pd.DataFrame:
    """The figures as claims are made of them: each one's noun family (``family_`` when
    given), outlet (``outlet_``), date (``date_``), interval (``bounds_``: ``_intervals``;
    ``interval_``, a number a distinct interval, -1 when vague; ``lower_`` and ``upper_``
    with ``has_lower_`` and ``has_upper_``), wording when vague (``vague_``), place among
    a claim's figures (``order_``) and claimant as claims show it (already so when
    ``shown``)."""
    f = figures.reset_index(drop=True).copy()

    def objects(values) -> pd.Series:  # (as they are: read back as objects, not inferred)
        return pd.Series(values, dtype=object)

    f["family_"] = objects(_families(f, families, measure_nouns) if family_ is None
                           else family_)
    outlets = _coded(f["outlet"])
    f["outlet_"] = objects(_by_code(outlets[0], [str(o) for o in outlets[1]], UNKNOWN_OUTLET))
    dates = _coded(f["published"])
    f["date_"] = objects(_by_code(*dates, None))
    interval, bounds, (lower, has_lower), (upper, has_upper) = _intervals(f)
    f["bounds_"] = objects(_by_code(interval, bounds, None))
    f["interval_"] = interval
    f["lower_"], f["has_lower_"], f["upper_"], f["has_upper_"] = lower, has_lower, upper, has_upper
    vague = np.flatnonzero(interval < 0)
    wording = np.full(len(f), None, dtype=object)
    wording[vague] = [(s or "").strip().lower() for s in _values(f["surface"].iloc[vague])]
    f["vague_"] = objects(wording)
    # Figures of a claim, earliest first (undated last), then outlet and position.
    rank = _in_order(f, outlets, dates)
    order = np.empty(len(f), dtype=np.int64)
    order[rank] = np.arange(len(f))
    f["order_"] = order
    if not shown:
        # One claimant, one name: the most frequent written form (ties: the earliest
        # figure's).
        names = [str(pd.NA) if n is None else n for n in _values(f["claimant"])]
        rank = rank.tolist()
        written = [""] * len(f)
        for row, name in zip(rank, claimant_names([names[row] for row in rank])):
            written[row] = name
        f["claimant"] = pd.Series(written, dtype="string")
    return f


def _bound_values(column: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """A bound column as int64 values (0 where missing) and where given, as ``as_int``
    reads each value; None when it cannot be read so with arrays (a column of objects,
    unsigned values past int64, or floats past 2**53, where float64 stops holding every
    integer)."""
    if pd.api.types.is_unsigned_integer_dtype(column.dtype) and \
            column.max(skipna=True) >= 2 ** 63:
        return None
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.to_numpy(dtype=np.int64, na_value=0), column.notna().to_numpy()
    if pd.api.types.is_float_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        given = ~np.isnan(values)
        if np.all(np.abs(values[given]) < 2.0 ** 53):
            return np.where(given, values, 0).astype(np.int64), given
    return None


def _intervals(f: pd.DataFrame) -> tuple[np.ndarray, list, tuple, tuple]:
    """Each figure's interval, ``(low, high)`` with None for a bound not given (vague: said
    so, or no bound), as a number among the distinct intervals (-1 when vague), those
    intervals (tuples), and the figures' lower and upper bounds
    as arrays (0 where none, and where given; none when vague): each interval made once
    (an archive states the same values again and again)."""
    read = [_bound_values(f[c]) for c in ("low", "high")]
    if read[0] is None or read[1] is None:  # objects: each value read as ``as_int`` does
        pairs = [(as_int(lo), as_int(hi)) for lo, hi in zip(_values(f["low"]), _values(f["high"]))]
        read = [(np.array([p[k] or 0 for p in pairs], dtype=np.int64),
                 np.array([p[k] is not None for p in pairs], dtype=bool)) for k in (0, 1)]
    (lower, has_lower), (upper, has_upper) = read
    said, wordings = _coded(f["qualifier"])
    vague = np.isin(said, [k for k, q in enumerate(wordings) if q == "vague"]) | \
        ~(has_lower | has_upper)
    has_lower, has_upper = has_lower & ~vague, has_upper & ~vague
    lower, upper = np.where(has_lower, lower, 0), np.where(has_upper, upper, 0)
    interval = np.full(len(f), -1, dtype=np.int64)
    numeric = np.flatnonzero(~vague)
    bounds: list[tuple] = []
    if len(numeric):
        ids, first = _row_ids(*(a[numeric].astype(np.int64) for a in
                                (lower, upper, has_lower, has_upper)))
        interval[numeric] = ids
        heads = numeric[first]
        bounds = [(lo if a else None, hi if b else None) for lo, hi, a, b in
                  zip(lower[heads].tolist(), upper[heads].tolist(), has_lower[heads].tolist(),
                      has_upper[heads].tolist())]
    return interval, bounds, (lower, has_lower), (upper, has_upper)


def _claims_frame(f: pd.DataFrame, clusters: list[list[int]],
                  labels: dict[str, list] | None = None) -> pd.DataFrame | None:
    """The claims of ``clusters`` (each the rows of the prepared figures ``f`` that state
    one claim; see the module doc for a claim's numbers), one row a claim in the order of
    ``clusters``, made column by column with arrays: the claims columns but the id, then
    ``labels`` (a value a claim), then the claim's place in the claims' order
    (``_SORT_COLUMNS``; the figure ids break the last ties).  None for no cluster."""
    if not clusters:
        return None
    n = len(clusters)
    sizes = np.fromiter(map(len, clusters), dtype=np.int64, count=n)
    flat = np.fromiter(itertools.chain.from_iterable(clusters), dtype=np.int64,
                       count=int(sizes.sum()))
    # every claim's figures in turn, each claim's earliest first: ``claim`` of each
    claim = np.repeat(np.arange(n), sizes)
    rows = flat[np.argsort(claim * len(f) + f["order_"].to_numpy()[flat])]  # (all distinct)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    first = rows[starts]

    def any_of(mask: np.ndarray) -> np.ndarray:  # per claim: any of its figures
        return np.add.reduceat(mask.astype(np.int64), starts) > 0

    # the figures' bounds (``_intervals``)
    lower, upper, has_lower, has_upper = (f[c].to_numpy()[rows] for c in (
        "lower_", "upper_", "has_lower_", "has_upper_"))
    low = np.minimum.reduceat(np.where(has_lower, lower, np.iinfo(np.int64).max), starts)
    high = np.maximum.reduceat(np.where(has_upper, upper, np.iinfo(np.int64).min), starts)
    low_given, high_given = any_of(has_lower), any_of(has_upper)  # (none when vague)
    # the shape of the earliest figure's interval: a claim's figures share it
    vague = ~(has_lower | has_upper)[starts]
    both = (has_lower & has_upper)[starts]
    floor = (has_lower & ~has_upper)[starts]  # "more than 13,000"
    said, wordings = _coded(f["qualifier"])
    stated = said[rows]
    hedged = np.isin(stated, [k for k, q in enumerate(wordings) if q == "approx"])
    at_least = np.isin(stated, [k for k, q in enumerate(wordings) if q == "at_least"])
    qualifier = np.where(vague, "vague", np.where(
        both, np.where(any_of(has_lower & has_upper & (lower != upper)), "range",
                       np.where(any_of(hedged) | (low != high), "approx", "exact")),
        np.where(floor, np.where(any_of(~at_least), "more_than", "at_least"),
                 "up_to"))).astype(object)
    outlet, outlet_names = _ranked(f["outlet_"].to_numpy(dtype=object)[rows],
                                   key=lambda s: (s.lower(), s))
    date, date_names = _ranked(f["date_"].to_numpy(dtype=object)[rows])
    best = np.zeros(n, dtype=np.int64)
    best[both] = (low[both] + high[both]) // 2  # (only ranges: their midpoint)
    point = both[claim] & has_lower & has_upper & (lower == upper)
    best_hedged = np.zeros(n, dtype=bool)
    if point.any():
        at, best[at], best_hedged[at] = _best_values(
            claim[point], lower[point], outlet[point], date[point], hedged[point], date_names)
    # lists in cells
    outlets, n_outlets = _joined(claim, outlet, outlet_names, n)
    what, written = _coded(f["what"])
    nouns, n_nouns = _joined(claim, *_ranked(_by_code(
        what, [w.strip().lower() if isinstance(w, str) else None for w in written], None)[rows]),
        n)
    ids = pc.binary_join(pa.ListArray.from_arrays(
        pa.array(np.append(starts, len(rows)), type=pa.int32()),
        _taken(f["figure_id"], rows)), SEP)
    dates = [*date_names, None]
    earliest = np.minimum.reduceat(np.where(date >= 0, date, len(date_names)), starts)
    latest = np.maximum.reduceat(date, starts)
    heads = {name: _values(f[name].iloc[first])
             for name in ("claimant", "status", "measure", "family_", "vague_")}

    def given(values: np.ndarray, known: np.ndarray) -> list:
        return [int(v) if k else None for v, k in zip(values.tolist(), known.tolist())]

    lows, highs, bests = given(low, low_given), given(high, high_given), given(best, both)
    value = [(w or "unquantified") if q == "vague" else
             value_label(m, m, "approx" if h else "exact") if q in ("exact", "approx") else
             value_label(a, b, q)
             for q, a, b, m, h, w in zip(qualifier.tolist(), lows, highs, bests,
                                         best_hedged.tolist(), heads["vague_"])]
    groups = list(zip(heads["claimant"], heads["status"], heads["measure"], heads["family_"]))
    places = {key: group_place(*key) for key in dict.fromkeys(groups)}
    out = {
        "claimant": heads["claimant"], "status": heads["status"], "measure": heads["measure"],
        "what": heads["family_"], "qualifier": qualifier,
        "low": pd.array(lows, dtype="Int64"), "best": pd.array(bests, dtype="Int64"),
        "high": pd.array(highs, dtype="Int64"), "value": value,
        "nouns": _strings(pc.if_else(pa.array(n_nouns > 0), nouns, None)),
        "n_outlets": n_outlets, "outlets": _strings(outlets),
        "n_figures": sizes, "first_published": [dates[k] for k in earliest.tolist()],
        "last_published": [dates[k] for k in latest.tolist()],  # (-1: none dated)
        "figure_ids": _strings(ids),
        **(labels or {}),
    }
    for k in range(5):
        out[_SORT_COLUMNS[k]] = [places[key][k] for key in groups]
    out[_SORT_COLUMNS[5]] = np.where(vague, 3, np.where(both, 0, np.where(floor, 1, 2)))
    out[_SORT_COLUMNS[6]] = [a if a is not None else (b if b is not None else 0)
                             for a, b in zip(lows, highs)]
    out[_SORT_COLUMNS[7]] = [b if b is not None else 0 for b in highs]
    out[_SORT_COLUMNS[8]] = [w or "" for w in heads["vague_"]]
    return pd.DataFrame(out)


def _strings(array: pa.Array):
    """An Arrow array of strings as a pandas column of strings (no Python strings made on
    the way)."""
    return pd.array(array.cast(pa.large_string()), dtype="str")


def _taken(column: pd.Series, rows: np.ndarray) -> pa.Array:
    """The strings of ``column`` at ``rows``, as one Arrow array (no Python strings made
    on the way when the column is Arrow-backed)."""
    taken = pc.take(pa.array(column, from_pandas=True), pa.array(rows))
    if isinstance(taken, pa.ChunkedArray):
        taken = taken.combine_chunks()
    return taken.cast(pa.string())


def _ranked(values: np.ndarray, key=None) -> tuple[np.ndarray, list]:
    """Each of ``values`` (strings, or None) as its place among the distinct ones sorted
    (by ``key``; -1 for None), and those distinct strings in order."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    names = sorted(distinct.tolist(), key=key)
    place = {name: k for k, name in enumerate(names)}
    at = np.array([place[v] for v in distinct.tolist()] + [-1], dtype=np.int64)
    return at[codes], names


def _best_values(claim: np.ndarray, value: np.ndarray, outlet: np.ndarray, date: np.ndarray,
                 hedged: np.ndarray, dates: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best value of the claims whose point figures are given (each figure's claim,
    value, outlet, date as a place in ``dates`` or -1, and whether it was hedged): the
    value stated by the most figures, then by the most outlets, then not only hedged,
    then stated earliest (undated as "9999"), then the smaller.  Returns those claims,
    their best values, and whether most figures stating it hedged it."""
    tally = pd.DataFrame({"claim": claim, "value": value, "outlet": outlet,
                          "date": np.where(date >= 0, date, len(dates)), "hedged": hedged}
                         ).groupby(["claim", "value"], sort=False).agg(
        n=("outlet", "size"), outlets=("outlet", "nunique"), hedged=("hedged", "sum"),
        first=("date", "min")).reset_index()
    first = np.array([*dates, "9999"], dtype=object)[tally["first"].to_numpy()]
    tally["first"] = pd.factorize(np.where(first == "", "9999", first), sort=True)[0]
    tally["only_hedged"] = tally["hedged"] == tally["n"]
    top = tally.sort_values(["claim", "n", "outlets", "only_hedged", "first", "value"],
                            ascending=[True, False, False, True, True, True],
                            kind="stable").drop_duplicates("claim")
    return (top["claim"].to_numpy(), top["value"].to_numpy(),
            (top["hedged"] * 2 > top["n"]).to_numpy())


def _joined(claim: np.ndarray, value: np.ndarray, names: list, n: int
            ) -> tuple[pa.Array, np.ndarray]:
    """The distinct ``names`` of each of ``n`` claims' figures (``claim`` and ``value``:
    each figure's claim and name's place in ``names``, -1 for none), in the order of
    ``names``, joined with ``SEP`` (an Arrow array); and how many each claim has."""
    given = value >= 0
    width = max(len(names), 1)
    pairs = np.unique(claim[given] * width + value[given])
    counts = np.bincount(pairs // width, minlength=n)
    joined = pc.binary_join(pa.ListArray.from_arrays(
        pa.array(np.concatenate(([0], np.cumsum(counts))).astype(np.int32)),
        pa.array(np.array(names, dtype=object)[pairs % width], type=pa.string())), SEP)
    return joined, counts


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
    from kit.extract import measures
    from kit.lexicon import resolve

    tolerance = check_tolerance(tolerance)
    lex = resolve(lexicon)
    if families is None:
        families = lex.families
    if not len(figures):
        return schema.empty("claims")
    f = _prepared(figures, families, measures.noun_names(lex))
    group = f.groupby(["claimant", "status", "measure", "family_"], sort=False,
                      dropna=False).ngroup().to_numpy()
    bounds, intervals = f["bounds_"].tolist(), f["interval_"].to_numpy()
    together = [members for made in _parts_clustered(_part_ids(group, f, tolerance), bounds,
                                                      intervals, tolerance)
                for members in made]
    return finish_claim_frame(_claims_frame(f, together))


def part_claims(figures: pd.DataFrame, *, lexicon=None,
                known: set[str] | frozenset = frozenset()) -> tuple[pd.DataFrame | None, dict]:
    """The claims of ``figures`` (the default tolerance), *part* by part: the figures of
    a claimant, status, measure and noun family (a group) are cut into parts no two of
    which hold figures of one claim (values that rounding can make the same share a part;
    vague figures, a part a wording), so a part's claims, like a group's, depend on its
    figures alone.  Groups and parts are named by a hash of their figures' rows and the
    claimant as claims show it; the claims of a group or part named in ``known`` are not
    made (the caller has them), and only the figures of the parts to make are prepared.
    ``figures`` may hold each figure's noun family and row hash already
    (``claim_inputs``: columns ``_family`` and ``_hash``).  Returns the claims made (a
    claim frame, ``_claims_frame``, None for none), each with the names of its group and
    part (``_group``, ``_part``), and the names of ``known`` found (the groups and parts
    whose claims the caller keeps), each with the name of the group it is now in.
    ``finish_claim_frame`` of the claims of all parts equals ``claims(figures)``;
    ``named_groups`` and ``group_claims`` do the same a few groups at a time."""
    from kit.lexicon import resolve

    lex = resolve(lexicon)
    if not len(figures):
        return None, {}
    given = figures if "_hash" in figures.columns else claim_inputs(figures, lex)
    given = given.reset_index(drop=True)
    named = named_groups(given)
    return group_claims(named, named.groups,
                            lambda at, columns: given[columns].take(at), lexicon=lex,
                            known=known)


@dataclass
class NamedGroups:
    """The groups of a set of figures, named (``named_groups``)."""

    shown: np.ndarray  # each figure's claimant as claims show it (strings)
    mixed: np.ndarray  # each figure's row hash mixed with its shown claimant (uint64)
    squares: np.ndarray  # and its square: a set of rows is named by their sums
    groups: list[tuple[str, np.ndarray]]  # each group's name and rows, in order of appearance
    places: list[tuple]  # each group's ``group_place``: where its claims are in the order


def named_groups(given: pd.DataFrame, order_of=None) -> NamedGroups:
    """The groups of ``given`` (figures with ``claim_inputs``' columns; only ``claimant``,
    ``status``, ``measure``, ``_family`` and ``_hash`` are read, and ``order_of(rows)``
    gives the ``_order_keys`` of rows whose claimant is written two ways equally often:
    default read from ``given``), each named by its figures and placed in the claims'
    order: enough to make their claims a few groups at a time (``group_claims``)."""
    codes, names = _shown_names(given, order_of)
    mixed, squares, groups = _group_names(given, codes, names)
    shown = np.array(names, dtype=object)[codes]
    heads = np.array([int(rows[0]) for _, rows in groups], dtype=np.int64)
    status, measure, fams = (_values(given[c].iloc[heads]) for c in ("status", "measure",
                                                                    "_family"))
    places = [group_place(shown[i], *keys) for i, *keys in
              zip(heads.tolist(), status, measure, fams)]
    return NamedGroups(shown, mixed, squares, groups, places)


def group_claims(named: NamedGroups, groups: list[tuple[str, np.ndarray]], frame_of, *,
                 lexicon=None, known: set[str] | frozenset = frozenset()
                 ) -> tuple[pd.DataFrame | None, dict]:
    """``part_claims`` of the figures of ``groups`` (some of ``named.groups``):
    ``frame_of(rows, columns)`` gives those ``columns`` of the figures at those rows
    (ascending, each once): the values of the groups not ``known``, to cut them into
    parts, then the columns the parts to make are made from."""
    from kit.lexicon import resolve

    found: dict[str, str] = {}
    unknown: list[tuple[str, np.ndarray]] = []
    for group, members in groups:
        if group in known:
            found[group] = group
        else:
            unknown.append((group, members))
    if not unknown:
        return None, found
    lex = resolve(lexicon)
    positions = np.sort(np.concatenate([members for _, members in unknown]))
    group_of = np.empty(len(positions), dtype=np.int64)
    for k, (_, members) in enumerate(unknown):
        group_of[np.searchsorted(positions, members)] = k
    part = _part_ids(group_of, frame_of(positions, list(_SHAPE_COLUMNS))
                     .reset_index(drop=True), ROUNDING)
    names = _part_names(part, named.mixed[positions], named.squares[positions])
    part_group = group_of[np.unique(part, return_index=True)[1]]
    todo: list[int] = []
    for p, name in enumerate(names):
        if name in known:
            found[name] = unknown[part_group[p]][0]
        else:
            todo.append(p)
    if not todo:
        return None, found
    rows_ = np.flatnonzero(np.isin(part, todo))  # (in order: the same tie-breaks)
    given = frame_of(positions[rows_], list(_MADE_FROM)).reset_index(drop=True)
    given = given.assign(claimant=named.shown[positions[rows_]])
    f = _prepared(given, lex.families, shown=True,
                  family_=given["_family"].to_numpy(dtype=object, na_value=None))
    bounds, intervals = f["bounds_"].tolist(), f["interval_"].to_numpy()
    together: list[list[int]] = []
    labels: dict[str, list] = {"_group": [], "_part": []}
    for p, made in zip(todo, _parts_clustered(np.searchsorted(todo, part[rows_]), bounds,
                                              intervals, ROUNDING)):
        together += made
        labels["_group"] += [unknown[part_group[p]][0]] * len(made)
        labels["_part"] += [names[p]] * len(made)
    return _claims_frame(f, together, labels), found


def claim_inputs(figures: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """``figures`` with what names their groups and parts: each figure's noun family
    (``_family``) and a hash of its row (``_hash``), as ``part_claims`` reads them
    (``kit extract`` computes them on the workers, once a figure)."""
    from kit.extract import measures
    from kit.lexicon import resolve

    lex = resolve(lexicon)
    given = figures.reset_index(drop=True)
    fams = _families(given, lex.families, measures.noun_names(lex))
    hashes = pd.util.hash_pandas_object(given, index=False).to_numpy()
    return given.assign(_family=pd.Series(fams, dtype="string"), _hash=hashes)


def _group_names(given: pd.DataFrame, codes: np.ndarray, names: list[str]
                 ) -> tuple[np.ndarray, np.ndarray, list]:
    """Each row's hash mixed with its claimant's shown name (a claim shows it: ``names``,
    numbered by ``codes``) and its square, for ``_part_names``; and each group (claimant
    as shown, status, measure, family) as its name and its rows, named at once (sums of
    the hashes and squares of its rows, as ``_part_names`` names a part)."""
    salt = np.array([int(hashlib.sha1(str(n).encode("utf-8", "surrogatepass")).hexdigest()
                         [:16], 16) for n in names], dtype=np.uint64)
    mixed = given["_hash"].to_numpy(dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + \
        salt[codes]  # (uint64 arrays wrap, as the sums of _part_names do)
    squares = mixed * mixed
    # each group numbered in order of appearance (a groupby's ngroup, sort=False), from
    # its columns' codes packed in one key when they fit
    packed = _packed((codes, *(pd.factorize(given[c], use_na_sentinel=False)[0]
                               for c in ("status", "measure", "_family"))))
    group = pd.factorize(packed)[0] if packed is not None else \
        given[["status", "measure", "_family"]].assign(claimant=codes).groupby(
            ["claimant", "status", "measure", "_family"], sort=False, dropna=False
        ).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.diff(group[order], prepend=-1))
    sums = np.add.reduceat(mixed[order], starts), np.add.reduceat(squares[order], starts)
    ends = [*starts[1:].tolist(), len(order)]
    out = [("%016x%016x%x" % (a, b, end - start), order[start:end])
           for a, b, start, end in zip(sums[0].tolist(), sums[1].tolist(), starts.tolist(), ends)]
    return mixed, squares, out


#: The figure columns a part's claims are made from (``group_claims``: the claimant as
#: shown and the noun family are given).
_MADE_FROM = ("figure_id", "article_id", "outlet", "published", "start", "surface", "low",
              "high", "qualifier", "what", "status", "measure", "_family")
#: The figure columns that cut a group into parts (``_part_ids``).
_SHAPE_COLUMNS = ("low", "high", "qualifier", "surface")


def _part_ids(group: np.ndarray, shapes: pd.DataFrame, tolerance) -> np.ndarray:
    """Each figure's *part* (numbered from 0), given its group (``group``, a code a figure)
    and its ``_SHAPE_COLUMNS`` (``shapes``): the numeric figures of a group whose values
    rounding may make one claim share a part (``_rounding_roots``; with a share tolerance,
    a group's numeric figures are one part), and its vague figures of one wording
    ("thousands") are a part.  A part's claims depend on its figures alone."""
    n = len(group)
    low, high = (shapes[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in ("low", "high"))
    no_low, no_high = np.isnan(low), np.isnan(high)
    vague = (shapes["qualifier"] == "vague").to_numpy(dtype=bool, na_value=False) | \
        (no_low & no_high)
    # a part a distinct key: (0, the bound its rounding joins it to, 0) or (0, group, 0)
    # for numeric figures, (1, group, wording) for vague ones
    keys = np.zeros((n, 3), dtype=np.int64)
    numeric = np.flatnonzero(~vague)
    if tolerance == ROUNDING and len(numeric):
        # a bound is its lower one, else its upper one: (group, side, value)
        side = no_low[numeric].astype(np.int64)
        value = np.where(side == 0, shapes["low"].to_numpy(dtype=np.int64, na_value=0)[numeric],
                         shapes["high"].to_numpy(dtype=np.int64, na_value=0)[numeric])
        inverse, first = _row_ids(group[numeric], side, value)
        bounds = np.stack([group[numeric], side, value], axis=1)[first]
        roots = np.empty(len(bounds), dtype=np.int64)
        edges = [*np.flatnonzero(np.diff(bounds[:, 0], prepend=-1)).tolist(), len(bounds)]
        for a, b in zip(edges, edges[1:]):  # a group's distinct bounds at a time
            roots[a:b] = a + np.array(_rounding_roots(
                list(zip(bounds[a:b, 1].tolist(), bounds[a:b, 2].tolist()))), dtype=np.int64)
        keys[numeric, 1] = roots[inverse]
    else:
        keys[numeric, 1] = group[numeric]
    vague_rows = np.flatnonzero(vague)
    if len(vague_rows):
        surface = shapes["surface"].to_numpy(dtype=object)[vague_rows]
        words = pd.factorize(pd.Series([(s if isinstance(s, str) else "").strip().lower()
                                        for s in surface], dtype=object))[0]
        keys[vague_rows] = np.stack([np.ones(len(vague_rows), dtype=np.int64),
                                     group[vague_rows], words], axis=1)
    return _row_ids(keys[:, 0], keys[:, 1], keys[:, 2])[0]


def _row_ids(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's id among the distinct rows of int ``columns`` (numbered in their sorted
    order, from 0), and the first row of each (``np.unique(axis=0)``, which sorts
    structured copies, costs ten times more).  Columns whose values fit in 63 bits
    together are sorted as one key (twice as fast as sorting by each in turn)."""
    packed = _packed(columns)
    keys = columns if packed is None else (packed,)
    order = np.lexsort(keys[::-1]) if packed is None else np.argsort(packed, kind="stable")
    new = np.zeros(len(order), dtype=bool)
    if len(order):
        new[0] = True
        for column in keys:
            new[1:] |= column[order][1:] != column[order][:-1]
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ids, order[new]


def _packed(columns: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """Int ``columns`` as one int64 key that sorts as they do one after another (each
    value less its column's least, in as many bits as the column spans), or None when
    they do not fit in 63 bits."""
    if not len(columns) or not len(columns[0]):
        return None
    spans = [(int(c.min()), int(c.max())) for c in columns]
    widths = [(high - low).bit_length() for low, high in spans]
    if sum(widths) > 63:
        return None
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, (low, _), width in zip(columns, spans, widths):
        key = (key << np.int64(width)) | (column.astype(np.int64) - np.int64(low))
    return key


def _rounding_roots(bounds: list[tuple[int, int]]) -> list[int]:
    """For the distinct (side, value) bounds of one group's numeric figures, the bound
    whose part each is in (an index): two intervals are compatible only if their lower
    bounds are (their upper bounds when neither has one), and a bound is compatible with
    another only if one is the other rounded to its own granularity; so each bound is
    joined to the bounds it rounds to at every coarser granularity.  ``cluster`` of each
    part alone gives the claims of ``cluster`` of all (an item joins the first compatible
    anchor, always in its part)."""
    at = {b: i for i, b in enumerate(bounds)}
    parent = list(range(len(bounds)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (side, v) in enumerate(bounds):
        step = granularity(v) * 10
        while step <= 2 * abs(v):  # past that the value rounds to 0
            coarse = _round_to(v, step)
            j = at.get((side, coarse))
            if j is not None and granularity(coarse) == step:
                parent[root(i)] = root(j)
            step *= 10
    return [root(i) for i in range(len(bounds))]


def _part_names(part: np.ndarray, mixed: np.ndarray, squares: np.ndarray) -> list[str]:
    """A name of each part (``part``: each row's, numbered from 0) from its rows' hashes
    and squares (``_group_names``), whatever the rows' order: the sums (wrapping at 64
    bits) and the number of rows."""
    if not len(part):
        return []
    order = np.argsort(part, kind="stable")
    sizes = np.bincount(part)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    a, b = np.add.reduceat(mixed[order], starts), np.add.reduceat(squares[order], starts)
    return ["%016x%016x%x" % (x, y, n) for x, y, n in zip(a.tolist(), b.tolist(),
                                                          sizes.tolist())]


def _parts_clustered(part: np.ndarray, bounds: list, intervals: np.ndarray, tolerance
                     ) -> list[list[list[int]]]:
    """``_part_clusters`` of each part (``part``: each row's, numbered from 0, every number
    used), in order.  A part whose figures state one interval (or one vague wording) is
    one claim: those parts, most of them, are found with arrays for all parts at once."""
    order = np.argsort(part, kind="stable")
    sizes = np.bincount(part)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    at = intervals[order]
    one = (np.minimum.reduceat(at, starts) == np.maximum.reduceat(at, starts)).tolist() \
        if len(order) else []
    return [[rows.tolist()] if single else _part_clusters(rows, bounds, intervals, tolerance)
            for rows, single in zip(np.split(order, np.cumsum(sizes)[:-1]), one)]


#: A part of fewer figures is clustered with a dict, not arrays (most parts are small).
_FEW = 64


def _part_clusters(rows: np.ndarray, bounds: list, intervals: np.ndarray, tolerance
                   ) -> list[list[int]]:
    """The figures of each claim of a part (its ``rows``; ``bounds``: each figure's
    interval, None when vague; ``intervals``: each one's number, ``_intervals``), its
    claims in ``cluster``'s order (a claim's figures in no set order: ``_claims_frame``
    orders them).  A part's distinct intervals are clustered once each, by their first
    figures (``cluster`` decides at an interval's first figure; the others join the same
    claim)."""
    if bounds[int(rows[0])] is None:
        return [rows.tolist()]  # vague figures of one wording: one claim
    if len(rows) < _FEW:  # (the arrays cost more than they save)
        listed, at = rows.tolist(), intervals[rows].tolist()
        first: dict[int, int] = {}  # each interval's first figure
        for i, k in zip(listed, at):
            if i < first.get(k, i + 1):
                first[k] = i
        made = cluster([(h, bounds[h]) for h in first.values()], tolerance)
        if len(first) == len(listed):
            return made
        claim_of = {h: c for c, members in enumerate(made) for h in members}
        out: list[list[int]] = [[] for _ in made]
        for i, k in zip(listed, at):
            out[claim_of[first[k]]].append(i)
        return out
    at = intervals[rows]
    order = np.lexsort((rows, at))
    first = order[np.flatnonzero(np.diff(at[order], prepend=-2))]  # each interval's first
    heads = rows[first].tolist()
    made = cluster([(h, bounds[h]) for h in heads], tolerance)
    claim_of = {}
    for k, members in enumerate(made):
        for h in members:
            claim_of[h] = k
    # each distinct interval (in ``at``'s sorted order) -> its claim
    which = np.array([claim_of[h] for h in heads], dtype=np.int64)
    claim = which[np.searchsorted(at[first], at)]
    by_claim = np.argsort(claim, kind="stable")
    return [part.tolist() for part in
            np.split(rows[by_claim], np.cumsum(np.bincount(claim, minlength=len(made)))[:-1])]


#: The columns of a claim frame (``_claims_frame``) that hold a claim's place in the claims'
#: order (its figure ids break the last ties).
_SORT_COLUMNS = tuple(f"_sort{k}" for k in range(9))


def sort_order(frame: pd.DataFrame | pa.Table) -> list[int]:
    """The rows of claim frames (``_claims_frame``, in pandas or as an Arrow table) in the
    claims' order: by their ``_SORT_COLUMNS`` (strings as Python orders them: by their
    UTF-8 bytes; a missing one first), then the few claims tied on all of them by their
    figure ids (no two claims share a figure), in one Arrow sort."""
    if not len(frame):
        return []
    names = [*_SORT_COLUMNS, "figure_ids"]
    table = frame.select(names) if isinstance(frame, pa.Table) else \
        pa.Table.from_pandas(frame[names], preserve_index=False)
    return pc.sort_indices(table, sort_keys=[(name, "ascending", "at_start")
                                             for name in names]).to_pylist()


def finish_claim_frame(frame: pd.DataFrame | None) -> pd.DataFrame:
    """The claims frame of claim frames (``_claims_frame``) put together: in the claims'
    order, numbered C1, C2, ..."""
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
