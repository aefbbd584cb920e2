"""The review loop as an analyst does it: JupyterLab in headless Chromium, offline.

JupyterLab serves a copy of notebooks/explore.ipynb pointed at a small corpus; the test
runs all cells, hovers and clicks the offline chart, then, in the review view, corrects
the claimant of the first figure, rejects the second with the r key (the keys box has
the focus after each decision) and adds a figure the kit missed.  corrections.csv then
holds the three decisions, and ``kit report`` shows the corrected and added figures
marked as reviewed and the rejected one gone.  Every request not to the local
JupyterLab is blocked and must not happen.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kit.review import read
from tests.conftest import render
from tests.lab import CHROMIUM_ARGS, lab_server, open_and_run
from tests.test_report_in_browser import _chromium, _unavailable

REPO = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Mountain pass closed\n\n"
    "October 9, 2024\n\n"
    "The regional governor said 1,800 residents had been evacuated from the pass. "
    "Rescuers said about 25 climbers were injured near the summit. "
    "Officials said it may rain, and a guide said twelve fishermen were missing.\n"
)


@pytest.fixture()
def lab(tmp_path):
    """JupyterLab on a work folder holding the explore notebook pointed at a corpus:
    (base URL, corpus folder)."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    if _chromium() is None:
        _unavailable("no system Chromium (/usr/bin/chromium); install it with `make browser`")
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "pass.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    nb = json.loads((REPO / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]).replace('corpus: str = ""',
                                                     f"corpus: str = {str(corpus)!r}", 1)
            cell["source"] = source
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    (tmp_path / "notebooks" / "explore.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    with lab_server(tmp_path) as base:
        yield base, corpus


def _field(page, label: str):
    """The input of the review view's text field named ``label``."""
    return page.locator(f".kit-review .widget-text:has(label:text-is('{label}')) input")


def _dropdown(page, label: str):
    return page.locator(f".kit-review .widget-dropdown:has(label:text-is('{label}')) select")


def _hover(page, mark) -> str:
    """The chart's tooltip over ``mark``."""
    page.mouse.move(1, 1)  # off the chart first: the tooltip follows a new mouseover
    mark.hover(force=True)
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=10000)
    return tip.inner_text()


def _wait_shown(page, surface: str) -> None:
    page.wait_for_function("() => document.querySelector('.kit-review mark').innerText === "
                           + json.dumps(surface), timeout=30000)


def _shown(page) -> str:
    return page.locator(".kit-review mark").first.inner_text()


@pytest.mark.slow
def test_review_view_in_jupyterlab_writes_decisions_that_kit_report_shows(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    base, corpus = lab
    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = open_and_run(browser, base, "notebooks/explore.ipynb", external)
            page.wait_for_selector(".kit-review mark", timeout=180000)
            page.locator(".kit-review").scroll_into_view_if_needed()

            page.screenshot(path=str(tmp_path / "review-first.png"))
            # the chart draws offline; hover says claimant, value, sentence; a click opens
            initial = _shown(page)
            other = "about 25" if initial == "1,800" else "1,800"
            marks = page.locator(".kit-review-chart svg g.mark-symbol.role-mark path")
            marks.first.wait_for(timeout=60000)
            tips = [_hover(page, marks.nth(i)) for i in range(marks.count())]
            target = next(i for i, t in enumerate(tips) if other in t)
            injured = next(t for t in tips if "about 25" in t)
            assert "Rescuers" in injured and "climbers were injured near the summit" in injured
            marks.nth(target).click()
            _wait_shown(page, other)
            page.screenshot(path=str(tmp_path / "review-chart.png"))
            marks.nth(next(i for i, t in enumerate(tips) if initial in t)).click()
            _wait_shown(page, initial)
            first = _shown(page)  # 1: correct the claimant
            _field(page, "claimant").fill("General Staff")
            _field(page, "claimant").press("Tab")
            page.locator(".kit-review button", has_text="accept (a)").click()
            page.wait_for_function(f"() => document.querySelector('.kit-review mark')"
                                   f".innerText !== {json.dumps(first)}", timeout=30000)
            second = _shown(page)  # 2: reject, from the keyboard, in the keys box (the view
            # gives it the focus back after each decision, but that arrives from the kernel
            # a moment later: focus it here so that the key cannot land elsewhere)
            _field(page, "keys").focus()
            page.keyboard.press("r")
            page.locator(".kit-review", has_text="rejected").wait_for(timeout=30000)

            sentence = _dropdown(page, "sentence")  # 3: add the missed figure
            options = [o.replace("\xa0", " ") for o in  # ipywidgets shows spaces as nbsp
                       sentence.evaluate("s => [...s.options].map(o => o.text)")]
            sentence.select_option(index=next(i for i, o in enumerate(options)
                                              if "twelve fishermen" in o))
            _field(page, "words").fill("twelve")
            _field(page, "low").fill("12")
            _field(page, "high").fill("12")
            _dropdown(page, "qualifier").select_option("exact")
            _field(page, "counted").fill("fishermen")
            _dropdown(page, "status").select_option("casualties")
            _dropdown(page, "measure").select_option("missing")
            _field(page, "claimant").fill("a guide")
            _field(page, "claimant").press("Tab")
            page.locator(".kit-review button", has_text="add missed figure").click()
            page.locator(".kit-review", has_text="added “twelve”").wait_for(timeout=30000)
            page.screenshot(path=str(tmp_path / "review.png"))
        finally:
            browser.close()
    assert not external, external

    rows = read(corpus / "corrections.csv")
    assert [r.action for r in rows] == ["change", "reject", "add"]
    assert rows[0].surface == first and rows[0].values["claimant"] == "General Staff"
    assert rows[1].surface == second
    assert (rows[2].surface, rows[2].values["low"], rows[2].values["claimant"]) == \
        ("twelve", 12, "a guide")

    out = tmp_path / "reports"
    assert render(corpus, out, "--param", "kinds=[]") == 0
    page_html = (out / "estimates.html").read_text(encoding="utf-8")
    cited = page_html.split('<ol class="kit-citations">', 1)[1].split("</ol>", 1)[0]
    items = {item.split("</li>")[0] for item in cited.split("<li ")[1:]}
    corrected = next(i for i in items if f"<mark>{first}</mark>" in i)
    assert "reviewed: corrected" in corrected and "General Staff" in corrected
    added = next(i for i in items if "<mark>twelve</mark>" in i)
    assert "reviewed: added" in added and "a guide" in added
    assert not any(f"<mark>{second}</mark>" in i for i in items)
    shutil.rmtree(out)
