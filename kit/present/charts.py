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

The timeline, ``timeline``, shows how estimates moved by publication date: one
panel per measure, colour by claimant, a line only through one claimant's values
of one measure, unattributed figures as points.

Every chart carries a ``description`` (Vega-Lite) computed from its data, which
says in words what it shows; it is the SVG's title and the alternative text of
the chart's image in a report.

Reports draw charts with the ``kit-svg`` renderer (Altair's ``svg`` through
vl-convert: offline, byte-stable; see ``enable_static``); the explore notebook
may use the same.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re

import altair as alt
import numpy as np
import pandas as pd

from kit.claims.families import family
from kit.claims.values import value_labels
from kit.present.tables import numbered
from kit import schema
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
    byte-identical between runs (so nbval can compare them).

    Enables (globally, for this Python process) the renderer ``kit-svg``:
    Altair's ``svg`` renderer, plus the chart's ``description`` as the SVG's
    ``<title>``/``aria-label`` and as the output's ``alt`` metadata
    (``{"image/svg+xml": {"alt": ...}}``), which ``kit.report.pages.notebook_html``
    writes as the ``alt`` text of the report's image.  Returns nothing.
    """
    alt.renderers.enable("svg")
    svg = alt.renderers.get()
    alt.renderers.register("kit-svg", functools.partial(_described_svg, svg))
    alt.renderers.enable("kit-svg")


def _described_svg(render, spec: dict, **metadata):
    """Render ``spec`` with Altair's svg renderer ``render``; the description becomes the
    SVG's title and the output's alt text (a (data, metadata) bundle for IPython)."""
    bundle = dict(render(spec, **metadata))
    description = spec.get("description")
    if not description or "image/svg+xml" not in bundle:
        return bundle
    bundle["image/svg+xml"] = titled_svg(bundle["image/svg+xml"], description)
    return bundle, {"image/svg+xml": {"alt": description}}


def titled_svg(svg: str, description: str | None) -> str:
    """``svg`` with ``description`` as its accessible name: ``role="img"`` and
    ``aria-label`` on the root element and a ``<title>`` as its first child (escaped).
    Unchanged when the description is empty."""
    if not description:
        return svg
    match = re.match(r"\s*<svg\b[^>]*?(/?)>", svg)
    if not match or match.group(1):
        return svg
    label = html.escape(description, quote=True)
    root = match.group(0)[:-1]
    return (root + f' role="img" aria-label="{label}"><title>{label}</title>'
            + svg[match.end():])


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart drawn as an SVG string (offline, via vl-convert), with the chart's
    ``description`` as its ``<title>`` and ``aria-label`` (see ``titled_svg``); article
    text in it is escaped."""
    import vl_convert

    spec = chart.to_dict()
    return titled_svg(vl_convert.vegalite_to_svg(spec), spec.get("description"))


def _domain(values: pd.Series, log: bool) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    if log:
        return (10 ** math.floor(math.log10(lo / 1.5)), 10 ** math.ceil(math.log10(hi * 1.5)))
    return (0.0, hi * 1.15 if hi > 0 else 1.0)


def use_log_scale(figs: pd.DataFrame) -> bool:
    """True when the stated positive values of ``figs`` (its ``low`` and ``high``
    columns, empty cells ignored) span more than one order of magnitude."""
    vals = pd.concat([figs["low"], figs["high"]]).dropna().astype("float64")
    vals = vals[vals > 0]
    return bool(len(vals)) and vals.max() / vals.min() > 10


def chart_frame(figs: pd.DataFrame, scale: str = "auto") -> tuple[pd.DataFrame, dict]:
    """The figures as the rows ``estimates_by_source`` draws.

    ``figs`` is a figures frame: ``outlet``, ``low``, ``high``, ``qualifier``,
    ``what``, ``status``, ``claimant``, ``surface``, ``published``, ``sentence``
    and the citation number ``n`` (added with ``kit.present.numbered`` when
    missing).  ``scale`` is "auto", "log" or "linear".

    Returns ``(frame, axis)``.  ``frame`` has one row per mark: ``n``, ``outlet``
    ("unknown outlet" when empty), ``row`` (line within the outlet's band), the
    figure's ``claimant``, ``status``, ``qualifier``, ``what``, ``surface``,
    ``value`` (as a reader says it), ``published``, ``form`` (point, about, range,
    open above, open below, vague), ``x_start``/``x_end``/``x_point``/``x_edge``
    (positions on the axis; empty for vague), ``label`` ("[n] claimant: value"),
    ``vague_label``, ``quote`` (the sentence, cut at 240 characters) and ``count``
    (figures behind the mark: above ``AGGREGATE_ABOVE`` figures one mark per
    statement).  ``axis`` is ``{"type": "log" | "linear", "domain": [min, max]}``,
    shared by all layers."""
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
    cites = _first_citations(g.ngroup().to_numpy(), f["n"].to_numpy(), len(out))
    out["label"] = cites + " " + out["claimant"].astype(str) + ": " + out["value"].astype(str)
    out["vague_label"] = (cites + " " + out["value"].astype(str) + " ("
                          + out["what"].fillna("").astype(str) + "), " + out["claimant"].astype(str))
    out["row"] = out.groupby("outlet", sort=False).cumcount().astype("int64")
    return out[f.columns]


def _first_citations(group, n, groups: int, shown: int = 3) -> np.ndarray:
    """Each group's ``shown`` smallest citation numbers ("[3] [7] [9]") and how many more
    ("+12"), from the group of each row and its number (one sort, not a call a group)."""
    order = np.lexsort((n, group))
    group, n = group[order], n[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    rank = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    parts: list[list[str]] = [[] for _ in range(groups)]
    for k, number in zip(group[rank < shown].tolist(), n[rank < shown].tolist()):
        parts[k].append(f"[{number}]")
    sizes = np.bincount(group, minlength=groups)
    return np.array([" ".join(p) + (f" +{size - shown}" if size > shown else "")
                     for p, size in zip(parts, sizes.tolist())], dtype=object)


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
    """``frame`` as a chart's inline data (``alt.InlineData``, dates as ISO text): exactly
    the rows drawn, with no row limit (Altair refuses a DataFrame of more than 5,000 rows,
    and lifting that is global state)."""
    return alt.InlineData(values=json.loads(frame.to_json(orient="records", date_format="iso")))


def _empty_chart(message: str, title: str = "Estimates by source") -> alt.Chart:
    return (alt.Chart(pd.DataFrame({"text": [message]}))
            .mark_text(fontSize=14, color="#555")
            .encode(text="text:N")
            .properties(width=WIDTH, height=60, title=title,
                        description=f"{title}: {message[:1].lower()}{message[1:]}"))


def counts_text(counts: pd.Series, limit: int, more: str) -> str:
    """ "a 3, b 2, c 1" for the most frequent values (ties: first seen), at most ``limit``,
    from the ``counts`` of each value (in the order first seen)."""
    counts = counts.sort_values(ascending=False, kind="stable")
    items = [f"{k} {v:,}" for k, v in counts.items()]
    return ", ".join(items[:limit]) + (f", and {len(items) - limit} more {more}"
                                        if len(items) > limit else "")


#: Up to this many marks, the description of ``estimates_by_source`` lists every mark.
DESCRIBE_MARKS = 40


def chart_facts(figs: pd.DataFrame) -> dict:
    """What the description of ``estimates_by_source`` says of all ``figs`` beside its
    marks (a small dict, JSON-ready: the summary tables of an archive keep it)."""
    outlets = figs["outlet"].fillna(UNKNOWN_OUTLET)
    vague = int((figs["qualifier"] == "vague").sum() + (figs["low"].isna() & figs["high"].isna()
                                                         & (figs["qualifier"] != "vague")).sum())
    return facts_of(len(figs), outlets.nunique(), vague,
                    figs["claimant"].astype(str).value_counts(sort=False),
                    figs["status"].astype(str).value_counts(sort=False))


def facts_of(figures: int, outlets: int, vague: int, claimants: pd.Series,
             statuses: pd.Series) -> dict:
    """``chart_facts`` from the figures of each claimant and status (in the order first
    seen)."""
    return {"figures": int(figures), "outlets": int(outlets), "vague": int(vague),
            "claimants": counts_text(claimants, 6, "claimants"),
            "statuses": counts_text(statuses, 5, "statuses")}


def _estimates_description(title: str, facts: dict, data: pd.DataFrame,
                           axis: dict) -> str:
    """What ``estimates_by_source`` shows, in words: how many figures from how many
    outlets, the range of values and the axis, who is cited and with which status, and
    (for a chart a person can read in full) every mark by outlet."""
    n, n_outlets = facts["figures"], facts["outlets"]
    placed = data[data["form"] != "vague"]
    values = pd.concat([placed["x_point"], placed["x_start"].where(placed["form"] == "range"),
                        placed["x_end"].where(placed["form"] == "range")]).dropna()
    text = (f"{title}: {n:,} figure{'s' if n != 1 else ''} from {n_outlets:,} "
            f"outlet{'s' if n_outlets != 1 else ''}")
    if len(values):
        lo, hi = _number(values.min()), _number(values.max())
        text += (f", values {lo} to {hi}" if lo != hi else f", value {lo}") + (
            f" on a {'logarithmic' if axis['type'] == 'log' else 'linear'} axis")
    vague = facts["vague"]
    if vague:
        text += f"; {vague:,} give{'s' if vague == 1 else ''} no number"
    text += f". By claimant: {facts['claimants']}. By status: {facts['statuses']}."
    drawn = int(data["count"].sum())
    if drawn < n:
        text += (f" Drawn: the {drawn:,} figures of the {data['outlet'].nunique()} outlets and "
                 "statements reported most, each statement once.")
    if len(data) <= DESCRIBE_MARKS:
        per_outlet = []
        for outlet, marks in data.groupby("outlet", sort=False):
            said = [f"{v} ({c}{', ' + str(k) + ' figures' if k > 1 else ''})"
                    for v, c, k in zip(marks["value"], marks["claimant"], marks["count"])]
            per_outlet.append(f"{outlet}: {', '.join(said)}")
        text += " By outlet: " + "; ".join(per_outlet) + "."
    return text


def estimates_by_source(figs: pd.DataFrame, *, scale: str = "auto",
                        title: str = "Estimates by source") -> alt.LayerChart | alt.Chart:
    """The headline chart: every figure by outlet on a shared axis (see module doc).

    ``figs`` is a figures frame (``kit.figures``); the chart reads ``outlet``,
    ``low``, ``high``, ``qualifier``, ``what``, ``status``, ``claimant``,
    ``surface``, ``published`` and ``sentence``, and the citation numbers ``n``
    of ``kit.present.numbered`` (added when missing, so numbers match the
    citation list only when the caller numbered the same frame).  ``scale`` is
    "auto" (log when values span more than 10x), "log" or "linear"; ``title``
    is the chart title.  Above ``AGGREGATE_ABOVE`` figures a statement is drawn
    once, for the ``MAX_OUTLETS`` outlets and ``MAX_ROWS`` statements reported
    most (the subtitle says so).

    Returns an Altair layer chart (a text chart saying there is nothing to draw
    when ``figs`` is empty) whose Vega-Lite ``description`` says in words what it
    shows: figures, outlets, the range of values, claimants, statuses and, for
    up to ``DESCRIBE_MARKS`` marks, every mark by outlet.  ``to_svg`` and the
    ``enable_static`` renderer make it the SVG's title and the report image's
    alternative text.
    """
    if not len(figs):
        return _empty_chart("No figures to chart.", title)
    return estimates_chart(*chart_frame(figs, scale), chart_facts(figs), title=title)


def estimates_chart(data: pd.DataFrame, axis: dict, facts: dict, *,
                    title: str = "Estimates by source") -> alt.LayerChart:
    """``estimates_by_source`` drawn from its ``chart_frame`` (``data``, ``axis``) and its
    ``chart_facts``: the chart of an archive from its summary tables."""
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
    if drawn < facts["figures"]:
        subtitle.append(f"{facts['figures']:,} figures: the {drawn:,} of the {len(outlets)} outlets and "
                        "statements reported most are drawn, each statement once.")
    return alt.layer(*layers).properties(
        width=WIDTH,
        height=ROW_PX * rows * len(outlets) + 10,
        title=alt.Title(title, subtitle=subtitle, anchor="start"),
        description=_estimates_description(title, facts, data, axis),
    ).configure_view(stroke=None)


# --------------------------------------------------------------------------- timeline

TIMELINE_HEIGHT = 320
#: The height of one measure's panel when the timeline shows several measures.
PANEL_MIN_HEIGHT = 150
#: The timeline draws at most this many series (claimant and measure: those with the most figures).
MAX_SERIES = 12
#: Who a figure is attributed to when no source is named: its figures are points, never lines.
UNATTRIBUTED = "unattributed"
#: The measures a figure can count, in the order of the timeline's panels (a measure not
#: listed comes after them).  Frames without a ``measure`` column count "other".
MEASURES = getattr(schema, "MEASURES", (
    "dead", "injured", "missing", "captured", "evacuated", "displaced", "crowd",
    "deployed forces", "planned forces", "supplied items", "cases", "other"))
#: Measures that do not say what is counted: their lines also keep to one noun family,
#: so "13,000 containers" and "1 million shells" are never joined.
MIXED_MEASURES = ("supplied items", "other")
#: Claimant colours of the timeline (in order of the sorted claimant names), and the grey of
#: unattributed figures.
CLAIMANT_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#54a24b", "#b279a2", "#72b7b2",
                    "#eeca3b", "#9d755d", "#ff9da6", "#1b3a5c", "#8f6d00", "#5e2a84"]
UNATTRIBUTED_COLOUR = "#9a9a9a"


def measures(frame: pd.DataFrame) -> pd.Series:
    """The measure of each row of a figures or claims frame: its ``measure`` column, or
    "other" for every row when the frame has none (or the cell is empty)."""
    if "measure" not in frame.columns:
        return pd.Series("other", index=frame.index, dtype=object)
    m = frame["measure"].astype(object)
    return m.where(m.notna() & (m.astype(str) != ""), "other").astype(str)


def timeline_frame(data: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The rows of the timeline chart, from a figures frame or a claims frame.

    ``data`` needs ``claimant``, ``status``, ``low``, ``high``, ``qualifier`` and
    ``what``, and ``measure`` when it has one (else every row counts "other");
    a figures frame also ``published`` and ``kind`` (and ``n``, the citation
    numbers of ``present.numbered``, which are added when missing); a claims
    frame (recognised by ``claim_id``) also ``first_published`` and ``best``.

    Returns ``(rows, info)``.  One row per mark: ``series`` (the line it
    belongs to: "claimant · measure", plus " · family" for the measures of
    ``MIXED_MEASURES``), ``claimant``, ``measure``, ``what`` (noun family),
    ``who`` (claimant, plus " · family" as in ``series``), ``status``,
    ``date`` (publication date; the first one for a claim), ``y`` (the value:
    the number, the midpoint of a range, the bound of an open figure), ``low``
    and ``high`` (a range's ends, else empty), ``form`` (point, range, more
    than, up to), ``label`` (the citation numbers of the figures at that mark,
    "[3] [7]", or for claims the claim id), ``count`` (figures or claims
    behind the mark) and ``on_line`` (True on the marks the series' line
    joins: per date, the point value most figures report; never for
    unattributed figures).  ``info`` counts the rows that cannot be placed
    (``vague``, ``undated``, ``undated_vague``) and lists the ``dates``.
    """
    is_claims = "claim_id" in data.columns
    if is_claims:
        d = data.assign(date=data["first_published"], what_=data["what"].astype(object),
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
            "undated_vague": int((undated & vague).sum()), "dates": []}
    form = pd.Series("point", index=d.index, dtype=object)
    form[rng] = "range"
    form[lo.notna() & hi.isna()] = "more than"
    form[lo.isna() & hi.notna()] = "up to"
    y = pt.copy()
    y[rng] = ((lo + hi) / 2)[rng]
    y[form == "more than"] = lo[form == "more than"]
    y[form == "up to"] = hi[form == "up to"]
    keep = ~vague & ~undated
    claimant = d["claimant"].astype(str)
    measure = measures(d)
    what = d["what_"].fillna("").astype(str)
    who = claimant.where(~measure.isin(MIXED_MEASURES), claimant + " · " + what)
    rows = pd.DataFrame({
        "series": (claimant + " · " + measure).where(~measure.isin(MIXED_MEASURES),
                                                      claimant + " · " + measure + " · " + what),
        "claimant": claimant, "measure": measure, "what": what, "who": who,
        "status": d["status"].astype(str), "date": d["date"].astype(str),
        "y": y.astype("float64"), "low": lo.where(rng).astype("float64"),
        "high": hi.where(rng).astype("float64"), "form": form,
        "label_": d["label_"].astype(str), "n_": d["n_"],
    })[keep]
    columns = ["series", "claimant", "measure", "what", "who", "status", "date", "y", "low",
               "high", "form", "label", "count", "on_line"]
    if not len(rows):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), info
    # One mark per series, date, value and form; its label lists every citation there.
    keys = ["series", "date", "y", "form", "low", "high"]
    out = (rows.sort_values(["series", "date", "y", "n_"], kind="stable")
           .groupby(keys, sort=False, dropna=False)
           .agg(claimant=("claimant", "first"), measure=("measure", "first"),
                what=("what", "first"), who=("who", "first"), status=("status", "first"),
                label=("label_", " ".join), count=("label_", "size"))
           .reset_index())
    out["count"] = out["count"].astype("int64")
    out["on_line"] = _on_line(out)
    for c in ("series", "date", "form", "claimant", "measure", "what", "who", "status", "label"):
        out[c] = out[c].astype(object)
    info["dates"] = sorted(set(out["date"]))
    return out[columns], info


def _on_line(marks: pd.DataFrame) -> pd.Series:
    """True on the marks a series' line joins: per series and date, the point value
    reported by the most figures (ties: the larger); unattributed figures have no line."""
    p = marks[(marks["form"] == "point") & (marks["claimant"] != UNATTRIBUTED)]
    p = p.sort_values(["series", "date", "count", "y"], ascending=[True, True, False, False])
    chosen = p.drop_duplicates(["series", "date"]).index
    return pd.Series(marks.index.isin(chosen), index=marks.index)


def _number(v: float) -> str:
    return f"{v:,.0f}"


def _mark_value(row) -> str:
    """A timeline mark's value as a reader says it."""
    if row["form"] == "range":
        return f"{_number(row['low'])}–{_number(row['high'])}"
    if row["form"] in ("more than", "up to"):
        return f"{row['form']} {_number(row['y'])}"
    return _number(row["y"])


def _listed(items: list[str], limit: int, more: str) -> str:
    """Items joined by "; ", the first ``limit`` of them, then "and N more ..."."""
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more {more}" if len(items) > limit else "")


def _timeline_description(title: str, points: pd.DataFrame, info: dict, note: str,
                          noun: str = "figure") -> str:
    """What the timeline shows, in words: each claimant's line per measure with its values
    by date, the unattributed points, and what is not shown."""
    if not len(points):
        return f"{title}: no dated {noun}s with a number to chart." + (f" {note}" if note else "")
    n = int(points["count"].sum())
    present = _measure_order(points)
    dates = sorted(set(points["date"]))
    head = (f"{title}: {n:,} {noun}{'s' if n != 1 else ''} with a number, "
            + (f"all published on {dates[0]}" if len(dates) == 1
               else f"published {dates[0]} to {dates[-1]}")
            + f", in {len(present)} measure{'s' if len(present) != 1 else ''} "
            f"({', '.join(present)}).")
    parts = []
    if len(dates) == 1:
        for m in present:
            marks = points[points["measure"] == m]
            said = []
            for who, g in marks.groupby("who", sort=True):
                values = [_mark_value(r) for _, r in g.head(6).iterrows()]
                said.append(f"{who} {', '.join(values[:5])}"
                            + (f" and {len(g) - 5} more" if len(g) > 5 else ""))
            parts.append(f"{m}: {', '.join(said[:8])}"
                         + (f" and {len(said) - 8} more claimants" if len(said) > 8 else ""))
        body = " Values by claimant: " + _listed(parts, 12, "measures") + "."
    else:
        lines = points[points["on_line"]]
        for (m, _series), g in sorted(lines.groupby(["measure", "series"], sort=False),
                                     key=lambda kv: (present.index(kv[0][0]), kv[0][1])):
            steps = [f"{_number(y)} on {date}"
                     for y, date in g.sort_values("date")[["y", "date"]].itertuples(index=False)]
            if len(steps) > 6:
                steps = steps[:3] + ["..."] + steps[-2:]
            parts.append(f"{g['who'].iloc[0]}, {m}: {', '.join(steps)}")
        body = (" Lines (one claimant's most reported value of one measure each day): "
                + _listed(parts, 10, "lines") + "." if parts else " No line: no claimant "
                "gives a single value on more than one day.")
    loose = points[points["claimant"] == UNATTRIBUTED]
    if len(loose):
        k = int(loose["count"].sum())
        body += (f" {k} unattributed {noun}{'s are' if k != 1 else ' is'} drawn as "
                 f"point{'s' if k != 1 else ''} only: "
                 + ", ".join(f"{_mark_value(r)} ({r['measure']}, {r['date']})"
                             for _, r in loose.head(8).iterrows())
                 + (", ..." if len(loose) > 8 else "") + ".")
    return head + body + (f" {note}" if note else "")


def _measure_order(points: pd.DataFrame) -> list[str]:
    present = set(points["measure"])
    return [m for m in MEASURES if m in present] + sorted(present - set(MEASURES))


def timeline(data: pd.DataFrame, *, scale: str = "auto",
             title: str = "Estimates over time") -> alt.FacetChart | alt.Chart:
    """Estimates by publication date, one panel (row) per measure.

    ``data`` is a figures frame (marks labelled with citation numbers "[n]")
    or a claims frame (labelled with claim ids, at their first publication
    date); the columns it needs are those of ``timeline_frame``.  ``scale`` is
    "auto" (logarithmic when the values span more than 10x), "log" or
    "linear"; ``title`` is the chart title.

    Colour is the claimant; each figure is a point labelled with its citation
    number(s); ranges are vertical bars and, across dates, a shaded band;
    "more than" / "up to" are triangles at the bound.  A line joins only one
    claimant's values of one measure (and, for "supplied items" and "other",
    of one noun family): per date, the value most figures report.
    Unattributed figures are grey points, never joined by a line or band.
    When all placed rows share one date (the seeds) there is no time to show:
    the x axis of each panel lists the claimants instead.  Vague and undated
    rows, and series beyond the ``MAX_SERIES`` most reported, are counted in
    the subtitle.

    Returns an Altair chart (a faceted layer chart; a text chart saying there is
    nothing to draw when no row can be placed) whose Vega-Lite ``description``
    says in words what it shows; ``to_svg`` and the ``enable_static`` renderer
    make it the SVG's title and the report image's alternative text.
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
    description = _timeline_description(title, points, info, note,
                                        "claim" if "claim_id" in data.columns else "figure")
    if not len(points):
        message = "No dated figures with a number to chart."
        return (alt.Chart(pd.DataFrame({"text": [message]}))
                .mark_text(fontSize=14, color="#555").encode(text="text:N")
                .properties(width=WIDTH, height=60, description=description,
                            title=alt.Title(title, subtitle=[note] if note else [],
                                            anchor="start")))
    vals = pd.concat([points["y"], points["low"], points["high"]]).dropna()
    log = scale == "log" or (scale == "auto" and bool(len(vals[vals > 0]))
                             and vals[vals > 0].max() / vals[vals > 0].min() > 10)
    ymin, ymax = _domain(vals[vals > 0] if log else vals, log) if len(vals) else (0.0, 1.0)
    y_scale = alt.Scale(type="log" if log else "linear", domain=[ymin, ymax], nice=False,
                        zero=not log)
    y_axis = alt.Axis(format=",d", title="reported number", grid=True, gridColor="#eee")
    claimants = sorted(set(points["claimant"]) - {UNATTRIBUTED})
    domain = claimants + ([UNATTRIBUTED] if (points["claimant"] == UNATTRIBUTED).any() else [])
    palette = [CLAIMANT_COLOURS[i % len(CLAIMANT_COLOURS)] for i in range(len(claimants))]
    colour = alt.Color("claimant:N", title="claimant",
                       scale=alt.Scale(domain=domain, range=palette + [UNATTRIBUTED_COLOUR]
                                       * (len(domain) - len(claimants))),
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=360,
                                         symbolType="circle", symbolOpacity=1))
    one_date = len(info["dates"]) == 1
    # Marks on one spot of a panel: their labels join on the first one.
    spot = ["measure", "who", "y"] if one_date else ["measure", "date", "y"]
    points = points.copy()
    joined = points.groupby(spot, sort=False)["label"].transform(" ".join)
    points["text"] = joined.where(~points.duplicated(spot), "")
    if one_date:
        x = alt.X("who:N", sort=sorted(set(points["who"])), title=None,
                  axis=alt.Axis(labelAngle=-30, labelAlign="right", labelLimit=260,
                                labelFontSize=10))
    else:
        x = alt.X("date:T", title="publication date", scale=alt.Scale(type="utc"),
                  axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount="day"))
    points["published"] = points["date"]  # as text: the x encoding parses "date" to a time
    tooltip = ["claimant:N", "measure:N", "what:N", "published:N",
               alt.Tooltip("y:Q", format=",d", title="value"),
               alt.Tooltip("label:N", title="citations"), "form:N"]
    # One base carries what every layer shares (the x position, the claimant colour, the
    # tooltip); the layers add a mark and its y.  The data and the measure panels are the
    # facet's, so every layer draws within one measure.
    base = alt.Chart().encode(x=x, color=colour, tooltip=tooltip)
    y = alt.Y("y:Q", scale=y_scale, axis=y_axis)
    band = {"y": alt.Y("low:Q", scale=y_scale, axis=y_axis), "y2": "high:Q"}
    attributed_range = f"datum.form == 'range' && datum.claimant != '{UNATTRIBUTED}'"
    layers = []
    ranges = points[points["form"] == "range"]
    joined_ranges = ranges[ranges["claimant"] != UNATTRIBUTED]
    if len(joined_ranges) and not one_date and \
            joined_ranges.groupby("series")["date"].nunique().max() > 1:
        layers.append(base.transform_filter(attributed_range).mark_area(opacity=0.18)
                      .encode(**band, detail=["claimant:N", "measure:N", "series:N"]))
    if len(ranges):
        layers.append(base.transform_filter("datum.form == 'range'")
                      .mark_rule(strokeWidth=6, opacity=0.7, strokeCap="butt").encode(**band))
    if not one_date and points["on_line"].any():
        layers.append(base.transform_filter("datum.on_line")
                      .mark_line(strokeWidth=2, point=False)
                      .encode(y=y, detail=["claimant:N", "measure:N", "series:N"]))
    shape = alt.Shape("form:N", title="form",
                      scale=alt.Scale(domain=["point", "range", "more than", "up to"],
                                      range=["circle", "diamond", "triangle-up", "triangle-down"]),
                      legend=None)
    layers.append(base.mark_point(filled=True, size=70, opacity=1).encode(y=y, shape=shape))
    layers.append(base.mark_text(align="left", dx=7, dy=-7, fontSize=10)
                  .encode(y=y, text="text:N", color=alt.value("#333")))
    present = _measure_order(points)
    panel = TIMELINE_HEIGHT if len(present) == 1 else max(PANEL_MIN_HEIGHT,
                                                          TIMELINE_HEIGHT // len(present))
    if one_date:
        subtitle = [(f"All dated figures were published on {info['dates'][0]}: no change over "
                     "time to show, so values are grouped by claimant, one panel per measure."),
                    "Labels are citation numbers; bars are ranges, triangles open-ended."]
    else:
        subtitle = [("One panel per measure, one colour per claimant; a line joins one claimant's "
                     "value most reported each day; grey unattributed figures are never joined."),
                    "Labels are citation numbers; shaded bands and bars are ranges; triangles "
                    "are open-ended (more than / up to)."]
    if note:
        subtitle.append(note)
    chart = alt.layer(*layers, data=inline(points)).properties(width=WIDTH, height=panel).facet(
        row=alt.Row("measure:N", sort=present, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start",
                                      labelOrient="top", labelFontSize=12,
                                      labelFontWeight="bold")),
        spacing=18,
    )
    if one_date:
        chart = chart.resolve_scale(x="independent")
    return chart.properties(
        title=alt.Title(title, subtitle=subtitle, anchor="start"), description=description,
    ).configure_view(stroke=None)
