"""Figure rules (kit.extract.figures): hedges and qualifiers, value conventions,
what is not a figure (dates, years, money, ages, names, boilerplate), the counted
noun and its kind, and the status.  The number grammar is in test_numbers.py,
claimants in test_attribution.py.

Every sentence is invented (fictional places and people); ``anchor`` names the
figure under test, and where two readings are right the test accepts both.
"""

from __future__ import annotations

import kit
import pandas as pd
import pytest
from figure_rules import (QUALIFIERS, assert_no_figure_at, assert_value, describe_rows, extract,
                          figure_at)


HEDGES = [
    ("about", "Valdoria sent about 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("around", "Valdoria sent around 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("approximately", "Valdoria sent approximately 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("some", "Valdoria sent some 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("roughly", "Valdoria sent roughly 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("nearly", "Valdoria sent nearly 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("almost", "Valdoria sent almost 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("approaching", "The force in Tarsk is approaching 1,500 soldiers.", "1,500", 1500, 1500, "approx"),
    ("an estimated", "Valdoria sent an estimated 1,500 soldiers to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("About-capital", "About 1,500 soldiers were sent to Tarsk.", "1,500", 1500, 1500, "approx"),
    ("about-words", "Valdoria sent about ten thousand troops to Tarsk.", "ten thousand", 10000, 10000, "approx"),
    ("more than", "Valdoria shipped more than 13,000 containers to Tarsk.", "13,000", 13000, None, "more_than"),
    ("over", "Valdoria shipped over 13,000 containers to Tarsk.", "13,000", 13000, None, "more_than"),
    ("More than-capital", "More than 13,000 containers were shipped to Tarsk.", "13,000", 13000, None, "more_than"),
    ("at least", "At least 40 soldiers were killed near Velmor.", "40", 40, None, "at_least"),
    ("up to", "Valdoria could send up to 20,000 soldiers to Tarsk.", "20,000", None, 20000, "up_to"),
]


@pytest.mark.parametrize("hedge,text,anchor,low,high,qualifier", HEDGES, ids=[c[0] for c in HEDGES])
def test_hedge_words_set_the_qualifier(hedge, text, anchor, low, high, qualifier):
    row = figure_at(text, anchor)
    assert_value(row, low, high, qualifier)


def test_as_many_as_is_up_to_or_approx():
    # Spec: '"as many as" may be up_to'. AMBIGUOUS: the issue hedges ("may be").
    # up_to (high only) is the natural reading; approx (low == high) is accepted
    # as the alternative. Whatever the qualifier, its value convention must hold.
    row = figure_at("Valdoria may send as many as 20,000 soldiers to Tarsk.", "20,000")
    assert row["qualifier"] in {"up_to", "approx"}
    if row["qualifier"] == "up_to":
        assert_value(row, None, 20000, "up_to")
    else:
        assert_value(row, 20000, 20000, "approx")


def test_fewer_than_is_up_to():
    # Spec: fewer than -> up_to (high only). AMBIGUOUS on the bound: "fewer than
    # 500" strictly tops out at 499; both 500 (the number as written, the natural
    # reading) and 499 are accepted.
    row = figure_at("Fewer than 500 soldiers remain in the Velmor garrison.", "500")
    assert row["qualifier"] == "up_to"
    assert pd.isna(row["low"])
    assert int(row["high"]) in {500, 499}


NO_SPREAD = [
    ("Roughly 40 soldiers were killed and 260 wounded near Velmor.",
     [("40", 40, 40, "approx"), ("260", 260, 260, "exact")]),
    ("Some 300 soldiers were killed and 2,700 wounded in the Tarsk offensive.",
     [("300", 300, 300, "approx"), ("2,700", 2700, 2700, "exact")]),
    ("Valdoria sent more than 500 troops and 40 tanks to Tarsk.",
     [("500", 500, None, "more_than"), ("40", 40, 40, "exact")]),
    ("About 900 troops arrived in Tarsk, and 120 more reached Velmor.",
     [("900", 900, 900, "approx"), ("120", 120, 120, "exact")]),
    ("At least 30 soldiers were captured and 75 were wounded.",
     [("30", 30, None, "at_least"), ("75", 75, 75, "exact")]),
]


@pytest.mark.parametrize("text,expected", NO_SPREAD, ids=[c[0][:30] for c in NO_SPREAD])
def test_hedge_does_not_spread_to_second_number(text, expected):
    for anchor, low, high, qualifier in expected:
        # occurrence 0 of the anchor; the anchors are chosen to be unique
        row = figure_at(text, anchor)
        assert_value(row, low, high, qualifier)


# --------------------------------------------------------------------------- conventions

CONVENTION_TEXT = (
    "Valdoria sent about 1,500 soldiers to Tarsk. "
    "It shipped more than 13,000 containers to Norvania. "
    "At least 40 soldiers were killed near Velmor. "
    "Valdoria could send up to 20,000 soldiers. "
    "Between 10,000 and 12,000 troops will rotate through Tarsk. "
    "Thousands of soldiers gathered outside Velmor. "
    "The garrison counts 350 engineers."
)


def test_value_conventions_for_every_qualifier():
    df = extract(CONVENTION_TEXT)
    # the text holds one figure of each qualifier
    assert set(df["qualifier"]) == QUALIFIERS, describe_rows(df)
    for _, r in df.iterrows():
        lo, hi, q = r["low"], r["high"], r["qualifier"]
        if q in ("exact", "approx"):
            assert pd.notna(lo) and pd.notna(hi) and lo == hi, r["surface"]
        elif q in ("more_than", "at_least"):
            assert pd.notna(lo) and pd.isna(hi), r["surface"]
        elif q == "up_to":
            assert pd.isna(lo) and pd.notna(hi), r["surface"]
        elif q == "range":
            assert pd.notna(lo) and pd.notna(hi) and lo < hi, r["surface"]
        elif q == "vague":
            assert pd.isna(lo) and pd.isna(hi), r["surface"]
        else:  # pragma: no cover
            pytest.fail(f"unknown qualifier {q!r}")


def test_low_and_high_are_nullable_int():
    df = extract(CONVENTION_TEXT)
    assert str(df["low"].dtype) == "Int64"
    assert str(df["high"].dtype) == "Int64"


def test_surface_and_sentence_offsets_point_into_text():
    text = "Valdoria sent 400 soldiers.\n\nNorvania sent about 1,200 more troops to Tarsk."
    df = extract(text)
    assert len(df) == 2, describe_rows(df)
    for _, r in df.iterrows():
        assert text[r["start"]:r["end"]] == r["surface"]
        assert text[r["sentence_start"]:r["sentence_end"]] == r["sentence"]
        assert r["sentence_start"] <= r["start"] <= r["end"] <= r["sentence_end"]
    second = figure_at(text, "1,200")
    assert second["sentence"].startswith("Norvania sent")


# --------------------------------------------------------------------------- not figures

NOT_FIGURES = [
    ("date-abbrev", "The convoy left Tarsk on Oct. 8 after a long delay.", "8"),
    ("date-day-month", "The troops reached Velmor on 8 October.", "8"),
    ("date-month-day-year", "The Valdorian statement was issued on October 21, 2024.", "21"),
    ("date-year-in-full-date", "The Valdorian statement was issued on October 21, 2024.", "2024"),
    ("date-weekday-paren", "Officials in Tarsk spoke on Monday (21) about the soldiers.", "21"),
    ("year", "The Velmor brigade of soldiers was formed in 2023.", "2023"),
    ("time", "The report on the troops was updated at 12:14 PM.", "12:14"),
    ("ordinal-digits", "The 3rd brigade of Valdorian soldiers moved north.", "3rd"),
    ("ordinal-digits-2", "The 112th battalion of troops left Tarsk.", "112th"),
    ("ordinal-word", "The first batch of soldiers reached Tarsk.", "first"),
    ("age-hyphen", "A 25-year-old soldier was detained near Velmor.", "25"),
    ("age-aged", "The commander of the troops, aged 40, was detained.", "40"),
    ("percent-word", "The number of troops rose by 30 percent in Tarsk.", "30"),
    ("percent-sign", "About 30% of the troops in Tarsk are conscripts.", "30"),
    ("money-dollar", "Valdoria pledged $5 million for the soldiers in Tarsk.", "5 million"),
    ("money-words", "The contract for the troops was worth 2 billion dollars.", "2 billion"),
    ("money-euro", "Norvania spent \u20ac300 million on its soldiers.", "300"),
    ("distance-km", "The troops were stationed 40 km from the Norvanian border.", "40"),
    ("distance-miles", "The soldiers marched 12 miles to Velmor.", "12"),
    ("duration-days", "The troops trained for three days near Velmor.", "three"),
    ("duration-weeks", "The soldiers will stay in Tarsk for two weeks.", "two"),
    ("duration-hours", "The soldiers held the bridge for 48 hours.", "48"),
    ("page-furniture-read", "2 min read", "2"),
    ("name-F-16", "Norvania asked its allies for F-16 jets.", "16"),
    ("name-Su-27", "A Su-27 flew over the Valdorian troops.", "27"),
    ("name-COVID-19", "The COVID-19 pandemic slowed the recruitment of soldiers.", "19"),
    ("name-G7", "G7 leaders discussed the Valdorian troops.", "7"),
]


@pytest.mark.parametrize("name,text,anchor", NOT_FIGURES, ids=[c[0] for c in NOT_FIGURES])
def test_not_a_figure(name, text, anchor):
    assert_no_figure_at(text, anchor)


MIXED = [
    # A real figure next to a non-figure: the real one is found, the other is not.
    ("On Oct. 8, 1,200 soldiers arrived in Tarsk.", "1,200", 1200, ["8"]),
    ("On October 21, 2024, about 900 soldiers crossed into Norvania.", "900", 900, ["21", "2024"]),
    ("In 2023 Valdoria sent 4,000 troops to Norvania.", "4,000", 4000, ["2023"]),
    ("The 3rd brigade sent 600 soldiers to Velmor.", "600", 600, ["3rd"]),
    ("Over three days, 2,000 troops reached the border.", "2,000", 2000, ["three"]),
]


@pytest.mark.parametrize("text,anchor,value,distractors", MIXED, ids=[c[1] for c in MIXED])
def test_real_figure_next_to_non_figures(text, anchor, value, distractors):
    row = figure_at(text, anchor)
    assert int(row["low"]) == value and int(row["high"]) == value
    for d in distractors:
        assert_no_figure_at(text, d)


def _article(boilerplate: str) -> str:
    return (
        "Valdoria has sent 2,400 troops to Norvania, officials in Tarsk said.\n\n"
        f"{boilerplate}\n\n"
        "The soldiers are expected to reach Velmor next week."
    )


BOILERPLATE = [
    ("membership",
     "Become a member today and join 12,000 supporters who keep our newsroom independent.",
     "12,000"),
    ("subscribe",
     "Subscribe to our newsletter and join 40,000 readers who get the morning briefing.",
     "40,000"),
    ("related",
     "Related article: Norvania says 5,000 soldiers crossed the river",
     "5,000"),
    ("photo-credit",
     "Photo: 300 soldiers march through Tarsk. (Lida Morn / Northwind Agency)",
     "300"),
    ("support-us",
     "Support independent journalism. Become a member and help our 35 reporters on the ground.",
     "35"),
]


@pytest.mark.parametrize("name,boilerplate,anchor", BOILERPLATE, ids=[c[0] for c in BOILERPLATE])
def test_no_figures_in_boilerplate(name, boilerplate, anchor):
    text = _article(boilerplate)
    assert_no_figure_at(text, anchor)
    # control: the article's own figure is still there
    row = figure_at(text, "2,400")
    assert_value(row, 2400, 2400, "exact")


# --------------------------------------------------------------------------- what / kind

WHAT = [
    ("Valdoria sent around 1,500 special forces soldiers to Tarsk.", "1,500", {"special forces soldiers"}),
    # the spec's own example says what == "containers"; "containers of munitions"
    # is also a faithful "noun phrase as written", so both are accepted.
    ("Valdoria shipped more than 13,000 containers of munitions to Norvania.", "13,000",
     {"containers", "containers of munitions"}),
    ("Officials expect between 10,000 and 12,000 military personnel in Tarsk.", "10,000", {"military personnel"}),
    ("Thousands of soldiers gathered outside Velmor.", "Thousands", {"soldiers"}),
    ("Valdoria moved ten thousand troops to the coast.", "ten thousand", {"troops"}),
    ("Valdoria sent 3,000 workers to the Tarsk shipyards.", "3,000", {"workers"}),
    ("Norvania delivered 1.5 million artillery shells to Valdoria.", "1.5 million", {"artillery shells"}),
    ("The garrison received 40 tanks from Norvania.", "40", {"tanks"}),
    # Anaphora: "of them" resolves to the counted noun of the same sentence;
    # the spec accepts either the resolved noun or "them".
    ("Valdoria has sent 4,000 troops to the front, and 1,500 of them are already in Tarsk.",
     "1,500", {"troops", "them"}),
]


@pytest.mark.parametrize("text,anchor,accepted", WHAT, ids=[c[1] + ":" + min(c[2]) for c in WHAT])
def test_what_is_the_counted_noun_phrase(text, anchor, accepted):
    row = figure_at(text, anchor)
    assert row["what"] in accepted, f"what={row['what']!r}"


def test_what_of_them_keeps_both_figures():
    text = "Valdoria has sent 4,000 troops to the front, and 1,500 of them are already in Tarsk."
    assert_value(figure_at(text, "4,000"), 4000, 4000, "exact")
    assert_value(figure_at(text, "1,500"), 1500, 1500, "exact")


KIND = [
    ("Valdoria sent 3,000 workers to the Tarsk shipyards.", "3,000", "people"),
    ("Valdoria sent 2,000 troops to Tarsk.", "2,000", "forces"),
    ("Valdoria sent 500 military personnel to Tarsk.", "500", "forces"),
    ("At least 40 soldiers were killed near Velmor.", "40", "forces"),
    ("Norvania delivered 1.5 million artillery shells to Valdoria.", "1.5 million", "materiel"),
    ("Norvania supplied 120 missiles to Valdoria.", "120", "materiel"),
    ("The garrison received 40 tanks from Norvania.", "40", "materiel"),
    # containers of munitions: natural reading materiel (counts munitions cargo)
    ("Valdoria shipped more than 13,000 containers of munitions to Norvania.", "13,000", "materiel"),
]


@pytest.mark.parametrize("text,anchor,kind", KIND, ids=[f"{c[2]}:{c[0][:25]}" for c in KIND])
def test_kind_is_forces_people_or_materiel(text, anchor, kind):
    row = figure_at(text, anchor)
    assert row["kind"] == kind


# --------------------------------------------------------------------------- status

STATUS = [
    # deployed
    ("sent", "Valdoria has sent 3,000 troops to Norvania.", "3,000", "deployed"),
    ("arrived", "About 1,500 soldiers arrived in Tarsk last week.", "1,500", "deployed"),
    ("stationed", "Some 2,000 troops are stationed near the Velmor border.", "2,000", "deployed"),
    ("already there", "Around 800 Valdorian soldiers are already in Norvania.", "800", "deployed"),
    ("dispatched", "Valdoria dispatched 600 troops to the front.", "600", "deployed"),
    # only forces are deployed: workers sent somewhere are "other"
    ("sent-workers", "Valdoria sent 3,000 workers to the Tarsk shipyards.", "3,000", "other"),
    # planned
    ("will", "Valdoria will send 10,000 troops to Norvania.", "10,000", "planned"),
    ("plans", "Valdoria plans to deploy 5,000 soldiers to Tarsk.", "5,000", "planned"),
    ("expected", "Valdoria is expected to send 4,000 more troops to Velmor.", "4,000", "planned"),
    ("by December", "The force in Tarsk will grow to 12,000 soldiers by December.", "12,000", "planned"),
    ("could", "Valdoria could send up to 20,000 soldiers to Norvania.", "20,000", "planned"),
    ("preparing to", "Valdoria is preparing to send 7,000 troops to Tarsk.", "7,000", "planned"),
    # casualties
    ("killed", "At least 40 soldiers were killed near Velmor.", "40", "casualties"),
    ("wounded", "About 120 soldiers were wounded in the Tarsk shelling.", "120", "casualties"),
    ("captured", "Norvanian forces captured two Valdorian soldiers near Velmor.", "two", "casualties"),
    ("captured-digits", "Norvanian forces say they captured 14 Valdorian soldiers.", "14", "casualties"),
    ("died", "Some 60 soldiers died in the collapse of the Tarsk bridge.", "60", "casualties"),
    ("injured", "Thirty soldiers were injured in the blast at Velmor.", "Thirty", "casualties"),
    # supplied (materiel)
    ("supplied", "Valdoria has supplied more than 13,000 containers of munitions to Norvania.", "13,000", "supplied"),
    ("shipped", "Valdoria shipped 5,000 artillery shells to Tarsk.", "5,000", "supplied"),
    ("delivered", "Norvania delivered 200 missiles to Valdoria last month.", "200", "supplied"),
    ("provided", "Valdoria provided 50 tanks to the Norvanian army.", "50", "supplied"),
    ("munitions", "Norvania has supplied 1.5 million artillery shells to Valdoria.", "1.5 million", "supplied"),
    # other
    ("has-army", "The Valdorian army has 1,200,000 soldiers on paper.", "1,200,000", "other"),
    ("trained", "The academy in Velmor trains about 900 cadets a year.", "900", "other"),
]


@pytest.mark.parametrize("label,text,anchor,status", STATUS, ids=[c[0] for c in STATUS])
def test_status_from_the_verb_of_the_figure(label, text, anchor, status):
    row = figure_at(text, anchor)
    assert row["status"] == status, f"status={row['status']!r} for {row['surface']!r}"


def test_status_sent_materiel_is_supplied_or_deployed():
    # AMBIGUOUS: "sent" is a deployed cue, but materiel that is handed over is
    # "supplied". Natural reading: supplied; deployed is accepted.
    row = figure_at("Valdoria sent 5,000 drones to Norvania.", "5,000")
    assert row["status"] in {"supplied", "deployed"}
    assert row["kind"] == "materiel"


def test_status_is_per_figure_in_one_sentence():
    text = "Valdoria has sent 3,000 troops to Norvania and will send 7,000 more by December."
    assert figure_at(text, "3,000")["status"] == "deployed"
    assert figure_at(text, "7,000")["status"] == "planned"


def test_an_area_is_not_a_count():
    import kit

    figs = kit.figures_in_text("Fire\n\nThe fire has burned 6,000 hectares and 900 acres, and "
                               "about 300 people fled, officials said.\n")
    assert figs["surface"].tolist() == ["about 300"]


def test_one_person_who_died_is_a_toll_of_one_and_the_next_count_shares_its_noun():
    f = kit.figures_in_text("One person died and four were injured when the roof collapsed, "
                            "fire officials said.")
    assert list(f["surface"]) == ["One", "four"]
    assert list(f["low"]) == [1, 4]
    assert list(f["what"]) == ["person", "people"]
    assert list(f["measure"]) == ["dead", "injured"]


def test_one_who_only_speaks_is_not_a_count():
    assert kit.figures_in_text("One man said he had lost everything in the fire.").empty
    assert kit.figures_in_text("One of the victims was a child.").empty


def test_an_earlier_value_counts_what_the_count_nearest_in_size_counts():
    f = kit.figures_in_text("The fire forced 3,400 residents from 11 villages, up from about "
                            "3,000 on Monday, the county said.")
    assert list(f["what"]) == ["residents", "villages", "residents"]
    f = kit.figures_in_text("The toll rose to 57, up from 41 on Tuesday, officials said.")
    assert list(f["measure"]) == ["dead", "dead"]
