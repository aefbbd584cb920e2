"""Claims compare like with like: measures kept apart, the tolerance of "the same value",
claimant names normalised (kit.claims, kit.discrepancies, kit.claims.values).

The comparison of sources over days (kit.compare) is in test_compare.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from handmade import figures_frame

import kit
from kit import schema
from kit.claims import grouping
from kit.claims.values import granularity, same_value


# ---------------------------------------------------------------- the tolerance

@pytest.mark.parametrize("a,b,same", [
    (68, 71, False),        # two different tolls
    (68, 70, False),        # 70 is not rounder than 68: two significant digits count
    (12000, 12000, True),   # "about 12,000" and 12,000
    (11600, 12000, True),   # 11,600 said as "12,000" by a source that rounds to thousands
    (1480, 1500, True),
    (10000, 12000, False),  # both rounded to thousands: two values
    (1000, 1400, False),    # both to hundreds
    (1450, 1500, True),     # halves go up
    (1549, 1500, True),
    (1550, 1500, False),
    (7, 7, True),
    (7, 8, False),
])
def test_rounding_is_equal_after_the_sources_own_rounding(a, b, same):
    assert same_value(a, b) is same and same_value(b, a) is same


@pytest.mark.parametrize("value,step", [
    (68, 1), (70, 1), (100, 10), (1000, 100), (1400, 100), (1480, 10), (1500, 100),
    (11600, 100), (12000, 1000), (10000, 1000), (5, 1), (0, 1), (2_000_000, 100_000),
])
def test_granularity_keeps_two_significant_digits(value, step):
    assert granularity(value) == step


def test_a_share_keeps_the_relative_rule():
    assert same_value(1000, 1040, 0.05) and not same_value(1000, 1080, 0.05)
    assert same_value(68, 71, 0.05)  # within 5 %: why rounding is the default
    assert grouping.compatible((68, 68), (71, 71), 0.05)
    assert not grouping.compatible((68, 68), (71, 71))


def _toll_rows(values, claimant="the ministry", what="people"):
    return [(f"Outlet {i}", f"a{i}", 10, f"{v:,}", v, v, q, what, "casualties", claimant,
             f"The ministry said {v:,} {what} were killed.")
            for i, (v, q) in enumerate(values)]


def test_68_and_71_dead_stay_two_claims_and_rounded_figures_join():
    figs = figures_frame(_toll_rows([(68, "exact"), (71, "exact"), (70, "exact")]))
    assert sorted(kit.claims(figs)["best"]) == [68, 70, 71]
    figs = figures_frame(_toll_rows([(11600, "exact"), (12000, "approx"), (12400, "exact"),
                                     (10000, "exact")]))
    c = kit.claims(figs)
    assert sorted(c["n_figures"]) == [1, 3]  # 11,600, about 12,000 and 12,400 are one claim
    one = c[c["n_figures"] == 3].iloc[0]
    assert (one["low"], one["high"], one["qualifier"]) == (11600, 12400, "approx")
    assert kit.claims(figs, tolerance=0.05)["n_figures"].tolist() != c["n_figures"].tolist()


def test_a_share_written_as_a_report_parameter_string_is_a_share():
    assert grouping.check_tolerance("0.05") == 0.05
    assert grouping.check_tolerance("rounding") == "rounding"


@pytest.mark.parametrize("bad", ["round", -0.1, 1.5, True, None, "1.5", "five percent"])
def test_a_bad_tolerance_names_the_parameter(bad):
    figs = figures_frame(_toll_rows([(68, "exact")]))
    for call in (lambda: kit.claims(figs, tolerance=bad),
                 lambda: kit.discrepancies(figs, kit.claims(figs), tolerance=bad),
                 lambda: kit.compare(figs, tolerance=bad),
                 lambda: grouping.check_tolerance(bad)):
        with pytest.raises(ValueError, match="tolerance"):
            call()


# ---------------------------------------------------------------- measures kept apart

FLOOD = ("The agency said 57 people were killed and 12 are still missing. "
         "It said 57 people were injured.")


def test_dead_missing_and_injured_are_never_one_claim():
    figs = kit.figures_in_text(FLOOD, published="2030-05-11")
    assert list(figs["measure"]) == ["dead", "missing", "injured"]
    claims = kit.claims(figs)
    assert list(claims.columns[:5]) == ["claim_id", "claimant", "status", "measure", "what"]
    by_id = dict(zip(figs["figure_id"], figs["measure"]))
    for ids, measure in zip(claims["figure_ids"], claims["measure"]):
        assert {by_id[i] for i in ids.split("; ")} == {measure}
    # 57 dead and 57 injured: the same number, two claims
    assert sorted(claims.loc[claims["best"] == 57, "measure"]) == ["dead", "injured"]


def test_discrepancies_never_compare_two_measures():
    a = kit.figures_in_text("The ministry said 57 people were killed. Police said 57 people "
                            "were injured.", article_id="a", outlet="A", published="2030-05-11")
    b = kit.figures_in_text("The ministry said 64 people were killed. The hospital said 57 "
                            "people were injured.", article_id="b", outlet="B",
                            published="2030-05-12")
    figs = pd.concat([a, b], ignore_index=True)
    assert list(figs["measure"]) == ["dead", "injured", "dead", "injured"]
    d = kit.discrepancies(figs, kit.claims(figs))
    assert set(d["issue"]) == {"value changed", "claimants differ"}
    for _, g in d.groupby("discrepancy_id"):
        assert g["measure"].nunique() == 1
    changed = d[d["issue"] == "value changed"]
    assert set(changed["value"]) == {"57", "64"} and set(changed["measure"]) == {"dead"}
    # 57 injured by two claimants; the ministry's 57 dead is not among them
    differ = d[d["issue"] == "claimants differ"]
    assert set(differ["measure"]) == {"injured"}
    assert {grouping.claimant_key(c) for c in differ["claimant"]} == {"police", "hospital"}


# ---------------------------------------------------------------- claimant names

@pytest.mark.parametrize("name,key", [
    ("The agency", "agency"), ("the agency", "agency"), ("the agency's", "agency"),
    ("  Agency’s ", "agency"), ('"the agency",', "agency"), ("A spokesman", "spokesman"),
    ("NIS (South Korea)", "nis (south korea)"), ("unattributed", "unattributed"),
])
def test_claimant_keys_leave_out_case_articles_possessives_and_punctuation(name, key):
    assert grouping.claimant_key(name) == key


def test_one_claimant_written_several_ways_is_one_claim_shown_as_written_most():
    rows = _toll_rows([(57, "exact")] * 4)
    for row, name in zip(rows, ["the agency", "The agency", "the agency", "agency's"]):
        rows[rows.index(row)] = row[:9] + (name,) + row[10:]
    claims = kit.claims(figures_frame(rows))
    assert len(claims) == 1 and claims["claimant"].iloc[0] == "the agency"
    assert claims["n_figures"].iloc[0] == 4


def test_a_tie_between_written_forms_goes_to_the_first():
    assert grouping.claimant_names(["The Agency", "the agency", "Police", "police"]) == [
        "The Agency", "The Agency", "Police", "Police"]


def test_claims_schema_has_measure_after_status():
    names = [c.name for c in schema.CLAIMS]
    assert names[names.index("status") + 1] == "measure"
    names = [c.name for c in schema.DISCREPANCIES]
    assert names[names.index("status") + 1] == "measure"
