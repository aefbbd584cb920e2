"""Charts, tables and citations on hand-made figures frames (no extraction needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handmade import ROWS, figures_frame

from kit import charts, present
from kit.schema import empty

HOSTILE = ("Officials said <script>alert(1)</script> that 1,500 troops</script><script>"
           "alert(2)</script> arrived <img src=x onerror=alert(3)>.")


def hostile_frame():
    rows = [("<b>Evil</b> Times", "666", 100, "1,500 troops", 1500, 1500, "exact", "troops",
             "deployed", "<script>alert(4)</script>", HOSTILE)]
    return figures_frame(rows, url="javascript:alert(5)")


# ---------------------------------------------------------------- frames

def test_numbered_is_stable_and_ordered():
    f = figures_frame()
    a = present.numbered(f)
    b = present.numbered(f.sample(frac=1, random_state=3))
    assert list(a["n"]) == list(range(1, len(f) + 1))
    assert list(a["figure_id"]) == list(b["figure_id"])
    assert list(a["outlet"]) == sorted(a["outlet"], key=str.lower)


def test_select_nouns_statuses_values_text():
    f = figures_frame()
    people = present.select(f, nouns=present.PEOPLE_NOUNS)
    assert "containers" not in set(people["what"])
    assert len(people) == len(f) - 1
    assert set(present.select(f, statuses=["planned"])["status"]) == {"planned"}
    big = present.select(f, min_value=11000)
    assert set(big["surface"]) == {"between 10,000 and 12,000", "12,000 soldiers",
                                   "about 12,000 special forces", "more than 13,000"}
    assert present.select(f, text="ZELENSKY")["claimant"].tolist() == ["Zelensky"]
    assert len(present.select(f)) == len(f)
    assert len(present.select(f, nouns=[])) == len(f)


@pytest.mark.parametrize("low,high,q,expected", [
    (1500, 1500, "exact", "1,500"),
    (1500, 1500, "approx", "about 1,500"),
    (10000, 12000, "range", "10,000–12,000"),
    (13000, None, "more_than", "more than 13,000"),
    (13000, None, "at_least", "at least 13,000"),
    (None, 5000, "up_to", "up to 5,000"),
    (None, None, "vague", "thousands"),
])
def test_value_label(low, high, q, expected):
    assert present.value_label(low, high, q, "thousands") == expected


def test_disagreements_groups_values_and_outlets():
    d = present.disagreements(figures_frame())
    nis_planned = d[(d["claimant"] == "NIS (South Korea)") & (d["status"] == "planned")]
    assert set(nis_planned["value"]) == {"10,000–12,000", "12,000"}
    assert (nis_planned["n_values"] == 2).all()
    deployed = d[(d["claimant"] == "NIS (South Korea)") & (d["status"] == "deployed")]
    # "about 1,500" and "1,500" are one value, reported by three outlets
    assert deployed["value"].tolist() == ["1,500"]
    assert deployed["outlets"].tolist() == ["AFP, The Guardian, The Moscow Times"]


def test_disagreements_html_names_each_claimant_once():
    h = present.disagreements_html(figures_frame())
    for claimant in ("NIS (South Korea)", "Zelensky", "unattributed"):
        assert h.count(f"<td>{claimant}</td>") == 1, claimant


def test_corpus_frame_counts_figures():
    f = figures_frame()
    articles = pd.DataFrame({"article_id": ["000", "001", "999"],
                             "outlet": ["The Moscow Times", "AFP", None],
                             "published": ["2024-10-21", None, None],
                             "title": ["t0", None, "t9"]})
    c = present.corpus_frame(articles, f)
    assert dict(zip(c["title"], c["figures"])) == {"t0": 3, "": 1, "t9": 0}


# ---------------------------------------------------------------- html escaping

def test_citations_escape_everything_and_highlight():
    h = present.citations_html(hostile_frame())
    assert "<script" not in h and "<img" not in h and "<b>Evil" not in h
    assert "javascript:" not in h.replace("javascript:alert(5)", "")  # url never rendered
    assert "href=" not in h
    assert "<mark>1,500 troops</mark>" in h
    assert "&lt;/script&gt;" in h


def test_only_http_urls_become_links():
    assert present.safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,x",
                "//evil.example", "http://", "ftp://x.org", None, pd.NA, "https://a.org/\nx"]:
        assert present.safe_url(bad) is None, bad
    assert present.link('x"><script>', 'https://a.org/"onmouseover=1') == (
        '<a href="https://a.org/&quot;onmouseover=1" rel="noopener noreferrer nofollow">'
        'x&quot;&gt;&lt;script&gt;</a>')


def test_tables_escape():
    f = hostile_frame()
    for h in (present.disagreements_html(f),
              present.table_html(f[["outlet", "claimant", "sentence"]])):
        assert "<script" not in h and "<b>Evil" not in h and "<img" not in h


def test_empty_frames_say_so():
    e = empty("figures")
    assert "No figures" in present.citations_html(e)
    assert "No figures" in present.disagreements_html(e)
    assert present.disagreements(e).empty


# ---------------------------------------------------------------- charts

def test_chart_frame_places_marks_by_qualifier():
    data, axis = charts.chart_frame(figures_frame())
    forms = dict(zip(data["value"], data["form"]))
    assert forms["10,000–12,000"] == "range"
    assert forms["about 1,500"] == "about"
    assert forms["more than 13,000"] == "open above"
    assert forms["thousands of soldiers"] == "vague"
    vague = data[data["form"] == "vague"]
    assert vague[["x_start", "x_end", "x_point"]].isna().all().all()  # never placed
    more = data[data["form"] == "open above"].iloc[0]
    assert more["x_start"] == 13000 and more["x_end"] == axis["domain"][1]
    assert axis["type"] == "linear"  # 1,500..13,000 is within one order of magnitude
    up_to = figures_frame([("X", "9", 1, "up to 50", None, 50, "up_to", "troops", "planned",
                            "Y", "Up to 50 troops.")])
    d2, ax2 = charts.chart_frame(pd.concat([figures_frame(), up_to]))
    row = d2[d2["form"] == "open below"].iloc[0]
    assert row["x_end"] == 50 and row["x_start"] == ax2["domain"][0]
    assert ax2["type"] == "log"  # 50..13,000 spans orders of magnitude


def test_chart_labels_match_citation_numbers():
    f = present.numbered(figures_frame())
    data, _ = charts.chart_frame(f)
    for n, label, claimant in zip(data["n"], data["label"], data["claimant"]):
        assert label.startswith(f"[{n}] {claimant}: ")
    cites = present.citations_html(f)
    for n in data["n"]:
        assert f'id="cite-{n}"' in cites


def test_chart_encodes_status_colour_and_tooltips():
    spec = charts.estimates_by_source(figures_frame()).to_dict()
    layers = spec["layer"]
    colours = [layer["encoding"]["color"] for layer in layers if "color" in layer["encoding"]]
    assert colours and all(c["field"] == "status" for c in colours)
    assert colours[0]["scale"]["range"] == [charts.STATUS_COLOURS[s] for s in
                                            colours[0]["scale"]["domain"]]
    data_layers = [layer for layer in layers if layer["encoding"].get("y", {}).get("field")]
    assert len(data_layers) >= 7
    assert all("tooltip" in layer["encoding"] for layer in data_layers)
    marks = {(layer["mark"]["type"], layer["mark"].get("shape")) for layer in layers}
    assert {("rule", None), ("point", "triangle-right"), ("point", "circle"),
            ("text", None)} <= marks


def test_chart_svg_draws_offline_and_escapes():
    svg = charts.to_svg(charts.estimates_by_source(figures_frame()))
    assert svg.startswith("<svg") and "[4] NIS (South Korea): 10,000–12,000" in svg
    assert "no number given" in svg
    hostile = charts.to_svg(charts.estimates_by_source(hostile_frame()))
    assert "<script" not in hostile and "&lt;script&gt;" in hostile


def test_chart_svg_is_byte_stable():
    f = figures_frame()
    assert charts.to_svg(charts.estimates_by_source(f)) == \
        charts.to_svg(charts.estimates_by_source(f))


@pytest.mark.parametrize("rows", [[], [ROWS[0]]], ids=["empty", "only-vague"])
def test_chart_on_empty_and_vague_only(rows):
    f = figures_frame(rows) if rows else empty("figures")
    svg = charts.to_svg(charts.estimates_by_source(f))
    assert svg.startswith("<svg")
    if not rows:
        assert "No figures to chart" in svg


# ---------------------------------------------------------------- explore widgets

def test_explore_app_filters_update_chart_table_and_sentence():
    from kit import explore

    app = explore.App(figures_frame())
    assert "of 9 figures" in app.count.value
    app.status.value = ("planned",)
    assert "4 of 9" in app.count.value
    assert "Zelensky" in app.table.value and "AFP" not in app.table.value
    assert "<svg" in app.chart.value and "planned" in app.chart.value
    app.search.value = "Zelensky"
    assert [v for _, v in app.pick.options] == [6]
    assert "<mark>10,000 soldiers</mark>" in app.sentence.value
    app.search.value = "no such words"
    assert "No figure matches" in app.table.value and app.sentence.value == ""
