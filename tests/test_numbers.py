"""The number grammar (kit.extract.numbers): digits, words, scales, vague amounts and
ranges, read through ``kit.figures_in_text`` and directly, in invented sentences.
"""

from __future__ import annotations

import pytest
from figure_rules import assert_value, figure_at, span_of

from kit.extract.numbers import NUMBER, find_numbers, parse_digits, parse_words


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
    text = "Officials expect between 10,000 and 12,000 military personnel in Tarsk."
    row = figure_at(text, "10,000")
    assert row["surface"] == "between 10,000 and 12,000"
    assert_value(row, 10000, 12000, "range")


# --------------------------------------------------------------------------- the parts

@pytest.mark.parametrize("phrase, value", [
    ("ten", 10), ("twenty-five", 25), ("one hundred and five", 105), ("a dozen", 12),
    ("ten thousand", 10_000), ("two million", 2_000_000), ("seven", 7), ("troops", None),
])
def test_parse_words_reads_numbers_written_in_words(phrase, value):
    assert parse_words(phrase) == value


@pytest.mark.parametrize("body, tail, value", [
    ("12,000", "", 12_000), ("12 000", "", 12_000), ("1.5", " million", 1_500_000),
    ("12", "k", 12_000), ("12", "-thousand", 12_000), ("3", "bn", 3_000_000_000),
    ("99999999999999", "", None),  # absurd sizes are noise (phone numbers, ids)
])
def test_parse_digits_applies_separators_and_scales(body, tail, value):
    assert parse_digits(body, tail) == value


def test_find_numbers_gives_offsets_values_and_kinds():
    text = "About 1,500 troops, ten thousand workers and thousands of shells; 1.5 million more."
    found = find_numbers(text)
    assert [text[n.start:n.end] for n in found] == ["1,500", "ten thousand", "thousands",
                                                    "1.5 million"]
    assert [n.value for n in found] == [1500, 10_000, None, 1_500_000]
    assert [n.vague for n in found] == [False, False, True, False]
    assert [n.words for n in found] == [False, True, True, False]
    assert found[3].has_scale and found[3].scale == 1_000_000
    part = find_numbers(text, 20, 40)
    assert [text[n.start:n.end] for n in part] == ["ten thousand"]


def test_digits_inside_words_and_codes_are_not_numbers():
    text = "F-16 jets, a Su-27, COVID-19 and G7 leaders, but 300 troops."
    assert [text[n.start:n.end] for n in find_numbers(text) if not n.words] == ["300"]


def test_the_number_pattern_runs_case_insensitively():
    assert NUMBER.spans("TEN THOUSAND troops; Ten Thousand more") == [(0, 12), (21, 33)]
