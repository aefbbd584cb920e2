"""Every chart says in words what it shows: the Vega-Lite ``description``, computed from
the data, is the SVG's <title>/aria-label (``to_svg``, the ``enable_static`` renderer) and
the alternative text of the chart's image in a report page (``notebook_html``)."""

from __future__ import annotations

import html
import re

import altair as alt
import nbformat
import pytest
from chart_frames import TOLL, figures_with_measures
from html_checks import assert_offline, chart_svgs, markup_problems

from kit.present import charts
from kit.report.pages import notebook_html, svg_alt
from kit.schema import empty

SEEDS_LIKE = [
    ("The Moscow Times", "2024-10-21", None, None, "vague", "soldiers", "deployed",
     "deployed forces", "unattributed"),
    ("The Moscow Times", "2024-10-21", 1500, 1500, "approx", "special forces soldiers",
     "deployed", "deployed forces", "NIS (South Korea)"),
    ("The Moscow Times", "2024-10-21", 13000, None, "more_than", "containers", "supplied",
     "supplied items", "NIS (South Korea)"),
    ("AFP", "2024-10-21", 1500, 1500, "approx", "special forces soldiers", "deployed",
     "deployed forces", "NIS (South Korea)"),
    ("The Kyiv Independent", "2024-10-21", 10000, 12000, "range", "military personnel",
     "planned", "planned forces", "NIS (South Korea)"),
    ("The Kyiv Independent", "2024-10-21", 10000, 10000, "exact", "soldiers", "planned",
     "planned forces", "Zelensky"),
]
EVIL = '<script>alert(1)</script> & "quotes"'


@pytest.fixture()
def static_renderer():
    """enable_static() for one test, then the renderer that was active before."""
    before = alt.renderers.active
    charts.enable_static()
    yield alt.renderers.get()
    alt.renderers.enable(before)


def description(chart) -> str:
    return chart.to_dict()["description"]


def test_estimates_by_source_describes_its_figures():
    text = description(charts.estimates_by_source(figures_with_measures(SEEDS_LIKE)))
    assert text.startswith("Estimates by source: 6 figures from 3 outlets, values 1,500 to "
                           "13,000 on a linear axis; 1 gives no number.")
    assert "By claimant: NIS (South Korea) 4, unattributed 1, Zelensky 1." in text
    assert "By status: deployed 3, planned 2, supplied 1." in text
    assert ("The Kyiv Independent: 10,000–12,000 (NIS (South Korea)), 10,000 (Zelensky)"
            in text)
    assert "more than 13,000 (NIS (South Korea))" in text
    title = description(charts.estimates_by_source(figures_with_measures(SEEDS_LIKE[1:2]),
                                                   title="Troops"))
    assert title.startswith("Troops: 1 figure from 1 outlet, value 1,500 on a linear axis.")


def test_timeline_describes_lines_points_and_what_is_not_shown():
    text = description(charts.timeline(figures_with_measures(TOLL)))
    assert text.startswith("Estimates over time: 11 figures with a number, published "
                           "2030-05-01 to 2030-05-04, in 2 measures (dead, injured).")
    assert ("Health Ministry, dead: 10 on 2030-05-01, 25 on 2030-05-02, 57 on 2030-05-04"
            in text)
    assert "Health Ministry, injured: 40 on 2030-05-01, 90 on 2030-05-02" in text
    assert "3 unattributed figures are drawn as points only" in text
    assert text.endswith("Not shown: 1 without a number.")
    one_day = description(charts.timeline(figures_with_measures(SEEDS_LIKE)))
    assert "all published on 2024-10-21" in one_day
    assert "planned forces: NIS (South Korea) 10,000–12,000, Zelensky 10,000" in one_day


@pytest.mark.parametrize("chart", [charts.estimates_by_source, charts.timeline])
def test_empty_charts_are_described(chart):
    text = description(chart(empty("figures")))
    assert text.startswith("Estimates ") and ("no figures" in text or "no dated" in text)


def test_to_svg_names_the_chart_escaped():
    rows = [("Wire", "2030-05-01", 10, 10, "exact", "people", "casualties", "dead", EVIL),
            ("Wire", "2030-05-02", 12, 12, "exact", "people", "casualties", "dead", EVIL)]
    for chart in (charts.estimates_by_source, charts.timeline):
        c = chart(figures_with_measures(rows))
        svg = charts.to_svg(c)
        root = re.match(r"<svg\b[^>]*>", svg).group(0)
        label = html.escape(description(c), quote=True)
        assert f'role="img" aria-label="{label}"' in root
        assert svg[len(root):].startswith(f"<title>{label}</title>")
        assert "<script" not in svg
    assert charts.titled_svg("<svg></svg>", None) == "<svg></svg>"


def test_the_static_renderer_gives_the_description_as_alt_text(static_renderer):
    chart = charts.estimates_by_source(figures_with_measures(SEEDS_LIKE))
    data, metadata = static_renderer(chart.to_dict())
    assert metadata == {"image/svg+xml": {"alt": description(chart)}}
    assert "<title>Estimates by source: 6 figures" in data["image/svg+xml"]
    # IPython records it with the output, as the executed report notebook does
    from IPython.core.interactiveshell import InteractiveShell

    shown, meta = InteractiveShell.instance().display_formatter.format(chart)
    assert meta["image/svg+xml"]["alt"] == description(chart)
    assert shown["image/svg+xml"] == data["image/svg+xml"]


def _chart_notebook(*bundles) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    for data, metadata in bundles:
        cell = nbformat.v4.new_code_cell("charts.timeline(figs)")
        cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
        nb.cells.append(cell)
    return nb


def test_the_report_page_gives_every_chart_its_description(static_renderer):
    rows = SEEDS_LIKE + [("Evil", "2024-10-22", 7, 7, "exact", "people", "other", "crowd",
                          EVIL)]
    figs = figures_with_measures(rows)
    made = [charts.estimates_by_source(figs), charts.timeline(figs)]
    bundles = [static_renderer(c.to_dict()) for c in made]
    # an SVG displayed without the renderer (charts.to_svg) is named by its <title>
    svg_only = ({"image/svg+xml": charts.to_svg(charts.timeline(figs.iloc[:3]))}, {})
    nb = _chart_notebook(*bundles, svg_only)
    before = nbformat.writes(nb)
    page = notebook_html(nb, "Report", "footer")
    assert nbformat.writes(nb) == before  # the notebook is not changed
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert len(imgs) == 3 and len(chart_svgs(page)) == 3
    expected = [description(c) for c in made] + [description(charts.timeline(figs.iloc[:3]))]
    for img, text in zip(imgs, expected):
        (alt_text,) = re.findall(r"""\balt=("[^"]*"|'[^']*')""", img)
        assert html.unescape(alt_text[1:-1]) == text
    assert "No description has been provided" not in page
    assert EVIL not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert markup_problems(page) == []
    assert_offline(page)


def test_svg_alt_reads_metadata_then_the_svg_title():
    named = {"data": {"image/svg+xml": "<svg><title>A &amp; B</title></svg>"}, "metadata": {}}
    assert svg_alt(named) == "A & B"
    assert svg_alt({**named, "metadata": {"image/svg+xml": {"alt": "meta"}}}) == "meta"
    assert svg_alt({"data": {"image/svg+xml": "<svg><g/></svg>"}}) is None
