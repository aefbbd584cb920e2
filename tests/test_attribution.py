"""Attribution (kit.extract.attribution): who each figure is attributed to.

Known claimants get their canonical name from the alias table, unknown sources
are kept as written, things and orphan pronouns are never claimants, and a
claimant carries over from a neighbouring sentence.  The alias union's RE2 path
and its ``re`` fallback find the same mentions.  Sentences are invented
(Valdoria, Norvania, Tarsk; Dr Hana Veldt); ``anchor`` names the figure under test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from figure_rules import describe_rows, extract, figure_at
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import fastre, lexicon
from kit.extract import attribution, speakers

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- known claimants

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
def test_known_claimant_gets_its_canonical_name_and_words(label, text, anchor, claimant, words):
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
def test_claimant_carries_over_from_a_neighbouring_sentence(label, text, anchor, claimant):
    row = figure_at(text, anchor)
    assert row["claimant"] == claimant, (
        f"claimant={row['claimant']!r} claimant_text={row['claimant_text']!r}")


def test_a_ministry_or_officials_are_never_taken_to_mean_an_international_body_named_before():
    text = ("The UN office estimated that about 24,000 people had been displaced. "
            "The interior ministry put the death toll at 14 on Tuesday. "
            "Officials said more than 82 people remained unaccounted for.")
    assert figure_at(text, "24,000")["claimant"] == "the UN office"
    assert figure_at(text, "14")["claimant"] == "the interior ministry"
    assert figure_at(text, "82")["claimant"] != "the UN office"
    # a government's office named before is still what "the ministry" means
    said = ("South Korea's presidential office briefed reporters on Friday. "
            "The ministry said 700 soldiers had left the port.")
    assert figure_at(said, "700")["claimant"] == "South Korean government"


def test_officials_named_by_their_body_and_a_place_are_the_officials_not_the_place():
    row = figure_at("Hospital officials in Oster Mill said 107 people had been treated.", "107")
    assert row["claimant"] == "Hospital officials in Oster Mill"
    # whom officials speak for is still the claimant ("at the ministry", "for the group")
    row = figure_at("Officials at the health ministry said 12 people had died.", "12")
    assert row["claimant"] == "the health ministry"
    row = figure_at("A spokesman for the Red Lantern rescue group said 40 people were rescued.", "40")
    assert row["claimant"] == "the Red Lantern rescue group"


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


# --------------------------------------------------------------------------- mentions

def test_find_mentions_folds_a_possessor_into_what_it_owns():
    lex = lexicon.load()
    s = "South Korea's National Intelligence Service said 1,500 soldiers had arrived."
    [m] = speakers.find_mentions(s, lex)
    assert s[m.start:m.end] == m.text == "South Korea's National Intelligence Service"
    assert m.canonical == "NIS (South Korea)" and not m.generic


def test_a_mention_without_a_speech_cue_is_not_a_claimant():
    lex = lexicon.load()
    s = "The Pentagon building was shut while 300 troops paraded."
    assert speakers.find_mentions(s, lex)  # named ...
    assert attribution.attributed(s, lex) == []  # ... but says nothing here
    assert figure_at(s, "300")["claimant"] == attribution.UNATTRIBUTED


def test_the_look_back_is_bounded():
    """A claimant named more than LOOKBACK sentences back is not carried over."""
    filler = "The weather stayed mild. " * (attribution.LOOKBACK + 5)
    text = "The Pentagon said troops were moving. " + filler + "About 300 soldiers arrived."
    assert figure_at(text, "300")["claimant"] == attribution.UNATTRIBUTED


SENTENCES = list(kit.sentences(kit.load_corpus(ROOT / "seeds")).text)


def test_longest_union_finds_the_same_mentions_as_row_by_row():
    """The leftmost-longest RE2 union and the fallback (union for where, rows for
    which) give the same mentions on every seed sentence."""
    lex = lexicon.load()
    assert lex.mention_longest is not None, fastre.RE2_PROBLEM
    slow = dataclasses.replace(lex, mention_longest=None)
    for sentence in SENTENCES:
        assert speakers.find_mentions(sentence, lex) == \
            speakers.find_mentions(sentence, slow), sentence


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "'", '"', "“", "–", ".", ",", "\u00a0", "é",
                                 "Seoul", "SEOUL", "NIS", "nis", "spy agency", "South Korea's",
                                 "Zelensky", "Ukraine's", "president", "defence ministry",
                                 "the Pentagon", "White House", "officials", "said"]),
                max_size=20).map("".join))
def test_the_mention_union_on_re2_and_on_its_re_fallback_agree(text):
    lex = lexicon.load()
    slow = dataclasses.replace(lex, mention_longest=None)
    assert speakers.find_mentions(text, lex) == speakers.find_mentions(text, slow)


def test_an_alias_re2_cannot_run_still_works(tmp_path):
    """An analyst's alias with a look-behind: the whole table falls back to re."""
    (tmp_path / "claimants.csv").write_text(
        "canonical,kind,country,role,pattern\n"
        "Velmor port authority,origin,Velmor,government,(?<!former )port authority\n",
        encoding="utf-8")
    lex = lexicon.load(tmp_path)
    assert lex.mention_longest is None
    figs = kit.figures_in_text("About 40 ferries were repaired, the port authority said.", lexicon=lex)
    assert list(figs.claimant) == ["Velmor port authority"]
    figs = kit.figures_in_text("About 40 ferries were repaired, the former port authority said.",
                               lexicon=lex)
    assert list(figs.claimant) != ["Velmor port authority"]
    figs = kit.figures_in_text("About 40 ferries were repaired, Seoul's spy agency said.", lexicon=lex)
    assert list(figs.claimant) == ["NIS (South Korea)"]


# --------------------------------------------------------------------------- unknown sources

def claimant_of(text: str, anchor: str) -> str:
    figs = kit.figures_in_text(text)
    rows = figs[figs.surface.str.contains(anchor, regex=False)]
    assert len(rows) == 1, figs[["surface", "claimant"]]
    return rows.iloc[0].claimant


@pytest.mark.parametrize("text,anchor,claimant", [
    ("About 2,000 quarry workers walked out, the union's secretary told reporters.", "2,000",
     "the union's secretary"),
    ("Some 120 police officers were hurt, a regional official said.", "120", "a regional official"),
    ("A 1,500-strong contingent arrived in Tarsk, the ministry said.", "1,500", "the ministry"),
    ("Around 40 trucks crossed at dawn, Colonel Ilse Marrow said.", "40", "Colonel Ilse Marrow"),
])
def test_unknown_sources_are_named_as_written(text, anchor, claimant):
    assert claimant_of(text, anchor) == claimant


@pytest.mark.parametrize("text,anchor", [
    ("The video shows 40 tanks near the river.", "40"),
    ("The figure of 300 troops was repeated everywhere.", "300"),
    ("It said 300 troops left.", "300"),  # "it" with nobody named before
])
def test_things_and_orphan_pronouns_are_not_claimants(text, anchor):
    assert claimant_of(text, anchor) == "unattributed"


@pytest.mark.parametrize("text,what", [
    ("About 150 more staff were hired at the depot.", "staff"),
    ("Some 300 protesters gathered in the square.", "protesters"),
    ("A 1,500-strong contingent arrived.", "contingent"),
])
def test_collective_nouns_count_people_or_forces(text, what):
    figs = kit.figures_in_text(text)
    assert list(figs.what) == [what]
    assert list(figs.kind) == ["forces" if what == "contingent" else "people"]
