"""Claimants the alias table does not know: kept as written, never invented."""

from __future__ import annotations

import pytest

import kit


def claimant_of(text: str, anchor: str) -> str:
    figs = kit.figures_in_text(text)
    rows = figs[figs.surface.str.contains(anchor, regex=False)]
    assert len(rows) == 1, figs[["surface", "claimant"]]
    return rows.iloc[0].claimant


@pytest.mark.parametrize("text,anchor,claimant", [
    ("About 2,000 quarry workers walked out, the union's secretary told reporters.", "2,000",
     "the union's secretary"),
    ("Some 120 police officers were hurt, a regional official said.", "120", "a regional official"),
    ("A 1,500-strong contingent arrived in Tarsk, the ministry said.", "1,500", "the ministry"),
    ("Around 40 trucks crossed at dawn, Colonel Ilse Marrow said.", "40", "Colonel Ilse Marrow"),
])
def test_unknown_sources_are_named_as_written(text, anchor, claimant):
    assert claimant_of(text, anchor) == claimant


@pytest.mark.parametrize("text,anchor", [
    ("The video shows 40 tanks near the river.", "40"),
    ("The figure of 300 troops was repeated everywhere.", "300"),
    ("It said 300 troops left.", "300"),  # "it" with nobody named before
])
def test_things_and_orphan_pronouns_are_not_claimants(text, anchor):
    assert claimant_of(text, anchor) == "unattributed"


@pytest.mark.parametrize("text,what", [
    ("About 150 more staff were hired at the depot.", "staff"),
    ("Some 300 protesters gathered in the square.", "protesters"),
    ("A 1,500-strong contingent arrived.", "contingent"),
])
def test_collective_people_nouns(text, what):
    figs = kit.figures_in_text(text)
    assert list(figs.what) == [what] and list(figs.kind) == ["people"]
