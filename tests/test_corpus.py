"""Tests of the loading stage (kit.corpus).

Every bad input is made here, in tmp_path, so the case is visible next to its check.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.corpus import (
    CorpusError,
    clean_byline,
    infer_published,
    infer_title,
    infer_url,
    load_corpus,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FICTION = Path(__file__).parent / "data" / "corpus"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
BODY = "The council said about 300 volunteers helped clear the fictional river bank on Sunday.\n"


def row(frame, article_id):
    hit = frame[frame["article_id"] == article_id]
    assert len(hit) == 1, f"{article_id} not found in {list(frame['article_id'])}"
    return {k: (None if pd.isna(v) else v) for k, v in hit.iloc[0].to_dict().items()}


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


def test_fictional_markdown_html_and_txt():
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
    assert "Valley fair draws 12,000 visitors\n\nBy Tobin Ashgrove\n\n" in text
    assert "organisers said.\n\nVolunteers counted more than 300 stalls\nand 45 tractors." in text
    assert "First prize: a pumpkin\n\nSecond prize: a goose" in text


def test_html_in_tmp_with_script_style_and_no_metadata(tmp_path):
    (tmp_path / "page.htm").write_text(
        "<html><head><style>body{x:1}</style></head><body>"
        "<h2>Fictional river cleaned by 300 volunteers</h2><div>First line.</div>"
        "<script>alert('never shown')</script><p>Second line.</p></body></html>",
        encoding="utf-8")
    a = row(load_corpus(tmp_path), "page")
    assert a["text"] == "Fictional river cleaned by 300 volunteers\n\nFirst line.\n\nSecond line."
    assert a["title"] == "Fictional river cleaned by 300 volunteers"


# --------------------------------------------------------------------------- sources.csv


def test_sources_csv_overrides_and_reports_bad_rows(tmp_path):
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


def test_sources_csv_without_file_column(tmp_path):
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


def test_folder_without_articles(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"no \.txt, \.md or \.html files in"):
        load_corpus(tmp_path)


def test_list_of_paths_and_clashing_stems(tmp_path):
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


def test_file_over_max_bytes(tmp_path):
    (tmp_path / "small.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "big.txt").write_text(BODY * 10, encoding="utf-8")
    arts = load_corpus(tmp_path, max_bytes=200)
    assert list(arts["article_id"]) == ["small"]
    [skip] = arts.attrs["skipped"]
    assert skip["path"].endswith("big.txt")
    assert "max_bytes=200" in skip["reason"] and "load_corpus(" in skip["reason"]
    assert len(load_corpus(tmp_path, max_bytes=10_000)) == 2


# --------------------------------------------------------------------------- encodings


def load_one(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    arts = load_corpus(tmp_path / name)
    assert arts.attrs["skipped"] == []
    return row(arts, Path(name).stem)


def test_latin1(tmp_path):
    text = ("Le café de Zürich a reçu environ 1500 visiteurs, dit l'élu à la presse locale. "
            "Garçon, crème brûlée ! Ça coûte très cher, déjà. Où est la forêt ? " * 3)
    a = load_one(tmp_path, "latin.txt", text.encode("latin-1"))
    assert a["text"] == text
    assert text.encode("latin-1").decode(a["encoding"]) == text


def test_windows_1252_curly_quotes(tmp_path):
    data = (b"The mayor said \x93about 200 boats\x94 sailed \x96 an invented regatta, "
            b"it\x92s said. " * 4)
    a = load_one(tmp_path, "cp.txt", data)
    assert a["text"] == data.decode("cp1252")
    assert "\u201cabout 200 boats\u201d" in a["text"] and "\u2019" in a["text"]
    assert "1252" in a["encoding"]


def test_utf16_with_bom(tmp_path):
    text = "Fictional headline about 30 geese\n\nAbout 30 geese crossed the road, “officials” said.\n"
    a = load_one(tmp_path, "wide.txt", text.encode("utf-16"))
    assert a["text"] == text and a["encoding"] == "utf-16"


def test_utf8_with_bom(tmp_path):
    text = "Fictional headline about 30 geese\n\nÉtienne counted 30 geese.\n"
    a = load_one(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert a["text"] == text and a["encoding"] == "utf-8-sig"
    assert a["title"] == "Fictional headline about 30 geese"


def test_crlf_is_kept(tmp_path):
    data = b"Fictional ferry headline for a CRLF file\r\n\r\nBy Nell Fairweather\r\n\r\n" + \
        BODY.encode().replace(b"\n", b"\r\n")
    a = load_one(tmp_path, "crlf.txt", data)
    assert a["text"] == data.decode("utf-8") and "\r\n" in a["text"]
    assert a["title"] == "Fictional ferry headline for a CRLF file"
    assert a["byline"] == "Nell Fairweather"


def test_stray_nul_bytes_become_spaces(tmp_path):
    data = BODY.encode() * 3 + b"\x00\x00" + BODY.encode()
    a = load_one(tmp_path, "nul.txt", data)
    assert "\x00" not in a["text"]
    assert len(a["text"]) == len(data)
    assert a["text"] == data.decode("utf-8").replace("\x00", " ")


# --------------------------------------------------------------------------- inference helpers


@pytest.mark.parametrize("text, expected", [
    ("date 2024-10-21 Caption text that goes on and on", "2024-10-21"),
    ("Headline here\n\nOct. 21, 2024\n\nBody.", "2024-10-21"),
    ("Headline here\n\n21 October 2024\n\nBody.", "2024-10-21"),
    ("Headline\nby Ann Example October 21, 2024 12:14 PM 2 min read\n", "2024-10-21"),
    ("Headline\nPublished: Sept. 3, 2025 at 10:00 GMT\n", "2025-09-03"),
    (("Headline\n\nA long caption line photographed on April 25, 2017 in an invented town, "
      "showing several people talking outside a building after a meeting\n"), None),
    ("Headline\n\nNo date at all.", None),
])
def test_infer_published(text, expected):
    assert infer_published(text) == expected


def test_published_from_url_path():
    assert infer_published("Headline\n\nBody.", "https://x.example/2023/02/05/story") == "2023-02-05"
    assert infer_published("Headline\n\nBody.", "https://x.example/2023/02/31/story") is None


@pytest.mark.parametrize("text, expected", [
    ("Original url:\n\n<https://a.example/story>", "https://a.example/story"),
    ("Original url: https://a.example/s?id=1", "https://a.example/s?id=1"),
    ("Body.\nhttps://b.example/x\n", "https://b.example/x"),
    ("Body.\nftp://b.example/x\nSee www.c.example for more.", None),
])
def test_infer_url(text, expected):
    assert infer_url(text) == expected


@pytest.mark.parametrize("raw, expected", [
    ("By [AFP](#)", "AFP"),
    ("by Martin Example and The Desk October 21, 2024 12:14 PM 2 min read", "Martin Example and The Desk"),
    ("By **Jo Bloggs**, 21 Oct 2024", "Jo Bloggs"),
])
def test_clean_byline(raw, expected):
    assert clean_byline(raw) == expected


def test_title_skips_navigation_and_pitches_and_refuses_captions():
    text = ("Subscribe to our newsletter\nSkip to content\nBecome a member Gift membership\n\n"
            "Invented town counts 40 new bicycles\n\nBody sentence.")
    assert infer_title(text) == "Invented town counts 40 new bicycles"
    caption = "date 2024-10-21 " + "A very long photo caption about invented people " * 6 + "AFP"
    assert infer_title(caption + "\n\n" + BODY) is None


def test_one_file_of_a_folder_uses_its_sources_row_only():
    arts = load_corpus(SEEDS / "004_5c51c3c021cbefec.txt")
    assert list(arts["article_id"]) == ["004_5c51c3c021cbefec"]
    assert arts.attrs["problems"] == []  # rows for the other seeds are not errors
    assert row(arts, "004_5c51c3c021cbefec")["outlet"] == "The Guardian"


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["2024", "20", "24", "1", "’", "“", "—", "\u00a0", "é", "٢٠٢٤", "٢", "x", " ", "-"]),
                max_size=12).map("".join))
def test_the_quick_year_test_agrees_with_the_regex(line):
    from kit import corpus

    assert corpus._has_year(line) == bool(re.search(r"\d{4}", line))
