"""The summary tables beside the datasets of ``kit extract`` (written by the first report
with the default parameters after a run) hold the summarised report: read from them, each
section of the report is what grouping every figure gives, and a report they do not hold is
computed from the figures, saying why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import numpy as np
import pytest

from kit import cli
from kit.lexicon import resolve
from kit.present import charts, citations, claims as claim_tables
from kit.report import aggregate
from kit.report.aggregate import (SUMMARY, INFO, SummaryError, default_parameters,
                                  read_summary, report_sections, sections, write_summary)
from kit.report.frames import report_frames

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEV = REPO / "tests" / "data" / "dev"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, Path]:
    """``kit extract`` of the seeds and of the development corpus, their summary tables
    written for a report summarising above 10 figures (both hold more)."""
    root = tmp_path_factory.mktemp("summarised")
    out = {}
    for name, corpus in (("seeds", SEEDS), ("dev", DEV)):
        assert cli.main(["extract", str(corpus), "--out", str(root / name), "--jobs", "1",
                         "--no-progress"]) in (0, 3)
        assert write_summary(root / name, parameters=_params(summarise_above=10))
        out[name] = root / name
    return out


def _params(**changed) -> dict:
    return {**default_parameters(), **changed}


def _report(params: dict, **given) -> dict:
    return dict(kinds=params["kinds"], nouns=params["nouns"], statuses=params["statuses"],
                tolerance=params["tolerance"], reviewed_only=params["reviewed_only"],
                summarise_above=params["summarise_above"], **given)


def _pages(shown, scale: str) -> dict[str, str]:
    """Each section of the report as the notebook's cells draw it."""
    return {
        "header": shown.header_html(title="A <b>title</b>"),
        "comparison": claim_tables.comparison_html(shown.comparison, shown.cited,
                                                   max_dates=shown.max_dates),
        "corpus": shown.corpus_html(),
        "chart": charts.to_svg(shown.chart(scale)),
        "citations": citations.citations_html(shown.cited),
        "claims": claim_tables.claims_html(shown.claims, shown.cited),
        "disagreements": claim_tables.discrepancies_html(
            shown.disagreements, shown.cited, limit=shown.limit, per_claim=shown.per_claim),
        "timeline": charts.to_svg(charts.timeline(shown.timeline, scale=scale)),
    }


@pytest.mark.parametrize("name", ["seeds", "dev"])
@pytest.mark.parametrize("scale", ["auto", "log", "linear"])
def test_the_report_read_from_the_summary_tables_is_the_report_grouped_from_every_figure(
        extracted, name, scale):
    params = _params(summarise_above=10)
    filters = {k: params[k] for k in ("kinds", "nouns", "statuses")}
    computed = sections(report_frames(extracted[name], **filters), filters=filters,
                        summarise_above=10, scales=(scale,))
    read = read_summary(extracted[name], scale=scale)
    assert computed.summarised and read.source == "summary"
    want, got = _pages(computed, scale), _pages(read, scale)
    for section, page in want.items():
        assert got[section] == page, section
    assert len(read.claims) and len(read.cited) and len(read.comparison)


def test_the_report_of_an_archive_reads_the_summary_tables_with_their_parameters(extracted):
    shown = report_sections(extracted["dev"], **_report(_params(summarise_above=10)))
    assert shown.source == "summary"


@pytest.mark.parametrize("changed", [{"kinds": []}, {"nouns": ["people", "troops"]},
                                     {"statuses": ["deployed", "casualties"]},
                                     {"tolerance": "0.05"}, {"summarise_above": 20}])
def test_a_report_the_summary_tables_do_not_hold_is_grouped_from_the_figures_saying_why(
        extracted, changed):
    shown = report_sections(extracted["dev"], **_report(_params(**{"summarise_above": 10, **changed})))
    assert shown.source == "figures" and shown.summarised
    key = next(iter(changed))
    assert "not read from the summary tables" in shown.note and f"sets {key}=" in shown.note


def test_summary_tables_of_an_earlier_run_are_not_read(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "later")
    manifest = folder / "kit-extract.json"
    manifest.write_text(manifest.read_text() + "\n")  # another run wrote the datasets
    shown = report_sections(folder, **_report(_params(summarise_above=10)))
    assert shown.source == "figures"
    assert "an earlier run of kit extract" in shown.note


def test_the_first_report_after_kit_extract_writes_the_summary_tables_the_next_reads(
        tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli.main(["extract", str(DEV), "--out", str(out), "--jobs", "1",
                     "--no-progress"]) in (0, 3)
    assert not (out / SUMMARY).exists()  # kit extract's runs stay incremental
    # the default parameters, summarising above 10 figures (the development corpus has more)
    monkeypatch.setattr(aggregate, "default_parameters", lambda: _params(summarise_above=10))
    first = report_sections(out, **_report(_params(summarise_above=10)))
    info = json.loads((out / SUMMARY / INFO).read_text())
    assert info["manifest"] == aggregate.manifest_digest(out) and info["summarised"]
    assert info["parameters"] == _params(summarise_above=10)
    assert first.source == "summary"
    # the folder is for sharing, as the datasets beside it (not the 0700 of a temporary one)
    assert (out / SUMMARY).stat().st_mode & 0o777 == (out / "figures").stat().st_mode & 0o777
    written = {p.name: p.stat().st_mtime_ns for p in (out / SUMMARY).iterdir()}
    again = report_sections(out, **_report(_params(summarise_above=10)))
    assert again.source == "summary"
    assert {p.name: p.stat().st_mtime_ns for p in (out / SUMMARY).iterdir()} == written
    # another report (other parameters) is grouped from the figures and leaves them as they are
    other = report_sections(out, **_report(_params(summarise_above=10, kinds=[])))
    assert other.source == "figures" and "sets kinds=" in other.note
    assert {p.name: p.stat().st_mtime_ns for p in (out / SUMMARY).iterdir()} == written


@pytest.mark.parametrize("how", ["write fails", "folder not writable"])
def test_a_report_that_cannot_write_the_summary_tables_groups_every_figure_saying_why(
        tmp_path, monkeypatch, how):
    out = tmp_path / "out"
    assert cli.main(["extract", str(DEV), "--out", str(out), "--jobs", "1",
                     "--no-progress"]) in (0, 3)
    monkeypatch.setattr(aggregate, "default_parameters", lambda: _params(summarise_above=10))
    tried: list[bool] = []

    def refuse(*args, **kwargs):
        tried.append(True)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(aggregate, "write_summary", refuse)
    if how == "folder not writable":  # found before grouping every figure for the tables
        monkeypatch.setattr(aggregate.os, "access", lambda path, mode: False)
    shown = report_sections(out, **_report(_params(summarise_above=10)))
    assert shown.source == "figures" and shown.summarised
    assert "could not be written" in shown.note and "Permission denied" in shown.note
    assert tried == ([True] if how == "write fails" else [])
    assert not (out / SUMMARY).exists()


def test_a_summary_that_is_not_json_is_named(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "bad")
    (folder / SUMMARY / INFO).write_text("{not json")
    with pytest.raises(SummaryError, match=f"{SUMMARY}/{INFO}.*the next report writes it again"):
        report_sections(folder, **_report(_params(summarise_above=10)))


def test_a_summary_table_that_cannot_be_read_is_named(extracted, tmp_path):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "cut")
    (folder / SUMMARY / "claims.parquet").write_bytes(b"not parquet")
    with pytest.raises(SummaryError, match=r"claims\.parquet: cannot be read"):
        report_sections(folder, **_report(_params(summarise_above=10)))


def test_a_failed_write_leaves_the_previous_summary_tables_whole(extracted, tmp_path,
                                                                  monkeypatch):
    folder = shutil.copytree(extracted["seeds"], tmp_path / "whole")
    before = {p.name: p.read_bytes() for p in (folder / SUMMARY).iterdir()}

    def fail(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    with pytest.raises(OSError, match="disk full"):
        write_summary(folder, parameters=_params(summarise_above=5))
    assert {p.name: p.read_bytes() for p in (folder / SUMMARY).iterdir()} == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".kit-tmp")]


@pytest.mark.parametrize("max_dates", [1, 2, 30])
def test_the_comparison_kept_for_its_last_dates_draws_the_table_of_all_its_rows(
        extracted, max_dates):
    filters = {k: default_parameters()[k] for k in ("kinds", "nouns", "statuses")}
    shown = sections(report_frames(extracted["dev"], **filters), filters=filters,
                     summarise_above=10)
    whole = shown.comparison
    cut = aggregate._last_dates(whole, shown.cited, max_dates)
    assert len(cut) < len(whole) or max_dates == 30
    assert claim_tables.comparison_html(cut, shown.cited, max_dates=max_dates) == \
        claim_tables.comparison_html(whole, shown.cited, max_dates=max_dates)


@pytest.mark.parametrize("per_claim", [1, 2])
def test_disagreements_kept_for_their_first_sentences_draw_the_list_of_all_their_rows(
        extracted, per_claim):
    filters = {k: default_parameters()[k] for k in ("kinds", "nouns", "statuses")}
    shown = sections(report_frames(extracted["dev"], **filters), filters=filters,
                     summarise_above=10)
    for limit in (shown.limit, 2):
        whole = shown.disagreements
        cut = aggregate._first_sentences(whole, per_claim)
        assert len(cut) < len(whole) or per_claim > 1
        assert claim_tables.discrepancies_html(cut, shown.cited, limit=limit,
                                               per_claim=per_claim) == \
            claim_tables.discrepancies_html(whole, shown.cited, limit=limit,
                                            per_claim=per_claim)


def _archive_datasets():
    """scripts/archive_datasets.py (copies of an extract's articles as an archive)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "archive_datasets", REPO / "scripts" / "archive_datasets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(extracted, tmp_path_factory) -> Path:
    """The datasets of an archive of 600 copies of the development corpus's articles (33
    outlets, thousands of figures, their claims made by the kit as kit extract makes
    them)."""
    out = tmp_path_factory.mktemp("archive") / "datasets"
    _archive_datasets().write_archive_datasets(extracted["dev"], out, 600, summary=False)
    return out


def _tables(folder: Path) -> tuple[dict, dict]:
    return ({p.name: pd.read_parquet(p) for p in sorted((folder / SUMMARY).glob("*.parquet"))},
            json.loads((folder / SUMMARY / INFO).read_text()))


@pytest.mark.parametrize("changed", [
    {"kinds": []}, {"kinds": [], "summarise_above": 300},
    {},  # the kinds kept cut a claim of the datasets: the claims of the kept figures are made
    {"kinds": [], "tolerance": "0.05"}])
def test_summary_tables_made_from_the_datasets_month_by_month_are_those_grouped_from_every_figure(
        archive, monkeypatch, changed):
    from kit.report import summarise

    params = _params(**changed)
    assert summarise.summarised_sections(archive, None, params, ("auto",)) is not None
    assert write_summary(archive, parameters=params)
    lean, lean_info = _tables(archive)
    monkeypatch.setattr(summarise, "summarised_sections", lambda *args, **kwargs: None)
    assert write_summary(archive, parameters=params)
    every, every_info = _tables(archive)
    assert list(lean) == list(every) and len(lean) == 8
    for name, table in every.items():
        pd.testing.assert_frame_equal(lean[name], table, obj=name)
    assert lean_info == every_info
    assert len(every["chart-auto.parquet"]) > 50 and len(every["corpus.parquet"]) > 10
    assert len(every["disagreements.parquet"]) and len(every["comparison.parquet"])


def test_claims_of_the_datasets_cut_by_the_filters_are_made_again_for_their_groups(
        archive, monkeypatch):
    import kit
    from kit.claims.grouping import claimant_key
    from kit.report import kept as kept_figures, summarise

    filters = {k: _params()[k] for k in ("kinds", "nouns", "statuses")}
    kept, _ = kept_figures.read_kept(archive, filters, False)
    assert summarise._claims(archive, kept) is None  # a claim mixes kinds the filter cuts
    # the claims of the groups whose claims are cut made again, the others read
    lex = resolve(None)
    grouped, real = [], kit.claims
    monkeypatch.setattr(kit, "claims", lambda f, **kw: grouped.append(f) or real(f, **kw))
    mended, members = summarise._claims(archive, kept, lex)
    monkeypatch.setattr(kit, "claims", real)
    pd.testing.assert_frame_equal(mended, summarise._made_claims(kept, lex, "rounding"))
    # each claim's figures carried from the dataset's claims or the claims made again
    looked_up = summarise._members(kept, mended)
    for name in ("at", "starts", "sizes"):
        assert getattr(members, name).tolist() == getattr(looked_up, name).tolist()
    # fewer figures than those of the claimants concerned: only their cut groups' figures
    [again] = grouped
    concerned = {claimant_key(c) for c in again["claimant"].astype(str)}
    claimant = kept.coded["claimant"]
    theirs = sum(int((claimant.codes == i).sum()) for i, v in enumerate(claimant.values)
                 if claimant_key(v) in concerned)
    assert 0 < len(again) < theirs
    made = summarise.summarised_sections(archive, None, _params(), ("auto",))
    data = report_frames(archive, **filters)
    assert data.claims_from == "figures"
    pd.testing.assert_frame_equal(made.claims.reset_index(drop=True), sections(
        data, filters=filters, summarise_above=_params()["summarise_above"])
        .claims.reset_index(drop=True))


@pytest.mark.parametrize("high", [10, 10 ** 9])
def test_kept_figures_are_ordered_as_numpy_lexsort_orders_their_keys(high):
    from kit.report.kept import _lexsort

    rng = np.random.default_rng(7)
    for n in (0, 1, 50, 5_000):
        keys = (rng.integers(-1, high, n), rng.integers(0, 3, n), rng.integers(-5, high, n),
                rng.integers(-1, 7, n))
        assert _lexsort(keys).tolist() == np.lexsort(keys).tolist()


def test_many_distinct_strings_are_recoded_in_the_order_python_sorts_them():
    from kit.report.kept import Coded

    rng = np.random.default_rng(3)
    letters = list("abzAZ0éÄ😀 ")
    values = sorted({"".join(rng.choice(letters, rng.integers(1, 7))) for _ in range(30_000)},
                    key=lambda v: rng.random())
    codes = rng.integers(-1, len(values), 50_000)
    recoded = Coded(codes, values).recoded()
    assert recoded.values == sorted(values)
    assert [recoded.values[c] if c >= 0 else None for c in recoded.codes.tolist()] == \
        [values[c] if c >= 0 else None for c in codes.tolist()]


def test_claims_read_whole_carry_the_places_of_their_figures_among_the_kept_ones(archive):
    from kit.report import kept as kept_figures, summarise

    filters = {k: _params(kinds=[])[k] for k in ("kinds", "nouns", "statuses")}
    kept, _ = kept_figures.read_kept(archive, filters, False)
    claims, members = summarise._claims(archive, kept)  # (no claim cut: read whole)
    looked_up = summarise._members(kept, claims)
    assert len(claims) and members.sizes.sum() == len(kept)
    for name in ("at", "starts", "sizes"):
        assert getattr(members, name).tolist() == getattr(looked_up, name).tolist()


def _huge_pages_refused() -> bool | None:
    """Whether Linux refuses this process transparent huge pages (None: not Linux, or
    the kernel does not say)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    said = ctypes.CDLL(None).prctl(42, 0, 0, 0, 0)  # (PR_GET_THP_DISABLE)
    return None if said < 0 else bool(said)


def test_cycle_collection_and_huge_pages_pause_while_summary_tables_are_made(
        extracted, monkeypatch):
    import gc

    from kit.report import summarise

    seen, real = [], summarise.summarised_sections

    def watched(*args, **kw):
        seen.append((gc.isenabled(), _huge_pages_refused()))
        return real(*args, **kw)

    monkeypatch.setattr(summarise, "summarised_sections", watched)
    before = _huge_pages_refused()  # (False here; True when this process inherited it)
    assert gc.isenabled()
    assert write_summary(extracted["seeds"], parameters=_params(summarise_above=10))
    assert seen == [(False, None if before is None else True)]
    assert gc.isenabled() and _huge_pages_refused() == before

    def failing(*args, **kw):
        raise OSError("disk gone")

    monkeypatch.setattr(summarise, "summarised_sections", failing)
    with pytest.raises(OSError):
        write_summary(extracted["seeds"], parameters=_params(summarise_above=10))
    assert gc.isenabled() and _huge_pages_refused() == before  # (as they were: failed too)
    gc.disable()
    try:  # a caller that paused collection itself finds it paused still
        with pytest.raises(OSError):
            write_summary(extracted["seeds"], parameters=_params(summarise_above=10))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_figures_dataset_flags_restated_values_and_the_kept_figures_read_the_flag(
        tmp_path):
    """kit extract stores whether a figure restates an earlier value ("up from 68"); the
    report reads that flag; a dataset without it is refused, naming the file."""
    import pyarrow.parquet as pq

    from kit.output.archive import ArchiveError
    from kit.output.datasets import RESTATES
    from kit.report.kept import read_kept

    flood = REPO / "tests" / "data" / "flood"
    out = tmp_path / "out"
    assert cli.main(["extract", str(flood), "--out", str(out), "--lexicon",
                     str(flood / "lexicon"), "--jobs", "1", "--no-progress"]) in (0, 3)
    figs = pd.read_parquet(out / "figures")
    before = [s[max(0, a - 12):a] for s, a in
              zip(figs["sentence"], figs["start"] - figs["sentence_start"])]
    assert figs[RESTATES].tolist() == [b.rstrip().endswith(("up from", "down from"))
                                       for b in before]
    assert figs[RESTATES].sum() == 3
    filters = {"kinds": [], "nouns": [], "statuses": list(default_parameters()["statuses"])}
    kept, _ = read_kept(out, filters, False)
    restated = kept.figure_id.filter(kept.earlier).to_pylist()
    assert sorted(restated) == sorted(figs.loc[figs[RESTATES], "figure_id"])
    for path in (out / "figures").glob("month=*/*.parquet"):  # as an older kit wrote them
        pq.write_table(pq.read_table(path).drop_columns([RESTATES]), path)
    with pytest.raises(ArchiveError, match="no column restates_earlier"):
        read_kept(out, filters, False)


def test_the_largest_disagreements_the_summary_tables_keep_are_those_of_every_figure(
        extracted, tmp_path, monkeypatch):
    """Past the number of claims a summary lists, the disagreements of the most figures
    are kept (ties: the first), numbered as among all: those kit.discrepancies keeps with
    that limit from every kept figure."""
    import kit
    from kit.present import summary

    folder = shutil.copytree(extracted["dev"], tmp_path / "dev")
    shutil.rmtree(folder / SUMMARY)
    monkeypatch.setattr(summary, "N_CLAIMS", 3)  # (the summary's claims and disagreements)
    params = _params(summarise_above=10)
    assert write_summary(folder, parameters=params)
    read = read_summary(folder, scale="auto").disagreements
    frames = report_frames(folder, **{k: params[k] for k in ("kinds", "nouns", "statuses")})
    whole = kit.discrepancies(frames.figs, frames.claims, limit=3)
    assert whole.attrs["discrepancies"] == read.attrs["discrepancies"] > 3

    def kept(d):
        return {k: (g["issue"].iloc[0], sorted(set(g["claim_id"])))
                for k, g in d.groupby("discrepancy_id")}
    assert kept(read) == kept(whole) and len(kept(read)) == 3
