"""Tables and citations for notebooks and reports (kit.present.tables,
kit.present.citations, kit.present.html), on hand-made figures frames so they pin
the presentation, not the extractor."""

from __future__ import annotations

import pandas as pd
from handmade import figures_frame, hostile_frame

from kit.present.citations import citations_html, span_in_sentence
from kit.present.html import esc, highlight, link, safe_url, table_html
from kit.present.tables import PEOPLE_NOUNS, corpus_frame, numbered, select, summary_html
from kit.schema import empty



# ---------------------------------------------------------------- frames

def test_numbered_is_stable_and_ordered_by_outlet():
    f = figures_frame()
    a = numbered(f)
    b = numbered(f.sample(frac=1, random_state=3))
    assert list(a["n"]) == list(range(1, len(f) + 1))
    assert list(a["figure_id"]) == list(b["figure_id"])
    assert list(a["outlet"]) == sorted(a["outlet"], key=str.lower)


def test_select_by_nouns_statuses_values_and_text():
    f = figures_frame()
    people = select(f, nouns=PEOPLE_NOUNS)
    assert "containers" not in set(people["what"])
    assert len(people) == len(f) - 1
    assert set(select(f, statuses=["planned"])["status"]) == {"planned"}
    big = select(f, min_value=11000)
    assert set(big["surface"]) == {"between 10,000 and 12,000", "12,000 soldiers",
                                   "about 12,000 special forces", "more than 13,000"}
    assert select(f, text="ZELENSKY")["claimant"].tolist() == ["Zelensky"]
    assert len(select(f)) == len(f)
    assert len(select(f, nouns=[])) == len(f)


def test_corpus_frame_counts_figures_per_article():
    f = figures_frame()
    articles = pd.DataFrame({"article_id": ["000", "001", "999"],
                             "outlet": ["The Moscow Times", "AFP", None],
                             "published": ["2024-10-21", None, None],
                             "title": ["t0", None, "t9"]})
    c = corpus_frame(articles, f)
    assert dict(zip(c["title"], c["figures"])) == {"t0": 3, "": 1, "t9": 0}


# ---------------------------------------------------------------- html escaping

def test_citations_escape_everything_and_highlight_the_figure():
    h = citations_html(hostile_frame())
    assert "<script" not in h and "<img" not in h and "<b>Evil" not in h
    assert "javascript:" not in h.replace("javascript:alert(5)", "")  # url never rendered
    assert "href=" not in h
    assert "<mark>1,500 troops</mark>" in h
    assert "&lt;/script&gt;" in h


def test_only_http_urls_become_links():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,x",
                "//evil.example", "http://", "ftp://x.org", None, pd.NA, "https://a.org/\nx"]:
        assert safe_url(bad) is None, bad
    assert link('x"><script>', 'https://a.org/"onmouseover=1') == (
        '<a href="https://a.org/&quot;onmouseover=1" rel="noopener noreferrer nofollow">'
        'x&quot;&gt;&lt;script&gt;</a>')


def test_tables_escape_article_strings():
    f = hostile_frame()
    h = table_html(f[["outlet", "claimant", "sentence"]])
    assert "<script" not in h and "<b>Evil" not in h and "<img" not in h
    # (the discrepancies table: test_discrepancies.py::test_discrepancies_html_escapes_every_article_string)


def test_empty_frames_say_so_in_words():
    e = empty("figures")
    assert "No figures" in citations_html(e)
    assert "Nothing to show." in table_html(e[["outlet"]])
    assert "No figures" in table_html(e[["outlet"]], empty="No figures here")


def test_summary_says_when_there_are_no_figures_and_names_skipped_files():
    articles = pd.DataFrame({"article_id": ["a"], "outlet": [None], "published": [None],
                             "title": ["t"]})
    articles.attrs["skipped"] = [{"path": "/c/<b>broken</b>.txt", "reason": "binary file"}]
    page = summary_html(articles, empty("figures"), empty("figures"), title="<i>T</i>")
    assert "No figures were found in this corpus." in page
    assert "&lt;b&gt;broken&lt;/b&gt;.txt" in page and "<b>broken" not in page
    assert "<h1>&lt;i&gt;T&lt;/i&gt;</h1>" in page
    f = figures_frame()
    page = summary_html(articles, f, f.iloc[:2])
    assert f"{len(f)} figures found, 2 kept" in page


def test_span_in_sentence_and_highlight_mark_the_figure_words():
    f = figures_frame()
    for _, r in f.iterrows():
        s, e = span_in_sentence(r)
        assert r["sentence"][s:e] == r["surface"]
    assert highlight("a <b> 1,500 c", 6, 11) == "a &lt;b&gt; <mark>1,500</mark> c"
    assert esc(None) == "" and esc(pd.NA) == "" and esc("<&>") == "&lt;&amp;&gt;"


def test_a_vague_figure_reads_as_a_reader_says_it():
    from kit import figures_in_text

    f = numbered(figures_in_text("Fire\n\nHundreds of people fled, police said.\n"))
    assert "<b>[1] Hundreds of people</b>" in citations_html(f)
