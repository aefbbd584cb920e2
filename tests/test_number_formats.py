"""Numbers as other languages write them, in English copy and in the languages' own
copy: "30.000", "4.500", "1.234.567", "12 000", "1,5 million", "12 mil".  The reading
follows the article's own conventions (its other numbers, else its language) and says
its doubt where the article gives no evidence, never silently wrong.  Invented text."""

from __future__ import annotations

import pytest

from kit.extract.numbers import convention_of, find_numbers, language_of


def _number(text: str, surface: str):
    found = [n for n in find_numbers(text) if text[n.start:n.end] == surface]
    assert len(found) == 1, [text[n.start:n.end] for n in find_numbers(text)]
    return found[0]


@pytest.mark.parametrize("text, surface, value", [
    # dots grouping thousands, shown by another number of the article
    ("Police said 30.000 people marched. Organisers counted 1.250.000 over the week.",
     "30.000", 30_000),
    ("The fund paid 4.500 families, a total of 2.345,50 euros each.", "4.500", 4_500),
    ("Die Polizei sprach von 30.000 Menschen; 1.250.000 Euro Schaden.", "1.250.000", 1_250_000),
    ("Die Polizei sprach von 30.000 Menschen; 1.250.000 Euro Schaden.", "30.000", 30_000),
    # a decimal comma before a scale word: "1,5 million", "2,3 millones"
    ("Officials said 1,5 million people were without power.", "1,5 million", 1_500_000),
    ("El gobierno dijo que 2,3 millones de personas votaron.", "2,3 millones", 2_300_000),
    # spaces grouping thousands, with a decimal comma
    ("Les autorités ont compté 12 000 manifestants.", "12 000", 12_000),
    ("Le budget atteint 1 250 000,5 euros.", "1 250 000,5", 1_250_000.5),
    # "mil": thousand in Spanish and Portuguese copy
    ("Las autoridades dijeron que 12 mil personas fueron evacuadas de la ciudad y que "
     "el río seguía creciendo en la zona.", "12 mil", 12_000),
    # English stays English
    ("Officials said 1,250 people and 1.5 million dollars were involved.", "1,250", 1_250),
    ("Officials said 0.500 of the fund was spent.", "0.500", 0.5),
])
def test_numbers_are_read_by_the_articles_own_convention(text, surface, value):
    number = _number(text, surface)
    assert number.value == value
    assert number.doubt == ""


def test_thirty_thousand_people_in_an_article_that_writes_thousands_with_dots():
    text = ("The ministry said 30.000 people had left the city. A week earlier the count "
            "stood at 1.200.000 registered residents.")
    assert _number(text, "30.000").value == 30_000
    assert convention_of(text).decimal == ","


def test_thirty_thousand_with_no_evidence_is_read_as_thousands_and_flagged():
    number = _number("Police said 30.000 people marched on Sunday.", "30.000")
    assert number.value == 30_000
    assert "could be 30" in number.doubt


def test_a_dot_group_in_an_article_that_writes_decimal_points_is_flagged():
    text = "The agency said 1.5 million people were affected and 4.500 homes were lost."
    assert _number(text, "4.500").value == 4_500
    assert "it could be 4.5" in _number(text, "4.500").doubt


def test_mil_in_english_copy_is_flagged():
    number = _number("The agency said 12 mil people were affected.", "12 mil")
    assert number.value == 12_000 and "may mean million" in number.doubt


def test_a_decimal_comma_with_no_scale_in_english_copy_is_flagged():
    number = _number("Officials said 12,5 tonnes were delivered.", "12,5")
    assert number.value == 12.5 and "decimal comma" in number.doubt


@pytest.mark.parametrize("text, language", [
    ("The minister said that the floods were the worst in a decade and that the army was "
     "ready.", "en"),
    ("Der Minister sagte, dass die Flut die schlimmste seit zehn Jahren sei und die Armee "
     "bereit stehe, mit den Helfern.", "de"),
    ("El ministro dijo que las inundaciones fueron las peores de la década y que el "
     "ejército estaba listo para los rescates.", "es"),
    ("Le ministre a dit que les inondations sont les pires de la décennie et que "
     "l'armée est prête pour les secours dans la région.", "fr"),
    ("Il ministro ha detto che le alluvioni sono le peggiori del decennio e che "
     "l'esercito è pronto per gli aiuti della protezione civile.", "it"),
])
def test_the_language_is_told_from_its_commonest_words(text, language):
    assert language_of(text) == language


def test_a_german_article_with_no_other_number_reads_dots_as_thousands():
    text = ("Die Polizei sagte, dass 30.000 Menschen in der Stadt waren und die Lage "
            "ruhig war, mit den Helfern der Feuerwehr.")
    assert convention_of(text) == (",", "the article is in German")
    assert _number(text, "30.000").doubt == ""


def test_a_low_confidence_figure_names_its_number_doubt():
    import pandas as pd

    import kit

    articles = kit.schema.conform(pd.DataFrame({
        "article_id": ["a"], "path": ["a.txt"], "outlet": ["Wire"], "title": [None],
        "byline": [None], "published": ["2031-01-01"], "url": [None], "encoding": ["utf-8"],
        "text": ["The Harbour Authority said 30.000 people were evacuated.\n"]}), "articles")
    row = kit.figures(articles).iloc[0]
    assert (row["low"], row["confidence"]) == (30_000, "low")
    assert "could be 30" in row["confidence_reasons"]
