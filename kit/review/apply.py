"""Corrections applied to a figures frame: what ``kit.figures`` and every command use.

``apply(figs, articles, corrections)`` returns the corrected frame (rejected figures
gone, changed and added ones set from the rows, ``reviewed`` saying which) and the
corrections it could not apply, each with the reason (see ``kit.review.corrections``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kit import schema
from kit.review.corrections import Correction, text_hash

UNATTRIBUTED = "unattributed"


@dataclass
class Problem:
    """A correction that was not applied, and why."""

    correction: Correction
    reason: str

    def message(self) -> str:
        return f"{self.correction.label()}: {self.reason}"

    def as_dict(self) -> dict:
        c = self.correction
        return {"file": c.file, "line": c.line, "action": c.action, "surface": c.surface,
                "path": c.path, "reason": self.reason, "message": self.message()}


def latest(corrections: list[Correction]) -> list[Correction]:
    """The last decision about each span, in the order of their first row."""
    last: dict[tuple, Correction] = {}
    for c in corrections:
        last.pop(c.key, None)  # re-inserted: dicts keep insertion order
        last[c.key] = c
    return list(last.values())


def stale_reason(c: Correction, paths: set[str]) -> str:
    from pathlib import Path

    if c.path and c.path in paths:
        return (f"the article {c.path} changed since the decision (its text is not the one "
                "reviewed): review the figure again")
    if c.path and not Path(c.path.split("#", 1)[0]).exists():
        return f"the article vanished ({c.path} no longer exists and no article has its text)"
    return "no article of this corpus has the text reviewed (another corpus, or the article " \
           "was edited or removed)"


def _kind(what, lexicon) -> str:
    if not isinstance(what, str) or not what.strip():
        return "other"
    try:
        from kit import lexicon as _lexicon
        from kit.extract.nouns import _kind_of

        return _kind_of(what.lower(), _lexicon.resolve(lexicon)) or "other"
    except Exception:  # a knowledge problem is reported where knowledge is loaded
        return "other"


def apply(figs: pd.DataFrame, articles: pd.DataFrame, corrections: list[Correction], *,
          lexicon: object = None, sentences: pd.DataFrame | None = None
          ) -> tuple[pd.DataFrame, list[Problem]]:
    """The figures with the corrections applied, and the corrections not applied."""
    if not corrections:
        return figs, []
    hashes = [text_hash(t) for t in articles["text"].tolist()]
    by_hash: dict[str, list[int]] = {}
    for i, h in enumerate(hashes):
        by_hash.setdefault(h, []).append(i)
    paths = set(articles["path"].tolist())
    out = figs.copy()
    out["reviewed"] = out["reviewed"].astype(object)
    index = {(a, s, e): i for i, a, s, e in zip(out.index, out["article_id"], out["start"],
                                                out["end"])}
    drop: set = set()
    rejects: set = set()  # the kit's figures an analyst rejected
    new_rows: list[dict] = []
    problems: list[Problem] = []
    sentence_spans = None
    for c in latest(corrections):
        found = by_hash.get(c.content_hash)
        if not found:
            problems.append(Problem(c, stale_reason(c, paths)))
            continue
        for a in found:
            art = articles.iloc[a]
            text = art["text"]
            if c.end > len(text):
                problems.append(Problem(c, f"the span {c.start}-{c.end} is past the end of the "
                                           f"article ({len(text)} characters)"))
                break
            i = index.get((art["article_id"], c.start, c.end))
            if c.action in ("accept", "reject"):
                if i is None or i in drop:
                    problems.append(Problem(c, f"not applicable: the kit finds no figure at "
                                               f"{c.start}-{c.end} ({text[c.start:c.end]!r}) "
                                               "any more"))
                elif c.action == "reject":
                    drop.add(i)
                    rejects.add(i)
                else:
                    out.at[i, "reviewed"] = "accepted"
                continue
            state = "added" if c.action == "add" else "corrected"
            if i is not None:
                for k, v in c.values.items():
                    out.at[i, k] = v
                if "what" in c.values:
                    out.at[i, "kind"] = _kind(c.values["what"], lexicon)
                out.at[i, "reviewed"] = state
                drop.discard(i)
                rejects.discard(i)
                continue
            if sentence_spans is None:
                sentence_spans = _sentences(articles, sentences, lexicon)
            new_rows.append(_new_figure(c, art, state, sentence_spans, lexicon))
    # a figure the analyst changed or added replaces unreviewed kit figures overlapping it
    for row in new_rows:
        same = out.index[(out["article_id"] == row["article_id"]) & (out["reviewed"] == "kit")
                         & (out["start"] < row["end"]) & (out["end"] > row["start"])]
        drop.update(same)
    out = out.drop(index=sorted(drop))
    if new_rows:
        added = schema.conform(pd.DataFrame(new_rows), "figures")
        out = pd.concat([schema.conform(out, "figures"), added], ignore_index=True)
        order = {a: k for k, a in enumerate(articles["article_id"].tolist())}
        out = out.assign(_a=out["article_id"].map(order)).sort_values(
            ["_a", "start"], kind="stable").drop(columns="_a")
    out = schema.conform(out.reset_index(drop=True), "figures")
    out.attrs["rejected"] = len(rejects)
    return out, problems


def _sentences(articles, sentences, lexicon) -> dict[str, list[tuple[int, int, int, str]]]:
    """article_id -> its sentences (start, end, sentence_id, text)."""
    if sentences is None:
        from kit.extract.segment import sentences as split

        sentences = split(articles, lexicon=lexicon)
    out: dict[str, list] = {}
    for a, k, s, e, t in zip(sentences["article_id"], sentences["sentence_id"],
                             sentences["start"], sentences["end"], sentences["text"]):
        out.setdefault(a, []).append((int(s), int(e), int(k), t))
    return out


def _new_figure(c: Correction, art, state: str, spans: dict, lexicon) -> dict:
    """A figure built from a change or add row (the kit finds none at its span)."""
    text = art["text"]
    sentence = next(((s, e, k, t) for s, e, k, t in spans.get(art["article_id"], [])
                     if s <= c.start < e), None)
    if sentence is None:  # between sentences: the span is its own sentence
        sentence = (c.start, c.end, -1, text[c.start:c.end])
    v = c.values
    low, high = v.get("low"), v.get("high")
    return dict(
        figure_id=f"{art['article_id']}:{c.start}", article_id=art["article_id"],
        path=art["path"], outlet=art["outlet"], published=art["published"], url=art["url"],
        start=c.start, end=c.end, surface=text[c.start:c.end], low=low, high=high,
        qualifier=v.get("qualifier") or "vague", what=v.get("what"),
        kind=_kind(v.get("what"), lexicon), status=v.get("status") or "other",
        measure=v.get("measure") or "other", claimant=v.get("claimant") or UNATTRIBUTED,
        claimant_text=v.get("claimant"), confidence="high",
        confidence_reasons=None, sentence_id=sentence[2], sentence=sentence[3],
        sentence_start=sentence[0], sentence_end=sentence[1], reviewed=state)
