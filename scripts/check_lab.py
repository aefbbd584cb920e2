"""Check (not a test) that notebooks/explore.ipynb works in an offline JupyterLab.

Starts JupyterLab on a temporary copy of notebooks/ and seeds/, opens
explore.ipynb in headless Chromium with every non-local request blocked, runs
all cells, checks that the chart draws inside the widgets, selects the status
"planned" and checks that the chart and the count update.  Screenshots go to
/tmp/lab.png and /tmp/lab_filtered.png.  Exit 0 when all holds.

Usage: .venv/bin/python scripts/check_lab.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.lab: JupyterLab and the offline page, shared with the tests


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.lab import CHROMIUM_ARGS, lab_server, open_and_run

    work = Path(tempfile.mkdtemp(prefix="kit-lab-"))
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    ok = False
    try:
        with lab_server(work) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            external, errors = [], []
            page = open_and_run(browser, base, "notebooks/explore.ipynb", external, errors)
            try:
                page.wait_for_selector(".widget-html-content svg", timeout=120000)
            finally:
                page.screenshot(path="/tmp/lab.png")
            marks = page.locator(".widget-html-content svg .mark-symbol path").count()
            page.screenshot(path="/tmp/lab.png")
            status = page.locator(".widget-select-multiple select").nth(1)
            status.select_option(label="planned")
            time.sleep(4)
            count = page.locator(".widget-html-content", has_text="figures").first.inner_text()
            page.locator(".widget-html-content svg").first.scroll_into_view_if_needed()
            page.screenshot(path="/tmp/lab_filtered.png")
            browser.close()
        print(f"chart marks: {marks}; after status=planned: {count!r}")
        print(f"external requests: {external}; console errors: {errors}")
        ok = marks > 0 and " of " in count and not external
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
