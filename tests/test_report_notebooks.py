"""Any notebook can be a report: ``kit report --notebook PATH`` (a notebook, or every
notebook of a folder) with the same parameter checks, ``--describe`` lists each report
notebook's parameters, a relative ``--corpus`` is read from where the command runs, and
the shipped notebooks run under plain papermill from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, make_corpus, render
from nbformat.v4 import new_code_cell, new_notebook

from kit import cli
from kit.report import run

GOOD = ("Harbour strike\n\nAbout 4,000 dock workers walked out on Monday, the union said.\n")


def team_notebook(path: Path, extra: str = "") -> Path:
    """A team's own report notebook: a parameters cell, then a cell using the kit."""
    params = new_code_cell('corpus: str = ""  # articles\nheading: str = "Team view"  # title\n'
                           + extra)
    params.metadata["tags"] = ["parameters"]
    body = new_code_cell("import kit\nfigs = kit.figures(kit.load_corpus(corpus))\n"
                         "print(heading, len(figs), sorted(figs['claimant']))")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[params, body]), path)
    return path


def test_describe_lists_the_shipped_reports_parameters(capsys):
    assert cli.main(["report", "--describe"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("estimates (")
    for name in ("corpus", "lexicon", "kinds", "nouns", "statuses", "tolerance", "scale",
                 "title"):
        assert f"  {name}: " in out
    assert "[set with --corpus]" in out


def test_describe_lists_a_team_notebooks_parameters(tmp_path, capsys):
    nb = team_notebook(tmp_path / "team" / "weekly.ipynb")
    assert cli.main(["report", "--describe", "--notebook", str(nb.parent)]) == 0
    out = capsys.readouterr().out
    assert "weekly (" in out and "  heading: str = 'Team view'  # title" in out


@pytest.mark.slow
def test_a_team_notebook_becomes_a_report_with_checked_parameters(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", {"a.txt": GOOD})
    nb = team_notebook(tmp_path / "team" / "weekly.ipynb")
    out = tmp_path / "out"
    assert render(corpus, out, "--notebook", str(nb), "--param", "heading=Dock strike") == 0
    page = (out / "weekly.html").read_text(encoding="utf-8")
    assert "Dock strike 1" in page  # the parameter reached the notebook
    record = json.loads((out / "runs.jsonl").read_text().splitlines()[-1])
    assert record["reports"][0]["name"] == "weekly"
    assert 'href="weekly.html"' in (out / "index.html").read_text()
    # the same checks as the kit's report: an unknown name or a wrong type exits 2
    assert render(corpus, out, "--notebook", str(nb), "--param", "colour=red") == 2
    assert "unknown parameter 'colour' for notebook weekly" in capsys.readouterr().err
    assert render(corpus, out, "--notebook", str(nb), "--param", "nouns=troops") == 2


def test_a_folder_of_notebooks_with_a_bad_one_or_none_is_a_usage_error(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", {"a.txt": GOOD})
    empty = tmp_path / "empty"
    empty.mkdir()
    assert render(corpus, tmp_path / "out", "--notebook", str(empty)) == 2
    assert "no .ipynb notebook" in capsys.readouterr().err
    bad = team_notebook(tmp_path / "bad" / "b.ipynb", extra="import os\n")
    assert render(corpus, tmp_path / "out", "--notebook", str(bad)) == 2
    assert "only 'name: type = literal" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_notebook_folder_lists_its_notebooks_by_name_not_checkpoints(tmp_path):
    team_notebook(tmp_path / "t" / "a.ipynb")
    team_notebook(tmp_path / "t" / "b.ipynb")
    team_notebook(tmp_path / "t" / ".ipynb_checkpoints" / "a-checkpoint.ipynb")
    (tmp_path / "t" / "a.failed.ipynb").write_text("{}")
    assert list(run.report_notebooks([tmp_path / "t"])) == ["a", "b"]


@pytest.mark.slow
def test_a_relative_corpus_is_read_from_where_the_command_runs(tmp_path):
    kit_bin = Path(sys.executable).parent / "kit"
    if not kit_bin.exists():
        pytest.skip("kit console script not installed in this environment")
    make_corpus(tmp_path / "articles", {"a.txt": GOOD})
    proc = subprocess.run([str(kit_bin), "report", "--corpus", "articles", "--out", "out",
                           "--quiet"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "4,000" in (tmp_path / "out" / "estimates.html").read_text(encoding="utf-8")
    assert "corpus articles" in (tmp_path / "out" / "estimates.html").read_text()


@pytest.mark.slow
def test_the_report_notebook_runs_under_plain_papermill_from_the_repository_root(tmp_path):
    out = tmp_path / "run.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", "notebooks/estimates.ipynb",
                           str(out), "--no-progress-bar"], cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "KIT_LEXICON": ""})
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                    for o in c.get("outputs", []))
    assert "5 articles from 5 outlets" in shown


def test_hidden_files_and_backups_in_the_corpus_do_not_change_the_run_hash(tmp_path):
    corpus = make_corpus(tmp_path / "c", {"a.txt": GOOD})
    params = {"estimates": {"title": "t"}}
    before = run.run_hash(corpus, params)
    (corpus / "a.txt~").write_text("editor backup")
    (corpus / ".DS_Store").write_text("x")
    (corpus / "notes.pdf").write_text("not an article")
    assert run.run_hash(corpus, params) == before
    (corpus / "sub").mkdir()
    (corpus / "sub" / "b.txt").write_text(GOOD)  # subfolders are read: a new article
    assert run.run_hash(corpus, params) != before


def test_describe_shows_a_story_folders_report_defaults(capsys):
    assert cli.main(["report", "--describe", "--lexicon", "troops"]) == 0
    out = capsys.readouterr().out
    assert "title: str = 'Estimates by source' (report.yaml: 'Estimates by source')" in out
    assert "(report.yaml: ['troops', 'soldiers'," in out
