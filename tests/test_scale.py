"""Archives: partitions on a Dask cluster give the single-process frames; a bad article
or a lost partition is named and skipped; the incremental store extracts only what
is new or changed (counted, never timed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import kit
from helpers import copy_dev, dev_articles, varied
from kit.cli import main
from kit.lexicon import resolve
from kit.output.export import frames as single_process
from kit.scale import parallel
from kit.scale.run import frames
from kit.scale.store import Store, StoreError

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "tests" / "data" / "dev"




@pytest.fixture(scope="module")
def client():
    from kit.scale.cluster import client_for

    with client_for(2) as c:
        yield c


# --------------------------------------------------------------------------- cluster

@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["seeds", "generated"])
def test_two_worker_cluster_gives_the_single_process_frames(client, corpus, tmp_path):
    folder = REPO / "seeds" if corpus == "seeds" else varied(tmp_path / "g", 0.6, seed=11)
    articles = kit.load_corpus(folder)
    if corpus == "generated":
        assert len(articles) >= 200
    expected = single_process(articles)
    done = parallel.extract(articles, client=client, partition_size=2 if corpus == "seeds" else 37,
                            progress=False)
    assert done.partitions > 2 and done.failed == []
    pd.testing.assert_frame_equal(done.figures, expected["figures"])
    pd.testing.assert_frame_equal(done.sentences, expected["sentences"])


@pytest.mark.slow
def test_local_cluster_workers_run_without_the_profiler_and_the_config_is_restored(client):
    import dask

    from kit.scale.cluster import LOCAL_CLUSTER_CONFIG

    def settings() -> dict:
        import dask

        return {key: dask.config.get(key) for key in LOCAL_CLUSTER_CONFIG}

    seen = client.run(settings)
    assert len(seen) == 2
    assert all(got == LOCAL_CLUSTER_CONFIG for got in seen.values())
    # the workers' loops really run without the profiler's periodic callbacks
    callbacks = client.run(lambda dask_worker: sorted(dask_worker.periodic_callbacks))
    assert all("profile" not in names for names in callbacks.values())
    # the driver's own config is Dask's again once the cluster is up
    assert dask.config.get("distributed.worker.profile.enabled") is True
    # and a worker started again (after a restart, or killed for its memory) keeps them
    client.restart()
    assert all(got == LOCAL_CLUSTER_CONFIG for got in client.run(settings).values())


@pytest.mark.slow
def test_local_cluster_workers_keep_freed_memory_and_this_process_environment_is_unchanged(
        monkeypatch):
    import os

    from kit.scale.cluster import client_for

    names = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "OMP_NUM_THREADS")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    with client_for(1) as client:
        # set before each worker process started, for its C allocator to read
        got = client.run(lambda: [os.environ.get(name) for name in names])
        assert list(got.values()) == [[str(256 * 2 ** 20), str(32 * 2 ** 20), "1"]]
        assert not [name for name in names if name in os.environ]
    assert not [name for name in names if name in os.environ]
    # a variable the caller set is the workers' and stays the caller's
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "131072")
    with client_for(1) as client:
        got = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert list(got.values()) == ["131072"]
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "131072"
    assert not [name for name in names[1:] if name in os.environ]


@pytest.mark.slow
def test_figures_api_takes_a_client_or_a_dask_dataframe(client):
    import dask.dataframe as dd

    articles = kit.load_corpus(DEV)
    expected = kit.figures(articles)
    pd.testing.assert_frame_equal(kit.figures(articles, client=client), expected)
    lazy = dd.from_pandas(articles, npartitions=4)
    got = kit.figures(lazy)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["failed"] == []


@pytest.mark.slow
def test_a_bad_article_is_named_and_skipped_the_rest_of_its_partition_kept(client):
    articles = kit.load_corpus(DEV)
    bad = articles.copy()
    bad["text"] = bad["text"].astype(object)
    bad.loc[3, "text"] = 12345  # a table row whose text is no text
    done = parallel.extract(bad, client=client, partition_size=7, progress=False)
    assert [f["article_id"] for f in done.failed] == [articles["article_id"][3]]
    assert "TypeError" in done.failed[0]["error"]
    expected = kit.figures(articles.drop(index=3))
    pd.testing.assert_frame_equal(done.figures, expected)


@pytest.mark.slow
def test_a_failing_partition_is_reported_and_the_others_kept(client):
    import dask
    import dask.dataframe as dd

    articles = kit.load_corpus(DEV)
    halves = [articles.iloc[:20], articles.iloc[20:]]

    @dask.delayed
    def unreadable():
        raise OSError("part-0001.parquet: truncated file")

    parts = [dask.delayed(halves[0]), unreadable(), dask.delayed(halves[1])]
    lazy = dd.from_delayed(parts, meta=articles.iloc[:0], verify_meta=False)
    done = parallel.extract(lazy, client=client, progress=False)
    assert len(done.failed) == 1
    assert done.failed[0]["partition"] == 1 and "truncated file" in done.failed[0]["error"]
    pd.testing.assert_frame_equal(done.figures, kit.figures(articles))


# --------------------------------------------------------------------------- the store





def test_incremental_run_after_adding_ten_articles_extracts_exactly_those_ten(tmp_path):
    names = dev_articles()
    corpus = copy_dev(names[:30], tmp_path / "corpus")
    store, lex = tmp_path / "store", resolve(None)
    first = frames(kit.load_corpus(corpus), lex, store=store)
    assert (first.extracted, first.reused) == (30, 0)
    copy_dev(names[30:40], corpus)
    articles = kit.load_corpus(corpus)
    second = frames(articles, lex, store=store)
    assert (second.extracted, second.reused) == (10, 30)
    again = frames(articles, lex, store=store)
    assert (again.extracted, again.reused) == (0, 40)
    whole = single_process(articles)
    for name in ("sentences", "figures", "claims"):
        pd.testing.assert_frame_equal(second.frames[name], whole[name])
        pd.testing.assert_frame_equal(again.frames[name], whole[name])


def test_edited_article_is_extracted_again_and_a_renamed_one_is_not(tmp_path):
    names = dev_articles()[:6]
    corpus = copy_dev(names, tmp_path / "corpus")
    store, lex = tmp_path / "store", resolve(None)
    frames(kit.load_corpus(corpus), lex, store=store)
    edited = corpus / names[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPolice said 4,000 people "
                      "attended a vigil on Sunday.\n", encoding="utf-8")
    (corpus / names[1]).rename(corpus / ("renamed_" + names[1]))
    articles = kit.load_corpus(corpus)
    run = frames(articles, lex, store=store)
    assert (run.extracted, run.reused) == (1, 5)
    pd.testing.assert_frame_equal(run.frames["figures"], single_process(articles)["figures"])
    assert any(run.frames["figures"]["article_id"].str.startswith("renamed_"))


def test_changed_knowledge_or_full_extracts_everything_again(tmp_path):
    corpus = copy_dev(dev_articles()[:5], tmp_path / "corpus")
    store = tmp_path / "store"
    articles = kit.load_corpus(corpus)
    frames(articles, resolve(None), store=store)
    story = tmp_path / "story"
    story.mkdir()
    (story / "claimants.csv").write_text(
        "canonical,kind,country,role,pattern\nRiver Authority,origin,,agency,River Authority\n",
        encoding="utf-8")
    changed = frames(articles, resolve(story), store=store)
    assert (changed.extracted, changed.reset) == (5, "the knowledge files changed")
    assert frames(articles, resolve(story), store=store).extracted == 0
    assert frames(articles, resolve(story), store=store, full=True).extracted == 5


def test_a_folder_that_is_not_a_store_is_refused_untouched(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kit store"):
        Store(folder, resolve(None)).update(kit.load_corpus(DEV), lambda a: None)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


# --------------------------------------------------------------------------- command line

def test_extract_command_says_how_many_articles_it_extracted(tmp_path, capsys):
    names = dev_articles()
    corpus = copy_dev(names[:4], tmp_path / "corpus")
    out = tmp_path / "out"
    assert main(["extract", str(corpus), "--out", str(out), "--jobs", "1"]) == 0
    assert "extracted 4 articles" in capsys.readouterr().err
    copy_dev(names[4:6], corpus)
    assert main(["extract", str(corpus), "--out", str(out)]) == 0
    assert "extracted 2 articles; 4 unchanged from the store" in capsys.readouterr().err
    assert main(["extract", str(corpus), "--out", str(out), "--full"]) == 0
    assert "extracted 6 articles" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_bad_jobs_value_exits_2_naming_the_option(jobs, tmp_path, capsys):
    assert main(["figures", str(DEV), "--jobs", jobs]) == 2
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.slow
def test_unreachable_scheduler_exits_1_naming_it(capsys, monkeypatch):
    monkeypatch.setenv("KIT_DASK_SCHEDULER", "tcp://127.0.0.1:9")
    assert main(["figures", str(REPO / "seeds")]) == 1
    assert "tcp://127.0.0.1:9" in capsys.readouterr().err


def test_store_parts_are_never_overwritten_after_a_full_run(tmp_path):
    # the same process, so the same pid: part names must still be new
    names = dev_articles()
    corpus = copy_dev(names[:3], tmp_path / "corpus")
    store, lex = tmp_path / "store", resolve(None)
    frames(kit.load_corpus(corpus), lex, store=store)
    frames(kit.load_corpus(corpus), lex, store=store, full=True)
    for name in names[3:6]:
        copy_dev([name], corpus)
        run = frames(kit.load_corpus(corpus), lex, store=store)
        assert run.extracted == 1
    articles = kit.load_corpus(corpus)
    again = frames(articles, lex, store=store)
    assert (again.extracted, again.reused) == (0, 6)
    pd.testing.assert_frame_equal(again.frames["figures"], single_process(articles)["figures"])


def test_an_unreadable_store_part_is_named_with_the_way_out(tmp_path):
    corpus = copy_dev(dev_articles()[:2], tmp_path / "corpus")
    store, lex = tmp_path / "store", resolve(None)
    frames(kit.load_corpus(corpus), lex, store=store)
    part = next(store.glob("part-*.figures.parquet"))
    part.write_bytes(b"not parquet")
    with pytest.raises(StoreError, match=f"{part.name} cannot be read.*--full"):
        frames(kit.load_corpus(corpus), lex, store=store)


def test_sentences_with_a_cluster_or_store_are_refused():
    articles = kit.load_corpus(REPO / "seeds")
    with pytest.raises(ValueError, match="sentences="):
        kit.figures(articles, kit.sentences(articles), jobs=2)


def test_a_scheduler_that_is_no_address_exits_1_naming_it(capsys):
    assert main(["figures", str(REPO / "seeds"), "--scheduler", "bogus"]) == 1
    err = capsys.readouterr().err
    assert "--scheduler bogus" in err and "Traceback" not in err


def test_partition_size_below_one_exits_2(capsys):
    assert main(["figures", str(REPO / "seeds"), "--partition-size", "0"]) == 2
    assert "--partition-size" in capsys.readouterr().err
