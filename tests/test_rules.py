"""Rule tests for ``kit.figures_in_text``, written from the spec (DESIGN.md,
"What a figure is", and the extractor issue), not from the implementation.

Every sentence here is invented for the tests (fictional places such as
Valdoria, Norvania, Tarsk, Velmor; invented people such as Dr Hana Veldt).
Real claimant names (NIS, Zelensky, Pentagon, ...) appear only because the
alias table is part of the spec.

Conventions used below:
* ``anchor`` is a substring of the text naming the number under test; the
  figure is the single row whose span overlaps the anchor's span.
* Where the spec allows two readings the test accepts both explicitly and says
  so in a comment; everywhere else it asserts the most natural reading.
"""

from __future__ import annotations

import pandas as pd
import pytest

QUALIFIERS = {"exact", "approx", "more_than", "at_least", "up_to", "range", "vague"}
STATUSES = {"deployed", "planned", "casualties", "supplied", "other"}
NA = None  # marker: the column must be <NA>


# --------------------------------------------------------------------------- helpers


def extract(text: str) -> pd.DataFrame:
    import kit  # imported lazily so each test fails on its own while kit is missing

    df = kit.figures_in_text(text)
    assert isinstance(df, pd.DataFrame)
    return df


def span_of(text: str, anchor: str, occurrence: int = 0) -> tuple[int, int]:
    idx = -1
    for _ in range(occurrence + 1):
        idx = text.index(anchor, idx + 1)
    return idx, idx + len(anchor)


def overlapping(df: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    if df.empty:
        return df
    return df[(df["start"] < end) & (df["end"] > start)]


def describe_rows(df: pd.DataFrame) -> str:
    if df.empty:
        return "<no figures>"
    cols = [c for c in ("surface", "low", "high", "qualifier", "what", "status", "claimant")
            if c in df.columns]
    return "\n" + df[cols].to_string()


def figure_at(text: str, anchor: str, occurrence: int = 0) -> pd.Series:
    df = extract(text)
    s, e = span_of(text, anchor, occurrence)
    rows = overlapping(df, s, e)
    assert len(rows) == 1, (
        f"expected exactly one figure over {anchor!r} in {text!r}; got {len(rows)}."
        f" All figures: {describe_rows(df)}"
    )
    return rows.iloc[0]


def assert_no_figure_at(text: str, anchor: str, occurrence: int = 0) -> pd.DataFrame:
    df = extract(text)
    s, e = span_of(text, anchor, occurrence)
    rows = overlapping(df, s, e)
    assert rows.empty, f"{anchor!r} in {text!r} is not a figure, got {describe_rows(rows)}"
    return df


def assert_value(row: pd.Series, low, high, qualifier: str) -> None:
    got = (None if pd.isna(row["low"]) else int(row["low"]),
           None if pd.isna(row["high"]) else int(row["high"]),
           row["qualifier"])
    assert got == (low, high, qualifier), f"surface {row['surface']!r}: got {got}"


# --------------------------------------------------------------------------- number grammar

EXACT_NUMBERS = [
    ("Valdoria moved 12,000 troops to the northern front.", "12,000", 12000),
    ("Valdoria moved 12 000 troops to the northern front.", "12 000", 12000),
    ("The northern command lists 1,250,000 artillery shells in its depots.", "1,250,000", 1250000),
    ("Norvania fields 1.5 million soldiers in total.", "1.5 million", 1500000),
    ("The depot in Tarsk holds 3 million artillery shells.", "3 million", 3000000),
    ("Valdoria moved 12k troops to the northern front.", "12k", 12000),
    ("Valdoria moved ten thousand troops to the northern front.", "ten thousand", 10000),
    ("One thousand soldiers crossed the river near Velmor.", "One thousand", 1000),
    ("Two soldiers crossed the river near Velmor.", "Two", 2),
    ("Valdoria moved 12-thousand troops to the northern front.", "12-thousand", 12000),
    ("Twenty-five soldiers crossed the river near Velmor.", "Twenty-five", 25),
    ("The regiment lost 840 rifles in the flood.", "840", 840),
    ("Norvania fields 2.5 million reservists.", "2.5 million", 2500000),
    ("The garrison in Tarsk counts 7 soldiers.", "7", 7),
]


@pytest.mark.parametrize("text,anchor,value", EXACT_NUMBERS, ids=[c[1] for c in EXACT_NUMBERS])
def test_number_grammar_exact(text, anchor, value):
    row = figure_at(text, anchor)
    assert_value(row, value, value, "exact")


VAGUE = [
    ("Thousands of soldiers gathered outside Tarsk.", "Thousands"),
    ("Dozens of soldiers deserted the Velmor garrison.", "Dozens"),
    ("Hundreds of troops were seen near the Norvanian border.", "Hundreds"),
    ("Several hundred soldiers were seen near the Norvanian border.", "Several hundred"),
    ("Tens of thousands of troops massed along the Velmor ridge.", "Tens of thousands"),
    ("Hundreds of thousands of shells were stockpiled in Tarsk.", "Hundreds of thousands"),
    ("Valdoria has moved thousands of soldiers to the coast.", "thousands"),
]


@pytest.mark.parametrize("text,anchor", VAGUE, ids=[c[1] for c in VAGUE])
def test_vague_amounts(text, anchor):
    row = figure_at(text, anchor)
    assert_value(row, None, None, "vague")


RANGES = [
    ("Between 10,000 and 12,000 troops will be rotated through Tarsk.", "Between 10,000 and 12,000", 10000, 12000),
    ("Valdoria will rotate between 10,000 and 12,000 troops through Tarsk.", "between 10,000 and 12,000", 10000, 12000),
    ("Valdoria will rotate 10,000 to 12,000 troops through Tarsk.", "10,000 to 12,000", 10000, 12000),
    ("Valdoria will rotate 10,000\u201312,000 troops through Tarsk.", "10,000\u201312,000", 10000, 12000),
    ("Valdoria will rotate 10,000-12,000 troops through Tarsk.", "10,000-12,000", 10000, 12000),
    ("Valdoria will rotate 300 or 400 troops through Tarsk.", "300 or 400", 300, 400),
    ("Valdoria will rotate 8 to 9 soldiers through the Tarsk checkpoint.", "8 to 9", 8, 9),
    # A scale word after the second number applies to both.
    ("Valdoria will rotate between 10 and 12 thousand troops through Tarsk.", "between 10 and 12 thousand", 10000, 12000),
]


@pytest.mark.parametrize("text,anchor,low,high", RANGES, ids=[c[1] for c in RANGES])
def test_ranges(text, anchor, low, high):
    # One row covering the whole range (not one row per number).
    row = figure_at(text, anchor)
    assert_value(row, low, high, "range")
    # the row's span covers both numbers of the range
    s, e = span_of(text, anchor)
    first_digit = next(i for i in range(s, e) if text[i].isdigit())
    last_digit = max(i for i in range(s, e) if text[i].isdigit())
    assert row["start"] <= first_digit and row["end"] > last_digit, row["surface"]


def test_range_surface_is_the_whole_range():
    # DESIGN.md gives this exact surface as its example.
    text = "Officials expect between 10,000 and 12,000 military personnel in Tarsk."
    row = figure_at(text, "10,000")
    assert row["surface"] == "between 10,000 and 12,000"
    assert_value(row, 10000, 12000, "range")


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
def test_hedges(hedge, text, anchor, low, high, qualifier):
    row = figure_at(text, anchor)
    assert_value(row, low, high, qualifier)


def test_as_many_as():
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


def test_dtypes_are_nullable_int():
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
    ("Valdoria sent 2,000 troops to Tarsk.", "2,000", "people"),
    ("Valdoria sent 500 military personnel to Tarsk.", "500", "people"),
    ("At least 40 soldiers were killed near Velmor.", "40", "people"),
    ("Norvania delivered 1.5 million artillery shells to Valdoria.", "1.5 million", "materiel"),
    ("Norvania supplied 120 missiles to Valdoria.", "120", "materiel"),
    ("The garrison received 40 tanks from Norvania.", "40", "materiel"),
    # containers of munitions: natural reading materiel (counts munitions cargo)
    ("Valdoria shipped more than 13,000 containers of munitions to Norvania.", "13,000", "materiel"),
]


@pytest.mark.parametrize("text,anchor,kind", KIND, ids=[f"{c[2]}:{c[0][:25]}" for c in KIND])
def test_kind(text, anchor, kind):
    row = figure_at(text, anchor)
    assert row["kind"] == kind


# --------------------------------------------------------------------------- status

STATUS = [
    # deployed
    ("sent", "Valdoria has sent 3,000 troops to Norvania.", "3,000", "deployed"),
    ("arrived", "About 1,500 soldiers arrived in Tarsk last week.", "1,500", "deployed"),
    ("stationed", "Some 2,000 troops are stationed near the Velmor border.", "2,000", "deployed"),
    ("already there", "Around 800 Valdorian soldiers are already in Norvania.", "800", "deployed"),
    ("dispatched", "Valdoria dispatched 600 engineers to the front.", "600", "deployed"),
    ("sent-workers", "Valdoria sent 3,000 workers to the Tarsk shipyards.", "3,000", "deployed"),
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
def test_status(label, text, anchor, status):
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


# --------------------------------------------------------------------------- claimant

CLAIMANT = [
    # (id, text, anchor, canonical claimant, words that must be in claimant_text or None)
    ("according-to-NIS",
     "About 1,500 soldiers have arrived in Tarsk, according to South Korea's National Intelligence Service.",
     "1,500", "NIS (South Korea)", "National Intelligence Service"),
    ("spy-agency-said",
     "Seoul's spy agency said 1,500 soldiers had arrived in Tarsk.",
     "1,500", "NIS (South Korea)", "Seoul's spy agency"),
    ("NIS-estimated",
     "The NIS estimated that 3,000 soldiers were training near Velmor.",
     "3,000", "NIS (South Korea)", "NIS"),
    ("SK-intelligence",
     "South Korean intelligence says 2,000 soldiers are stationed near Velmor.",
     "2,000", "NIS (South Korea)", "South Korean intelligence"),
    ("SK-defence-ministry",
     "South Korea's defence ministry said 700 soldiers had left the port.",
     "700", "South Korean government", "defence ministry"),
    ("SK-foreign-ministry",
     "South Korea's foreign ministry told reporters that 700 soldiers had left the port.",
     "700", "South Korean government", "foreign ministry"),
    ("SK-presidential-office",
     "South Korea's presidential office said 700 soldiers had left the port.",
     "700", "South Korean government", "presidential office"),
    ("Zelensky-said",
     "Zelensky said 10,000 soldiers were being prepared for the front.",
     "10,000", "Zelensky", "Zelensky"),
    ("Zelenskyy-told",
     "Zelenskyy told reporters that 10,000 soldiers were being prepared.",
     "10,000", "Zelensky", "Zelenskyy"),
    ("Ukraine-president",
     "Ukraine's president said 10,000 soldiers were being prepared.",
     "10,000", "Zelensky", "president"),
    ("HUR-said",
     "HUR said 11,000 soldiers were training at five bases.",
     "11,000", "Ukrainian intelligence (HUR)", "HUR"),
    ("GUR-reported",
     "Ukraine's military intelligence (GUR) reported that 11,000 soldiers were training.",
     "11,000", "Ukrainian intelligence (HUR)", "military intelligence"),
    ("Budanov-told",
     "Budanov told reporters that 11,000 soldiers were training.",
     "11,000", "Ukrainian intelligence (HUR)", "Budanov"),
    ("Kyiv-says",
     "Kyiv says 5,000 soldiers have reached the border.",
     "5,000", "Ukrainian officials", "Kyiv"),
    ("Ukrainian-officials",
     "Ukrainian officials said 5,000 soldiers had reached the border.",
     "5,000", "Ukrainian officials", "Ukrainian officials"),
    ("general-staff",
     "Ukraine's general staff reported that 40 soldiers were killed overnight.",
     "40", "Ukrainian officials", "general staff"),
    ("Pentagon",
     "The Pentagon said about 3,000 soldiers were in the region.",
     "3,000", "US officials", "Pentagon"),
    ("White-House",
     "The White House estimated that 3,000 soldiers were in the region.",
     "3,000", "US officials", "White House"),
    ("State-Department",
     "The State Department said 3,000 soldiers were in the region.",
     "3,000", "US officials", "State Department"),
    ("US-officials",
     "US officials told reporters that 3,000 soldiers were in the region.",
     "3,000", "US officials", "US officials"),
    ("Washington",
     "Washington says 3,000 soldiers are in the region.",
     "3,000", "US officials", "Washington"),
    ("NATO",
     "NATO said 3,000 soldiers had been confirmed in the region.",
     "3,000", "NATO", "NATO"),
    ("Rutte",
     "Rutte told reporters that 3,000 soldiers had been confirmed.",
     "3,000", "NATO", "Rutte"),
    ("Kremlin",
     "The Kremlin said 200 soldiers had been captured.",
     "200", "Kremlin", "Kremlin"),
    ("Peskov",
     "Peskov said 200 soldiers had been captured.",
     "200", "Kremlin", "Peskov"),
    ("Russian-defence-ministry",
     "Russia's defence ministry reported that 200 soldiers had been captured.",
     "200", "Kremlin", "defence ministry"),
    ("Yonhap-alone",
     "Yonhap reported that 1,500 soldiers had arrived in Tarsk.",
     "1,500", "Yonhap", "Yonhap"),
    ("KCNA",
     "KCNA said 2,000 workers had returned from abroad.",
     "2,000", "North Korea (KCNA)", "KCNA"),
    # most specific originating source wins
    ("Yonhap-citing-NIS",
     "Yonhap reported, citing the NIS, that 1,500 soldiers had arrived in Tarsk.",
     "1,500", "NIS (South Korea)", "NIS"),
    ("lawmaker-citing-NIS",
     "A lawmaker said, citing the NIS, that 1,500 soldiers had arrived in Tarsk.",
     "1,500", "NIS (South Korea)", "NIS"),
    ("citing-defence-ministry",
     "Yonhap reported 700 soldiers had left the port, citing South Korea's defence ministry.",
     "700", "South Korean government", "defence ministry"),
    # unknown person: canonical name is the words as written
    ("inverted-said-unknown-person",
     "\"About 2,000 soldiers are already in Tarsk,\" said Dr Hana Veldt, an analyst at the Velmor Institute.",
     "2,000", "Dr Hana Veldt", "Hana Veldt"),
    ("inverted-said-known",
     "About 2,000 soldiers are already in Tarsk, said the Pentagon.",
     "2,000", "US officials", "Pentagon"),
    # headlines
    ("headline-colon",
     "Valdoria has 2,000 troops in Norvania: Zelensky",
     "2,000", "Zelensky", "Zelensky"),
    ("headline-confirms",
     "Valdoria sent 600 engineers, Zelensky confirms",
     "600", "Zelensky", "Zelensky"),
    # no attribution anywhere
    ("unattributed",
     "Some 2,500 soldiers are training near Tarsk.",
     "2,500", "unattributed", None),
]


@pytest.mark.parametrize("label,text,anchor,claimant,words", CLAIMANT, ids=[c[0] for c in CLAIMANT])
def test_claimant(label, text, anchor, claimant, words):
    row = figure_at(text, anchor)
    assert row["claimant"] == claimant, (
        f"claimant={row['claimant']!r} claimant_text={row['claimant_text']!r}")
    if words is None:
        assert pd.isna(row["claimant_text"]) or row["claimant_text"] == "", row["claimant_text"]
    else:
        assert pd.notna(row["claimant_text"]) and words in row["claimant_text"], row["claimant_text"]
        # claimant_text is "the words as written": they occur in the text
        assert row["claimant_text"] in text


CARRY_OVER = [
    ("the-agency-said",
     ("South Korea's National Intelligence Service briefed lawmakers on Friday. "
     "Around 1,500 soldiers have already arrived in Tarsk, the agency said."),
     "1,500", "NIS (South Korea)"),
    ("it-said",
     ("The Pentagon released a new assessment on Monday. "
     "It said 3,000 soldiers were training near Velmor."),
     "3,000", "US officials"),
    ("previous-sentence",
     ("Ukraine's military intelligence said on Tuesday that training had begun. "
     "About 2,500 soldiers are being trained at a base near Tarsk."),
     "2,500", "Ukrainian intelligence (HUR)"),
    ("next-sentence",
     ("About 2,500 soldiers are being trained at a base near Tarsk. "
     "Budanov told reporters the number was rising."),
     "2,500", "Ukrainian intelligence (HUR)"),
    ("it-said-after-paragraph",
     ("Seoul's spy agency issued a statement on Friday.\n\n"
     "It said 1,500 special forces soldiers had been moved to Velmor."),
     "1,500", "NIS (South Korea)"),
]


@pytest.mark.parametrize("label,text,anchor,claimant", CARRY_OVER, ids=[c[0] for c in CARRY_OVER])
def test_claimant_carry_over(label, text, anchor, claimant):
    row = figure_at(text, anchor)
    assert row["claimant"] == claimant, (
        f"claimant={row['claimant']!r} claimant_text={row['claimant_text']!r}")


def test_own_sentence_claimant_beats_carry_over():
    text = ("Zelensky said 10,000 soldiers were coming. "
            "The Pentagon said about 3,000 troops had already arrived.")
    assert figure_at(text, "10,000")["claimant"] == "Zelensky"
    assert figure_at(text, "3,000")["claimant"] == "US officials"


def test_claimant_is_never_empty():
    text = ("Some 2,500 soldiers are training near Tarsk.\n\n"
            "Valdoria shipped 5,000 shells to Norvania, the Kremlin said.")
    df = extract(text)
    assert len(df) == 2, describe_rows(df)
    assert df["claimant"].notna().all()
    assert set(df["claimant"]) <= {"unattributed", "Kremlin"}
