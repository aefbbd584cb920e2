"""The command line (kit.cli): ``kit figures``, ``kit export`` and ``kit report`` on
one parser; output formats and keys; exit status (returned by ``main`` in every
case, also for --help and bad usage); the size limit; the example corpus."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit import cli
from kit.load import CorpusError, load_corpus

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["path", "article_id", "outlet", "published", "start", "end", "surface", "low", "high",
        "qualifier", "what", "status", "claimant", "claimant_text", "sentence", "sentence_start",
        "sentence_end"]
GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")


def run_cli(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def run(capsys, *argv):
    return run_cli(capsys, *argv)


def test_jsonl_has_the_documented_keys_and_json_types(capsys):
    code, out, _ = run(capsys, "figures", str(ROOT / "seeds"), "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) >= 18
    for row in rows:
        assert set(KEYS) <= set(row)
        assert isinstance(row["start"], int) and isinstance(row["end"], int)
        assert row["low"] is None or isinstance(row["low"], int)
        assert row["high"] is None or isinstance(row["high"], int)
    vague = [r for r in rows if r["qualifier"] == "vague"]
    assert vague and all(r["low"] is None and r["high"] is None for r in vague)
    rng = [r for r in rows if r["qualifier"] == "range"]
    assert [(r["low"], r["high"]) for r in rng] == [(10000, 12000)]
    text = (ROOT / rng[0]["path"]).read_text(encoding="utf-8")
    assert text[rng[0]["start"]:rng[0]["end"]] == "between 10,000 and 12,000"


def test_csv_and_table_formats(capsys):
    code, out, _ = run(capsys, "figures", str(ROOT / "seeds" / "004_5c51c3c021cbefec.txt"),
                       "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"more than 13,000", "about 12,000"} <= {r["surface"] for r in rows}
    code, out, _ = run(capsys, "figures", str(ROOT / "seeds"))
    assert code == 0 and "between 10,000 and 12,000" in out and "NIS (South Korea)" in out


def test_missing_path_fails_with_its_name(capsys, tmp_path):
    code, out, err = run(capsys, "figures", str(tmp_path / "nope"))
    assert code == cli.EXIT_FAIL
    assert "nope" in err and out == ""


def test_skipped_file_is_named_and_exit_is_3(capsys, tmp_path):
    (tmp_path / "good.txt").write_text("About 300 workers arrived, officials said.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"%PDF-1.7\x00\x00\x01\x02\x03" * 50)
    code, out, err = run(capsys, "figures", str(tmp_path), "--format", "jsonl")
    assert code == cli.EXIT_SKIPPED
    assert "bad.txt" in err
    assert [json.loads(line)["low"] for line in out.splitlines()] == [300]


KIT_BIN = Path(sys.executable).parent / "kit"


@pytest.mark.slow
def test_console_script_help_documents_exit_status():
    if not KIT_BIN.exists():
        pytest.skip("kit console script not installed in this environment")
    out = subprocess.run([str(KIT_BIN), "figures", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "Exit status" in out and "3" in out


@pytest.mark.slow
def test_python_dash_m_kit_cli_runs_the_command_line():
    run = subprocess.run([sys.executable, "-m", "kit.cli", "figures", "--help"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "Exit status" in run.stdout

@pytest.mark.parametrize("value", ["0", "-5", "abc", "1.5", "", "1e9"])
def test_bad_size_limits_are_usage_errors(tmp_path, monkeypatch, capsys, value):
    reports = tmp_path / "r"
    tmp_path = tmp_path / "c"
    tmp_path.mkdir()
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.delenv("KIT_MAX_BYTES", raising=False)
    code, out, err = run_cli(capsys, "figures", tmp_path, f"--max-bytes={value}")
    assert code == cli.EXIT_USAGE and "max_bytes" in err and out == ""
    if value:
        monkeypatch.setenv("KIT_MAX_BYTES", value)
        code, out, err = run_cli(capsys, "figures", tmp_path)
        assert code == cli.EXIT_USAGE and "KIT_MAX_BYTES" in err
        assert cli.main(["report", "--corpus", str(tmp_path), "--out", str(reports)]) == 2
        assert "KIT_MAX_BYTES" in capsys.readouterr().err
        assert not reports.exists()
        with pytest.raises(CorpusError, match="KIT_MAX_BYTES"):
            load_corpus(tmp_path)


def test_help_documents_size_limit_and_exit_status(capsys):
    assert cli.main(["figures", "--help"]) == cli.EXIT_OK
    flat = " ".join(capsys.readouterr().out.split())
    assert "--max-bytes" in flat and "KIT_MAX_BYTES" in flat
    assert "3 ok but some input files were skipped" in flat and "named on stderr" in flat
    assert cli.main(["report", "--help"]) == cli.EXIT_OK
    rep = " ".join(capsys.readouterr().out.split())
    assert "KIT_MAX_BYTES" in rep and "3 ok but some input files were skipped" in rep


def test_empty_folder_and_missing_path_fail_with_a_message(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, out, err = run_cli(capsys, "figures", tmp_path / "empty")
    assert code == cli.EXIT_FAIL and "no .txt, .md or .html files in" in err and out == ""
    (tmp_path / "empty" / "feed.jsonl").write_text('{"text": "Police said 40."}\n')
    code, out, err = run_cli(capsys, "extract", tmp_path / "empty", "--out", tmp_path / "o")
    assert code == cli.EXIT_FAIL and "an article table is given by its own path" in err
    assert str(tmp_path / "empty" / "feed.jsonl") in err
    code, out, err = run_cli(capsys, "figures", tmp_path / "missing")
    assert code == cli.EXIT_FAIL and "not found" in err and "missing" in err
    assert "Traceback" not in err


def test_figures_command_says_no_figures_found_and_exits_0(tmp_path, capsys):
    (tmp_path / "quiet.txt").write_text("A quiet day\n\nNothing happened today, officials "
                                        "said.\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "figures", tmp_path)
    assert code == cli.EXIT_OK and out == "no figures found\n" and err == ""
    code, out, _ = run_cli(capsys, "figures", tmp_path, "--format", "jsonl")
    assert code == cli.EXIT_OK and out == ""
    code, out, _ = run_cli(capsys, "figures", tmp_path, "--format", "csv")
    assert code == cli.EXIT_OK and "surface" in out and len(out.splitlines()) == 1


def test_main_returns_the_status_instead_of_exiting(capsys):
    assert (cli.EXIT_OK, cli.EXIT_FAIL, cli.EXIT_USAGE, cli.EXIT_SKIPPED) == (0, 1, 2, 3)
    assert cli.main(["--help"]) == cli.EXIT_OK
    assert "figures" in capsys.readouterr().out
    assert cli.main([]) == cli.EXIT_USAGE
    assert cli.main(["nonsense"]) == cli.EXIT_USAGE
    assert cli.main(["figures"]) == cli.EXIT_USAGE  # PATH is required
    assert cli.main(["figures", "x", "--format", "xml"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err and "invalid choice: 'xml'" in err


def test_one_parser_knows_every_command():
    parser = cli.build_parser()
    for argv in (["figures", "a"], ["export", "--out", "o"], ["report"]):
        assert parser.parse_args(argv).command == argv[0]
    args = parser.parse_args(["report"])
    assert args.corpus is None and args.out == Path("reports") and args.wait == 120.0


def test_the_example_corpus_is_shipped_in_the_package():
    corpus = cli.default_corpus()
    assert corpus == Path(cli.__file__).resolve().parent / "data" / "seeds"
    assert sorted(p.name for p in corpus.glob("*.txt")) == \
        sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))


def test_broken_pipe_is_not_an_error(monkeypatch, capsys):
    """`kit figures seeds | head`: the reader leaving is not a failure."""
    class Closed(io.StringIO):
        def write(self, _):
            raise BrokenPipeError

        def fileno(self):
            return sys.__stdout__.fileno()

    import os

    saved = os.dup(sys.__stdout__.fileno())
    try:
        monkeypatch.setattr(sys, "stdout", Closed())
        assert cli.main(["figures", str(ROOT / "seeds"), "--format", "jsonl"]) == cli.EXIT_OK
    finally:
        os.dup2(saved, sys.__stdout__.fileno())
        os.close(saved)
