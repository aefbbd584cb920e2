"""RE2 and the re fallback give the same answers; offsets are character offsets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kit
from kit import attribute, fastre, lexicon, numbers

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = list(kit.sentences(kit.load_corpus(ROOT / "seeds")).text)


def _as_re(pattern: fastre.Pattern) -> fastre.Pattern:
    """The same pattern forced onto Python's re (as on a machine without RE2)."""
    clone = fastre.Pattern(pattern.pattern, pattern.ignorecase, pattern.multiline, engine="re")
    assert clone.engine == "re"
    return clone


def test_the_fast_patterns_run_on_re2():
    lex = lexicon.load()
    assert {fastre.engine(p) for p in (numbers.NUMBER, lex.mention_any, lex.status_any,
                                        lex.cues_after, lex.boilerplate_line)} == {"re2"}
    assert lex.boilerplate_rows.engine == "re2"


def test_lookaround_falls_back_to_re_with_the_same_api():
    p = fastre.compile(r"(?<!x)said", ignorecase=True)
    assert p.engine == "re"
    assert [s[0] for s in p.scan("He SAID, xsaid, said")] == [(3, 7), (16, 20)]


@pytest.mark.parametrize("text", ["Seoul’s spy agency said 1,500 troops — “about” 12 000 had left.",
                                  "naïve café: ten thousand troops, ’tis said", "plain ascii 12k"])
def test_offsets_are_character_offsets_on_non_ascii_text(text):
    found = [(s, e) for (s, e), *_ in numbers.NUMBER.scan(text.lower())]
    assert all(text[s:e].strip() for s, e in found)
    re_found = [(s, e) for (s, e), *_ in _as_re(numbers.NUMBER).scan(text.lower())]
    assert found == re_found


def test_longest_union_finds_the_same_mentions_as_row_by_row():
    lex = lexicon.load()
    slow = dataclasses.replace(lex, mention_longest=None)
    for sentence in SENTENCES:
        assert attribute.find_mentions(sentence, lex) == attribute.find_mentions(sentence, slow), sentence


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "'", '"', "“", "–", ".", ",", "1", "\u00a0", "é", "€",
                                      "Seoul", "SEOUL", "NIS", "nis", "It", "said", "SAID", "killed",
                                      "Will", "sent", "according to"]), max_size=30).map("".join))
def test_scan_agrees_with_re_on_random_text(text):
    lex = lexicon.load()
    for pattern in (lex.status_any, lex.cues_after, lex.mention_any):
        fast = [s[0] for s in pattern.scan(text)]
        slow = [s[0] for s in _as_re(pattern).scan(text)]
        assert fast == slow


def test_an_alias_re2_cannot_run_still_works(tmp_path):
    """An analyst's alias with a look-behind: the whole table falls back to re."""
    (tmp_path / "claimants.csv").write_text(
        "canonical,kind,country,role,pattern\n"
        "Velmor port authority,origin,Velmor,government,(?<!former )port authority\n",
        encoding="utf-8")
    lex = lexicon.load(tmp_path)
    assert lex.mention_longest is None
    figs = kit.figures_in_text("About 40 ferries were repaired, the port authority said.", lexicon=lex)
    assert list(figs.claimant) == ["Velmor port authority"]
    figs = kit.figures_in_text("About 40 ferries were repaired, Seoul's spy agency said.", lexicon=lex)
    assert list(figs.claimant) == ["NIS (South Korea)"]


@pytest.mark.parametrize("pattern, bare", [
    (r"(a)(?:b)(?P<x>c)", "(?:a)(?:b)(?:c)"),
    (r"\(not a group\)[(](\()", r"\(not a group\)[(](?:\()"),
    (r"[]a(]b(c)[^]()]", r"[]a(]b(?:c)[^]()]"),
    (r"(?i:x)(?<name>y)", "(?i:x)(?:y)"),
])
def test_without_captures_only_drops_the_capturing(pattern, bare):
    assert fastre.without_captures(pattern) == bare


def test_the_capture_free_twin_finds_the_same_matches_on_the_seeds():
    lex = lexicon.load()
    for pattern in (numbers.NUMBER, lex.status_any, lex.mention_any, lex.mention_longest):
        assert pattern._bare is not pattern._raw  # the twin is in use
        for sentence in SENTENCES:
            view = fastre.ascii_view(sentence)
            grouped = list(pattern._re2.finditer(view))
            assert [m.span() for m in grouped] == pattern._matches(view, 0, len(view))
            assert list(pattern.scan(sentence)) == [[m.span(g) for g in range(pattern.groups + 1)]
                                                    for m in grouped]


def test_remembered_groups_depend_on_the_neighbouring_characters():
    """The same matched word reports a different group when what follows it differs."""
    p = fastre.compile(r"(kill)ed\b|(killed)")
    assert p.engine == "re2"
    text = "killed killedx killed. killedy"
    assert [g for _, _, g in p.scan_first(text)] == [1, 2, 1, 2]
    assert [g for _, _, g in _as_re(p).scan_first(text)] == [1, 2, 1, 2]
    assert [g for _, _, g in p.scan_first("killedz killed")] == [2, 1]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "'", "-", "1", "12", ",000", " 000", ".5", "k", "million",
                                      "ten", "thousand", "Thousands of", "dozen", "a", "said", "killed",
                                      "will", "NIS", "Seoul", "é"]), max_size=30).map("".join))
def test_groups_agree_with_re_on_random_text(text):
    lex = lexicon.load()
    for pattern in (numbers.NUMBER, lex.status_any, lex.mention_any):
        assert list(pattern.scan(text)) == list(_as_re(pattern).scan(text))
        assert list(pattern.scan_first(text)) == list(_as_re(pattern).scan_first(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "1", "12", ",000", ".5", "k", "million", "ten", "thousand",
                                      "Thousands of", "dozen", "said", "é", "’"]), max_size=30).map("".join))
def test_relative_spans_are_the_scans_spans_moved(text):
    for pattern in (numbers.NUMBER, _as_re(numbers.NUMBER)):
        moved = [[(a + s, b + s) if a >= 0 else (-1, -1) for a, b in rel]
                 for s, rel in pattern.scan_relative(text)]
        assert moved == list(pattern.scan(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "said", "SAID", "killed", "will", "NIS", "Seoul", "it",
                                      "according to", "é", ".", "12"]), max_size=30).map("".join))
def test_the_list_forms_equal_the_scans(text):
    lex = lexicon.load()
    for pattern in (lex.cues_after, lex.cues_before, lex.status_any, lex.mention_any):
        for p in (pattern, _as_re(pattern)):
            assert p.spans(text) == [spans[0] for spans in p.scan(text)]
            assert p.firsts(text) == list(p.scan_first(text))
    assert lex.mention_longest.firsts(text) == list(lex.mention_longest.scan_first(text))


def test_regex_tokens_keep_sets_whole():
    assert fastre.regex_tokens(r"a[]\]x]\(b[^]]'") == [
        ("char", "a"), ("class", r"[]\]x]"), ("escape", r"\("), ("char", "b"), ("class", "[^]]"),
        ("char", "'")]
    assert lexicon._apostrophes(r"it's ['] \'") == r"it['’]s ['] \'"
