"""Known outlets (``kit/data/outlets.csv``): a publication named in a line, a domain or a byline."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit.lexicon import DATA


@functools.lru_cache(maxsize=1)
def outlets() -> pd.DataFrame:
    """The outlets table (kit/data/outlets.csv): name, domain, aliases (``;``-separated)."""
    return pd.read_csv(DATA / "outlets.csv", dtype=str, keep_default_na=False, encoding="utf-8")


@dataclass(frozen=True)
class OutletIndex:
    names: dict[str, str]  # lower-case name or alias -> canonical name
    domains: dict[str, str]  # domain -> canonical name
    pattern: re.Pattern  # any name or alias as whole words, longest first

    def named(self, line: str) -> str | None:
        """The outlet a short line is the name of ("The Guardian"), or None."""
        return self.names.get(line.strip().lower())

    def for_domain(self, host: str) -> str | None:
        """The outlet of a host name or any of its parent domains."""
        parts = host.lower().removeprefix("www.").split(".")
        for i in range(len(parts) - 1):
            name = self.domains.get(".".join(parts[i:]))
            if name:
                return name
        return None

    def mentioned(self, text: str) -> str | None:
        """The outlet whose name (or alias) appears in ``text`` as whole words."""
        m = self.pattern.search(text)
        return self.names[m.group().lower()] if m else None


@functools.lru_cache(maxsize=8)
def outlet_index(*folders: Path) -> OutletIndex:
    """The index of ``outlets.csv``: the story ``folders``' rows (which win) and the kit's."""
    from kit.lexicon import load

    rows = load(*folders).tables["outlets.csv"]
    # ours first, theirs last: a later row's name replaces an earlier one's
    table = pd.DataFrame(list(reversed(rows)), columns=["name", "domain", "aliases"]).fillna("")
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    aliases: list[tuple[str, str]] = []
    for row in table.itertuples(index=False):
        canon = row.name.strip()
        for alias in (canon, *row.aliases.split(";")):
            if alias.strip():
                names[alias.strip().lower()] = canon
                aliases.append((alias.strip(), canon))
        for d in row.domain.split(";"):
            if d.strip():
                domains[d.strip().lower()] = canon
    alternation = "|".join(re.escape(a) for a, _ in sorted(aliases, key=lambda t: -len(t[0])))
    return OutletIndex(names, domains, re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"))
