"""The comparison of sources (kit.compare, kit.present.claims.comparison_html) on an
invented flood story over five days (tests/data/flood: see its ABOUT): the official
toll, a rescue group's count and a hospital's side by side, measure by measure.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest
from helpers import REPO

import kit
from kit import schema
from kit.claims.grouping import claimant_key
from kit.present.claims import comparison_html
from kit.present.tables import numbered

FLOOD = REPO / "tests" / "data" / "flood"
NES, AVR, HOSPITAL = "National Emergency Service", "Ambre Valley Rescue", "Marsk General Hospital"


@pytest.fixture(scope="module")
def flood():
    lex = kit.lexicon.load(FLOOD / "lexicon")
    articles = kit.load_corpus(FLOOD, lexicon=lex)
    figs = numbered(kit.figures(articles, lexicon=lex))
    claims = kit.claims(figs, lexicon=lex)
    return figs, claims, kit.compare(figs, claims)


def cell(comparison, measure, date, claimant, what="people"):
    hit = comparison[(comparison["measure"] == measure) & (comparison["what"] == what)
                     & (comparison["date"] == date) & (comparison["claimant"] == claimant)]
    assert len(hit) == 1, (measure, date, claimant, hit)
    return hit.iloc[0]


def test_each_claimants_values_stand_side_by_side_per_measure(flood):
    _, _, cmp = flood
    schema.check(cmp, "comparison")
    dead = cmp[(cmp["measure"] == "dead") & (cmp["what"] == "people")]
    # on the third day: the official toll, the rescue group's count, the hospital's bodies
    day3 = dead[dead["date"] == "2030-05-13"].set_index("claimant")
    assert day3.loc[NES, "value"] == "71" and not day3.loc[NES, "carried"]
    assert day3.loc[AVR, "value"] == "71"
    assert day3.loc[HOSPITAL, "value"] == "51" and day3.loc[HOSPITAL, "carried"]
    assert day3.loc[HOSPITAL, "reported"] == "2030-05-12"
    # the official toll as a timeline, one value a date
    official = dead[dead["claimant"] == NES]
    assert list(zip(official["date"], official["value"])) == [
        ("2030-05-11", "at least 23"), ("2030-05-12", "47"), ("2030-05-13", "71"),
        ("2030-05-14", "74"), ("2030-05-15", "74")]
    assert list(dead[dead["claimant"] == AVR]["value"]) == ["at least 58", "71", "79", "79"]
    # every claimant has a row on every date from its first report on
    for _claimant, g in dead.groupby("claimant"):
        first = g["date"].min()
        assert list(g["date"]) == sorted(d for d in dead["date"].unique() if d >= first)


def test_missing_crowd_and_injured_are_compared_each_on_their_own(flood):
    _, _, cmp = flood
    assert cell(cmp, "missing", "2030-05-12", NES)["value"] == "30"
    assert cell(cmp, "missing", "2030-05-12", AVR)["value"] == "about 60"
    assert cell(cmp, "missing", "2030-05-15", NES)["value"] == "9"  # "down from 12" is not
    assert cell(cmp, "injured", "2030-05-14", HOSPITAL)["value"] == "230"
    crowd = cmp[cmp["measure"] == "crowd"].set_index("claimant")
    assert {claimant_key(c) for c in crowd.index} == {"police", "organisers"}
    assert set(crowd["value"]) == {"4,000", "more than 10,000"}
    assert set(crowd["date"]) == {"2030-05-14"}


def test_dead_and_missing_are_never_in_one_claim(flood):
    figs, claims, cmp = flood
    measure_of = dict(zip(figs["figure_id"], figs["measure"]))
    for ids, measure in zip(claims["figure_ids"], claims["measure"]):
        assert {measure_of[i] for i in ids.split("; ")} == {measure}
    nes = claims[claims["claimant"] == NES]
    assert set(nes.loc[nes["best"] == 22, "measure"]) == {"missing"}
    # the comparison never puts two measures in one table
    for (measure, _what), g in cmp.groupby(["measure", "what"]):
        assert set(claims.set_index("claim_id").loc[g["claim_id"], "measure"]) == {measure}


def test_68_and_71_dead_stay_two_claims(flood):
    figs, claims, _ = flood
    nes_dead = claims[(claims["claimant"] == NES) & (claims["measure"] == "dead")]
    assert {68, 71} <= set(nes_dead["best"])
    assert nes_dead.loc[nes_dead["best"] == 68, "claim_id"].iloc[0] != \
        nes_dead.loc[nes_dead["best"] == 71, "claim_id"].iloc[0]
    d = kit.discrepancies(figs, claims)
    nes = d[(d["claimant"] == NES) & (d["measure"] == "dead")]
    assert {"68", "71"} <= set(nes["value"])


def test_a_value_restated_as_earlier_does_not_date_its_claim(flood):
    # "71 ..., up from 68 in the morning": 68 is not what the service said that evening
    _, _, cmp = flood
    c = cell(cmp, "dead", "2030-05-13", NES)
    assert c["value"] == "71" and c["best"] == 71


def test_rounding_joins_about_12000_and_11600_of_one_claimant_only(flood):
    _, claims, cmp = flood
    displaced = claims[claims["measure"] == "displaced"]
    by_claimant = dict(zip(displaced["claimant"], displaced["value"]))
    assert by_claimant[NES] == "about 12,000"
    day5 = cmp[(cmp["measure"] == "displaced") & (cmp["date"] == "2030-05-15")]
    assert list(day5.loc[day5["claimant"] == NES, "carried"]) == [False]


def test_citations_are_the_claims_figures_up_to_the_date(flood):
    figs, _, cmp = flood
    published = dict(zip(figs["figure_id"], figs["published"]))
    outlets = dict(zip(figs["figure_id"], figs["outlet"]))
    for r in cmp.itertuples():
        ids = r.figure_ids.split("; ")
        assert ids and all(published[i] <= r.date for i in ids)
        assert r.outlets == "; ".join(sorted({outlets[i] for i in ids}, key=str.lower))
        assert r.reported <= r.date and r.carried == (r.reported != r.date)


def test_unattributed_is_left_out_where_a_named_source_reports_the_measure(flood):
    figs, _, cmp = flood
    assert (figs["claimant"] == "unattributed").any()  # headlines give the toll unattributed
    assert "unattributed" not in set(cmp["claimant"])
    # ... and kept where nobody is named
    alone = kit.figures_in_text("Some 300 people were evacuated on Monday.", published="2030-05-11")
    out = kit.compare(alone)
    assert list(out["claimant"]) == ["unattributed"] and list(out["measure"]) == ["evacuated"]


def test_vague_and_undated_figures_are_left_out():
    figs = kit.figures_in_text("Officials said thousands of people were evacuated and 57 people "
                               "were killed.")
    assert kit.compare(figs).empty  # no date
    dated = kit.figures_in_text("Officials said thousands of people were evacuated.",
                                published="2030-05-11")
    assert kit.compare(dated).empty  # no value


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.links, self.tables = [], [], 0
        self._in_h4 = False

    def handle_starttag(self, tag, attrs):
        self._in_h4 = tag == "h4"
        self.tables += tag == "table"
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data):
        if self._in_h4:
            self.headings.append(data)
            self._in_h4 = False


def test_comparison_html_has_a_heading_and_a_table_per_measure_with_linked_citations(flood):
    figs, _, cmp = flood
    page = comparison_html(cmp, figs)
    parsed = _Cells()
    parsed.feed(page)
    assert parsed.headings == list(dict.fromkeys(cmp["measure"]))
    assert parsed.tables == cmp.groupby(["measure", "what"]).ngroups
    assert parsed.links and all(h.startswith("#cite-") for h in parsed.links)
    numbers = set(figs["n"])
    assert {int(h.split("-")[1]) for h in parsed.links} <= numbers
    assert "since 2030-05-12" in page and "<script" not in page
    plain = comparison_html(cmp)  # without numbered figures: the figure ids
    assert cmp["figure_ids"].iloc[0] in plain and "#cite-" not in plain


def test_comparison_html_escapes_article_strings_and_says_when_empty(flood):
    figs, _, cmp = flood
    hostile = cmp.copy()
    hostile["claimant"] = "<script>alert(1)</script>"
    hostile["value"] = '<img src=x onerror="alert(2)">'
    page = comparison_html(hostile, figs)
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    empty = comparison_html(schema.empty("comparison"))
    assert "Nothing to compare" in empty and "<table" not in empty


def test_compare_groups_claims_itself_and_leaves_its_inputs_alone(flood):
    figs, claims, cmp = flood
    before = figs.copy(deep=True), claims.copy(deep=True)
    again = kit.compare(figs, lexicon=kit.lexicon.load(FLOOD / "lexicon"))
    pd.testing.assert_frame_equal(again, cmp)
    pd.testing.assert_frame_equal(figs, before[0])
    pd.testing.assert_frame_equal(claims, before[1])


def test_a_same_day_conflict_is_shown_beside_the_value_picked(flood):
    figs, claims, comparison = flood
    row = cell(comparison, "dead", "2030-05-13", NES)
    assert row["value"] == "71" and row["also"] == "68"  # two outlets, one day, one source
    assert pd.isna(cell(comparison, "dead", "2030-05-11", NES)["also"])
    page = comparison_html(comparison, figs)
    assert "71 <span class=\"kit-also\">(also reported: 68)</span>" in page
