"""The notebooks: nbval bites (a changed figure or chart encoding fails strict
nbval; an unchanged copy passes) and explore.ipynb runs headless under papermill.

(nbval compares recorded outputs: until the notebooks are re-recorded after a
kit change, the "passes" test fails on chart SVG bytes.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, SANITIZE, SEEDS


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
    """A copy of the report notebook whose corpus parameter is a copy of the seeds."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.read(REPO / "notebooks" / "estimates.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    cell.source = cell.source.replace('corpus: str = ""', 'corpus: str = "../seeds"')
    nbformat.write(nb, tmp_path / "notebooks" / "estimates.ipynb")
    return tmp_path


@pytest.mark.slow
def test_nbval_passes_on_unchanged_copy(nb_copy):
    result = run_nbval(nb_copy)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
def test_nbval_fails_when_a_figure_changes(nb_copy):
    path = next(p for p in sorted((nb_copy / "seeds").glob("*.txt"))
                if "Around 1,500" in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace("Around 1,500", "Around 1,700"),
                    encoding="utf-8")
    result = run_nbval(nb_copy)
    assert result.returncode != 0
    assert "mismatch" in result.stdout or "differ" in result.stdout


@pytest.mark.slow
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


@pytest.mark.slow
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
    (review,) = [c for c in nb.cells if c.get("id") == "review"]  # the figure to review first
    shown = "".join(o.get("data", {}).get("text/html", "") for o in review.outputs)
    assert "<mark>" in shown and "confidence" in shown


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb")))
def test_every_code_cell_of_a_notebook_has_a_recorded_run(name):
    """Strict nbval only compares outputs that were recorded: a new cell never run would
    pass unchecked.  Re-record with `make notebooks` (see the README)."""
    nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
    unrun = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None]
    assert not unrun, (f"notebooks/{name}: code cell(s) {unrun} have no recorded run; "
                       "run `make notebooks`, review `git diff notebooks/`, commit")
    stamped = [i for i, c in enumerate(nb.cells) if "execution" in c.metadata]
    assert not stamped and "widgets" not in nb.metadata, (
        f"notebooks/{name}: run times or widget state recorded (cells {stamped}); "
        "record with `make notebooks`, which strips them")
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), (
        f"notebooks/{name}: cells were run out of order or by hand ({counts}); "
        "run `make notebooks` to record one clean run")
