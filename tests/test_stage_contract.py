"""One contract for every stage of the pipeline (as scikit-learn's check_estimator):

(a) the output honours its schema (``kit.schema.check`` where the stage has one,
    explicit columns and dtypes otherwise);
(b) on empty input (``kit.schema.empty(...)``) it returns an empty frame of the
    same schema, without an error;
(c) its input frames are unchanged afterwards (values, dtypes, index and attrs,
    compared with a deep copy taken before).

Run on the seeds, on tests/data/multiday (with its own lexicon) and on empty frames.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pytest
from helpers import MULTIDAY, SEEDS

import kit
from kit import lexicon, schema
from kit.output import export
from kit.present import charts
from kit.present.tables import PEOPLE_NOUNS, corpus_frame, numbered, select

# Chart rows go to Vega-Lite as JSON: text as object (None for missing), positions as
# float64 (NaN for missing), so the JSON holds nulls.
CHART_COLUMNS = {"n": "int64", "outlet": "object", "row": "int64", "claimant": "object",
                 "status": "object", "qualifier": "object", "what": "object",
                 "surface": "object", "value": "object", "published": "object",
                 "form": "object", "x_start": "float64", "x_end": "float64",
                 "x_point": "float64", "x_edge": "float64", "label": "object",
                 "vague_label": "object", "quote": "object", "count": "int64"}
NUMBERED_COLUMNS = [c.name for c in schema.FIGURES] + ["n"]
CORPUS_COLUMNS = {"outlet": "string", "published": "string", "title": "string",
                  "figures": "int64"}


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[dict], pd.DataFrame]  # frames by name -> output frame
    inputs: tuple[str, ...]  # the frames it reads
    schema: str | None = None  # a kit.schema name, or None
    columns: object = None  # else: a list of columns, or {column: dtype}


def _chart(frames):
    data, axis = charts.chart_frame(frames["figures"])
    assert axis["type"] in ("linear", "log") and len(axis["domain"]) == 2
    return data


STAGES = [
    Stage("sentences(articles)", lambda f: kit.sentences(f["articles"], lexicon=f["lexicon"]),
          ("articles",), "sentences"),
    Stage("figures(articles)", lambda f: kit.figures(f["articles"], lexicon=f["lexicon"]),
          ("articles",), "figures"),
    Stage("figures(articles, sentences)",
          lambda f: kit.figures(f["articles"], f["sentences"], lexicon=f["lexicon"]),
          ("articles", "sentences"), "figures"),
    Stage("claims(figures)", lambda f: kit.claims(f["figures"]), ("figures",), "claims"),
    Stage("discrepancies(figures, claims)",
          lambda f: kit.discrepancies(f["figures"], f["claims"]), ("figures", "claims"),
          "discrepancies"),
    Stage("compare(figures, claims)", lambda f: kit.compare(f["figures"], f["claims"]),
          ("figures", "claims"), "comparison"),
    Stage("compare(figures)", lambda f: kit.compare(f["figures"], lexicon=f["lexicon"]),
          ("figures",), "comparison"),
    Stage("numbered(figures)", lambda f: numbered(f["figures"]), ("figures",),
          columns=NUMBERED_COLUMNS),
    Stage("select(figures, statuses, nouns, min_value)",
          lambda f: select(f["figures"], statuses=["planned", "deployed"], nouns=PEOPLE_NOUNS,
                           min_value=1000), ("figures",), "figures"),
    Stage("select(figures, text)", lambda f: select(f["figures"], text="said"), ("figures",),
          "figures"),
    Stage("chart_frame(figures)", _chart, ("figures",), columns=CHART_COLUMNS),
    Stage("corpus_frame(articles, figures)",
          lambda f: corpus_frame(f["articles"], f["figures"]), ("articles", "figures"),
          columns=CORPUS_COLUMNS),
    Stage("export.frames(articles)[figures]",
          lambda f: export.frames(f["articles"], lexicon=f["lexicon"])["figures"],
          ("articles",), "figures"),
]


def _frames(articles: pd.DataFrame, lex) -> dict:
    sentences = kit.sentences(articles, lexicon=lex)
    figures = kit.figures(articles, sentences, lexicon=lex)
    claims = kit.claims(figures)
    return {"articles": articles, "sentences": sentences, "figures": figures, "claims": claims,
            "lexicon": lex}


@pytest.fixture(scope="module")
def corpora() -> dict[str, dict]:
    multiday_lex = lexicon.load(MULTIDAY / "lexicon")
    return {
        "seeds": _frames(kit.load_corpus(SEEDS), lexicon.load()),
        "multiday": _frames(kit.load_corpus(MULTIDAY), multiday_lex),
        "empty": {**{name: schema.empty(name) for name in
                     ("articles", "sentences", "figures", "claims")},
                  "lexicon": lexicon.load()},
    }


def check_output(stage: Stage, out: pd.DataFrame) -> None:
    assert isinstance(out, pd.DataFrame), type(out)
    if stage.schema:
        schema.check(out, stage.schema)
    elif isinstance(stage.columns, dict):
        assert list(out.columns) == list(stage.columns)
        got = {c: str(out[c].dtype) for c in out.columns}
        assert got == stage.columns
    else:
        assert list(out.columns) == list(stage.columns)


def run_unchanged(stage: Stage, frames: dict) -> pd.DataFrame:
    """Run the stage and check (c): its inputs are unchanged, attrs included."""
    before = {name: frames[name].copy(deep=True) for name in stage.inputs}
    attrs = {name: copy.deepcopy(frames[name].attrs) for name in stage.inputs}
    out = stage.run(frames)
    for name in stage.inputs:
        pd.testing.assert_frame_equal(frames[name], before[name], check_exact=True)
        assert frames[name].attrs == attrs[name], f"{stage.name} changed {name}.attrs"
    return out


@pytest.mark.parametrize("stage", STAGES, ids=[s.name for s in STAGES])
@pytest.mark.parametrize("corpus", ["seeds", "multiday"])
def test_stage_output_honours_its_schema_and_leaves_inputs_unchanged(stage, corpus, corpora):
    frames = corpora[corpus]
    out = run_unchanged(stage, frames)
    check_output(stage, out)
    assert len(out) > 0, f"{stage.name} gave nothing on {corpus}"


@pytest.mark.parametrize("stage", STAGES, ids=[s.name for s in STAGES])
def test_stage_on_empty_input_returns_an_empty_frame_of_its_schema(stage, corpora):
    frames = corpora["empty"]
    out = run_unchanged(stage, frames)
    assert len(out) == 0
    check_output(stage, out)
    if stage.schema:
        ref = schema.empty(stage.schema)
        assert list(out.columns) == list(ref.columns)
        assert dict(out.dtypes) == dict(ref.dtypes)


def test_every_stage_of_the_package_is_in_the_contract():
    """The public stages exported by kit are all checked here."""
    names = " ".join(s.name for s in STAGES)
    for public in ("sentences", "figures", "claims", "discrepancies", "compare"):
        assert f"{public}(" in names
