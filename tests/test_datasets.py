"""Datasets in, datasets out: article tables (Parquet file or partitioned folder, JSON
Lines, CSV; columns mapped with --columns) read like folders of files, and ``kit
extract`` writing articles, sentences, figures and claims as month-partitioned Parquet
datasets that pandas reads without the kit."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS, make_corpus

import kit
from kit import cli
from kit.load import CorpusError
from kit.output.datasets import MANIFEST

A = ("Harbour strike\n\nAbout 4,000 dock workers walked out on Monday, the union said. "
     "Police put the crowd at the gates at 1,200.\n")
B = "Ferry delays\n\nMore than 30 ferries were cancelled, the port authority said.\n"


def table() -> pd.DataFrame:
    return pd.DataFrame({"story_id": ["s1", "s2", "s3"], "body": [A, B, "  "],
                         "source": ["Harbour Gazette", "Coast Wire", "Coast Wire"],
                         "date": pd.to_datetime(["2031-03-03 08:15", "2031-04-01 00:00", None])})


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".csv"])
def test_an_article_table_is_a_corpus_with_mapped_columns(tmp_path, suffix):
    path = tmp_path / f"articles{suffix}"
    t = table()
    if suffix == ".parquet":
        t.to_parquet(path)
    elif suffix == ".jsonl":
        t.assign(date=t["date"].astype(str)).to_json(path, orient="records", lines=True)
    else:
        t.to_csv(path, index=False)
    articles = kit.load_corpus(path, columns={"id": "story_id", "text": "body",
                                              "outlet": "source", "published": "date"})
    assert articles["article_id"].tolist() == ["s1", "s2"]
    assert articles["outlet"].tolist() == ["Harbour Gazette", "Coast Wire"]
    assert articles["published"].tolist() == ["2031-03-03", "2031-04-01"]
    assert articles.attrs["skipped"] == [{"path": f"{path}#3",
                                          "reason": "no article text in this row"}]
    figs = kit.figures(articles)
    assert sorted(figs["low"].dropna().tolist()) == [30, 1200, 4000]
    assert (articles.loc[0, "text"] == A)  # offsets point into the text as stored


def test_a_partitioned_parquet_folder_is_one_corpus(tmp_path):
    folder = tmp_path / "archive"
    t = table().iloc[:2].rename(columns={"body": "text"}).assign(month=["2031-03", "2031-04"])
    t.to_parquet(folder, partition_cols=["month"])
    articles = kit.load_corpus(folder)
    assert sorted(articles["text"]) == sorted([A, B])


def test_a_row_group_of_a_partitioned_folder_reads_as_the_whole_folder_reads_it(tmp_path):
    from kit.load.tables import parquet_layout, read_row_group

    folder = tmp_path / "archive"
    t = table().iloc[:2].rename(columns={"body": "text"}).assign(month=["2031-03", "2031-04"],
                                                                 day=[3, 1])
    t.to_parquet(folder, partition_cols=["month", "day"])
    layout, groups = parquet_layout(folder)  # learnt once, when the run is planned
    whole = pd.read_parquet(folder)
    for file, group, first, rows in groups:
        read = read_row_group(folder, file, group, layout)  # opens that file only
        assert read.equals(read_row_group(folder, file, group))  # as the table listed again
        expected = whole.iloc[first:first + rows].reset_index(drop=True)
        assert read[["story_id", "text"]].equals(expected[["story_id", "text"]])
        # the folders' names are columns, as pandas reads them
        assert read["month"].tolist() == expected["month"].astype(str).tolist()
        assert read["day"].tolist() == expected["day"].astype(int).tolist()
    gone = groups[0][0]
    Path(gone).unlink()
    with pytest.raises(CorpusError, match="no longer part of the table"):
        read_row_group(folder, gone, 0, layout)


def test_a_table_without_the_text_column_names_the_fix(tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    table().iloc[:1].to_json(path, orient="records", lines=True)
    with pytest.raises(CorpusError, match="no column 'text'.*--columns text=NAME"):
        kit.load_corpus(path)
    assert cli.main(["figures", str(path), "--columns", "text=body"]) == 0
    assert "4,000" in capsys.readouterr().out
    assert cli.main(["figures", str(path), "--columns", "txt=body"]) == 2
    assert "'txt=body' is not NAME=COLUMN" in capsys.readouterr().err


def test_kit_extract_writes_month_partitioned_datasets_pandas_reads(tmp_path, capsys):
    path = tmp_path / "articles.parquet"
    table().to_parquet(path)
    out = tmp_path / "out"
    code = cli.main(["extract", str(path), "--out", str(out), "--columns",
                     "id=story_id,text=body,outlet=source,published=date"])
    assert code == 3  # the row without text is skipped and named
    assert "articles.parquet#3" in capsys.readouterr().err
    for name in ("articles", "sentences", "figures", "claims"):
        assert list((out / name / "month=2031-03").glob("part-*.parquet")), name
    figs = pd.read_parquet(out / "figures")
    assert sorted(figs["low"].dropna().astype(int)) == [30, 1200, 4000]
    assert set(figs["month"].astype(str)) == {"2031-03", "2031-04"}
    assert json.loads((out / MANIFEST).read_text())["datasets"][0] == "articles"
    # a second run replaces what it wrote, and only that
    (out / "notes.txt").write_text("mine")
    assert cli.main(["extract", str(path), "--out", str(out), "--columns",
                     "id=story_id,text=body,outlet=source,published=date"]) == 3
    assert (out / "notes.txt").read_text() == "mine"
    assert len(pd.read_parquet(out / "articles")) == 2


def test_kit_extract_never_replaces_a_folder_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "mine.csv").write_text("a\n")
    assert cli.main(["extract", str(SEEDS), "--out", str(out)]) == 1
    assert "holds figures, not written by kit extract" in capsys.readouterr().err
    assert (out / "figures" / "mine.csv").read_text() == "a\n"


def test_kit_extract_of_the_seeds_matches_the_api(tmp_path):
    out = tmp_path / "out"
    assert cli.main(["extract", str(SEEDS), "--out", str(out)]) == 0
    figs = pd.read_parquet(out / "figures").sort_values(["article_id", "start"])
    api = kit.figures(kit.load_corpus(SEEDS)).sort_values(["article_id", "start"])
    assert figs["figure_id"].tolist() == api["figure_id"].tolist()
    assert figs["claimant"].tolist() == api["claimant"].tolist()


def test_folders_of_article_files_still_load_as_files(tmp_path):
    corpus = make_corpus(tmp_path / "c", {"a.txt": A, "sources.csv": "file,outlet\na.txt,X\n"})
    assert kit.load_corpus(corpus)["outlet"].tolist() == ["X"]


def test_kit_extract_recovers_from_a_killed_runs_leftovers(tmp_path):
    out = tmp_path / "out"
    assert cli.main(["extract", str(SEEDS), "--out", str(out)]) == 0
    left = out / ".kit-tmp-old-figures" / "month=2024-10"  # killed between the two swaps
    left.mkdir(parents=True)
    (left / "part-0.parquet").write_bytes(b"x")
    assert cli.main(["extract", str(SEEDS), "--out", str(out)]) == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".kit-tmp")]


def test_table_ids_stay_unique_and_keep_the_ids_given(tmp_path):
    path = tmp_path / "a.csv"
    pd.DataFrame({"id": ["a", "a", "a-2"], "text": [A, B, A]}).to_csv(path, index=False)
    assert kit.load_corpus(path)["article_id"].tolist() == ["a", "a-3", "a-2"]


def test_a_parquet_corpus_counts_in_the_report_run_hash(tmp_path):
    from kit.report import run

    folder = tmp_path / "archive"
    table().iloc[:1].rename(columns={"body": "text"}).to_parquet(folder, partition_cols=["source"])
    before = run.run_hash(folder, {"estimates": {}})
    table().iloc[1:2].rename(columns={"body": "text"}).to_parquet(folder, partition_cols=["source"])
    assert run.run_hash(folder, {"estimates": {}}) != before
