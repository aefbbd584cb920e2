"""A story is a folder: ``kit story new``, ``lexicon=`` on every stage, ``--lexicon`` on
every command, ``KIT_LEXICON``, the notebooks' ``lexicon`` parameter, report.yaml
defaults, and knowledge files checked (file, line, what is expected) before any work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, make_corpus, render

import kit
from kit import cli, lexicon
from kit.present import tables
from kit.story import new_story

# An invented flood story whose sources no kit file knows.
FLOOD = """Valley flood toll rises

By Mara Quill, Valley Courier
12 March 2031

HALVIK — At least 23 people have died in the floods, the Halvik Water Board said on Tuesday.

Volunteers of the RRT told reporters they had pulled 140 people from the water since Sunday.
"""
CLAIMANTS = """canonical,kind,country,role,pattern
Riverside Relief Trust,origin,Westland,charity,riverside relief(?: trust)?|(?-i:RRT)
Halvik Water Board,origin,Westland,government,(?:halvik )?water board
"""


def story(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def flood(tmp_path) -> tuple[Path, Path]:
    corpus = make_corpus(tmp_path / "flood", {"day1.txt": FLOOD})
    return corpus, story(tmp_path / "story", claimants__csv=CLAIMANTS)


def claimants_of(figs) -> set[str]:
    return set(figs["claimant"])


# --------------------------------------------------------------------------- kit story new

def test_story_new_writes_every_knowledge_file_and_report_defaults(tmp_path):
    written = new_story(tmp_path / "mystory")
    names = {p.name for p in written}
    assert names == set(lexicon.SPECS) | {"report.yaml"}
    text = (tmp_path / "mystory" / "status_cues.csv").read_text()
    assert "status,pattern" in text and "one of deployed, planned" in text
    # the starter folder loads as it is: headers right, examples commented out
    lex = lexicon.load(tmp_path / "mystory")
    assert lex.folders == ((tmp_path / "mystory").resolve(),)
    assert all(not r["_where"].startswith(str(tmp_path)) for r in lex.tables["claimants.csv"])


def test_story_new_refuses_to_overwrite_and_keeps_the_analysts_files(tmp_path, capsys):
    folder = story(tmp_path / "mine", claimants__csv=CLAIMANTS)
    assert cli.main(["story", "new", str(folder)]) == 2
    assert "already holds claimants.csv" in capsys.readouterr().err
    assert (folder / "claimants.csv").read_text() == CLAIMANTS
    assert sorted(p.name for p in folder.iterdir()) == ["claimants.csv"]


# --------------------------------------------------------------------------- lexicon= on stages

def test_story_claimants_name_the_sources_through_the_api(flood):
    corpus, folder = flood
    plain = kit.figures(kit.load_corpus(corpus))
    mine = kit.figures(kit.load_corpus(corpus), lexicon=folder)
    assert "Riverside Relief Trust" not in claimants_of(plain)
    assert {"Riverside Relief Trust", "Halvik Water Board"} <= claimants_of(mine)
    # sentences, figures and claims all take the folder
    sents = kit.sentences(kit.load_corpus(corpus), lexicon=folder)
    again = kit.figures(kit.load_corpus(corpus), sents, lexicon=str(folder))
    assert claimants_of(again) == claimants_of(mine)
    assert {"Riverside Relief Trust"} <= set(kit.claims(mine, lexicon=folder)["claimant"])


def test_users_rows_win_over_the_kits_own(tmp_path):
    # the kit maps "Pentagon" to US officials; the story says it is someone else
    folder = story(tmp_path / "s", claimants__csv="canonical,kind,country,role,pattern\n"
                   "Pentagon press office,origin,United States,government,pentagon\n")
    text = "Strike update\n\nAbout 40 soldiers were killed, the Pentagon said on Friday.\n"
    assert set(kit.figures_in_text(text)["claimant"]) == {"US officials"}
    assert set(kit.figures_in_text(text, lexicon=folder)["claimant"]) == {"Pentagon press office"}


def test_story_noun_families_and_outlets_are_read_from_the_folder(tmp_path):
    folder = story(tmp_path / "s",
                   noun_families__csv="noun,family\nrescuers,responders\nfirefighters,responders\n",
                   outlets__csv="name,domain,aliases\nValley Courier,valleycourier.example,The Courier\n")
    text = ("Rescue effort\n\nBy Ina Sorel, Valley Courier\n\nAbout 300 rescuers and about 300 "
            "firefighters were sent to Halvik, the regional council said.\n")
    figs = kit.figures_in_text(text, lexicon=folder)
    assert len(kit.claims(figs)) == 2  # without the story, two families
    assert len(kit.claims(figs, lexicon=folder)) == 1
    corpus = make_corpus(tmp_path / "c", {"a.txt": text})
    assert kit.load_corpus(corpus, lexicon=folder)["outlet"].tolist() == ["Valley Courier"]


def test_kit_lexicon_environment_variable_is_the_default(flood, monkeypatch):
    corpus, folder = flood
    monkeypatch.setenv("KIT_LEXICON", str(folder))
    assert "Riverside Relief Trust" in claimants_of(kit.figures(kit.load_corpus(corpus)))
    monkeypatch.setenv("KIT_LEXICON", "troops")  # a shipped story, by name
    assert lexicon.resolve().folders == (lexicon.STORIES / "troops",)


def test_a_status_cue_row_with_status_other_is_used_not_a_crash(tmp_path):
    folder = story(tmp_path / "s", status_cues__csv="status,pattern\nother,\\bqueued\\b\n")
    figs = kit.figures_in_text("Border\n\nAbout 400 trucks queued at the border, police said.\n",
                               lexicon=folder)
    assert figs["status"].tolist() == ["other"]


# --------------------------------------------------------------------------- checked files

@pytest.mark.parametrize("name, text, expected", [
    ("status_cues.csv", "status,pattern\ncasualties,\\bdrowned\\b\nsunk,\\bsank\\b\n",
     "status_cues.csv:3: unknown status 'sunk'; expected one of deployed, planned, casualties"),
    ("claimants.csv", "canonical,kind,country,role,pattern\nBoard,origin,,,water (board\n",
     "claimants.csv:2: bad regular expression 'water (board'"),
    ("counted_nouns.csv", "# nouns\nnoun\nrescuers\n",
     "counted_nouns.csv:2: header noun lacks column(s) kind; expected noun,kind"),
    ("hedges.csv", "phrase,position,qualifier\nas many as,before,roughly\n",
     "hedges.csv:2: unknown qualifier 'roughly'"),
    ("claimants.csv", "canonical,kind,country,role,pattern\n,origin,,,board\n",
     "claimants.csv:2: empty canonical"),
])
def test_a_broken_knowledge_file_names_file_line_and_what_is_expected(tmp_path, name, text,
                                                                       expected):
    folder = story(tmp_path / "bad", **{name.replace(".", "__"): text})
    with pytest.raises(lexicon.LexiconError) as err:
        lexicon.load(folder)
    assert str(folder / name) in str(err.value) and expected.split(":", 1)[1] in str(err.value)
    assert expected.split(":", 2)[1].strip() in str(err.value)  # the line number


@pytest.mark.parametrize("command", ["figures", "export", "evaluate", "report"])
def test_every_command_exits_2_on_a_broken_story_before_any_work(tmp_path, capsys, command):
    folder = story(tmp_path / "bad", status_cues__csv="status,pattern\nsunk,\\bsank\\b\n")
    corpus = make_corpus(tmp_path / "c", {"a.txt": FLOOD})
    out = tmp_path / "out"
    argv = {"figures": ["figures", str(corpus)],
            "export": ["export", str(corpus), "--out", str(out)],
            "evaluate": ["evaluate", str(tmp_path / "gold.jsonl"), str(corpus)],
            "report": ["report", "--corpus", str(corpus), "--out", str(out)]}[command]
    (tmp_path / "gold.jsonl").write_text("")
    assert cli.main([*argv, "--lexicon", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "status_cues.csv:2: unknown status 'sunk'" in err
    assert not out.exists()  # nothing written


def test_an_unknown_story_name_lists_the_shipped_ones(capsys):
    assert cli.main(["figures", "seeds", "--lexicon", "no-such-story"]) == 2
    assert "troops" in capsys.readouterr().err


def test_kit_figures_lexicon_option_matches_the_api(flood, capsys):
    corpus, folder = flood
    assert cli.main(["figures", str(corpus), "--lexicon", str(folder), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    api = kit.figures(kit.load_corpus(corpus), lexicon=folder)
    assert [r["claimant"] for r in rows] == api["claimant"].tolist()


# --------------------------------------------------------------------------- reports

def test_story_neutral_report_filter_explains_what_it_dropped():
    text = ("Aid\n\nAbout 1,200 tents and 300 people arrived in Halvik, the council said.\n")
    figs = kit.figures_in_text(text)
    filters = dict(kinds=list(tables.PEOPLE_KINDS), nouns=["troops"], statuses=[])
    kept = tables.select(figs, **filters)
    page = tables.summary_html(_articles(text), figs, kept, filters=filters)
    assert "<code>kinds</code> = people, forces: dropped 1 (tents 1)" in page
    assert "none about the nouns troops: set `nouns`" in page


def _articles(text: str):
    import pandas as pd

    from kit import schema

    return schema.conform(pd.DataFrame([dict(article_id="a", path="a.txt", outlet=None,
                                             title=None, byline=None, published=None,
                                             url=None, encoding="utf-8", text=text)]),
                          "articles")


@pytest.mark.slow
def test_kit_report_lexicon_and_report_yaml_change_the_report_like_the_api(flood, tmp_path):
    corpus, folder = flood
    (folder / "report.yaml").write_text('title: "Halvik floods"\nnouns: [people]\n')
    out = tmp_path / "out"
    assert render(corpus, out, "--lexicon", str(folder), "--param", "scale=linear") == 0
    page = (out / "estimates.html").read_text()
    assert "Halvik floods" in page and "Riverside Relief Trust" in page
    record = json.loads((out / "runs.jsonl").read_text().splitlines()[-1])
    params = record["reports"][0]["parameters"]
    assert params["lexicon"] == str(folder.resolve()) and params["nouns"] == ["people"]
    assert params["scale"] == "linear"  # --param wins over report.yaml
    plain = tmp_path / "plain"
    assert render(corpus, plain) == 0
    assert "Riverside Relief Trust" not in (plain / "estimates.html").read_text()


def test_report_yaml_with_an_unknown_parameter_exits_2_naming_it(flood, tmp_path, capsys):
    corpus, folder = flood
    (folder / "report.yaml").write_text("nounz: [people]\n")
    assert render(corpus, tmp_path / "out", "--lexicon", str(folder)) == 2
    assert "report.yaml: unknown parameter(s) nounz" in capsys.readouterr().err


@pytest.mark.slow
def test_notebook_lexicon_parameter_matches_the_api(flood, tmp_path):
    import papermill

    corpus, folder = flood
    out = tmp_path / "run.ipynb"
    papermill.execute_notebook(str(REPO / "notebooks" / "estimates.ipynb"), str(out),
                               parameters={"corpus": str(corpus), "lexicon": str(folder)},
                               kernel_name="python3", progress_bar=False,
                               cwd=str(REPO / "notebooks"))
    nb = nbformat.read(out, as_version=4)
    shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                    for o in c.get("outputs", []))
    api = kit.figures(kit.load_corpus(corpus), lexicon=folder)
    for name in set(api["claimant"]) - {"unattributed"}:
        assert name in shown
    assert "Riverside Relief Trust" in shown


def test_the_kit_runs_outside_a_checkout_with_a_story_name(tmp_path):
    proc = subprocess.run([sys.executable, "-c", "import kit, sys; "
                           "print(kit.lexicon.resolve('troops').folders[0].name)"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "troops"


def test_an_unknown_kind_is_a_usage_error_naming_the_known_ones(flood, tmp_path, capsys):
    corpus, folder = flood
    assert render(corpus, tmp_path / "out", "--param", "kinds=peple") == 2
    err = capsys.readouterr().err
    assert "unknown kind(s) 'peple'" in err and "people" in err
    assert not (tmp_path / "out").exists()


def test_a_misspelt_knowledge_file_is_named_not_ignored_silently(tmp_path):
    folder = story(tmp_path / "s", claimant__csv=CLAIMANTS)  # claimant.csv: a typo
    with pytest.warns(UserWarning, match=r"claimant\.csv is not a knowledge file"):
        lexicon.load(folder)


def test_a_file_given_as_lexicon_says_a_folder_is_expected(tmp_path):
    path = tmp_path / "claimants.csv"
    path.write_text(CLAIMANTS)
    with pytest.raises(lexicon.LexiconError, match="is a file; give the story folder"):
        lexicon.resolve(path)


def test_the_dropped_nouns_list_says_when_it_is_cut():
    text = "Aid\n\n" + " ".join(f"About {n} {w} arrived." for n, w in zip(
        range(11, 19), ["tents", "trucks", "boats", "tonnes", "crates", "pallets", "vans",
                        "drums"])) + "\n"
    figs = kit.figures_in_text(text)
    dropped = tables.filtered_out(figs, kinds=["people"])
    assert dropped.loc[0, "dropped"] == len(figs) == 8
    assert dropped.loc[0, "examples"].endswith("and 2 more noun(s): 2")
