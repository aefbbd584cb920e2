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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kit-lab-"))
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    shutil.copytree(ROOT / "seeds", work / "seeds")
    port = free_port()
    lab = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--allow-root", "--no-browser",
         f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={work}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    ok = False
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/lab", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            external, errors = [], []

            def route(r):
                if r.request.url.startswith((base, "data:", "blob:")):
                    r.continue_()
                else:
                    external.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/lab/tree/notebooks/explore.ipynb")
            page.wait_for_selector(".jp-Notebook", timeout=60000)
            for _ in range(20):  # a kernel dialog may pop up; then wait for an idle kernel
                accept = page.locator("button.jp-mod-accept:has-text('Select')")
                if accept.count():
                    accept.first.click()
                if page.locator(".jp-StatusBar-TextItem", has_text="Idle").count():
                    break
                time.sleep(1)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
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
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
