"""The frame schemas (kit.schema): stages return conforming frames with the string
dtype; bad frames fail loudly; describe() documents every column.  The shared
contract of every stage (empty input, inputs unchanged): test_stage_contract.py."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit import schema

ROOT = Path(__file__).resolve().parents[1]


def test_stages_return_conforming_frames_with_unique_figure_ids():
    articles = kit.load_corpus(ROOT / "seeds")
    schema.check(articles, "articles")
    schema.check(kit.sentences(articles), "sentences")
    figs = kit.figures(articles)
    schema.check(figs, "figures")
    assert figs.figure_id.is_unique


def test_a_text_without_figures_gives_an_empty_frame_with_the_columns():
    figs = kit.figures_in_text("Nothing is counted here, on 3 May 2024.")
    assert figs.empty and list(figs.columns) == [c.name for c in schema.FIGURES]


@pytest.mark.parametrize("mutate,message", [
    (lambda f: f.drop(columns=["claimant"]), "columns"),
    (lambda f: f.assign(qualifier="roughly"), "qualifier"),
    (lambda f: f.assign(status="rumoured"), "status"),
    (lambda f: f.assign(low=f.high + 1), "low > high"),
    (lambda f: f.assign(claimant=None), "must not be empty"),
    (lambda f: f.assign(start=f.start.astype(float)), "dtype"),
])
def test_bad_frames_are_refused_with_the_reason(mutate, message):
    figs = kit.figures_in_text("About 300 workers arrived, officials said. Between 40 and 50 trucks left.")
    bad = mutate(figs.copy())
    with pytest.raises(schema.SchemaError, match=message):
        schema.check(bad, "figures")


def test_describe_says_what_every_column_means():
    d = kit.describe("figures")
    assert set(d.column) == {c.name for c in schema.FIGURES}
    assert d.meaning.str.len().min() > 5


def test_text_columns_are_the_string_dtype_with_na():
    """Every text column of every stage is pandas' "string" dtype (<NA> for missing),
    not pandas 3's default str dtype (NaN for missing)."""
    import pandas as pd

    articles = kit.load_corpus(ROOT / "seeds")
    figures = kit.figures(articles)
    frames = {"articles": articles, "sentences": kit.sentences(articles), "figures": figures,
              "claims": kit.claims(figures)}
    for name, frame in frames.items():
        for c in schema.SCHEMAS[name]:
            if c.dtype == "str":
                assert frame[c.name].dtype == pd.StringDtype(na_value=pd.NA), (name, c.name)
    assert figures["claimant_text"].isna().any()
    assert figures["claimant_text"][figures["claimant_text"].isna()].iloc[0] is pd.NA


def test_from_columns_builds_the_same_frame_as_conform():
    import pandas as pd

    figures = kit.figures(kit.load_corpus(ROOT / "seeds"))
    columns = {c: figures[c].astype(object).where(figures[c].notna(), None).tolist()
               for c in figures.columns}
    pd.testing.assert_frame_equal(schema.from_columns(columns, "figures"),
                                  schema.conform(pd.DataFrame(columns), "figures"))
