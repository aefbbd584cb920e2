"""Altair charts of the figures frame (frame in, chart out).

The headline chart, ``estimates_by_source``, answers "who reports which number,
on whose word" at a glance: one band per outlet, one line per figure inside it,
the counts on one shared x axis (logarithmic when they span more than an order
of magnitude), colour by status, and on every mark a label "[n] claimant:
value" whose number is the figure's item in the citation list
(``kit.present.citations_html``).

How each qualifier is drawn (the chart must not overstate what was said):

* exact / approx: a point (hollow for "about");
* range: a thick bar from low to high;
* more than / at least: a point at the number, a dashed line to the right
  edge of the axis ending in a triangle (open upwards);
* up to: a dashed line from the left edge, triangle pointing left;
* vague ("thousands"): not placed on the axis at all, listed in a column
  "no number given" to the right of the plot, in the outlet's band.

Reports draw charts with the ``svg`` renderer (vl-convert, offline, byte-stable:
see ``enable_static``); the explore notebook may use the same.
"""

from __future__ import annotations

import math
import sys

# jsonschema (imported by altair) loads the optional ``rfc3987_syntax`` package
# when it is installed; that builds an Earley parser and costs ~3 s on every
# import, per kernel.  Altair never validates "iri" formats, so when jsonschema is
# not loaded yet we make that optional import fail (jsonschema skips it).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

import altair as alt
import pandas as pd

from kit.present import UNKNOWN_OUTLET, numbered, value_labels
from kit.schema import STATUSES

#: Fixed colours so a status looks the same in every chart and report.
STATUS_COLOURS = {
    "deployed": "#c0392b",
    "planned": "#2471a3",
    "casualties": "#222222",
    "supplied": "#1e8449",
    "other": "#7f8c8d",
}

WIDTH = 520
ROW_PX = 26
VAGUE_X = WIDTH + 24  # pixel position of the "no number given" column


def enable_static() -> None:
    """Draw charts as inline SVG through vl-convert: offline, no JavaScript, and
    byte-identical between runs (so nbval can compare them)."""
    alt.renderers.enable("svg")


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart drawn as an SVG string (offline, via vl-convert); article text in
    it is escaped by the SVG writer."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def _domain(values: pd.Series, log: bool) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    if log:
        return (10 ** math.floor(math.log10(lo / 1.5)), 10 ** math.ceil(math.log10(hi * 1.5)))
    return (0.0, hi * 1.15 if hi > 0 else 1.0)


def use_log_scale(figs: pd.DataFrame) -> bool:
    """True when the stated positive values span more than one order of magnitude."""
    vals = pd.concat([figs["low"], figs["high"]]).dropna().astype("float64")
    vals = vals[vals > 0]
    return bool(len(vals)) and vals.max() / vals.min() > 10


def chart_frame(figs: pd.DataFrame, scale: str = "auto") -> tuple[pd.DataFrame, dict]:
    """The figures as chart rows: citation number, band row, where each mark starts
    and ends on the axis, its form, and its label.  Returns (frame, axis) where axis
    holds the scale type and domain shared by all layers."""
    f = numbered(figs) if "n" not in figs.columns else figs.copy()
    f = f.assign(outlet=f["outlet"].fillna(UNKNOWN_OUTLET))
    f["value"] = value_labels(f)
    f["row"] = f.groupby("outlet", sort=False).cumcount().astype("int64")
    lo = f["low"].astype("Float64")
    hi = f["high"].astype("Float64")
    placed = (lo.notna() | hi.notna()) & (f["qualifier"] != "vague")
    stated = pd.concat([lo[placed], hi[placed]]).dropna()
    stated = stated[stated > 0] if scale != "linear" else stated
    log = scale == "log" or (scale == "auto" and use_log_scale(f[placed]))
    if len(stated):
        dmin, dmax = _domain(stated.astype("float64"), log)
    else:
        dmin, dmax = (1.0, 10.0) if log else (0.0, 1.0)
    form = pd.Series("point", index=f.index, dtype="string")
    form[f["qualifier"] == "approx"] = "about"
    form[placed & lo.notna() & hi.notna() & (lo != hi)] = "range"
    form[placed & lo.notna() & hi.isna()] = "open above"
    form[placed & lo.isna() & hi.notna()] = "open below"
    form[~placed] = "vague"
    f["form"] = form
    f["x_start"] = lo.fillna(dmin).where(placed).astype("Float64")
    f["x_end"] = hi.fillna(dmax).where(placed).astype("Float64")
    f["x_point"] = lo.fillna(hi).where(placed).astype("Float64")
    f["x_edge"] = pd.Series(pd.NA, index=f.index, dtype="Float64")
    f.loc[f["form"] == "open above", "x_edge"] = dmax
    f.loc[f["form"] == "open below", "x_edge"] = dmin
    f["label"] = ("[" + f["n"].astype("string") + "] " + f["claimant"].astype("string")
                  + ": " + f["value"])
    f["vague_label"] = ("[" + f["n"].astype("string") + "] " + f["value"] + " ("
                        + f["what"].fillna("").astype("string") + "), "
                        + f["claimant"].astype("string"))
    sentence = f["sentence"].fillna("").astype(str)
    f["quote"] = sentence.where(sentence.str.len() <= 240, sentence.str.slice(0, 237) + "...")
    keep = ["n", "outlet", "row", "claimant", "status", "qualifier", "what", "surface",
            "value", "published", "form", "x_start", "x_end", "x_point", "x_edge", "label",
            "vague_label", "quote"]
    out = f[keep].copy()
    for c in ("x_start", "x_end", "x_point", "x_edge"):
        out[c] = out[c].astype("float64")  # NaN (not pd.NA) so the JSON has nulls
    for c in ("outlet", "claimant", "status", "qualifier", "what", "surface", "value",
              "published", "form", "label", "vague_label", "quote"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out, {"type": "log" if log else "linear", "domain": [dmin, dmax]}


def _empty_chart(message: str) -> alt.Chart:
    return (alt.Chart(pd.DataFrame({"text": [message]}))
            .mark_text(fontSize=14, color="#555")
            .encode(text="text:N")
            .properties(width=WIDTH, height=60, title="Estimates by source"))


def estimates_by_source(figs: pd.DataFrame, *, scale: str = "auto",
                        title: str = "Estimates by source") -> alt.LayerChart | alt.Chart:
    """The headline chart: every figure by outlet on a shared axis (see module doc).

    ``scale`` is "auto" (log when values span more than 10x), "log" or "linear".
    Works on an empty frame (a chart saying there is nothing to draw).
    """
    if not len(figs):
        return _empty_chart("No figures to chart.")
    data, axis = chart_frame(figs, scale)
    outlets = list(dict.fromkeys(data["outlet"]))
    rows = int(data["row"].max()) + 1
    base = alt.Chart(data)
    y = alt.Y("outlet:N", sort=outlets, title=None,
              axis=alt.Axis(labelLimit=220, labelFontSize=12, labelFontWeight="bold",
                            domain=False, ticks=False, grid=True, gridColor="#ddd",
                            labelPadding=8, bandPosition=0))
    y_off = alt.YOffset("row:O", scale=alt.Scale(domain=list(range(rows)), paddingOuter=0.3))
    x_scale = alt.Scale(type=axis["type"], domain=axis["domain"], nice=False,
                        clamp=True, zero=axis["type"] == "linear")
    x_axis = alt.Axis(format=",d", title="reported number", grid=True, gridColor="#eee",
                      tickCount=8)
    colour = alt.Color("status:N", title="status",
                       scale=alt.Scale(domain=list(STATUSES),
                                       range=[STATUS_COLOURS[s] for s in STATUSES]),
                       legend=alt.Legend(orient="top", direction="horizontal"))
    tooltip = [alt.Tooltip("n:Q", title="citation"), "outlet:N", "claimant:N", "status:N",
               alt.Tooltip("value:N", title="value"), "what:N", "published:N",
               alt.Tooltip("quote:N", title="sentence")]
    common = {"y": y, "yOffset": y_off, "color": colour, "tooltip": tooltip}

    ranges = base.transform_filter("datum.form == 'range'").mark_rule(
        strokeWidth=7, opacity=0.85, strokeCap="butt").encode(
        x=alt.X("x_start:Q", scale=x_scale, axis=x_axis), x2="x_end:Q", **common)
    opens = base.transform_filter("datum.form == 'open above' || datum.form == 'open below'") \
        .mark_rule(strokeWidth=2.5, strokeDash=[5, 3]).encode(
        x=alt.X("x_start:Q", scale=x_scale, axis=x_axis), x2="x_end:Q", **common)
    arrows_up = base.transform_filter("datum.form == 'open above'").mark_point(
        shape="triangle-right", filled=True, size=110, opacity=1).encode(
        x=alt.X("x_edge:Q", scale=x_scale, axis=x_axis), **common)
    arrows_down = base.transform_filter("datum.form == 'open below'").mark_point(
        shape="triangle-left", filled=True, size=110, opacity=1).encode(
        x=alt.X("x_edge:Q", scale=x_scale, axis=x_axis), **common)
    points = base.transform_filter(
        "datum.form == 'point' || datum.form == 'open above' || datum.form == 'open below'") \
        .mark_point(shape="circle", filled=True, size=90, opacity=1).encode(
        x=alt.X("x_point:Q", scale=x_scale, axis=x_axis), **common)
    about = base.transform_filter("datum.form == 'about'").mark_point(
        shape="circle", filled=False, size=90, strokeWidth=2.5, opacity=1).encode(
        x=alt.X("x_point:Q", scale=x_scale, axis=x_axis), **common)
    labels = base.transform_filter("datum.form != 'vague'").mark_text(
        align="left", baseline="middle", dx=9, fontSize=11, color="#222").encode(
        x=alt.X("x_end:Q", scale=x_scale, axis=x_axis), y=y, yOffset=y_off,
        text="label:N", tooltip=tooltip)
    vague = base.transform_filter("datum.form == 'vague'").mark_text(
        align="left", baseline="middle", fontSize=11, fontStyle="italic").encode(
        x=alt.value(VAGUE_X), y=y, yOffset=y_off, text="vague_label:N", color=colour,
        tooltip=tooltip)
    header = alt.Chart(pd.DataFrame({"t": ["no number given:"]})).mark_text(
        align="left", baseline="bottom", fontSize=11, fontWeight="bold", color="#555").encode(
        x=alt.value(VAGUE_X), y=alt.value(-4), text="t:N")

    layers = [ranges, opens, arrows_up, arrows_down, points, about, labels]
    if (data["form"] == "vague").any():
        layers += [vague, header]
    scale_note = "logarithmic axis" if axis["type"] == "log" else "linear axis"
    return alt.layer(*layers).properties(
        width=WIDTH,
        height=ROW_PX * rows * len(outlets) + 10,
        title=alt.Title(
            title,
            subtitle=[
                ("Each mark: [citation number] claimant: value. Dot = number, ring = "
                 "\"about\", bar = range,"),
                f"dashed line with arrow = open-ended (more than / up to); {scale_note}.",
            ],
            anchor="start",
        ),
    ).configure_view(stroke=None)
