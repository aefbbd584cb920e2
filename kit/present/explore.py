"""Interactive filters for JupyterLab (notebooks/explore.ipynb).

``App(figs)`` builds ipywidgets to filter the figures by outlet, status, measure,
claimant, counted noun, confidence, value range and a text search, and to sort
the table by citation number or by confidence (the doubtful first, for review);
the chart, the table and the sentence viewer (with the reasons for any doubt)
update together.  Citation numbers are fixed once for
the whole frame, so "[7]" means the same figure whatever the filters.

The chart is drawn as SVG by vl-convert into an HTML widget: it needs no
JavaScript from the network, so it draws in an offline JupyterLab (and, unlike an
Output widget, it behaves the same under nbval, which has no widget frontend).  All logic
is here (testable without a browser); the notebook only calls ``App(figs).show()``.
"""

from __future__ import annotations

import ipywidgets as W
import pandas as pd
from IPython.display import display

from kit.claims.values import value_labels
from kit.present import charts
from kit.present.citations import citations_html
from kit.present.html import esc, table_html
from kit.present.tables import numbered, select
from kit.schema import UNKNOWN_OUTLET

TABLE_COLUMNS = ["n", "outlet", "claimant", "measure", "status", "value", "what", "published",
                 "confidence"]
#: The orders the table can be sorted in (label, key); "confidence": the doubtful first.
ORDERS = (("citation number", "n"), ("confidence, lowest first", "confidence"))
_RANK = {"low": 0, "medium": 1, "high": 2}


class App:
    """Filter widgets plus the views they drive (chart, table, sentence viewer)."""

    def __init__(self, figs: pd.DataFrame, scale: str = "auto"):
        self.figs = numbered(figs)
        self.scale = scale

        def options(col):
            return sorted({str(v) for v in self.figs[col].dropna()}, key=str.lower)

        self.outlet = W.SelectMultiple(options=options("outlet"), description="outlet", rows=5)
        self.status = W.SelectMultiple(options=options("status"), description="status", rows=5)
        self.measure = W.SelectMultiple(options=options("measure"), description="measure",
                                        rows=5)
        self.claimant = W.SelectMultiple(options=options("claimant"), description="claimant",
                                         rows=5)
        self.noun = W.SelectMultiple(options=options("what"), description="counted", rows=5)
        self.confidence = W.SelectMultiple(
            options=sorted(set(self.figs["confidence"].dropna()), key=_RANK.get),
            description="confidence", rows=3)
        self.order = W.Dropdown(options=list(ORDERS), value="n", description="sort")
        values = pd.concat([self.figs["low"], self.figs["high"]]).dropna()
        top = int(values.max()) if len(values) else 1
        self.value = W.IntRangeSlider(value=(0, top), min=0, max=top, description="value",
                                      continuous_update=False,
                                      layout=W.Layout(width="420px"))
        self.search = W.Text(description="search", placeholder="words in the sentence",
                             continuous_update=False)
        self.chart = W.HTML()
        self.table = W.HTML()
        self.pick = W.Dropdown(description="sentence")
        self.sentence = W.HTML()
        self.count = W.HTML()
        for w in (self.outlet, self.status, self.measure, self.claimant, self.noun,
                  self.confidence, self.order, self.value, self.search):
            w.observe(lambda _change: self.update(), names="value")
        self.pick.observe(lambda _change: self.show_sentence(), names="value")
        filters = W.VBox([W.HBox([self.outlet, self.status, self.measure, self.claimant,
                                  self.noun]),
                          W.HBox([self.value, self.search, self.confidence, self.order]),
                          self.count])
        self.widget = W.VBox([filters, self.chart, W.HBox([self.pick]), self.sentence,
                              self.table])
        self.update()

    def selection(self) -> pd.DataFrame:
        """The figures passing the current filters (numbers unchanged)."""
        lo, hi = self.value.value
        full = (lo, hi) == (self.value.min, self.value.max)
        sel = select(
            self.figs, statuses=self.status.value, measures=self.measure.value,
            outlets=self.outlet.value,
            claimants=self.claimant.value, text=self.search.value.strip() or None,
            min_value=None if full else lo, max_value=None if full else hi,
        )
        if self.noun.value:
            sel = sel[sel["what"].isin(list(self.noun.value))]
        if self.confidence.value:
            sel = sel[sel["confidence"].isin(list(self.confidence.value))]
        if self.order.value == "confidence":
            sel = sel.assign(_rank=sel["confidence"].map(_RANK)).sort_values(
                ["_rank", "n"], kind="stable").drop(columns="_rank")
        return sel

    def update(self) -> None:
        """Redraw chart, table and sentence choices from the filters."""
        sel = self.selection()
        self.count.value = esc(f"{len(sel)} of {len(self.figs)} figures")
        self.chart.value = charts.to_svg(charts.estimates_by_source(sel, scale=self.scale))
        table = sel.assign(value=value_labels(sel))[TABLE_COLUMNS]
        self.table.value = table_html(table, empty="No figure matches the filters.")
        labels = [(f"[{n}] {o}: {v}", int(n)) for n, o, v in
                  zip(table["n"], table["outlet"].fillna(UNKNOWN_OUTLET),
                      table["value"])]
        self.pick.options = labels
        self.pick.value = labels[0][1] if labels else None
        self.show_sentence()

    def show_sentence(self) -> None:
        """Show the chosen figure's citation (sentence with its words highlighted)."""
        n = self.pick.value
        chosen = self.figs[self.figs["n"] == n] if n is not None else self.figs.iloc[:0]
        if not len(chosen):
            self.sentence.value = ""
            return
        reasons = chosen["confidence_reasons"].iloc[0]
        doubt = (f'<p class="kit-doubt">{esc(chosen["confidence"].iloc[0])} confidence: '
                 f'{esc(reasons)}</p>') if isinstance(reasons, str) else ""
        self.sentence.value = citations_html(chosen) + doubt

    def show(self) -> None:
        """Display the app (only the widget view: no text fallback to compare in nbval)."""
        display(self.widget, include=["application/vnd.jupyter.widget-view+json"])
