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

import json
import math

import altair as alt
import pandas as pd

from kit.claims.families import family
from kit.claims.values import value_labels
from kit.present.tables import numbered
from kit.schema import STATUSES, UNKNOWN_OUTLET

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
#: Above this many figures, marks that show the same statement of one outlet are drawn once,
#: and only the MAX_OUTLETS outlets with most figures, with their MAX_ROWS most reported
#: statements, are drawn (the subtitle says how many figures are not on the chart).
AGGREGATE_ABOVE = 300
MAX_OUTLETS = 25
MAX_ROWS = 12
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
    out = f[keep].assign(count=1)
    if len(out) > AGGREGATE_ABOVE:
        out = _most_reported(_one_mark_per_statement(out))
    for c in ("x_start", "x_end", "x_point", "x_edge"):
        out[c] = out[c].astype("float64")  # NaN (not pd.NA) so the JSON has nulls
    for c in ("outlet", "claimant", "status", "qualifier", "what", "surface", "value",
              "published", "form", "label", "vague_label", "quote"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out, {"type": "log" if log else "linear", "domain": [dmin, dmax]}


def _one_mark_per_statement(f: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet, claimant, status and drawn value: the figures behind a mark
    are its citation numbers ("[3] [7] [9] +12"), so a large corpus gives a chart of
    what was said, not one mark per repetition."""
    keys = ["outlet", "claimant", "status", "form", "value", "x_start", "x_end", "x_point",
            "x_edge"]
    g = f.groupby(keys, sort=False, dropna=False)
    out = g.first().reset_index()
    out["count"] = g.size().to_numpy()
    cites = g["n"].agg(lambda ns: " ".join(f"[{n}]" for n in sorted(ns)[:3])
                       + (f" +{len(ns) - 3}" if len(ns) > 3 else "")).to_numpy()
    out["label"] = cites + " " + out["claimant"].astype(str) + ": " + out["value"].astype(str)
    out["vague_label"] = (cites + " " + out["value"].astype(str) + " ("
                          + out["what"].fillna("").astype(str) + "), " + out["claimant"].astype(str))
    out["row"] = out.groupby("outlet", sort=False).cumcount().astype("int64")
    return out[f.columns]


def _most_reported(f: pd.DataFrame) -> pd.DataFrame:
    """At most MAX_OUTLETS outlet bands (those with the most figures) of at most
    MAX_ROWS marks each (the statements most reported), in their order of first
    citation: a chart a person can read, whatever the size of the corpus."""
    per_outlet = f.groupby("outlet", sort=False)["count"].sum()
    outlets = set(per_outlet.sort_values(ascending=False, kind="stable").index[:MAX_OUTLETS])
    f = f[f["outlet"].isin(outlets)]
    f = f.assign(rank_=f.groupby("outlet", sort=False)["count"].rank(method="first",
                                                                     ascending=False))
    f = f[f["rank_"] <= MAX_ROWS].drop(columns="rank_").reset_index(drop=True)
    f["row"] = f.groupby("outlet", sort=False).cumcount().astype("int64")
    return f


def inline(frame: pd.DataFrame) -> alt.InlineData:
    """A frame as a chart's inline data: exactly the rows drawn, with no row limit (Altair
    refuses a DataFrame of more than 5,000 rows, and lifting that is global state)."""
    return alt.InlineData(values=json.loads(frame.to_json(orient="records", date_format="iso")))


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
    y = alt.Y("outlet:N", sort=outlets, title=None,
              axis=alt.Axis(labelLimit=220, labelFontSize=12, labelFontWeight="bold",
                            domain=False, ticks=False, grid=True, gridColor="#ddd",
                            labelPadding=8, bandPosition=0))
    y_off = alt.YOffset("row:O", scale=alt.Scale(domain=list(range(rows)), paddingOuter=0.3))
    x_scale = alt.Scale(type=axis["type"], domain=axis["domain"], nice=False,
                        clamp=True, zero=axis["type"] == "linear")
    x_axis = alt.Axis(format=",d", title="reported number", grid=True, gridColor="#eee",
                      tickCount=8)

    def x(field: str) -> alt.X:
        return alt.X(f"{field}:Q", scale=x_scale, axis=x_axis)

    colour = alt.Color("status:N", title="status",
                       scale=alt.Scale(domain=list(STATUSES),
                                       range=[STATUS_COLOURS[s] for s in STATUSES]),
                       legend=alt.Legend(orient="top", direction="horizontal"))
    tooltip = [alt.Tooltip("n:Q", title="citation"), "outlet:N", "claimant:N", "status:N",
               alt.Tooltip("value:N", title="value"), "what:N", "published:N",
               alt.Tooltip("quote:N", title="sentence")]
    # One base carries what every layer shares (the outlet band and row, the tooltip);
    # the layers below add a mark and its x position (and the status colour).
    base = alt.Chart(inline(data)).encode(y=y, yOffset=y_off, tooltip=tooltip)
    coloured = base.encode(color=colour)

    def only(*forms: str):
        return coloured.transform_filter(" || ".join(f"datum.form == '{f}'" for f in forms))

    ranges = only("range").mark_rule(strokeWidth=7, opacity=0.85, strokeCap="butt").encode(
        x=x("x_start"), x2="x_end:Q")
    opens = only("open above", "open below").mark_rule(strokeWidth=2.5, strokeDash=[5, 3]) \
        .encode(x=x("x_start"), x2="x_end:Q")
    arrows_up = only("open above").mark_point(
        shape="triangle-right", filled=True, size=110, opacity=1).encode(x=x("x_edge"))
    arrows_down = only("open below").mark_point(
        shape="triangle-left", filled=True, size=110, opacity=1).encode(x=x("x_edge"))
    points = only("point", "open above", "open below").mark_point(
        shape="circle", filled=True, size=90, opacity=1).encode(x=x("x_point"))
    about = only("about").mark_point(
        shape="circle", filled=False, size=90, strokeWidth=2.5, opacity=1).encode(x=x("x_point"))
    labels = base.transform_filter("datum.form != 'vague'").mark_text(
        align="left", baseline="middle", dx=9, fontSize=11, color="#222").encode(
        x=x("x_end"), text="label:N")
    vague = only("vague").mark_text(
        align="left", baseline="middle", fontSize=11, fontStyle="italic").encode(
        x=alt.value(VAGUE_X), text="vague_label:N")
    header = alt.Chart(pd.DataFrame({"t": ["no number given:"]})).mark_text(
        align="left", baseline="bottom", fontSize=11, fontWeight="bold", color="#555").encode(
        x=alt.value(VAGUE_X), y=alt.value(-4), text="t:N")

    layers = [ranges, opens, arrows_up, arrows_down, points, about, labels]
    if (data["form"] == "vague").any():
        layers += [vague, header]
    scale_note = "logarithmic axis" if axis["type"] == "log" else "linear axis"
    subtitle = [("Each mark: [citation number] claimant: value. Dot = number, ring = "
                 "\"about\", bar = range,"),
                f"dashed line with arrow = open-ended (more than / up to); {scale_note}."]
    drawn = int(data["count"].sum())
    if drawn < len(figs):
        subtitle.append(f"{len(figs):,} figures: the {drawn:,} of the {len(outlets)} outlets and "
                        "statements reported most are drawn, each statement once.")
    return alt.layer(*layers).properties(
        width=WIDTH,
        height=ROW_PX * rows * len(outlets) + 10,
        title=alt.Title(title, subtitle=subtitle, anchor="start"),
    ).configure_view(stroke=None)


# --------------------------------------------------------------------------- timeline

TIMELINE_HEIGHT = 320
#: The timeline draws at most this many claimant series (those with the most figures).
MAX_SERIES = 12


def _series_names(claimant: pd.Series, status: pd.Series, what: pd.Series) -> pd.Series:
    """"claimant · status", plus " · family" when the rows count several families."""
    base = claimant.astype(str) + " · " + status.astype(str)
    if what.nunique(dropna=False) > 1:
        base = base + " · " + what.fillna("").astype(str)
    return base


def timeline_frame(data: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The rows of the timeline chart, from a figures frame or a claims frame.

    One row per point to draw: ``series`` (claimant · status [· family]),
    ``date`` (publication date; the first one for a claim), ``y`` (the value:
    the number, the midpoint of a range, the bound of an open figure), ``low``
    and ``high`` (a range's band, else empty), ``form`` (point, range, more
    than, up to) and ``label``: the citation numbers of the figures at that
    point ("[3] [7]", numbers from ``present.numbered``) or, for claims, the
    claim id.  Vague and undated rows cannot be placed: ``info`` counts them.
    """

    is_claims = "claim_id" in data.columns
    if is_claims:
        d = data.assign(date=data["first_published"], what_=data["what"],
                        label_=data["claim_id"].astype(str), n_=1)
        lo, hi = d["low"].astype("Float64"), d["high"].astype("Float64")
        pt = d["best"].astype("Float64")
        rng = d["qualifier"] == "range"
        point = lo.notna() & hi.notna() & ~rng
        pt = pt.where(~point, pt.fillna(lo))
    else:
        d = numbered(data) if "n" not in data.columns else data.copy()
        d = d.assign(date=d["published"], what_=[family(w, k) for w, k in zip(d["what"], d["kind"])],
                     label_="[" + d["n"].astype("string") + "]", n_=d["n"])
        lo, hi = d["low"].astype("Float64"), d["high"].astype("Float64")
        rng = lo.notna() & hi.notna() & (lo != hi)
        point = lo.notna() & hi.notna() & ~rng
        pt = lo.where(point)
    vague = lo.isna() & hi.isna()
    undated = d["date"].isna()
    info = {"vague": int((vague & ~undated).sum()), "undated": int((undated & ~vague).sum()),
            "undated_vague": int((undated & vague).sum())}
    form = pd.Series("point", index=d.index, dtype=object)
    form[rng] = "range"
    form[lo.notna() & hi.isna()] = "more than"
    form[lo.isna() & hi.notna()] = "up to"
    y = pt.copy()
    y[rng] = ((lo + hi) / 2)[rng]
    y[form == "more than"] = lo[form == "more than"]
    y[form == "up to"] = hi[form == "up to"]
    keep = ~vague & ~undated
    rows = pd.DataFrame({
        "series": _series_names(d["claimant"], d["status"], d["what_"])[keep],
        "claimant": d["claimant"].astype(str)[keep], "status": d["status"].astype(str)[keep],
        "date": d["date"].astype(str)[keep], "y": y[keep].astype("float64"),
        "low": lo.where(rng)[keep].astype("float64"), "high": hi.where(rng)[keep].astype("float64"),
        "form": form[keep], "label_": d["label_"].astype(str)[keep], "n_": d["n_"][keep],
    })
    if not len(rows):
        return rows.assign(label=pd.Series(dtype=object), count=pd.Series(dtype="int64")) \
            .drop(columns=["label_", "n_"]), info
    # One mark per series, date, value and form; its label lists every citation there.
    keys = ["series", "date", "y", "form", "low", "high"]
    out = (rows.sort_values(["series", "date", "y", "n_"], kind="stable")
           .groupby(keys, sort=False, dropna=False)
           .agg(claimant=("claimant", "first"), status=("status", "first"),
                label=("label_", " ".join), count=("label_", "size"))
           .reset_index())
    out["count"] = out["count"].astype("int64")
    for c in ("series", "date", "form", "claimant", "status", "label"):
        out[c] = out[c].astype(object)
    info["dates"] = sorted(set(out["date"]))
    return out, info


def _trend(points: pd.DataFrame) -> pd.DataFrame:
    """Per series and date, the point value reported by the most figures (ties:
    the larger): the line that shows how the estimate moved."""
    p = points[points["form"] == "point"]
    if not len(p):
        return p
    p = p.sort_values(["series", "date", "count", "y"], ascending=[True, True, False, False])
    return p.drop_duplicates(["series", "date"]).reset_index(drop=True)


def timeline(data: pd.DataFrame, *, scale: str = "auto",
             title: str = "Estimates over time") -> alt.LayerChart | alt.Chart:
    """Estimates by publication date: one colour and line per claimant and status
    (and counted-noun family when several are shown), each figure a point
    labelled with its citation number(s), ranges as vertical bars and, across
    dates, as a shaded band from low to high; "more than" / "up to" as
    triangles at the bound.  The line joins, per date, the value most figures
    report.  Takes a figures frame (points labelled "[n]") or a claims frame
    (points labelled with the claim id, at the first publication date).

    When all placed rows share one date (the seeds), there is no time to show:
    the x axis lists the series instead and the subtitle says so.  Vague and
    undated rows are counted in the subtitle.  Empty input gives a chart with
    a message.
    """
    points, info = timeline_frame(data)
    skipped = []
    if info["vague"] + info["undated_vague"]:
        skipped.append(f"{info['vague'] + info['undated_vague']} without a number")
    if info["undated"]:
        skipped.append(f"{info['undated']} without a date")
    per_series = points.groupby("series")["count"].sum() if len(points) else None
    if per_series is not None and len(per_series) > MAX_SERIES:
        top = per_series.sort_values(ascending=False, kind="stable").index[:MAX_SERIES]
        skipped.append(f"{len(per_series) - MAX_SERIES} less reported claimant series "
                       f"({int(per_series.drop(top).sum())} figures)")
        points = points[points["series"].isin(set(top))].reset_index(drop=True)
    note = f"Not shown: {' and '.join(skipped)}." if skipped else ""
    if not len(points):
        message = "No dated figures with a number to chart."
        return (alt.Chart(pd.DataFrame({"text": [message]}))
                .mark_text(fontSize=14, color="#555").encode(text="text:N")
                .properties(width=WIDTH, height=60,
                            title=alt.Title(title, subtitle=[note] if note else [], anchor="start")))
    vals = pd.concat([points["y"], points["low"], points["high"]]).dropna()
    log = scale == "log" or (scale == "auto" and bool(len(vals[vals > 0]))
                             and vals[vals > 0].max() / vals[vals > 0].min() > 10)
    ymin, ymax = _domain(vals[vals > 0] if log else vals, log) if len(vals) else (0.0, 1.0)
    y_scale = alt.Scale(type="log" if log else "linear", domain=[ymin, ymax], nice=False,
                        zero=not log)
    y_axis = alt.Axis(format=",d", title="reported number", grid=True, gridColor="#eee")
    series = sorted(set(points["series"]))
    with_what = points["series"].str.count(" · ").max() > 1
    colour = alt.Color("series:N", sort=series,
                       title="claimant · status · what" if with_what else "claimant · status",
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=360,
                                         symbolType="circle", symbolOpacity=1))
    one_date = len(info["dates"]) == 1
    # Marks of several series on one spot: their labels join on the first one.
    spot = ["series", "y"] if one_date else ["date", "y"]
    points = points.copy()
    joined = points.groupby(spot, sort=False)["label"].transform(" ".join)
    first = ~points.duplicated(spot)
    points["text"] = joined.where(first, "")
    if one_date:
        x = alt.X("series:N", sort=series, title=None,
                  axis=alt.Axis(labelAngle=-30, labelAlign="right", labelLimit=260,
                                labelFontSize=10))
    else:
        x = alt.X("date:T", title="publication date", scale=alt.Scale(type="utc"),
                  axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount="day"))
    tooltip = ["series:N", "date:N", alt.Tooltip("y:Q", format=",d", title="value"),
               alt.Tooltip("label:N", title="citations"), "form:N"]
    # One base carries the x position every layer shares; the layers add marks.
    base = alt.Chart(inline(points)).encode(x=x)
    coloured = base.encode(color=colour)
    y = alt.Y("y:Q", scale=y_scale, axis=y_axis)
    band = {"y": alt.Y("low:Q", scale=y_scale, axis=y_axis), "y2": "high:Q"}
    layers = []
    ranges = points[points["form"] == "range"]
    if len(ranges) and not one_date and ranges.groupby("series")["date"].nunique().max() > 1:
        layers.append(coloured.transform_filter("datum.form == 'range'").mark_area(opacity=0.18)
                      .encode(**band))
    if len(ranges):
        layers.append(coloured.transform_filter("datum.form == 'range'")
                      .mark_rule(strokeWidth=6, opacity=0.7, strokeCap="butt")
                      .encode(**band, tooltip=tooltip))
    if not one_date:
        trend = _trend(points)
        if len(trend):
            layers.append(alt.Chart(inline(trend)).mark_line(strokeWidth=2, point=False)
                          .encode(x=x, y=y, color=colour, detail="series:N"))
    shape = alt.Shape("form:N", title="form",
                      scale=alt.Scale(domain=["point", "range", "more than", "up to"],
                                      range=["circle", "diamond", "triangle-up", "triangle-down"]),
                      legend=None)
    layers.append(coloured.mark_point(filled=True, size=70, opacity=1)
                  .encode(y=y, shape=shape, tooltip=tooltip))
    layers.append(base.mark_text(align="left", dx=7, dy=-7, fontSize=10, color="#333")
                  .encode(y=y, text="text:N"))
    if one_date:
        subtitle = [(f"All dated figures were published on {info['dates'][0]}: no change over "
                     "time to show, so values are grouped by claimant and status."),
                    "Labels are citation numbers; bars are ranges, triangles open-ended."]
    else:
        subtitle = [("One colour per claimant and status; the line joins the value most "
                     "reported each day; shaded bands and bars are ranges."),
                    "Labels are citation numbers; triangles are open-ended (more than / up to)."]
    if note:
        subtitle.append(note)
    return alt.layer(*layers).properties(
        width=WIDTH, height=TIMELINE_HEIGHT,
        title=alt.Title(title, subtitle=subtitle, anchor="start"),
    ).configure_view(stroke=None)
