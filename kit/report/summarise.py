"""The summary tables of an archive made from its datasets without a frame of every figure.

``write_summary`` (``kit.report.aggregate``) writes the sections ``sections`` computes from
every figure of the datasets, summarised.  Grouping a frame of every figure takes minutes
and gigabytes for an archive of a million articles, so ``summarised_sections`` makes the
same sections from the datasets read as Arrow, month by month, keeping of each figure the
filters' kept ones only, and of those only the columns the sections group by (dictionary
codes, not Python strings: ``kit.report.kept``):

* the header's counts from the figures of each distinct (noun, kind, status, review),
  counted batch by batch; the articles' outlets and dates only;
* the citations and the sentences of the disagreements read again from the datasets for
  the few hundred figures shown;
* the corpus by outlet and the chart's facts from counts of codes; the chart's marks
  grouped on codes, their labels and quotes made for the marks drawn only;
* the claims listed, the comparison and the disagreements from the claims dataset (the
  claims of the kept figures, as ``kit.report.frames`` reads them), with the figures'
  dates, outlets and articles as codes;
* each claim's figures as places among the kept figures (``Members``), looked up once
  in Arrow and shared by the disagreements and the comparison, which work on arrays of
  them, not on figure ids;
* the chart's marks and facts, which need the kept figures alone, in a thread while the
  claims are made (much of both is Arrow and numpy work, which runs side by side).

When the datasets' claims are not those of the kept figures (a claim of figures the filters
keep and drop; another tolerance), the claims are made from the kept figures' columns they
read (``kit.claims``), as the report makes them.  It gives ``None`` when the report does not
summarise: the caller then groups every figure as before.  A test compares the tables of
both ways.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kit import schema
from kit.claims.grouping import SEP
from kit.output import archive
from kit.report.kept import (Coded, Kept, code_of, first_seen, frame_of, read_kept,
                             row_groups)

@dataclass
class Members:
    """The figures of each claim as places among the kept figures: ``at``, claim after
    claim, each claim's in the order of its ``figure_ids``, from ``starts`` (``sizes``
    each)."""

    at: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray

    def of(self, claims: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The figures of the ``claims`` (positions): each one's claim, its place in the
        claim's ``figure_ids`` and its place among the kept figures."""
        sizes = self.sizes[claims]
        before = np.repeat(np.cumsum(sizes) - sizes, sizes)
        place = np.arange(int(sizes.sum()), dtype=np.int64) - before
        return (np.repeat(claims, sizes), place,
                self.at[np.repeat(self.starts[claims], sizes) + place])

    def take(self, claims: np.ndarray) -> Members:
        """The members of the ``claims`` (positions), in their order."""
        sizes = self.sizes[claims]
        return Members(self.of(claims)[2], np.cumsum(sizes) - sizes, sizes)


def _members(kept: Kept, claims: pd.DataFrame, missing: bool = False,
             among: np.ndarray | None = None) -> Members:
    """The ``Members`` of ``claims``: of the kept figures (ValueError otherwise), or -1
    for a figure not kept when ``missing``; ``among``: the kept figures (positions) that
    hold the claims' figures, when known (fewer to look them up in)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pc.split_pattern(pa.array(claims["figure_ids"], type=pa.large_string()), SEP)
    sizes = pc.list_value_length(ids).to_numpy(zero_copy_only=False).astype(np.int64)
    at = pc.index_in(pc.list_flatten(ids), value_set=kept.figure_id if among is None else
                     kept.figure_id.take(pa.array(among, type=pa.int64())))
    if at.null_count and not missing:  # not the claims of the kept figures
        raise ValueError("claims of figures that are not kept")
    at = pc.fill_null(at, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    if among is not None:
        at = np.asarray(among, dtype=np.int64)[at]
    return Members(at, np.cumsum(sizes) - sizes, sizes)


def summarised_sections(folder, lexicon, params: dict, scales):
    """The summarised sections (``kit.report.aggregate.Sections``) of the report of the
    datasets of ``folder`` with ``params`` (``aggregate.PARAMETERS``), its comparison and
    disagreements cut as the summary tables keep them; None when the report does not
    summarise or the claims must be made from the figures (see the module doc)."""
    from kit.lexicon import resolve
    from kit.present import charts, summary, tables
    from kit.report.aggregate import Sections
    from kit.report.frames import _rounding, checked_manifest

    folder = Path(folder)
    above = params["summarise_above"]
    if not isinstance(above, int) or above < 0 or \
            not any((folder / "figures").glob("month=*/*.parquet")):
        return None
    filters = {k: params[k] for k in ("kinds", "nouns", "statuses")}
    lex = resolve(lexicon)
    manifest = checked_manifest(folder, lex)
    articles = archive.read_frame(folder, "articles", ("outlet", "published"))
    kept, counted = read_kept(folder, filters, params["reviewed_only"])
    if kept is None or len(kept) <= above:
        return None
    # the chart's marks and facts (of the kept figures alone) in a thread while the claims
    # are made: much of either is Arrow and numpy work, which runs beside the other's
    with ThreadPoolExecutor(1) as aside:
        marking = aside.submit(_marks, kept) if len(kept) > charts.AGGREGATE_ABOVE else None
        facts = aside.submit(_facts, kept)
        read = _claims(folder, kept, lex) if _rounding(params["tolerance"]) else None
        if read is None:  # the claims the kept figures make
            claims = _made_claims(kept, lex, params["tolerance"])
            members = _members(kept, claims)
        else:
            claims, members = read
        top, ids = summary.listed(claims, summary.N_CLAIMS, summary.PER_CLAIM)
        sides = _sides(kept, claims, members, params["tolerance"])
        marks = marking.result() if marking is not None else None
        facts = facts.result()
    # the figures shown (cited, in the disagreements, quoted by the chart), read at once
    shown = _rows(folder, kept, set(kept.figure_id.to_pylist()) if marks is None else
                  {*ids, *(row[3] for row in sides[0]), *marks["figure_id_"]})
    cited = shown[shown["figure_id"].isin(ids)]
    compared = _compared(kept, summary.most_reported(_per_source(kept), summary.CLAIMANTS))
    outlet = kept.coded["outlet"].recoded(schema.UNKNOWN_OUTLET)
    figures_of = pd.Series(np.bincount(outlet.codes, minlength=len(outlet.values)),
                           index=outlet.values)
    return Sections(
        summarised=True,
        counts=tables.summary_counts(articles, counted, len(kept), filters, count="figures"),
        note=summary.summary_note(len(kept), len(claims), len(top), len(cited),
                                  summary.PER_CLAIM, summary.CLAIMANTS, summary.DATES),
        cited=cited, claims=top,
        comparison=_comparison(kept, compared, claims, members, cited),
        disagreements=_disagreements(*sides, shown),
        corpus=summary.outlets_table(articles, figures_of[figures_of > 0]),
        charts={s: _chart(kept, marks, shown, s) for s in scales}, facts=facts,
        timeline=top, max_dates=summary.DATES, per_claim=summary.PER_CLAIM,
        limit=summary.N_CLAIMS, skipped=archive.skipped(manifest),
        problems=archive.problems(manifest), stale=archive.stale(manifest))


def _claims(folder: Path, kept: Kept, lexicon=None) -> tuple[pd.DataFrame, Members] | None:
    """The claims of the kept figures from the claims dataset (``frames.whole_claims``),
    with their ``Members``;
    when the filters cut some of its claims (a claim of figures they keep and drop), those
    of the claimants whose claims they cut are made again from their kept figures, the
    others read (``_claims_mended``); None when neither can be done (a kept figure in no
    claim, a claimant named otherwise)."""
    from kit.report.frames import _CLAIM_COLUMNS, _names_agree, renumbered, whole_rows

    claimant = kept.coded["claimant"]
    names = [claimant.values[c] for c in np.unique(claimant.codes) if c >= 0]

    def rows_of(several):
        wanted = [i for i, v in enumerate(claimant.values) if v in set(several)]
        return frame_of(kept, np.flatnonzero(np.isin(claimant.codes, wanted)),
                      ("published", "outlet", "article_id", "start", "claimant"))

    table = archive.read_table(folder, "claims", _CLAIM_COLUMNS)
    if table is None:
        return None  # (kept figures in no claim)
    claims = archive.as_frame(table, "claims")
    every = _members(kept, claims, missing=True)  # (each figure looked up once)
    held = every.at >= 0
    counts = (every.sizes, np.add.reduceat(held.astype(np.int64), every.starts)
              if len(every.sizes) else every.sizes, int(held.sum()))
    rows = whole_rows(claims, counts, len(kept))
    if rows is not None:
        whole = claims.iloc[rows].reset_index(drop=True)
        if _names_agree(whole["claimant"], names, rows_of):
            return renumbered(whole), every.take(rows)
    if lexicon is None:
        return None
    return _claims_mended(claims, table, kept, names, rows_of, lexicon, counts, every)


def _claims_mended(claims: pd.DataFrame, table, kept: Kept, names: list, rows_of, lexicon,
                   counts: tuple, every: Members) -> tuple[pd.DataFrame, Members] | None:
    """``kit.claims`` of the kept figures, from the claims dataset whose claims the filters
    cut.  A claim's figures share a *group* (claimant, status, measure, noun family), and
    a group's claims depend on its figures alone: so only the groups of the cut claims
    are made again, from their kept figures (those of the claimant, status and measure:
    the family is known once they are grouped), the other claims are read, and all are
    put in the claims' order (a group's claims are together, in the order of the group's
    place: ``kit.claims.grouping.group_place``), then numbered.  A claimant the kept
    figures name otherwise than the dataset (its most frequent written form among them)
    has all its claims made again."""
    import pyarrow as pa

    import kit
    from kit.claims.grouping import claimant_key, group_place
    from kit.report.frames import renumbered, shown_names

    sizes, found, inside = counts  # (``frames.figures_in_claims``)
    if inside != len(kept.figure_id):
        return None  # a kept figure in no claim of the dataset
    written = claims["claimant"].astype(str).to_numpy()
    keys = {c: claimant_key(c) for c in pd.unique(written)}
    # claimants whose name the kept figures write otherwise (the most frequent form among
    # them, not among all figures): all their claims are made again
    shown = shown_names(names, rows_of)
    renamed = {keys[c] for c in pd.unique(written[found > 0]) if shown.get(keys[c]) != c}
    status, measure, what = (claims[c].astype(object).where(claims[c].notna(), None)
                             .to_numpy() for c in ("status", "measure", "what"))
    cut = np.flatnonzero((found > 0) & (found < sizes))
    groups = {(keys[written[i]], status[i], measure[i], what[i]) for i in cut}

    def remade(key, s, m, w) -> bool:
        return key in renamed or (key, s, m, w) in groups

    wanted = {(g[0], g[1], g[2]) for g in groups}
    claimant = kept.coded["claimant"]
    codes = {i: claimant_key(v) for i, v in enumerate(claimant.values)}
    redo = [i for i, key in codes.items() if key in renamed]
    some = [i for i, key in codes.items() if key not in renamed and
            any(g[0] == key for g in wanted)]
    rows = np.flatnonzero(np.isin(claimant.codes, redo))
    if some:  # of a claimant with cut claims: the figures of their status and measure
        at = np.flatnonzero(np.isin(claimant.codes, some))
        pairs = {(g[1], g[2]) for g in wanted}
        st, me = kept.coded["status"].strings(at), kept.coded["measure"].strings(at)
        rows = np.union1d(rows, at[[(a, b) in pairs for a, b in zip(st, me)]])
    made = kit.claims(frame_of(kept, rows), lexicon=lexicon)
    made_keys = [claimant_key(c) for c in made["claimant"].astype(str)]
    mine = [remade(k, s, m, w) for k, s, m, w in zip(
        made_keys, *(made[c].astype(object).where(made[c].notna(), None)
                     for c in ("status", "measure", "what")))]
    made = made[np.array(mine, dtype=bool)] if len(made) else made
    # (decided once a distinct group)
    group = row_groups(claims["claimant"], *(claims[c] for c in ("status", "measure", "what")))
    _, first = np.unique(group, return_index=True)
    again = np.array([remade(keys[written[r]], status[r], measure[r], what[r])
                      for r in first.tolist()], dtype=bool)
    whole = (found > 0) & ~again[group]
    number = claims["claim_id"].astype(str).str[1:].astype("int64").to_numpy()
    read = np.flatnonzero(whole)[np.argsort(number[whole], kind="stable")]
    named = ("claimant", "status", "measure", "what")
    both = pd.DataFrame({c: pd.concat([claims[c].iloc[read], made[c]], ignore_index=True)
                         for c in named})  # (the columns that place them)
    group = row_groups(*(both[c] for c in named))  # each distinct group placed once
    _, first = np.unique(group, return_index=True)
    heads = both.iloc[first]
    places = [group_place(*row) for row in zip(heads["claimant"].astype(str), *(
        heads[c].astype(object).where(heads[c].notna(), None) for c in named[1:]))]
    rank = np.empty(len(places), dtype=np.int64)
    rank[sorted(range(len(places)), key=places.__getitem__)] = np.arange(len(places))
    order = np.argsort(rank[group], kind="stable")  # (stable: a group keeps its order)
    # the claims read and made, in their order, taken at once in Arrow
    together = pa.concat_tables([table, pa.Table.from_pandas(
        made[table.column_names], preserve_index=False)], promote_options="permissive")
    out = renumbered(archive.as_frame(together.take(pa.array(np.concatenate(
        [read, len(claims) + np.arange(len(made))])[order])), "claims"))
    # the members of the claims read are known; those of the claims made, among their rows
    made_members = _members(kept, made, among=rows)
    pool = Members(np.concatenate([every.at, made_members.at]),
                   np.concatenate([every.starts[read], made_members.starts + len(every.at)]),
                   np.concatenate([every.sizes[read], made_members.sizes]))
    return out, pool.take(order)


def _made_claims(kept: Kept, lexicon, tolerance) -> pd.DataFrame:
    """``kit.claims`` of the kept figures (the columns it reads; the strings of a coded
    column shared among its rows)."""
    import kit

    return kit.claims(frame_of(kept, np.arange(len(kept))), lexicon=lexicon, tolerance=tolerance)


def _rows(folder: Path, kept: Kept, ids) -> pd.DataFrame:
    """The rows of the kept figures ``ids``, as the report's figures frame has them (the
    columns of ``frames.FIGURE_COLUMNS`` and their number ``n``, indexed by n - 1)."""

    from kit.report.frames import FIGURE_COLUMNS

    place = _places(kept, ids)
    rows = _read(folder, kept, place, FIGURE_COLUMNS)
    rows = rows.assign(n=np.array([place[f] for f in rows["figure_id"].astype(str).tolist()],
                                  dtype=np.int64) + 1)
    rows = rows.sort_values("n", kind="stable")
    rows.index = rows["n"].to_numpy() - 1
    return rows


def _per_source(kept: Kept) -> pd.Series:
    """The kept figures of each measure and claimant, in their order."""
    measure, claimant = kept.coded["measure"], kept.coded["claimant"]
    key = measure.codes.astype(np.int64) * (len(claimant.values) + 1) + claimant.codes
    distinct, sizes = np.unique(key, return_counts=True)
    frame = pd.DataFrame({"measure": [measure.values[k // (len(claimant.values) + 1)]
                                      for k in distinct.tolist()],
                          "claimant": [claimant.values[k % (len(claimant.values) + 1)]
                                       for k in distinct.tolist()],
                          "n": sizes.astype(np.int64)})
    frame = frame.sort_values(["measure", "claimant"], kind="stable")
    return frame.set_index(["measure", "claimant"])["n"]


def _compared(kept: Kept, pairs: set) -> np.ndarray:
    """The rows of the kept figures of the (measure, claimant) ``pairs``."""
    measure, claimant = kept.coded["measure"], kept.coded["claimant"]
    width = len(claimant.values) + 1
    want = [m * width + c for m, mv in enumerate(measure.values)
            for c, cv in enumerate(claimant.values) if (mv, cv) in pairs]
    return np.flatnonzero(np.isin(measure.codes.astype(np.int64) * width + claimant.codes,
                                  want))


def _comparison(kept: Kept, rows: np.ndarray, claims: pd.DataFrame, members: Members,
                cited: pd.DataFrame) -> pd.DataFrame:
    """``kit.compare`` of the figures ``rows`` and ``claims`` for its last dates
    (``compare.comparison(..., last=DATES)``, then ``aggregate._last_dates``), from the
    claims' ``members`` as arrays: a claimant's records are sorted once, and each row
    looks at its own date's records and its claim's only (not every figure cited so far,
    date after date)."""
    import pyarrow as pa

    from kit.claims.compare import _pick, comparison_frame, comparison_row
    from kit.claims.grouping import UNATTRIBUTED
    from kit.present.summary import DATES
    from kit.report.aggregate import _last_dates

    measure, claimant = kept.coded["measure"], kept.coded["claimant"]
    pairs = pd.MultiIndex.from_tuples(sorted(set(zip(measure.strings(rows),
                                                     claimant.strings(rows)))))
    # the claims compared and their figures dated that do not restate an earlier value
    mine = pd.MultiIndex.from_arrays([claims["measure"], claims["claimant"]]).isin(pairs)
    mine &= (claims["qualifier"] != "vague").to_numpy()
    published = kept.coded["published"].recoded()  # (codes in the dates' order)
    dated = np.zeros(len(kept), dtype=bool)
    dated[rows[(published.codes[rows] >= 0) & ~kept.earlier[rows]]] = True
    if "" in published.values:
        dated &= published.codes != published.values.index("")
    claim, place, at = members.of(np.flatnonzero(mine))
    keep = dated[at]
    claim, place, at = claim[keep], place[keep], at[keep]
    if not len(at):
        return _last_dates(comparison_frame([], DATES), cited, DATES)
    fields = ("claim_id", "measure", "what", "claimant", "qualifier", "value", "low", "best",
              "high")
    listed = {c: claims[c].astype(object).where(claims[c].notna(), None).to_numpy()
              for c in fields}
    table = row_groups(listed["measure"], listed["what"])[claim]  # (measure, family)
    who = row_groups(listed["claimant"])[claim]
    date = published.codes[at]
    outlet = kept.coded["outlet"].recoded(schema.UNKNOWN_OUTLET)
    where = outlet.codes[at]
    compared = np.flatnonzero(mine)
    by_id = np.zeros(len(claims), dtype=np.int64)  # a compared claim's id's place as text
    by_id[compared[np.argsort(listed["claim_id"][compared].astype(str), kind="stable")]] = \
        np.arange(len(compared))
    by_id = by_id[claim]
    order = np.lexsort((place, by_id, date, who, table))
    claim, place, at, date, where, table, who, by_id = (
        a[order] for a in (claim, place, at, date, where, table, who, by_id))
    out = []
    for t0, t1 in _runs_of(table):
        runs = _runs_of(who[t0:t1], t0)
        names = {r: listed["claimant"][claim[r[0]]] for r in runs}
        named = [r for r in runs if names[r] != UNATTRIBUTED] or runs
        dates = np.unique(np.concatenate([date[a:b] for a, b in named]))
        first = claim[t0]
        for a, b in named:
            days = date[a:b]
            for day in dates[-DATES:].tolist():
                upto = a + int(np.searchsorted(days, day, side="right"))
                if upto == a:
                    continue
                latest = int(date[upto - 1])
                start = a + int(np.searchsorted(days, latest, side="left"))
                on_day: dict[int, int] = {}  # claim -> its figures that day (by id)
                outlets: dict[int, set] = {}
                for k, o in zip(claim[start:upto].tolist(), where[start:upto].tolist()):
                    on_day[k] = on_day.get(k, 0) + 1
                    outlets.setdefault(k, set()).add(o)
                pick = _pick(_Claims(listed), on_day, outlets)
                mask = claim[a:upto] == pick
                ids = kept.figure_id.take(pa.array(at[a:upto][mask][
                    np.argsort(place[a:upto][mask], kind="stable")])).to_pylist()
                out.append(comparison_row(
                    listed["measure"][first], listed["what"][first],
                    published.values[day], names[(a, b)], _Claims(listed)[pick],
                    published.values[latest], ids,
                    {outlet.values[o] for o in where[a:upto][mask].tolist()},
                    [listed["value"][k] for k in on_day if k != pick],
                    published.values[int(days[0])], len(dates)))
    return _last_dates(comparison_frame(out, DATES), cited, DATES)


class _Claims:
    """A claim's fields by its position (as ``compare._pick`` reads ``by_claim``)."""

    def __init__(self, listed: dict) -> None:
        self.listed = listed

    def __getitem__(self, k: int) -> dict:
        return {**{c: v[k] for c, v in self.listed.items()}, "_pos": k}


def _runs_of(values: np.ndarray, offset: int = 0) -> list[tuple[int, int]]:
    """The (start, end) of each run of equal values of a sorted array."""
    if not len(values):
        return []
    cut = np.flatnonzero(values[1:] != values[:-1]) + 1
    edges = [0, *cut.tolist(), len(values)]
    return [(offset + a, offset + b) for a, b in zip(edges, edges[1:])]


def _places(kept: Kept, ids) -> dict[str, int]:
    """The place among the kept figures of each of ``ids`` that is one (the kept figures
    are looked up in the few ``ids``: a hash of millions of kept ids costs seconds)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pa.array(sorted(ids), type=pa.large_string())
    at = np.flatnonzero(pc.is_in(kept.figure_id, value_set=wanted)
                        .to_numpy(zero_copy_only=False))
    return dict(zip(kept.figure_id.take(pa.array(at)).to_pylist(), at.tolist()))


def _read(folder: Path, kept: Kept, place: dict[str, int], columns) -> pd.DataFrame:
    """The ``columns`` of the kept figures of ``place`` (``_places``), read from the files
    that hold them."""
    import pyarrow.compute as pc

    files = [kept.files[f] for f in np.unique(
        kept.fragment[np.fromiter(place.values(), dtype=np.int64, count=len(place))]).tolist()]
    return archive.read_frame(folder, "figures", columns, pc.field("figure_id").isin(
        sorted(place)), files=files)


def _fields(shown: pd.DataFrame, columns) -> dict[str, dict]:
    """figure id -> its ``columns``, of the figures ``shown`` (``_rows``)."""
    return {fid: dict(zip(columns, vals)) for fid, *vals in
            zip(shown["figure_id"].tolist(), *(shown[c].tolist() for c in columns))}


def _sides(kept: Kept, claims: pd.DataFrame, members: Members, tolerance
           ) -> tuple[list, dict, int]:
    """The rows of ``kit.discrepancies`` of the kept figures and their ``claims`` the
    summary tables keep (``aggregate._first_sentences``), but for the figures' fields:
    (discrepancy, issue, claim, figure, side's figures, disagreement's figures, claims,
    claimants) each; the claims' fields by id; how many discrepancies there are."""

    from kit.claims.discrepancies import disagreeing
    from kit.claims.values import check_tolerance
    from kit.present.claims import MAX_SIDES
    from kit.present.summary import N_CLAIMS, PER_CLAIM

    sizes, starts = members.sizes, members.starts
    article = kept.article[members.at]
    first = np.minimum.reduceat(article, starts) if len(article) else article
    last = np.maximum.reduceat(article, starts) if len(article) else article
    groups = disagreeing(claims, (first, last), check_tolerance(tolerance), rows=True)
    if not groups:
        return [], {}, 0
    numbered = list(enumerate(groups, 1))
    if len(groups) > N_CLAIMS:  # the groups of the most figures, ties to the first
        lengths = np.array([len(rows) for _, rows in groups], dtype=np.int64)
        total = np.add.reduceat(sizes[np.concatenate([rows for _, rows in groups])],
                                np.cumsum(lengths) - lengths)
        numbered = [numbered[k] for k in np.sort(np.argsort(-total, kind="stable")[:N_CLAIMS])]
    at = np.unique(np.concatenate([rows for _, (_, rows) in numbered]))
    claim_cols = ("claimant", "status", "measure", "what", "value", "figure_ids")
    listed = claims.iloc[at]
    ids = listed["claim_id"].tolist()
    by_id = {cid: dict(zip(claim_cols, vals)) for cid, *vals in
             zip(ids, *(listed[c].tolist() for c in claim_cols))}
    size = dict(zip(ids, sizes[at].tolist()))
    named = dict(zip(at.tolist(), ids))
    numbered = [(k, (issue, [named[r] for r in rows])) for k, (issue, rows) in numbered]
    shown = []  # (k, issue, claim, figure, side's figures, disagreement's figures, claims,
    for k, (issue, cids) in numbered:  # claimants)
        # the largest sides, ties in their order (as the list draws them)
        ranked = sorted(range(len(cids)), key=lambda i: (-size[cids[i]], i))
        sides = {cids[i] for i in ranked[:MAX_SIDES]}
        total = sum(size[c] for c in cids)
        claimants = len({by_id[c]["claimant"] for c in cids})
        for cid in cids:
            if cid in sides:
                shown.extend((k, issue, cid, fid, size[cid], total, len(set(cids)), claimants)
                             for fid in by_id[cid]["figure_ids"].split(SEP)[:PER_CLAIM])
    return shown, by_id, len(groups)


def _disagreements(sides: list, by_id: dict, found: int, shown: pd.DataFrame) -> pd.DataFrame:
    """The disagreements the summary tables keep, from their ``_sides`` and the figures
    ``shown`` (``_rows``)."""
    from kit.claims.discrepancies import disagreement_row

    if not found:
        return schema.empty("discrepancies")
    fields = _fields(shown, ("sentence", "start", "sentence_start", "surface", "outlet",
                             "published"))
    out = schema.conform(pd.DataFrame([disagreement_row(k, issue, cid, by_id[cid], fid,
                                                        fields[fid])
                                       for k, issue, cid, fid, *_ in sides]), "discrepancies")
    for i, name in enumerate(("side_figures", "disc_figures", "n_claims", "n_claimants"), 4):
        out[name] = np.array([row[i] for row in sides], dtype=np.int64)
    out.attrs["discrepancies"] = found
    return out


def _facts(kept: Kept) -> dict:
    """``charts.chart_facts`` of the kept figures."""
    from kit.present.charts import facts_of

    def counts(column: Coded) -> pd.Series:
        order = first_seen(column.codes)
        sizes = np.bincount(column.codes[column.codes >= 0], minlength=len(column.values))
        return pd.Series(sizes[order], index=[column.values[c] for c in order.tolist()])

    vague = kept.coded["qualifier"].codes == code_of(kept.coded["qualifier"], "vague")
    return facts_of(len(kept), len(np.unique(kept.coded["outlet"].recoded(
        schema.UNKNOWN_OUTLET).codes)), int(vague.sum() + (
            np.isnan(kept.low) & np.isnan(kept.high) & ~vague).sum()),
        counts(kept.coded["claimant"]), counts(kept.coded["status"]))


FORMS = ("point", "about", "range", "open above", "open below", "vague")


def _values(kept: Kept) -> Coded:
    """``value_labels`` of the kept figures (each distinct figure value labelled once)."""
    from kit.claims.values import value_label

    low_na, high_na = np.isnan(kept.low), np.isnan(kept.high)
    group = row_groups(low_na, np.where(low_na, 0, kept.low_int), high_na,
                    np.where(high_na, 0, kept.high_int), kept.coded["qualifier"].codes,
                    kept.coded["surface"].codes)
    _, first = np.unique(group, return_index=True)
    qualifier, surface = kept.coded["qualifier"], kept.coded["surface"]
    labels = [value_label(None if low_na[r] else int(kept.low_int[r]),
                          None if high_na[r] else int(kept.high_int[r]),
                          qualifier.values[qualifier.codes[r]],
                          surface.values[surface.codes[r]] if surface.codes[r] >= 0 else None)
              for r in first.tolist()]
    return Coded(group.astype(np.int64), labels).recoded()


def _marks(kept: Kept) -> pd.DataFrame:
    """The marks ``charts.chart_frame`` draws of the kept figures (above AGGREGATE_ABOVE of
    them), but for their positions on the axis: the statements grouped on codes (an axis
    position is one of the figure's bounds, or an edge of the axis where it has none: the
    same groups on every scale), labels and quotes made for the marks drawn only; ``head_``:
    the first figure of each mark."""
    import pyarrow as pa

    from kit.present import charts

    lo, hi = kept.low, kept.high
    placed = _placed(kept)
    form = np.zeros(len(kept), dtype=np.int8)
    form[kept.coded["qualifier"].codes == code_of(kept.coded["qualifier"], "approx")] = 1
    form[placed & ~np.isnan(lo) & ~np.isnan(hi) & (lo != hi)] = 2
    form[placed & ~np.isnan(lo) & np.isnan(hi)] = 3
    form[placed & np.isnan(lo) & ~np.isnan(hi)] = 4
    form[~placed] = 5
    outlet = kept.coded["outlet"].recoded(schema.UNKNOWN_OUTLET)
    value = _values(kept)
    claimant, status = kept.coded["claimant"], kept.coded["status"]
    group = row_groups(outlet.codes, claimant.codes, status.codes, form, value.codes,
                    np.where(placed, lo, np.nan), np.where(placed, hi, np.nan))
    groups = int(group.max()) + 1
    first = np.full(groups, len(kept), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(kept)))
    marks = charts._most_reported(pd.DataFrame({
        "outlet": outlet.strings(first), "count": np.bincount(group, minlength=groups)
        .astype(np.int64), "group_": np.arange(groups)}))
    chosen = marks["group_"].to_numpy()
    rows = np.flatnonzero(np.isin(group, chosen))
    where = {g: i for i, g in enumerate(chosen.tolist())}
    local = np.array([where[g] for g in group[rows].tolist()], dtype=np.int64)
    cites = charts._first_citations(local, kept.n()[rows], len(chosen))
    head = first[chosen]

    def first_given(column: Coded) -> list:
        given = rows[column.codes[rows] >= 0]
        at: dict[int, int] = {}
        for g, r in zip(group[given].tolist(), given.tolist()):
            at.setdefault(g, r)
        return [column.values[column.codes[at[g]]] if g in at else None
                for g in chosen.tolist()]

    what = first_given(kept.coded["what"])
    claimants = claimant.strings(head)
    values = value.strings(head)
    return pd.DataFrame({
        "n": kept.n()[head], "outlet": marks["outlet"].tolist(),
        "row": marks["row"].to_numpy(), "claimant": claimants, "status": status.strings(head),
        "qualifier": kept.coded["qualifier"].strings(head), "what": what,
        "surface": kept.coded["surface"].strings(head), "value": values,
        "published": first_given(kept.coded["published"]),
        "form": [FORMS[f] for f in form[head].tolist()],
        "label": [f"{c} {who}: {v}" for c, who, v in zip(cites, claimants, values)],
        "vague_label": [f"{c} {v} ({w or ''}), {who}"
                        for c, who, v, w in zip(cites, claimants, values, what)],
        "count": marks["count"].to_numpy(), "head_": head,
        "figure_id_": kept.figure_id.take(pa.array(head)).to_pylist()})


def _placed(kept: Kept) -> np.ndarray:
    """The figures a chart places on its axis (a number given, not vague)."""
    qualifier = kept.coded["qualifier"]
    return (~np.isnan(kept.low) | ~np.isnan(kept.high)) & \
        (qualifier.codes != code_of(qualifier, "vague"))


def _chart(kept: Kept, marks: pd.DataFrame | None, shown: pd.DataFrame,
           scale: str) -> tuple[pd.DataFrame, dict]:
    """``charts.chart_frame`` of the kept figures on ``scale``, from their ``marks``
    (``_marks``; None: at most AGGREGATE_ABOVE figures, a mark each, all ``shown``) and the
    figures ``shown`` (``_rows``: their sentences quoted)."""
    from kit.present import charts

    if marks is None:  # a mark a figure: the figures' rows
        return charts.chart_frame(shown.reset_index(drop=True), scale)
    placed = _placed(kept)
    stated = np.concatenate([kept.low[placed], kept.high[placed]])
    stated = stated[~np.isnan(stated)]
    positive = stated[stated > 0]
    stated = positive if scale != "linear" else stated
    log = scale == "log" or (scale == "auto" and bool(len(positive))
                             and positive.max() / positive.min() > 10)
    if len(stated):
        dmin, dmax = charts._domain(pd.Series([stated.min(), stated.max()]), log)
    else:
        dmin, dmax = (1.0, 10.0) if log else (0.0, 1.0)
    head = marks["head_"].to_numpy()
    lo, hi, on = kept.low[head], kept.high[head], placed[head]
    form = marks["form"].to_numpy()
    sentence = _fields(shown, ("sentence",))
    quotes = []
    for fid in marks["figure_id_"].tolist():
        said = sentence[fid]["sentence"]
        said = said if isinstance(said, str) else ""
        quotes.append(said if len(said) <= 240 else said[:237] + "...")
    out = marks.drop(columns=["head_", "figure_id_", "count"]).assign(quote=quotes)
    out.insert(11, "x_start", np.where(on, np.where(np.isnan(lo), dmin, lo), np.nan))
    out.insert(12, "x_end", np.where(on, np.where(np.isnan(hi), dmax, hi), np.nan))
    out.insert(13, "x_point", np.where(on, np.where(np.isnan(lo), hi, lo), np.nan))
    out.insert(14, "x_edge", np.where(form == "open above", dmax,
                                      np.where(form == "open below", dmin, np.nan)))
    out["count"] = marks["count"].to_numpy()
    for c in ("outlet", "claimant", "status", "qualifier", "what", "surface", "value",
              "published", "form", "label", "vague_label", "quote"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out, {"type": "log" if log else "linear", "domain": [dmin, dmax]}
