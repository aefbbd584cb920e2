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


def _changed_over_time(group: pd.DataFrame) -> bool:
    """True when the claims' date spans follow one another without overlapping."""
    spans = list(zip(group["first_published"].tolist(), group["last_published"].tolist()))
    if any(not isinstance(a, str) or not isinstance(b, str) for a, b in spans):
        return False
    spans.sort()
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
    groups = disagreeing(claims, lambda g: len({
        article.get(fid) for ids in g["figure_ids"].tolist() for fid in ids.split(SEP)}) >= 2,
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


def disagreeing(claims: pd.DataFrame, several_articles, tolerance) -> list[tuple[str, list[str]]]:
    """The groups of ``claims`` that disagree (see ``discrepancies``), in order: (issue,
    claim ids).  ``several_articles(g)``: whether the figures of the claims ``g`` (rows of
    ``claims``) come from two articles or more."""
    cl = claims[(claims["qualifier"] != "vague") & (claims["claimant"] != UNATTRIBUTED)]
    pos = {cid: i for i, cid in enumerate(claims["claim_id"].tolist())}
    by_first = {cid: (d if isinstance(d, str) else None)
                for cid, d in zip(claims["claim_id"].tolist(), claims["first_published"].tolist())}
    groups: list[tuple[str, list[str]]] = []
    for _, g in cl.groupby(["claimant", "status", "measure", "what"], sort=False):
        if len(g) < 2:
            continue
        if not several_articles(g):
            continue
        issue = "value changed" if _changed_over_time(g) else "values differ"
        order = sorted(g["claim_id"].tolist(), key=lambda c: (
            by_first[c] is None, by_first[c] or "", pos[c]))
        groups.append((issue, order))
    for _, g in cl.groupby(["status", "measure", "what"], sort=False):
        if g["claimant"].nunique() < 2:
            continue
        bounds = ("qualifier", "best", "low", "high")
        items = [(i, _claim_bounds(dict(zip(bounds, c)))) for i, *c in
                 zip(g.index, *(g[k].tolist() for k in bounds))]
        who = dict(zip(g.index, g["claimant"].tolist()))
        cid = dict(zip(g.index, g["claim_id"].tolist()))
        for members in cluster(items, tolerance):
            if len({who[m] for m in members}) >= 2:
                groups.append(("claimants differ", sorted((cid[m] for m in members),
                                                          key=pos.__getitem__)))
    return groups


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
