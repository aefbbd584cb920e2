"""Each figure says how sure the kit is of it (high / medium / low) and why it is not
high: the analyst checks the doubtful ones first.  Sentences invented for these tests."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit.extract.figures import confidence


def _figures(text: str) -> pd.DataFrame:
    articles = pd.DataFrame({"article_id": ["a"], "path": ["a.txt"], "outlet": ["Test Wire"],
                             "title": [None], "byline": [None], "published": ["2031-05-02"],
                             "url": [None], "encoding": ["utf-8"], "text": [text]})
    return kit.figures(kit.schema.conform(articles, "articles"))


def _one(text: str, surface: str) -> dict:
    figs = _figures(text)
    hit = figs[figs["surface"] == surface]
    assert len(hit) == 1, figs[["surface", "claimant"]]
    return hit.iloc[0].to_dict()


def test_a_figure_its_own_sentence_attributes_to_a_name_is_high_confidence():
    row = _one("The Harbour Authority said 1,200 workers walked out on Monday.\n", "1,200")
    assert row["confidence"] == "high" and pd.isna(row["confidence_reasons"])


def test_a_claimant_carried_from_another_sentence_says_so():
    row = _one("The Harbour Authority gave its count on Tuesday.\n"
               "About 1,200 workers walked out on Monday.\n", "About 1,200")
    assert row["confidence"] != "high"
    assert "no speaker found" in row["confidence_reasons"] or \
        "another sentence" in row["confidence_reasons"]


def test_a_pronoun_taken_to_mean_an_earlier_speaker_is_named_in_the_reasons():
    row = _one("Mayor Ilse Marken visited the shelter on Sunday.\n\n"
               "She said 340 families had been moved out of the valley.\n", "340")
    assert row["claimant"] != "unattributed"
    assert "'She' taken to mean" in row["confidence_reasons"]
    assert row["confidence"] == "medium"


@pytest.mark.parametrize("text, surface, reason", [
    ("Some 3,000 sandbags were stacked along the river wall.\n", "Some 3,000",
     "no speaker found"),  # unattributed
    ("Police said 12 people died in the crush and 40 were injured.\n", "40",
     "inferred"),  # "40 were injured": the noun of the count before
    ("The defence ministry said 2,000 soldiers took part in the parade.\n", "2,000",
     "forces are counted"),  # soldiers, but no cue of sending or planning
    ("Officials said 270 soldiers and border guards came home.\n", "270",
     "may go on"),  # the counted phrase may be longer than what was read
])
def test_each_doubt_is_named_in_the_reasons(text, surface, reason):
    row = _one(text, surface)
    assert row["confidence"] != "high"
    assert reason in row["confidence_reasons"]


@pytest.mark.parametrize("reasons, level", [
    ([], "high"),
    (["claimant: named in another sentence of the paragraph"], "medium"),
    (["claimant: x", "what: y"], "low"),
    (["number: '30.000' may be thirty or thirty thousand"], "low"),
])
def test_levels_follow_the_number_and_weight_of_reasons(reasons, level):
    assert confidence(reasons) == level


def test_every_figure_of_the_seeds_has_a_level_and_reasons_only_below_high():
    from kit.cli import default_corpus

    figs = kit.figures(kit.load_corpus(default_corpus()))
    assert set(figs["confidence"]) <= {"high", "medium", "low"}
    assert (figs["confidence"] == "high").eq(figs["confidence_reasons"].isna()).all()
