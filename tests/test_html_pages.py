"""The HTML pages the kit writes (kit.report.pages and the kit.present helpers):
self-contained and offline, every string from an article, sources.csv, a
parameter or the run log escaped, no active markup, no javascript: link."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from html_checks import (EVIL, PAYLOADS, active_markup, assert_offline, assert_payloads_inert,
                         chart_svgs, markup_problems)

import kit
from kit.load import load_corpus
from kit.present import charts
from kit.present.citations import citations_html
from kit.present.claims import claims_html, discrepancies_html
from kit.present.html import table_html
from kit.present.tables import corpus_html, numbered, summary_html
from kit.report.pages import CSP, HIDE_TAG, index_html, notebook_html, page
from kit.report.runlog import read_log


@pytest.fixture(scope="module")
def hostile():
    """A real corpus whose every field carries the payloads, extracted, then every
    string column of the figures overwritten with them too (so claimant_text,
    what, title and url are hostile even where extraction would not pick them)."""
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "a.txt").write_text(
            f"{EVIL} headline\n\nThe ministry said about 1,500 troops {EVIL} arrived, "
            f"officials said.\n\nMore than 12,000 soldiers are expected, {EVIL} the agency "
            "said.\n", encoding="utf-8")
        (folder / "sources.csv").write_text(
            "file,outlet,title,url\n"
            f'a.txt,"{EVIL.replace(chr(34), chr(34) * 2)}","{EVIL.replace(chr(34), chr(34) * 2)}",'
            "https://ok.example/a\n", encoding="utf-8")
        articles = load_corpus(folder)
    figs = kit.figures(articles)
    assert len(figs) >= 2
    evil_figs = figs.copy()
    for col in ("outlet", "claimant", "claimant_text", "what"):
        evil_figs[col] = EVIL
    evil_figs["url"] = "javascript:window.__pwned=8"
    evil_articles = articles.copy()
    evil_articles["title"] = EVIL
    evil_articles.attrs = {"skipped": [{"path": f"/c/{EVIL}.txt", "reason": EVIL}],
                           "problems": [{"path": EVIL, "line": EVIL, "reason": EVIL}]}
    return articles, figs, evil_articles, evil_figs


def test_every_html_helper_escapes_article_strings(hostile):
    articles, figs, evil_articles, evil_figs = hostile
    for f, a in ((figs, articles), (evil_figs, evil_articles)):
        f = numbered(f)
        claims = kit.claims(f)
        pages = {
            "citations": citations_html(f),
            "table": table_html(f),
            "claims": claims_html(claims, f),
            "discrepancies": discrepancies_html(kit.discrepancies(f, claims), f),
            "corpus": corpus_html(a, f),
            "summary": summary_html(a, f, f, title=EVIL),
            "summary0": summary_html(a, f, f.iloc[:0], title=EVIL),
        }
        for written in pages.values():
            assert_payloads_inert(written.replace("<style>", "").replace("</style>", ""))
    cites = citations_html(evil_figs)
    assert "<mark>1,500</mark>" in cites or "<mark>about 1,500</mark>" in cites
    assert "href=" not in cites  # javascript: url: the outlet is plain text
    assert html.escape(PAYLOADS["endscript"]) in cites


def test_chart_svg_and_tooltips_escape_article_strings(hostile):
    _, _, _, evil_figs = hostile
    chart = charts.estimates_by_source(evil_figs, title=EVIL)
    svg = charts.to_svg(chart)
    assert svg.startswith("<svg")
    inner = svg[svg.index(">") + 1:]  # the root <svg> element itself is expected
    assert active_markup(inner) == []
    assert "javascript:" not in svg
    assert html.escape(PAYLOADS["endscript"], quote=False) in svg  # shown, as text


def test_index_escapes_paths_messages_and_parameters():
    records = [{"status": "ok", "started": EVIL, "finished": EVIL, "corpus": f"/c/{EVIL}",
                "message": EVIL, "duration_s": 1,
                "reports": [{"name": EVIL, "html": "javascript:window.__pwned=9",
                             "ipynb": EVIL, "parameters": {"title": EVIL}}]},
               {"status": EVIL, "message": EVIL}]
    page = index_html(records)
    found = active_markup(page)
    # the only links are the report's own files and the log
    assert all(x.startswith("<a href='") for x in found), found
    assert 'href="javascript' not in page and "<script" not in page
    assert "__pwned" in page  # shown as text


@pytest.mark.slow
def test_seeds_report_shows_chart_citations_and_disagreements_offline(seeds_report):
    page = (seeds_report / "estimates.html").read_text()
    assert_offline(page)
    assert markup_problems(page) == []
    svg = chart_svgs(page)
    assert len(svg) == 2 and "Estimates by source" in svg[0] and "Estimates over time" in svg[1]
    # the headline numbers, with who says them, on the chart and in the citations
    assert "NIS (South Korea): about 1,500" in svg[0] and "NIS (South Korea): 12,000" in svg[0]
    assert "10,000–12,000" in svg[0] and "Zelensky: 10,000" in svg[0]
    assert "10,000 and 12,000" in page and "1,500" in page
    assert '<li id="cite-1"' in page and "<mark>" in page
    assert "Where sources disagree" in page
    assert "def " not in page and "import kit" not in page  # code hidden
    nb = nbformat.read(seeds_report / "estimates.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


@pytest.mark.slow
def test_hostile_report_is_escaped_everywhere(hostile_report):
    page = (hostile_report / "estimates.html").read_text()
    assert_offline(page)
    assert markup_problems(page) == []
    assert "<script" not in page and "<img src=x" not in page and "<b onmouseover" not in page
    assert "&lt;/script&gt;&lt;script&gt;" in page  # the sentence is shown, escaped
    for svg in chart_svgs(page):
        assert "<script" not in svg and "<img" not in svg and "<b " not in svg
    assert "1,500" in page and "<mark>" in page
    assert not (REPO / "notebooks" / "PWNED").exists() and not Path("PWNED").exists()
    title = read_log(hostile_report)[0]["reports"][0]["parameters"]["title"]
    assert title.startswith('x"; import os;')  # the string arrived unchanged, as data
    index = (hostile_report / "index.html").read_text()
    assert markup_problems(index) == []
    assert "<script" not in index and "&lt;script&gt;" in index


def test_page_is_self_contained_with_a_content_security_policy():
    p = page("<b>Title</b>", "<p>body</p>", "foot")
    assert_offline(p)
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    assert "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in p
    assert markup_problems(p) == []


def test_notebook_page_hides_code_widgets_and_tagged_cells():
    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("print('secret code')")
    shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text="visible output\n")]
    hidden = nbformat.v4.new_markdown_cell("edit the next cell", metadata={"tags": [HIDE_TAG]})
    nb.cells = [nbformat.v4.new_markdown_cell("# Heading"), hidden, shown]
    nb.metadata["widgets"] = {"state": {}}
    out = notebook_html(nb, "T", "footer text")
    assert "visible output" in out and "Heading" in out and "footer text" in out
    assert "secret code" not in out and "edit the next cell" not in out
    assert_offline(out)


def test_notebook_page_holds_long_html_outputs_whole_in_their_place():
    from kit.report.pages import LONG_OUTPUT

    nb = nbformat.v4.new_notebook()
    # (entities and an empty attribute an HTML parser would rewrite, backslashes and
    # group references a substitution could read, an article's text escaped)
    rows = "".join(f"<tr><td nowrap>{i}</td><td>&lt;!--x--&gt; Kim&#x27;s \\1 \\g<0> $1 "
                   f"1,500 troops<br></td></tr>" for i in range(LONG_OUTPUT // 60))
    long = f'<table class="kit-table">{rows}</table>'
    assert len(long) > LONG_OUTPUT
    cells = []
    for k, markup in enumerate((long, "<p>short output</p>",
                                list(long.replace("troops", "dead").partition("</tr>")))):
        cell = nbformat.v4.new_code_cell(f"cell {k}")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})]
        cells.append(cell)
    nb.cells = [nbformat.v4.new_markdown_cell("# Before"), *cells,
                nbformat.v4.new_markdown_cell("# After")]
    out = notebook_html(nb, "T", "footer")
    dead = long.replace("troops", "dead")
    assert out.count(long) == 1 and out.count(dead) == 1  # (byte for byte: not re-parsed)
    assert out.index("Before") < out.index(long) < out.index("short output") \
        < out.index(dead) < out.index("After")
    assert "kit-output-" not in out and markup_problems(out) == []
    assert nb.cells[1].outputs[0]["data"]["text/html"] == long  # (the notebook unchanged)


def test_a_long_html_output_shown_isolated_keeps_its_own_markup():
    import base64

    from kit.report.pages import LONG_OUTPUT

    long = "<p>" + "1,500 troops. " * (LONG_OUTPUT // 10) + "</p>"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": long},
                                           metadata={"text/html": {"isolated": True}})]
    nb.cells = [cell]
    out = notebook_html(nb, "T", "footer")
    assert "kit-output-" not in out
    [encoded] = re.findall(r'src="data:text/html;base64,([^"]+)"', out)
    assert long in base64.b64decode(encoded).decode()
