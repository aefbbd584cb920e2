"""Sentences (kit.extract.segment): boundaries right for abbreviations, quotes,
headers and wrapped lines; boilerplate marked, never deleted.  The fast paths of
the split (sentence ends, date markers, the cue set) are checked against the
plain regular expressions they stand for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import lexicon, schema
from kit.extract import segment

ROOT = Path(__file__).resolve().parents[1]


def split(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in segment.split(text)]


@pytest.mark.parametrize("text,expected", [
    ("The convoy left on Oct. 21 at dawn. It reached the border at noon.",
     ["The convoy left on Oct. 21 at dawn.", "It reached the border at noon."]),
    ("The U.S. Army sent 300 engineers. Officials confirmed it.",
     ["The U.S. Army sent 300 engineers.", "Officials confirmed it."]),
    ("Gen. Marlow Tesk said 400 troops had left. He gave no date.",
     ["Gen. Marlow Tesk said 400 troops had left.", "He gave no date."]),
    ('"We counted 90 trucks." The mayor left.', ['"We counted 90 trucks."', "The mayor left."]),
    ("“Nobody knows,” he said. “Maybe 200.” Then silence.",
     ["“Nobody knows,” he said.", "“Maybe 200.”", "Then silence."]),
    ("Is it 500? Nobody knows! The end.", ["Is it 500?", "Nobody knows!", "The end."]),
    ("Dr. Imre Voss and Mr. Tal Brenn met at 9 a.m. on Friday.",
     ["Dr. Imre Voss and Mr. Tal Brenn met at 9 a.m. on Friday."]),
    ("Cooperation between the two... is not a threat, she said.",
     ["Cooperation between the two... is not a threat, she said."]),
])
def test_sentence_boundaries_respect_abbreviations_quotes_and_marks(text, expected):
    assert split(text) == expected


def test_header_lines_are_their_own_sentences():
    text = "Drones hit depot in Velmor\n\nBy Ana Kress\n\nOctober 3, 2031\n\nAbout 40 drones struck."
    assert split(text) == ["Drones hit depot in Velmor", "By Ana Kress", "October 3, 2031",
                           "About 40 drones struck."]


def test_headline_then_lowercase_byline_stays_apart():
    text = "Depot burns after strike\n\nby Ana Kress and the news desk October 3, 2031 2 min read\n"
    assert split(text) == ["Depot burns after strike",
                           "by Ana Kress and the news desk October 3, 2031 2 min read"]


def test_sentence_broken_by_blank_line_stays_one():
    text = "Officials voiced alarm over the move,\n\nwhich follows a pact signed in June. Next."
    assert split(text) == ["Officials voiced alarm over the move,\n\nwhich follows a pact signed in June.",
                           "Next."]


def test_seed_000_wrapped_sentence_is_one_sentence():
    articles = kit.load_corpus(ROOT / "seeds" / "000_a69834a9abde83b1.txt")
    sents = kit.sentences(articles)
    hit = sents[sents.text.str.contains("over the deployment,")]
    assert len(hit) == 1
    assert hit.iloc[0].text.endswith("signed a mutual defense agreement in June.")
    assert "\n\nwhich comes after" in hit.iloc[0].text


def test_crlf_line_ends_are_not_part_of_sentences():
    text = "First line here.\r\nSecond one, with 3 troops.\r\n\r\nThird."
    spans = segment.split(text)
    assert [text[s:e] for s, e, _ in spans] == ["First line here.", "Second one, with 3 troops.",
                                                "Third."]


def test_sentences_frame_offsets_point_into_the_text_and_ids_count_up():
    articles = kit.load_corpus(ROOT / "seeds")
    sents = kit.sentences(articles)
    schema.check(sents, "sentences")
    texts = articles.set_index("article_id").text
    for row in sents.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text
    assert (sents.groupby("article_id").sentence_id.apply(lambda s: list(s) == list(range(len(s))))).all()


@pytest.mark.parametrize("line,kind", [
    ("Become a member Gift membership", "pitch"),
    ("Help us reach 5,000 new members this spring!", "pitch"),
    ("Enter your email to subscribe", "subscribe"),
    ("* indicates required", "subscribe"),
    ("Skip to content", "navigation"),
    ("**Related article: [Depot fire in Velmor](#)**", "related"),
    ("Read more: Velmor counts its losses", "related"),
    ("**Ana Kress / AFP**", "credit"),
    ("A crane lifts a crate at the port. (Ana Kress/AFP via Getty Images)", "credit"),
    ("This audio is created with AI assistance", "furniture"),
])
def test_boilerplate_marked_not_deleted(line, kind):
    text = f"About 200 workers arrived in Velmor, officials said.\n{line}\nThe port stayed shut."
    articles = schema.conform(pd.DataFrame([dict(article_id="a", path="a.txt", outlet=None, title=None,
                                                 byline=None, published=None, url=None,
                                                 encoding="utf-8", text=text)]), "articles")
    sents = kit.sentences(articles)
    marked = sents[sents.boilerplate]
    assert "".join(marked.text.tolist()).replace(" ", "") == line.replace(" ", "")
    assert set(marked.boilerplate_cue) == {kind}
    assert not sents[~sents.boilerplate].empty  # the article sentences stay
    figs = kit.figures(articles, sents)
    assert list(figs.low) == [200]  # nothing from the boilerplate line


def test_user_lexicon_extends_boilerplate(tmp_path):
    (tmp_path / "boilerplate.csv").write_text("kind,scope,pattern\npromo,line,\\bdaily digest\\b\n")
    lex = kit.lexicon.load(tmp_path)
    text = "Get our daily digest: 3,000 readers can't be wrong.\nAbout 50 troops left."
    figs = kit.figures_in_text(text, lexicon=lex)
    assert list(figs.low) == [50]
    assert len(kit.figures_in_text(text)) == 2  # without the user's cue both count


def test_leading_date_marker_is_its_own_boilerplate_sentence():
    text = " date 2031-04-02 Ferries resumed service after 40 boats were repaired.\n\nMore text."
    articles = schema.conform(pd.DataFrame([dict(article_id="a", path="a.txt", outlet=None, title=None,
                                                 byline=None, published=None, url=None,
                                                 encoding="utf-8", text=text)]), "articles")
    sents = kit.sentences(articles)
    assert list(sents.text[:2]) == ["date 2031-04-02",
                                    "Ferries resumed service after 40 boats were repaired."]
    assert list(sents.boilerplate[:2]) == [True, False]
    assert list(kit.figures(articles, sents).low) == [40]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["date 2024-10-21 ", "Date 2024-01-02\tX", "DaTe 2024-10-21 a", " \t", "\n", "\n\n",
                                 "x", "date", " 2024-10-21", "Troops. ", "ok"]), max_size=12).map("".join))
def test_date_markers_are_found_as_the_multiline_regex_finds_them(text):
    assert segment._date_marker_ends(text) == [m.end(1) for m in segment.DATE_MARKER.finditer(text)]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", "B", ".", " ", "\n", "\n\n", " \n", "U.S.", "said", "\t"]),
                max_size=25).map("".join))
def test_lines_are_the_runs_of_non_newlines(text):
    """split() walks lines with str.find; every sentence lies in one LINE match (or joins two)."""
    spans = segment.split(text)
    lines = [m.span() for m in segment.LINE.finditer(text)]
    for s, e, line_no in spans:
        assert text[s:e] == text[s:e].strip() and text[s:e]
        assert lines[line_no][0] <= s < lines[line_no][1]


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from([".", "!", "?", "...", "?!", '"', "”", "’", ")", "]", " ", "\n", "A", "b", "7",
                                 "“", "(", "U.S.", "x"]), max_size=25).map("".join))
def test_sentence_end_candidates_are_the_ones_the_regex_scan_finds(text):
    assert [m.span() for m in segment._end_matches(text)] == [m.span() for m in segment.END.finditer(text)]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["Visa", "Mastercard", "Subscribe", "newsletter", "Photo: AFP", "Related:",
                                 "Read more", " ", ". ", "\n", "troops", "12", "(Reuters)", "Kim / AFP",
                                 "2 min read", "date 2024-10-21", "A", "b"]), max_size=14).map("".join),
       st.sets(st.integers(min_value=0, max_value=8)))
def test_marking_only_some_lines_gives_those_lines_the_full_marking(text, lines):
    """``mark_boilerplate(..., lines=)`` (figures asks only about the lines holding
    numbers) marks those lines exactly as a full marking does, line cues included."""
    lex = lexicon.load()
    spans = segment.split(text)
    full = segment.mark_boilerplate(text, spans, lex)
    some = segment.mark_boilerplate(text, spans, lex, lines=lines)
    assert some == [cue if line in lines else None for cue, (_, _, line) in zip(full, spans)]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["Visa", "MasterCard", "Subscribe", "newsletter", "Photo: AFP", "Related:",
                                 "Read more", " ", ". ", "\n", "troops", "12", "(Reuters)", "Kim / AFP",
                                 "2 min read", "date 2024-10-21", "become a member", "’", "é"]),
                max_size=10).map("".join))
def test_the_cue_set_names_the_first_row_that_matches(sentence):
    lex = lexicon.load()
    assert lex.boilerplate_rows.engine == "re2"
    first = next((i for i, (_, _, p) in enumerate(lex.boilerplate) if p.search(sentence)), -1)
    assert lex.boilerplate_rows.first(sentence) == first


def test_a_boilerplate_cue_re2_cannot_run_still_marks_its_sentence(tmp_path):
    (tmp_path / "boilerplate.csv").write_text(
        "kind,scope,pattern\npitch,sentence,(?<!no )thanks for reading\n", encoding="utf-8")
    lex = lexicon.load(tmp_path)
    assert lex.boilerplate_rows.engine == "re"
    text = "About 40 ferries were repaired. Thanks for reading the 12 stories. No thanks for reading."
    spans = segment.split(text)
    assert segment.mark_boilerplate(text, spans, lex) == [None, "pitch", None]
    assert list(kit.figures_in_text(text, lexicon=lex).low) == [40]
