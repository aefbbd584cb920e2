"""The kept figures of a report's datasets, read month by month as codes.

``read_kept`` reads the figures dataset of ``kit extract`` a few hundred thousand rows
at a time (its files read in threads, the columns of few distinct values dictionary-
encoded as the files hold them), keeps the figures the report's filters keep, and holds
of them only what the summary tables group by: each column of few values as codes into
its values (``Coded``), the numbers as arrays, each figure's file (to read its other
columns again for the few figures shown), in the report's order of figures (``Kept``).
The helpers here group and order rows of codes without a frame of strings
(``groups``, ``_lexsort``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kit import schema
from kit.output import archive


#: The figure columns the sections group by (the others are read for the figures shown).
LEAN = ("figure_id", "article_id", "outlet", "published", "start", "low", "high",
        "qualifier", "what", "kind", "status", "measure", "claimant", "reviewed", "surface")
#: Of those, the columns of few distinct values, read as dictionary codes.
CODED = ("outlet", "published", "qualifier", "what", "kind", "status", "measure",
         "claimant", "reviewed", "surface")
#: The columns of the header's counts (``tables.summary_counts``).
COUNTED = ("what", "kind", "status", "reviewed")


@dataclass
class Coded:
    """A string column as codes into ``values`` (-1: empty)."""

    codes: np.ndarray
    values: list

    def strings(self, rows=None, empty=None) -> list:
        codes = self.codes if rows is None else self.codes[rows]
        return [self.values[c] if c >= 0 else empty for c in codes.tolist()]

    def recoded(self, fill=None, key=None) -> Coded:
        """The column with empty cells as ``fill`` and each value as ``key(value)``, equal
        values one code (the codes in the order of the values)."""
        if key is None and fill is None and len(self.values) > 10_000:
            ranked = self._ranked()
            if ranked is not None:
                return ranked
        values = [(key(v) if key else v) for v in self.values] + [fill]
        distinct = sorted({v for v in values if v is not None})
        at = {v: i for i, v in enumerate(distinct)}
        table = np.array([at.get(v, -1) for v in values], dtype=np.int64)
        return Coded(table[self.codes], distinct)


    def _ranked(self) -> Coded | None:
        """``recoded()`` of a column of many distinct strings, ranked by Arrow (UTF-8
        order is code point order, as Python sorts); None for other values."""
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            values = pa.array(self.values)
        except (pa.ArrowException, TypeError, ValueError):
            return None
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)) \
                or values.null_count:
            return None
        rank = pc.rank(values, sort_keys="ascending", tiebreaker="dense")
        table = np.append(rank.to_numpy().astype(np.int64) - 1, -1)
        distinct = pc.unique(values)
        distinct = distinct.take(pc.sort_indices(distinct)).to_pylist()
        return Coded(table[self.codes], distinct)


def _coded(column) -> Coded:
    """A pyarrow dictionary column (one chunk) as ``Coded``."""
    import pyarrow.compute as pc

    chunk = column.chunk(0) if column.num_chunks else None
    if chunk is None:
        return Coded(np.zeros(0, dtype=np.int64), [])
    codes = pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return Coded(codes, chunk.dictionary.to_pylist())


@dataclass
class Kept:
    """The figures the filters keep, in citation order (``tables.numbered``)."""

    figure_id: object  # pyarrow large_string array
    article: np.ndarray  # codes of article_id
    article_ids: list  # the article_id of each code
    start: np.ndarray
    low: np.ndarray  # float64, NaN when empty
    high: np.ndarray
    low_int: np.ndarray  # int64 (0 when empty: see ``low``)
    high_int: np.ndarray
    earlier: np.ndarray  # restates an earlier value (``kit.claims.compare``)
    fragment: np.ndarray  # the file of the dataset that holds it (in ``files``)
    files: list
    coded: dict  # CODED column -> Coded

    def __len__(self) -> int:
        return len(self.start)

    def n(self) -> np.ndarray:
        return np.arange(1, len(self) + 1, dtype=np.int64)


class _Codebook:
    """One code per distinct value of a column, across the batches of a dataset."""

    def __init__(self):
        self.at: dict = {}
        self.values: list = []

    def codes(self, column) -> np.ndarray:
        """The codes of ``column`` (a pyarrow array; -1: empty)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        table = np.array([self.code_of(v) for v in column.dictionary.to_pylist()] + [-1],
                         dtype=np.int32)
        return table[pc.fill_null(column.indices, -1).to_numpy(zero_copy_only=False)]

    def code_of(self, value) -> int:
        code = self.at.get(value)
        if code is None:
            code = self.at[value] = len(self.values)
            self.values.append(value)
        return code


def read_kept(folder: Path, filters: dict, reviewed_only: bool):
    """The kept figures (``Kept``, numbered) and the figures of each distinct value of
    COUNTED among all (a frame with ``figures``, in the order of their first figure); each
    batch of the dataset is read, counted, filtered and coded in turn."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from kit.output.datasets import RESTATES
    from kit.present.tables import select

    columns = [*LEAN, RESTATES]  # (the flag kit extract stored: no sentence is read)
    counted: dict[tuple, int] = {}
    books = {c: _Codebook() for c in (*CODED, "article_id")}
    parts: dict[str, list] = {c: [] for c in (*books, "figure_id", "start", "low", "high",
                                              "earlier", "fragment")}
    files: list[str] = []
    try:
        for table, fragment in _coalesced(archive.read_tables(folder, "figures", columns,
                                                              dictionary=CODED), files):
            keep = _filtered(table, counted, filters, reviewed_only, select)
            table = table.filter(pa.array(keep))
            if not table.num_rows:
                continue
            parts["earlier"].append(pc.fill_null(table[RESTATES], False)
                                    .to_numpy(zero_copy_only=False).astype(bool))
            parts["fragment"].append(fragment[keep])
            for c, book in books.items():
                parts[c].append(book.codes(table[c].combine_chunks()))
            parts["figure_id"].append(pc.cast(table["figure_id"].combine_chunks(),
                                              pa.large_string()))
            for c in ("start", "low", "high"):
                parts[c].append(table[c].combine_chunks())
    except pa.ArrowException as err:
        raise archive.ArchiveError(f"{folder / 'figures'}: the figures dataset cannot be read "
                                   f"({err})") from None
    counts = pd.DataFrame([(*k, v) for k, v in counted.items()],
                          columns=[*COUNTED, "figures"])
    for c in COUNTED:
        counts[c] = counts[c].astype(schema.STRING)
    if not parts["start"]:
        return None, counts
    kept = _numbered(parts, books, files)
    del parts
    pa.default_memory_pool().release_unused()  # the batches' buffers, kept by the pool
    return kept, counts


#: The figures read at a time: the batches of the dataset's files (a piece's month each,
#: often a few hundred figures) are put together up to this many rows, so the work done
#: per batch in Python is done per few hundred thousand figures.
READ_ROWS = 262_144


def _coalesced(tables, files: list[str]):
    """The (path, table)s of ``archive.read_tables`` put together into tables of about
    ``READ_ROWS`` rows (one chunk a column, the CODED columns dictionary-encoded), in the
    order of the files, each with the file of each row (its index in ``files``, which this
    extends)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    held: list = []
    where: list[np.ndarray] = []
    rows = 0

    def together():
        table = pa.concat_tables(held, promote_options="permissive").combine_chunks()
        for c in CODED:  # (read encoded; the files' dictionaries made one here)
            if c in table.column_names:
                table = table.set_column(table.schema.get_field_index(c), c,
                                         pc.dictionary_encode(table[c]))
        return table, np.concatenate(where)

    for path, table in tables:
        files.append(path)
        if not table.num_rows:
            continue
        held.append(table)
        where.append(np.full(table.num_rows, len(files) - 1, dtype=np.int32))
        rows += table.num_rows
        if rows >= READ_ROWS:
            yield together()
            held, where, rows = [], [], 0
    if held:
        yield together()


def _filtered(table, counted: dict, filters: dict, reviewed_only: bool, select) -> np.ndarray:
    """Which rows of ``table`` ``tables.select`` keeps with the report's filters (decided
    once per distinct value of COUNTED, the columns it reads); adds the rows of each
    distinct value to ``counted`` (in the order of their first row)."""
    coded = [_coded(table[c]) for c in COUNTED]
    key = np.zeros(table.num_rows, dtype=np.int64)
    for c in coded:
        key = key * (len(c.values) + 1) + (c.codes + 1)
    _, first, inverse, sizes = np.unique(key, return_index=True, return_inverse=True,
                                         return_counts=True)
    columns = [c.strings(first) for c in coded]
    frame = pd.DataFrame({name: pd.array(values, dtype=schema.STRING)
                          for name, values in zip(COUNTED, columns)})
    for at in np.argsort(first, kind="stable").tolist():
        values = tuple(values[at] for values in columns)
        counted[values] = counted.get(values, 0) + int(sizes[at])
    ok = np.zeros(len(frame), dtype=bool)
    ok[select(frame, reviewed_only=reviewed_only, **filters).index.to_numpy()] = True
    return ok[inverse.reshape(-1)]


def _numbered(parts: dict, books: dict, files: list[str]) -> Kept:
    """The kept figures (``parts``: each column's batches; ``books``: the values of the
    coded ones; ``files``: those of the dataset) in the order of ``tables.numbered``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    coded = {c: Coded(np.concatenate(parts.pop(c)), books[c].values) for c in books}
    start = np.concatenate([np.asarray(a) for a in parts.pop("start")]).astype(np.int64)
    published = coded["published"].recoded()
    order = _lexsort((start, coded["article_id"].recoded().codes,
                      np.where(published.codes < 0, len(published.values), published.codes),
                      coded["outlet"].recoded(schema.UNKNOWN_OUTLET, str.lower).codes))

    def numbers(name, cast, fill):
        column = pa.chunked_array(parts[name])
        return pc.fill_null(pc.cast(column, cast), fill).to_numpy()[order]

    low, high = numbers("low", pa.float64(), np.nan), numbers("high", pa.float64(), np.nan)
    article = coded.pop("article_id")
    return Kept(figure_id=pa.chunked_array(parts.pop("figure_id")).combine_chunks()
                .take(pa.array(order)),
                article=article.codes[order], article_ids=article.values, start=start[order],
                low=low, high=high, low_int=numbers("low", pa.int64(), 0),
                high_int=numbers("high", pa.int64(), 0),
                earlier=np.concatenate(parts.pop("earlier"))[order],
                fragment=np.concatenate(parts.pop("fragment"))[order], files=files,
                coded={c: Coded(v.codes[order], v.values) for c, v in coded.items()})


def _lexsort(keys: tuple) -> np.ndarray:
    """``np.lexsort(keys)`` of integer keys (the last the primary one), the keys put
    together into as few int64 keys as they fit: a stable argsort of one key of 9
    million rows takes a third of the time of a lexsort of four."""
    together: list[np.ndarray] = []
    key, bound = None, 1
    for k in reversed(keys):
        low = int(k.min()) if len(k) else 0
        k = k.astype(np.int64) - low
        size = int(k.max()) + 1 if len(k) else 1
        if key is not None and bound * size < 2 ** 62:
            key, bound = key * size + k, bound * size
            continue
        if key is not None:
            together.append(key)
        key, bound = k, size
    together.append(key)
    if len(together) == 1:
        return np.argsort(together[0], kind="stable")
    return np.lexsort(tuple(reversed(together)))


def first_seen(codes: np.ndarray) -> np.ndarray:
    """The distinct codes in the order of their first row."""
    distinct, first = np.unique(codes, return_index=True)
    return distinct[np.argsort(first, kind="stable")]


def frame_of(kept: Kept, rows: np.ndarray, columns=None) -> pd.DataFrame:
    """The kept figures ``rows`` as a frame of the ``columns`` (default: those
    ``kit.claims`` reads), the strings of a coded column shared among its rows."""
    coded = [c for c in ("outlet", "published", "qualifier", "what", "kind", "status",
                         "measure", "claimant", "surface") if columns is None or c in columns]
    frame = pd.DataFrame({c: pd.array(kept.coded[c].strings(rows), dtype=schema.STRING)
                          for c in coded})
    if columns is None or "figure_id" in columns:
        frame["figure_id"] = pd.array(kept.figure_id.take(rows).to_pylist(), dtype=schema.STRING)
    if columns is None or "article_id" in columns:
        frame["article_id"] = pd.array([kept.article_ids[c] for c in kept.article[rows].tolist()],
                                       dtype=schema.STRING)
    if columns is None or "start" in columns:
        frame["start"] = kept.start[rows]
    if columns is None:
        frame["low"] = pd.arrays.IntegerArray(kept.low_int[rows], np.isnan(kept.low[rows]))
        frame["high"] = pd.arrays.IntegerArray(kept.high_int[rows], np.isnan(kept.high[rows]))
    return frame


def code_of(column: Coded, value) -> int:
    return column.values.index(value) if value in column.values else -2


def row_groups(*columns: np.ndarray) -> np.ndarray:
    """The group of each row (rows of equal values in all ``columns``, NaN equal to NaN),
    numbered in the order of their first row: ``groupby(sort=False, dropna=False)
    .ngroup()`` without a frame of the columns."""
    key, bound = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        codes, size = _codes_of(column)
        if bound * size >= 2 ** 62:  # (renumbered only when the key would overflow)
            key, _ = pd.factorize(key)
            bound = int(key.max()) + 1 if len(key) else 1
        key, bound = key * size + codes, bound * size
    return pd.factorize(key)[0]


def _codes_of(column) -> tuple[np.ndarray, int]:
    """Codes of a column's values (equal values one code, missing ones too), from 0, and
    their bound: integers of a narrow range are their own codes (no hashing)."""
    values = np.asarray(column) if isinstance(column, np.ndarray) else None
    if values is not None and values.dtype.kind in "bi" and len(values):
        low, high = int(values.min()), int(values.max())
        if high - low < 4 * len(values) + 16:
            return values.astype(np.int64) - low, high - low + 1
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return codes.astype(np.int64), max(len(distinct), 1)
