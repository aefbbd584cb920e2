"""Noun families: which counted nouns name the same kind of thing ("troops", "soldiers").

The counted noun phrase is looked up in ``kit/data/noun_families.csv`` by its
longest listed ending, so "special forces soldiers", "troops" and "military
personnel" are all ``troops``; a noun that is not listed is its own family (its
last word, so "shells" and "containers" never merge); a figure without a noun
falls back to its ``kind`` (people, materiel, ...).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from kit.lexicon import DATA, Lexicon, read_table

FAMILIES_FILE = DATA / "noun_families.csv"

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


def _table(rows) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in rows:
        noun = " ".join(_WORD.findall((row.get("noun") or "").lower()))
        family = (row.get("family") or "").strip().lower()
        if noun and family:
            out.setdefault(noun, family)
    return out


@functools.lru_cache(maxsize=8)
def load_families(*paths: Path) -> dict[str, str]:
    """Noun -> family from the files ``paths`` (first wins) then ``kit/data/noun_families.csv``."""
    return _table([row for path in (*paths, FAMILIES_FILE) for row in read_table(Path(path))])


@functools.lru_cache(maxsize=16)
def _of_folders(folders: tuple[Path, ...]) -> dict[str, str]:
    from kit.lexicon import load

    return _table(load(*folders).tables["noun_families.csv"])


def families_of(lex: Lexicon) -> dict[str, str]:
    """Noun -> family of a lexicon (its story folders' noun_families.csv first)."""
    return _of_folders(lex.folders) if lex.tables else load_families()


def family(what, kind=None, families: dict[str, str] | None = None) -> str:
    """The family of a counted noun phrase: its longest ending listed in the
    families table, else (also trying the singular/plural of its last word)
    its last word; ``kind`` when there is no noun at all."""
    families = load_families() if families is None else families
    words = _WORD.findall(what.lower()) if isinstance(what, str) else []
    if not words:
        return str(kind) if isinstance(kind, str) and kind else "unknown"
    for i in range(len(words)):
        hit = families.get(" ".join(words[i:]))
        if hit:
            return hit
    last = words[-1]
    for variant in (last[:-1] if last.endswith("s") else last + "s",):
        if variant in families:
            return families[variant]
    return last
