"""The regular-expression engine (kit.fastre): RE2 where the pattern allows it,
Python's ``re`` otherwise, with the same answers; offsets are character offsets
whatever the text's characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from helpers import SEEDS

import kit
from kit import fastre, lexicon
from kit.extract import numbers

SENTENCES = list(kit.sentences(kit.load_corpus(SEEDS)).text)


def _as_re(pattern: fastre.Pattern, ignorecase: bool = True) -> fastre.Pattern:
    """The same pattern forced onto Python's re (as on a machine without RE2).  The
    kit's own patterns are all case-insensitive."""
    clone = fastre.Pattern(pattern.pattern, ignorecase, False, engine="re")
    assert clone.engine == "re"
    return clone


def _plain(matches) -> list[list[tuple[int, int]]]:
    """Match spans as lists of tuples (re gives tuples of tuples, RE2 lists)."""
    return [[tuple(s) for s in m] for m in matches]


def test_re2_is_usable_here():
    """The installed google-re2 is a tested version and passed the self-check."""
    assert fastre.RE2_PROBLEM == "", fastre.RE2_PROBLEM
    assert (1, 1) in fastre.RE2_VERSIONS


def test_the_fast_patterns_run_on_re2():
    lex = lexicon.load()
    assert {p.engine for p in (numbers.NUMBER, lex.mention_any, lex.status_any, lex.cues_after,
                               lex.cues_before, lex.mention_longest)} == {"re2"}
    assert lex.boilerplate_rows.engine == "re2"


def test_lookaround_falls_back_to_re_with_the_same_api():
    p = fastre.compile(r"(?<!x)said", ignorecase=True)
    assert p.engine == "re"
    assert p.spans("He SAID, xsaid, said") == [(3, 7), (16, 20)]
    assert p.firsts("He SAID") == [(3, 7, 0)]


def test_leftmost_longest_needs_re2():
    p = fastre.compile(r"(a)|(ab)", longest=True)
    assert p.firsts("xab") == [(1, 3, 2)]  # the longer alternative wins
    assert fastre.compile(r"(a)|(ab)").firsts("xab") == [(1, 2, 1)]  # leftmost-first otherwise
    with pytest.raises(ValueError, match="leftmost-longest"):
        fastre.compile(r"(?<!x)a|ab", longest=True)


@pytest.mark.parametrize("text", ["Seoul’s spy agency said 1,500 troops — “about” 12 000 had left.",
                                  "naïve café: ten thousand troops, ’tis said", "plain ascii 12k"])
def test_offsets_are_character_offsets_on_non_ascii_text(text):
    found = numbers.NUMBER.spans(text.lower())
    assert found and all(text[s:e].strip() for s, e in found)
    assert found == _as_re(numbers.NUMBER).spans(text.lower())


def test_ascii_view_keeps_one_byte_per_character():
    text = "Seoul’s “spy” agency — naïve 中 café\u00a0x"
    view = fastre.ascii_view(text)
    assert len(view) == len(text) and view.isascii()
    assert view.decode().startswith("Seoul's \"spy\" agency - na_ve _ caf_ x")
    assert fastre.ascii_twins("’–\u00a0") == "'- "


#: What the ASCII view made of characters beyond ASCII before its encoding error handler:
#: "_" for a word character, then "?" for each one left (``encode``'s "replace").
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.text(max_size=40),
                 st.lists(st.sampled_from(["a", " ", "’", "“", "–", "\u00a0", "\u2009", "é", "ß",
                                           "中", "٣", "²", "½", "€", "\ud800", "\U0001f600", "_",
                                           "ſ", "İ", "\u0301", "Zürich", "1"]),
                          max_size=20).map("".join)))
def test_the_ascii_view_marks_other_characters_as_the_expression_it_replaces(text):
    """The encoding error handler of ``ascii_view`` gives what the substitution of
    ``[^\\W\\x00-\\x7f]`` by "_" then an ASCII encoding with "replace" gave."""
    expected = _NON_ASCII_WORD.sub("_", fastre.ascii_twins(text)).encode("ascii", "replace")
    assert fastre.ascii_view(text) == expected


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "'", '"', "“", "–", ".", ",", "1", "\u00a0", "é", "€",
                                 "Seoul", "SEOUL", "NIS", "nis", "It", "said", "SAID", "killed",
                                 "Will", "sent", "according to"]), max_size=30).map("".join))
def test_spans_agree_with_re_on_random_text(text):
    lex = lexicon.load()
    for pattern in (lex.status_any, lex.cues_after, lex.mention_any):
        assert pattern.spans(text) == _as_re(pattern).spans(text)


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
        # a pattern with groups is scanned by its capture-free twin (NUMBER has none)
        assert (pattern._bare is not None) == (pattern.groups > 0)
        for sentence in SENTENCES:
            view = fastre.ascii_view(sentence)
            grouped = list(pattern._re2.finditer(view))
            assert pattern.spans(sentence) == [m.span() for m in grouped]
            assert _plain(pattern.groups_of(sentence)) == [
                [m.span(g) for g in range(pattern.groups + 1)] for m in grouped]


def test_remembered_groups_depend_on_the_neighbouring_characters():
    """The same matched word reports a different group when what follows it differs."""
    p = fastre.compile(r"(kill)ed\b|(killed)")
    assert p.engine == "re2"
    text = "killed killedx killed. killedy"
    assert [g for _, _, g in p.firsts(text)] == [1, 2, 1, 2]
    assert [g for _, _, g in _as_re(p, ignorecase=False).firsts(text)] == [1, 2, 1, 2]
    assert [g for _, _, g in p.firsts("killedz killed")] == [2, 1]


def test_firsts_names_the_first_group_in_the_order_of_the_rows_asked():
    """``firsts(text, rows)`` follows the order of ``rows``, not the groups' numbers, and
    the rows asked can change from one call to the next on both engines."""
    p = fastre.compile(r"(kill)(ed)\b|(x)")
    for pattern in (p, _as_re(p, ignorecase=False)):
        assert [g for _, _, g in pattern.firsts("killed x", (2, 1))] == [2, 0]
        assert [g for _, _, g in pattern.firsts("killed x", (1, 2, 3))] == [1, 3]
        assert [g for _, _, g in pattern.firsts("killed x", (3,))] == [0, 3]
        assert [g for _, _, g in pattern.firsts("killed x")] == [1, 3]

@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "'", "-", "1", "12", ",000", " 000", ".5", "k", "million",
                                 "ten", "thousand", "Thousands of", "dozen", "a", "said", "killed",
                                 "will", "NIS", "Seoul", "é"]), max_size=30).map("".join))
def test_groups_agree_with_re_on_random_text(text):
    lex = lexicon.load()
    for pattern in (numbers.NUMBER, lex.status_any, lex.mention_any):
        slow = _as_re(pattern)
        assert _plain(pattern.groups_of(text)) == _plain(slow.groups_of(text))
        assert pattern.firsts(text) == slow.firsts(text)


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", " ", "’", "said", "SAID", "killed", "will", "NIS", "Seoul", "it",
                                 "according to", "é", ".", "12"]), max_size=30).map("".join),
       st.integers(0, 20), st.integers(0, 40))
def test_the_list_forms_equal_the_groups(text, pos, endpos):
    """``spans`` and ``firsts`` are the whole-match and lowest-group views of
    ``groups_of``, on both engines, also within pos/endpos."""
    lex = lexicon.load()
    endpos = min(max(pos, endpos), len(text))
    pos = min(pos, endpos)
    for pattern in (lex.cues_after, lex.cues_before, lex.status_any, lex.mention_any):
        for p in (pattern, _as_re(pattern)):
            groups = _plain(p.groups_of(text, pos, endpos))
            assert p.spans(text, pos, endpos) == [m[0] for m in groups]
            everything = _plain(p.groups_of(text))
            lowest = [next((g for g in range(1, p.groups + 1) if m[g][0] >= 0), 0)
                      for m in everything]
            assert p.firsts(text) == [(*m[0], g) for m, g in zip(everything, lowest)]
    rows = lex.mention_groups
    for m, (s, e, g) in zip(_plain(lex.mention_longest.groups_of(text)),
                            lex.mention_longest.firsts(text, rows)):
        assert m[0] == (s, e)
        assert g == next((r for r in rows if m[r][0] >= 0), 0)


def test_a_pattern_set_names_the_first_matching_row_on_both_engines():
    fast = fastre.PatternSet([r"\bsubscribe\b", r"newsletter", r"^photo:"], ignorecase=True,
                             multiline=True)
    mixed = fastre.PatternSet([r"\bsubscribe\b", r"(?<!no )newsletter", r"^photo:"],
                              ignorecase=True, multiline=True)
    assert (fast.engine, mixed.engine) == ("re2", "re")
    for text, first in [("Subscribe to our newsletter", 0), ("the Newsletter", 1),
                        ("x\nPhoto: AFP", 2), ("nothing here", -1), ("photo: x subscribe", 0)]:
        assert fast.first(text) == first, text
        assert mixed.first(text) == first, text
    assert mixed.first("no newsletter") == -1


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "’", "subscribe", "Newsletter", "no ", "Photo:",
                                 "é", "x", "."]), max_size=12).map("".join),
       st.integers(0, 30), st.integers(-1, 30))
def test_a_pattern_set_reads_a_piece_of_a_text_as_a_text_of_its_own(text, start, end):
    """``first(text, start, end)`` (the remembered view of the whole text, cut) answers
    what ``first(text[start:end])`` answers: anchors and word boundaries at the cuts."""
    start = min(start, len(text))
    end = -1 if end < 0 else min(max(start, end), len(text))
    piece = text[start:] if end < 0 else text[start:end]
    for rows in ([r"\bsubscribe\b", r"newsletter$", r"^photo:"],
                 [r"\bsubscribe\b", r"(?<!no )newsletter$", r"^photo:"]):
        found = fastre.PatternSet(rows, ignorecase=True, multiline=True)
        assert found.first(text, start, end) == found.first(piece)


def test_regex_tokens_keep_sets_whole():
    assert fastre.regex_tokens(r"a[]\]x]\(b[^]]'") == [
        ("char", "a"), ("class", r"[]\]x]"), ("escape", r"\("), ("char", "b"), ("class", "[^]]"),
        ("char", "'")]
    assert lexicon._apostrophes(r"it's ['] \'") == r"it['’]s ['] \'"
