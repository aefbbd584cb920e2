"""The report of another story: the invented flood (tests/data/flood, several days,
several sources per measure) rendered by ``kit report --lexicon`` opens with the
sources side by side per measure, with citations, and its timeline never draws a
line across claimants or measures."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from conftest import render
from helpers import REPO

import kit
from kit.present import charts
from kit.present.tables import numbered

FLOOD = REPO / "tests" / "data" / "flood"


@pytest.fixture(scope="module")
def flood_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("flood")
    corpus = root / "articles"
    shutil.copytree(FLOOD, corpus, ignore=shutil.ignore_patterns("lexicon", "ABOUT"))
    story = root / "story"
    shutil.copytree(FLOOD / "lexicon", story)
    (story / "report.yaml").write_text('title: "Marsk floods"\n', encoding="utf-8")
    out = root / "reports"
    assert render(corpus, out, "--lexicon", str(story)) == 0
    return out, corpus, story


@pytest.mark.slow
def test_flood_report_opens_with_each_measures_sources_side_by_side(flood_report):
    out, corpus, story = flood_report
    page = (out / "estimates.html").read_text(encoding="utf-8")
    assert "Marsk floods" in page
    assert page.index("Sources side by side") < page.index("Citations")
    figs = kit.figures(kit.load_corpus(corpus, lexicon=story), lexicon=story)
    comparison = kit.compare(figs, lexicon=story)
    tables = re.findall(r'<table class="kit-table kit-comparison">.*?</table>', page, re.S)
    assert len(tables) == comparison.groupby(["measure", "what"]).ngroups >= 3
    dead = comparison[comparison["measure"] == "dead"]
    assert dead["claimant"].nunique() >= 2  # official toll and another count, side by side
    for name in dead["claimant"].unique():
        assert any(name in t and "dead" in page for t in tables)
    assert page.count('href="#cite-') >= len(comparison[~comparison["carried"]])


@pytest.mark.slow
def test_flood_report_timeline_joins_one_claimant_and_one_measure_per_line(flood_report):
    out, corpus, story = flood_report
    figs = numbered(kit.figures(kit.load_corpus(corpus, lexicon=story), lexicon=story))
    rows, _ = charts.timeline_frame(figs)
    on_line = rows[rows["on_line"]]
    assert len(on_line) and on_line.groupby("series").size().max() >= 2  # lines are drawn
    for _, line in on_line.groupby("series"):
        assert line["claimant"].nunique() == 1 and line["measure"].nunique() == 1
        assert "unattributed" not in set(line["claimant"])
    # the report's timeline image is that chart, described for who cannot see it
    nb = nbformat.read(out / "estimates.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if c.get("id") == "timeline"]
    (svg,) = [o for o in cell.outputs if "image/svg+xml" in o.get("data", {})]
    alt = svg["metadata"]["image/svg+xml"]["alt"]
    assert "dead" in alt and "Estimates over time" in alt
    page = (out / "estimates.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', page)
    assert len(images) >= 2 and all('alt="' in i for i in images)
    assert "No description has been provided" not in page
