"""The interactive chart of the review: hover a mark to read its claimant, value and
sentence; click it to open that figure in the review view.

An Altair ``JupyterChart`` (an anywidget) whose JavaScript (Vega, Vega-Lite,
vega-embed) is bundled by vl-convert and sent with the widget: it draws in a JupyterLab
with no network.  Reports and nbval keep the static SVG charts of
``kit.present.charts``; this chart is for the live notebook only.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.claims.values import value_labels
from kit.present.charts import STATUS_COLOURS
from kit.schema import STATUSES, UNKNOWN_OUTLET

#: The name of the click selection (JupyterChart.selections.<PICK>).
PICK = "pick"


def chart_data(figs: pd.DataFrame) -> pd.DataFrame:
    """One row per figure with a number: where its mark goes and what its tooltip says."""
    x = figs["low"].astype("Float64").fillna(figs["high"].astype("Float64"))
    data = pd.DataFrame({
        "figure_id": figs["figure_id"].astype(str),
        "outlet": figs["outlet"].fillna(UNKNOWN_OUTLET).astype(str),
        "x": x,
        "status": figs["status"].astype(str),
        "claimant": figs["claimant"].astype(str),
        "value": [str(v) for v in value_labels(figs)],
        "what": figs["what"].fillna("").astype(str),
        "sentence": figs["sentence"].astype(str).str.slice(0, 300),
        "reviewed": figs["reviewed"].astype(str),
    })
    data = data[data["x"].notna()].copy()
    data["x"] = data["x"].astype(float)
    return data.reset_index(drop=True)


def review_spec(figs: pd.DataFrame) -> alt.Chart:
    """The chart: one point a figure by outlet and value, coloured by status, a ring
    once reviewed; a click selects its figure_id."""
    data = chart_data(figs)
    values = data["x"][data["x"] > 0]
    log = len(values) and values.max() / values.min() > 10
    pick = alt.selection_point(name=PICK, fields=["figure_id"], on="click", empty=False)
    return alt.Chart(data).mark_point(size=120, filled=True, cursor="pointer").encode(
        x=alt.X("x:Q", title="reported number",
                scale=alt.Scale(type="log" if log else "linear"), axis=alt.Axis(format=",d")),
        y=alt.Y("outlet:N", title=None),
        color=alt.Color("status:N", scale=alt.Scale(
            domain=list(STATUSES), range=[STATUS_COLOURS[s] for s in STATUSES])),
        shape=alt.Shape("reviewed:N", title="reviewed"),
        size=alt.condition(pick, alt.value(300), alt.value(120)),
        tooltip=[alt.Tooltip("claimant:N"), alt.Tooltip("value:N"), alt.Tooltip("what:N"),
                 alt.Tooltip("sentence:N"), alt.Tooltip("reviewed:N")],
    ).add_params(pick).properties(width=640, title="Click a figure to review it")


def review_chart(figs: pd.DataFrame, view) -> alt.JupyterChart:
    """The JupyterChart of ``figs`` (offline) whose click opens the figure in ``view``
    (a ``kit.review.view.ReviewView``)."""
    alt.JupyterChart.enable_offline()  # Vega's JavaScript bundled locally, no CDN
    chart = alt.JupyterChart(review_spec(figs), embed_options={"renderer": "svg",
                                                              "actions": False})

    def picked(change) -> None:
        chosen = [v.get("figure_id") for v in (change["new"].value or []) if isinstance(v, dict)]
        if chosen and chosen[0]:
            view.open(chosen[0])

    chart.selections.observe(picked, [PICK])
    chart.add_class("kit-review-chart")
    return chart
