"""``kit report`` runs (kit.report.run): files, run log and index; --if-changed;
a failing, killed or locked run keeps the previous report; nothing outside --out
is touched; two processes on one --out take turns; zero figures; skipped files
and bad sources.csv rows are named (exit 3)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from conftest import EMPTY_TEXT, REPO, SEEDS, make_corpus, render
from filelock import FileLock
from helpers import until
from html_checks import assert_offline, chart_svgs

from kit import cli
from kit.output.atomic import TMP_PREFIX, remove_stale_tmp
from kit.report import run
from kit.report.pages import page
from kit.report.runlog import RUNS_LOG, append_log, read_log

KIT_BIN = Path(sys.executable).parent / "kit"
GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")


def runs(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]


def failing_notebooks(folder: Path) -> Path:
    """A copy of the report notebook with a cell that raises (a real failing run)."""
    folder.mkdir()
    nb = nbformat.read(REPO / "notebooks" / "estimates.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('boom in cell')"))
    nbformat.write(nb, folder / "estimates.ipynb")
    return folder


# --------------------------------------------------------------------------- seeds

@pytest.mark.slow
def test_seeds_report_files_index_and_log(seeds_report):
    out = seeds_report
    for name in ("estimates.html", "estimates.ipynb", "index.html", "runs.jsonl"):
        assert (out / name).is_file(), name
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
    (record,) = runs(out)
    assert record["status"] == "ok" and record["reports"][0]["name"] == "estimates"
    assert record["reports"][0]["parameters"]["corpus"].endswith("seeds")
    index = (out / "index.html").read_text()
    assert 'href="estimates.html"' in index and "nouns=" in index and record["finished"] in index
    assert_offline(index)


@pytest.mark.slow
def test_if_changed_skips_when_the_hash_matches_the_last_ok_run(seeds_report, tmp_path, capsys):
    out = tmp_path / "reports"
    shutil.copytree(seeds_report, out)
    corpus = Path(runs(out)[0]["corpus"])
    # the kit sources may be edited while the suite runs: record the hash of now
    args = cli.build_parser().parse_args(["report", "--corpus", str(corpus), "--out", str(out)])
    corpus_, _, per_notebook, notebooks, story = run._prepare(args)
    digest = run.run_hash(corpus_, per_notebook, list(notebooks.values()), story)
    append_log(out, {**runs(out)[0], "hash": digest})
    before = (out / "estimates.html").stat().st_mtime_ns
    assert render(corpus, out, "--if-changed") == 0
    assert "nothing to do" in capsys.readouterr().out
    assert (out / "estimates.html").stat().st_mtime_ns == before
    assert runs(out)[-1]["status"] == "skipped"


def test_run_hash_covers_the_parameters():
    corpus = SEEDS
    assert run.run_hash(corpus, {"estimates": {"title": "a"}}) != \
        run.run_hash(corpus, {"estimates": {"title": "b"}})
    assert run.run_hash(corpus, {"estimates": {"title": "a"}}) == \
        run.run_hash(corpus, {"estimates": {"title": "a"}})


def test_if_changed_hash_covers_corpus_bytes(tmp_path):
    corpus = make_corpus(tmp_path / "c", {"a.txt": "About 1,500 troops arrived."})
    h1 = run.run_hash(corpus, {})
    (corpus / "a.txt").write_text("About 1,600 troops arrived.")
    assert run.run_hash(corpus, {}) != h1


def test_run_log_is_append_only_and_skips_unreadable_lines(tmp_path):
    append_log(tmp_path, {"status": "ok", "n": 1})
    with (tmp_path / RUNS_LOG).open("a") as fh:
        fh.write("not json\n[1, 2]\n")
    append_log(tmp_path, {"status": "failed", "n": 2, "message": "é"})
    assert read_log(tmp_path) == [{"status": "ok", "n": 1},
                                  {"status": "failed", "n": 2, "message": "é"}]
    assert read_log(tmp_path / "missing") == []


# --------------------------------------------------------------------------- runs

@pytest.mark.slow
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
    monkeypatch.setattr(run, "NOTEBOOK_DIR", notebooks)
    corpus = Path(runs(out)[0]["corpus"])
    assert render(corpus, out) == 1
    err = capsys.readouterr().err
    assert "boom in cell" in err and "estimates.failed.ipynb" in err
    assert (out / "estimates.html").read_bytes() == before
    failed = nbformat.read(out / "estimates.failed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in failed.cells if c.cell_type == "code"
               for o in c.get("outputs", []))
    assert runs(out)[-1]["status"] == "failed"
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert keep.read_text() == "mine"


def test_lock_second_run_gives_up_with_message(tmp_path, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    previous = page("Estimates", "previous")  # a report kit wrote earlier
    (out / "estimates.html").write_text(previous)
    with FileLock(str(out / run.LOCK_NAME)):
        assert render(SEEDS, out, "--wait", "0.3") == 1
    assert "another kit report is writing" in capsys.readouterr().err
    assert (out / "estimates.html").read_text() == previous
    (failed,) = runs(out)  # logged, and on the index
    assert failed["status"] == "failed" and failed["exit"] == 1
    assert "gave up after 0.3 s" in (out / "index.html").read_text()


@pytest.mark.slow
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
    until(lambda: any(p.name.startswith(TMP_PREFIX) for p in out.iterdir()), proc,
          what="the run's temporary folder")
    proc.kill()  # mid-run: the temporary folder exists, nothing is moved yet
    proc.wait(timeout=30)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert render(corpus, out, "--wait", "5") == 0  # the lock died with the process
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_stale_temp_folders_removed_only_inside_out(tmp_path):
    out = tmp_path / "reports"
    (out / f"{TMP_PREFIX}old").mkdir(parents=True)
    (out / "keep.txt").write_text("x")
    sibling = tmp_path / f"{TMP_PREFIX}sibling"
    sibling.mkdir()
    remove_stale_tmp(out)
    assert not (out / f"{TMP_PREFIX}old").exists()
    assert (out / "keep.txt").exists() and sibling.exists()


@pytest.mark.slow
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


@pytest.mark.slow
def test_out_deletes_nothing_but_its_own_files_on_a_failing_run(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    out = tmp_path / "shared"  # a folder the analyst also uses for other things
    (out / "sub").mkdir(parents=True)
    files = {out / "notes.txt": "mine", out / "sub" / "data.csv": "a,b\n",
             out / "estimates.html": page("Estimates", "previous report"), out / ".hidden": "x",
             out / "kit-tmp-lookalike": "not ours (no leading dot)"}
    for path, text in files.items():
        path.write_text(text)
    (out / f"{TMP_PREFIX}link").symlink_to(outside, target_is_directory=True)
    (tmp_path / f"{TMP_PREFIX}sibling").mkdir()

    monkeypatch.setattr(run, "NOTEBOOK_DIR", failing_notebooks(tmp_path / "notebooks"))
    assert render(corpus, out) == 1
    assert "boom in cell" in capsys.readouterr().err
    for path, text in files.items():
        assert path.read_text() == text, path
    assert (outside / "precious.txt").read_text() == "keep"
    assert (out / f"{TMP_PREFIX}link").is_symlink()
    assert (tmp_path / f"{TMP_PREFIX}sibling").is_dir()
    left = {p.name for p in out.iterdir()}
    assert left == {"sub", "notes.txt", "estimates.html", ".hidden", "kit-tmp-lookalike",
                    f"{TMP_PREFIX}link", run.LOCK_NAME, "runs.jsonl", "index.html",
                    "estimates.failed.ipynb",  # the failed notebook, kept for the analyst
                    "kit-store"}  # the articles extracted before the failure, remembered


def test_help_exits_zero(capsys):
    assert cli.main(["report", "--help"]) == 0
    assert "--if-changed" in capsys.readouterr().out


@pytest.mark.slow
def test_report_names_bad_sources_rows_and_exits_3(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", {"a.txt": GOOD,
                                          "sources.csv": "file,published\na.txt,21/10/2024\n"})
    assert render(corpus, tmp_path / "r") == 3
    err = capsys.readouterr().err
    [line] = [x for x in err.splitlines() if "bad date '21/10/2024'" in x]
    assert str(corpus / "sources.csv") in line and "line 2" in line
    assert runs(tmp_path / "r")[-1]["status"] == "ok"


@pytest.mark.slow
def test_report_without_corpus_renders_the_example_corpus(tmp_path):
    out = tmp_path / "reports"
    assert cli.main(["report", "--out", str(out)]) == 0
    record = runs(out)[-1]
    assert record["status"] == "ok"
    assert Path(record["corpus"]) == cli.default_corpus().resolve()


@pytest.mark.slow
def test_report_runs_in_a_fresh_process(tmp_path):
    """The console entry point works end to end (as cron would call it)."""
    if not KIT_BIN.exists():
        pytest.skip("kit console script not installed in this environment")
    corpus = make_corpus(tmp_path / "c", {"quiet.txt": EMPTY_TEXT})
    result = subprocess.run([str(KIT_BIN), "report", "--corpus", str(corpus), "--out",
                             str(tmp_path / "r"), "--param", "colour=red"],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ})
    assert result.returncode == 2 and "unknown parameter 'colour'" in result.stderr


class StderrWatch:
    """Reads a process's stderr on a thread; ``seen(text)`` is set once a line has it."""

    def __init__(self, proc: subprocess.Popen):
        self.lines: list[str] = []
        self.event = threading.Event()
        self.needle = ""
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc):
        for line in proc.stderr:
            self.lines.append(line)
            if self.needle and self.needle in line:
                self.event.set()

    def wait_for(self, needle: str, timeout: float = 120) -> bool:
        self.needle = needle
        if any(needle in line for line in self.lines):
            return True
        return self.event.wait(timeout)

    def text(self) -> str:
        self.thread.join(timeout=30)
        return "".join(self.lines)


@pytest.mark.slow
def test_two_real_processes_on_one_out_take_turns(tmp_path):
    """While the lock is held, one run gives up at once and two patient runs wait;
    released, the patient ones run one after the other (their log records do not
    overlap).  Each run names a skipped file on stderr just before it takes the
    lock: that line says it is waiting (no sleeping, no timing)."""
    if not KIT_BIN.exists():
        pytest.skip("kit console script not installed in this environment")
    corpus = make_corpus(tmp_path / "c", {"a.txt": GOOD})
    (corpus / "empty.txt").write_bytes(b"")  # skipped and named before the lock is taken
    out = tmp_path / "reports"
    out.mkdir()
    args = [str(KIT_BIN), "report", "--corpus", str(corpus), "--out", str(out)]
    lock = FileLock(str(out / run.LOCK_NAME))
    patient = []
    try:
        with lock:
            impatient = subprocess.run([*args, "--wait", "0"], capture_output=True, text=True,
                                       timeout=120, check=False)
            for _ in range(2):
                proc = subprocess.Popen([*args, "--wait", "300"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
                patient.append((proc, StderrWatch(proc)))
            for proc, watch in patient:
                assert watch.wait_for("empty.txt"), watch.text()
                assert proc.poll() is None  # waiting for the lock
        for proc, watch in patient:
            assert proc.wait(timeout=300) == cli.EXIT_SKIPPED, watch.text()
    finally:
        for proc, _ in patient:
            if proc.poll() is None:
                proc.kill()
    assert impatient.returncode == 1
    assert "another kit report is writing to" in impatient.stderr
    assert "gave up after 0 s" in impatient.stderr
    recs = runs(out)
    assert [r["status"] for r in recs] == ["failed", "ok", "ok"]  # the impatient one, logged
    assert recs[1]["finished"] <= recs[2]["started"]  # one after the other
    assert "1 figures found" in (out / "estimates.html").read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
