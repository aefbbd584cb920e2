"""``kit extract`` streams an archive: workers read, extract and write pieces; the
datasets equal the single-process frames; unchanged pieces are not read; what a run
skipped is said again on an unchanged run; a failing piece is named, the rest kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import kit
from helpers import copy_dev, dev_articles, varied
from kit import schema
from kit.cli import main
from kit.claims.compare import restating
from kit.lexicon import resolve
from kit.output.datasets import RESTATES
from kit.output import compact
from kit.scale import stream
from kit.scale.stream import extract_archive

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "tests" / "data" / "dev"




_KEYS = {"articles": ["article_id"], "sentences": ["article_id", "sentence_id"],
         "figures": ["article_id", "start"]}


def _sorted(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    if kind == "claims":  # in their numbered order
        frame = frame.sort_values("claim_id", key=lambda s: s.str[1:].astype(int))
    else:
        frame = frame.sort_values(_KEYS[kind])
    return schema.conform(frame.reset_index(drop=True), kind)


def _dataset(out: Path, kind: str) -> pd.DataFrame:
    return _sorted(pd.read_parquet(out / kind).drop(columns="month"), kind)


def _merge_small(monkeypatch) -> None:
    """Merge a month's files once it holds three (the default waits for seventeen)."""
    monkeypatch.setattr(compact, "MAX_FILES", 2)
    monkeypatch.setattr(compact, "KEEP", 1)


#: the incremental tests run with each month's files left apart and merged
MERGED = pytest.mark.parametrize("merge", [False, True], ids=["apart", "merged"])


def _files_named(out: Path) -> dict[str, list]:
    """Check the files of the datasets against the manifest: every file is a piece's, each
    merged file holds the rows its members say; returns the merged files."""
    manifest = json.loads((out / "kit-extract.json").read_text(encoding="utf-8"))
    named = {f for p in manifest["pieces"].values() for kind, fs in p["files"].items()
             for f in fs if kind in ("articles", "sentences", "figures")}
    found = {str(p.relative_to(out)) for kind in ("articles", "sentences", "figures")
             for p in (out / kind).glob("month=*/*.parquet")}
    assert found == named
    for rel, members in manifest["merged"].items():
        assert pq.ParquetFile(out / rel).metadata.num_rows == sum(n for _, n in members)
        assert all(rel in manifest["pieces"][k]["files"][rel.split("/")[0]] for k, _ in members)
    return manifest["merged"]


def _twenty_extracted(tmp_path: Path) -> tuple[Path, Path, object]:
    """Twenty articles of the development set extracted in pieces of about two: the
    corpus, the datasets' folder and the lexicon."""
    corpus = copy_dev(dev_articles()[:20], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=2)
    return corpus, out, lex


def _same_as_single_process(out: Path, *corpus) -> None:
    articles = kit.load_corpus(list(corpus))
    sents = kit.sentences(articles)
    figs = kit.figures(articles, sents)
    expected = {"articles": articles, "sentences": sents, "figures": figs,
                "claims": kit.claims(figs)}
    for kind, frame in expected.items():
        pd.testing.assert_frame_equal(_dataset(out, kind), _sorted(frame, kind), obj=kind)
    # the figures dataset's one column more, whichever run wrote or merged its files
    stored = pd.read_parquet(out / "figures").sort_values(_KEYS["figures"])
    assert stored[RESTATES].tolist() == restating(_sorted(figs, "figures")).tolist()






@pytest.mark.slow
def test_two_workers_stream_files_and_parquet_row_groups_into_the_single_process_datasets(
        tmp_path):
    corpus = varied(tmp_path / "g", 0.5, seed=5)
    out = tmp_path / "out"
    assert main(["extract", str(corpus), "--out", str(out), "--jobs", "2",
                 "--partition-size", "30"]) == 0
    _same_as_single_process(out, corpus)
    articles = kit.load_corpus(corpus)
    table = pa.table({"id": articles["article_id"].tolist(), "text": articles["text"].tolist()})
    pq.write_table(table, tmp_path / "archive.parquet", row_group_size=40)
    out2 = tmp_path / "out2"
    assert main(["extract", str(tmp_path / "archive.parquet"), "--out", str(out2),
                 "--jobs", "2"]) == 0
    _same_as_single_process(out2, tmp_path / "archive.parquet")


@MERGED
def test_adding_ten_articles_extracts_those_ten_and_reads_no_unchanged_piece(merge, tmp_path,
                                                                              monkeypatch):
    if merge:
        _merge_small(monkeypatch)
    names = dev_articles()
    corpus = copy_dev(names[:30], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    first = extract_archive([corpus], out, lex, partition_size=4)
    assert (first.extracted, first.reused) == (30, 0)
    if merge:  # the last batch is not merged; no month holds more than MAX_FILES others
        members = {k for m in _files_named(out).values() for k, _ in m}
        last = stream.plan([corpus], None, 4)[0][-1]
        assert members and last.last and last.key not in members
        manifest = json.loads((out / "kit-extract.json").read_text(encoding="utf-8"))
        its = {f for fs in manifest["pieces"][last.key]["files"].values() for f in fs}
        assert max(sum(str(f.relative_to(out)) not in its for f in d.glob("*.parquet"))
                   for kind in ("articles", "figures")
                   for d in (out / kind).glob("month=*")) <= 2
    copy_dev(names[30:40], corpus)
    read = []
    real = stream._read
    monkeypatch.setattr(stream, "_read", lambda piece, *a: read.append(piece) or real(piece, *a))
    second = extract_archive([corpus], out, lex, partition_size=4)
    assert (second.extracted, second.reused, second.articles) == (10, 30, 40)
    assert second.unchanged_pieces > 0
    assert sum(len(p.paths) for p in read) < 40  # the unchanged batches were not read
    _same_as_single_process(out, corpus)
    assert bool(_files_named(out)) == merge
    again = extract_archive([corpus], out, lex, partition_size=4)
    assert (again.extracted, again.reused) == (0, 40)
    _same_as_single_process(out, corpus)
    _files_named(out)


def _awkward_table(path: Path, articles: pd.DataFrame) -> None:
    """``articles`` as a JSON Lines or CSV table written the awkward ways such tables come:
    blank lines between rows, Windows line ends, and (CSV) texts holding newlines and
    quotes inside their quoted field."""
    rows = articles[["article_id", "outlet", "text"]].rename(columns={"article_id": "id"})
    rows = rows.assign(text=rows["text"] + '\n\nHe said: "no comment", twice.')
    if path.suffix == ".csv":
        body = rows.to_csv(index=False, lineterminator="\r\n")
        # blank lines, and a row whose unquoted field holds a quote (pandas keeps it)
        body = body.replace('\r\n"', '\r\n\r\n"', 3) + 'x9,Wire,He is 6\'2" tall and 40.\r\n'
        path.write_text("\r\n" + body, encoding="utf-8")
    else:
        lines = rows.to_json(orient="records", lines=True, force_ascii=False).splitlines()
        path.write_text("".join(line + ("\n  \n" if k % 4 == 0 else "\n")
                                for k, line in enumerate(lines)), encoding="utf-8")


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_jsonl_or_csv_table_is_read_in_pieces_of_whole_rows_equal_to_the_whole_table(
        tmp_path, suffix, monkeypatch):
    from kit.load import tables

    monkeypatch.setattr(tables, "SCAN_BYTES", 997)  # rows cut across the scanned blocks
    table = tmp_path / f"archive{suffix}"
    _awkward_table(table, kit.load_corpus(DEV).head(23))
    pieces, _ = stream.plan([table], partition_size=5)
    rows = 23 + (suffix == ".csv")
    assert [p.kind for p in pieces] == ["lines"] * 5
    assert [p.first_row for p in pieces] == [0, 5, 10, 15, 20]
    from kit.load.outlets import outlet_index

    known = outlet_index(*resolve(None).folders)
    read = [stream._read(p, None, 10**7, known) for p in pieces]
    got = pd.concat([frame for frame, _, _ in read], ignore_index=True)
    whole = kit.load_corpus([table])
    pd.testing.assert_frame_equal(got, whole)
    assert got["path"].iloc[-1] == f"{table}#{rows}"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_an_id_a_table_repeats_in_two_pieces_is_made_unique_as_the_whole_table_makes_it(
        tmp_path, suffix, monkeypatch):
    monkeypatch.setattr(stream, "LARGE_ROW_GROUP", 4)
    monkeypatch.setattr(stream, "SPLIT_ROWS", 3)
    articles = kit.load_corpus(DEV).head(9)
    ids = ["wire-1", "a", "wire-1", "b", "", "c", "wire-1", "wire-1-2", "d"]  # crawled twice
    rows = pd.DataFrame({"id": ids, "text": articles["text"].tolist()})
    table = tmp_path / f"feed{suffix}"
    if suffix == ".jsonl":
        rows.to_json(table, orient="records", lines=True)
    elif suffix == ".csv":
        rows.to_csv(table, index=False)
    else:
        rows.to_parquet(table, index=False)
    out = tmp_path / "out"
    extract_archive([table], out, resolve(None), partition_size=3)
    got = pd.read_parquet(out / "articles").sort_values(
        "path", key=lambda paths: paths.str.rsplit("#").str[-1].astype(int))
    whole = kit.load_corpus([table])
    assert got["article_id"].tolist() == whole["article_id"].tolist()
    assert len(set(got["article_id"])) == 9
    figures = pd.read_parquet(out / "figures")
    assert figures["figure_id"].is_unique
    _same_as_single_process(out, table)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_table_without_its_text_column_is_refused_when_planned_naming_its_columns(
        tmp_path, suffix):
    from kit.load.problems import CorpusError

    table = tmp_path / f"feed{suffix}"
    rows = pd.DataFrame({"id": ["a"], "body": ["Police said 4,000 people marched."]})
    {".jsonl": lambda: rows.to_json(table, orient="records", lines=True),
     ".csv": lambda: rows.to_csv(table, index=False),
     ".parquet": lambda: rows.to_parquet(table, index=False)}[suffix]()
    with pytest.raises(CorpusError, match=f"feed{suffix}: no column 'text' for the article "
                                          r"text \(columns: id, body\); map it with "
                                          "--columns text=NAME"):
        stream.plan([table])
    pieces, _ = stream.plan([table], {"text": "body"})
    assert len(pieces) == 1


@pytest.mark.parametrize("layout", ["one file", "folder partitions", "pandas index"])
def test_a_large_parquet_row_group_is_split_into_pieces_equal_to_the_whole_table(
        tmp_path, monkeypatch, layout):
    monkeypatch.setattr(stream, "LARGE_ROW_GROUP", 8)
    monkeypatch.setattr(stream, "SPLIT_ROWS", 5)
    articles = kit.load_corpus(DEV).head(23)
    table = pa.table({"id": articles["article_id"].tolist(), "text": articles["text"].tolist(),
                      "outlet": [f"Desk {k % 2}" for k in range(len(articles))]})
    archive = tmp_path / ("archive" if layout == "folder partitions" else "archive.parquet")
    if layout == "one file":
        pq.write_table(table, archive)  # one row group, as pandas writes it
    elif layout == "pandas index":  # the ids an index, which pandas reads back as one
        table.to_pandas().set_index("id").to_parquet(archive)
    else:
        pq.write_to_dataset(table, archive, partition_cols=["outlet"])  # outlet=Desk 0/...
    # (a folder name of the output's path is no column of the copies)
    out, lex = tmp_path / "runs" / "outlet=Elsewhere" / "out", resolve(None)
    pieces, _ = stream.plan([archive], partition_size=500, split_into=out / stream.SPLIT)
    assert len(pieces) == (6 if layout == "folder partitions" else 5)
    assert all(p.file.startswith(str(out / stream.SPLIT)) for p in pieces)
    first = extract_archive([archive], out, lex)
    assert first.articles == 23
    assert set(pd.read_parquet(out / "articles")["outlet"]) == {"Desk 0", "Desk 1"}
    _same_as_single_process(out, archive)
    copies = sorted((out / stream.SPLIT).iterdir())
    again = extract_archive([archive], out, lex)
    assert (again.unchanged_pieces, again.extracted) == (len(pieces), 0)
    assert sorted((out / stream.SPLIT).iterdir()) == copies  # not split again
    extract_archive([archive], out, lex, store=False)
    assert not any((out / stream.SPLIT).glob("*.parquet"))  # nothing remembered


@MERGED
def test_rows_added_to_a_jsonl_table_read_only_its_last_piece_and_the_new_ones(
        merge, tmp_path, monkeypatch):
    if merge:
        _merge_small(monkeypatch)
    articles = kit.load_corpus(DEV)
    table, out, lex = tmp_path / "archive.jsonl", tmp_path / "out", resolve(None)
    _awkward_table(table, articles.head(22))
    first = extract_archive([table], out, lex, partition_size=5)
    assert (first.extracted, first.articles) == (22, 22)
    last = stream.plan([table], None, 5)[0][-1]
    assert last.first_row == 20 and last.last
    # the last piece (rows added go into it) is never merged
    assert all(k != last.key for members in _files_named(out).values() for k, _ in members)
    grown = tmp_path / "grown.jsonl"
    _awkward_table(grown, articles.head(32))
    table.write_bytes(grown.read_bytes())
    read = []
    real = stream._read
    monkeypatch.setattr(stream, "_read", lambda piece, *a: read.append(piece) or real(piece, *a))
    second = extract_archive([table], out, lex, partition_size=5)
    # rows 20-21 were the last piece: it grew to 20-24, and 25-29, 30-31 are new
    assert sorted(p.first_row for p in read) == [20, 25, 30]
    assert (second.extracted, second.reused, second.unchanged_pieces) == (10, 22, 4)
    _same_as_single_process(out, table)
    _files_named(out)


@MERGED
def test_an_edited_article_is_extracted_again_and_a_removed_one_leaves_the_datasets(
        merge, tmp_path, monkeypatch):
    if merge:
        _merge_small(monkeypatch)
    names = dev_articles()[:20]
    corpus = copy_dev(names, tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=2)
    edited = corpus / names[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPolice said 4,000 people "
                      "attended a vigil on Sunday.\n", encoding="utf-8")
    (corpus / names[1]).unlink()
    run = extract_archive([corpus], out, lex, partition_size=2)
    assert (run.extracted, run.articles) == (1, 19)
    _same_as_single_process(out, corpus)
    _files_named(out)
    assert Path(names[1]).stem not in set(_dataset(out, "figures")["article_id"])


def test_a_change_of_knowledge_or_full_extracts_everything_again(tmp_path):
    corpus = copy_dev(dev_articles()[:5], tmp_path / "corpus")
    out = tmp_path / "out"
    extract_archive([corpus], out, resolve(None))
    story = tmp_path / "story"
    story.mkdir()
    (story / "claimants.csv").write_text(
        "canonical,kind,country,role,pattern\nRiver Authority,origin,,agency,River Authority\n",
        encoding="utf-8")
    changed = extract_archive([corpus], out, resolve(story))
    assert (changed.extracted, changed.reset) == (5, "the knowledge files changed")
    assert extract_archive([corpus], out, resolve(story)).extracted == 0
    assert extract_archive([corpus], out, resolve(story), full=True).extracted == 5


def test_skipped_rows_are_named_again_on_an_unchanged_run(tmp_path, capsys):
    path = tmp_path / "a.csv"
    pd.DataFrame({"id": ["a", "b"], "text": ["Police said 4,000 people marched.", ""]}).to_csv(
        path, index=False)
    out = tmp_path / "out"
    for _ in range(2):
        assert main(["extract", str(path), "--out", str(out)]) == 3
        assert "a.csv#2: no article text" in capsys.readouterr().err


def test_a_broken_line_of_a_jsonl_table_is_named_and_skipped_the_rest_kept(tmp_path, capsys):
    table = tmp_path / "feed.jsonl"
    _awkward_table(table, kit.load_corpus(DEV).head(12))
    lines = table.read_text(encoding="utf-8").split("\n")
    cut = [k for k, line in enumerate(lines) if line.strip()][5]  # the sixth row
    lines[cut] = lines[cut][:40]  # cut short, as a crawler killed mid-write leaves it
    table.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(table), "--out", str(out), "--partition-size", "4"]) == 3
    err = capsys.readouterr().err
    assert f"{table}#6: not a JSON object" in err
    assert len(pd.read_parquet(out / "articles")) == 11  # its piece's three others kept


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_a_columns_mapping_to_a_column_the_table_lacks_is_refused_before_any_work(
        tmp_path, capsys, suffix):
    rows = pd.DataFrame({"id": ["a", "b"], "body": ["Police said 4,000 people marched."] * 2,
                         "date": ["2024-10-21"] * 2})
    table = tmp_path / f"feed{suffix}"
    {".jsonl": lambda: rows.to_json(table, orient="records", lines=True),
     ".csv": lambda: rows.to_csv(table, index=False),
     ".parquet": lambda: rows.to_parquet(table, index=False)}[suffix]()
    out = tmp_path / "out"
    assert main(["extract", str(table), "--out", str(out),
                 "--columns", "text=body,published=pubdate"]) == 1
    assert not (out / "articles").exists()
    assert "published=pubdate (columns: " in capsys.readouterr().err


def test_another_columns_mapping_reads_every_piece_of_the_table_again(tmp_path):
    rows = pd.DataFrame({"text": ["Police said 4,000 people marched."] * 4,
                         "site": ["Wire", "Daily", "Wire", "Daily"],
                         "desk": ["Metro", "Metro", "World", "World"]})
    table = tmp_path / "feed.csv"
    rows.to_csv(table, index=False)
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([table], out, lex, columns={"outlet": "site"}, partition_size=2)
    again = extract_archive([table], out, lex, columns={"outlet": "desk"}, partition_size=2)
    assert again.unchanged_pieces == 0
    assert sorted(pd.read_parquet(out / "articles")["outlet"]) == ["Metro", "Metro", "World",
                                                                   "World"]


def test_a_piece_whose_rows_were_merged_reuses_them_when_edited_and_loses_them_when_gone(
        tmp_path, monkeypatch):
    _merge_small(monkeypatch)
    corpus, out, lex = _twenty_extracted(tmp_path)
    in_merged = {k for members in _files_named(out).values() for k, _ in members}
    pieces = [p for p in stream.plan([corpus], None, 2)[0] if p.key in in_merged]
    # (a text file: a line added after a web page's end is not part of its text)
    edited = next(p for p in pieces if len(p.paths) > 1 and p.paths[0].endswith(".txt"))
    gone = next(p for p in pieces if p is not edited)
    path = Path(edited.paths[0])
    path.write_text(path.read_text(encoding="utf-8") + "\nPolice said 4,000 people attended "
                    "a vigil on Sunday.\n", encoding="utf-8")
    for name in gone.paths:
        Path(name).unlink()
    monkeypatch.chdir(out.parent)  # (--out relative to where the command runs)
    run = extract_archive([corpus], Path(out.name), lex, partition_size=2)
    # only the edited article is extracted; its piece's other articles are taken from the
    # rows cut out of the merged files
    assert (run.extracted, run.reused, run.articles) == (1, 19 - len(gone.paths),
                                                          20 - len(gone.paths))
    _same_as_single_process(out, corpus)
    _files_named(out)


@MERGED
def test_a_dataset_file_removed_by_hand_has_its_articles_extracted_again(
        merge, tmp_path, monkeypatch):
    if merge:
        _merge_small(monkeypatch)
    corpus, out, lex = _twenty_extracted(tmp_path)
    merged = _files_named(out)
    gone = next(iter(merged)) if merge else \
        str(next((out / "figures").glob("month=*/*.parquet")).relative_to(out))
    (out / gone).unlink()
    run = extract_archive([corpus], out, lex, partition_size=2)
    assert run.extracted > 0  # (not taken from the rows of the pieces' other files)
    _same_as_single_process(out, corpus)
    _files_named(out)


def test_a_failing_piece_whose_merged_file_was_removed_keeps_what_is_left(
        tmp_path, monkeypatch):
    _merge_small(monkeypatch)
    corpus, out, lex = _twenty_extracted(tmp_path)
    rel, members = next(iter(_files_named(out).items()))
    (out / rel).unlink()
    victim = members[0][0]
    real = stream._read

    def fail(piece, *args):
        if piece.key == victim:
            raise RuntimeError("disk on fire")
        return real(piece, *args)

    monkeypatch.setattr(stream, "_read", fail)
    for _ in range(2):  # the lost piece names no missing file, run after run
        run = extract_archive([corpus], out, lex, partition_size=2)
        assert [f["error"] for f in run.failed] == ["RuntimeError: disk on fire"]
        _files_named(out)
    monkeypatch.setattr(stream, "_read", real)
    extract_archive([corpus], out, lex, partition_size=2)
    _same_as_single_process(out, corpus)


def test_a_second_run_into_the_same_folder_waits_for_the_first_then_gives_up_naming_it(
        tmp_path, capsys):
    from filelock import FileLock

    corpus = copy_dev(dev_articles()[:3], tmp_path / "corpus")
    out = tmp_path / "out"
    extract_archive([corpus], out, resolve(None))
    before = _dataset(out, "figures")
    staged = out / ".kit-tmp-run-other"  # what the running one is writing
    staged.mkdir()
    with FileLock(str(out / stream.LOCK_NAME)):
        assert main(["extract", str(corpus), "--out", str(out), "--wait", "0.2"]) == 1
        assert staged.is_dir()  # not taken for what a killed run left
    err = capsys.readouterr().err
    assert f"another kit extract is writing into {out}" in err and "gave up after 0.2 s" in err
    pd.testing.assert_frame_equal(_dataset(out, "figures"), before)
    assert main(["extract", str(corpus), "--out", str(out)]) == 0  # once it is done
    assert not staged.exists()


def test_datasets_an_older_kit_wrote_are_extracted_again(tmp_path):
    import json

    corpus = copy_dev(dev_articles()[:5], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex)
    manifest = json.loads((out / "kit-extract.json").read_text(encoding="utf-8"))
    del manifest["version"]["layout"]  # as a kit that did not merge files wrote it
    (out / "kit-extract.json").write_text(json.dumps(manifest), encoding="utf-8")
    run = extract_archive([corpus], out, lex)
    assert (run.extracted, run.reset) == (5, "the kit's extraction changed")
    _same_as_single_process(out, corpus)


@MERGED
def test_a_failing_piece_is_named_and_the_others_kept_with_its_previous_rows(merge, tmp_path,
                                                                            monkeypatch):
    if merge:
        _merge_small(monkeypatch)
    corpus = copy_dev(dev_articles()[:12], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=3)
    before = _dataset(out, "figures")
    victim = stream.plan([corpus], None, 3)[0][0]
    (corpus / Path(victim.paths[0]).name).write_text("Officials said 12 boats sank.\n",
                                                     encoding="utf-8")
    real = stream._read

    def fail(piece, *args):
        if piece.key == victim.key:
            raise RuntimeError("disk on fire")
        return real(piece, *args)

    monkeypatch.setattr(stream, "_read", fail)
    run = extract_archive([corpus], out, lex, partition_size=3)
    assert [f["error"] for f in run.failed] == ["RuntimeError: disk on fire"]
    after = _dataset(out, "figures")
    pd.testing.assert_frame_equal(after, before)  # the lost piece's old rows stay
    _files_named(out)
    monkeypatch.setattr(stream, "_read", real)
    assert extract_archive([corpus], out, lex, partition_size=3).extracted >= 1  # read again
    _same_as_single_process(out, corpus)
    _files_named(out)


def test_claims_made_bucket_by_bucket_equal_the_claims_of_all_figures(tmp_path):
    corpus = copy_dev(dev_articles(), tmp_path / "corpus")
    out = tmp_path / "out"
    extract_archive([corpus], out, resolve(None), partition_size=7)
    buckets = {p.name.rsplit(".c", 1)[1] for p in (out / "kit-store").glob("*.c*.parquet")}
    assert len(buckets) > 4  # the claimants fall in several buckets, each grouped alone
    _same_as_single_process(out, corpus)


def test_no_store_remembers_nothing_and_extracts_everything(tmp_path, monkeypatch):
    from kit.scale import claims as stored

    monkeypatch.setattr(stored, "MERGE_AFTER", 0)  # (a stored run would merge each bucket)
    merged: list = []
    read = stored._Inputs.read
    monkeypatch.setattr(stored._Inputs, "read", lambda self, stage: (
        merged.append(self.merge_to), read(self, stage))[1])
    corpus = copy_dev(dev_articles()[:4], tmp_path / "corpus")
    out = tmp_path / "out"
    for _ in range(2):
        assert extract_archive([corpus], out, resolve(None), store=False).extracted == 4
    assert not (out / "kit-store").exists() or not any((out / "kit-store").iterdir())
    assert merged and not any(merged)  # no bucket's inputs merged for no later run
    _same_as_single_process(out, corpus)


def test_the_same_text_in_two_files_gives_both_their_rows_on_a_later_run(tmp_path):
    name = dev_articles()[0]
    corpus = copy_dev([name], tmp_path / "corpus")
    shutil.copy(corpus / name, corpus / ("copy_" + name))
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=1)
    shutil.copy(DEV / dev_articles()[1], corpus / dev_articles()[1])
    extract_archive([corpus], out, lex, partition_size=1)
    _same_as_single_process(out, corpus)


def _count_made(monkeypatch) -> list[int]:
    """The number of claims made (not taken from the store) by each bucket's grouping."""
    from kit.claims import grouping

    made: list[int] = []
    real = grouping.group_claims

    def counting(*args, **kwargs):
        claims, present = real(*args, **kwargs)
        made.append(0 if claims is None else len(claims))
        return claims, present

    monkeypatch.setattr(grouping, "group_claims", counting)
    return made


def _merged_inputs_named(out: Path) -> None:
    """Each bucket's merged inputs in the store are those its manifest names, no more."""
    manifest = json.loads((out / "kit-extract.json").read_text(encoding="utf-8"))
    named = {r["merged"]["file"] for r in manifest["claims"]["buckets"].values()
             if "merged" in r}
    assert {f"kit-store/{p.name}" for p in (out / "kit-store").glob("inputs-b*")} == named


@pytest.mark.parametrize("chunk, merge", [(None, None), (3, None), (None, 0), (None, 2)],
                         ids=["a-bucket-at-once", "a-few-groups-a-file",
                              "inputs-merged-each-run", "inputs-merged-after-2-files"])
def test_claims_after_adding_editing_and_removing_articles_equal_claims_made_afresh(
        tmp_path, monkeypatch, chunk, merge):
    from kit.scale import claims as stored

    if chunk:  # a worker holds a few groups of a bucket at a time, each few in a file
        monkeypatch.setattr(stored, "CHUNK_FIGURES", chunk)
    if merge is not None:  # a bucket's inputs read from its merged file and the pieces'
        monkeypatch.setattr(stored, "MERGE_AFTER", merge)
    names = dev_articles()
    corpus = copy_dev(names[:30], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=4)
    _same_as_single_process(out, corpus)
    files = list((out / "kit-store").glob("claims-b*.arrow"))
    buckets = len({p.name.split("-")[1] for p in files})
    assert len(files) > 2 * buckets if chunk else len(files) == buckets
    made = _count_made(monkeypatch)
    copy_dev(names[30:32], corpus)
    added = extract_archive([corpus], out, lex, partition_size=4)
    _same_as_single_process(out, corpus)
    assert 0 < sum(made) < added.claims  # the claims of unchanged parts were kept
    made.clear()
    edited = corpus / names[3]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPolice said 4,000 people "
                      "attended a vigil on Sunday.\n", encoding="utf-8")
    (corpus / names[7]).unlink()
    changed = extract_archive([corpus], out, lex, partition_size=4)
    _same_as_single_process(out, corpus)
    assert 0 < sum(made) < changed.claims
    made.clear()
    extract_archive([corpus], out, lex, partition_size=4)
    assert made == []  # no bucket's figures changed: none is grouped again
    _same_as_single_process(out, corpus)
    _merged_inputs_named(out)
    if merge is not None:
        assert list((out / "kit-store").glob("inputs-b*"))


def test_a_bucket_whose_merged_inputs_are_lost_reads_the_pieces_files(tmp_path, monkeypatch):
    from kit.scale import claims as stored

    monkeypatch.setattr(stored, "MERGE_AFTER", 0)
    names = dev_articles()
    corpus = copy_dev(names[:12], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=4)
    lost = list((out / "kit-store").glob("inputs-b*"))
    assert lost
    for path in lost:
        path.unlink()
    copy_dev(names[12:14], corpus)
    extract_archive([corpus], out, lex, partition_size=4)
    _same_as_single_process(out, corpus)
    _merged_inputs_named(out)


def test_a_full_run_reads_no_merged_inputs_of_the_files_it_replaces(tmp_path, monkeypatch):
    from kit.scale import claims as stored

    monkeypatch.setattr(stored, "MERGE_AFTER", 0)
    corpus = copy_dev(dev_articles()[:8], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=4)
    read: list = []
    real = stored._Inputs.read
    monkeypatch.setattr(stored._Inputs, "read", lambda self, stage: (
        read.append(self.merged), real(self, stage))[1])
    extract_archive([corpus], out, lex, partition_size=4, full=True)
    assert read and not any(read)  # (every piece's files are new: none is in a merged file)
    _same_as_single_process(out, corpus)
    _merged_inputs_named(out)


def test_a_run_removes_the_store_files_its_manifest_does_not_name(tmp_path):
    corpus = copy_dev(dev_articles()[:4], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=4)
    store = out / "kit-store"
    # left by a run stopped between moving its files and writing its manifest
    stray = ["claims-b3-0123abcd-0.arrow", "claims-b4-0123abcd-0.parquet",  # (an earlier kit's)
             "inputs-b3-0123abcd.parquet",
             "p0123456789abcdef0123-0123abcd.c3.parquet",
             "f0123456789abcdef0123-0123abcd.hashes.parquet"]
    for name in [*stray, "notes.parquet"]:
        shutil.copy(next(store.glob("claims-b*.arrow")), store / name)
    extract_archive([corpus], out, lex, partition_size=4)
    assert not [name for name in stray if (store / name).exists()]
    assert (store / "notes.parquet").exists()  # not a name the kit writes: not its to remove
    _same_as_single_process(out, corpus)
    manifest = json.loads((out / "kit-extract.json").read_text(encoding="utf-8"))
    named = {f for p in manifest["pieces"].values() for fs in p["files"].values() for f in fs}
    assert all(f in {f"kit-store/{p.name}" for p in store.iterdir()} for f in named
               if f.startswith("kit-store/"))


def test_claims_stored_by_other_grouping_code_are_made_again(tmp_path, monkeypatch):
    corpus = copy_dev(dev_articles()[:10], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, partition_size=4)
    made = _count_made(monkeypatch)
    monkeypatch.setattr(stream, "claims_version", lambda: "another grouping")
    run = extract_archive([corpus], out, lex, partition_size=4)
    assert sum(made) == run.claims > 0
    _same_as_single_process(out, corpus)
    stored = list((out / "kit-store").glob("claims-b*.arrow"))
    assert len(stored) == len({p.name.split("-")[1] for p in stored})  # one file a bucket


def test_workers_start_for_pieces_or_a_large_archive_s_changed_claims_not_for_nothing(
        tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "BUCKET_FIGURES", 32)  # a "large" archive: past 4 figures
    asked: list[bool] = []
    real = stream._cluster

    def recording(client, jobs, scheduler, busy):
        asked.append(busy)
        return real(client, 1, scheduler, busy)  # one process all the same

    monkeypatch.setattr(stream, "_cluster", recording)
    names = dev_articles()
    corpus = copy_dev(names[:12], tmp_path / "corpus")
    out, lex = tmp_path / "out", resolve(None)
    extract_archive([corpus], out, lex, jobs=2, partition_size=4)
    copy_dev(names[12:13], corpus)
    added = extract_archive([corpus], out, lex, jobs=2, partition_size=4)
    assert added.extracted == 1
    extract_archive([corpus], out, lex, jobs=2, partition_size=4)
    extra = tmp_path / "extra.jsonl"  # a table of its own: a piece of its own
    extra.write_text(json.dumps({"id": "extra", "text": (DEV / names[14]).read_text(
        encoding="utf-8")}) + "\n", encoding="utf-8")
    extract_archive([corpus, extra], out, lex, jobs=2, partition_size=4)
    # its piece goes (the folder is not given): no piece to read, claims to make again
    removed = extract_archive([corpus], out, lex, jobs=2, partition_size=4)
    assert removed.extracted == 0 and removed.articles == 13
    monkeypatch.setattr(stream, "claims_version", lambda: "another grouping")
    extract_archive([corpus], out, lex, jobs=2, partition_size=4)
    monkeypatch.setattr(stream, "BUCKET_FIGURES", 10**9)  # a small archive
    copy_dev(names[13:14], corpus)
    extract_archive([corpus], out, lex, jobs=2, partition_size=4)
    # several pieces; one piece of a large archive (its touched buckets are grouped
    # again); nothing changed; a piece added, then gone (its buckets grouped again); no
    # piece but every claim to make; one piece of a small one
    assert asked == [True, True, False, True, True, True, False]
    _same_as_single_process(out, corpus)


def test_verbose_says_how_long_each_phase_took_and_the_peak_memory(tmp_path, capsys):
    corpus = copy_dev(dev_articles()[:3], tmp_path / "corpus")
    assert main(["extract", str(corpus), "--out", str(tmp_path / "out"), "--verbose"]) == 0
    line = [x for x in capsys.readouterr().err.splitlines() if "time:" in x]
    assert len(line) == 1
    for phase in ("planning", "pieces", "claims: grouping", "claims: numbering",
                  "claims: writing", "commit"):
        assert f"{phase} " in line[0]
    assert "peak memory: this process" in line[0]
    assert main(["extract", str(corpus), "--out", str(tmp_path / "out")]) == 0
    assert "time:" not in capsys.readouterr().err  # only when asked


def test_claims_numbered_and_written_a_few_months_at_a_time_equal_the_claims_of_all_figures(
        tmp_path, monkeypatch):
    from kit.scale import claims as stored

    monkeypatch.setattr(stored, "CLAIMS_AT_ONCE", 10)
    batches: list[list[str]] = []
    real = stored._batches

    def recording(months):
        found = real(months)
        batches.extend(found)
        return found

    monkeypatch.setattr(stored, "_batches", recording)
    corpus = copy_dev(dev_articles()[:20], tmp_path / "corpus")
    out = tmp_path / "out"
    extract_archive([corpus], out, resolve(None), partition_size=5)
    assert len(batches) > 2  # several runs of months, each read and written alone
    assert sorted(m for b in batches for m in b) == sorted(
        p.name.split("=")[1] for p in (out / "claims").iterdir())
    _same_as_single_process(out, corpus)


def test_claims_of_claimants_shown_alike_in_two_buckets_are_ordered_together(
        tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "numbering", lambda *_: None)  # as when two blocks meet
    corpus = copy_dev(dev_articles()[:12], tmp_path / "corpus")
    out = tmp_path / "out"
    extract_archive([corpus], out, resolve(None), partition_size=5)
    _same_as_single_process(out, corpus)


def test_numbering_places_each_claimant_block_among_all_claims_or_gives_up_on_a_shared_one(
        tmp_path):
    from kit.claims import grouping
    from kit.scale import claims as stored

    articles = kit.load_corpus([DEV / name for name in dev_articles()[:12]])
    figs = kit.figures(articles, kit.sentences(articles))
    frame, _ = grouping.part_claims(figs)
    expected = grouping.finish_claim_frame(frame)
    names = sorted(set(frame["claimant"]))
    assert len(names) > 2
    half = frame["claimant"].isin(names[::2])
    paths = [tmp_path / "a.arrow", tmp_path / "b.arrow"]
    for path, part in zip(paths, (frame[half], frame[~half])):
        stored._store(stored._arrow(part.reset_index(drop=True)), path)
    plan = stored.numbering(paths)
    got = pd.concat([table.to_pandas() for batch in stored._batches(plan["months"])
                     for _, table in stored.numbered_months(plan, batch)])
    pd.testing.assert_frame_equal(_sorted(got, "claims"), _sorted(expected, "claims"))
    # one claimant's claims in both files: its block cannot be placed whole
    many = frame["claimant"][~half].value_counts().index[0]  # a claimant of file b
    shared = frame["claimant"] == many
    split = [frame[half | (shared & (frame.index % 2 == 0))],
             frame[~half & ~(shared & (frame.index % 2 == 0))]]
    assert 0 < (shared & (frame.index % 2 == 0)).sum() < shared.sum()
    for path, part in zip(paths, split):
        stored._store(stored._arrow(part.reset_index(drop=True)), path)
    assert stored.numbering(paths) is None


def test_a_refused_first_run_leaves_no_out_folder_and_a_refused_later_run_keeps_it(
        tmp_path, capsys):
    from kit import cli

    table = tmp_path / "feed.jsonl"
    table.write_text('{"body": "Police said 4,000 people marched."}\n', encoding="utf-8")
    out = tmp_path / "new" / "datasets"
    assert cli.main(["extract", str(table), "--out", str(out)]) == 1
    assert "no column 'text'" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()  # nor the parent it made
    assert cli.main(["extract", str(table), "--out", str(out), "--columns", "text=body"]) == 0
    written = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert cli.main(["extract", str(table), "--out", str(out)]) == 1  # refused: kept whole
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == written


def test_a_run_waiting_on_a_failed_first_run_makes_the_folder_again_and_runs(
        tmp_path, monkeypatch):
    import filelock

    table = tmp_path / "feed.jsonl"
    table.write_text('{"text": "Police said 4,000 people marched."}\n', encoding="utf-8")
    out = tmp_path / "datasets"
    real, calls = filelock.FileLock.acquire, []

    def after_the_first_run_failed(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the run waited for failed: its lock file and folder are gone
            shutil.rmtree(out)
            raise FileNotFoundError(str(out / stream.LOCK_NAME))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(filelock.FileLock, "acquire", after_the_first_run_failed)
    run = stream.extract_archive([table], out, resolve(None), jobs=1)
    assert len(calls) == 2 and run.extracted == 1
    assert len(pd.read_parquet(out / "figures")) == 1


def test_another_pattern_of_restated_values_extracts_every_article_again(monkeypatch):
    """The figures dataset's restates_earlier flag follows kit.claims.compare.EARLIER: the
    stamp of the pieces changes with it, so no piece keeps a flag of the old pattern."""
    import re

    from kit.claims import compare
    from kit.scale.store import extraction_version

    before = extraction_version()
    monkeypatch.setattr(compare, "EARLIER", re.compile(r"\bup\s+from\s*$", re.IGNORECASE))
    assert extraction_version() != before
