"""Discrepancies (kit.claims.discrepancies): where claims disagree, with the
sentences of each side, and their HTML (kit.present.claims.discrepancies_html).

One disagreement model: the values one claimant gives side by side ("values
differ", "value changed") and one value given to several claimants ("claimants
differ").
"""

from __future__ import annotations

from handmade import figures_frame

import numpy as np
import pandas as pd
import pytest

import kit
from kit import schema
from kit.present.claims import discrepancies_html
from kit.present.tables import numbered


def test_seed_discrepancies_name_differing_claimants_and_values(seeds):
    _, figs, claims = seeds
    d = kit.discrepancies(figs, claims)
    schema.check(d, "discrepancies")
    by = dict(list(d.groupby("discrepancy_id")))
    issues = {(g["issue"].iloc[0], frozenset(g["claimant"])) for g in by.values()}
    assert ("claimants differ", frozenset({"Zelensky", "Ukrainian officials"})) in issues
    # the NIS is reported with 1,500 deployed in some outlets and a planned total elsewhere
    assert ("values differ", frozenset({"NIS (South Korea)"})) in issues
    assert "n" not in d.columns  # citation numbers come from the numbered figures
    # every row cites its figure and its sentence, the figure's words at `offset`
    for _, r in d.iterrows():
        assert r["sentence"][r["offset"]:r["offset"] + len(r["surface"])] == r["surface"]
    page = discrepancies_html(d, figs)
    for fid in d["figure_id"]:
        n = int(figs.loc[figs["figure_id"] == fid, "n"].iloc[0])
        assert f"[{n}] " in page


def test_an_estimate_changing_over_time_is_value_changed_earliest_first(multiday):
    _, figs, claims = multiday
    d = kit.discrepancies(figs, claims)
    g = d[(d["claimant"] == "Ostrand Monitoring Office") & (d["issue"] == "value changed")]
    assert list(dict.fromkeys(g["value"])) == ["3,000", "8,000", "11,000"]  # earliest first


def test_one_value_given_to_two_claimants_is_claimants_differ(multiday):
    _, figs, claims = multiday
    d = kit.discrepancies(figs, claims)
    g = d[d["issue"] == "claimants differ"]
    assert g["discrepancy_id"].nunique() == 1
    assert set(g["claimant"]) == {"Ostrand Monitoring Office", "Velmorian Defence Ministry"}
    assert set(g["value"]) == {"11,000"}
    assert set(g["outlet"]) == {"The Halvenport Courier", "Brask Evening Post"}
    assert g["sentence"].str.contains("11,000 troops").all()


def test_discrepancies_html_escapes_and_sits_side_by_side(multiday):
    _, figs, claims = multiday
    hostile = figs.copy()
    hostile["outlet"] = "<script>alert(1)</script>"
    hostile["sentence"] = hostile["sentence"].str.replace(
        "said", "said <img src=x onerror=alert(2)>", regex=False)
    html = discrepancies_html(kit.discrepancies(hostile, kit.claims(hostile)))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and 'class="kit-side"' in html
    assert "<mark>" in html


def test_multiday_ranges_of_one_claimant_on_overlapping_dates_are_values_differ(multiday):
    _, figs, claims = multiday
    rook = claims[(claims["claimant"] == "Governor Rook") & (claims["status"] == "other")]
    d = kit.discrepancies(figs, claims)
    g = d[d["claimant"] == "Governor Rook"]
    assert set(g["issue"]) == {"values differ"}  # reported on overlapping dates
    assert set(g["claim_id"]) == set(rook[rook["qualifier"].isin(["range", "approx"])]["claim_id"])


# ------------------------------------------ one claimant's values side by side (hand-made)
# (what present.disagreements checked, on the one model that replaced it)

def handmade():
    figs = numbered(figures_frame())
    return figs, kit.claims(figs)


def test_one_claimants_different_values_are_one_discrepancy():
    figs, claims = handmade()
    d = kit.discrepancies(figs, claims)
    nis_planned = d[(d["claimant"] == "NIS (South Korea)") & (d["status"] == "planned")]
    assert set(nis_planned["value"]) == {"10,000–12,000", "12,000"}
    assert nis_planned["discrepancy_id"].nunique() == 1
    assert set(nis_planned["issue"]) == {"values differ"}
    assert nis_planned["claim_id"].nunique() == 2
    # "about 1,500" and "1,500" are one value (one claim), reported by three outlets
    deployed = claims[(claims["claimant"] == "NIS (South Korea)") & (claims["status"] == "deployed")]
    assert len(deployed) == 1 and deployed["value"].tolist() == ["about 1,500"]
    assert deployed["outlets"].tolist() == ["AFP; The Guardian; The Moscow Times"]
    assert not (d["claim_id"] == deployed["claim_id"].iloc[0]).any()  # no disagreement there


def test_discrepancies_html_puts_each_claim_side_by_side_once():
    figs, claims = handmade()
    d = kit.discrepancies(figs, claims)
    page = discrepancies_html(d, figs)
    assert page.count('class="kit-side"') == d["claim_id"].nunique() == 2
    assert page.count('class="kit-disc"') == d["discrepancy_id"].nunique() == 1
    assert page.count("NIS (South Korea): planned") + page.count("NIS (South Korea): troops") == 1
    for cid in d["claim_id"].unique():
        assert page.count(f"<b>{cid} · NIS (South Korea): ") == 1
    for fid in d["figure_id"]:
        n = int(figs.loc[figs["figure_id"] == fid, "n"].iloc[0])
        assert page.count(f"[{n}] ") == 1


def test_discrepancies_html_escapes_every_article_string():
    rows = [("<b>Evil</b> Times", "666", 100, "1,500 troops", 1500, 1500, "exact", "troops",
             "deployed", "<script>alert(4)</script>",
             "Officials said <script>alert(1)</script> that 1,500 troops arrived."),
            ("Other</b>", "667", 100, "2,500 troops", 2500, 2500, "exact", "troops",
             "deployed", "<script>alert(4)</script>",
             "Officials said <img src=x onerror=alert(3)> 2,500 troops arrived.")]
    figs = numbered(figures_frame(rows, url="javascript:alert(5)"))
    d = kit.discrepancies(figs, kit.claims(figs))
    assert d["discrepancy_id"].nunique() == 1
    page = discrepancies_html(d, figs)
    assert "<script" not in page and "<b>Evil" not in page and "<img" not in page
    assert "javascript:" not in page and "&lt;script&gt;" in page
    assert "<mark>1,500 troops</mark>" in page and "<mark>2,500 troops</mark>" in page


def test_no_discrepancies_say_so():
    e = schema.empty("figures")
    d = kit.discrepancies(e, kit.claims(e))
    assert d.empty and list(d.columns) == [c.name for c in schema.DISCREPANCIES]
    assert "No discrepancies" in discrepancies_html(d)


def _claims_one_by_one(claims, tolerance):
    """The 'claimants differ' groups as the clustering makes them claim by claim."""
    from kit.claims.grouping import cluster

    groups = []
    by_value: dict[tuple, list[int]] = {}
    for i, row in enumerate(claims.itertuples(index=False)):
        if row.qualifier != "vague" and row.claimant != "unattributed":
            by_value.setdefault((row.status, row.measure, row.what), []).append(i)
    for rows in by_value.values():
        items = []
        for r in rows:
            c = claims.iloc[r]
            exact = c["qualifier"] in ("exact", "approx")
            lo, hi = (c["best"], c["best"]) if exact else (c["low"], c["high"])
            items.append((r, (None if pd.isna(lo) else int(lo), None if pd.isna(hi) else int(hi))))
        for members in cluster(items, tolerance):
            if len({claims["claimant"].iloc[m] for m in members}) >= 2:
                groups.append([claims["claim_id"].iloc[m] for m in sorted(members)])
    return groups


def _two_articles(claims: pd.DataFrame) -> tuple:
    """Each claim's figures from articles 0 to 1: every group spans two articles."""
    return np.zeros(len(claims), dtype=np.int64), np.ones(len(claims), dtype=np.int64)


@pytest.mark.parametrize("tolerance", ["rounding", 0.05])
def test_claims_of_repeated_values_disagree_as_when_clustered_one_by_one(tolerance):
    from kit.claims.discrepancies import disagreeing

    rng = np.random.default_rng(11)
    values = [68, 70, 71, 1000, 1200, 1480, 1500, 10000, 12000, 11600]
    rows = []
    for k in range(600):
        q = rng.choice(["exact", "approx", "about", "range", "more_than", "vague"])
        lo = int(rng.choice(values))
        hi = lo + int(rng.choice([0, 30, 500])) if q == "range" else None
        rows.append({"claim_id": f"C{k + 1}", "claimant": rng.choice(["police", "organisers",
                                                                      "unattributed", "mayor"]),
                     "status": "other", "measure": rng.choice(["dead", "crowd"]),
                     "what": "people", "qualifier": q,
                     "best": lo if q in ("exact", "approx") else None,
                     "low": None if q in ("exact", "approx", "vague") else lo, "high": hi,
                     "first_published": "2024-10-21", "last_published": "2024-10-21"})
    claims = pd.DataFrame(rows).astype(dict.fromkeys(("best", "low", "high"), "Int64"))
    found = disagreeing(claims, _two_articles(claims), tolerance)
    differ = [ids for issue, ids in found if issue == "claimants differ"]
    assert differ == _claims_one_by_one(claims, tolerance)
    assert len(differ) > 5


def test_claims_whose_index_labels_repeat_still_disagree_by_value():
    from kit.claims.discrepancies import disagreeing

    claims = pd.DataFrame({
        "claim_id": ["C1", "C2", "C3"], "claimant": ["police", "army", "un"],
        "status": "other", "measure": "dead", "what": "people", "qualifier": "exact",
        "best": pd.array([10, 50, 10], dtype="Int64"), "low": pd.array([None] * 3, dtype="Int64"),
        "high": pd.array([None] * 3, dtype="Int64"), "first_published": "2024-10-21",
        "last_published": "2024-10-21"}, index=[0, 0, 1])  # (two frames put together)
    assert disagreeing(claims, _two_articles(claims), "rounding") == [
        ("claimants differ", ["C1", "C3"])]


def _one_claimant_one_by_one(claims: pd.DataFrame, lowest, highest) -> list[tuple]:
    """The 'values differ' and 'value changed' groups made group by group, as read."""
    groups = []
    valid = claims[(claims["qualifier"] != "vague") & (claims["claimant"] != "unattributed")]
    for _, rows in valid.groupby(["claimant", "status", "measure", "what"], sort=False):
        at = [claims.index.get_loc(label) for label in rows.index]
        if len(at) < 2 or min(lowest[at]) == max(highest[at]):
            continue
        spans = [(claims["first_published"].iloc[r], claims["last_published"].iloc[r])
                 for r in at]
        dated = all(isinstance(a, str) and isinstance(b, str) for a, b in spans)
        spans = sorted(spans) if dated else []
        changed = dated and all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
        first = {r: claims["first_published"].iloc[r] for r in at}
        order = sorted(at, key=lambda r: (not isinstance(first[r], str), first[r]
                                          if isinstance(first[r], str) else "", r))
        groups.append(("value changed" if changed else "values differ",
                       [claims["claim_id"].iloc[r] for r in order]))
    return groups


def test_one_claimants_differing_values_are_grouped_dated_and_ordered_as_group_by_group():
    from kit.claims.discrepancies import disagreeing

    rng = np.random.default_rng(7)
    days = ["2024-10-01", "2024-10-05", "2024-10-09", "2024-11-02", None]
    rows = []
    for k in range(800):
        first = rng.choice(days)
        later = [d for d in days if d is not None and first is not None and d >= first]
        rows.append({"claim_id": f"C{k + 1}",  # groups of a few claims each
                     "claimant": rng.choice(["unattributed", *(f"source {n}" for n in
                                                               range(60))]),
                     "status": rng.choice(["other", "planned"]),
                     "measure": rng.choice(["dead", "crowd"]),
                     "what": rng.choice(["people", "troops"]),
                     "qualifier": rng.choice(["exact", "about", "vague"]),
                     "best": int(rng.choice([10, 12, 40])), "low": None, "high": None,
                     "first_published": first,
                     "last_published": rng.choice(later + [None]) if later else None})
    claims = pd.DataFrame(rows).astype(dict.fromkeys(("best", "low", "high"), "Int64"))
    lowest = rng.integers(0, 3, len(claims))
    highest = lowest + rng.integers(0, 2, len(claims)) * (rng.random(len(claims)) < 0.2)
    found = [g for g in disagreeing(claims, (lowest, highest), "rounding")
             if g[0] != "claimants differ"]
    assert found == _one_claimant_one_by_one(claims, lowest, highest)
    assert {issue for issue, _ in found} == {"value changed", "values differ"}
    positions = disagreeing(claims, (lowest, highest), "rounding", rows=True)
    assert [[f"C{r + 1}" for r in rows] for _, rows in positions] == \
        [ids for _, ids in disagreeing(claims, (lowest, highest), "rounding")]


def test_claims_of_fractional_float_bounds_disagree_as_their_whole_numbers():
    from kit.claims.discrepancies import disagreeing

    claims = pd.DataFrame({
        "claim_id": ["C1", "C2", "C3"], "claimant": ["police", "army", "un"],
        "status": "other", "measure": "dead", "what": "people",
        "qualifier": ["exact", "range", "range"],
        "best": pd.array([10, None, None], dtype="Int64"), "low": [None, 10.5, 30.0],
        "high": [None, 10.9, 35.0], "first_published": "2024-10-21",
        "last_published": "2024-10-21"})
    whole = claims.assign(low=pd.array([None, 10, 30], dtype="Int64"),
                          high=pd.array([None, 10, 35], dtype="Int64"))
    found = disagreeing(claims, _two_articles(claims), "rounding")
    assert found == disagreeing(whole, _two_articles(whole), "rounding")
    assert ("claimants differ", ["C1", "C2"]) in found
