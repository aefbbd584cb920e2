"""Loading a corpus (kit.load.load_corpus): the articles frame, its metadata from the
text, HTML heads and sources.csv, paths given in every form, and files that are skipped.

Every bad input is made here, in tmp_path, so the case is visible next to its check.
How bytes become text is in test_decoding.py, the metadata guesses one by one in
test_metadata.py, hostile and broken files at scale in test_bad_input.py.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import FICTION, SEEDS, row

from kit.load import CorpusError, load_corpus

SEED_FILES = sorted(SEEDS.glob("*.txt"))
BODY = "The council said about 300 volunteers helped clear the fictional river bank on Sunday.\n"
GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------- seeds


def test_seeds_load_with_their_metadata():
    arts = load_corpus(SEEDS)
    assert list(arts["article_id"]) == [p.stem for p in SEED_FILES]
    assert list(arts["path"]) == sorted(arts["path"])
    assert arts.attrs["skipped"] == [] and arts.attrs["problems"] == []

    a = row(arts, "000_a69834a9abde83b1")
    assert a["url"] == ("https://www.themoscowtimes.com/2024/10/21/seoul-summons-russian-"
                        "ambassador-to-protest-north-korean-troop-deployment-a86754")
    assert a["published"] == "2024-10-21"
    assert a["outlet"] == "The Moscow Times"
    assert a["byline"] == "AFP"
    assert a["title"] == "Seoul Summons Russian Ambassador to Protest North Korean Troop Deployment"

    a = row(arts, "001_c74e79aa471bf436")
    assert (a["outlet"], a["published"], a["title"]) == ("AFP", "2024-10-21", None)

    a = row(arts, "002_7d623ca23cdba7a0")
    assert a["title"] == ("Seoul summons Russian envoy, calls for 'immediate withdrawal "
                          "of North Korean troops'")
    assert a["outlet"] == "The Kyiv Independent"
    assert a["byline"] == "Martin Fornusek and The Kyiv Independent news desk"
    assert a["published"] == "2024-10-21"

    a = row(arts, "003_7ee03ff78cfb71ee")
    assert a["byline"] == "Editor"
    assert a["title"] == "Seoul recalls ambassador for sending troops from the North to Russia"
    assert a["published"] is None and a["url"] is None

    a = row(arts, "004_5c51c3c021cbefec")
    assert a["byline"] == "Justin McCurry"
    assert a["outlet"] == "The Guardian"
    assert a["published"] == "2024-10-21"
    assert a["title"] == "South Korea summons Russian envoy over North Korean troop deployment"


def test_seed_metadata_is_inferred_without_sources_csv(tmp_path):
    for p in SEED_FILES:
        shutil.copy(p, tmp_path / p.name)
    arts = load_corpus(tmp_path)
    assert row(arts, "000_a69834a9abde83b1")["outlet"] == "The Moscow Times"  # from the URL
    assert row(arts, "002_7d623ca23cdba7a0")["outlet"] == "The Kyiv Independent"  # byline
    assert row(arts, "004_5c51c3c021cbefec")["outlet"] == "The Guardian"  # outlet line
    assert row(arts, "001_c74e79aa471bf436")["outlet"] is None  # not guessed from a caption
    assert row(arts, "001_c74e79aa471bf436")["published"] == "2024-10-21"  # date marker


def test_text_is_the_file_exactly_and_files_are_untouched():
    before = digest(SEEDS)
    arts = load_corpus(SEEDS)
    assert digest(SEEDS) == before
    for p in SEED_FILES:
        a = row(arts, p.stem)
        assert a["text"] == p.read_bytes().decode("utf-8")
        assert a["encoding"] == "utf-8"
        assert a["path"] == str(SEEDS / p.name)


# --------------------------------------------------------------------------- fictional corpus


def test_markdown_html_and_txt_files_load_with_their_metadata():
    arts = load_corpus(FICTION)
    md = row(arts, "lantern_ferry")
    assert md["title"] == "Port Verity ferry line adds 40 boats for the winter season"
    assert md["byline"] == "Mira Quell"
    assert md["published"] == "2025-10-03"
    assert md["url"] == "https://lantern-gazette.example/2025/10/03/ferry-line-adds-boats"
    assert md["outlet"] == "lantern-gazette.example"  # unknown domain: the bare domain

    txt = row(arts, "quarry_strike")
    assert txt["title"] == "Quarry workers at Bramblewick end three-week strike"
    assert txt["byline"] == "Odile Penhallow"  # the name line under headline and standfirst
    assert txt["published"] == "2025-03-14"
    assert txt["outlet"] == "The Lantern Gazette"  # from tests/data/corpus/sources.csv

    html = row(arts, "valley_fair")
    assert html["title"] == "Valley fair draws 12,000 visitors"
    assert html["outlet"] == "The Hollow Valley Courier"
    assert html["byline"] == "Tobin Ashgrove"
    assert html["published"] == "2025-08-14"
    assert html["url"] == "https://courier.example/2025/08/14/valley-fair"
    text = html["text"]
    for hidden in ("secret-script-text", "another-secret-script", "trackingNumber",
                   "secret-style-rule", "color: red", "enable-javascript-notice", "<p>"):
        assert hidden not in text
    # the byline is the page's metadata, not article text (kit.load.page: trafilatura)
    assert text.startswith("Valley fair draws 12,000 visitors\n\nFICTIONAL TEST ARTICLE.")
    assert "organisers said.\n\nVolunteers counted more than 300 stalls\nand 45 tractors." in text
    assert "First prize: a pumpkin\n\nSecond prize: a goose" in text


def test_html_without_metadata_keeps_visible_text_only(tmp_path):
    (tmp_path / "page.htm").write_text(
        "<html><head><style>body{x:1}</style></head><body>"
        "<h2>Fictional river cleaned by 300 volunteers</h2><div>First line.</div>"
        "<script>alert('never shown')</script><p>Second line.</p></body></html>",
        encoding="utf-8")
    a = row(load_corpus(tmp_path), "page")
    assert a["text"] == "Fictional river cleaned by 300 volunteers\n\nFirst line.\n\nSecond line."
    assert a["title"] == "Fictional river cleaned by 300 volunteers"


# --------------------------------------------------------------------------- sources.csv


def test_sources_csv_overrides_guesses_and_reports_bad_rows(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(f"Inferred headline of {name} here\n\n{BODY}", encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        "file,outlet,title,byline,published,url\n"
        "a.txt,The Lantern Gazette,Better title,,2025-01-02,https://lantern.example/a\n"
        "nope.txt,X,,,,\n"
        "b.txt,,Title from a bad row,,21/10/2024,\n"
        "c.txt,,Another ignored title,,,ftp://lantern.example/c\n"
        "\n"
        "d.txt,,,,2025-02-30,\n",
        encoding="utf-8")
    arts = load_corpus(tmp_path)
    assert len(arts) == 4
    a = row(arts, "a")
    assert (a["outlet"], a["title"], a["published"], a["url"]) == (
        "The Lantern Gazette", "Better title", "2025-01-02", "https://lantern.example/a")
    assert row(arts, "b")["title"] == "Inferred headline of b.txt here"
    assert row(arts, "c")["title"] == "Inferred headline of c.txt here"
    assert row(arts, "d")["published"] is None
    problems = arts.attrs["problems"]
    assert [p["line"] for p in problems] == [3, 4, 5, 7]
    assert all(p["path"] == str(tmp_path / "sources.csv") for p in problems)
    assert "nope.txt" in problems[0]["reason"]
    assert "YYYY-MM-DD" in problems[1]["reason"] and "21/10/2024" in problems[1]["reason"]
    assert "http" in problems[2]["reason"]
    assert "2025-02-30" in problems[3]["reason"]


def test_sources_csv_without_file_column_is_one_problem(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sources.csv").write_text("name,outlet\na.txt,X\n", encoding="utf-8")
    arts = load_corpus(tmp_path)
    assert len(arts) == 1 and row(arts, "a")["outlet"] is None
    [p] = arts.attrs["problems"]
    assert p["line"] == 1 and "file" in p["reason"]


def test_sources_argument_replaces_the_folder_file(tmp_path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    other = tmp_path / "elsewhere.csv"
    other.write_text("file,byline\na.txt,Nell Fairweather\n", encoding="utf-8")
    assert row(load_corpus(tmp_path, sources=other), "a")["byline"] == "Nell Fairweather"
    with pytest.raises(CorpusError, match="missing.csv"):
        load_corpus(tmp_path, sources=tmp_path / "missing.csv")


# --------------------------------------------------------------------------- paths


def test_missing_path_is_named(tmp_path):
    with pytest.raises(CorpusError, match="no_such_folder"):
        load_corpus(tmp_path / "no_such_folder")


def test_folder_without_articles_is_an_error(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"no \.txt, \.md or \.html files in"):
        load_corpus(tmp_path)


def test_list_of_paths_read_once_and_clashing_stems_get_distinct_ids(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "story.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "two" / "story.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "two" / "other.txt").write_text(BODY, encoding="utf-8")
    arts = load_corpus([tmp_path / "one", str(tmp_path / "two"), tmp_path / "one" / "story.txt"])
    assert len(arts) == 3  # the file given twice is read once
    ids = list(arts["article_id"])
    assert len(set(ids)) == 3 and "other" in ids
    clashing = [i for i in ids if i.startswith("story_")]
    assert len(clashing) == 2 and all(len(i) == len("story_") + 6 for i in clashing)
    assert list(arts["path"]) == sorted(arts["path"])


# --------------------------------------------------------------------------- bad files


def test_bad_files_are_skipped_and_good_ones_kept(tmp_path):
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b" \n\n \r\n")
    (tmp_path / "report.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (tmp_path / "noise.txt").write_bytes(b"\x00\x01\x02\x00" * 500 + b"some words")
    arts = load_corpus(tmp_path)
    assert list(arts["article_id"]) == ["good"]
    reasons = {Path(s["path"]).name: s["reason"] for s in arts.attrs["skipped"]}
    assert set(reasons) == {"empty.txt", "blank.md", "report.txt", "noise.txt"}
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.md"]
    assert "binary" in reasons["report.txt"] and "PDF" in reasons["report.txt"]
    assert "binary" in reasons["noise.txt"]


def test_every_file_skipped_is_an_error_listing_them(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.txt").write_bytes(b"\x00" * 4000)
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert "empty.txt" in str(err.value) and "scan.txt" in str(err.value)


def test_file_over_max_bytes_is_skipped_with_how_to_raise_the_limit(tmp_path):
    (tmp_path / "small.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "big.txt").write_text(BODY * 10, encoding="utf-8")
    arts = load_corpus(tmp_path, max_bytes=200)
    assert list(arts["article_id"]) == ["small"]
    [skip] = arts.attrs["skipped"]
    assert skip["path"].endswith("big.txt")
    assert "max_bytes=200" in skip["reason"] and "load_corpus(" in skip["reason"]
    assert len(load_corpus(tmp_path, max_bytes=10_000)) == 2


def test_one_file_of_a_folder_uses_its_sources_row_only():
    arts = load_corpus(SEEDS / "004_5c51c3c021cbefec.txt")
    assert list(arts["article_id"]) == ["004_5c51c3c021cbefec"]
    assert arts.attrs["problems"] == []  # rows for the other seeds are not errors
    assert row(arts, "004_5c51c3c021cbefec")["outlet"] == "The Guardian"


def test_sources_csv_bad_rows_named_with_their_line(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.csv").write_bytes(
        b"file,outlet,published,url\n"
        b"a.txt,Valley Post,2024-10-21,https://valley.example/a\n"
        b"b.txt,Hill Post,2024-13-01,\n"                  # line 3: no month 13
        b"ghost.txt,X,,\n"                                # line 4: no such file
        b"\"b.txt\",\"Quoted, with comma\",,javascript:x\n")  # line 5: not http(s)
    articles = load_corpus(tmp_path)
    assert len(articles) == 2
    outlets = articles.set_index("article_id")["outlet"]
    assert outlets["a"] == "Valley Post" and pd.isna(outlets["b"])
    problems = articles.attrs["problems"]
    assert [p["line"] for p in problems] == [3, 4, 5]
    assert all(p["path"] == str(tmp_path / "sources.csv") for p in problems)
    assert "2024-13-01" in problems[0]["reason"] and "ghost.txt" in problems[1]["reason"]
    assert "javascript:x" in problems[2]["reason"]


def test_empty_folder_is_an_error_naming_it(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="empty"):
        load_corpus(tmp_path / "empty")
