"""Signals a scheduler can trust: one exit status per outcome (0, 1, 2, 3, as the README
and --help say), every outcome a row of runs.jsonl and of index.html, --quiet silent on
success, an unchanged run repeating the last status, a fixed failure clearing its
artefacts, files kit did not write left alone, kernel connection files kept in the run's
own temporary folder, and a bare cron environment."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_corpus, render
from helpers import until
from test_report_runs import failing_notebooks

from kit import cli
from kit.output.atomic import TMP_PREFIX
from kit.report import run
from kit.report.pages import page

KIT_BIN = Path(sys.executable).parent / "kit"
GOOD = ("Valley floods\n\nAbout 1,500 volunteers cleared the river bank on Sunday, "
        "the council said.\n")


def runs(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus(tmp_path / "c", {"a.txt": GOOD})


# --------------------------------------------------------------------------- exit codes

def test_exit_2_bad_usage_writes_and_logs_nothing(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert render(corpus, out, "--param", "colour=red") == 2
    assert "unknown parameter 'colour'" in capsys.readouterr().err
    assert not out.exists()


def test_exit_1_missing_corpus_is_logged_and_indexed(tmp_path, capsys):
    out = tmp_path / "out"
    assert render(tmp_path / "nowhere", out) == 1
    assert "nowhere: no such file or folder" in capsys.readouterr().err
    (rec,) = runs(out)
    assert rec["status"] == "failed" and rec["exit"] == 1
    assert "no such file or folder" in (out / "index.html").read_text()


def test_exit_1_empty_corpus_is_logged(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    assert render(empty, out) == 1
    assert "no .txt, .md or .html files" in capsys.readouterr().err
    assert runs(out)[0]["exit"] == 1


@pytest.mark.slow
def test_exit_0_and_quiet_prints_nothing_then_unchanged_runs_repeat_the_status(
        corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert render(corpus, out, "--quiet", "--if-changed") == 0
    assert capsys.readouterr() == ("", "")
    assert render(corpus, out, "--quiet", "--if-changed") == 0  # unchanged: skipped, still 0
    assert capsys.readouterr() == ("", "")
    assert [(r["status"], r["exit"]) for r in runs(out)] == [("ok", 0), ("skipped", 0)]
    index = (out / "index.html").read_text()
    assert index.count("<td>skipped</td>") == 1  # the skipped run is on the index too
    # a skipped file: exit 3, and an unchanged run says 3 again while the file is there
    (corpus / "broken.txt").write_bytes(b"")
    assert render(corpus, out, "--quiet", "--if-changed") == 3
    assert "broken.txt" in capsys.readouterr().err
    assert render(corpus, out, "--quiet", "--if-changed") == 3
    err = capsys.readouterr().err
    assert "broken.txt" in err  # named again, on stderr: cron mails it
    assert [(r["status"], r["exit"]) for r in runs(out)][-2:] == [("ok", 3), ("skipped", 3)]
    (corpus / "broken.txt").unlink()
    assert render(corpus, out, "--quiet", "--if-changed") == 0  # fixed: a new run, 0


# --------------------------------------------------------------------------- artefacts

@pytest.mark.slow
def test_a_fixed_failure_clears_its_failed_notebook_and_is_marked_fixed(
        corpus, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    good_notebooks = run.NOTEBOOK_DIR
    monkeypatch.setattr(run, "NOTEBOOK_DIR", failing_notebooks(tmp_path / "nb"))
    assert render(corpus, out) == 1
    assert (out / "estimates.failed.ipynb").exists()
    monkeypatch.setattr(run, "NOTEBOOK_DIR", good_notebooks)
    assert render(corpus, out) == 0
    assert not (out / "estimates.failed.ipynb").exists()
    ok = runs(out)[-1]
    assert f"failed (fixed by the run of {ok['finished']})" in (out / "index.html").read_text()


@pytest.mark.parametrize("name", ["index.html", "runs.jsonl", "estimates.html"])
def test_a_file_kit_did_not_write_is_left_alone_with_a_message(corpus, tmp_path, capsys, name):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / name
    mine.write_text("<p>the team's own page</p>\n")
    assert render(corpus, out) == 1
    assert f"holds {name}, not written by kit report" in capsys.readouterr().err
    assert mine.read_text() == "<p>the team's own page</p>\n"
    assert sorted(p.name for p in out.iterdir()) == [name]


def test_pages_and_logs_kit_wrote_are_recognised_as_its_own(tmp_path):
    (tmp_path / "index.html").write_text(page("Reports", "x"))
    (tmp_path / "runs.jsonl").write_text('{"started": "t", "status": "ok"}\n')
    assert run._foreign_files(tmp_path) == []
    (tmp_path / "runs.jsonl").write_text('team notes\n{"started": "t", "status": "ok"}\n')
    assert run._foreign_files(tmp_path) == ["runs.jsonl"]


@pytest.mark.slow
def test_a_killed_runs_kernel_connection_file_is_in_its_temp_folder_and_removed_next_run(
        corpus, tmp_path):
    if not KIT_BIN.exists():
        pytest.skip("kit console script not installed in this environment")
    out = tmp_path / "out"
    proc = subprocess.Popen([str(KIT_BIN), "report", "--corpus", str(corpus), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def connection_files():
        return list(out.glob(f"{TMP_PREFIX}*/runtime/kernel-*.json")) if out.exists() else []

    until(lambda: connection_files(), proc, what="the kernel's connection file")
    name = connection_files()[0].name
    until(lambda: _processes_naming(name), proc, what="the kernel process")
    kernels = _processes_naming(name)  # the kernel runs in a session of its own
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its kernel, as a reboot would
    for pid in kernels:
        os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert connection_files()  # left behind by the killed run, inside --out only
    assert render(corpus, out, "--wait", "5") == 0
    assert connection_files() == []
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]


def _processes_naming(word: str) -> list[int]:
    """The processes whose command line holds ``word`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if word in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# --------------------------------------------------------------------------- cron

@pytest.mark.slow
def test_cron_bare_environment_runs_quietly_and_signals_problems(corpus, tmp_path):
    if not KIT_BIN.exists():
        pytest.skip("kit console script not installed in this environment")
    out = tmp_path / "out"
    bare = {"PATH": "/usr/bin:/bin", "LANG": "C"}  # what cron gives: no HOME, no venv

    def cron():
        return subprocess.run([str(KIT_BIN), "report", "--corpus", str(corpus), "--out",
                               str(out), "--if-changed", "--quiet"], env=bare, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, check=False)

    first = cron()
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    again = cron()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    warned = cron()
    assert warned.returncode == 3 and "bad.txt" in warned.stderr and warned.stdout == ""
    assert [r["exit"] for r in runs(out)] == [0, 0, 3]
    assert cli.EXIT_SKIPPED == 3


def test_pages_an_earlier_kit_wrote_are_still_its_own(tmp_path):
    old = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Reports'
           '</title></head>\n<body><main>\n<h1>Reports</h1>\n<footer>Generated by kit report.'
           '</footer></main></body></html>\n')
    (tmp_path / "index.html").write_text(old)
    (tmp_path / "runs.jsonl").write_text('{"started": "t", "status": "ok"}\n{"started": "t2", "st')
    assert run._foreign_files(tmp_path) == []  # a torn last line (a kill) is not foreign
