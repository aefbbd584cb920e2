"""Measures (kit.extract.measures, kit/data/measures.csv): what each figure measures.

Invented sentences for every measure, the rounds of the rule (the noun, the
status, the nearest words, the defaults), a story folder's rows winning over
ours, and a bad row named by file and line.
"""

from __future__ import annotations

import pytest

import kit
from kit import lexicon, schema
from kit.extract import measures


def measure_of(sentence: str, surface: str | None = None, lexicon_=None) -> str:
    figs = kit.figures_in_text(sentence, lexicon=lexicon_)
    if surface is not None:
        figs = figs[figs["surface"] == surface]
    assert len(figs) == 1, (sentence, list(figs["surface"]))
    return figs["measure"].iloc[0]


@pytest.mark.parametrize("sentence,expected", [
    ("Officials said 57 people were killed in the blast.", "dead"),
    ("The death toll rose to 61 on Tuesday.", "dead"),
    ("At least 23 deaths have been recorded in the province.", "dead"),
    ("Rescuers recovered 14 bodies from the river.", "dead"),
    ("A further 300 people were wounded, the hospital said.", "injured"),
    ("Doctors treated 84 people for burns and smoke inhalation.", "injured"),
    ("Police said 12 officers were hurt in the clashes.", "injured"),
    ("Twelve people are still missing, rescuers said.", "missing"),
    ("At least 9 residents remain unaccounted for.", "missing"),
    ("The army said 40 soldiers had been taken prisoner.", "captured"),
    ("Kyiv says it now holds 1,200 POWs.", "captured"),
    ("The rebels captured 15 soldiers near the bridge.", "captured"),
    ("About 3,200 people were evacuated from the valley overnight.", "evacuated"),
    ("More than 600 families fled their homes as the water rose.", "displaced"),
    ("The storm left 4,000 people homeless.", "displaced"),
    ("Police put the turnout at 40,000.", "crowd"),
    ("Some 5,000 protesters marched on parliament.", "crowd"),
    ("Organisers said 2,000 mourners attended the vigil.", "crowd"),
    ("A crowd of 3,000 people gathered outside the town hall.", "crowd"),
    ("The ministry said 2,500 soldiers had been deployed to the border.", "deployed forces"),
    ("The country plans to send 10,000 troops next month.", "planned forces"),
    ("The agency delivered 40 tonnes of food to the town.", "supplied items"),
    ("The ministry reported 2,917 cases of cholera.", "cases"),
    ("Health officials said 310 people had been infected.", "cases"),
    ("The company employs 212 workers at the plant.", "other"),
    ("Police arrested 46 people after the march.", "other"),
    ("The storm destroyed 1,600 homes across the valley.", "other"),
])
def test_every_measure_from_invented_sentences(sentence, expected):
    assert measure_of(sentence) == expected


def test_the_nearest_words_decide_between_figures_of_one_sentence():
    figs = kit.figures_in_text("The flood killed 57 people and injured 300, and 12 are still "
                               "missing, while 2,000 residents were evacuated.")
    assert dict(zip(figs["surface"], figs["measure"])) == {
        "57": "dead", "300": "injured", "12": "missing", "2,000": "evacuated"}


def test_casualty_words_near_a_crowd_noun_win_over_the_crowd():
    # "protesters" is only a default: what happened to them says what is measured
    assert measure_of("Medics said 17 protesters were injured by rubber bullets.") == "injured"
    assert measure_of("Some 40,000 protesters marched through the capital.") == "crowd"


def test_a_noun_taken_over_from_an_earlier_count_does_not_decide():
    # the kit's noun of 12 is the one of the count before it ("injured"): the words decide
    figs = kit.figures_in_text("The ministry said 300 were injured and 12 remain missing.")
    assert figs.set_index("surface").loc["12", "measure"] == "missing"


def test_measure_is_a_checked_column_right_after_status():
    names = [c.name for c in schema.FIGURES]
    assert names[names.index("status") + 1] == "measure"
    figs = kit.figures_in_text("Officials said 57 people were killed.")
    schema.check(figs, "figures")
    bad = figs.copy()
    bad["measure"] = "deaths"
    with pytest.raises(schema.SchemaError, match="measure"):
        schema.check(bad, "figures")
    assert set(schema.MEASURES) == set(lexicon.SPECS["measures.csv"].choices["measure"])


def test_measure_of_a_frame_is_what_figures_derive(seeds):
    _, figs, _ = seeds
    again = measures.measure(figs)
    assert again.tolist() == figs["measure"].tolist()
    assert set(figs["measure"]) <= set(schema.MEASURES)
    # the seeds' troops sent and to be sent, and the munitions
    assert set(figs.loc[figs["status"] == "planned", "measure"]) == {"planned forces"}
    assert set(figs.loc[figs["status"] == "deployed", "measure"]) == {"deployed forces"}


def test_a_story_folders_row_wins_over_ours(tmp_path):
    sentence = "Floodwater swept away 14 people near the bridge."
    assert measure_of(sentence) == "other"
    story = tmp_path / "flood"
    story.mkdir()
    (story / "measures.csv").write_text(
        "# my story\nmeasure,scope,pattern\ndead,near,\\bswept away\\b\n", encoding="utf-8")
    assert measure_of(sentence, lexicon_=story) == "dead"
    # theirs come first: a noun row of theirs decides before ours
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "measures.csv").write_text(
        "measure,scope,pattern\nmissing,noun,\\bpeople\\b\n", encoding="utf-8")
    assert measure_of("Officials said 57 people were killed.") == "dead"
    assert measure_of("Officials said 57 people were killed.", lexicon_=odd) == "missing"
    rows = lexicon.load(odd).tables["measures.csv"]
    assert rows[0]["measure"] == "missing" and str(odd) in rows[0]["_where"]


def test_a_bad_measure_in_a_story_folder_is_named_with_its_file_and_line(tmp_path):
    (tmp_path / "measures.csv").write_text(
        "# comment\nmeasure,scope,pattern\ndead,near,killed\ndeaths,near,died\n",
        encoding="utf-8")
    with pytest.raises(lexicon.LexiconError) as err:
        lexicon.load(tmp_path)
    message = str(err.value)
    assert f"{tmp_path / 'measures.csv'}:4" in message
    assert "unknown measure 'deaths'" in message and "supplied items" in message


@pytest.mark.parametrize("text,problem", [
    ("measure,scope,pattern\ndead,sentence,killed\n", "unknown scope 'sentence'"),
    ("measure,scope,pattern\ndead,near,(killed\n", "bad regular expression"),
    ("measure,pattern\ndead,killed\n", "lacks column.s. scope"),
])
def test_other_bad_rows_are_named_too(tmp_path, text, problem):
    (tmp_path / "measures.csv").write_text(text, encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=problem):
        lexicon.load(tmp_path)


def test_our_measures_file_is_valid_and_every_row_compiles():
    rows = lexicon.read_table(lexicon.DATA / "measures.csv", lexicon.SPECS["measures.csv"])
    lexicon.check_rows(rows, lexicon.SPECS["measures.csv"])
    assert {r["measure"] for r in rows} <= set(schema.MEASURES)
    assert {r["scope"] for r in rows} == {"noun", "figure", "near", "default"}
    rules = measures.compile_rules(rows)
    assert rules.near is not None and len(rules.near_of_group) == sum(
        r["scope"] == "near" for r in rows)
