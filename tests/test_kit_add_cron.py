"""The README's cron recipe, run as cron would (a shell, the installed console script):
``kit add FEED --to CORPUS --quiet || [ $? -eq 3 ] && kit report ... --if-changed``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from local_site import Route, Site
from test_kit_add import FERRY, MARKET, rss

KIT = Path(sys.executable).parent / "kit"


def recipe(feed: str, corpus: Path, out: Path) -> subprocess.CompletedProcess:
    line = (f"'{KIT}' add '{feed}' --to '{corpus}' --delay 0 --backoff 0 --retries 0 --quiet "
            f"|| [ $? -eq 3 ] && '{KIT}' report --corpus '{corpus}' --out '{out}' --if-changed")
    return subprocess.run(["sh", "-c", line], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_the_cron_recipe_reports_new_articles_once_and_skips_an_unchanged_corpus(tmp_path):
    if not KIT.exists():
        pytest.skip("kit console script not installed in this environment")
    corpus, out = tmp_path / "corpus", tmp_path / "reports"
    routes = {"/a": Route(FERRY), "/b": Route(MARKET), "/gone": Route(status=404)}
    with Site(routes) as site:
        routes["/feed"] = Route(rss(site, "/a", "/gone"),
                                headers={"Content-Type": "application/rss+xml"})
        first = recipe(site.url("/feed"), corpus, out)
        assert first.returncode == 0, first.stderr
        assert f"kit add: failed: {site.url('/gone')}: HTTP 404" in first.stderr
        assert "kit report: wrote" in first.stdout and (out / "estimates.html").exists()

        second = recipe(site.url("/feed"), corpus, out)  # nothing new: no report rendered
        assert second.returncode == 0, second.stderr
        assert "unchanged since the run of" in second.stdout

        routes["/feed"] = Route(rss(site, "/a", "/b"),
                                headers={"Content-Type": "application/rss+xml"})
        third = recipe(site.url("/feed"), corpus, out)
        assert third.returncode == 0 and "kit report: wrote" in third.stdout, third.stderr
    assert len(list(corpus.glob("*.txt"))) == 2
