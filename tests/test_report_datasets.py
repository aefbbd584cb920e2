"""The report of an archive reads the datasets of ``kit extract``: what it shows is what
the report of the corpus shows, and datasets it cannot use are named with the reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import kit
from kit import cli
from kit.output import archive
from kit.present import claims as claim_tables, summary, tables
from kit.report.frames import report_frames, whole_claims

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEV = REPO / "tests" / "data" / "dev"
REPORT_FILTERS = dict(kinds=["people", "forces"], nouns=[],
                      statuses=["deployed", "planned", "casualties", "supplied", "other"])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, Path]:
    """``kit extract`` of the seeds and of the development corpus."""
    root = tmp_path_factory.mktemp("extracted")
    out = {}
    for name, corpus in (("seeds", SEEDS), ("dev", DEV)):
        assert cli.main(["extract", str(corpus), "--out", str(root / name), "--jobs", "1",
                         "--no-progress"]) in (0, 3)
        out[name] = root / name
    return out


def _shown(frames, above: int) -> dict[str, pd.DataFrame | str]:
    """The tables and HTML a report shows of ``frames`` (the notebook's cells)."""
    shown = summary.view(frames.figs, frames.claims, above=above)
    disc = kit.discrepancies(frames.figs, frames.claims, limit=shown.limit)
    return {
        "figs": frames.figs, "claims": frames.claims, "cited": shown.cited,
        "listed": shown.claims, "comparison": kit.compare(shown.compared, frames.claims),
        "discrepancies": disc,
        "summary": tables.summary_html(frames.articles, frames.all_figures, frames.figs,
                                       filters=REPORT_FILTERS) + shown.note,
        "corpus": tables.corpus_html(frames.articles, frames.figs, by_outlet=shown.summarised),
        "disagreements": claim_tables.discrepancies_html(disc, shown.cited, limit=shown.limit,
                                                         per_claim=shown.per_claim),
    }


@pytest.mark.parametrize("name, corpus", [("seeds", SEEDS), ("dev", DEV)])
@pytest.mark.parametrize("above", [5000, 10])
@pytest.mark.parametrize("filters", [REPORT_FILTERS, {}, {"nouns": ["troops"]},
                                     {"statuses": ["planned"]}])
def test_report_from_the_datasets_shows_what_the_report_of_the_corpus_shows(
        extracted, name, corpus, above, filters):
    direct = _shown(report_frames(corpus, **filters), above)
    read = _shown(report_frames(extracted[name], **filters), above)
    for key, value in direct.items():
        if isinstance(value, pd.DataFrame):
            got = read[key]
            pd.testing.assert_frame_equal(value[list(got.columns)].reset_index(drop=True),
                                          got.reset_index(drop=True), obj=key)
        else:
            assert read[key] == value, key
    assert len(direct["figs"])  # the comparison compared something


def test_the_datasets_are_read_without_the_article_texts(extracted):
    frames = report_frames(extracted["dev"], **REPORT_FILTERS)
    assert "text" not in frames.articles.columns
    assert "sentence" in frames.figs.columns
    assert set(frames.all_figures.columns) == {"what", "kind", "status", "reviewed"}


def test_claims_come_from_the_datasets_when_the_filters_keep_them_whole(extracted):
    assert report_frames(extracted["dev"]).claims_from == "datasets"
    assert report_frames(extracted["dev"], statuses=["planned", "deployed"]).claims_from == \
        "datasets"  # a claim's figures share a status
    # another tolerance than kit extract's makes them from the figures
    assert report_frames(extracted["dev"], tolerance="0.05").claims_from == "figures"


def test_a_claim_cut_by_the_filters_is_not_taken_from_the_datasets(extracted):
    frames = report_frames(extracted["dev"])
    every = archive.read_frame(extracted["dev"], "claims", [c.name for c in kit.schema.CLAIMS])
    big = every.sort_values("n_figures", ascending=False).iloc[0]
    dropped = big["figure_ids"].split("; ")[0]
    assert big["n_figures"] > 1
    assert whole_claims(every, frames.figs[frames.figs["figure_id"] != dropped]) is None
    assert whole_claims(every, frames.figs) is not None


def test_a_folder_without_a_manifest_is_named_as_not_a_kit_extract_output(tmp_path):
    (tmp_path / "figures").mkdir()
    with pytest.raises(archive.ArchiveError, match=f"{tmp_path}.*no kit-extract.json"):
        archive.read_manifest(tmp_path)


def test_reading_a_dataset_file_by_file_keeps_the_rows_the_filter_keeps(extracted):
    import pyarrow.compute as pc

    where = archive.figure_filter(kinds=["forces"], statuses=["planned"])
    # the filter's columns are not among those asked: read to filter, then dropped
    read = archive.read_frame(extracted["dev"], "figures", ["figure_id", "low"], where)
    every = archive.read_frame(extracted["dev"], "figures", ["figure_id", "kind", "status"])
    wanted = every[(every["kind"] == "forces") & (every["status"] == "planned")]
    assert list(read.columns) == ["figure_id", "low"]
    assert 0 < len(read) < len(every)
    assert sorted(read["figure_id"]) == sorted(wanted["figure_id"])
    files = archive.dataset_files(extracted["dev"], "figures")
    by_file = [(path, table.num_rows) for path, table in archive.read_tables(
        extracted["dev"], "figures", ["figure_id"], where=pc.field("kind") == "forces")]
    assert [path for path, _ in by_file] == files  # every file, in order, month by month
    assert sum(n for _, n in by_file) == (every["kind"] == "forces").sum()


def test_a_dataset_file_that_cannot_be_read_is_named(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "broken")
    part = sorted((folder / "figures").glob("month=*/*.parquet"))[0]
    part.write_bytes(part.read_bytes()[:100])
    with pytest.raises(archive.ArchiveError, match=rf"{part}: the figures dataset cannot be "
                                                   "read"):
        archive.read_frame(folder, "figures", ["figure_id"])


def test_hidden_files_in_a_dataset_are_left_out_as_pyarrow_leaves_them(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "copied")
    every = archive.read_frame(folder, "figures", ["figure_id"])
    month = sorted((folder / "figures").glob("month=*"))[0]
    (month / "._part-0.parquet").write_bytes(b"resource fork of a copy")  # not Parquet
    (month / "_SUCCESS.parquet").write_bytes(b"")
    assert archive.read_frame(folder, "figures", ["figure_id"]).equals(every)


def test_two_files_giving_a_column_two_types_name_the_dataset(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "mixed")
    part = sorted((folder / "figures").glob("month=*/*.parquet"))[-1]
    table = pq.read_table(part)
    at = table.schema.get_field_index("low")
    pq.write_table(table.set_column(at, "low", table["low"].cast("string")), part)
    with pytest.raises(archive.ArchiveError, match=r"figures: the figures dataset cannot be "
                                                   "read"):
        archive.read_frame(folder, "figures", ["figure_id", "low"])


def test_a_manifest_of_another_kit_names_both_versions(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "old")
    manifest = json.loads((folder / "kit-extract.json").read_text())
    manifest["version"]["kit"] = "0.1.0+0123456789abcdef"
    (folder / "kit-extract.json").write_text(json.dumps(manifest))
    with pytest.raises(archive.ArchiveError, match=r"kit-extract.json.*0\.1\.0\+0123.*run kit "
                                                   "extract again"):
        report_frames(folder)


def test_a_dataset_missing_a_column_names_the_dataset_and_the_column(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "cut")
    for part in (folder / "figures").glob("month=*/*.parquet"):
        table = pq.read_table(part)
        pq.write_table(table.drop_columns(["claimant"]), part)
    with pytest.raises(archive.ArchiveError, match=r"figures/month=[^/]+/[^/]+\.parquet: the "
                                                   "figures dataset has no column claimant"):
        report_frames(folder)


def test_a_report_of_bad_datasets_fails_naming_the_folder(extracted, tmp_path, capsys):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "broken")
    (folder / "kit-extract.json").write_text("{not json")
    out = tmp_path / "reports"
    assert cli.main(["report", "--corpus", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cannot read the datasets" in err and "kit-extract.json" in err
    assert not (out / "estimates.html").exists()


def test_corrections_are_for_kit_extract_when_the_report_reads_its_datasets(extracted):
    with pytest.raises(ValueError, match="kit extract"):
        report_frames(extracted["seeds"], corrections="corrections.csv")


def test_limited_discrepancies_are_the_largest_of_all_numbered_as_among_all():
    figs = tables.numbered(kit.figures(kit.load_corpus(DEV)))
    claims = kit.claims(figs)
    every = kit.discrepancies(figs, claims)
    assert every["discrepancy_id"].nunique() > 3
    some = kit.discrepancies(figs, claims, limit=2)
    sizes = every.groupby("discrepancy_id", sort=False).size()
    largest = set(sizes.sort_values(ascending=False, kind="stable").index[:2])
    assert set(some["discrepancy_id"]) == largest
    pd.testing.assert_frame_equal(
        every[every["discrepancy_id"].isin(largest)].reset_index(drop=True),
        some.reset_index(drop=True))
    assert some.attrs["discrepancies"] == every["discrepancy_id"].nunique()


def test_a_claimant_named_otherwise_in_the_archive_is_not_taken_from_the_datasets(extracted):
    # kit extract names a claimant by its most frequent written form in the whole archive;
    # the kept figures may write it otherwise, and the report must show their way
    frames = report_frames(extracted["dev"])
    every = archive.read_frame(extracted["dev"], "claims", [c.name for c in kit.schema.CLAIMS])
    assert whole_claims(every, frames.figs) is not None
    named = every[every["claimant"] != "unattributed"].index[0]
    every.loc[named, "claimant"] = every.loc[named, "claimant"].upper()
    assert whole_claims(every, frames.figs) is None
