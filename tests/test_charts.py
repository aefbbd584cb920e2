"""Charts (kit.present.charts): where marks are placed, labels that match the
citations, colours and tooltips, offline SVG, escaping, and the timeline over
dates.  The estimates chart runs on hand-made figures (it pins the presentation,
not the extractor); the timeline on the multi-day corpus and the seeds."""

from __future__ import annotations

import pandas as pd
import pytest
from handmade import ROWS, figures_frame, hostile_frame

from kit import schema
from kit.present import charts
from kit.present.citations import citations_html
from kit.present.tables import numbered
from kit.schema import empty



# ---------------------------------------------------------------- charts

def test_chart_frame_places_marks_by_qualifier_and_picks_the_scale():
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
    f = numbered(figures_frame())
    data, _ = charts.chart_frame(f)
    for n, label, claimant in zip(data["n"], data["label"], data["claimant"]):
        assert label.startswith(f"[{n}] {claimant}: ")
    cites = citations_html(f)
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
def test_chart_draws_on_empty_and_vague_only_figures(rows):
    f = figures_frame(rows) if rows else empty("figures")
    svg = charts.to_svg(charts.estimates_by_source(f))
    assert svg.startswith("<svg")
    if not rows:
        assert "No figures to chart" in svg


# ---------------------------------------------------------------- timeline

def _layers(spec):
    inner = spec.get("spec", spec)  # a faceted chart (one panel per measure) or a plain one
    return inner.get("layer", [inner])


def test_timeline_draws_each_series_over_several_dates(multiday):
    _, figs, _ = multiday
    spec = charts.timeline(figs).to_dict()
    marks = [layer["mark"]["type"] for layer in _layers(spec)]
    assert marks == ["area", "rule", "line", "point", "text"]
    for layer in _layers(spec):
        enc = layer["encoding"]
        assert enc["x"]["field"] == "date" and enc["x"]["type"] == "temporal"
        if layer["mark"]["type"] != "text":
            assert enc["color"]["field"] == "claimant"
    text = _layers(spec)[-1]["encoding"]["text"]["field"]
    data, _ = charts.timeline_frame(figs)
    assert text == "text"
    # every placed figure's citation number is on a label
    labels = " ".join(data["label"])
    placed = figs[figs["low"].notna() | figs["high"].notna()]
    assert all(f"[{n}]" in labels for n in placed["n"])
    area = _layers(spec)[0]["encoding"]
    assert area["y"]["field"] == "low" and area["y2"]["field"] == "high"
    ostrand = data[data["claimant"] == "Ostrand Monitoring Office"]
    assert ostrand["on_line"].sum() == 3 and ostrand["series"].nunique() == 1
    assert "not shown: 1 without a number" in " ".join(spec["title"]["subtitle"]).lower()
    charts.to_svg(charts.timeline(figs))  # draws


def test_timeline_degrades_on_one_date_and_on_empty_input(seeds):
    _, figs, claims = seeds
    spec = charts.timeline(figs).to_dict()
    assert all(layer["encoding"]["x"]["field"] == "who" for layer in _layers(spec))
    assert "line" not in [layer["mark"]["type"] for layer in _layers(spec)]
    assert "2024-10-21" in spec["title"]["subtitle"][0]
    charts.to_svg(charts.timeline(figs))
    empty = charts.timeline(schema.empty("figures"))
    assert empty.to_dict()["mark"]["type"] == "text"
    charts.to_svg(empty)
    # a claims frame works too: points labelled with claim ids (several on one mark)
    data, _ = charts.timeline_frame(claims)
    assert set(" ".join(data["label"]).split()) <= set(claims["claim_id"])
    charts.to_svg(charts.timeline(claims))
