"""The footer of a report page names the corpus (and the story) as the analyst gave them,
never an absolute path of the machine that rendered it; ``runs.jsonl`` keeps the resolved
corpus.  The charts of a rendered report carry their descriptions as alternative text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kit import cli
from kit.report import run


def parsed(*argv: str):
    return cli.build_parser().parse_args(["report", "--out", "reports", *argv])


def test_corpus_label_is_the_path_as_typed_or_the_example_corpus():
    assert run.corpus_label(cli.default_corpus()) == run.EXAMPLE_CORPUS
    assert run.corpus_label(None) == run.EXAMPLE_CORPUS
    assert run.corpus_label(Path("articles/week 3")) == "articles/week 3"
    assert run.corpus_label(Path("../data/story")) == "../data/story"


def test_footer_shows_no_absolute_path_and_is_escaped(tmp_path):
    args = parsed("--corpus", "news/<b>week</b>", "--lexicon", "troops")
    params = {"corpus": str(tmp_path / "news"), "lexicon": str(tmp_path / "stories" / "troops"),
              "title": "Troops & <i>co</i>", "widgets": False}
    footer = run.report_footer(args, params, "2030-01-01T00:00:00+00:00")
    assert str(tmp_path) not in footer
    assert footer.startswith("kit report · corpus news/&lt;b&gt;week&lt;/b&gt; · "
                             "story troops · ")
    assert "title=&quot;Troops &amp; &lt;i&gt;co&lt;/i&gt;&quot;" in footer
    assert footer.endswith("generated 2030-01-01T00:00:00+00:00")
    no_story = run.report_footer(parsed("--corpus", "news"), {"corpus": "/x", "lexicon": ""}, "t")
    assert "story" not in no_story and "/x" not in no_story


@pytest.mark.slow
def test_default_report_names_the_example_corpus_and_describes_its_charts(tmp_path,
                                                                          monkeypatch):
    monkeypatch.delenv("KIT_LEXICON", raising=False)
    out = tmp_path / "reports"
    assert cli.main(["report", "--out", str(out)]) == 0  # the corpus defaulted, as cron may
    page = (out / "estimates.html").read_text(encoding="utf-8")
    footer = re.search(r"<footer>(.*?)</footer>", page, re.DOTALL).group(1)
    assert f"corpus {run.EXAMPLE_CORPUS} · story troops · " in footer
    assert str(cli.default_corpus()) not in footer and "/" not in footer.split(" · generated")[0]
    (record,) = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert Path(record["corpus"]).is_absolute()  # the log keeps where it ran
    alts = re.findall(r"""<img\b[^>]*\balt=("[^"]*"|'[^']*')""", page)
    assert len(alts) >= 2 and all("Estimates " in a for a in alts)
    assert "No description has been provided" not in page
