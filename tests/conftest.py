"""Test configuration shared by the unit, report, browser and nbval tests.

nbval is switched on here rather than in pyproject's ``addopts`` so that
``-p no:nbval`` can switch it off (the quick run: ``make quick``).  nbval
resolves ``--nbval-sanitize-with`` against the current directory, so it is set
here with an absolute path (unless given on the command line).  Notebook cells
collected by nbval are marked ``slow`` (they run a kernel).
"""

from __future__ import annotations

import os

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI the property tests draw the same examples on every run (a red build must be
# reproducible); locally they explore new ones each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

SANITIZE = Path(__file__).resolve().parent / "nbval_sanitize.cfg"


def pytest_configure(config):
    option = config.option
    if not config.pluginmanager.has_plugin("nbval") or not hasattr(option, "nbval"):
        return  # -p no:nbval
    if not (option.nbval or option.nbval_lax):
        option.nbval = True  # strict nbval on the notebooks, as `make test` promises
        option.nbval_current_env = True
    if not option.nbval_sanitize_with:
        option.nbval_sanitize_with = str(SANITIZE)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.add_marker(pytest.mark.slow)


# --------------------------------------------------------------------------- report fixtures
# Rendering a report costs seconds (a kernel run), so the reports that several
# test files inspect are made once per session.

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

HOSTILE_TEXT = """\
Evil <script>window.__pwned = 1; alert("title")</script> Gazette

By Mallory <img src=x onerror="window.__pwned=2">

October 21, 2024

The ministry said on Monday that 1,500 troops </script><script>window.__pwned=3</script> \
had arrived <img src=x onerror="window.__pwned=4"> in the region, according to officials.

About 12,000 soldiers <a href="javascript:window.__pwned=5">click</a> are expected to \
follow by December, the intelligence agency said.
"""

HOSTILE_SOURCES = (
    "file,outlet,title,byline,published,url\n"
    'evil.txt,"<b onmouseover=""window.__pwned=6"">Evil</b> Times","<script>window.__pwned=7'
    '</script>",,2024-10-21,"https://evil.example/a?q=""><script>window.__pwned=10</script>"\n'
    "evil2.txt,Other,,,2024-10-21,javascript:window.__pwned=8\n"
)

EMPTY_TEXT = "A quiet day\n\nNothing happened in the region today, officials said.\n"


def make_corpus(folder: Path, files: dict[str, str]) -> Path:
    """Write a small corpus of text files (and sources.csv) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def render(corpus: Path, out: Path, *extra: str) -> int:
    """``kit report --corpus CORPUS --out OUT ...`` in this process; returns the exit status."""
    from kit.cli import main

    return main(["report", "--corpus", str(corpus), "--out", str(out), *extra])


@pytest.fixture(scope="session")
def seeds_report(tmp_path_factory) -> Path:
    """``kit report`` on a copy of the seeds; returns the --out folder."""
    root = tmp_path_factory.mktemp("seeds-report")
    corpus = root / "seeds"
    shutil.copytree(SEEDS, corpus)
    out = root / "reports"
    assert render(corpus, out, "--lexicon", "troops") == 0  # as `make report`
    return out


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> Path:
    """A report of a corpus full of markup and script, with a hostile title."""
    root = tmp_path_factory.mktemp("hostile-report")
    corpus = make_corpus(root / "corpus", {"evil.txt": HOSTILE_TEXT, "evil2.txt": HOSTILE_TEXT,
                                           "sources.csv": HOSTILE_SOURCES})
    out = root / "reports"
    title = 'x"; import os; os.system("touch PWNED") #</title><script>window.__pwned=9</script>'
    assert render(corpus, out, "--param", f"title={title}") in (0, 3)
    return out


# --------------------------------------------------------------------------- corpora
# The seeds and the invented multi-day corpus, with numbered figures and claims.

@pytest.fixture(scope="session")
def seeds():
    import kit
    from kit.present.tables import numbered

    articles = kit.load_corpus(SEEDS)
    figs = numbered(kit.figures(articles))
    return articles, figs, kit.claims(figs)


@pytest.fixture(scope="session")
def multiday():
    import kit
    from kit.present.tables import numbered

    folder = REPO / "tests" / "data" / "multiday"
    articles = kit.load_corpus(folder)
    figs = numbered(kit.figures(articles, lexicon=kit.lexicon.load(folder / "lexicon")))
    return articles, figs, kit.claims(figs)
