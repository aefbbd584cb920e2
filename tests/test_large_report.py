"""A report of a large corpus renders: charts get the rows they draw, never a row limit."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from html_checks import chart_svgs

from kit.cli import main

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _varied_corpus():
    spec = importlib.util.spec_from_file_location("varied_corpus",
                                                  REPO / "scripts" / "varied_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_report_of_more_than_ten_thousand_figures_renders(tmp_path):
    corpus = tmp_path / "archive"
    corpus.mkdir()
    _varied_corpus().write_corpus(corpus, 2.2, seed=3)
    out = tmp_path / "reports"
    assert main(["report", "--corpus", str(corpus), "--out", str(out), "--param", "nouns="]) == 0
    page = (out / "estimates.html").read_text(encoding="utf-8")
    found = int(re.search(r"([\d,]+) figures found", page).group(1).replace(",", ""))
    assert found >= 10_000
    charts = chart_svgs(page)
    assert len(charts) >= 2  # the chart by source and the timeline both drew
    assert any("each statement once" in svg for svg in charts)  # it says what it left out
