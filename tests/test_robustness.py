"""Robustness (issue 4): bad input, untrusted text, hostile parameters, overlapping
and failing runs, zero figures.

Every bad file is made here, in tmp_path.  Where an item of the issue is already
proven elsewhere, the test is named in the comment of its section.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
from kit import charts, cli, present, report
from kit.corpus import DEFAULT_MAX_BYTES, CorpusError, load_corpus

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
KIT_BIN = Path(sys.executable).parent / "kit"

GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")
# Latin script with accents and curly quotes: differs between Latin-1, cp1252 and UTF-8
ACCENTED = ("Le conseil a déclaré qu’environ 300 bénévoles ont nettoyé la rivière, dit l’élu. "
            "The mayor said “about 200 boats” sailed, officials said. ")


def offsets_hold(articles: pd.DataFrame, figs: pd.DataFrame) -> None:
    """Every figure's offsets point at its words and its sentence in ``text``."""
    texts = dict(zip(articles["article_id"], articles["text"]))
    for f in figs.itertuples(index=False):
        text = texts[f.article_id]
        assert 0 <= f.sentence_start <= f.start < f.end <= f.sentence_end <= len(text)
        assert text[f.start:f.end] == f.surface, (f.surface, text[f.start:f.end])
        assert text[f.sentence_start:f.sentence_end] == f.sentence


def load_and_extract(paths, **kw):
    articles = load_corpus(paths, **kw)
    figs = kit.figures(articles)
    offsets_hold(articles, figs)
    return articles, figs


def run_cli(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# =========================================================================== 1. bad files
# Also proven elsewhere: test_corpus.py::test_missing_path_is_named,
# ::test_folder_without_articles, ::test_bad_files_are_skipped_and_good_ones_kept,
# ::test_latin1, ::test_windows_1252_curly_quotes, ::test_utf16_with_bom,
# ::test_utf8_with_bom, ::test_crlf_is_kept, ::test_stray_nul_bytes_become_spaces,
# ::test_html_in_tmp_with_script_style_and_no_metadata,
# ::test_sources_csv_overrides_and_reports_bad_rows, ::test_file_over_max_bytes;
# test_cli.py::test_missing_path_fails_with_its_name, ::test_skipped_file_named_and_exit_3.

HTML_PAGE = (
    "<html><head><title>Fictional page</title><style>p{color:red} .x{content:'9,999 troops'}"
    "</style><script>var s = 'about 7,777 soldiers arrived, officials said';</script></head>"
    "<body><h1>Fictional valley news</h1><p>The council said about 1,500 volunteers cleared "
    "the river bank on Sunday, officials said.</p><noscript>8,888 troops</noscript>"
    "<script>document.write('6,666 soldiers')</script></body></html>")

# name -> (bytes, None if it must load, else a word of the skip reason)
BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.md": (b" \r\n\n\t \n", "empty"),
    "random.txt": (bytes(range(256)) * 64, "binary"),
    "renamed.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> stream\n" + bytes(range(256)) * 8,
                    "PDF"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    "nuls.txt": (b"\x00" * 5000, "binary"),
    "badbom.txt": (b"\xff\xfe" + b"\x00\xd8" * 3, "undecodable"),  # UTF-16 BOM, lone surrogate
    "latin1.txt": (ACCENTED.replace("’", "'").replace("“", '"').replace("”", '"').encode("latin-1"),
                   None),
    "cp1252.txt": (ACCENTED.encode("cp1252"), None),
    "utf16le.txt": ("\ufeff".encode("utf-16-le") + GOOD.encode("utf-16-le"), None),
    "utf16be.txt": ("\ufeff".encode("utf-16-be") + GOOD.encode("utf-16-be"), None),
    "utf8bom.txt": (b"\xef\xbb\xbf" + GOOD.encode(), None),
    "crlf.txt": (GOOD.replace("\n", "\r\n").encode(), None),
    "mac_cr.txt": (GOOD.replace("\n", "\r").encode(), None),
    "nul_inside.txt": (GOOD.replace("about", "about\x00").encode(), None),
    "page.html": (HTML_PAGE.encode(), None),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_named_or_read_and_good_file_kept(tmp_path, name):
    data, skip_word = BAD_FILES[name]
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    articles, figs = load_and_extract(tmp_path)
    assert "good" in set(articles["article_id"])
    assert 1500 in set(figs.loc[figs.article_id == "good", "low"])  # good file: nothing lost
    skipped = {Path(s["path"]).name: s["reason"] for s in articles.attrs["skipped"]}
    if skip_word:
        assert name in skipped and skip_word in skipped[name], skipped
        assert len(articles) == 1
    else:
        assert skipped == {}
        text = articles.set_index("article_id").loc[Path(name).stem, "text"]
        assert "\x00" not in text and "\ufffd" not in text
        mine = figs[figs.article_id == Path(name).stem]
        assert len(mine) >= 1  # the figures of an odd-encoded file are found too


def test_decoded_text_is_exact(tmp_path):
    """Odd encodings decode to exactly the written text (no mojibake, no normalising)."""
    for name, data, expected in [
        ("cp.txt", ACCENTED.encode("cp1252"), ACCENTED),
        ("l1.txt", "Zürich: environ 300 bénévoles, dit l'élu. " .encode("latin-1") * 3,
         "Zürich: environ 300 bénévoles, dit l'élu. " * 3),
        ("w.txt", "\ufeff".encode("utf-16-le") + GOOD.encode("utf-16-le"), GOOD),
        ("b.txt", b"\xef\xbb\xbf" + GOOD.encode(), GOOD),
        ("crlf.txt", GOOD.replace("\n", "\r\n").encode(), GOOD.replace("\n", "\r\n")),
    ]:
        (tmp_path / name).write_bytes(data)
        assert load_corpus(tmp_path / name)["text"].iloc[0] == expected, name


def test_html_scripts_and_styles_are_not_text(tmp_path):
    (tmp_path / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    articles, figs = load_and_extract(tmp_path)
    text = articles["text"].iloc[0]
    for hidden in ("9,999", "7,777", "6,666", "8,888", "color:red", "var s", "document.write"):
        assert hidden not in text
    assert list(figs["low"]) == [1500]


def test_crlf_offsets_match_the_text_column(tmp_path):
    body = ("Fictional ferry headline for a CRLF file\r\n\r\nBy Nell Fairweather\r\n\r\n"
            "About 1,500 passengers crossed on Monday, the company said.\r\n"
            "Between 200 and 300 cars\r\nwaited at the port, officials said.\r\n\r\n"
            "More than 40 boats sailed, the harbour master said.\r\n")
    (tmp_path / "crlf.txt").write_bytes(body.encode())
    articles, figs = load_and_extract(tmp_path)
    text = articles["text"].iloc[0]
    assert text == body  # \r\n kept: offsets are into the file's own text
    assert sorted(figs["surface"]) == sorted(["About 1,500", "Between 200 and 300",
                                              "More than 40"])
    for f in figs.itertuples():
        assert text[f.start:f.end] == f.surface
        assert "\r" not in f.surface and not f.sentence.endswith("\r")


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Abort the block with _TooSlow after ``seconds`` (SIGALRM: main thread, POSIX)."""
    def on_alarm(*_):
        raise _TooSlow(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


LINE_CHUNK = ("About 1,500 troops arrived in the region on Monday, officials said. "
              "The weather was mild and the roads were quiet for most of the day. ")


def test_single_long_line_loads_and_extracts_in_bounded_memory(tmp_path):
    """A scaled-down 50 MB single line (the full size is measured by hand: see the
    report of issue 4): 100 kB with no newline loads, every figure is found with
    its offsets, and memory is a constant factor of the file size."""
    copies = 100_000 // len(LINE_CHUNK)
    (tmp_path / "line.txt").write_text(LINE_CHUNK * copies, encoding="utf-8")
    tracemalloc.start()
    try:
        with time_limit(60):
            _, figs = load_and_extract(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(figs) == copies and set(figs["low"]) == {1500}
    assert peak < 100 * 100_000, peak


LINEAR_WORK = """
import json, sys
import kit
from kit import attribute

assert set(kit.build().values()) == {"source"}, kit.build()
calls = 0
real = attribute.attributed


def counting(*args, **kwargs):
    global calls
    calls += 1
    return real(*args, **kwargs)


attribute.attributed = counting
figs = kit.figures(kit.load_corpus(sys.argv[1]))
print(json.dumps({"calls": calls, "figures": len(figs), "lookback": attribute.LOOKBACK}))
"""


def test_single_long_line_extracts_in_linear_work(tmp_path):
    """1.2 MB on one line with 9,000 figures: the attribution work per figure is
    bounded (a look-back of at most LOOKBACK sentences), so the whole is linear.
    Counted in calls, not timed: a timed test flakes on a busy machine.  Counted
    on the Python sources (KIT_PURE_PYTHON=1, in a subprocess): compiled modules
    call each other directly, so a patched function would see no calls there."""
    copies = 1_200_000 // len(LINE_CHUNK)
    (tmp_path / "line.txt").write_text(LINE_CHUNK * copies, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", LINEAR_WORK, str(tmp_path)], capture_output=True,
                         text=True, timeout=600, env={**os.environ, "KIT_PURE_PYTHON": "1"})
    assert run.returncode == 0, run.stderr
    counts = json.loads(run.stdout)
    assert counts["figures"] == copies
    assert 0 < counts["calls"] <= 3 * copies + 2 * counts["lookback"], counts


def test_one_line_article_with_a_pitch_keeps_its_figures(tmp_path):
    text = (LINE_CHUNK * 6 + "Sign up for our newsletter to get the news every morning. "
            + LINE_CHUNK * 6)
    assert len(text) > 1000  # longer than any pitch box: a file with no line breaks
    (tmp_path / "oneline.txt").write_text(text, encoding="utf-8")
    _, figs = load_and_extract(tmp_path)
    assert len(figs) == 12


def test_huge_file_is_refused_before_reading_by_a_configurable_limit(tmp_path, monkeypatch,
                                                                     capsys):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(tmp_path / "dump.txt", "wb") as fh:  # 200 MB, sparse: costs no disk
        fh.truncate(200_000_000)
    monkeypatch.delenv("KIT_MAX_BYTES", raising=False)
    assert DEFAULT_MAX_BYTES < 200_000_000
    tracemalloc.start()
    try:
        articles = load_corpus(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # refused by its size, never read
    [skip] = articles.attrs["skipped"]
    assert skip["path"].endswith("dump.txt")
    for word in ("200,000,000 bytes", "max_bytes", "--max-bytes", "KIT_MAX_BYTES"):
        assert word in skip["reason"]
    # the limit is configurable: argument, environment, command line
    with pytest.raises(CorpusError, match="every file was skipped"):
        load_corpus(tmp_path, max_bytes=50)
    monkeypatch.setenv("KIT_MAX_BYTES", "50")
    with pytest.raises(CorpusError, match="every file was skipped"):
        load_corpus(tmp_path)
    code, out, err = run_cli(capsys, "figures", tmp_path / "good.txt")
    assert code == cli.EXIT_FAIL and "max_bytes=50" in err
    monkeypatch.setenv("KIT_MAX_BYTES", "1_000")
    code, out, err = run_cli(capsys, "figures", tmp_path, "--format", "jsonl")
    assert code == cli.EXIT_SKIPPED and "dump.txt" in err and "1,500" in out
    code, out, err = run_cli(capsys, "figures", tmp_path / "good.txt", "--max-bytes", "50")
    assert code == cli.EXIT_FAIL and "good.txt" in err  # the option wins over the variable


@pytest.mark.parametrize("value", ["0", "-5", "abc", "1.5", "", "1e9"])
def test_bad_size_limits_are_usage_errors(tmp_path, monkeypatch, capsys, value):
    reports = tmp_path / "r"
    tmp_path = tmp_path / "c"
    tmp_path.mkdir()
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.delenv("KIT_MAX_BYTES", raising=False)
    code, out, err = run_cli(capsys, "figures", tmp_path, f"--max-bytes={value}")
    assert code == cli.EXIT_USAGE and "max_bytes" in err and out == ""
    if value:
        monkeypatch.setenv("KIT_MAX_BYTES", value)
        code, out, err = run_cli(capsys, "figures", tmp_path)
        assert code == cli.EXIT_USAGE and "KIT_MAX_BYTES" in err
        assert report.main(["--corpus", str(tmp_path), "--out", str(reports)]) == 2
        assert "KIT_MAX_BYTES" in capsys.readouterr().err
        assert not reports.exists()
        with pytest.raises(CorpusError, match="KIT_MAX_BYTES"):
            load_corpus(tmp_path)


def test_help_documents_size_limit_and_exit_status():
    out = subprocess.run([sys.executable, "-m", "kit.cli", "figures", "--help"],
                         capture_output=True, text=True, check=True).stdout
    flat = " ".join(out.split())
    assert "--max-bytes" in flat and "KIT_MAX_BYTES" in flat
    assert "3 ok but some files were skipped" in flat and "named on stderr" in flat
    rep = " ".join(report.build_parser().format_help().split())
    assert "KIT_MAX_BYTES" in rep and "3 ok but some corpus files" in rep


def test_empty_folder_and_missing_path(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="empty"):
        load_corpus(tmp_path / "empty")
    code, out, err = run_cli(capsys, "figures", tmp_path / "empty")
    assert code == cli.EXIT_FAIL and "no .txt, .md or .html files in" in err and out == ""
    code, out, err = run_cli(capsys, "figures", tmp_path / "missing")
    assert code == cli.EXIT_FAIL and "not found" in err and "missing" in err
    assert "Traceback" not in err


def test_every_bad_file_at_once_through_the_cli(tmp_path, capsys):
    """One folder with all the bad files: each skipped one named with its reason on
    stderr, exit 3, and the figures of every readable file on stdout."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, (data, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    code, out, err = run_cli(capsys, "figures", tmp_path, "--format", "jsonl")
    assert code == cli.EXIT_SKIPPED
    assert "Traceback" not in err
    for name, (_, skip_word) in BAD_FILES.items():
        line = next((x for x in err.splitlines() if x.endswith(name) or f"/{name}:" in x), "")
        assert bool(line) == bool(skip_word), (name, err)
        if skip_word:
            assert skip_word in line
    rows = [json.loads(x) for x in out.splitlines()]
    readable = {Path(n).stem for n, (_, w) in BAD_FILES.items() if not w} | {"good"}
    assert {r["article_id"] for r in rows} == readable
    texts = dict(zip(*[load_corpus(tmp_path)[c] for c in ("article_id", "text")]))
    for r in rows:
        assert texts[r["article_id"]][r["start"]:r["end"]] == r["surface"]


def test_sources_csv_bad_rows_named_with_line(tmp_path):
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


def test_report_names_bad_sources_rows_and_exits_3(tmp_path, monkeypatch, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "c" / "sources.csv").write_text("file,published\na.txt,21/10/2024\n")
    monkeypatch.setattr(report, "_locked_run", lambda *a: report.EXIT_SKIPPED if a[-1] else 0)
    assert report.main(["--corpus", str(tmp_path / "c"), "--out", str(tmp_path / "r")]) == 3
    err = capsys.readouterr().err
    assert "sources.csv, line 2: bad date '21/10/2024'" in err


# =========================================================================== 2. untrusted text
# Also: test_report.py::test_hostile_text_is_escaped_everywhere (a rendered report),
# test_charts.py::test_citations_escape_everything_and_highlight, ::test_tables_escape,
# ::test_only_http_urls_become_links; test_browser.py::test_hostile_report_runs_no_injected_script.

PAYLOADS = {
    "script": "<script>window.__pwned=1</script>",
    "endscript": "</script><script>window.__pwned=2</script>",
    "img": '<img src=x onerror="window.__pwned=3">',
    "attr": '" onmouseover="window.__pwned=4" x="',
    "svg": "<svg onload=window.__pwned=5>",
    "comment": "--><script>window.__pwned=6</script><!--",
    "cdata": "]]><script>window.__pwned=7</script>",
}
EVIL = " ".join(PAYLOADS.values())


class ActiveMarkup(HTMLParser):
    """Collects every tag or attribute that could run code or load something."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "embed", "svg", "base", "form",
                   "foreignobject", "math", "link"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "xlink:href", "action") and not (value or "").startswith(
                    ("http://", "https://", "#")):
                self.found.append(f"<{tag} {name}={value!r}>")


def active_markup(page: str) -> list[str]:
    p = ActiveMarkup()
    p.feed(page)
    return p.found


def assert_payloads_inert(page: str) -> None:
    """No active markup, no payload verbatim, no javascript: link."""
    assert active_markup(page) == []
    for name, payload in PAYLOADS.items():
        if name != "attr":  # quotes in text content are harmless: ActiveMarkup checks tags
            assert payload not in page
    assert "href=\"javascript" not in page.lower()  # a javascript: URL may show as text only


@pytest.fixture(scope="module")
def hostile():
    """A real corpus whose every field carries the payloads, extracted, then every
    string column of the figures overwritten with them too (so claimant_text,
    what, title and url are hostile even where extraction would not pick them)."""
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "a.txt").write_text(
            f"{EVIL} headline\n\nThe ministry said about 1,500 troops {EVIL} arrived, "
            f"officials said.\n\nMore than 12,000 soldiers are expected, {EVIL} the agency "
            "said.\n", encoding="utf-8")
        (folder / "sources.csv").write_text(
            "file,outlet,title,url\n"
            f'a.txt,"{EVIL.replace(chr(34), chr(34) * 2)}","{EVIL.replace(chr(34), chr(34) * 2)}",'
            "https://ok.example/a\n", encoding="utf-8")
        articles = load_corpus(folder)
    figs = kit.figures(articles)
    assert len(figs) >= 2
    evil_figs = figs.copy()
    for col in ("outlet", "claimant", "claimant_text", "what"):
        evil_figs[col] = EVIL
    evil_figs["url"] = "javascript:window.__pwned=8"
    evil_articles = articles.copy()
    evil_articles["title"] = EVIL
    evil_articles.attrs = {"skipped": [{"path": f"/c/{EVIL}.txt", "reason": EVIL}],
                           "problems": [{"path": EVIL, "line": EVIL, "reason": EVIL}]}
    return articles, figs, evil_articles, evil_figs


def test_every_html_helper_escapes_article_strings(hostile):
    articles, figs, evil_articles, evil_figs = hostile
    for f, a in ((figs, articles), (evil_figs, evil_articles)):
        pages = {
            "citations": present.citations_html(f),
            "table": present.table_html(f),
            "disagreements": present.disagreements_html(f),
            "corpus": present.corpus_html(a, f),
            "summary": present.summary_html(a, f, f, title=EVIL),
            "summary0": present.summary_html(a, f, f.iloc[:0], title=EVIL),
        }
        for page in pages.values():
            assert_payloads_inert(page.replace("<style>", "").replace("</style>", ""))
    cites = present.citations_html(evil_figs)
    assert "<mark>1,500</mark>" in cites or "<mark>about 1,500</mark>" in cites
    assert "href=" not in cites  # javascript: url: the outlet is plain text
    assert html.escape(PAYLOADS["endscript"]) in cites


def test_chart_svg_and_tooltips_escape_article_strings(hostile):
    _, _, _, evil_figs = hostile
    chart = charts.estimates_by_source(evil_figs, title=EVIL)
    svg = charts.to_svg(chart)
    assert svg.startswith("<svg")
    inner = svg[svg.index(">") + 1:]  # the root <svg> element itself is expected
    assert active_markup(inner) == []
    assert "javascript:" not in svg
    assert html.escape(PAYLOADS["endscript"], quote=False) in svg  # shown, as text


def test_index_escapes_paths_messages_and_parameters():
    records = [{"status": "ok", "started": EVIL, "finished": EVIL, "corpus": f"/c/{EVIL}",
                "message": EVIL, "duration_s": 1,
                "reports": [{"name": EVIL, "html": "javascript:window.__pwned=9",
                             "ipynb": EVIL, "parameters": {"title": EVIL}}]},
               {"status": EVIL, "message": EVIL}]
    page = report.index_html(records)
    found = active_markup(page)
    # the only links are the report's own files and the log
    assert all(x.startswith("<a href='") for x in found), found
    assert 'href="javascript' not in page and "<script" not in page
    assert "__pwned" in page  # shown as text


# =========================================================================== 3. parameters
# Also: test_report.py::test_bad_parameters_refused_before_anything,
# ::test_bad_params_file_refused (YAML !!python payload), ::test_string_parameters_are_
# injected_as_literals, ::test_out_never_inside_corpus_or_package.

@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.lists(st.text(max_size=30), max_size=4))
def test_any_string_parameter_is_injected_as_a_literal(title, nouns):
    nouns = [n for n in nouns if "\x00" not in n]
    if "\x00" in title:
        with pytest.raises(report.UsageError):
            report.check_value("title", "str", title)
        return
    report.verify_injection({"title": title, "nouns": nouns})


def test_code_in_string_parameters_does_not_run_in_the_kernel(tmp_path):
    marker = tmp_path / "PWNED"
    marker2 = tmp_path / "PWNED2"
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    title = f'"); import os; os.system("touch {marker}") #'
    noun = f"__import__('os').system('touch {marker2}')"
    out = tmp_path / "reports"
    code = report.main(["--corpus", str(corpus), "--out", str(out),
                        "--param", f"title={title}", "--param", f"nouns=[\"{noun}\", volunteers]"])
    assert code == 0
    assert not marker.exists() and not marker2.exists()
    assert not list(tmp_path.rglob("PWNED*")) and not (REPO / "notebooks" / "PWNED").exists()
    [rec] = [json.loads(x) for x in (out / "runs.jsonl").read_text().splitlines()]
    params = rec["reports"][0]["parameters"]
    assert params["title"] == title and params["nouns"] == [noun, "volunteers"]
    page = (out / "estimates.html").read_text(encoding="utf-8")
    assert html.escape(title) in page and "<script" not in page


@pytest.mark.parametrize("args,needle", [
    (["--wait", "-1"], "--wait"),
    (["--wait", "nan"], "--wait"),
    (["--wait", "soon"], "invalid float"),
    (["--corpus", "/no/such/corpus"], "no such file"),
    (["--params", "/no/such/params.yaml"], "cannot read"),
    (["--param", "title=" + "x" * 20_000], "too long"),
    (["--param", "scale=1"], "'scale'"),
    (["--bogus"], "unrecognized"),
])
def test_cli_options_validated_before_anything_is_written(tmp_path, capsys, args, needle):
    out = tmp_path / "reports"
    all_args = ["--out", str(out), *args]
    if "--corpus" not in args:
        all_args = ["--corpus", str(SEEDS), *all_args]
    assert report.main(all_args) == 2
    assert needle in capsys.readouterr().err
    assert not out.exists()


def test_out_deletes_nothing_but_its_own_files_on_a_failing_run(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    out = tmp_path / "shared"  # a folder the analyst also uses for other things
    (out / "sub").mkdir(parents=True)
    files = {out / "notes.txt": "mine", out / "sub" / "data.csv": "a,b\n",
             out / "estimates.html": "previous report", out / ".hidden": "x",
             out / "kit-tmp-lookalike": "not ours (no leading dot)"}
    for path, text in files.items():
        path.write_text(text)
    (out / f"{report.TMP_PREFIX}link").symlink_to(outside, target_is_directory=True)
    (tmp_path / f"{report.TMP_PREFIX}sibling").mkdir()

    def boom(*_a, **_k):
        raise RuntimeError("kernel died")

    monkeypatch.setattr(report, "execute", boom)
    assert report.main(["--corpus", str(corpus), "--out", str(out)]) == 1
    assert "kernel died" in capsys.readouterr().err
    for path, text in files.items():
        assert path.read_text() == text, path
    assert (outside / "precious.txt").read_text() == "keep"
    assert (out / f"{report.TMP_PREFIX}link").is_symlink()
    assert (tmp_path / f"{report.TMP_PREFIX}sibling").is_dir()
    left = {p.name for p in out.iterdir()}
    assert left == {"sub", "notes.txt", "estimates.html", ".hidden", "kit-tmp-lookalike",
                    f"{report.TMP_PREFIX}link", report.LOCK_NAME, "runs.jsonl", "index.html"}


# =========================================================================== 4. runs
# Also: test_report.py::test_killed_run_leaves_last_good_report (SIGKILL mid-run, later run
# works), ::test_lock_second_run_gives_up_with_message, ::test_failing_run_keeps_previous_report.

SLOW_RUN = textwrap.dedent("""
    import sys, time
    from kit import report
    real = report.execute
    def slow(*a, **k):
        time.sleep(float(sys.argv[1]))
        return real(*a, **k)
    report.execute = slow
    sys.exit(report.main(sys.argv[2:]))
""")


def test_two_real_processes_on_one_out_do_not_interleave(tmp_path):
    if not KIT_BIN.exists():
        pytest.skip("kit console script not installed in this environment")
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "reports"
    args = ["--corpus", str(corpus), "--out", str(out)]
    first = subprocess.Popen([sys.executable, "-c", SLOW_RUN, "6", *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out.exists() and any(p.name.startswith(report.TMP_PREFIX)
                                        for p in out.iterdir())):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # the first run holds the lock now: one run gives up at once, one waits its turn
        impatient = subprocess.run([str(KIT_BIN), "report", *args, "--wait", "0"],
                                   capture_output=True, text=True, timeout=120, check=False)
        patient = subprocess.Popen([str(KIT_BIN), "report", *args, "--wait", "120"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert first.wait(timeout=120) == 0, first.communicate()
        assert patient.wait(timeout=120) == 0, patient.communicate()
    finally:
        for p in (first,):
            if p.poll() is None:
                p.kill()
    assert impatient.returncode == 1
    assert "another kit report is writing to" in impatient.stderr
    assert "gave up after 0 s" in impatient.stderr
    recs = [json.loads(x) for x in (out / "runs.jsonl").read_text().splitlines()]
    assert [r["status"] for r in recs] == ["ok", "ok"]
    assert recs[0]["finished"] <= recs[1]["started"]  # one after the other
    assert "1 figures found" in (out / "estimates.html").read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.startswith(report.TMP_PREFIX)]


# =========================================================================== 5. zero figures
# Also: test_report.py::test_zero_figures_report_says_so (the rendered report's text).

def test_figures_command_says_no_figures_found_and_exits_0(tmp_path, capsys):
    (tmp_path / "quiet.txt").write_text("A quiet day\n\nNothing happened today, officials "
                                        "said.\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "figures", tmp_path)
    assert code == cli.EXIT_OK and out == "no figures found\n" and err == ""
    code, out, _ = run_cli(capsys, "figures", tmp_path, "--format", "jsonl")
    assert code == cli.EXIT_OK and out == ""
    code, out, _ = run_cli(capsys, "figures", tmp_path, "--format", "csv")
    assert code == cli.EXIT_OK and "surface" in out and len(out.splitlines()) == 1


# =========================================================================== property test

FRAGMENTS = [
    "About 1,500 troops arrived, officials said. ", "between 10,000 and 12,000 soldiers ",
    "more than 13,000 containers", "thousands of workers", "\r\n", "\n\n", "\x00", "<p>",
    "</script>", "<script>var x = '9 troops';</script>", "é", "“", "’", "\ufeff", "\t",
    "Subscribe to our newsletter. ", "By Nell Fairweather\n", "October 21, 2024\n", "%PDF-",
    " 300 volunteers", ", the ministry said. ", "ten thousand men", "around 40 boats ",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]

text_file = st.tuples(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=25)
    .map("".join),
    st.sampled_from(ENCODINGS),
).map(lambda t: t[0].encode(t[1], errors="replace"))
byte_file = st.binary(max_size=3000)
corpus_files = st.lists(st.tuples(st.sampled_from([".txt", ".md", ".html", ".htm"]),
                                  st.one_of(text_file, byte_file)), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_files)
def test_random_files_never_raise_and_offsets_hold(files):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        for i, (suffix, data) in enumerate(files):
            (folder / f"f{i}{suffix}").write_bytes(data)
        try:
            articles = load_corpus(folder)
        except CorpusError as err:  # allowed only when every file was skipped, and says so
            assert "every file was skipped" in str(err)
            return
        accounted = set(articles["path"]) | {s["path"] for s in articles.attrs["skipped"]}
        assert accounted == {str(folder / f"f{i}{s}") for i, (s, _) in enumerate(files)}
        assert all(s["reason"] for s in articles.attrs["skipped"])
        for text in articles["text"]:
            assert "\x00" not in text
        figs = kit.figures(articles)
        offsets_hold(articles, figs)
