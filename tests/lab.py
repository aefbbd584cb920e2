"""JupyterLab in headless Chromium, offline: shared by the browser tests and
scripts/check_lab.py.

``lab_server(root)`` runs JupyterLab (no token) on a free local port serving ``root``;
``open_and_run(browser, base, notebook)`` opens a notebook in a page that blocks and
records every request not to that JupyterLab, waits for an idle kernel and runs all
cells.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def lab_server(root: Path):
    """JupyterLab serving ``root``; yields its base URL, stops it after."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--allow-root", "--no-browser",
         f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/lab", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def open_and_run(browser, base: str, notebook: str, external: list[str],
                 errors: list[str] | None = None):
    """A page with ``notebook`` (a path under the served root) open and all its cells
    started; requests not to ``base`` are aborted and appended to ``external``, console
    errors to ``errors``."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})

    def route(r):
        if r.request.url.startswith((base, "data:", "blob:")):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/lab/tree/{notebook}")
    page.wait_for_selector(".jp-Notebook", timeout=90000)
    for _ in range(30):  # a kernel dialog may pop up; then wait for an idle kernel
        accept = page.locator("button.jp-mod-accept:has-text('Select')")
        if accept.count():
            accept.first.click()
        if page.locator(".jp-StatusBar-TextItem", has_text="Idle").count():
            break
        time.sleep(1)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    return page
