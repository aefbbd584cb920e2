"""Bad input to the loading and extraction stages: broken, binary, oddly encoded,
huge and one-line files, every one at once through the command line, and random bytes.

A bad file is skipped and named with its reason; the good files of the same
folder lose nothing; offsets always point at the words.  Every bad file is made
here, in tmp_path.  Single cases of the same rules: test_loading.py (skips,
sources.csv), test_decoding.py (encodings).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from helpers import offsets_hold
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kit
from kit import cli
from kit.load import DEFAULT_MAX_BYTES, CorpusError, load_corpus

GOOD = ("Fictional valley news\n\nThe council said about 1,500 volunteers cleared the "
        "river bank on Sunday, officials said.\n")
# Latin script with accents and curly quotes: differs between Latin-1, cp1252 and UTF-8
ACCENTED = ("Le conseil a déclaré qu’environ 300 bénévoles ont nettoyé la rivière, dit l’élu. "
            "The mayor said “about 200 boats” sailed, officials said. ")


def load_and_extract(paths, **kw):
    articles = load_corpus(paths, **kw)
    figs = kit.figures(articles)
    offsets_hold(articles, figs)
    return articles, figs


def run_cli(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


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


def test_html_scripts_and_styles_are_not_text(tmp_path):
    (tmp_path / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    articles, figs = load_and_extract(tmp_path)
    text = articles["text"].iloc[0]
    for hidden in ("9,999", "7,777", "6,666", "8,888", "color:red", "var s", "document.write"):
        assert hidden not in text
    assert list(figs["low"]) == [1500]


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
from kit.extract import attribution

assert set(kit.build().values()) == {"source"}, kit.build()
calls = 0
real = attribution.frames_of


def counting(*args, **kwargs):  # counts the sentences read for frames, then reads them
    global calls
    calls += 1
    return real(*args, **kwargs)


attribution.frames_of = counting
figs = kit.figures(kit.load_corpus(sys.argv[1]))
print(json.dumps({"calls": calls, "figures": len(figs), "lookback": attribution.LOOKBACK}))
"""


@pytest.mark.slow
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
    monkeypatch.delenv("KIT_MAX_BYTES")
    code, out, err = run_cli(capsys, "export", tmp_path, "--out", tmp_path / "x", "--max-bytes", "50")
    assert code == cli.EXIT_FAIL and "every file was skipped" in err  # kit export too


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


# --------------------------------------------------------------------------- any bytes at all

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


def check_random_files(files) -> None:
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


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_files)
def test_random_files_never_raise_and_offsets_hold(files):
    check_random_files(files)


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(corpus_files)
def test_random_files_never_raise_and_offsets_hold_on_a_few_examples(files):
    """The same property on a few examples, for the quick run."""
    check_random_files(files)
