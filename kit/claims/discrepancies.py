"""Discrepancies: where the claims disagree (see ``discrepancies``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit import schema
from kit.claims.grouping import SEP, UNATTRIBUTED, cluster
from kit.claims.values import ROUNDING, check_tolerance
from kit.schema import UNKNOWN_OUTLET


def _changed_over_time(spans: list[tuple]) -> bool:
    """True when the claims' date spans (first, last published) follow one another without
    overlapping."""
    if any(not isinstance(a, str) or not isinstance(b, str) for a, b in spans):
        return False
    spans = sorted(spans)
    return all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


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
    article = dict(zip(figures["figure_id"].tolist(), figures["article_id"].tolist()))
    figure_ids = claims["figure_ids"].tolist()
    groups = disagreeing(claims, lambda rows: len({
        article.get(fid) for r in rows for fid in figure_ids[r].split(SEP)}) >= 2, tolerance)
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


def disagreeing(claims: pd.DataFrame, several_articles, tolerance) -> list[tuple[str, list[str]]]:
    """The groups of ``claims`` that disagree (see ``discrepancies``), in order: (issue,
    claim ids).  ``several_articles(rows)``: whether the figures of the claims at the
    positions ``rows`` come from two articles or more.  (The claims' columns are read as
    lists once and grouped in dicts, groups in the order of their first claim: a pandas
    group by group costs far more with hundreds of thousands of claims.)"""
    ids = claims["claim_id"].tolist()
    labels = claims.index.tolist()
    first = [d if isinstance(d, str) else None for d in claims["first_published"].tolist()]
    last = claims["last_published"].tolist()
    claimant = _listed(claims["claimant"])
    # the claims of a value, not vague, of a claimant named (a group of a missing key: none)
    keys = ["claimant", "status", "measure", "what"]
    valid = claims[[*keys, "qualifier"]].notna().all(axis=1).to_numpy() & \
        (claims["qualifier"] != "vague").fillna(False).to_numpy(dtype=bool) & \
        (claims["claimant"] != UNATTRIBUTED).fillna(False).to_numpy(dtype=bool)
    groups: list[tuple[str, list[str]]] = []
    dated = [(d is None, d or "") for d in first]  # undated last, then by date
    for rows in _grouped(claims, valid, keys, least=2):
        if not several_articles(rows):
            continue
        changed = _changed_over_time([(first[r], last[r]) for r in rows])
        order = [ids[r] for r in sorted(rows, key=dated.__getitem__)]  # (stable: rows in order)
        groups.append(("value changed" if changed else "values differ", order))
    bounds = _bounds_of(*(_listed(claims[k]) for k in ("qualifier", "best", "low", "high")))
    for rows in _grouped(claims, valid, keys[1:], least=2):
        if len({claimant[r] for r in rows}) < 2:
            continue
        # each distinct interval clustered once (an archive states the same values again
        # and again), known by the first index label of its claims (and position: labels
        # may repeat), as the clustering breaks ties by the label: the clusters are those
        # of the claims one by one
        stated: dict[tuple, list[int]] = {}
        for r in rows:
            stated.setdefault(bounds[r], []).append(r)
        first_label = {min((labels[r], r) for r in held): iv for iv, held in stated.items()}
        for members in cluster(list(first_label.items()), tolerance):
            held = sorted(r for m in members for r in stated[first_label[m]])
            if len({claimant[r] for r in held}) >= 2:
                groups.append(("claimants differ", [ids[r] for r in held]))
    return groups


def _grouped(claims: pd.DataFrame, valid: np.ndarray, keys: list[str], least: int
             ) -> list[list[int]]:
    """The positions of the ``valid`` claims of each distinct value of the ``keys`` that
    has ``least`` of them or more, in order, groups in the order of their first claim."""
    at = np.flatnonzero(valid)
    if not len(at):
        return []
    group = claims.iloc[at].groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group)
    ends = np.cumsum(sizes)
    return [at[order[end - n:end]].tolist() for end, n in zip(ends.tolist(), sizes.tolist())
            if n >= least]


def _listed(column: pd.Series) -> list:
    """A column as a list, its missing values (None, NA, NaN) None and numbers as ints."""
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.astype("Int64").astype(object).where(column.notna(), None).tolist()
    if pd.api.types.is_numeric_dtype(column.dtype):
        return [None if v != v else int(v) for v in column.tolist()]
    return column.astype(object).where(column.notna(), None).tolist()


def _bounds_of(qualifier: list, best: list, low: list, high: list) -> list:
    """Each claim's (low, high) interval; None for a vague claim."""
    return [None if q == "vague" else (b, b) if q in ("exact", "approx") else (lo, hi)
            for q, b, lo, hi in zip(qualifier, best, low, high)]


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
