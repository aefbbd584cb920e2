"""Scoring the kit against hand-labelled figures: how far to trust it on a corpus.

The labels (``GOLD.jsonl``) are one JSON object a line, one expected figure each:

* ``file``: the article's file name; ``surface``: the figure's words;
* ``start``, ``end``: offsets of ``surface`` in the article's text as the kit
  loads it (``null`` for saved web pages: ``surface`` is then looked up in the
  visible text, its ``occurrence``-th appearance, default the first);
* ``low``, ``high`` (numbers or null) and ``qualifier`` (exact, approx,
  more_than, at_least, up_to, range, vague);
* ``what`` (the counted noun), ``status``, ``measure`` (dead, injured, missing,
  captured, evacuated, displaced, crowd, deployed forces, planned forces, supplied
  items, cases, other: scored once the kit gives figures a measure) and ``claimant``.

Where a field allows several readings it is a list, and any of its values is
right.  A claimant is a name as a reader would write it ("the health ministry",
"NIS", "unattributed"); the kit's claimant is right when it is that name
(case, "the" and possessives aside), contains it or is contained in it as whole
words, or is the canonical name the knowledge files give it.  A ``context``
file of the same shape lists spans that are neither expected nor wrong: a
figure there counts for nothing.

A kit figure *matches* an expected one when their spans overlap (one to one,
largest overlap first).  Precision and recall count matches; *value* counts a
match right when ``low`` and ``high`` are the expected ones (value F1 is the F1
of those); qualifier, status, claimant, what and measure are accuracies over
the matches whose field is labelled.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import lexicon as _lexicon
from kit.claims.families import family
from kit.extract.speakers import find_mentions

FIELDS = ("qualifier", "status", "claimant", "what", "measure")


LEVELS = ("high", "medium", "low")


class GoldError(ValueError):
    """A labels file cannot be read (names the file, the line and what is wrong)."""


@dataclass
class Evaluation:
    """The scores and every disagreement, for people (``text``) and programs (``as_dict``)."""

    expected: int
    found: int
    matched: int
    in_context: int
    values_right: int
    fields: dict[str, tuple[int, int]]  # field -> (right, labelled)
    misses: list[dict] = field(default_factory=list)
    false: list[dict] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)
    #: confidence -> {"figures": matched, "right": with every labelled field right, and for
    #: each field (and "value") how many of them are wrong}
    by_confidence: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def value_f1(self) -> float:
        p = self.values_right / self.found if self.found else 1.0
        r = self.values_right / self.expected if self.expected else 1.0
        return _f1(p, r)

    def accuracy(self, name: str) -> float:
        right, labelled = self.fields[name]
        return right / labelled if labelled else 1.0

    def scores(self) -> dict[str, float]:
        out = {"precision": self.precision, "recall": self.recall, "f1": self.f1,
               "value_f1": self.value_f1}
        out.update({name: self.accuracy(name) for name in FIELDS})
        return {k: round(v, 3) for k, v in out.items()}

    def as_dict(self) -> dict:
        return {"expected": self.expected, "found": self.found, "matched": self.matched,
                "in_context": self.in_context, "scores": self.scores(), "misses": self.misses,
                "false": self.false, "wrong": self.wrong, "by_confidence": self.by_confidence}

    def text(self) -> str:
        s = self.scores()
        lines = [
            f"{self.expected} expected figures; the kit found {self.found} "
            f"(and {self.in_context} in context spans, not counted); {self.matched} match.",
            f"precision {s['precision']:.2f}  recall {s['recall']:.2f}  F1 {s['f1']:.2f}  "
            f"value F1 {s['value_f1']:.2f}",
            "of the matches: " + "  ".join(
                f"{name} {s[name]:.2f} ({self.fields[name][1]})" if self.fields[name][1]
                else f"{name} -" for name in FIELDS),
        ]
        if self.by_confidence:
            lines.append("by confidence (matched figures; share with every field right; "
                         "fields wrong):")
            for level in sorted(self.by_confidence, key=lambda v: LEVELS.index(v)
                                if v in LEVELS else 9):
                t = self.by_confidence[level]
                wrong = ", ".join(f"{k} {v}" for k, v in t.items()
                                  if k not in ("figures", "right") and v)
                lines.append(f"  {level}: {t['figures']}; {t['right'] / t['figures']:.0%}; "
                             f"{wrong or 'none'}")
        for title, items in (("missed", self.misses), ("not expected", self.false),
                             ("wrong fields", self.wrong)):
            lines.append(f"\n{title} ({len(items)}):")
            for item in items:
                extra = "".join(f"; {k}: kit {v[0]!r}, expected {v[1]!r}"
                                for k, v in item.get("fields", {}).items())
                lines.append(f"  {item['file']}: {item['surface']!r}{extra}\n"
                             f"      {item['sentence']}")
        return "\n".join(lines) + "\n"


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _any(value) -> list:
    return value if isinstance(value, list) else [value]


def read_labels(path: Path) -> list[dict]:
    """The labels of a GOLD or context file; GoldError names the line of a bad one."""
    labels = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GoldError(f"{path}: cannot read ({err})") from err
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except ValueError as err:
            raise GoldError(f"{path}:{n}: not a JSON object ({err})") from err
        if not isinstance(label, dict) or not label.get("file") or not label.get("surface"):
            raise GoldError(f"{path}:{n}: a label needs at least 'file' and 'surface'")
        label["_line"] = n
        labels.append(label)
    return labels


def _place(label: dict, text: str | None, path: Path) -> tuple[int, int] | None:
    """The label's span in the article text (by offsets, else by its surface)."""
    if text is None:
        return None
    start, end = label.get("start"), label.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == label["surface"]:
        return start, end
    at, k = -1, int(label.get("occurrence") or 1)
    for _ in range(k):
        at = text.find(label["surface"], at + 1)
        if at < 0:
            raise GoldError(f"{path}:{label['_line']}: {label['surface']!r} is not in "
                            f"{label['file']} as the kit reads it")
    return at, at + len(label["surface"])


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b")


def _norm(name: str) -> str:
    name = _POSSESSIVE.sub("", str(name).lower())
    name = _ARTICLE.sub("", name.strip())
    return " ".join(re.findall(r"\w+", name))


def claimant_right(kit_claimant: str, kit_text, expected, lex: _lexicon.Lexicon) -> bool:
    """Whether the kit's claimant is one of the expected names (see the module doc); a
    joint claimant ("A and B") is right when each of its names is."""
    parts = kit_claimant.split(" and ")
    if len(parts) > 1 and all(_one_claimant_right(p, None, expected, lex) for p in parts):
        return True
    return _one_claimant_right(kit_claimant, kit_text, expected, lex)


def _one_claimant_right(kit_claimant: str, kit_text, expected, lex: _lexicon.Lexicon) -> bool:
    ours = {_norm(kit_claimant)} | ({_norm(kit_text)} if isinstance(kit_text, str) else set())
    for name in _any(expected):
        want = _norm(name)
        if not want:
            continue
        if want == "unattributed" or _norm(kit_claimant) == "unattributed":
            if want == _norm(kit_claimant):
                return True
            continue
        if kit_claimant in {m.canonical for m in find_mentions(str(name), lex) if m.canonical}:
            return True
        for mine in ours:
            if mine == want or re.search(rf"\b{re.escape(want)}\b", mine) or \
                    re.search(rf"\b{re.escape(mine)}\b", want):
                return True
    return False


def _what_right(kit_what, kit_kind, expected) -> bool:
    if not isinstance(kit_what, str):
        return False
    mine = _norm(kit_what)
    for want in _any(expected):
        w = _norm(want)
        if mine == w or mine.split()[-1:] == w.split()[-1:] or \
                family(kit_what, kit_kind) == family(want):
            return True
    return False


def evaluate(figures: pd.DataFrame, articles: pd.DataFrame, gold: list[dict],
             context: list[dict] | None = None, *, lexicon: _lexicon.Lexicon | None = None,
             gold_path: Path = Path("gold"), measures: pd.Series | None = None) -> Evaluation:
    """Score ``figures`` (of ``articles``) against the ``gold`` labels (see the module doc).
    ``measures``: the kit's measure of each figure, when it has one."""
    lex = lexicon or _lexicon.load()
    by_file = {Path(p).name: (aid, text) for aid, p, text in
               zip(articles["article_id"], articles["path"], articles["text"])}
    placed: dict[str, list[tuple[int, int, dict]]] = {}
    for label in gold:
        aid, text = by_file.get(label["file"], (None, None))
        if aid is None:
            raise GoldError(f"{gold_path}:{label['_line']}: no article {label['file']} in the corpus")
        span = _place(label, text, gold_path)
        placed.setdefault(aid, []).append((*span, label))
    ctx: dict[str, list[tuple[int, int]]] = {}
    for label in context or []:
        aid, text = by_file.get(label["file"], (None, None))
        if aid is not None:
            ctx.setdefault(aid, []).append(_place(label, text, Path("context"))[:2])
    figs = figures.reset_index(drop=True)
    taken: set[int] = set()
    result = Evaluation(expected=len(gold), found=0, matched=0, in_context=0, values_right=0,
                        fields=dict.fromkeys(FIELDS, (0, 0)))
    pairs: list[tuple[int, dict]] = []
    for aid, labels in placed.items():
        mine = figs.index[figs["article_id"] == aid]
        candidates = []
        for i in mine:
            s, e = int(figs.at[i, "start"]), int(figs.at[i, "end"])
            for k, (gs, ge, _) in enumerate(labels):
                overlap = min(e, ge) - max(s, gs)
                if overlap > 0:
                    candidates.append((-overlap, i, k))
        used_labels: set[int] = set()
        for _, i, k in sorted(candidates):
            if i in taken or k in used_labels:
                continue
            taken.add(i)
            used_labels.add(k)
            pairs.append((i, labels[k][2]))
        for k, (start, _, label) in enumerate(labels):
            if k not in used_labels:
                result.misses.append({"file": label["file"], "surface": label["surface"],
                                      "sentence": _line_around(by_file[label["file"]][1], start)})
    for i in figs.index:
        if i in taken:
            continue
        aid, s, e = figs.at[i, "article_id"], int(figs.at[i, "start"]), int(figs.at[i, "end"])
        if any(min(e, ce) > max(s, cs) for cs, ce in ctx.get(aid, [])):
            result.in_context += 1
            continue
        result.found += 1
        result.false.append({"file": Path(figs.at[i, "path"]).name, "surface": figs.at[i, "surface"],
                             "sentence": figs.at[i, "sentence"]})
    result.found += len(pairs)
    result.matched = len(pairs)
    counts = {name: [0, 0] for name in FIELDS}
    for i, label in pairs:
        row = figs.loc[i]
        low, high = (None if pd.isna(row["low"]) else int(row["low"]),
                     None if pd.isna(row["high"]) else int(row["high"]))
        wrong: dict[str, tuple] = {}
        if low == label.get("low") and high == label.get("high"):
            result.values_right += 1
        else:
            wrong["value"] = ((low, high), (label.get("low"), label.get("high")))
        for name in FIELDS:
            if label.get(name) is None or (name == "measure" and measures is None):
                continue
            counts[name][1] += 1
            mine = measures.loc[i] if name == "measure" and measures is not None else row[name]
            if _field_right(name, row, mine, label[name], lex):
                counts[name][0] += 1
            else:
                wrong[name] = (None if pd.isna(mine) else mine, label[name])
        level = row["confidence"] if "confidence" in row.index else None
        if isinstance(level, str):
            tally = result.by_confidence.setdefault(
                level, {"figures": 0, "right": 0, "value": 0, **dict.fromkeys(FIELDS, 0)})
            tally["figures"] += 1
            tally["right"] += not wrong
            for name in wrong:
                tally[name] += 1
        if wrong:
            result.wrong.append({"file": label["file"], "surface": label["surface"],
                                 "sentence": row["sentence"], "fields": wrong,
                                 "confidence": level if isinstance(level, str) else None})
    result.fields = {name: (c[0], c[1]) for name, c in counts.items()}
    return result


def _field_right(name: str, row: pd.Series, mine, want, lex: _lexicon.Lexicon) -> bool:
    """Whether the kit's value ``mine`` of field ``name`` is one of the labelled ones."""
    if name == "claimant":
        return claimant_right(row["claimant"], row["claimant_text"], want, lex)
    if name == "what":
        return _what_right(row["what"], row["kind"], want)
    return mine in _any(want)


def _line_around(text: str, at: int) -> str:
    """The line holding offset ``at``, for the report of a missed figure."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:end if end >= 0 else len(text)].strip()[:400]
