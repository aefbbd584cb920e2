"""The claims of a part that grew: a run's new figures added to the claims stored for it.

``kit extract`` keeps each bucket's claims with the names of their group and *part* (the
figures of a group that rounding could make one claim; ``kit.claims.grouping``).  When
the figures of a part are those of a stored part plus new ones, and every new figure
states an interval (or, in a part of vague figures, a wording) that an old figure of the
part states already, the part's claims are its stored claims with the new figures added:

* no figure changes claim: the greedy clustering depends only on the distinct intervals
  (an interval joins the cluster its first statement joined), and those did not change,
  so a new figure joins the claim that holds its interval;
* a claim's row is its stored row with the new figures' bounds, outlets, dates, nouns,
  value tally (``_tally``) and ids (put in the claims' figure order) added, finished by
  ``grouping.claim_fields`` as a row made from all its figures is.

Anything else (a new interval, an old figure gone or changed, a stored row without its
tally) returns None, and the part is made again from all its figures.  A day's articles
mostly restate the story's figures, so most parts they touch grow this way: the work is
the new figures', not the large claims' they join.
"""

from __future__ import annotations

import bisect
import json

import numpy as np

from kit.claims.grouping import SEP, _count, _rows_names, claim_fields
from kit.schema import UNKNOWN_OUTLET

#: A stored claim's qualifier -> the shape of its bounds (``grouping._shape``).
_SHAPES = {"vague": "vague", "range": "both", "approx": "both", "exact": "both",
           "at_least": "lower", "more_than": "lower", "up_to": "upper"}
_FIELDS = ["published", "outlet", "article_id", "start", "qualifier", "what", "figure_id"]


class PartMerger:
    """Adds new figures to the stored claims of their part (``__call__``, called by
    ``grouping.group_claim_rows`` for each part whose figures changed).  ``table``: the
    bucket's figures (pyarrow, ``claim_inputs`` columns); ``stored``: its stored claims (a
    pyarrow table with ``_group`` and ``_part``, and ``rows``: name -> its rows)."""

    def __init__(self, table, stored_table, stored_rows: dict[str, list[int]], named) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        # what a grown claim reads of the bucket's figures, as lists (one conversion)
        self.cols = {c: table[c].to_pylist() for c in _FIELDS}
        self.stored = stored_table
        self.rows = stored_rows
        self.named = named
        self.ids = self.cols["figure_id"]
        self._row_of: dict[str, int] | None = None
        self._claims: list[dict] | None = None
        if stored_table is None or "_tally" not in stored_table.column_names:
            self.old = np.zeros(len(self.ids), dtype=bool)  # nothing to add to
            return
        every = pc.list_flatten(pc.split_pattern(
            stored_table["figure_ids"].combine_chunks().cast(pa.large_string()), SEP))
        self.old = pc.is_in(table["figure_id"], value_set=every).to_numpy(
            zero_copy_only=False)

    def row_of(self, figure_id: str) -> int:
        if self._row_of is None:
            self._row_of = {f: r for r, f in enumerate(self.ids)}
        return self._row_of[figure_id]

    def key(self, row: int) -> tuple:
        """A figure's place among a claim's figures (``grouping._order_keys``)."""
        d, o = self.cols["published"][row], self.cols["outlet"][row]
        return (d is None, d or "", (UNKNOWN_OUTLET if o is None else str(o)).lower(),
                self.cols["article_id"][row], int(self.cols["start"][row]))

    def __call__(self, group: str, name: str, part: list, positions: np.ndarray
                 ) -> list[dict] | None:
        """The claims of the part ``part`` (rows of ``positions``: (row, interval) pairs of
        numeric figures, or rows of vague figures of one wording) named ``name`` in group
        ``group``, made by adding its new figures to its stored claims; None when they
        cannot be (see the module doc)."""
        numeric = isinstance(part[0], tuple)
        rows = positions[[i for i, _ in part] if numeric else list(part)]
        old = self.old[rows]
        if old.all() or not old.any():
            return None
        before = _rows_names([rows[old].tolist()], self.named.mixed, self.named.squares)[0]
        at = self.rows.get(before)
        if not at:
            return None
        if self._claims is None:
            self._claims = self.stored.to_pylist()
        claims = [self._claims[r] for r in at]
        if any(c["_part"] != before for c in claims):
            return None  # a whole group of several parts, not one part
        wrapped = [SEP + c["figure_ids"] + SEP for c in claims]

        def owner(row: int) -> int | None:  # the stored claim holding an old figure
            mark = SEP + self.ids[row] + SEP
            return next((k for k, ids in enumerate(wrapped) if mark in ids), None)

        joins: dict[int, list[int]] = {}
        if numeric:
            by_interval: dict[tuple, int] = {}
            for (_, iv), row, is_old in zip(part, rows.tolist(), old.tolist()):
                if is_old and iv not in by_interval:  # (an interval is in one claim)
                    k = owner(row)
                    if k is None:
                        return None
                    by_interval[iv] = k
            for (_, iv), row, is_old in zip(part, rows.tolist(), old.tolist()):
                if not is_old:
                    if iv not in by_interval:
                        return None  # a new interval: the clusters may change
                    joins.setdefault(by_interval[iv], []).append(row)
            intervals = {row: iv for (_, iv), row in zip(part, rows.tolist())}
        else:
            if len(claims) != 1:
                return None
            joins[0] = rows[~old].tolist()
            intervals = {}
        out = []
        for k, c in enumerate(claims):
            row = self._grown(c, joins[k], intervals) if k in joins else _as_row(c)
            if row is None:
                return None
            row["_group"], row["_part"] = group, name
            out.append(row)
        return out

    def _grown(self, c: dict, added: list[int], intervals: dict) -> dict | None:
        """The row of the stored claim ``c`` with the figures at rows ``added``."""
        shape = _SHAPES.get(c["qualifier"])
        if shape is None or (shape == "both" and c.get("_tally") is None):
            return None
        cols = self.cols
        ids = c["figure_ids"].split(SEP)
        if len(ids) != c["n_figures"]:
            return None  # an id holding the separator
        # each new figure put in its place among the claim's (in order: a few keys read)
        for r in sorted(added, key=self.key):
            ids.insert(bisect.bisect(ids, self.key(r), key=lambda f: self.key(self.row_of(f))),
                       self.ids[r])
        outlets_ = [UNKNOWN_OUTLET if cols["outlet"][r] is None else str(cols["outlet"][r])
                    for r in added]
        dates_ = [cols["published"][r] for r in added]
        quals_ = [cols["qualifier"][r] for r in added]
        whats = [cols["what"][r] for r in added]
        bounds = [intervals.get(r) for r in added]
        outlets = set(c["outlets"].split(SEP))
        if len(outlets) != c["n_outlets"]:
            return None  # an outlet's name holding the separator
        nouns = set(c["nouns"].split(SEP)) if c["nouns"] else set()
        more = {w.strip().lower() for w in whats if isinstance(w, str)}
        if any(SEP in w for w in more):
            return None
        lows = [v for v in [c["low"], *(b[0] for b in bounds if b)] if v is not None]
        highs = [v for v in [c["high"], *(b[1] for b in bounds if b)] if v is not None]
        tally: dict = {}
        if shape == "both":
            for v, n, seen, first, hedged in json.loads(c["_tally"]):
                tally[v] = {"n": n, "outlets": set(seen), "first": first, "hedged": hedged}
            for b, o, d, q in zip(bounds, outlets_, dates_, quals_):
                if b[0] == b[1]:
                    _count(tally, b[0], o, d, q)
        dates = [d for d in (c["first_published"], c["last_published"], *dates_)
                 if d is not None]
        first = {"claimant": c["claimant"], "status": c["status"], "measure": c["measure"],
                 "family_": c["what"], "vague_": c["_sort8"] or None}
        return claim_fields(
            first, shape, min(lows) if lows else None, max(highs) if highs else None, tally,
            c["qualifier"] == "range" or (shape == "both" and any(b[0] != b[1] for b in bounds)),
            c["qualifier"] == "approx" or "approx" in quals_,
            c["qualifier"] == "at_least" and all(q == "at_least" for q in quals_),
            outlets | set(outlets_), (min(dates), max(dates)) if dates else (None, None),
            nouns | more, ids)


def _as_row(c: dict) -> dict:
    """A stored claim as the rows ``group_claim_rows`` makes (its place as a tuple)."""
    row = {k: v for k, v in c.items() if not k.startswith("_sort")}
    row["_sort"] = (*(c[f"_sort{k}"] for k in range(9)), c["figure_ids"])
    return row
