"""Property tests for ``kit.figures_in_text``: invariants that hold on any text.

* never raises, returns a DataFrame;
* ``text[start:end] == surface`` for every row;
* ``sentence_start <= start <= end <= sentence_end`` and
  ``text[sentence_start:sentence_end] == sentence``;
* ``low <= high`` when both are set; qualifier and status are in their sets;
* the value convention of each qualifier holds.

Plus round-trip properties on generated sentences with a known number.
Examples are bounded (max_examples <= 200, no deadline, no example database
written into the repo); the invariant suites on random text are marked slow, the
round trips and the fast-path equivalences run in the quick run too.
"""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.extract import nouns

QUALIFIERS = {"exact", "approx", "more_than", "at_least", "up_to", "range", "vague"}
STATUSES = {"deployed", "planned", "casualties", "supplied", "other"}
REQUIRED = ("start", "end", "surface", "low", "high", "qualifier", "what", "kind", "status",
            "claimant", "claimant_text", "sentence", "sentence_start", "sentence_end")

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Round trips check values on one sentence shape; fewer examples suffice.
ROUND_TRIP = settings(SETTINGS, max_examples=100)


def extract(text: str) -> pd.DataFrame:
    import kit

    df = kit.figures_in_text(text)
    assert isinstance(df, pd.DataFrame)
    missing = [c for c in REQUIRED if c not in df.columns]
    assert not missing, f"missing columns {missing}"
    return df


def check_invariants(text: str, df: pd.DataFrame) -> None:
    for i, r in df.iterrows():
        start, end = int(r["start"]), int(r["end"])
        ss, se = int(r["sentence_start"]), int(r["sentence_end"])
        ctx = f"row {i} of {text!r}: {r.to_dict()}"
        assert 0 <= start <= end <= len(text), ctx
        assert text[start:end] == r["surface"], ctx
        assert ss <= start <= end <= se, ctx
        assert text[ss:se] == r["sentence"], ctx
        assert r["qualifier"] in QUALIFIERS, ctx
        assert r["status"] in STATUSES, ctx
        assert isinstance(r["claimant"], str) and r["claimant"], ctx
        lo, hi = r["low"], r["high"]
        if pd.notna(lo) and pd.notna(hi):
            assert lo <= hi, ctx


def check_conventions(df: pd.DataFrame) -> None:
    for i, r in df.iterrows():
        lo, hi, q = r["low"], r["high"], r["qualifier"]
        ctx = f"row {i}: surface={r['surface']!r} low={lo} high={hi} qualifier={q}"
        if q in ("exact", "approx"):
            assert pd.notna(lo) and pd.notna(hi) and lo == hi, ctx
        elif q in ("more_than", "at_least"):
            assert pd.notna(lo) and pd.isna(hi), ctx
        elif q == "up_to":
            assert pd.isna(lo) and pd.notna(hi), ctx
        elif q == "range":
            assert pd.notna(lo) and pd.notna(hi) and lo < hi, ctx
        elif q == "vague":
            assert pd.isna(lo) and pd.isna(hi), ctx


# --------------------------------------------------------------------------- strategies

FRAGMENTS = [
    "about", "around", "some", "nearly", "an estimated", "more than", "over", "at least",
    "up to", "as many as", "fewer than", "between", "and", "to", "or", "of", "thousands",
    "dozens", "several hundred", "tens of thousands", "hundred", "thousand", "million",
    "ten", "two", "one", "twenty-five", "troops", "soldiers", "containers", "shells",
    "workers", "them", "killed", "wounded", "captured", "sent", "will send", "supplied",
    "said", "according to", "citing", "Zelensky", "the NIS", "the Pentagon", "Yonhap",
    "the agency said", "it said", "Related article:", "Become a member", "Subscribe",
    "Photo:", "Oct.", "October", "Monday", "(21)", "2024", "12:14 PM", "PM", "3rd", "first",
    "25-year-old", "aged", "percent", "%", "$", "\u20ac", "km", "days", "min read", "F-16",
    "Su-27", "COVID-19", "G7", "1", "12", "1,500", "10,000", "12 000", "000", "1.5", "12k",
    "12-thousand", "0", "00", ",", ".", "-", "\u2013", ":", ";", "(", ")", "\"", "'",
    "\n", "\n\n", " ", "  ", "\t", "\u00a0",
]
SEPARATORS = [" ", "", "\n", "\n\n", ", ", ". "]


@st.composite
def numberish_text(draw):
    parts = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=40))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps))


digit_soup = st.text(alphabet="0123456789 ,.-\u2013\n", max_size=60)

number_fmt = st.integers(min_value=2, max_value=50_000_000).map(lambda n: f"{n:,}")

sentence_soup = st.lists(
    st.builds(
        lambda hedge, num, noun, tail: f"{hedge}{num} {noun}{tail}",
        st.sampled_from(["", "about ", "more than ", "at least ", "up to ", "between 3 and ",
                         "some ", "nearly "]),
        number_fmt,
        st.sampled_from(["troops", "soldiers", "shells", "workers", "of them"]),
        st.sampled_from([" were sent.", " were killed, officials said.", " will arrive.",
                         ", Zelensky said.", ".\n\n", " and "]),
    ),
    max_size=8,
).map("".join)


# --------------------------------------------------------------------------- invariants


@pytest.mark.slow
@SETTINGS
@given(st.text(max_size=300))
def test_any_text_never_raises_and_spans_hold(text):
    df = extract(text)
    check_invariants(text, df)


@pytest.mark.slow
@SETTINGS
@given(numberish_text())
def test_numberish_text_never_raises_and_spans_hold(text):
    df = extract(text)
    check_invariants(text, df)


@pytest.mark.slow
@SETTINGS
@given(digit_soup)
def test_digit_soup_never_raises_and_spans_hold(text):
    df = extract(text)
    check_invariants(text, df)


@pytest.mark.slow
@SETTINGS
@given(sentence_soup)
def test_sentence_soup_never_raises_and_spans_hold(text):
    df = extract(text)
    check_invariants(text, df)


@pytest.mark.slow
@SETTINGS
@given(st.one_of(numberish_text(), sentence_soup, st.text(max_size=200)))
def test_qualifier_value_conventions_hold_everywhere(text):
    check_conventions(extract(text))


@pytest.mark.slow
@SETTINGS
@given(st.one_of(numberish_text(), sentence_soup))
def test_what_is_written_in_the_sentence(text):
    # "what" is the counted noun phrase *as written*: in the figure's sentence, or, for a
    # count without its noun ("... troops. 12 were killed"), in the sentence before it
    # (its paragraph's); or a word the count itself implies ("the toll": deaths).
    df = extract(text)
    for _, r in df.iterrows():
        if pd.notna(r["what"]) and r["what"] != "":
            before = text[:int(r["sentence_end"])]
            assert r["what"] in r["sentence"] or r["what"] in before \
                or r["what"] in nouns.IMPLIED_WHAT.values() or r["what"] == "people", (
                r["what"], r["sentence"])


# --------------------------------------------------------------------------- round trips

VERBS = ["arrived in Valdoria", "were stationed near Tarsk", "crossed the Velmor river"]



def _only_figure_at(text: str, words: str):
    """The one figure whose span covers the first character of ``words``."""
    df = extract(text)
    s = text.index(words)
    rows = df[(df["start"] <= s) & (df["end"] > s)]
    assert len(rows) == 1, df.to_string()
    return rows.iloc[0]

@ROUND_TRIP
@given(st.integers(min_value=2, max_value=90_000_000), st.sampled_from(VERBS))
def test_exact_number_round_trip(n, verb):
    r = _only_figure_at(f"Officials counted {n:,} soldiers who {verb}.", f"{n:,}")
    assert (int(r["low"]), int(r["high"]), r["qualifier"]) == (n, n, "exact"), r["surface"]


@ROUND_TRIP
@given(st.integers(min_value=2, max_value=90_000_000),
       st.sampled_from([("about", "approx"), ("around", "approx"), ("roughly", "approx"),
                        ("more than", "more_than"), ("at least", "at_least"),
                        ("up to", "up_to")]))
def test_hedged_number_round_trip(n, hedge):
    word, qualifier = hedge
    r = _only_figure_at(f"Officials counted {word} {n:,} soldiers near Tarsk.", f"{n:,}")
    assert r["qualifier"] == qualifier, r["surface"]
    expect_low = None if qualifier == "up_to" else n
    expect_high = None if qualifier in ("more_than", "at_least") else n
    got_low = None if pd.isna(r["low"]) else int(r["low"])
    got_high = None if pd.isna(r["high"]) else int(r["high"])
    assert (got_low, got_high) == (expect_low, expect_high), r["surface"]


@ROUND_TRIP
@given(st.integers(min_value=2, max_value=9_000_000), st.integers(min_value=1, max_value=9_000_000),
       st.sampled_from(["between {a} and {b}", "{a} to {b}", "{a}\u2013{b}"]))
def test_range_round_trip(a, delta, pattern):
    b = a + delta
    phrase = pattern.format(a=f"{a:,}", b=f"{b:,}")
    text = f"Officials expect {phrase} soldiers in Tarsk."
    df = extract(text)
    s = text.index(phrase)
    e = s + len(phrase)
    rows = df[(df["start"] < e) & (df["end"] > s)]
    assert len(rows) == 1, df.to_string()
    r = rows.iloc[0]
    assert (int(r["low"]), int(r["high"]), r["qualifier"]) == (a, b, "range"), r["surface"]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "2", "troops", "about", "between and",
                                  "1,", ",000", "\u2013", "12 000 000 000 000 000 000 000"])
def test_degenerate_inputs_never_raise_and_spans_hold(text):
    df = extract(text)
    check_invariants(text, df)
    check_conventions(df)


BEFORE_TOKENS = ["Oct.", "October", "may", "dismay", "Monday (", "2024-", "2024 /", "2024.", "US$", "USD",
                 "Rs.", "€", "$", "aged", "age of", "age", "page", "aged between", "No.", "number", "#",
                 "§", "about", "troops", "than", "of", "Between", "é", "x", "12", ",", " ", "  ", "\n",
                 "(", "Jun.", "Sept.", "etc.", "US.", "no", ".", "x1", "_", "é", "x1may", "_Jun.", "éMay", "1Oct"]


@SETTINGS
@given(st.lists(st.sampled_from(BEFORE_TOKENS), max_size=14).map(" ".join),
       st.sampled_from(["", " ", "  "]))
def test_the_quick_look_before_a_number_agrees_with_the_full_search(before, gap):
    """``_excluded`` skips the search after most words; it must never change the answer."""
    ex = importlib.import_module("kit.extract.figures")

    text = before + gap + "12 troops"
    core = len(before + gap)
    for s_start in (0, max(0, core - 7)):
        full = ex.BEFORE_ANY.search(text, max(s_start, core - 30), core) is not None
        assert ex._excluded(text, s_start, core) == full


HEDGE_TOKENS = ["about", "More", "than", "more than", "Moreover", "over", "c.", "abc.", "C.", "Jun.", "~",
                "up to", "to", "as many as", "an estimated", "estimated", "of", "in excess of", "x", "é",
                ",", ".", " ", "\n"]


@SETTINGS
@given(st.lists(st.sampled_from(HEDGE_TOKENS), max_size=10).map(" ".join), st.sampled_from(["", " "]))
def test_the_quick_look_for_a_hedge_agrees_with_the_full_search(before, gap):
    ex = importlib.import_module("kit.extract.figures")
    from kit import lexicon

    lex = lexicon.load()
    text = before + gap + "12 troops"
    start = len(before + gap)
    m = lex.hedge_before.search(text, max(0, start - 24), start)
    full = (start, None) if m is None else (m.start("hedge"), lex.hedge_qualifier[m.group("hedge").lower()])
    assert ex._hedge_before(text, start, 0, lex) == full


def test_the_month_words_before_a_number_are_the_ones_months_matches():
    """Every month word the date pattern knows (and only those) lets the search run."""
    ex = importlib.import_module("kit.extract.figures")
    nouns = importlib.import_module("kit.extract.nouns")

    names = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december"]
    prefixes = {name[:k] for name in names for k in range(1, len(name) + 1)} | {"sept", "mays"}
    for word in prefixes:
        if nouns.MONTH_WORD.match(word):
            assert word in ex.TOKENS_BEFORE_EXCLUDED, word
            assert word + "." in ex.TOKENS_BEFORE_EXCLUDED, word
    assert "mays" not in ex.TOKENS_BEFORE_EXCLUDED and "jun" in ex.TOKENS_BEFORE_EXCLUDED


WORD_TOKENS = ["Oct", "Oct.", "may", "US", "aged", "é", "x1", "12", ",", ".", " ", "  ", "\n", "\t", "$",
               "No", "c."]


@SETTINGS
@given(st.lists(st.sampled_from(WORD_TOKENS), max_size=10).map("".join), st.integers(0, 12))
def test_the_token_before_is_what_a_regex_finds_at_the_end_of_the_window(text, lo):
    """``token_before`` (the walk back that decides whether a search is run) agrees with
    a regular expression over the same window: letters with their full stop, letters, or
    the last character."""
    import re

    from kit.extract.numbers import token_before

    lo = min(lo, len(text))
    window = text[lo:].rstrip()
    if not window:
        expected = None
    else:
        m = re.search(r"[^\W\d_]+\.?$", window)
        expected = m.group().lower() if m else window[-1]
    assert token_before(text, lo, len(text)) == expected


BACK_TOKENS = ["said", "on", "Monday", "x1", "it's", "’s", "co-op", "_", "é", "²", "12", ",", ".", " ",
               "(NIS)", "—", "\n"]


@SETTINGS
@given(st.lists(st.sampled_from(BACK_TOKENS), max_size=10).map("".join), st.integers(0, 12))
def test_the_walk_back_over_a_word_agrees_with_the_search_it_replaces(text, lo):
    """``attribution._word_back`` finds where a search for ``[\\w'’-]+$`` in the window
    would start (the words between a speaker and its verb are read with it), in a window
    that ends where a word or mark ends, as ``_speaker_end`` asks it (spaces skipped)."""
    import re

    attribution = importlib.import_module("kit.extract.attribution")

    text = text.rstrip()
    lo = min(lo, len(text))
    m = re.compile(r"[\w'’-]+$").search(text, lo, len(text))
    assert attribution._word_back(text, lo, len(text)) == (len(text) if m is None else m.start())


ABBREV_TOKENS = ["Gen", "U.S", "e.g", ".", "..", "x", "12", " ", "\n", "é", "Oct", "a.m", "-", "_"]


@SETTINGS
@given(st.lists(st.sampled_from(ABBREV_TOKENS), max_size=8).map("".join), st.integers(0, 12))
def test_the_walk_back_to_a_word_before_a_period_agrees_with_the_search_it_replaces(text, lo):
    """``segment._word_before`` (the word a sentence's period may close) finds what a
    search for ``[A-Za-z][A-Za-z.]*$`` finds in the same window, a final line break too."""
    import re

    segment = importlib.import_module("kit.extract.segment")

    lo = min(lo, len(text))
    m = re.compile(r"([A-Za-z][A-Za-z.]*)$").search(text, lo, len(text))
    assert segment._word_before(text, lo, len(text)) == (m.group(1) if m else "")


NOUN_TOKENS = ["troops", "troops’", "special", "forces", "special forces", "soldiers", "the", "of",
               "1,500", "U.S.", "co-op", "é", ",", "—", "people's", "  ", "\n", "Troops",
               "SPECIAL FORCES", "Soldiers'", "İ"]


@SETTINGS
@given(st.lists(st.sampled_from(NOUN_TOKENS), max_size=12).map(" ".join), st.integers(0, 6))
def test_the_previous_noun_is_the_last_noun_a_greedy_reading_of_the_tokens_finds(text, lo):
    """``nouns.previous_noun`` reads the tokens as strings and finds the chosen noun's place
    again; it agrees with a reading of match objects, longest noun first at each token."""
    from kit import lexicon

    nouns = importlib.import_module("kit.extract.nouns")
    lex = lexicon.load()
    lo = min(lo, len(text))
    toks = list(nouns.TOKEN.finditer(text, lo, len(text)))
    words = [t.group().lower().rstrip("'’") for t in toks]
    expected, i = None, 0
    while i < len(toks):
        for width in range(min(lex.max_noun_words, len(toks) - i), 0, -1):
            if " ".join(words[i:i + width]) in lex.nouns:
                expected = (toks[i].start(), toks[i + width - 1].end(),
                            lex.nouns[" ".join(words[i:i + width])])
                i += width
                break
        else:
            i += 1
    assert nouns.previous_noun(text, lo, len(text), lex) == expected


TOKEN_PIECES = ["co", "-", "op", ".", "U", "S", "'", "’", "s", "1", ",", "500", "٣", "é", " ", "\n",
                "\u00a0", "—", "x", "--", ".5"]


@SETTINGS
@given(st.lists(st.sampled_from(TOKEN_PIECES), max_size=14).map("".join))
def test_tokens_read_by_hand_are_the_tokens_of_the_token_pattern(text):
    """``nouns.token_end`` (the tokens after a number, read by hand) cuts a text exactly
    where ``nouns.TOKEN`` does."""
    nouns = importlib.import_module("kit.extract.nouns")
    expected = [m.span() for m in nouns.TOKEN.finditer(text)]
    found, p = [], 0
    while True:
        while p < len(text) and text[p].isspace():
            p += 1
        if p >= len(text):
            break
        q = nouns.token_end(text, p, len(text))
        found.append((p, q))
        p = q
    assert found == expected


PHRASE_PIECES = ["the", " ", "\n", "\u00a0", "\u2009", "ministry", "'s", "’s", " latest ", "tally",
                 ",", ";", ".", "-", '"', "“", "”", "(", ")", "[", "]", "’", "'", "Spokesman",
                 "OFFICIALS", " for ", " of ", "Red Cross", "é", "ſ", "ı", "staff", "advisor"]


@SETTINGS
@given(st.lists(st.sampled_from(PHRASE_PIECES), max_size=12).map("".join))
def test_speaker_phrases_read_by_hand_equal_the_expressions_they_replace(phrase):
    """``speakers.clean`` (the trailing junk walked back by hand) and the word checks
    before ``_SPOKES_FOR`` and ``_OWNER`` give what the regular expressions alone give."""
    speakers = importlib.import_module("kit.extract.speakers")
    stripped = phrase.strip(" \t\n,;:\"“”‘’'()[]")
    assert speakers.clean(phrase) == speakers._TRAILING_JUNK.sub("", stripped)
    expected = speakers._SPOKES_FOR.search(phrase)
    found = speakers._spokes_for(phrase)
    assert (found and found.span()) == (expected and expected.span())
    attribution = importlib.import_module("kit.extract.attribution")
    end = len(phrase)
    checked = phrase.find("'s", 0, end) >= 0 or phrase.find("’s", 0, end) >= 0
    assert checked or attribution.OWNED.search(phrase, 0, end) is None
    assert "'s" in phrase or "’s" in phrase or speakers._OWNER.match(phrase) is None


COUNT_PIECES = ["the", " ", "death", "toll", "TOLL", "rose", "to", "number of", "cases", "force",
                "Turnout", "crowd", "stood at", "reached", "é", "ı", "ſ", ".", ",", ":", "12"]


@SETTINGS
@given(st.lists(st.sampled_from(COUNT_PIECES), max_size=14).map("".join), st.integers(0, 8))
def test_the_count_named_before_a_number_is_searched_only_where_its_words_are(text, lo):
    """``nouns._count_before`` (the search skipped on ASCII text without its words) finds
    what ``COUNT_BEFORE.search`` finds."""
    nouns = importlib.import_module("kit.extract.nouns")
    lo = min(lo, len(text))
    found = nouns._count_before(text, lo, len(text))
    expected = nouns.COUNT_BEFORE.search(text, lo, len(text))
    assert (found and found.span()) == (expected and expected.span())


SKIP_PIECES = ["the", "The", "THE", "a", "an", " ", "  ", "\u00a0", "\t", "latest", "most recent",
               "update", "Updates", "estimate", "figures", "data", "tally", "report", "records",
               "from", "by", "of", "released by", "ministry", "agency", "said", "theory", "an.",
               ",", ".", "-", "12", "é", "ſ", "K", "İ", "ı", "numberſ", "updateſ"]


@SETTINGS
@given(st.lists(st.sampled_from(SKIP_PIECES), max_size=10).map("".join), st.integers(0, 12))
def test_the_report_named_after_a_cue_is_matched_only_after_its_first_words(text, start):
    """``speakers.skip_after_cue`` (the match not tried after ASCII words no match starts
    with) finds what ``_SKIP_AFTER_CUE.match`` finds, wherever it starts."""
    speakers = importlib.import_module("kit.extract.speakers")
    start = min(start, len(text) + 1)
    found = speakers.skip_after_cue(text, start)
    expected = speakers._SKIP_AFTER_CUE.match(text, start)
    assert (found and found.span()) == (expected and expected.span())


DIGIT_PIECES = ["1", "12", "123", "1234", ",", ".", ",000", ".000", " 000", "\u00a0000", "\u2009",
                " ", "-", "million", " million", "k", "mil", "5", "a", "é"]


@SETTINGS
@given(st.lists(st.sampled_from(DIGIT_PIECES), max_size=10).map("".join),
       st.sampled_from(["", "x", "1", ",", " ", "é"]), st.sampled_from(["", "x", "1", ",", " "]))
def test_a_numbers_digits_end_where_they_end_in_its_sentence(written, before, after):
    """``numbers._body_end`` reads a number alone (and remembers it by its text): the
    digits end where ``_DIGITS.match`` ends them between the number's offsets in a text."""
    numbers = importlib.import_module("kit.extract.numbers")
    if not written[:1].isdigit():
        return
    text = before + written + after
    in_text = numbers._DIGITS.match(text, len(before), len(before) + len(written))
    assert in_text is not None
    assert numbers._body_end(written) == in_text.end() - len(before)
    assert numbers._BODY_END[written] == in_text.end() - len(before)


TOKEN_PIECES = ["said", "Said,", "U.S.", "1,200", "1,200,", "12.5.", "officials'", "’s", "don't",
                "well-known", "-", "(", ")", "é", "café", "x_", "_", "a", " ", "  ", "\n", "\u00a0",
                ".", ",", "3D", "F-16", "...", "ministry.", "co-op.", "A.", "a1", "'", "ſ", "½"]


@SETTINGS
@given(st.lists(st.sampled_from(TOKEN_PIECES), max_size=12).map("".join))
def test_the_tokens_read_piece_by_piece_are_the_tokens_of_the_expression(text):
    """``nouns.tokens`` (the pieces between spaces, the common ones read by hand) gives
    what ``TOKEN.findall`` gives on the whole text."""
    nouns = importlib.import_module("kit.extract.nouns")
    assert nouns.tokens(text) == nouns.TOKEN.findall(text)


WINDOW_PIECES = ["$", "€", "£", "#", "§", "-", "/", "(", " ", "  ", "\u00a0", "\n", "US", "usd",
                 "No.", "number", "aged", "age of", "June", "Monday", "2024", "between", "from",
                 "up from", "down", "rose", "with", "compared with", "about", "é", "ſ", "x", "12"]


@SETTINGS
@given(st.lists(st.sampled_from(WINDOW_PIECES), max_size=8).map("".join), st.integers(0, 10))
def test_the_words_before_a_number_are_searched_only_where_they_can_match(text, lo):
    """Before a number: a currency or label mark followed by spaces is what ``BEFORE_ANY``
    matches (``_excluded`` answers without it), and ``RANGE_INTRO`` and ``CHANGED_FROM``
    searched only where their words are find what they find everywhere."""
    figures = importlib.import_module("kit.extract.figures")
    numbers = importlib.import_module("kit.extract.numbers")
    fastre = importlib.import_module("kit.fastre")
    lo = min(lo, len(text))
    if numbers.token_before(text, lo, len(text)) in figures.MARKS_EXCLUDED:
        assert figures.BEFORE_ANY.search(text, lo, len(text)) is not None
    for pattern, words in ((figures.RANGE_INTRO, figures.RANGE_INTRO_WORDS),
                           (figures.CHANGED_FROM, figures.CHANGED_FROM_WORDS)):
        found = fastre.search_where(pattern, words, text, lo, len(text))
        expected = pattern.search(text, lo, len(text))
        assert (found and found.span()) == (expected and expected.span())
