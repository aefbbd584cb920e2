"""`kit figures` on the command line: formats, keys, exit status."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path


from kit import cli

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["path", "article_id", "outlet", "published", "start", "end", "surface", "low", "high",
        "qualifier", "what", "status", "claimant", "claimant_text", "sentence", "sentence_start",
        "sentence_end"]


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


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


def test_csv_and_table(capsys):
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


def test_skipped_file_named_and_exit_3(capsys, tmp_path):
    (tmp_path / "good.txt").write_text("About 300 workers arrived, officials said.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"%PDF-1.7\x00\x00\x01\x02\x03" * 50)
    code, out, err = run(capsys, "figures", str(tmp_path), "--format", "jsonl")
    assert code == cli.EXIT_SKIPPED
    assert "bad.txt" in err
    assert [json.loads(line)["low"] for line in out.splitlines()] == [300]


def test_console_script_help_documents_exit_status():
    out = subprocess.run([sys.executable, "-m", "kit.cli", "figures", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "Exit status" in out and "3" in out
