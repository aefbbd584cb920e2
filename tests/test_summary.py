"""Reports of large corpora summarise: the most reported claims, sources and disagreements,
every citation shown is in the list, and what is left out is counted."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit.cli import main
from kit.present import citations, claims as claim_tables, summary, tables

DEV = Path(__file__).resolve().parent / "data" / "dev"


@pytest.fixture(scope="module")
def numbered():
    figs = tables.numbered(kit.figures(kit.load_corpus(DEV)))
    return figs, kit.claims(figs)


def _links(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="#cite-(\d+)"', html)}


def _anchors(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'id="cite-(\d+)"', html)}


def test_up_to_the_threshold_the_view_is_everything(numbered):
    figs, claims = numbered
    shown = summary.view(figs, claims, above=len(figs))
    assert not shown.summarised and shown.note == ""
    assert shown.cited is figs and shown.claims is claims and shown.timeline is figs
    assert shown.max_dates is None and shown.limit is None


def test_past_the_threshold_the_most_reported_claims_are_listed_with_a_few_sentences(numbered):
    figs, claims = numbered
    shown = summary.view(figs, claims, above=10, n_claims=5, per_claim=2)
    assert shown.summarised and "summarises" in shown.note
    assert len(shown.claims) == 5
    assert list(shown.claims["n_figures"]) != []
    assert shown.claims["n_figures"].min() >= claims["n_figures"].nlargest(5).min()
    assert set(shown.cited["figure_id"]) <= set(figs["figure_id"])
    assert len(shown.cited) <= 5 * 2
    cited_html = citations.citations_html(shown.cited)
    claims_html = claim_tables.claims_html(shown.claims, shown.cited)
    # every citation number a table shows is in the list; the rest are counted
    numbers = set(re.findall(r"\[(\d+)\]", claims_html))
    assert {int(n) for n in numbers} <= _anchors(cited_html)
    if (shown.claims["n_figures"] > 2).any():
        assert " more</td>" in claims_html


def test_summarised_comparison_shows_the_last_dates_and_counts_them(numbered):
    figs, claims = numbered
    shown = summary.view(figs, claims, above=0, dates=1)
    cmp = kit.compare(shown.compared, claims)
    html = claim_tables.comparison_html(cmp, shown.cited, max_dates=shown.max_dates)
    dated = cmp.groupby(["measure", "what"])["date"].nunique()
    if (dated > 1).any():
        assert "the last 1 of" in html
    assert _links(html) <= set(shown.cited["n"].astype(int))


def test_summarised_disagreements_are_the_largest_with_their_count(numbered):
    figs, claims = numbered
    disc = kit.discrepancies(figs, claims)
    assert disc["discrepancy_id"].nunique() > 2
    html = claim_tables.discrepancies_html(disc, figs, limit=2, per_claim=1)
    assert f"The 2 disagreements with the most figures, of {disc['discrepancy_id'].nunique()}" \
        in html
    assert html.count('class="kit-disc"') == 2


def test_corpus_by_outlet_counts_articles_and_figures(numbered):
    figs, _ = numbered
    articles = kit.load_corpus(DEV)
    frame = summary.by_outlet(articles, figs)
    assert frame["articles"].sum() == len(articles)
    assert frame["figures"].sum() == len(figs)
    assert list(frame.columns) == ["outlet", "articles", "first", "last", "figures"]


def test_negative_threshold_is_refused_naming_the_parameter(numbered):
    figs, claims = numbered
    with pytest.raises(ValueError, match="summarise_above"):
        summary.view(figs, claims, above=-1)


@pytest.mark.slow
def test_summarised_report_cites_only_figures_it_lists(tmp_path):
    out = tmp_path / "reports"
    assert main(["report", "--corpus", str(DEV), "--out", str(out), "--param", "nouns=",
                 "--param", "kinds=", "--param", "summarise_above=20", "--quiet"]) == 0
    page = (out / "estimates.html").read_text(encoding="utf-8")
    assert "the report summarises" in page
    assert _links(page) and _links(page) <= _anchors(page)
    # the store beside the report remembers the articles: the next run extracts none
    assert (out / "kit-store" / "manifest.json").is_file()
    parts = sorted((out / "kit-store").glob("part-*.articles.parquet"))
    assert main(["report", "--corpus", str(DEV), "--out", str(out), "--param", "nouns=",
                 "--param", "kinds=", "--param", "summarise_above=20", "--quiet"]) == 0
    assert sorted((out / "kit-store").glob("part-*.articles.parquet")) == parts
    assert len(pd.read_parquet(parts[0])) == len(kit.load_corpus(DEV))
