"""Reviewed reports: the report counts the reviewed figures, marks the others in the
citations, names corrections it could not apply, and shows reviewed figures only with
``--param reviewed_only=true``."""

from __future__ import annotations

import re

import pytest

import kit
from kit.present.citations import citations_html
from kit.present.tables import numbered, review_html, select, summary_html
from kit.review import append, decision
from tests.conftest import make_corpus, render
from tests.handmade import figures_frame

ARTICLE = (
    "Harbour strike spreads\n\n"
    "October 3, 2024\n\n"
    "The port authority said 3,000 dockers walked out on Thursday. "
    "Union leaders said about 45 workers were injured in scuffles with police. "
    "The transport ministry said 800 lorries were stranded.\n"
)


def reviewed_corpus(folder):
    """A corpus with a corrections.csv: the dockers' claimant corrected, the injured
    rejected, the lorries left unreviewed."""
    make_corpus(folder, {"strike.txt": ARTICLE})
    articles = kit.load_corpus(folder)
    figs = kit.figures(articles)
    text = articles["text"].iloc[0]
    by = {s: figs[figs["surface"] == s].iloc[0] for s in ("3,000", "about 45", "800")}
    append(folder / "corrections.csv", [
        decision(by["3,000"], text, "change", {"claimant": "Port Authority <Harbour>"}),
        decision(by["about 45"], text, "reject"),
    ])
    return folder


def test_summary_counts_reviewed_figures_and_names_stale_corrections():
    figs = figures_frame()
    assert review_html(figs) == ""  # no review: the report says nothing of it
    figs.loc[0, "reviewed"] = "corrected"
    figs.loc[1, "reviewed"] = "accepted"
    figs.attrs["rejected"] = 2
    figs.attrs["stale_corrections"] = [{"message": "correction c.csv:4 (accept of '<b>9</b>' "
                                                   "in a.txt): the article changed"}]
    html = review_html(figs)
    assert f"2 of {len(figs)} figures reviewed" in html
    assert "1 accepted, 1 corrected, 0 added; 2 rejected" in html
    assert "&lt;b&gt;9&lt;/b&gt;" in html and "<b>9</b>" not in html
    assert "c.csv:4" in summary_html(figs.iloc[:0], figs, figs)


def test_citations_mark_unreviewed_figures_once_any_is_reviewed():
    figs = numbered(figures_frame())
    assert "not reviewed" not in citations_html(figs)
    figs.loc[0, "reviewed"] = "added"
    html = citations_html(figs)
    assert html.count("not reviewed") == len(figs) - 1
    assert html.count("reviewed: added") == 1


def test_reviewed_only_keeps_the_reviewed_figures():
    figs = figures_frame()
    figs.loc[2, "reviewed"] = "accepted"
    assert list(select(figs, reviewed_only=True)["figure_id"]) == [figs.loc[2, "figure_id"]]


@pytest.mark.slow
def test_report_shows_corrected_figures_marked_reviewed(tmp_path):
    corpus = reviewed_corpus(tmp_path / "news")
    out = tmp_path / "reports"
    assert render(corpus, out, "--param", "kinds=[]") == 0
    page = (out / "estimates.html").read_text(encoding="utf-8")
    assert "1 of 2 figures reviewed by an analyst (0 accepted, 1 corrected, 0 added; " \
           "1 rejected" in page
    assert "Port Authority &lt;Harbour&gt;" in page and "<Harbour>" not in page
    cited = page.split('<ol class="kit-citations">', 1)[1].split("</ol>", 1)[0]
    assert "about 45" not in cited
    assert cited.count("not reviewed") == 1  # the lorries

    only = tmp_path / "only"
    assert render(corpus, only, "--param", "kinds=[]", "--param", "reviewed_only=true") == 0
    page = (only / "estimates.html").read_text(encoding="utf-8")
    cited = page.split('<ol class="kit-citations">', 1)[1].split("</ol>", 1)[0]
    assert "3,000" in cited and "800" not in re.sub(r"<[^>]+>", "", cited)
    assert "shows the reviewed figures only" in page


@pytest.mark.slow
def test_report_names_corrections_of_an_edited_article(tmp_path):
    corpus = reviewed_corpus(tmp_path / "news")
    moved = tmp_path / "decisions.csv"
    (corpus / "corrections.csv").rename(moved)
    (corpus / "strike.txt").write_text(ARTICLE.replace("800", "900"), encoding="utf-8")
    out = tmp_path / "reports"
    # the stale decision is named on the page and in the exit status, as a skipped file is
    assert render(corpus, out, "--param", "kinds=[]", "--corrections", str(moved)) == 3
    page = (out / "estimates.html").read_text(encoding="utf-8")
    assert "Corrections not applied" in page
    assert f"correction {moved}:2 (change of '3,000'" in page
    assert "changed since the decision" in page
    assert render(corpus, out, "--corrections", str(tmp_path / "none.csv")) == 2


def test_report_refuses_a_bad_corrections_file_before_running(tmp_path, capsys):
    corpus = reviewed_corpus(tmp_path / "news")
    with (corpus / "corrections.csv").open("a", encoding="utf-8") as fh:
        fh.write("abc,9,3,accept,,,,,,,,,,,\n")
    out = tmp_path / "reports"
    assert render(corpus, out) == 2
    assert "corrections.csv:4: the span start=9 end=3" in capsys.readouterr().err
    assert not out.exists()
