"""Export (kit.output.export, ``kit export``): the frames as files, atomically,
never overwriting files kit did not write; the atomic writer itself
(kit.output.atomic); figures on a stream (kit.output.formats)."""

from __future__ import annotations

import io
import json
import os
import stat

import pandas as pd
import pytest
from helpers import SEEDS

import kit
from kit import schema
from kit.cli import default_corpus
from kit.cli import main as cli_main
from kit.output import export
from kit.output.atomic import TMP_PREFIX, atomic_write
from kit.output.formats import records, write_figures


@pytest.fixture(scope="module")
def seeds():
    articles = kit.load_corpus(SEEDS)
    return articles, None, None


def test_parquet_round_trip_keeps_values_and_dtypes(tmp_path, seeds):
    articles, _, _ = seeds
    frames = export.frames(articles)
    written = export.export_frames(frames, tmp_path, "parquet")
    assert [p.name for p in written] == [f"{n}.parquet" for n in export.FRAMES]
    for name, frame in frames.items():
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert dict(back.dtypes) == dict(frame.dtypes), name
        pd.testing.assert_frame_equal(back, frame.reset_index(drop=True))
        schema.check(back, name)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_exports_have_every_column_and_row(tmp_path, seeds, fmt):
    articles, _, _ = seeds
    frames = export.frames(articles)
    export.export_frames(frames, tmp_path, fmt)
    for name, frame in frames.items():
        path = tmp_path / f"{name}.{fmt}"
        back = pd.read_csv(path) if fmt == "csv" else pd.DataFrame(json.loads(path.read_text()))
        assert list(back.columns) == list(frame.columns) and len(back) == len(frame)
    manifest = json.loads((tmp_path / export.MANIFEST).read_text())
    assert set(manifest["files"]) == {f"{n}.{fmt}" for n in export.FRAMES}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_export_never_overwrites_files_it_did_not_write(tmp_path, seeds):
    articles, _, _ = seeds
    frames = export.frames(articles)
    (tmp_path / "claims.csv").write_text("mine\n")
    with pytest.raises(export.ExportError, match="claims.csv"):
        export.export_frames(frames, tmp_path, "csv")
    assert (tmp_path / "claims.csv").read_text() == "mine\n"
    assert not (tmp_path / "articles.csv").exists()  # nothing written
    other = tmp_path / "other"
    other.mkdir()
    (other / export.MANIFEST).write_text("not json")
    with pytest.raises(export.ExportError, match="manifest"):
        export.export_frames(frames, other, "csv")
    again = tmp_path / "again"
    export.export_frames(frames, again, "csv")
    export.export_frames(frames, again, "csv")  # its own files: overwritten in place


def test_kit_export_command_writes_refuses_and_checks_usage(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["export", "--format", "parquet", "--out", str(out), str(SEEDS)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.parquet" for n in export.FRAMES] + [export.MANIFEST])
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "figures.json").write_text("[]")
    assert cli_main(["export", "--format", "json", "--out", str(tmp_path / "mine"),
                     str(SEEDS)]) == 1
    assert "refusing" in capsys.readouterr().err
    assert cli_main(["export", "--format", "xlsx", "--out", str(out)]) == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err


def test_export_without_paths_uses_the_example_corpus(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["export", "--out", str(out)]) == 0
    written = capsys.readouterr().out.split()
    assert sorted(written) == sorted(str(out / f"{n}.csv") for n in export.FRAMES)
    articles = pd.read_csv(out / "articles.csv")
    assert sorted(articles["article_id"]) == sorted(p.stem for p in default_corpus().glob("*.txt"))
    assert sorted(p.name for p in default_corpus().iterdir()) == \
        sorted(p.name for p in SEEDS.iterdir())  # the shipped corpus is the seeds


def test_exported_frames_conform_to_their_schemas(seeds):
    articles, _, _ = seeds
    frames = export.frames(articles)
    assert list(frames) == list(export.FRAMES)
    for name, frame in frames.items():
        schema.check(frame, name)


@pytest.mark.parametrize("data", ["text é\n", b"\x00bytes", lambda p: p.write_text("made")])
def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path, data):
    target = tmp_path / "f.txt"
    target.write_text("old")
    atomic_write(target, data)
    expected = data if isinstance(data, bytes) else \
        (data.encode() if isinstance(data, str) else b"made")
    assert target.read_bytes() == expected
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_atomic_write_that_fails_keeps_the_old_file(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")

    def half_then_fail(path):
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_atomic_write_gives_files_the_usual_permissions(tmp_path):
    target = tmp_path / "f.txt"
    atomic_write(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_figures_on_a_stream_as_jsonl_csv_and_table(seeds):
    articles, _, _ = seeds
    figs = kit.figures(articles)
    recs = records(figs)
    assert len(recs) == len(figs) and all(isinstance(r["start"], int) for r in recs)
    assert all(r["low"] is None or isinstance(r["low"], int) for r in recs)
    for fmt in ("jsonl", "csv", "table"):
        stream = io.StringIO()
        write_figures(figs, stream, fmt)
        assert "between 10,000 and 12,000" in stream.getvalue(), fmt
    stream = io.StringIO()
    write_figures(figs, stream, "jsonl")
    assert [json.loads(x) for x in stream.getvalue().splitlines()] == \
        json.loads(json.dumps(recs))
