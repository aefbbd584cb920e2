"""Comparison: every claimant's latest value of one measure, side by side, date by date.

An analyst following a disaster or a protest asks "what does each source say
now, and what did it say on Tuesday?": the official toll against the rescue
group's count and the hospital's; the police's crowd estimate against the
organisers'.  ``compare(figures, claims)`` answers with one row per measure,
noun family, date and claimant (``kit.schema.COMPARISON``):

* **like with like**: one comparison per ``measure`` (dead, injured, missing,
  crowd, ...) and noun family (``claims.what``: "people", "troops", "children"),
  so 57 dead never stand beside 12 missing, nor nine children beside 57 people;
* **the dates** are the publication dates on which any claimant of that measure
  and family was reported; on each, every claimant that had been reported by
  then has a row with its **latest value as of that date**: the claim its
  figures of its latest date up to then state (several claims that day: the one
  most figures state, then most outlets, then the larger value).  A claimant
  not reported that day keeps its latest earlier value, marked ``carried``
  (``reported`` says when), so a row of dates reads as a timeline of what
  each source said;
* **citations**: each row carries the claim, its value label and numbers, and
  the ids and outlets of the claim's figures published up to that date;
* **who is compared**: named claimants.  "unattributed" figures (no source
  named, often the outlet repeating an official number) would add a column
  that is nobody's claim, so they are left out wherever a named claimant
  reports the same measure and family, and kept (as "unattributed") where
  nobody is named: a number without a source is better than no number;
* vague figures ("hundreds") have no value to compare and undated figures no
  place on a timeline: both are left out, and so are figures that restate an
  earlier value ("71, up from 68 in the morning", "down from 12 a day
  earlier": ``EARLIER``): they do not say what the claimant says that day.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit import schema
from kit.claims.grouping import SEP, UNATTRIBUTED, as_int, claims as claims_of
from kit.claims.values import ROUNDING, check_tolerance
from kit.schema import UNKNOWN_OUTLET

#: Words before a figure that make it a claimant's earlier value, restated ("up from 23 a
#: day earlier", "down from 12", "the previous toll of 41"): it does not date its claim.
EARLIER = re.compile(r"(?:\b(?:up|down|rising|risen|rose|climbing|falling|fallen|fell|revised|"
                     r"increased|decreased)\s+from|\b(?:earlier|previous|initial|former)\s+"
                     r"(?:figure|toll|count|estimate|tally)\s+of)\s*$", re.IGNORECASE)


def _earlier(sentence, at: int) -> bool:
    """Whether the figure at ``at`` of its sentence restates an earlier value."""
    return isinstance(sentence, str) and EARLIER.search(sentence, max(0, at - 40), at) is not None


def restating(figures: pd.DataFrame) -> np.ndarray:
    """Whether each of ``figures`` (its ``sentence``, ``start`` and ``sentence_start``)
    restates an earlier value (``EARLIER``: "up from 68")."""
    at = (figures["start"] - figures["sentence_start"]).tolist()
    return np.fromiter((_earlier(s, int(a)) for s, a in zip(figures["sentence"].tolist(), at)),
                       dtype=bool, count=len(figures))


def _pick(claims: dict, on_day: dict[str, int], outlets_on_day: dict[str, set]) -> str:
    """The claim of the day: the most figures that day, then most outlets, then the larger
    value, then the first claim."""
    def key(cid):
        c = claims[cid]
        value = next((as_int(c[k]) for k in ("best", "high", "low") if as_int(c[k]) is not None), 0)
        return (-on_day[cid], -len(outlets_on_day[cid]), -value, c["_pos"])
    return min(on_day, key=key)


def compare(figures: pd.DataFrame, claims: pd.DataFrame | None = None, *,
            tolerance=ROUNDING, lexicon=None) -> pd.DataFrame:
    """Each claimant's latest value of each measure as of each publication date (see the
    module doc).  ``claims``: from ``kit.claims(figures)``; when None they are grouped here
    with ``tolerance`` ("rounding", the default, or a share such as 0.05; ValueError
    otherwise) and ``lexicon`` (the noun families).  Returns a frame checked against
    ``kit.schema.COMPARISON``, sorted by measure, family, date and claimant."""
    tolerance = check_tolerance(tolerance)
    if claims is None:
        claims = claims_of(figures, lexicon=lexicon, tolerance=tolerance)
    if not len(figures) or not len(claims):
        return schema.empty("comparison")
    # only the claims of the figures' claimants and measures can be compared (a report
    # compares some claimants' figures against every claim)
    pairs = pd.MultiIndex.from_arrays([figures["measure"], figures["claimant"]]).unique()
    dated = {fid: (d, o if isinstance(o, str) else UNKNOWN_OUTLET)
             for fid, d, o, sentence, at in zip(
                 figures["figure_id"].tolist(), figures["published"].tolist(),
                 figures["outlet"].tolist(), figures["sentence"].tolist(),
                 (figures["start"] - figures["sentence_start"]).tolist())
             if isinstance(d, str) and d and not _earlier(sentence, int(at))}
    return comparison(pairs, dated, claims)


def comparison(pairs: pd.MultiIndex, dated: dict[str, tuple[str, str]],
               claims: pd.DataFrame, last: int | None = None) -> pd.DataFrame:
    """``compare`` of the figures whose (measure, claimant) are ``pairs``, given their
    ``dated`` ones (figure id -> publication date and outlet: those with a date that do not
    restate an earlier value), and ``claims``.  ``last``: only the rows of the last
    ``last`` dates of each measure and family, with ``first_date`` (the claimant's first
    date) and ``n_dates`` (the dates of its table): what a summarised report shows."""
    # columns as lists: iterating a pandas string column item by item costs far more
    mine = pd.MultiIndex.from_arrays([claims["measure"], claims["claimant"]]).isin(pairs)
    mine &= (claims["qualifier"] != "vague").to_numpy()
    columns = list(claims.columns)
    by_claim: dict[str, dict] = {}
    for pos, *values in zip(range(len(claims)) if mine.all() else mine.nonzero()[0].tolist(),
                            *(claims[k][mine].tolist() for k in columns)):
        c = dict(zip(columns, values))
        by_claim[c["claim_id"]] = {**c, "_pos": pos}
    # (measure, family) -> claimant -> [(date, claim, figure, outlet)]
    groups: dict[tuple[str, str], dict[str, list[tuple[str, str, str, str]]]] = {}
    for cid, c in by_claim.items():
        for fid in str(c["figure_ids"]).split(SEP):
            if fid in dated:
                date, outlet = dated[fid]
                groups.setdefault((c["measure"], c["what"]), {}).setdefault(
                    c["claimant"], []).append((date, cid, fid, outlet))
    rows = []
    for (measure, what), by_claimant in groups.items():
        named = {k: v for k, v in by_claimant.items() if k != UNATTRIBUTED}
        kept = named or by_claimant
        dates = sorted({r[0] for records in kept.values() for r in records})
        shown = set(dates[-last:]) if last else None
        for claimant, records in kept.items():
            records.sort()
            upto = 0  # records[:upto] are dated up to the date (both sorted: one pass)
            so_far: dict[str, set] = {}  # claim -> its figures dated up to the date
            outlets_so_far: dict[str, set] = {}  # claim -> their outlets
            for date in dates:
                while upto < len(records) and records[upto][0] <= date:
                    _, cid, fid, outlet = records[upto]
                    so_far.setdefault(cid, set()).add(fid)
                    outlets_so_far.setdefault(cid, set()).add(outlet)
                    upto += 1
                if not upto or (shown is not None and date not in shown):
                    continue
                latest = records[upto - 1][0]
                first = upto - 1
                while first > 0 and records[first - 1][0] == latest:
                    first -= 1
                on_day: dict[str, int] = {}
                outlets_on_day: dict[str, set] = {}
                for _, cid, _, outlet in records[first:upto]:
                    on_day[cid] = on_day.get(cid, 0) + 1
                    outlets_on_day.setdefault(cid, set()).add(outlet)
                cid = _pick(by_claim, on_day, outlets_on_day)
                c = by_claim[cid]
                cited = so_far[cid]
                ids = [fid for fid in str(c["figure_ids"]).split(SEP) if fid in cited]
                rows.append(comparison_row(
                    measure, what, date, claimant, c, latest, ids, outlets_so_far[cid],
                    [by_claim[k]["value"] for k in on_day if k != cid], records[0][0],
                    len(dates)))
    return comparison_frame(rows, last)


def comparison_row(measure, what, date: str, claimant: str, c: dict, latest: str,
                   ids: list[str], outlets, also: list[str], first_date: str,
                   n_dates: int) -> dict:
    """The comparison's row of ``claimant`` on ``date``: its claim ``c`` (fields), reported
    ``latest``, with the ids and ``outlets`` of its figures dated up to then and the
    values of the ``also`` claims of that day."""
    return {
        "measure": measure, "what": what, "date": date, "claimant": claimant,
        "claim_id": c["claim_id"], "value": c["value"], "low": as_int(c["low"]),
        "best": as_int(c["best"]), "high": as_int(c["high"]),
        "qualifier": c["qualifier"], "carried": latest != date, "reported": latest,
        "figure_ids": SEP.join(ids), "outlets": SEP.join(sorted(outlets, key=lambda s: (
            s.lower(), s))),
        # a same-day conflict is not hidden behind the value picked
        "also": SEP.join(also) or None, "first_date": first_date, "n_dates": n_dates,
    }


def comparison_frame(rows: list[dict], last: int | None = None) -> pd.DataFrame:
    """The comparison of ``comparison_row`` s, sorted by measure, family, date and
    claimant; with ``first_date`` and ``n_dates`` when cut to its ``last`` dates."""
    if not rows:
        return schema.empty("comparison")
    order = {m: i for i, m in enumerate(schema.MEASURES)}
    rows.sort(key=lambda r: (order.get(r["measure"], len(order)), r["what"], r["date"],
                             r["claimant"].lower(), r["claimant"]))
    out = schema.conform(pd.DataFrame(rows), "comparison")
    if last:
        out["first_date"] = pd.array([r["first_date"] for r in rows], dtype=schema.STRING)
        out["n_dates"] = np.array([r["n_dates"] for r in rows], dtype=np.int64)
    return out
