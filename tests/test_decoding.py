"""Bytes to text (kit.load.decode): the article text is exactly the file's text in
whatever encoding it came, so every later offset points at the written words."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import offsets_hold, row

import kit
from kit.load import load_corpus
from kit.load.decode import decode_bytes
from kit.load.problems import Skip

BODY = "The council said about 300 volunteers helped clear the fictional river bank on Sunday.\n"
GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")
# Latin script with accents and curly quotes: differs between Latin-1, cp1252 and UTF-8
ACCENTED = ("Le conseil a déclaré qu’environ 300 bénévoles ont nettoyé la rivière, dit l’élu. "
            "The mayor said “about 200 boats” sailed, officials said. ")


def load_one(tmp_path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    arts = load_corpus(tmp_path / name)
    assert arts.attrs["skipped"] == []
    return row(arts, Path(name).stem)


def test_latin1_file_decodes_exactly(tmp_path):
    text = ("Le café de Zürich a reçu environ 1500 visiteurs, dit l'élu à la presse locale. "
            "Garçon, crème brûlée ! Ça coûte très cher, déjà. Où est la forêt ? " * 3)
    a = load_one(tmp_path, "latin.txt", text.encode("latin-1"))
    assert a["text"] == text
    assert text.encode("latin-1").decode(a["encoding"]) == text


def test_windows_1252_curly_quotes_decode_exactly(tmp_path):
    data = (b"The mayor said \x93about 200 boats\x94 sailed \x96 an invented regatta, "
            b"it\x92s said. " * 4)
    a = load_one(tmp_path, "cp.txt", data)
    assert a["text"] == data.decode("cp1252")
    assert "\u201cabout 200 boats\u201d" in a["text"] and "\u2019" in a["text"]
    assert "1252" in a["encoding"]


def test_utf16_with_bom_decodes_exactly(tmp_path):
    text = "Fictional headline about 30 geese\n\nAbout 30 geese crossed the road, “officials” said.\n"
    a = load_one(tmp_path, "wide.txt", text.encode("utf-16"))
    assert a["text"] == text and a["encoding"] == "utf-16"


def test_utf8_bom_is_dropped_and_named_utf8_sig(tmp_path):
    text = "Fictional headline about 30 geese\n\nÉtienne counted 30 geese.\n"
    a = load_one(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert a["text"] == text and a["encoding"] == "utf-8-sig"
    assert a["title"] == "Fictional headline about 30 geese"


def test_crlf_line_ends_are_kept(tmp_path):
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


def test_odd_encodings_decode_to_exactly_the_written_text(tmp_path):
    """No mojibake, no normalising."""
    for name, data, expected in [
        ("cp.txt", ACCENTED.encode("cp1252"), ACCENTED),
        ("l1.txt", "Zürich: environ 300 bénévoles, dit l'élu. ".encode("latin-1") * 3,
         "Zürich: environ 300 bénévoles, dit l'élu. " * 3),
        ("w.txt", "\ufeff".encode("utf-16-le") + GOOD.encode("utf-16-le"), GOOD),
        ("b.txt", b"\xef\xbb\xbf" + GOOD.encode(), GOOD),
        ("crlf.txt", GOOD.replace("\n", "\r\n").encode(), GOOD.replace("\n", "\r\n")),
    ]:
        (tmp_path / name).write_bytes(data)
        assert load_corpus(tmp_path / name)["text"].iloc[0] == expected, name


def test_crlf_offsets_match_the_text_column(tmp_path):
    body = ("Fictional ferry headline for a CRLF file\r\n\r\nBy Nell Fairweather\r\n\r\n"
            "About 1,500 passengers crossed on Monday, the company said.\r\n"
            "Between 200 and 300 cars\r\nwaited at the port, officials said.\r\n\r\n"
            "More than 40 boats sailed, the harbour master said.\r\n")
    (tmp_path / "crlf.txt").write_bytes(body.encode())
    articles = load_corpus(tmp_path)
    figs = kit.figures(articles)
    offsets_hold(articles, figs)
    text = articles["text"].iloc[0]
    assert text == body  # \r\n kept: offsets are into the file's own text
    assert sorted(figs["surface"]) == sorted(["About 1,500", "Between 200 and 300",
                                              "More than 40"])
    for f in figs.itertuples():
        assert text[f.start:f.end] == f.surface
        assert "\r" not in f.surface and not f.sentence.endswith("\r")


@pytest.mark.parametrize("data, encoding", [
    (b"plain ascii text", "utf-8"),
    ("caf\u00e9 \u2019quoted\u2019".encode(), "utf-8"),
    (b"\xef\xbb\xbfbom", "utf-8-sig"),
    ("wide".encode("utf-16"), "utf-16"),
    ("wider".encode("utf-32"), "utf-32"),
])
def test_decode_bytes_names_the_encoding(data, encoding):
    text, found = decode_bytes(data)
    assert found == encoding
    assert text == data.decode(encoding)


@pytest.mark.parametrize("data, word", [
    (b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    (b"\x00\x01\x02\x00" * 500 + b"some words", "binary"),
    (b"\xff\xfe" + b"\x00\xd8" * 3, "undecodable"),
    ("\x01\x02\x03".encode("utf-16") * 50, "binary"),  # control characters after a BOM
])
def test_decode_bytes_refuses_what_is_not_text_with_the_reason(data, word):
    with pytest.raises(Skip, match=word):
        decode_bytes(data)


def test_a_few_control_bytes_in_text_are_allowed_and_nuls_become_spaces():
    """Up to 5% control bytes is still text (a stray NUL, a form feed); NULs are
    replaced one for one so no offset moves."""
    data = b"x" * 990 + b"\x00\x0c" * 5
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8" and len(text) == len(data)
    assert "\x00" not in text and text.count(" ") == 5
