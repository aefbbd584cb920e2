"""The explore app (kit.present.explore): its filters update the chart, the table
and the sentence viewer together."""

from __future__ import annotations

from handmade import figures_frame

from kit.present import explore


def test_explore_app_filters_update_chart_table_and_sentence():
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


def test_explore_app_filters_by_outlet_claimant_and_value():
    app = explore.App(figures_frame())
    app.outlet.value = ("AFP",)
    assert "1 of 9" in app.count.value and "AFP" in app.table.value
    app.outlet.value = ()
    app.claimant.value = ("Zelensky",)
    assert "1 of 9" in app.count.value
    app.claimant.value = ()
    app.value.value = (11000, app.value.max)
    assert "4 of 9" in app.count.value
    app.value.value = (app.value.min, app.value.max)
    app.noun.value = ("containers",)
    assert "1 of 9" in app.count.value and "more than 13,000" in app.table.value


def test_explore_app_filters_by_measure():
    figs = figures_frame()
    app = explore.App(figs)
    planned = int((figs["measure"] == "planned forces").sum())
    assert "planned forces" in app.measure.options
    app.measure.value = ("planned forces",)
    assert f"{planned} of 9" in app.count.value and 0 < planned < 9
    assert "planned forces" in app.table.value


def test_explore_app_sorts_the_doubtful_first_and_says_why():
    figs = figures_frame()
    figs.loc[figs.index[3], ["confidence", "confidence_reasons"]] = \
        ["low", "claimant: named in another sentence of the paragraph; what: 'x' inferred"]
    figs.loc[figs.index[5], ["confidence", "confidence_reasons"]] = \
        ["medium", "status: planned from a cue 80 characters away"]
    app = explore.App(figs)
    first = [v for _, v in app.pick.options][:2]
    app.order.value = "confidence"
    ranked = [v for _, v in app.pick.options]
    low, medium = (int(app.figs.loc[app.figs["confidence"] == c, "n"].iloc[0])
                   for c in ("low", "medium"))
    assert ranked[:2] == [low, medium] and ranked != first  # low, medium, then the rest
    assert "low confidence: claimant: named in another sentence" in app.sentence.value
    app.confidence.value = ("medium",)
    assert "1 of 9" in app.count.value and "80 characters away" in app.sentence.value
