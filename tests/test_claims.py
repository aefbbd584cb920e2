"""Claims (kit.claims): the same statement across outlets as one row.

On the seeds (the issue's acceptance points) and on tests/data/multiday, a
small fictional corpus over several dates (see its ABOUT file).  Where claims
disagree: test_discrepancies.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import SEEDS, one, outlets

import kit
from kit import schema
from kit.claims import families, grouping
from kit.claims.grouping import claim_ids
from kit.claims.values import value_label, value_labels
from kit.present.claims import claims_html
from kit.present.tables import numbered
from kit.schema import UNKNOWN_OUTLET


# ---------------------------------------------------------------- seeds (acceptance)

def test_claims_conform_and_cover_every_figure_once(seeds):
    _, figs, claims = seeds
    schema.check(claims, "claims")
    ids = [i for ids in claims["figure_ids"] for i in ids.split("; ")]
    assert sorted(ids) == sorted(figs["figure_id"])
    assert claims["n_figures"].sum() == len(figs)
    assert list(claims["claim_id"]) == [f"C{i}" for i in range(1, len(claims) + 1)]
    assert claim_ids(figs, claims).notna().all()


def test_nis_about_12000_planned_is_one_claim_with_all_its_outlets(seeds):
    _, figs, claims = seeds
    c = one(claims, claimant="NIS (South Korea)", status="planned", what="troops", best=12000)
    reporting = figs[(figs["claimant"] == "NIS (South Korea)") & (figs["status"] == "planned")
                     & (figs["low"] == 12000)]
    assert len(reporting) == 3
    assert outlets(c) == set(reporting["outlet"].fillna(UNKNOWN_OUTLET))
    assert outlets(c) == {"The Guardian", "The Kyiv Independent", "unknown outlet"}
    assert c["value"] == "about 12,000" and c["qualifier"] == "approx"
    assert (c["low"], c["high"], c["n_outlets"], c["n_figures"]) == (12000, 12000, 3, 3)
    assert set(c["nouns"].split("; ")) == {"soldiers", "special forces", "troops"}


def test_nis_1500_deployed_is_one_claim_over_four_outlets(seeds):
    _, _, claims = seeds
    c = one(claims, claimant="NIS (South Korea)", status="deployed", what="troops")
    assert c["best"] == 1500 and c["n_figures"] == 5
    assert outlets(c) == {"AFP", "The Guardian", "The Moscow Times", "unknown outlet"}
    assert c["first_published"] == c["last_published"] == "2024-10-21"


def test_zelensky_and_the_range_stay_distinct(seeds):
    _, _, claims = seeds
    z = one(claims, claimant="Zelensky", status="planned")
    # "Seoul and Kyiv accused Pyongyang of preparing ...": a joint source keeps both names
    r = one(claims, claimant="South Korean government and Ukrainian officials", qualifier="range")
    assert z["claim_id"] != r["claim_id"]
    assert (z["low"], z["best"], z["high"]) == (10000, 10000, 10000)
    assert (r["low"], r["best"], r["high"]) == (10000, 11000, 12000)  # best: the midpoint
    # "around 10,000" (Ukrainian officials) is inside 10,000-12,000 but is not merged into it
    around = one(claims, claimant="Ukrainian officials", status="planned", qualifier="approx")
    assert around["claim_id"] != r["claim_id"]


def test_containers_and_vague_figures_keep_their_open_or_missing_values(seeds):
    _, figs, _ = seeds
    claims = kit.claims(figs)
    vague = claims[claims["qualifier"] == "vague"]
    assert vague[["low", "best", "high"]].isna().all().all()
    sk = one(claims, claimant="South Korean government", status="deployed")
    assert sk["value"] == "thousands" and sk["n_outlets"] == 2
    all_figs = numbered(kit.figures(kit.load_corpus(SEEDS)))
    c = one(kit.claims(all_figs), what="containers")
    assert c["qualifier"] == "more_than" and c["low"] == 13000 and pd.isna(c["best"])
    assert pd.isna(c["high"]) and c["n_outlets"] == 2


# ---------------------------------------------------------------- rules

@pytest.mark.parametrize("a,b,same", [
    ((1480, 1480), (1500, 1500), True),          # rounding
    ((11800, 11800), (12000, 12000), True),
    ((1400, 1400), (1500, 1500), False),         # 6.7 %
    ((12000, 12000), (10000, 12000), False),     # a point inside a wider range
    ((1500, 1500), (1450, 1520), True),          # a range within rounding of the point
    ((10000, 12000), (10000, 12000), True),
    ((13000, None), (13000, 13000), False),      # "more than 13,000" vs "13,000"
    ((13000, None), (13200, None), True),
    ((None, 500), (None, 500), True),
])
def test_values_within_rounding_are_compatible(a, b, same):
    assert grouping.compatible(a, b) is same
    assert grouping.compatible(b, a) is same


@pytest.mark.parametrize("what,family", [
    ("special forces soldiers", "troops"), ("military personnel", "troops"),
    ("North Korean troops", "troops"), ("special forces", "troops"), ("soldier", "troops"),
    ("containers", "containers"), ("quarry workers", "workers"), ("artillery shells", "shells"),
    ("bananas", "bananas"), (None, "people"),
])
def test_counted_nouns_fall_into_families(what, family):
    assert families.family(what, "people") == family


def test_a_families_file_adds_families(tmp_path):
    (tmp_path / "fam.csv").write_text("noun,family\nbananas,fruit\n", encoding="utf-8")
    fams = families.load_families(tmp_path / "fam.csv")
    assert families.family("green bananas", "materiel", fams) == "fruit"
    assert families.family("troops", "people", fams) == "troops"


def test_no_figures_give_no_claims_and_no_discrepancies():
    empty = schema.empty("figures")
    c = kit.claims(empty)
    assert c.empty and list(c.columns) == [x.name for x in schema.CLAIMS]
    assert kit.discrepancies(empty, c).empty


def test_claims_do_not_chain_beyond_the_tolerance():
    rows = [(f"Outlet {i}", f"a{i}", 10, f"{v:,}", v, v, "exact", "troops", "planned", "X",
             f"X said {v:,} troops will go.") for i, v in enumerate([1000, 1040, 1080, 1120])]
    from handmade import figures_frame

    c = kit.claims(figures_frame(rows), tolerance=0.05)  # the share rule (rounding: test_like_with_like.py)
    assert list(c["n_figures"]) == [2, 2]  # 1000+1040, then 1080+1120: no chain 1000..1120


def _one_claim(stated: list[tuple]) -> pd.Series:
    """The claim of figures (outlet, value, qualifier, published) that all state NIS's
    "about 12,000 troops" within its rounding (``stated`` holds a 12,000: 11,600 and
    12,400 are two claims without one)."""
    from handmade import figures_frame

    rows = [(outlet, f"a{i}", 10, f"{v:,}", v, v, q, "troops", "planned", "NIS",
             f"NIS said {v:,} troops will go.") for i, (outlet, v, q, _) in enumerate(stated)]
    figs = figures_frame(rows)
    figs["published"] = pd.array([d for *_, d in stated], dtype="string")
    made = kit.claims(figs)
    assert len(made) == 1, made  # 11,600, 12,000 and 12,400 are 12,000 rounded
    return made.iloc[0]


D1, D2 = "2024-10-20", "2024-10-21"


#: The figure that makes 11,600 and 12,400 one claim, and loses every tie below.
ANCHOR = ("Z", 12000, "approx", D2)


@pytest.mark.parametrize("stated, best, value", [
    # the value stated by the most figures
    ([("A", 12000, "exact", D1), ("B", 11600, "exact", D2), ("C", 11600, "exact", D2)],
     11600, "11,600"),
    # as many figures: the one more outlets state
    ([("A", 11600, "exact", D1), ("A", 11600, "exact", D1), ("B", 12400, "exact", D2),
      ("C", 12400, "exact", D2), ANCHOR], 12400, "12,400"),
    # as many outlets: not the one only said "about"
    ([("A", 12000, "approx", D1), ("B", 11600, "exact", D2)], 11600, "11,600"),
    # then the earliest stated, then the smaller
    ([("A", 11600, "exact", D2), ("B", 12400, "exact", D1), ANCHOR], 12400, "12,400"),
    ([("A", 12400, "exact", D1), ("B", 11600, "exact", D1), ANCHOR], 11600, "11,600"),
    ([("A", 12400, "exact", D1), ("B", 11600, "exact", None), ANCHOR], 12400, "12,400"),
    # "about" when most figures stating the best value hedge it
    ([("A", 12000, "approx", D1), ("B", 12000, "approx", D1), ("C", 12000, "exact", D2)],
     12000, "about 12,000"),
    ([("A", 12000, "approx", D1), ("B", 12000, "exact", D1)], 12000, "12,000"),
], ids=["most-figures", "then-most-outlets", "then-not-only-hedged", "then-earliest",
        "then-smaller", "dated-before-undated", "about-when-most-hedge", "plain-when-half-hedge"])
def test_a_claims_best_value_follows_the_documented_order_of_ties(stated, best, value):
    claim = _one_claim(stated)
    assert (claim["best"], claim["value"]) == (best, value)
    assert (claim["low"], claim["high"]) == (min(v for _, v, *_ in stated),
                                             max(v for _, v, *_ in stated))
    dates = sorted(d for *_, d in stated if d)
    assert (claim["first_published"], claim["last_published"]) == (dates[0], dates[-1])
    assert claim["n_outlets"] == len({o for o, *_ in stated})
    assert claim["qualifier"] == ("exact" if len({v for _, v, *_ in stated}) == 1 and
                                  {q for _, _, q, _ in stated} == {"exact"} else "approx")


def test_a_claims_lists_are_sorted_and_its_figures_earliest_first():
    from handmade import figures_frame

    rows = [(o, art, 10, "12,000", 12000, 12000, "exact", w, "planned", "NIS",
             "NIS said 12,000 will go.")
            for o, art, w in (("beta", "a1", "Troops "), ("Alpha", "a2", "soldiers"),
                              ("alpha", "a3", "troops"), (None, "a4", "soldiers"))]
    figs = figures_frame(rows)
    figs["published"] = pd.array([D2, D2, D1, None], dtype="string")
    claim = kit.claims(figs).iloc[0]
    assert claim["outlets"] == f"Alpha; alpha; beta; {UNKNOWN_OUTLET}"  # case, then code
    assert claim["n_outlets"] == 4 and claim["n_figures"] == 4
    assert claim["nouns"] == "soldiers; troops"
    assert claim["figure_ids"] == "a3:10; a2:10; a1:10; a4:10"  # by date, outlet; undated last


# ---------------------------------------------------------------- multi-day corpus

def test_multiday_rounding_is_one_claim(multiday):
    _, _, claims = multiday
    c = one(claims, claimant="Velmorian Defence Ministry", status="deployed", low=1480)
    assert (c["low"], c["best"], c["high"]) == (1480, 1480, 1500)  # tie: the unhedged value
    assert c["value"] == "1,480" and c["qualifier"] == "approx"
    assert outlets(c) == {"The Halvenport Courier", "Brask Evening Post"}
    assert (c["first_published"], c["last_published"]) == ("2031-03-02", "2031-03-04")


def test_multiday_ranges(multiday):
    _, figs, claims = multiday
    # workers are never "planned" or "deployed" (only forces are): their status is other
    r = one(claims, claimant="Governor Rook", status="other", qualifier="range")
    assert (r["low"], r["best"], r["high"], r["n_figures"]) == (2000, 2250, 2500, 2)
    assert r["what"] == "workers"
    about = one(claims, claimant="Governor Rook", status="other", qualifier="approx")
    assert about["best"] == 2000 and about["outlets"] == "Greyfen Gazette"


def test_multiday_estimate_changing_over_time_is_three_claims(multiday):
    _, _, claims = multiday
    omo = claims[claims["claimant"] == "Ostrand Monitoring Office"]
    assert list(omo.sort_values("first_published")["best"]) == [3000, 8000, 11000]
    assert list(omo.sort_values("first_published")["first_published"]) == [
        "2031-03-02", "2031-03-09", "2031-03-16"]


def test_claims_table_cites_numbered_figures_and_shows_no_na(multiday):
    _, figs, claims = multiday
    table = claims_html(claims, figs)
    assert "[1]" in table and "&lt;NA&gt;" not in table and "<NA>" not in table
    assert "citations" in table and "figure ids" not in table
    plain = claims_html(claims)  # without numbered figures: the figure ids
    assert "figure ids" in plain and claims["figure_ids"].iloc[0] in plain


def test_claims_table_escapes_article_strings(multiday):
    _, figs, _ = multiday
    hostile = figs.copy()
    hostile["outlet"] = "<script>alert(1)</script>"
    hostile["claimant"] = "<img src=x onerror=alert(2)>"
    table = claims_html(kit.claims(hostile), hostile)
    assert "<script>" not in table and "<img" not in table and "&lt;script&gt;" in table


@pytest.mark.parametrize("low,high,q,expected", [
    (1500, 1500, "exact", "1,500"),
    (1500, 1500, "approx", "about 1,500"),
    (10000, 12000, "range", "10,000–12,000"),
    (13000, None, "more_than", "more than 13,000"),
    (13000, None, "at_least", "at least 13,000"),
    (None, 5000, "up_to", "up to 5,000"),
    (None, None, "vague", "thousands"),
])
def test_value_label_says_the_value_as_written(low, high, q, expected):
    assert value_label(low, high, q, "thousands") == expected


def test_value_labels_of_a_frame(seeds):
    _, figs, _ = seeds
    labels = value_labels(figs)
    assert len(labels) == len(figs)
    assert "10,000–12,000" in set(labels) and "about 1,500" in set(labels)


# ---------------------------------------------------------------- parts (kit extract's store)

def test_claims_made_part_by_part_equal_the_claims_of_all_figures(seeds, multiday):
    for _, figs, claims in (seeds, multiday):
        made, found = grouping.part_claims(figs)
        assert not found and made["_part"].nunique() <= len(claims)
        pd.testing.assert_frame_equal(grouping.finish_claim_frame(made), claims)


def test_the_claims_of_known_groups_and_parts_are_not_made_and_the_rest_complete_them(seeds):
    _, figs, claims = seeds
    made, _ = grouping.part_claims(figs)
    groups = sorted(set(made["_group"]))
    parts = sorted(set(made.loc[made["_group"].isin(groups[1::2]), "_part"]))
    known = set(groups[::2]) | set(parts[::2]) | {"a part of another corpus"}
    fresh, found = grouping.part_claims(figs, known=known)
    assert set(found) == known - {"a part of another corpus"}
    assert {found[p] for p in parts[::2]} <= set(groups[1::2])  # a part is in its group
    assert not set(fresh["_part"]) & known and not set(fresh["_group"]) & known
    kept = made[made["_group"].isin(known) | made["_part"].isin(known)]
    assert len(kept) and len(fresh)
    pd.testing.assert_frame_equal(
        grouping.finish_claim_frame(pd.concat([kept, fresh], ignore_index=True)), claims)


def test_values_that_rounding_makes_the_same_always_share_a_part():
    import random

    pick = random.Random(7)
    values = [pick.choice([57, 60, 68, 70, 99, 100, 1000, 1400, 1450, 1480, 1500, 11500,
                           11460, 11600, 12000, 0]) + pick.choice([0, 0, 1, 5, 40, -3])
              for _ in range(300)]
    items = [(k, (v, v) if k % 3 else (v, None)) for k, v in enumerate(values)]
    shapes = pd.DataFrame({"low": pd.array([iv[0] for _, iv in items], dtype="Int64"),
                           "high": pd.array([iv[1] for _, iv in items], dtype="Int64"),
                           "qualifier": ["exact"] * len(items), "surface": [""] * len(items)})
    part = dict(enumerate(grouping._part_ids(np.zeros(len(items), dtype=np.int64), shapes,
                                             "rounding").tolist()))
    assert len(set(part.values())) > 5  # the values are cut, not kept whole
    assert set(part.values()) == set(range(len(set(part.values()))))  # numbered from 0
    for a, iv in items:
        for b, jv in items:
            if grouping.compatible(iv, jv):
                assert part[a] == part[b], (iv, jv)


def test_parts_large_and_small_make_the_claims_of_clustering_their_figures_one_by_one(
        monkeypatch):
    """A part is clustered a distinct interval at a time (arrays for a large part, a dict
    for a small one; a part of one interval is one claim without clustering); the claims
    are those of clustering every figure in turn."""
    import random

    from handmade import figures_frame

    pick = random.Random(11)
    rows = []
    # values rounding links (one part each), repeated, some open or hedged: a large part
    # (the NIS's) and a small one (the ministry's)
    for i, who in enumerate(["NIS"] * 400 + ["ministry"] * 40):
        v = pick.choice([1000, 1400, 1450, 1480, 1500, 1520, 2000, 1190, 1200, 1210])
        shape = pick.random()
        low, high = (v, None) if shape < 0.1 else (None, v) if shape < 0.15 else \
            (v, v + 20) if shape < 0.25 else (v, v)
        q = "approx" if pick.random() < 0.3 else "exact"
        rows.append((f"Outlet {i % 7}", f"a{pick.randint(0, 150)}", i, f"{v:,}", low, high, q,
                     "troops", "planned", who, f"{who} said {v:,} troops will go."))
    figs = figures_frame(rows)
    figs["published"] = pd.array([f"2024-10-{10 + i % 20}" for i in range(len(figs))],
                                 dtype="string")
    figs = figs.sample(frac=1, random_state=3).reset_index(drop=True)
    with_intervals = kit.claims(figs)
    sizes = with_intervals.groupby("claimant")["n_figures"].max()
    assert sizes["NIS"] >= grouping._FEW > 40 and len(with_intervals) > 10

    def one_by_one(rows, bounds, intervals, tolerance):
        if bounds[int(rows[0])] is None:
            return [rows.tolist()]
        return grouping.cluster([(i, bounds[i]) for i in rows.tolist()], tolerance)

    monkeypatch.setattr(grouping, "_part_clusters", one_by_one)
    pd.testing.assert_frame_equal(with_intervals, kit.claims(figs))


def test_parts_keep_groups_apart_and_each_wording_of_vague_figures_alone():
    shapes = pd.DataFrame({
        "low": pd.array([1500, 1500, 1480, None, None, None, 12000], dtype="Int64"),
        "high": pd.array([1500, 1500, 1480, None, None, None, None], dtype="Int64"),
        "qualifier": ["exact", "exact", "exact", "vague", "vague", "vague", "more_than"],
        "surface": ["1,500", "1,500", "1,480", "thousands", " Thousands", "dozens", "12,000"]})
    group = np.array([0, 1, 0, 0, 0, 0, 0])
    part = grouping._part_ids(group, shapes, "rounding").tolist()
    assert part[0] == part[2] != part[1]  # 1,480 rounds to 1,500; another group's 1,500 not
    assert part[3] == part[4] != part[5]  # "thousands" twice, "dozens" once
    assert len(set(part)) == 5  # and "more than 12,000" alone
    shared = grouping._part_ids(group, shapes, 0.05).tolist()  # a share: one numeric part
    assert shared[0] == shared[2] == shared[6] != shared[1]


def _first_compatible_anchor(items, key, tolerance="rounding"):
    """The clustering rule written plainly: in ``key`` order, each item joins the first
    cluster (in order of creation) whose anchor it is compatible with."""
    from kit.claims.grouping import compatible

    clusters = []
    for row, iv in sorted(items, key=key):
        for anchor, members in clusters:
            if compatible(anchor, iv, tolerance):
                members.append(row)
                break
        else:
            clusters.append((iv, [row]))
    return [members for _, members in clusters]


def test_indexed_clustering_finds_the_anchor_a_scan_of_every_anchor_finds_values_repeated_or_not():
    import random

    from kit.claims.grouping import cluster
    from kit.claims.values import granularity

    def key(item):  # cluster's own order under "rounding": roundest first, then by value
        lo, hi = item[1]
        steps = [granularity(v) for v in (lo, hi) if v is not None]
        return (-min(steps) if steps else 0, lo if lo is not None else -1,
                hi if hi is not None else float("inf"), item[0])

    rng = random.Random(7)

    def value():
        v = rng.randint(1, 10 ** rng.choice([1, 2, 3, 3, 4, 5, 6]))
        zeros = rng.randint(0, 5)
        return (v // 10 ** zeros) * 10 ** zeros or 10 ** zeros if rng.random() < 0.5 else v

    for _ in range(400):
        items = []
        for row in range(rng.randint(1, 50)):
            shape = rng.random()
            if shape < 0.1:
                iv = (None, None)
            elif shape < 0.25:
                iv = (None, value()) if shape < 0.17 else (value(), None)
            elif shape < 0.35:
                iv = tuple(sorted((value(), value())))
            elif shape < 0.5:  # a rounded bound and a precise one near it: (1480, 1500)
                v = value()
                step = 10 ** rng.randint(1, 3)
                iv = tuple(sorted((v, max(1, (v + step // 2) // step * step) +
                                   rng.choice([0, 0, 1, -1]))))
            else:
                near = items and items[-1][1][0] is not None and rng.random() < 0.4
                v = items[-1][1][0] + rng.randint(-30, 30) if near else value()
                iv = (v, v)
            items.append((row, iv))
        assert cluster(items) == _first_compatible_anchor(items, key), items
        # the same values stated again and again, as an archive states them (a repeated
        # interval joins the cluster its first statement joined), by rounding and by share
        again = items + [(len(items) + k, rng.choice(items)[1]) for k in range(len(items))]
        rng.shuffle(again)
        assert cluster(again) == _first_compatible_anchor(again, key), again
        assert cluster(again, 0.05) == _first_compatible_anchor(
            again, lambda item: key(item)[1:], 0.05), again
    # an anchor whose lower bound is finer than the item's, made first (its upper bound
    # is rounder than the item's): 1,480-1,500 and 1,500-1,501 state one value
    pair = [(0, (1480, 1500)), (1, (1500, 1501))]
    assert cluster(pair) == _first_compatible_anchor(pair, key) == [[0, 1]]


def test_claims_tied_on_every_sort_key_are_ordered_by_their_figure_ids(multiday):
    _, figs, claims = multiday
    made, _ = grouping.part_claims(figs)
    tied = pd.concat([made] * 3, ignore_index=True)  # every claim three times over
    tied["figure_ids"] = [f"f{k % 5}; g{k}" for k in range(len(tied))]
    tied = tied.sample(frac=1, random_state=3).reset_index(drop=True)
    keys = list(zip(*(tied[name].tolist() for name in (*grouping._SORT_COLUMNS, "figure_ids"))))
    assert grouping.sort_order(tied) == sorted(range(len(tied)), key=keys.__getitem__)
    assert grouping.finish_claim_frame(made)["figure_ids"].tolist() == \
        claims["figure_ids"].tolist()
