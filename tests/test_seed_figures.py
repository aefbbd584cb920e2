"""The seeds' hand-labelled figures (tests/data/seeds_figures.jsonl, a copy of
the hand-labelled figures) must all be found with the right values, qualifier, status
and claimant; nothing may come from a date or the newsletter pitch."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import kit

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = [json.loads(line) for line in (ROOT / "tests/data/seeds_figures.jsonl").open()]
# The labels use short keys; the kit shows canonical names from claimants.csv.
CLAIMANT_KEYS = {
    "NIS": {"NIS (South Korea)"},
    "South Korea": {"South Korean government"},
    "Ukraine": {"Ukrainian officials", "Ukrainian intelligence (HUR)"},
    "Zelensky": {"Zelensky"},
    "unattributed": {"unattributed"},
}


def _any(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def seeds():
    articles = kit.load_corpus(ROOT / "seeds")
    return articles, kit.figures(articles)


def _match(figs: pd.DataFrame, exp: dict) -> pd.DataFrame:
    stem = exp["file"].rsplit(".", 1)[0]
    rows = figs[(figs.article_id == stem) & (figs.start < exp["end"]) & (figs.end > exp["start"])]
    def same(value, expected) -> bool:
        return value == expected if expected is not None else pd.isna(value)

    keep = [same(lo, exp["low"]) and same(hi, exp["high"]) for lo, hi in zip(rows.low, rows.high)]
    return rows[keep]


@pytest.mark.parametrize("exp", EXPECTED, ids=[f"{e['file'][:3]}@{e['start']}" for e in EXPECTED])
def test_expected_seed_figure_found_with_value_status_and_claimant(seeds, exp):
    articles, figs = seeds
    rows = _match(figs, exp)
    assert len(rows) == 1, f"{exp['surface']!r} not found with low={exp['low']} high={exp['high']}"
    row = rows.iloc[0]
    assert row.qualifier == exp["qualifier"]
    assert row.status in _any(exp["status"]), row.sentence
    allowed = set().union(*(CLAIMANT_KEYS[k] for k in _any(exp["claimant"])))
    # a joint source ("Seoul and Kyiv") names each of its claimants
    assert set(row.claimant.split(" and ")) <= allowed, (row.claimant, row.claimant_text,
                                                         row.sentence)
    text = articles.set_index("article_id").text[row.article_id]
    assert text[row.start:row.end] == row.surface
    assert text[row.sentence_start:row.sentence_end] == row.sentence
    assert row.sentence_start <= row.start < row.end <= row.sentence_end


def test_seed_figures_count_the_labelled_noun(seeds):
    _, figs = seeds
    for exp in EXPECTED:
        row = _match(figs, exp).iloc[0]
        assert row.what in _any(exp["what"]), (exp["surface"], row.what)


DATES = [("000", "Oct. 8 and Oct. 13"), ("000", "October 21, 2024"), ("003", "Monday (21)"),
         ("003", "November 1"), ("004", "21 October 2024"), ("004", "between 8 and 13 October"),
         ("002", "October 21, 2024 12:14 PM 2 min read"), ("002", "April 25, 2017")]


@pytest.mark.parametrize("prefix,phrase", DATES)
def test_no_figure_from_a_date(seeds, prefix, phrase):
    articles, figs = seeds
    art = articles[articles.article_id.str.startswith(prefix)].iloc[0]
    at = art.text.index(phrase)
    mine = figs[(figs.article_id == art.article_id) & (figs.start < at + len(phrase)) & (figs.end > at)]
    assert mine.empty, mine[["surface", "what"]]


def test_nothing_from_the_newsletter_pitch(seeds):
    articles, figs = seeds
    ki = figs[figs.article_id.str.startswith("002")]
    assert not ki.surface.str.contains(r"1,000|10,000 readers").any()
    pitch_values = {1000}
    assert not (ki.low.isin(pitch_values) | ki.what.fillna("").str.contains("member|supporter|reader")).any()
    sents = kit.sentences(articles)
    pitch = sents[sents.text.str.contains("12,000 supporters|one in 10,000 readers|1,000 new members")]
    assert len(pitch) >= 4 and pitch.boilerplate.all()


def test_no_unexpected_people_figures(seeds):
    """Every people-count figure of the seeds is one of the labelled ones (no junk)."""
    _, figs = seeds
    people = figs[figs.kind == "people"]
    labelled = pd.concat([_match(figs, e) for e in EXPECTED])
    extra = people[~people.figure_id.isin(labelled.figure_id)]
    # Repeats of labelled figures in a caption are fine; anything else is a false positive.
    assert set(extra.surface) <= {"thousands"}, extra[["figure_id", "surface", "what"]]
