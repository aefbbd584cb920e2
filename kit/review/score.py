"""The analyst's reviews as gold labels: ``kit evaluate --corrections`` scores the current
kit on the figures an analyst reviewed.

An accepted figure is a label equal to the kit's figure (the kit was right); a corrected
one is the corrected figure (the fields the kit got wrong are scored wrong); an added one
is a label the kit missed (unless a later kit finds it); a rejected span is a figure the
kit should not have found (a false figure).  Figures nobody reviewed are not scored:
the scores say how far to trust the unreviewed rest of the same corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit.review.apply import Problem, apply, latest
from kit.review.corrections import Correction, text_hash

LABEL_FIELDS = ("low", "high", "qualifier", "what", "status", "measure", "claimant")


@dataclass
class ReviewGold:
    """Gold labels made of reviews, and the kit's figures they score."""

    labels: list[dict]  # in the shape of kit.evaluate's GOLD lines
    figures: pd.DataFrame  # the kit's figures that overlap a reviewed or rejected span
    counts: dict[str, int]  # accepted, corrected, added, rejected
    unscored: int  # the kit's figures nobody reviewed
    problems: list[Problem]

    def text(self) -> str:
        c = self.counts
        return (f"scored on the reviewed figures: {c['accepted']} accepted, {c['corrected']} "
                f"corrected, {c['added']} added, {c['rejected']} rejected; {self.unscored} "
                "figures of the kit were not reviewed and are not scored\n")


def _plain(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return int(v) if not isinstance(v, str) else v


def review_gold(kit_figs: pd.DataFrame, articles: pd.DataFrame, corrections: list[Correction],
                *, lexicon: object = None) -> ReviewGold:
    """Gold labels from ``corrections`` for the kit's uncorrected figures ``kit_figs``."""
    fixed, problems = apply(kit_figs, articles, corrections, lexicon=lexicon)
    reviewed = fixed[fixed["reviewed"] != "kit"]
    labels = []
    for row in reviewed.itertuples(index=False):
        label = {"file": Path(row.path).name, "surface": row.surface, "start": int(row.start),
                 "end": int(row.end), "_line": 0, "_article": row.article_id}
        label.update({k: _plain(getattr(row, k)) for k in LABEL_FIELDS})
        labels.append(label)
    spans: dict[str, list[tuple[int, int]]] = {}
    for label in labels:
        spans.setdefault(label["_article"], []).append((label["start"], label["end"]))
    ids = {}
    for aid, text in zip(articles["article_id"], articles["text"]):
        ids.setdefault(text_hash(text), []).append(aid)
    rejected = 0
    stale = {id(p.correction) for p in problems}
    for c in latest(corrections):
        if c.action == "reject" and id(c) not in stale:
            rejected += 1
            for aid in ids.get(c.content_hash, []):
                spans.setdefault(aid, []).append((c.start, c.end))
    keep = [any(min(e, se) > max(s, ss) for ss, se in spans.get(a, []))
            for a, s, e in zip(kit_figs["article_id"], kit_figs["start"], kit_figs["end"])]
    scored = kit_figs[pd.Series(keep, index=kit_figs.index, dtype=bool)].reset_index(drop=True)
    counts = reviewed["reviewed"].value_counts()
    return ReviewGold(labels, scored,
                      {k: int(counts.get(k, 0)) for k in ("accepted", "corrected", "added")}
                      | {"rejected": rejected},
                      len(kit_figs) - len(scored), problems)
