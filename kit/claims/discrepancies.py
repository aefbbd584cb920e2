"""Discrepancies: where the claims disagree (see ``discrepancies``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit import schema
from kit.claims.grouping import SEP, UNATTRIBUTED, cluster
from kit.claims.values import ROUNDING, check_tolerance
from kit.schema import UNKNOWN_OUTLET


def discrepancies(figures: pd.DataFrame, claims: pd.DataFrame, *,
                  tolerance=ROUNDING, limit: int | None = None) -> pd.DataFrame:
    """Claims that disagree, with the sentences of each side.

    Only like is compared with like: every group below holds claims of one
    ``measure`` (57 dead never disagree with 12 missing), one status and one
    noun family.  Two kinds of group are flagged (vague claims and
    "unattributed" are left out: they state no number, or nobody to disagree
    with):

    * **values differ** / **value changed**: one claimant, status, measure and
      family with two or more claims (different values), unless all those
      figures come from a single article (an article giving a total and its
      parts is not a disagreement).  "value changed" when the claims'
      publication date spans follow one another (an estimate that moved over
      time), "values differ" when they overlap or a date is unknown.
    * **claimants differ**: the same status, measure, family and value (the
      claims rule with ``tolerance``, "rounding" by default or a share such as
      0.05, on each claim's best value or its bounds) attributed to two or more
      claimants: a possible misattribution.

    Returns a long frame (``kit.schema.DISCREPANCIES``): one row per figure of
    every claim in a group, groups numbered D1, D2, ...  ``limit``: the rows of the
    ``limit`` groups with the most figures only (ties: the first), numbered as among all,
    in their order; ``attrs["discrepancies"]`` says how many groups there are in all (a
    summarised report lists the largest; the rows of the others are not made).
    """
    tolerance = check_tolerance(tolerance)
    if not len(figures) or not len(claims):
        return schema.empty("discrepancies")
    # columns as lists: iterating a pandas string column item by item costs far more
    code = dict(zip(figures["figure_id"].tolist(),
                    pd.factorize(figures["article_id"], use_na_sentinel=False)[0].tolist()))
    of_claims = [[code.get(fid, -1) for fid in ids.split(SEP)]
                 for ids in claims["figure_ids"].astype(str).tolist()]
    groups = disagreeing(claims, (np.array([min(c) for c in of_claims], dtype=np.int64),
                                  np.array([max(c) for c in of_claims], dtype=np.int64)),
                         tolerance)
    if not groups:
        return schema.empty("discrepancies")
    found = len(groups)
    numbered = list(enumerate(groups, 1))
    if limit is not None and found > limit:
        have = set(figures["figure_id"].tolist())
        numbered = largest(numbered, {
            cid: sum(fid in have for fid in str(ids).split(SEP))
            for cid, ids in zip(claims["claim_id"].tolist(), claims["figure_ids"].tolist())},
            limit)
    # plain dicts of the rows needed: a .loc per figure costs far more on a large corpus
    claim_cols = ("claimant", "status", "measure", "what", "value", "figure_ids")
    by_id = {cid: dict(zip(claim_cols, vals)) for cid, *vals in
             zip(claims["claim_id"].tolist(), *(claims[c].tolist() for c in claim_cols))}
    fig_cols = ("sentence", "start", "sentence_start", "surface", "outlet", "published")
    listed = {fid for _, (_, ids) in numbered for cid in ids
              for fid in str(by_id[cid]["figure_ids"]).split(SEP)}
    rows_of = figures[figures["figure_id"].isin(listed)] if len(numbered) < found else figures
    figs = {fid: dict(zip(fig_cols, vals)) for fid, *vals in
            zip(rows_of["figure_id"].tolist(), *(rows_of[c].tolist() for c in fig_cols))}
    rows = []
    for k, (issue, ids) in numbered:
        for cid in ids:
            c = by_id[cid]
            for fid in c["figure_ids"].split(SEP):
                r = figs.get(fid)
                if r is None:
                    continue
                rows.append(disagreement_row(k, issue, cid, c, fid, r))
    out = schema.conform(pd.DataFrame(rows), "discrepancies")
    out.attrs["discrepancies"] = found
    return out


def disagreeing(claims: pd.DataFrame, articles: tuple, tolerance, *, rows: bool = False
                ) -> list[tuple[str, list]]:
    """The groups of ``claims`` that disagree (see ``discrepancies``), in order: (issue,
    claim ids, or their positions when ``rows``).  ``articles``: two arrays, for each
    claim the lowest and the highest code (any integers) of the articles of its figures;
    a group's figures come from two articles or more when its lowest and highest differ.
    (The groups of one claimant are found and ordered with arrays, those across
    claimants clustered from lists read once: pandas group by group costs far more with
    hundreds of thousands of claims.)"""
    ids = claims["claim_id"].tolist()
    # the claims of a value, not vague, of a claimant named (a group of a missing key: none)
    keys = ["claimant", "status", "measure", "what"]
    valid = claims[[*keys, "qualifier"]].notna().all(axis=1).to_numpy() & \
        (claims["qualifier"] != "vague").fillna(False).to_numpy(dtype=bool) & \
        (claims["claimant"] != UNATTRIBUTED).fillna(False).to_numpy(dtype=bool)
    at = np.flatnonzero(valid)
    codes = [pd.factorize(claims[k].iloc[at])[0] for k in keys]
    groups = [*_one_claimant(claims, _groups(at, codes), articles),
              *(("claimants differ", held)
                for held in _claimants_differ(claims, at, codes, tolerance))]
    return groups if rows else [(issue, [ids[r] for r in held]) for issue, held in groups]


def _claimants_differ(claims: pd.DataFrame, at: np.ndarray, codes: list[np.ndarray],
                      tolerance) -> list[list[int]]:
    """The claims (positions) of one status, measure and family whose values the
    clustering puts together (``cluster`` with ``tolerance``) and that two claimants or
    more give, among the claims at ``at`` (``codes``: ``pd.factorize`` of their claimant,
    status, measure and family).  Each distinct interval of a group is clustered once (an
    archive states the same values again and again), known by the first index label of
    its claims (and position: labels may repeat), as the clustering breaks ties by the
    label: the clusters are those of the claims one by one."""
    flat, starts, sizes = _groups(at, codes[1:])
    if not len(flat):
        return []
    claimant = codes[0][np.searchsorted(at, flat)]  # (``at`` is sorted)
    several = np.flatnonzero((sizes >= 2) & (np.minimum.reduceat(claimant, starts) !=
                                              np.maximum.reduceat(claimant, starts)))
    if not len(several):
        return []
    exact = claims["qualifier"].isin(["exact", "approx"]).to_numpy(dtype=bool)
    best, low, high = (np.array(_listed(claims[c]), dtype=object) for c in ("best", "low", "high"))
    low, high = np.where(exact, best, low).tolist(), np.where(exact, best, high).tolist()
    # each group's distinct intervals, numbered group after group, their claims in order
    group = np.repeat(np.arange(len(sizes)), sizes)
    bounds = [pd.factorize(np.asarray(v, dtype=object)[flat])[0] + 1 for v in (low, high)]
    within, first, count = _groups(np.arange(len(flat)), [group, *bounds])
    rows = flat[within]
    interval = np.repeat(np.arange(len(count)), count)
    label = pd.factorize(claims.index, sort=True)[0]
    known_by = rows[np.lexsort((rows, label[rows], interval))][first].tolist()
    ends = np.searchsorted(group[within[first]], np.arange(len(sizes) + 1)).tolist()
    labels, rows, first = claims.index.tolist(), rows.tolist(), first.tolist()
    who = dict(zip(flat.tolist(), claimant.tolist()))
    out = []
    for g in several.tolist():
        # the intervals of the group: each known by (label, position) of its first claim
        name = {(labels[known_by[i]], known_by[i]): i for i in range(ends[g], ends[g + 1])}
        items = [(key, (low[key[1]], high[key[1]])) for key in name]
        for members in cluster(items, tolerance):
            held = sorted(r for m in members
                          for r in rows[first[name[m]]:first[name[m]] + int(count[name[m]])])
            if len({who[r] for r in held}) >= 2:
                out.append(held)
    return out


def _one_claimant(claims: pd.DataFrame, grouped: tuple, articles: tuple
                  ) -> list[tuple[str, list[int]]]:
    """The groups (``grouped``: ``_groups`` by claimant, status, measure and family) of
    two claims or more whose figures come from two articles or more (``articles`` as for
    ``disagreeing``): "value changed" when their date spans (first, last published)
    follow one another without overlapping, else "values differ"; each group's claims
    (positions) undated last, then by first date, then in order."""
    flat, starts, sizes = grouped
    if not len(flat):
        return []
    lowest, highest = (np.asarray(a)[flat] for a in articles)
    shown = (sizes >= 2) & (np.minimum.reduceat(lowest, starts) !=
                            np.maximum.reduceat(highest, starts))
    first, last = _shared_codes(claims["first_published"], claims["last_published"])
    group = np.repeat(np.arange(len(sizes)), sizes)
    # changed over time: every date known, and the spans sorted follow one another
    undated = np.maximum.reduceat(((first < 0) | (last < 0))[flat].astype(np.int8), starts)
    spans = flat[np.lexsort((last[flat], first[flat], group))]
    same = group[1:] == group[:-1]
    overlap = same & ~(last[spans[:-1]] < first[spans[1:]])
    changed = (undated == 0) & (np.bincount(group[1:][overlap], minlength=len(sizes)) == 0)
    # in each group, undated claims last, then by first date, then in order
    when = np.where(first < 0, np.iinfo(np.int64).max, first)
    ordered = flat[np.lexsort((flat, when[flat], group))].tolist()
    ends = (starts + sizes).tolist()
    return [("value changed" if changed[g] else "values differ",
             ordered[starts[g]:ends[g]]) for g in np.flatnonzero(shown).tolist()]


def _shared_codes(*columns: pd.Series) -> tuple[np.ndarray, ...]:
    """The date strings of ``columns`` as integer codes in the order of the strings (one
    code a distinct string across them), -1 for a value not a string."""
    codes, uniques = pd.factorize(pd.concat([c.astype(object).reset_index(drop=True)
                                             for c in columns], ignore_index=True))
    strings = [k for k, u in enumerate(uniques) if isinstance(u, str)]
    rank = np.full(len(uniques) + 1, -1, dtype=np.int64)  # (the last: a missing value's)
    rank[sorted(strings, key=uniques.__getitem__)] = np.arange(len(strings))
    return tuple(np.split(rank[codes], np.cumsum([len(c) for c in columns])[:-1]))


def _groups(at: np.ndarray, codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The claims at the positions ``at`` grouped by their values (``codes``: each key's
    ``pd.factorize`` codes, one for each of them), groups in the order of their first
    claim: their positions (each group's in order, one group after the other), where each
    group starts among them and its size."""
    if not len(at):
        return at, at, at
    group = codes[0]
    for code in codes[1:]:  # (refactorized each time: the key stays below len(at) ** 2)
        group = pd.factorize(group * (int(code.max()) + 1) + code)[0]
    sizes = np.bincount(group)
    return at[np.argsort(group, kind="stable")], np.cumsum(sizes) - sizes, sizes


def _listed(column: pd.Series) -> list:
    """A column as a list, its missing values (None, NA, NaN) None and numbers as ints."""
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.astype("Int64").astype(object).where(column.notna(), None).tolist()
    if pd.api.types.is_numeric_dtype(column.dtype):
        return [None if v != v else int(v) for v in column.tolist()]
    return column.astype(object).where(column.notna(), None).tolist()


def disagreement_row(k: int, issue: str, cid: str, c: dict, fid: str, r: dict) -> dict:
    """The row of figure ``fid`` (its fields ``r``) of claim ``cid`` (its fields ``c``) in
    the discrepancy D``k``."""
    sentence = r["sentence"] if isinstance(r["sentence"], str) else ""
    offset = int(r["start"]) - int(r["sentence_start"])
    if not (0 <= offset <= len(sentence)) or \
            sentence[offset:offset + len(r["surface"])] != r["surface"]:
        offset = max(sentence.find(r["surface"]), 0)
    return {
        "discrepancy_id": f"D{k}", "issue": issue, "claim_id": cid,
        "claimant": c["claimant"], "status": c["status"], "measure": c["measure"],
        "what": c["what"],
        "value": c["value"], "figure_id": fid,
        "outlet": r["outlet"] if isinstance(r["outlet"], str) else UNKNOWN_OUTLET,
        "published": r["published"] if isinstance(r["published"], str) else None,
        "surface": r["surface"], "sentence": sentence, "offset": offset,
    }


def largest(numbered: list, size: dict[str, int], limit: int) -> list:
    """The ``limit`` numbered groups with the most figures (``size``: claim id -> its
    figures), ties to the first, in their order."""
    ranked = sorted(numbered, key=lambda kg: -sum(map(size.__getitem__, kg[1][1])))
    keep = {k for k, _ in ranked[:limit]}
    return [kg for kg in numbered if kg[0] in keep]
