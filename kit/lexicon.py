"""The analyst's knowledge, loaded from editable CSV files: a story is a folder.

Everything story- or language-specific (claimant aliases, boilerplate cues,
counted nouns, noun families, hedges, status cues, outlets, measures) lives in
``kit/data/*.csv``.  A *story folder* holds files of the same names (any
subset): its rows are read first, so they win over ours, and the rest of ours
still apply.  ``kit story new DIR`` writes a starter folder; stories shipped
with the kit live in ``kit/data/stories/`` and can be named instead of a path
(``troops``: the seeds' story).

Every stage that reads knowledge takes ``lexicon=``: a :class:`Lexicon`, a
folder (str or Path), a shipped story's name, or None for the environment
variable ``KIT_LEXICON`` (a folder or a story name), else the kit's own files
alone.  :func:`resolve` does that lookup.  Files are checked as they are read:
a missing column, an unknown value (a status, a position, a kind) or a bad
regular expression raises :class:`LexiconError` naming the file, the line and
what is expected, before any work starts.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from kit import fastre
from kit.extract.numbers import token_before
from kit.schema import MEASURES as _MEASURES  # the values the frames allow
from kit.schema import QUALIFIERS as _QUALIFIERS
from kit.schema import STATUSES as _STATUSES

DATA = Path(__file__).parent / "data"
#: Story folders shipped with the kit, by name.
STORIES = DATA / "stories"
ENV = "KIT_LEXICON"
APOSTROPHE = "['’]"

FILES = (
    "boilerplate.csv", "counted_nouns.csv", "not_counts.csv", "hedges.csv",
    "status_cues.csv", "claimants.csv", "claimant_roles.csv", "attribution_cues.csv",
    "noun_families.csv", "outlets.csv", "measures.csv",
)


@dataclass(frozen=True)
class FileSpec:
    """What a knowledge file must hold: its columns (``required`` ones may not be
    empty), the values some columns allow, and which columns are regular expressions."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    regex: tuple[str, ...] = ()
    meaning: str = ""


#: The contract of every knowledge file (also what ``kit story new`` writes).
SPECS: dict[str, FileSpec] = {
    "boilerplate.csv": FileSpec(
        ("kind", "scope", "pattern"), ("kind", "scope", "pattern"),
        {"scope": ("line", "sentence")}, ("pattern",),
        "page furniture: a sentence matching `pattern` is never a source of figures"),
    "counted_nouns.csv": FileSpec(
        ("noun", "kind"), ("noun", "kind"), {}, (),
        "nouns a figure counts and their kind (forces, people, materiel, units, ...)"),
    "not_counts.csv": FileSpec(
        ("word", "reason"), ("word",), {}, (),
        "words that make the number before them something else than a count"),
    "hedges.csv": FileSpec(
        ("phrase", "position", "qualifier"), ("phrase", "position", "qualifier"),
        {"position": ("before", "after"), "qualifier": _QUALIFIERS}, (),
        "hedges written before or after a number and the qualifier they give"),
    "status_cues.csv": FileSpec(
        ("status", "pattern"), ("status", "pattern"), {"status": _STATUSES}, ("pattern",),
        "words near a figure that give its status"),
    "claimants.csv": FileSpec(
        ("canonical", "kind", "country", "role", "pattern"), ("canonical", "kind", "pattern"),
        {"kind": ("origin", "relay")}, ("pattern",),
        "who figures are attributed to: canonical name and the names it goes by"),
    "claimant_roles.csv": FileSpec(
        ("role", "pattern"), ("role", "pattern"), {}, ("pattern",),
        "role nouns and pronouns that refer to a claimant named earlier"),
    "attribution_cues.csv": FileSpec(
        ("position", "pattern"), ("position", "pattern"), {"position": ("before", "after")},
        ("pattern",), "reporting verbs and phrases that attach a claimant to a sentence"),
    "noun_families.csv": FileSpec(
        ("noun", "family"), ("noun", "family"), {}, (),
        "which counted nouns count the same thing (claims group by family)"),
    "outlets.csv": FileSpec(
        ("name", "domain", "aliases"), ("name",), {}, (),
        "news outlets: name, domains (;-separated) and other names"),
    "measures.csv": FileSpec(
        ("measure", "scope", "pattern"), ("measure", "scope", "pattern"),
        {"measure": _MEASURES, "scope": ("noun", "figure", "near", "default")}, ("pattern",),
        "what a figure measures (dead, injured, crowd, ...), from its noun, status and the "
        "words near it"),
}


class LexiconError(ValueError):
    """A lexicon file is malformed (names the file, the line and the problem)."""


def read_table(path: Path, spec: FileSpec | None = None) -> list[dict[str, str]]:
    """Rows of a commented CSV; extra cells fold into the last column (regexes hold commas).
    With a ``spec`` the header must hold its columns (in any order)."""
    rows: list[dict[str, str]] = []
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            lines = [(n, line) for n, line in enumerate(fh, 1)
                     if line.strip() and not line.startswith("#")]
    except UnicodeDecodeError as err:
        raise LexiconError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise LexiconError(f"{path}: cannot read ({err.strerror or err})") from None
    if not lines:
        return rows
    reader = csv.reader([line for _, line in lines])
    header = [h.strip() for h in next(reader)]
    if spec is not None:
        missing = [c for c in spec.columns if c not in header]
        if missing:
            raise LexiconError(f"{path}:{lines[0][0]}: header {','.join(header)} lacks "
                               f"column(s) {', '.join(missing)}; expected "
                               f"{','.join(spec.columns)}")
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
    # the token that ends each before-hedge ("than" of "more than", "c.", "~"; see
    # kit.extract.numbers.token_before): a hedge can only stand before a number after one
    hedge_ends: frozenset[str]
    max_noun_words: int = 1  # longest counted noun, in words
    noun_starts: frozenset = frozenset()  # first words of the counted nouns
    folders: tuple[Path, ...] = ()  # the story folders read before ours (first wins)
    # every knowledge file's rows, theirs first ("_where": file:line), for the stages that
    # read a table themselves (noun families, outlets)
    tables: dict[str, tuple[dict[str, str], ...]] = field(default_factory=dict, hash=False,
                                                            compare=False)

    @property
    def families(self) -> dict[str, str]:
        """Noun -> family (noun_families.csv), theirs first."""
        from kit.claims.families import families_of

        return families_of(self)

    @property
    def fingerprint(self) -> str:
        """A hash of every knowledge row in force: what an extraction depends on (the
        incremental store re-extracts when it changes)."""
        import hashlib
        import json

        rows = {name: [{k: v for k, v in r.items() if k != "_where"} for r in table]
                for name, table in sorted(self.tables.items())}
        return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]

    def __reduce__(self):
        # Sent to a Dask worker as its story folders, loaded there once (compiled
        # patterns do not pickle); the folders must be readable at the same paths.
        return (load, self.folders)


def _rows(name: str, extra: tuple[Path, ...]) -> list[dict[str, str]]:
    """The rows of knowledge file ``name``: the story folders' first, then ours; checked."""
    spec = SPECS[name]
    rows: list[dict[str, str]] = []
    for folder in extra:
        path = Path(folder) / name
        if path.exists():
            rows += check_rows(read_table(path, spec), spec)
    return rows + read_table(DATA / name, spec)


def check_rows(rows: list[dict[str, str]], spec: FileSpec) -> list[dict[str, str]]:
    """``rows`` if each has its required cells, allowed values and valid regular
    expressions; else LexiconError naming the file, line and what is expected."""
    for row in rows:
        missing = [c for c in spec.required if not row.get(c)]
        if missing:
            raise LexiconError(f"{row['_where']}: empty {', '.join(missing)}; every row needs "
                               f"{', '.join(spec.required)}")
        for column, allowed in spec.choices.items():
            if row.get(column) not in allowed:
                raise LexiconError(f"{row['_where']}: unknown {column} {row.get(column)!r}; "
                                   f"expected one of {', '.join(allowed)}")
        for column in spec.regex:
            compile_pattern(row[column], row["_where"])
    return rows


def story_folder(name) -> Path:
    """The folder of a story: a path to a folder, or the name of a story shipped with the kit."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()  # as load() keys its cache: one Lexicon per folder
    if path.is_file():
        raise LexiconError(f"lexicon {name}: is a file; give the story folder that holds the "
                           "knowledge files (see kit story new)")
    shipped = STORIES / str(name)
    if os.sep not in str(name) and shipped.is_dir():
        return shipped.resolve()
    known = ", ".join(sorted(p.name for p in STORIES.iterdir() if p.is_dir())) \
        if STORIES.is_dir() else ""
    raise LexiconError(f"lexicon {name}: no such folder" + (
        f" (nor a story shipped with the kit: {known})" if known else ""))


def resolve(lexicon=None) -> Lexicon:
    """The :class:`Lexicon` that ``lexicon`` stands for: a Lexicon as it is; a folder or a
    shipped story's name (or a list of them, first wins); None or "" for ``$KIT_LEXICON``
    when it is set, else the kit's own files."""
    if isinstance(lexicon, Lexicon):
        return lexicon
    if lexicon is None or lexicon == "":
        lexicon = os.environ.get(ENV) or None
        if lexicon is None:
            return load()
    if isinstance(lexicon, (list, tuple)):
        return load(*(story_folder(x) for x in lexicon))
    if isinstance(lexicon, (str, os.PathLike)):
        return load(story_folder(lexicon))
    raise TypeError(f"lexicon: expected a Lexicon, a folder or a story name, got "
                    f"{type(lexicon).__name__}")


@functools.lru_cache(maxsize=16)
def load(*extra: Path) -> Lexicon:
    """Load our data files plus same-named files in the ``extra`` folders (theirs first)."""
    extra = tuple(Path(e).resolve() for e in extra)
    for folder in extra:
        if not folder.is_dir():
            raise LexiconError(f"lexicon folder {folder} does not exist")
        strays = sorted(p.name for p in folder.glob("*.csv") if p.name not in FILES)
        if strays:  # a misspelt name would be ignored silently
            warnings.warn(f"lexicon folder {folder}: {', '.join(strays)} is not a knowledge "
                          f"file and is not read (known: {', '.join(FILES)})", stacklevel=2)
    t = {name: _rows(name, extra) for name in FILES}
    hedges = sorted(t["hedges.csv"], key=lambda r: -len(r["phrase"]))
    cues: dict[str, list[str]] = {"before": [], "after": []}
    for r in t["attribution_cues.csv"]:
        cues[r["position"]].append(r["pattern"])
    return Lexicon(
        folders=extra,
        tables={name: tuple(rows) for name, rows in t.items()},
        boilerplate=tuple((r["kind"], r["scope"], compile_pattern(r["pattern"], r["_where"],
                                                                   re.IGNORECASE | re.MULTILINE))
                          for r in t["boilerplate.csv"]),
        nouns={r["noun"].lower(): r["kind"] for r in reversed(t["counted_nouns.csv"])},
        hedge_before=re.compile(
            r"(?<![\w])(?P<hedge>" + "|".join(re.escape(r["phrase"]) for r in hedges
                                               if r["position"] == "before") + r")\s*$",
            re.IGNORECASE),
        hedge_qualifier={r["phrase"].lower(): r["qualifier"] for r in hedges},
        hedge_ends=frozenset(token_before(r["phrase"]) for r in hedges
                             if r["position"] == "before" and r["phrase"].strip()),
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
