"""The review view (kit.review.view), driven in Python as JupyterLab would: each decision
is in corrections.csv at once, and kit.figures then shows it."""

from __future__ import annotations

from pathlib import Path

import kit
from kit.review import read
from kit.review.view import ReviewView

ARTICLE = (
    "Mountain pass closed\n\n"
    "The regional governor said 1,800 residents had been evacuated from the pass. "
    "Rescuers said about 25 climbers were injured <b>near</b> the summit. "
    "Officials said it may rain, and a guide said twelve fishermen were missing.\n"
)


def view_of(tmp_path: Path, text: str = ARTICLE) -> tuple[ReviewView, Path]:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "pass.txt").write_text(text, encoding="utf-8")
    articles = kit.load_corpus(folder)
    view = ReviewView.of(articles, kit.figures(articles), who="tester")
    return view, folder


def shown(view: ReviewView) -> str:
    return view.current["surface"]


def figures_now(folder: Path):
    figs = kit.figures(kit.load_corpus(folder))
    return dict(zip(figs["surface"], figs["reviewed"])), figs


def test_review_view_shows_the_doubtful_first_with_context(tmp_path):
    view, _ = view_of(tmp_path)
    ranks = [{"low": 0, "medium": 1, "high": 2}[c] for c in view.queue["confidence"]]
    assert ranks == sorted(ranks)
    view.at = list(view.queue["surface"]).index("about 25")
    view.show_figure()
    html = view.context.value
    assert "<mark>about 25</mark>" in html
    assert "1,800 residents" in html  # the sentence before
    assert "twelve fishermen" in html  # the sentence after
    assert "&lt;b&gt;near&lt;/b&gt;" in html and "<b>near</b>" not in html
    assert view.claimant.value == view.current["claimant"]


def test_accepting_with_an_edited_claimant_writes_a_change_at_once(tmp_path):
    view, folder = view_of(tmp_path)
    view.at = list(view.queue["surface"]).index("1,800")
    view.show_figure()
    view.claimant.value = "Civil Protection Agency"
    view.accept_button.click()
    rows = read(folder / "corrections.csv")
    assert [(r.action, r.values["claimant"], r.who) for r in rows] == \
        [("change", "Civil Protection Agency", "tester")]
    assert "corrected “1,800”" in view.message.value
    reviewed, figs = figures_now(folder)
    assert reviewed["1,800"] == "corrected"
    assert figs.loc[figs["surface"] == "1,800", "claimant"].item() == "Civil Protection Agency"


def test_keys_accept_reject_and_move(tmp_path):
    view, folder = view_of(tmp_path)
    first, second = list(view.queue["surface"])[:2]
    view.keys.value = "r"  # reject the first, the view moves on
    assert view.keys.value == "" and shown(view) == second
    view.keys.value = "p"
    assert shown(view) == first
    view.keys.value = "n"
    view.keys.value = "a"  # accept the second unchanged
    assert [r.action for r in read(folder / "corrections.csv")] == ["reject", "accept"]
    reviewed, _ = figures_now(folder)
    assert first not in reviewed and reviewed[second] == "accepted"


def test_adding_a_missed_figure_by_its_words(tmp_path):
    view, folder = view_of(tmp_path)
    assert "twelve" not in set(view.queue["surface"])  # the kit misses it
    hikers = next(k for k, t in zip(view.sentences["sentence_id"], view.sentences["text"])
                  if "twelve fishermen" in t)
    view.sentence.value = hikers
    view.words.value = "twelve"
    view.low.value, view.high.value = "12", "12"
    view.qualifier.value, view.what.value = "exact", "fishermen"
    view.status.value, view.measure.value = "casualties", "missing"
    view.claimant.value = "a guide"
    view.keys.value = "+"
    assert "added “twelve”" in view.message.value
    reviewed, figs = figures_now(folder)
    assert reviewed["twelve"] == "added"
    added = figs[figs["surface"] == "twelve"].iloc[0]
    assert (added["low"], added["claimant"], added["measure"]) == (12, "a guide", "missing")


def test_bad_input_is_said_and_nothing_is_written(tmp_path):
    view, folder = view_of(tmp_path)
    view.low.value = "twelve hundred"
    view.accept()
    assert "low must be a whole number" in view.message.value
    view.low.value = ""
    view.words.value = "forty"
    view.add()
    assert "are not in the sentence" in view.message.value
    assert not (folder / "corrections.csv").exists()
    assert view.at == 0


def test_chart_tooltip_names_claimant_value_sentence_and_a_click_opens_the_figure(tmp_path):
    from kit.review.chart import PICK, review_chart

    view, _ = view_of(tmp_path)
    chart = review_chart(view.queue, view)
    spec = chart.spec
    shown = {t["field"] for t in spec["encoding"]["tooltip"]}
    assert {"claimant", "value", "sentence"} <= shown
    assert [p["name"] for p in spec["params"]] == [PICK]
    assert 'from "https://' not in chart._esm  # the JavaScript is bundled, no CDN import
    last = view.queue["figure_id"].iloc[-1]
    assert view.current["figure_id"] != last
    chart._vl_selections = {PICK: {"value": {"vlPoint": {"or": [{"figure_id": last}]}},
                                   "store": []}}  # what Vega sends on a click
    assert view.current["figure_id"] == last
    assert "<mark>" in view.context.value


def test_adding_a_figure_to_an_article_where_the_kit_found_none(tmp_path):
    _, folder = view_of(tmp_path)
    (folder / "quiet.txt").write_text("Lakeside fair\n\nOrganisers said some 7,000 visitors "
                                      "came.\n", encoding="utf-8")
    articles = kit.load_corpus(folder)
    figs = kit.figures(articles)
    figs = figs[~figs["path"].str.endswith("quiet.txt")]  # as if the kit found nothing there
    view = ReviewView.of(articles, figs, who="tester")
    quiet = next(v for label, v in view.article.options if label.endswith("quiet.txt"))
    view.article.value = quiet
    assert any("7,000 visitors" in label for label, _ in view.sentence.options)
    view.sentence.value = next(v for label, v in view.sentence.options if "7,000" in label)
    view.words.value = "some 7,000"
    view.low.value = view.high.value = "7000"
    view.qualifier.value, view.what.value, view.claimant.value = "approx", "visitors", "Organisers"
    view.add()
    (row,) = read(folder / "corrections.csv")
    assert (row.action, row.surface, row.path) == ("add", "some 7,000", str(folder / "quiet.txt"))
