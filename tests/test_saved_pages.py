"""Saved web pages (tests/data/pages: invented articles in the layouts of several CMSs,
with cookie banners, menus, related boxes, newsletter pitches, comments and scripts):
the article's figures and metadata, nothing from the page's furniture."""

from __future__ import annotations

import pytest
from saved_pages import PAGES, expected, fields_right, furniture_figures

import kit
from kit.load import load_corpus
from kit.load.page import FALLBACK_NOTE, read_page

LABELS = expected()


@pytest.fixture(scope="module")
def pages():
    articles = load_corpus(PAGES)
    return articles, kit.figures(articles, progress=False)


def test_the_corpus_has_six_or_more_labelled_pages_all_loaded(pages):
    articles, _ = pages
    assert len(LABELS) >= 6
    assert sorted(p.rsplit("/", 1)[-1] for p in articles["path"]) == sorted(LABELS)
    assert articles.attrs["skipped"] == [] and articles.attrs["notes"] == []


def test_no_figure_comes_from_page_furniture(pages):
    _, figs = pages
    assert furniture_figures(figs, LABELS) == []


#: Furniture trafilatura keeps: a letters line inside the story's own table cell (a
#: site laid out with tables); the boilerplate cues keep its numbers from being figures.
KEPT = {"museum_funding.html": ["3 readers", "250,000 readers"]}


def test_no_furniture_phrase_is_stored_as_article_text_but_the_known_ones(pages):
    articles, _ = pages
    for path, text in zip(articles["path"], articles["text"]):
        name = path.rsplit("/", 1)[-1]
        assert [p for p in LABELS[name]["furniture"] if p in text] == KEPT.get(name, []), path


def test_each_articles_own_figures_are_found(pages):
    _, figs = pages
    for name, label in LABELS.items():
        surfaces = " | ".join(figs.loc[figs["path"].str.endswith("/" + name), "surface"])
        missing = [want for want in label["article_figures"] if want not in surfaces]
        assert missing == [], (name, surfaces)


def test_title_byline_date_and_outlet_are_right_for_each_page(pages):
    articles, _ = pages
    for row in articles.to_dict("records"):
        label = LABELS[row["path"].rsplit("/", 1)[-1]]
        wrong = {k: (row[k], label[k]) for k in ("title", "byline", "published", "outlet")
                 if (row[k] or "") != label[k]}
        assert wrong == {}, row["path"]
        assert len(fields_right(row, label)) == 4


def test_figure_offsets_point_into_the_stored_text(pages):
    from helpers import offsets_hold

    articles, figs = pages
    assert len(figs) > 30
    offsets_hold(articles, figs)


def test_the_headline_heads_the_text_once_before_the_first_paragraph():
    page = read_page((PAGES / "museum_funding.html").read_text(encoding="utf-8"))
    first, second = page.text.split("\n\n")[:2]
    assert first == "Museum wins 2.6 million grant to reopen east wing"
    assert second == "By Odile Farrant"


def test_a_page_without_an_article_body_is_read_by_the_old_reader_with_a_note(tmp_path):
    (tmp_path / "box.html").write_text(
        "<html><head><title>Town facts</title></head><body><footer><p>Population 4,000, "
        "founded 1712, twinned with Aldmouth.</p></footer></body></html>", encoding="utf-8")
    articles = load_corpus(tmp_path)
    assert articles["text"].iloc[0] == "Population 4,000, founded 1712, twinned with Aldmouth."
    assert articles.attrs["notes"] == [{"path": str(tmp_path / "box.html"),
                                        "note": FALLBACK_NOTE}]


def test_a_page_with_no_visible_text_is_skipped_with_a_reason(tmp_path):
    (tmp_path / "blank.html").write_text("<html><head><script>var a = 1;</script></head>"
                                         "<body> </body></html>", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Police said 12 people were hurt.", encoding="utf-8")
    articles = load_corpus(tmp_path)
    assert articles.attrs["skipped"] == [{"path": str(tmp_path / "blank.html"),
                                          "reason": "empty file (no visible text)"}]


def test_markup_in_the_article_text_is_stored_as_text_and_escaped_when_shown(tmp_path):
    from kit.present.citations import citations_html

    body = ("<p>The council said 300 homes were flooded &lt;script&gt;alert(1)&lt;/script&gt; "
            "on the river road, and residents said at least 450 were damaged.</p>")
    (tmp_path / "flood.html").write_text(
        f"<html><head><title>Flood</title></head><body><article><h1>River floods 300 homes</h1>"
        f"{body}<p>Engineers said the bank gave way over 40 metres.</p></article></body></html>",
        encoding="utf-8")
    articles = load_corpus(tmp_path)
    assert "<script>alert(1)</script>" in articles["text"].iloc[0]
    page = citations_html(kit.figures(articles, progress=False))
    assert "450" in page and "<script>" not in page and "&lt;script&gt;" in page


def test_a_page_dated_only_by_a_dateline_without_a_year_gets_no_guessed_year():
    page = read_page(
        "<html><head><title>Ferry talks resume</title></head><body><article>"
        "<h1>Ferry talks resume</h1><p>PORT ILVER, Feb 9 (Meridian Wire) - Talks between the "
        "ferry operators and the crews' union resumed on Monday after a 12-day break, with "
        "about 2,600 jobs at stake, both sides said.</p><p>The union said 94 percent of its "
        "members backed more strikes if the talks failed.</p></article>"
        "<footer>Copyright 2024 Meridian Wire</footer></body></html>")
    assert page.meta["published"] is None  # not 2024-01-01 from the footer's year


def test_a_date_line_in_the_page_text_is_read_when_the_markup_has_none():
    page = read_page(
        "<html><head><title>Ferry talks resume</title></head><body><article>"
        "<h1>Ferry talks resume</h1><div class=\"when\">February 10, 2026 9:05 AM GMT</div>"
        "<p>Talks between the ferry operators and the crews' union resumed on Monday after a "
        "12-day break, with about 2,600 jobs at stake, both sides said.</p></article>"
        "</body></html>")
    assert page.meta["published"] == "2026-02-10"


def test_an_xhtml_page_with_an_xml_declaration_is_read_by_trafilatura():
    markup = ((PAGES / "harbour_cranes.html").read_text(encoding="utf-8")
              .replace("<!DOCTYPE html>", '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'))
    page = read_page(markup)
    assert page.note is None and "1,024 partners" not in page.text
    assert page.text.startswith("Port of Fenwick to cut 140 jobs as new cranes arrive\n\n")
