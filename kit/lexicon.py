"""The analyst's knowledge, loaded from editable CSV files.

Everything story- or language-specific (claimant aliases, boilerplate cues,
counted nouns, hedges, status cues) lives in ``kit/data/*.csv`` so an analyst
can extend it without touching code: pass a folder with files of the same
names to :func:`load` and their rows are used first (they win over ours).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kit import fastre

DATA = Path(__file__).parent / "data"
APOSTROPHE = "['’]"

FILES = (
    "boilerplate.csv", "counted_nouns.csv", "not_counts.csv", "hedges.csv",
    "status_cues.csv", "claimants.csv", "claimant_roles.csv", "attribution_cues.csv",
)


class LexiconError(ValueError):
    """A lexicon file is malformed (names the file, the line and the problem)."""


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a commented CSV; extra cells fold into the last column (regexes hold commas)."""
    rows: list[dict[str, str]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    if not lines:
        return rows
    reader = csv.reader([line for _, line in lines])
    header = [h.strip() for h in next(reader)]
    for (lineno, _), row in zip(lines[1:], reader):
        if len(row) < len(header):
            raise LexiconError(f"{path}:{lineno}: expected {len(header)} columns {header}, got {row}")
        row = row[: len(header) - 1] + [",".join(row[len(header) - 1:])]
        rows.append({h: v.strip() for h, v in zip(header, row)})
        rows[-1]["_where"] = f"{path}:{lineno}"
    return rows


def _apostrophes(pattern: str) -> str:
    """Make ``'`` outside character classes match straight and curly apostrophes."""
    return "".join(APOSTROPHE if kind == "char" and text == "'" else text
                   for kind, text in fastre.regex_tokens(pattern))


def compile_pattern(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern:
    """Compile a user regex; ``'`` matches either apostrophe."""
    try:
        return re.compile(_apostrophes(pattern), flags)
    except re.error as err:
        raise LexiconError(f"{where}: bad regular expression {pattern!r}: {err}") from None


@dataclass(frozen=True)
class Claimant:
    canonical: str
    kind: str  # origin | relay
    country: str
    role: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    """All analyst knowledge the pipeline uses, compiled once."""

    boilerplate: tuple[tuple[str, str, re.Pattern], ...]  # (kind, scope, pattern)
    nouns: dict[str, str]  # lower-case noun (may be several words) -> kind
    not_counts: dict[str, str]  # lower-case word -> reason
    hedges_after: tuple[tuple[str, str], ...]
    claimants: tuple[Claimant, ...]
    roles: tuple[tuple[str, re.Pattern], ...]
    cues_before: fastre.Pattern
    cues_after: fastre.Pattern
    cues_any: fastre.Pattern  # both: one quick look whether a sentence has a cue at all
    boilerplate_rows: fastre.PatternSet  # the cues again: which row (first in the file) matches
    mention_any: fastre.Pattern  # union of claimant and role names: where a mention may start
    status_any: fastre.Pattern  # union of status cues, one group per row
    status_of_group: dict[int, str]  # group number -> status
    status_groups: tuple[int, ...]  # the groups of status_any that stand for a row
    mention_row: dict[int, int]  # group of mention_any -> claimant row (roles after)
    mention_groups: tuple[int, ...]  # the groups of mention_any that stand for a row
    mention_longest: fastre.Pattern | None  # the same union, leftmost-longest, when RE2 can run it
    hedge_before: re.Pattern  # any before-hedge ending where a number starts
    hedge_qualifier: dict[str, str]  # lower-case hedge phrase -> qualifier
    # the letters that end each before-hedge ("than" of "more than"; "" for "c." or "~"):
    # a hedge can only stand before a number after one of these words or a mark
    hedge_last_words: frozenset[str]
    max_noun_words: int = 1  # longest counted noun, in words
    noun_starts: frozenset = frozenset()  # first words of the counted nouns


def _rows(name: str, extra: tuple[Path, ...]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for folder in extra:
        path = Path(folder) / name
        if path.exists():
            rows += read_table(path)
    return rows + read_table(DATA / name)


def _require(rows: list[dict[str, str]], columns: tuple[str, ...], name: str) -> None:
    for row in rows:
        missing = [c for c in columns if not row.get(c)]
        if missing:
            raise LexiconError(f"{row['_where']}: {name} row lacks {missing}")


@functools.lru_cache(maxsize=16)
def load(*extra: Path) -> Lexicon:
    """Load our data files plus same-named files in the ``extra`` folders (theirs first)."""
    extra = tuple(Path(e) for e in extra)
    for folder in extra:
        if not Path(folder).is_dir():
            raise LexiconError(f"lexicon folder {folder} does not exist")
    t = {name: _rows(name, extra) for name in FILES}
    _require(t["boilerplate.csv"], ("kind", "scope", "pattern"), "boilerplate")
    _require(t["claimants.csv"], ("canonical", "kind", "pattern"), "claimant")
    hedges = sorted(t["hedges.csv"], key=lambda r: -len(r["phrase"]))
    cues: dict[str, list[str]] = {"before": [], "after": []}
    for r in t["attribution_cues.csv"]:
        cues[r["position"]].append(r["pattern"])
    return Lexicon(
        boilerplate=tuple((r["kind"], r["scope"], compile_pattern(r["pattern"], r["_where"],
                                                                   re.IGNORECASE | re.MULTILINE))
                          for r in t["boilerplate.csv"]),
        nouns={r["noun"].lower(): r["kind"] for r in reversed(t["counted_nouns.csv"])},
        hedge_before=re.compile(
            r"(?<![\w])(?P<hedge>" + "|".join(re.escape(r["phrase"]) for r in hedges
                                               if r["position"] == "before") + r")\s*$",
            re.IGNORECASE),
        hedge_qualifier={r["phrase"].lower(): r["qualifier"] for r in hedges},
        hedge_last_words=frozenset(re.search(r"[^\W\d_]*$", r["phrase"].lower()).group()
                                   for r in hedges if r["position"] == "before"),
        noun_starts=frozenset(r["noun"].lower().split()[0] for r in t["counted_nouns.csv"]),
        max_noun_words=max((len(r["noun"].split()) for r in t["counted_nouns.csv"]), default=1),
        not_counts={r["word"].lower(): r["reason"] for r in t["not_counts.csv"]},
        hedges_after=tuple((r["phrase"].lower(), r["qualifier"]) for r in hedges
                           if r["position"] == "after"),
        status_any=_fast("|".join(f"({r['pattern']})" for r in t["status_cues.csv"]), "status_cues.csv"),
        status_of_group={g: t["status_cues.csv"][row]["status"]
                         for g, row in _group_rows(t["status_cues.csv"]).items()},
        status_groups=tuple(_group_rows(t["status_cues.csv"])),
        claimants=tuple(Claimant(r["canonical"], r["kind"], r.get("country", ""), r.get("role", ""),
                                 compile_pattern(r"\b(?:" + r["pattern"] + r")\b", r["_where"]))
                        for r in t["claimants.csv"]),
        roles=tuple((r["role"], compile_pattern(r"\b(?:" + r["pattern"] + r")\b", r["_where"]))
                    for r in t["claimant_roles.csv"]),
        cues_before=_fast(r"\b(?:" + "|".join(cues["before"]) + r")\b", "attribution_cues.csv"),
        cues_after=_fast(r"\b(?:" + "|".join(cues["after"]) + r")\b", "attribution_cues.csv"),
        cues_any=_fast(r"\b(?:" + "|".join(cues["after"] + cues["before"]) + r")\b",
                       "attribution_cues.csv"),
        boilerplate_rows=fastre.PatternSet([_apostrophes(r["pattern"]) for r in t["boilerplate.csv"]],
                                           ignorecase=True, multiline=True),
        mention_any=_fast(r"\b(?:" + "|".join(f"({r['pattern']})" for r in
                                              t["claimants.csv"] + t["claimant_roles.csv"]) + ")",
                          "claimants.csv"),
        mention_row=_group_rows(t["claimants.csv"] + t["claimant_roles.csv"]),
        mention_groups=tuple(_group_rows(t["claimants.csv"] + t["claimant_roles.csv"])),
        mention_longest=_longest(r"\b(?:" + "|".join(f"({r['pattern']})\\b" for r in
                                                  t["claimants.csv"] + t["claimant_roles.csv"]) + ")"),
    )


def _group_rows(rows: list[dict[str, str]]) -> dict[int, int]:
    """In a union of ``(row)|(row)|...``, the group number of each row -> the row's index
    (a row's own groups shift the numbers after it)."""
    out, group = {}, 1
    for i, r in enumerate(rows):
        out[group] = i
        group += 1 + re.compile(_apostrophes(r["pattern"])).groups
    return out


def _longest(pattern: str):
    """The union as a leftmost-longest RE2 pattern, or None where RE2 cannot run it."""
    try:
        return fastre.compile(_apostrophes(pattern), ignorecase=True, longest=True)
    except ValueError:
        return None


def _fast(pattern: str, where: str, multiline: bool = False):
    """A case-insensitive union on the fast engine (validated with ``re`` first for a clear error)."""
    compile_pattern(pattern, where)
    return fastre.compile(_apostrophes(pattern), ignorecase=True, multiline=multiline)
