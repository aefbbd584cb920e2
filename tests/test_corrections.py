"""corrections.csv: decisions survive re-runs, kit upgrades and renamed files; stale ones
are reported; concurrent writers lose nothing; a bad file is named with its line."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit.review import (CorrectionsError, addition, append, decision, find_words, read,
                        text_hash)

ARTICLE = (
    "Flood relief stretched thin\n\n"
    "The interior ministry said on Tuesday that 2,400 soldiers had been sent to the delta. "
    "Volunteers said about 60 people were injured near the bridge. "
    "A ferryman said 500 goats were lost, and a nurse said nineteen fishermen were missing.\n"
)


def corpus(tmp_path: Path, text: str = ARTICLE, name: str = "delta.txt") -> Path:
    folder = tmp_path / "news"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def figure(figs: pd.DataFrame, surface: str) -> pd.Series:
    hit = figs[figs["surface"] == surface]
    assert len(hit) == 1, (surface, list(figs["surface"]))
    return hit.iloc[0]


def review_three(folder: Path) -> Path:
    """Correct the soldiers' claimant, reject the injured, add the fishermen (missed),
    accept the goats."""
    articles = kit.load_corpus(folder)
    figs = kit.figures(articles)
    text = articles["text"].iloc[0]
    assert "nineteen" not in set(figs["surface"])
    sent = figure(figs, "500")
    start, end = find_words(sent["sentence"], int(sent["sentence_start"]), "nineteen")
    path = folder / "corrections.csv"
    append(path, [
        decision(figure(figs, "2,400"), text, "change", {"claimant": "General Staff"}),
        decision(figure(figs, "about 60"), text, "reject"),
        addition(text, start, end, dict(low=19, high=19, qualifier="exact", what="fishermen",
                                        status="casualties", measure="missing",
                                        claimant="a nurse"), path=str(folder / "delta.txt")),
        decision(figure(figs, "500"), text, "accept"),
    ])
    return path


def test_reviewed_column_says_what_the_review_made_of_each_figure(tmp_path):
    folder = corpus(tmp_path)
    assert set(kit.figures(kit.load_corpus(folder))["reviewed"]) == {"kit"}
    review_three(folder)
    figs = kit.figures(kit.load_corpus(folder))
    assert figure(figs, "2,400")["claimant"] == "General Staff"
    assert figure(figs, "2,400")["reviewed"] == "corrected"
    assert "about 60" not in set(figs["surface"])
    added = figure(figs, "nineteen")
    assert (added["reviewed"], added["low"], added["what"], added["measure"]) == \
        ("added", 19, "fishermen", "missing")
    assert added["sentence"].startswith("A ferryman said 500 goats")
    assert figure(figs, "500")["reviewed"] == "accepted"
    assert figs.attrs["stale_corrections"] == []
    # claims are made of the corrected figures
    claims = kit.claims(figs)
    assert "General Staff" in set(claims["claimant"])


def test_corrections_survive_a_rerun(tmp_path):
    folder = corpus(tmp_path)
    review_three(folder)
    first = kit.figures(kit.load_corpus(folder))
    second = kit.figures(kit.load_corpus(folder))
    pd.testing.assert_frame_equal(first, second)


def test_corrections_survive_a_renamed_file(tmp_path):
    folder = corpus(tmp_path)
    review_three(folder)
    (folder / "delta.txt").rename(folder / "delta-renamed.txt")
    figs = kit.figures(kit.load_corpus(folder))
    assert figs.attrs["stale_corrections"] == []
    assert figure(figs, "2,400")["claimant"] == "General Staff"
    assert figure(figs, "nineteen")["path"].endswith("delta-renamed.txt")


def test_an_edited_article_makes_its_stale_corrections_visible(tmp_path):
    folder = corpus(tmp_path)
    review_three(folder)
    (folder / "delta.txt").write_text(ARTICLE.replace("2,400", "2,600"), encoding="utf-8")
    figs = kit.figures(kit.load_corpus(folder))
    stale = figs.attrs["stale_corrections"]
    assert [s["line"] for s in stale] == [2, 3, 4, 5]
    assert all("changed since the decision" in s["reason"] for s in stale)
    assert "corrections.csv:2 (change of '2,400'" in stale[0]["message"]
    # nothing misapplied: the kit's own figures, none reviewed
    assert set(figs["reviewed"]) == {"kit"}
    assert "about 60" in set(figs["surface"])


def test_a_vanished_article_is_reported(tmp_path):
    folder = corpus(tmp_path)
    review_three(folder)
    (folder / "delta.txt").unlink()
    (folder / "other.txt").write_text("Nothing was counted here today.\n", encoding="utf-8")
    figs = kit.figures(kit.load_corpus(folder))
    assert all("vanished" in s["reason"] for s in figs.attrs["stale_corrections"])
    assert len(figs.attrs["stale_corrections"]) == 4


def test_corrections_survive_a_kit_upgrade_that_moves_and_loses_figures(tmp_path, monkeypatch):
    """New extraction rules: 'about 60' is read as '60', '500' and '2,400' are no
    figures any more. The change still applies; accept and reject of spans that are no
    figure now are reported as not applicable."""
    folder = corpus(tmp_path)
    review_three(folder)
    import kit.extract.figures as extraction

    original = extraction.figures

    def upgraded(articles, sentences=None, **options):
        figs = original(articles, sentences, **options)
        figs = figs[~figs["surface"].isin(["500", "2,400"])].copy()
        moved = figs["surface"] == "about 60"
        figs.loc[moved, "start"] += len("about ")
        figs.loc[moved, "surface"] = "60"
        return figs.reset_index(drop=True)

    monkeypatch.setattr(extraction, "figures", upgraded)
    figs = kit.figures(kit.load_corpus(folder))
    soldiers = figure(figs, "2,400")
    assert (soldiers["reviewed"], soldiers["claimant"], soldiers["low"], soldiers["status"]) == \
        ("corrected", "General Staff", 2400, "deployed")
    assert figure(figs, "nineteen")["reviewed"] == "added"
    assert figure(figs, "60")["reviewed"] == "kit"  # the reject named the old span
    reasons = {s["action"]: s["reason"] for s in figs.attrs["stale_corrections"]}
    assert set(reasons) == {"reject", "accept"}
    assert all("not applicable" in r for r in reasons.values())


def test_an_added_figure_replaces_an_overlapping_unreviewed_kit_figure(tmp_path):
    folder = corpus(tmp_path)
    articles = kit.load_corpus(folder)
    text = articles["text"].iloc[0]
    start = text.index("60 people")
    append(folder / "corrections.csv", [addition(text, start, start + 2, dict(
        low=60, high=60, qualifier="exact", what="people", status="casualties",
        measure="injured", claimant="Volunteers"))])
    figs = kit.figures(articles)
    near = figs[figs["sentence"].str.startswith("Volunteers")]
    assert list(near["surface"]) == ["60"] and list(near["reviewed"]) == ["added"]


def test_a_bad_corrections_file_is_named_with_its_line(tmp_path):
    folder = corpus(tmp_path)
    review_three(folder)
    path = folder / "corrections.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"{text_hash(ARTICLE)},10,5,accept,,,,,,,,,,,\n")
        fh.write(f"{text_hash(ARTICLE)},10,15,approve,,,,,,,,,,,\n")
    with pytest.raises(CorrectionsError, match=r"corrections\.csv:6: the span start=10 end=5"):
        kit.figures(kit.load_corpus(folder))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = f"{text_hash(ARTICLE)},10,15,reject,,,,,,,,,,,"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r"corrections\.csv:7: action 'approve' is not"):
        read(path)


def reviewed_corpus(tmp_path):
    """(corrections file, its bytes, articles, figures) of the reviewed test corpus."""
    folder = corpus(tmp_path)
    path = review_three(folder)
    articles = kit.load_corpus(folder)
    return path, path.read_bytes(), articles, kit.figures(articles)


def test_appending_keeps_every_earlier_row_byte_for_byte(tmp_path):
    path, before, articles, figs = reviewed_corpus(tmp_path)
    append(path, [decision(figure(figs, "2,400"), articles["text"].iloc[0], "accept",
                           who="second analyst")])
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    last = read(path)[-1]
    assert (last.who, last.action) == ("second analyst", "accept")
    assert last.when.endswith("+00:00")
    assert read(path)[0].who  # the OS user by default


def test_a_bad_decision_is_refused_before_anything_is_written(tmp_path):
    path, before, articles, figs = reviewed_corpus(tmp_path)
    with pytest.raises(CorrectionsError, match="status 'sent'"):
        append(path, [decision(figure(figs, "500"), articles["text"].iloc[0], "change",
                               {"status": "sent"})])
    assert path.read_bytes() == before


def _writer(path: str, who: str, n: int) -> None:
    text = ARTICLE
    for i in range(n):
        append(Path(path), [addition(text, i, i + 1, {"what": f"thing {i}"}, who=who)])


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "corrections.csv"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), who, 40)) for who in ("ana", "ben")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    rows = read(path)
    assert len(rows) == 80
    for who in ("ana", "ben"):
        assert sorted(r.start for r in rows if r.who == who) == list(range(40))
    assert path.read_text(encoding="utf-8").count("content_hash") == 1  # one header


def run_kit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kit.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_commands_use_the_corrected_figures_and_name_stale_corrections(tmp_path):
    folder = corpus(tmp_path)
    path = review_three(folder)
    moved = tmp_path / "decisions.csv"
    path.rename(moved)
    done = run_kit("figures", str(folder), "--format", "csv", "--corrections", str(moved))
    assert done.returncode == 0, done.stderr
    figs = pd.read_csv(pd.io.common.StringIO(done.stdout))
    assert "General Staff" in set(figs["claimant"])
    assert "about 60" not in set(figs["surface"])
    assert set(figs["reviewed"]) == {"corrected", "added", "accepted"}
    (folder / "delta.txt").write_text(ARTICLE.replace("goats", "sheep"), encoding="utf-8")
    done = run_kit("figures", str(folder), "--format", "csv", "--corrections", str(moved))
    assert done.returncode == 3
    assert f"kit figures: warning: correction {moved}:2 (change of '2,400'" in done.stderr
    assert "changed since the decision" in done.stderr
    done = run_kit("figures", str(folder), "--corrections", str(tmp_path / "none.csv"))
    assert done.returncode == 2 and "none.csv: no such file" in done.stderr
    (folder / "delta.txt").write_text(ARTICLE, encoding="utf-8")
    moved.rename(path)  # back beside the corpus: found without --corrections
    done = run_kit("export", str(folder), "--out", str(tmp_path / "out"), "--format", "csv")
    assert done.returncode == 0, done.stderr
    exported = pd.read_csv(tmp_path / "out" / "figures.csv")
    assert set(exported["reviewed"]) == {"corrected", "added", "accepted"}
    claims = pd.read_csv(tmp_path / "out" / "claims.csv")
    assert "General Staff" in set(claims["claimant"])


def test_evaluate_scores_the_kit_on_the_reviewed_figures(tmp_path):
    """accepted = right, corrected = its wrong fields, added = a miss, rejected = a false
    figure; unreviewed figures are not scored."""
    folder = corpus(tmp_path, ARTICLE + "Later the ministry said 30 trucks arrived.\n")
    path = review_three(folder)
    done = run_kit("evaluate", "--corrections", str(path), str(folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    import json

    result = json.loads(done.stdout)
    assert result["reviews"] == {"accepted": 1, "corrected": 1, "added": 1, "rejected": 1,
                                 "unscored": 1}
    assert (result["expected"], result["matched"], result["found"]) == (3, 2, 3)
    assert [m["surface"] for m in result["misses"]] == ["nineteen"]
    assert [f["surface"] for f in result["false"]] == ["about 60"]
    assert [list(w["fields"]) for w in result["wrong"]] == [["claimant"]]
    assert result["scores"]["claimant"] == 0.5
    text = run_kit("evaluate", "--corrections", str(path), str(folder)).stdout
    assert text.startswith("scored on the reviewed figures: 1 accepted, 1 corrected, 1 added, "
                           "1 rejected; 1 figures of the kit were not reviewed")
    done = run_kit("evaluate", str(folder))
    assert done.returncode == 2 and "GOLD.jsonl) or --corrections" in done.stderr


def test_who_is_the_reviewer_of_the_environment_or_the_os_user(tmp_path, monkeypatch):
    path = tmp_path / "corrections.csv"
    monkeypatch.setenv("KIT_REVIEWER", "desk editor")
    append(path, [addition(ARTICLE, 0, 5, {"what": "x"})])
    monkeypatch.delenv("KIT_REVIEWER")
    append(path, [addition(ARTICLE, 5, 9, {"what": "y"})])
    import getpass

    assert [r.who for r in read(path)] == ["desk editor", getpass.getuser()]


def test_kit_extract_writes_the_corrected_figures_and_reads_them_again_when_decisions_change(
        tmp_path):
    from kit.lexicon import resolve
    from kit.scale.stream import extract_archive

    folder = corpus(tmp_path)
    (folder / "other.txt").write_text("Police said 4,000 people marched on Sunday.\n",
                                      encoding="utf-8")
    review_three(folder)
    out = tmp_path / "data"

    def written() -> pd.DataFrame:
        return pd.read_parquet(out / "figures").sort_values(["article_id", "start"])

    def expected() -> pd.DataFrame:
        return kit.figures(kit.load_corpus(folder)).sort_values(["article_id", "start"])

    run = extract_archive([folder], out, resolve(None))
    assert run.stale == []
    figs = written()
    assert "General Staff" in set(figs["claimant"]) and "about 60" not in set(figs["surface"])
    assert {"corrected", "added", "accepted"} <= set(figs["reviewed"])
    assert figs["figure_id"].tolist() == expected()["figure_id"].tolist()
    assert figs["reviewed"].tolist() == expected()["reviewed"].tolist()
    again = extract_archive([folder], out, resolve(None))
    assert again.extracted == 0 and written()["reviewed"].tolist() == figs["reviewed"].tolist()
    # a new decision: the pieces are read again, only the reviewed article extracted again
    articles = kit.load_corpus(folder)
    text = articles.loc[articles["path"].str.endswith("delta.txt"), "text"].iloc[0]
    append(folder / "corrections.csv",
           [decision(figure(kit.figures(articles), "500"), text, "reject")])
    third = extract_archive([folder], out, resolve(None))
    assert third.extracted == 1 and "500" not in set(written()["surface"])
    assert written()["figure_id"].tolist() == expected()["figure_id"].tolist()
    # the reviewed article edited: its decisions are named, not applied
    (folder / "delta.txt").write_text(text.replace("2,400", "2,500"), encoding="utf-8")
    done = run_kit("extract", str(folder), "--out", str(out), "--jobs", "1")
    assert done.returncode == 3, done.stderr
    assert "warning: correction" in done.stderr and "no article of this corpus" in done.stderr


