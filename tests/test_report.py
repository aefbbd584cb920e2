"""``kit report``: files, index, run log, parameter checks, atomicity, lock,
--if-changed, zero figures, escaping of untrusted text, and nbval biting."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import EMPTY_TEXT, REPO, SANITIZE, SEEDS, make_corpus, render
from filelock import FileLock

from kit import report


def runs(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]


def assert_offline(page: str) -> None:
    """No script, no remote resource: nothing in the page can reach the network."""
    assert "<script" not in page.lower()
    assert not re.search(r"""<(link|iframe|object|embed|audio|video|source|base)\b""", page, re.IGNORECASE)
    for img in re.findall(r"<img\b[^>]*>", page, re.IGNORECASE):  # charts: SVG as data: URI only
        assert re.search(r'\ssrc="data:image/svg\+xml;base64,', img), img[:200]
    assert not re.search(r"""(src|srcset|poster|data)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page, re.IGNORECASE)
    assert "Content-Security-Policy" in page


class _Audit(HTMLParser):
    """Collects every active element or attribute an attacker could use."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "form", "link", "meta") and \
                not (tag == "meta" and dict(attrs).get("http-equiv") in
                     ("Content-Security-Policy",)) and \
                not (tag == "meta" and set(dict(attrs)) & {"charset", "name"}):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                ok = value.startswith(("https://", "http://", "#", "data:image/svg+xml;base64,",
                                       "estimates.", "runs.jsonl"))
                if not ok or (tag != "a" and value.startswith("http")):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")


def markup_problems(page: str) -> list[str]:
    audit = _Audit()
    audit.feed(page)
    return audit.problems


def chart_svgs(page: str) -> list[str]:
    """The SVG charts of a report page (nbconvert embeds them as data: URIs)."""
    return [base64.b64decode(b).decode("utf-8")
            for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]


# --------------------------------------------------------------------------- seeds

def test_seeds_report_files_index_and_log(seeds_report):
    out = seeds_report
    for name in ("estimates.html", "estimates.ipynb", "index.html", "runs.jsonl"):
        assert (out / name).is_file(), name
    assert not [p for p in out.iterdir() if p.name.startswith(report.TMP_PREFIX)]
    (record,) = runs(out)
    assert record["status"] == "ok" and record["reports"][0]["name"] == "estimates"
    assert record["reports"][0]["parameters"]["corpus"].endswith("seeds")
    index = (out / "index.html").read_text()
    assert 'href="estimates.html"' in index and "nouns=" in index and record["finished"] in index
    assert_offline(index)


def test_seeds_report_content(seeds_report):
    page = (seeds_report / "estimates.html").read_text()
    assert_offline(page)
    assert markup_problems(page) == []
    svg = chart_svgs(page)
    assert len(svg) == 2 and "Estimates by source" in svg[0] and "Estimates over time" in svg[1]
    # the headline numbers, with who says them, on the chart and in the citations
    assert "NIS (South Korea): about 1,500" in svg[0] and "NIS (South Korea): 12,000" in svg[0]
    assert "10,000–12,000" in svg[0] and "Zelensky: 10,000" in svg[0]
    assert "10,000 and 12,000" in page and "1,500" in page
    assert '<li id="cite-1"' in page and "<mark>" in page
    assert "Where sources disagree" in page
    assert "def " not in page and "import kit" not in page  # code hidden
    nb = nbformat.read(seeds_report / "estimates.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


def test_if_changed_skips_when_hash_matches_last_ok(seeds_report, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    shutil.copytree(seeds_report, out)
    corpus = Path(runs(out)[0]["corpus"])
    # kit sources may be edited while the suite runs: pin the hash of this session
    real_hash = report.run_hash
    digest = real_hash(corpus, {})
    monkeypatch.setattr(report, "run_hash", lambda *_: digest)
    report.append_log(out, {**runs(out)[0], "hash": digest})
    before = (out / "estimates.html").stat().st_mtime_ns
    assert render(corpus, out, "--if-changed") == 0
    assert (out / "estimates.html").stat().st_mtime_ns == before
    assert runs(out)[-1]["status"] == "skipped"
    # the hash covers the parameters: a different title is a change
    assert real_hash(corpus, {"estimates": {"title": "a"}}) != \
        real_hash(corpus, {"estimates": {"title": "b"}})


def test_if_changed_hash_covers_corpus_bytes(tmp_path):
    corpus = make_corpus(tmp_path / "c", {"a.txt": "About 1,500 troops arrived."})
    h1 = report.run_hash(corpus, {})
    (corpus / "a.txt").write_text("About 1,600 troops arrived.")
    assert report.run_hash(corpus, {}) != h1


# --------------------------------------------------------------------------- parameters

@pytest.mark.parametrize("args,needle", [
    (["--param", "colour=red"], "unknown parameter 'colour'"),
    (["--param", "title"], "NAME=VALUE"),
    (["--param", "statuses=deployed,sunk"], "unknown status 'sunk'"),
    (["--param", "scale=cubic"], "'scale'"),
    (["--param", "nouns=[1, 2]"], "'nouns' expects list[str]"),
    (["--param", "corpus=/etc"], "--corpus"),
])
def test_bad_parameters_refused_before_anything(tmp_path, capsys, args, needle):
    out = tmp_path / "reports"
    assert render(SEEDS, out, *args) == 2
    assert needle in capsys.readouterr().err
    assert not out.exists()  # nothing written, not even the folder


@pytest.mark.parametrize("content,suffix,needle", [
    ("title: 5\n", ".yaml", "'title' expects str"),
    ("title: 2024-10-21\n", ".yaml", "'title' expects str"),  # YAML date: not a literal type
    ('{"nouns": "troops"}', ".json", "'nouns' expects list[str]"),
    ("title: !!python/object/apply:os.system ['touch PWNED']\n", ".yaml", "not valid"),
    ("- a\n- b\n", ".yaml", "mapping"),
    ("zoom: 2\n", ".yml", "unknown parameter 'zoom'"),
])
def test_bad_params_file_refused(tmp_path, capsys, content, suffix, needle):
    path = tmp_path / f"p{suffix}"
    path.write_text(content)
    out = tmp_path / "reports"
    assert render(SEEDS, out, "--params", str(path)) == 2
    assert needle in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "PWNED").exists()


def test_params_file_and_cli_types(tmp_path):
    spec = report.notebook_parameters(REPO / "notebooks" / "estimates.ipynb")
    assert {"corpus", "nouns", "statuses", "title", "scale"} <= set(spec)
    assert all(s["help"] for s in spec.values())  # every knob documented
    path = tmp_path / "p.json"
    path.write_text('{"title": "T", "nouns": ["troops"]}')
    values = report.resolve_params(spec, report.load_params_file(path),
                                   ["nouns=soldiers, troops", "statuses=[planned]"], "estimates")
    assert values["title"] == "T" and values["nouns"] == ["soldiers", "troops"]
    assert values["statuses"] == ["planned"]


@pytest.mark.parametrize("value", [
    'x"; import os; os.system("touch PWNED"); y="',
    "x\\\"; import os #", "a\\", "line\nimport os", "'''", '"""', "\\n\\x00", "é ü 中 🚀",
    "{__import__('os')}", "\r\n\t",
])
def test_string_parameters_are_injected_as_literals(value):
    report.verify_injection({"title": value, "nouns": [value, "b"]})


def test_out_never_inside_corpus_or_package(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", {"a.txt": EMPTY_TEXT})
    assert render(corpus, corpus / "reports") == 2
    assert render(corpus, REPO / "kit" / "reports") == 2
    (tmp_path / "file").write_text("x")
    assert render(corpus, tmp_path / "file") == 2
    assert not (corpus / "reports").exists() and not (REPO / "kit" / "reports").exists()
    assert (tmp_path / "file").read_text() == "x"


# --------------------------------------------------------------------------- runs

def test_failing_run_keeps_previous_report(seeds_report, tmp_path, monkeypatch, capsys):
    out = tmp_path / "reports"
    shutil.copytree(seeds_report, out)
    keep = tmp_path / "outside.txt"
    keep.write_text("mine")
    before = (out / "estimates.html").read_bytes()
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(REPO / "notebooks" / "estimates.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('boom in cell')"))
    nbformat.write(nb, notebooks / "estimates.ipynb")
    monkeypatch.setattr(report, "NOTEBOOK_DIR", notebooks)
    corpus = Path(runs(out)[0]["corpus"])
    assert render(corpus, out) == 1
    err = capsys.readouterr().err
    assert "boom in cell" in err and "estimates.failed.ipynb" in err
    assert (out / "estimates.html").read_bytes() == before
    failed = nbformat.read(out / "estimates.failed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in failed.cells if c.cell_type == "code"
               for o in c.get("outputs", []))
    assert runs(out)[-1]["status"] == "failed"
    assert not [p for p in out.iterdir() if p.name.startswith(report.TMP_PREFIX)]
    assert keep.read_text() == "mine"


def test_lock_second_run_gives_up_with_message(tmp_path, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "estimates.html").write_text("previous")
    with FileLock(str(out / report.LOCK_NAME)):
        assert render(SEEDS, out, "--wait", "0.3") == 1
    assert "another kit report is writing" in capsys.readouterr().err
    assert (out / "estimates.html").read_text() == "previous"
    assert not (out / "runs.jsonl").exists()


def test_killed_run_leaves_last_good_report(seeds_report, tmp_path):
    kit_bin = Path(sys.executable).parent / "kit"
    if not kit_bin.exists():
        pytest.skip("kit console script not installed in this environment")
    out = tmp_path / "reports"
    shutil.copytree(seeds_report, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    corpus = Path(runs(out)[0]["corpus"])
    proc = subprocess.Popen([str(kit_bin), "report", "--corpus", str(corpus), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(report.TMP_PREFIX) for p in out.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "run ended before the kill"
        time.sleep(0.05)
    proc.kill()  # mid-run: the temporary folder exists, nothing is moved yet
    proc.wait(timeout=30)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert render(corpus, out, "--wait", "5") == 0  # the lock died with the process
    assert not [p for p in out.iterdir() if p.name.startswith(report.TMP_PREFIX)]


def test_stale_temp_folders_removed_only_inside_out(tmp_path):
    out = tmp_path / "reports"
    (out / f"{report.TMP_PREFIX}old").mkdir(parents=True)
    (out / "keep.txt").write_text("x")
    sibling = tmp_path / f"{report.TMP_PREFIX}sibling"
    sibling.mkdir()
    report._remove_stale_tmp(out)
    assert not (out / f"{report.TMP_PREFIX}old").exists()
    assert (out / "keep.txt").exists() and sibling.exists()


def test_zero_figures_report_says_so(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", {"quiet.txt": EMPTY_TEXT})
    (corpus / "broken.txt").write_bytes(bytes(range(256)) * 8)  # binary: skipped, named
    out = tmp_path / "reports"
    assert render(corpus, out) == 3  # ok, but a file was skipped
    assert "broken.txt" in capsys.readouterr().err
    page = (out / "estimates.html").read_text()
    assert "No figures were found in this corpus." in page
    assert "Files skipped" in page and "broken.txt" in page
    assert "No figures to chart." in chart_svgs(page)[0] and "No figures to cite." in page
    assert "Traceback" not in page


def test_help_exits_zero(capsys):
    assert report.main(["--help"]) == 0
    assert "--if-changed" in capsys.readouterr().out


# --------------------------------------------------------------------------- hostile text

def test_hostile_text_is_escaped_everywhere(hostile_report):
    page = (hostile_report / "estimates.html").read_text()
    assert_offline(page)
    assert markup_problems(page) == []
    assert "<script" not in page and "<img src=x" not in page and "<b onmouseover" not in page
    assert "&lt;/script&gt;&lt;script&gt;" in page  # the sentence is shown, escaped
    for svg in chart_svgs(page):
        assert "<script" not in svg and "<img" not in svg and "<b " not in svg
    assert "1,500" in page and "<mark>" in page
    assert not (REPO / "notebooks" / "PWNED").exists() and not Path("PWNED").exists()
    title = runs(hostile_report)[0]["reports"][0]["parameters"]["title"]
    assert title.startswith('x"; import os;')  # the string arrived unchanged, as data
    index = (hostile_report / "index.html").read_text()
    assert markup_problems(index) == []
    assert "<script" not in index and "&lt;script&gt;" in index


# --------------------------------------------------------------------------- nbval bites

def run_nbval(folder: Path) -> subprocess.CompletedProcess:
    ini = folder / "pytest.ini"
    ini.write_text("[pytest]\n")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ini),
         "--rootdir", str(folder), "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE), str(folder / "notebooks" / "estimates.ipynb")],
        capture_output=True, text=True, timeout=300, cwd=folder, check=False,
    )


@pytest.fixture()
def nb_copy(tmp_path) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "notebooks").mkdir()
    shutil.copy(REPO / "notebooks" / "estimates.ipynb", tmp_path / "notebooks")
    return tmp_path


def test_nbval_passes_on_unchanged_copy(nb_copy):
    result = run_nbval(nb_copy)
    assert result.returncode == 0, result.stdout[-3000:]


def test_nbval_fails_when_a_figure_changes(nb_copy):
    path = next(p for p in sorted((nb_copy / "seeds").glob("*.txt"))
                if "Around 1,500" in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace("Around 1,500", "Around 1,700"),
                    encoding="utf-8")
    result = run_nbval(nb_copy)
    assert result.returncode != 0
    assert "mismatch" in result.stdout or "differ" in result.stdout


def test_nbval_fails_when_the_chart_encoding_changes(nb_copy):
    path = nb_copy / "notebooks" / "estimates.ipynb"
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if c.get("id") == "chart"]
    cell.source = ('charts.STATUS_COLOURS["planned"] = "#ff00ff"  # a changed colour encoding\n'
                   + cell.source)
    nbformat.write(nb, path)
    result = run_nbval(nb_copy)
    assert result.returncode != 0
    assert "image/svg+xml" in result.stdout


def test_report_runs_in_a_fresh_process(tmp_path):
    """The console entry point works end to end (as cron would call it)."""
    kit_bin = Path(sys.executable).parent / "kit"
    if not kit_bin.exists():
        pytest.skip("kit console script not installed in this environment")
    corpus = make_corpus(tmp_path / "c", {"quiet.txt": EMPTY_TEXT})
    result = subprocess.run([str(kit_bin), "report", "--corpus", str(corpus), "--out",
                             str(tmp_path / "r"), "--param", "colour=red"],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ})
    assert result.returncode == 2 and "unknown parameter 'colour'" in result.stderr


def test_explore_notebook_runs_headless(tmp_path):
    """explore.ipynb with widgets=False (as papermill or CI would run it) shows the
    static chart and citations instead of widgets."""
    import papermill

    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(str(REPO / "notebooks" / "explore.ipynb"), str(out),
                               parameters={"widgets": False, "corpus": str(SEEDS)},
                               kernel_name="python3", progress_bar=False,
                               cwd=str(REPO / "notebooks"))
    nb = nbformat.read(out, as_version=4)
    (app,) = [c for c in nb.cells if c.get("id") == "app"]
    kinds = [k for o in app.outputs for k in o.get("data", {})]
    assert "image/svg+xml" in kinds and "text/html" in kinds
    assert "application/vnd.jupyter.widget-view+json" not in kinds
