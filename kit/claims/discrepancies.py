"""Discrepancies: where the claims disagree (see ``discrepancies``)."""

from __future__ import annotations

import pandas as pd

from kit import schema
from kit.claims.grouping import SEP, UNATTRIBUTED, cluster, as_int
from kit.claims.values import ROUNDING, check_tolerance
from kit.schema import UNKNOWN_OUTLET


def _claim_bounds(c) -> tuple | None:
    if c["qualifier"] == "vague":
        return None
    if c["qualifier"] in ("exact", "approx"):
        return (as_int(c["best"]), as_int(c["best"]))
    return (as_int(c["low"]), as_int(c["high"]))


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
    pos = {cid: i for i, cid in enumerate(ids)}
    first = [d if isinstance(d, str) else None for d in claims["first_published"].tolist()]
    last = claims["last_published"].tolist()
    claimant, status, measure, what, qualifier = (
        [None if _missing(v) else v for v in claims[c].tolist()]
        for c in ("claimant", "status", "measure", "what", "qualifier"))
    by_claimant: dict[tuple, list[int]] = {}
    by_value: dict[tuple, list[int]] = {}
    for i, (c, s, m, w, q) in enumerate(zip(claimant, status, measure, what, qualifier)):
        if q is None or q == "vague" or c is None or c == UNATTRIBUTED or \
                s is None or m is None or w is None:  # (a group of a missing key: none)
            continue
        by_claimant.setdefault((c, s, m, w), []).append(i)
        by_value.setdefault((s, m, w), []).append(i)
    groups: list[tuple[str, list[str]]] = []
    for rows in by_claimant.values():
        if len(rows) < 2 or not several_articles(rows):
            continue
        changed = _changed_over_time([(first[r], last[r]) for r in rows])
        order = sorted((ids[r] for r in rows), key=lambda c: (
            first[pos[c]] is None, first[pos[c]] or "", pos[c]))
        groups.append(("value changed" if changed else "values differ", order))
    bounds = [claims[k].tolist() for k in ("qualifier", "best", "low", "high")]
    for rows in by_value.values():
        if len({claimant[r] for r in rows}) < 2:
            continue
        # each claim known by its index label, as the clustering breaks ties by it
        items = [(labels[r], _claim_bounds({"qualifier": bounds[0][r], "best": bounds[1][r],
                                            "low": bounds[2][r], "high": bounds[3][r]}))
                 for r in rows]
        at = {labels[r]: r for r in rows}
        for members in cluster(items, tolerance):
            if len({claimant[at[m]] for m in members}) >= 2:
                groups.append(("claimants differ", sorted((ids[at[m]] for m in members),
                                                          key=pos.__getitem__)))
    return groups


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


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
    ranked = sorted(numbered, key=lambda kg: -sum(size[c] for c in kg[1][1]))
    keep = {k for k, _ in ranked[:limit]}
    return [kg for kg in numbered if kg[0] in keep]
