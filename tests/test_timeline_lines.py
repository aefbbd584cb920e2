"""The timeline (kit.present.charts.timeline): a line joins only one claimant's values of
one measure, unattributed figures are points (never a line or band), colour is the
claimant and each measure has its own panel.  Proved on the chart spec and on the SVG."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from chart_frames import TOLL, figures_with_measures

from kit.present import charts


@pytest.fixture(scope="module")
def toll():
    return figures_with_measures(TOLL)


def layers(spec: dict) -> list[dict]:
    inner = spec["spec"]
    return inner.get("layer", [inner])


def by_mark(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in layers(spec) if layer["mark"]["type"] == mark]


def data_rows(spec: dict) -> list[dict]:
    data = spec["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def fields(enc) -> set[str]:
    encs = enc if isinstance(enc, list) else [enc]
    return {e["field"] for e in encs}


def test_one_panel_per_measure_and_colour_by_claimant(toll):
    spec = charts.timeline(toll).to_dict()
    assert spec["facet"]["row"]["field"] == "measure"
    assert spec["facet"]["row"]["sort"] == ["dead", "injured"]  # the order of MEASURES
    for layer in layers(spec):
        assert layer["encoding"]["x"]["field"] == "date"
        if layer["mark"]["type"] != "text":
            assert layer["encoding"]["color"]["field"] == "claimant"
    colour = layers(spec)[0]["encoding"]["color"]["scale"]
    assert colour["domain"][-1] == charts.UNATTRIBUTED
    assert colour["range"][-1] == charts.UNATTRIBUTED_COLOUR
    assert len(set(colour["range"])) == len(colour["range"])  # one colour a claimant


def test_lines_are_grouped_by_claimant_and_measure(toll):
    spec = charts.timeline(toll).to_dict()
    (line,) = by_mark(spec, "line")
    assert line["transform"] == [{"filter": "datum.on_line"}]
    assert {"claimant", "measure"} <= fields(line["encoding"]["detail"])
    rows = data_rows(spec)
    on_line = [r for r in rows if r["on_line"]]
    # each line is one claimant and one measure, a value a date
    lines = {}
    for r in on_line:
        lines.setdefault(r["series"], set()).add((r["claimant"], r["measure"]))
        assert sum(o["series"] == r["series"] and o["date"] == r["date"] for o in on_line) == 1
    assert all(len(who) == 1 for who in lines.values())
    assert set().union(*lines.values()) == {
        ("Health Ministry", "dead"), ("Health Ministry", "injured"), ("Red Cross", "dead")}
    # the Health Ministry's dead: 10, 25, 57 over three days; its injured are another line
    ministry_dead = sorted((r["date"], r["y"]) for r in on_line
                           if r["series"] == "Health Ministry · dead")
    assert ministry_dead == [("2030-05-01", 10), ("2030-05-02", 25), ("2030-05-04", 57)]
    # drawn: one line path per (claimant, measure), nothing for the unattributed
    svg = charts.to_svg(charts.timeline(toll))
    paths = re.findall(r'<path aria-label="([^"]*)"[^>]*aria-roledescription="line mark"', svg)
    assert len(paths) == 3
    assert not any("unattributed" in p for p in paths)


def test_unattributed_figures_are_points_never_lines_or_bands(toll):
    spec = charts.timeline(toll).to_dict()
    rows = data_rows(spec)
    loose = [r for r in rows if r["claimant"] == charts.UNATTRIBUTED]
    assert len(loose) == 3 and not any(r["on_line"] for r in loose)
    points = by_mark(spec, "point")
    assert points and "transform" not in points[0]  # every mark gets its point
    for area in by_mark(spec, "area"):
        assert "datum.claimant != 'unattributed'" in area["transform"][0]["filter"]
    # only unattributed figures: points, and no line or band at all
    ranges = [("Wire", "2030-05-02", 20, 30, "range", "people", "casualties", "dead",
               "unattributed"),
              ("Wire", "2030-05-04", 25, 35, "range", "people", "casualties", "dead",
               "unattributed")]
    only = figures_with_measures([r for r in TOLL if r[-1] == charts.UNATTRIBUTED] + ranges)
    marks = [layer["mark"]["type"] for layer in layers(charts.timeline(only).to_dict())]
    assert "line" not in marks and "area" not in marks and "point" in marks


def test_ranges_band_per_claimant_and_measure():
    rows = [("Wire", "2030-05-01", 50, 60, "range", "people", "casualties", "dead", "Red Cross"),
            ("Wire", "2030-05-03", 70, 80, "range", "people", "casualties", "dead", "Red Cross"),
            ("Wire", "2030-05-03", 5, 9, "range", "people", "casualties", "injured", "Red Cross")]
    spec = charts.timeline(figures_with_measures(rows)).to_dict()
    (area,) = by_mark(spec, "area")
    assert {"claimant", "measure"} <= fields(area["encoding"]["detail"])


def test_supplied_items_lines_keep_to_one_noun_family():
    rows = [("Wire", "2030-05-01", 13000, 13000, "exact", "containers", "supplied",
             "supplied items", "NIS"),
            ("Wire", "2030-05-02", 1000000, 1000000, "exact", "shells", "supplied",
             "supplied items", "NIS"),
            ("Wire", "2030-05-03", 14000, 14000, "exact", "containers", "supplied",
             "supplied items", "NIS")]
    data, _ = charts.timeline_frame(figures_with_measures(rows))
    assert set(data["series"]) == {"NIS · supplied items · containers",
                                   "NIS · supplied items · shells"}


def test_measure_shown_in_tooltip_and_one_date_lists_claimants():
    rows = [r for r in TOLL if r[1] == "2030-05-02"]
    spec = charts.timeline(figures_with_measures(rows)).to_dict()
    assert not by_mark(spec, "line")
    for layer in layers(spec):
        assert layer["encoding"]["x"]["field"] == "who"
    tips = {t["field"] for t in layers(spec)[0]["encoding"]["tooltip"]}
    assert {"claimant", "measure", "published", "label"} <= tips
    assert spec["resolve"]["scale"]["x"] == "independent"


def test_frames_without_measure_count_other():
    bare = figures_with_measures(TOLL).drop(columns="measure")
    data, _ = charts.timeline_frame(bare)
    assert set(data["measure"]) == {"other"}
    assert charts.to_svg(charts.timeline(bare)).startswith("<svg")
    assert "No dated figures" in charts.to_svg(charts.timeline(bare.iloc[:0]))


def test_a_claims_frame_draws_one_line_per_claimant_and_measure():
    # the columns of the claims frame the timeline reads (see timeline_frame)
    claims = pd.DataFrame({
        "claim_id": ["C1", "C2", "C3", "C4", "C5"],
        "claimant": ["Health Ministry", "Health Ministry", "Health Ministry", "unattributed",
                     "unattributed"],
        "status": ["casualties"] * 5, "what": ["people"] * 5,
        "measure": ["dead", "dead", "injured", "dead", "dead"],
        "qualifier": ["exact"] * 5,
        "low": pd.array([10, 25, 40, 12, 45], dtype="Int64"),
        "best": pd.array([10, 25, 40, 12, 45], dtype="Int64"),
        "high": pd.array([10, 25, 40, 12, 45], dtype="Int64"),
        "first_published": ["2030-05-01", "2030-05-02", "2030-05-01", "2030-05-01",
                            "2030-05-03"],
    })
    data, _ = charts.timeline_frame(claims)
    assert set(data["label"]) == set(claims["claim_id"])
    assert set(data.loc[data["on_line"], "label"]) == {"C1", "C2", "C3"}
    assert set(data.loc[data["on_line"], "series"]) == {"Health Ministry · dead",
                                                        "Health Ministry · injured"}
    assert charts.to_svg(charts.timeline(claims)).startswith("<svg")
