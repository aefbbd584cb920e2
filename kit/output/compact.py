"""A month's small Parquet files merged into few (``kit extract``'s datasets).

Each piece of an archive writes one file a month it has articles of, so an archive whose
pieces each span many months (articles not in date order: a crawl, a dump) makes a
dataset of pieces x months small files: 84,840 at a million articles.  Every reader pays
for each file it opens (pandas and pyarrow keep some 90 KB of each), so ``kit extract``
merges them once a month holds more than ``MAX_FILES`` that are not full: the smallest
files, into one, to leave ``KEEP`` (so a file is merged again only with files of about
its size: a row is rewritten a few times over an archive's life, not once a run).  A
merged file holds at most ``MAX_MEMBERS`` pieces' rows, as a piece that changes has its
merged files written again without its rows.

A merged file is the rows of its *members* (the pieces whose rows it holds) one after
the other; the manifest keeps each merged file's members and their number of rows, so a
piece's rows can be cut out again (``split``) when the piece changes or goes.  Nothing
here knows about pieces beyond their names: ``kit.scale.stream`` decides what to merge
and when.
"""

from __future__ import annotations

import uuid
from pathlib import Path

#: A month of a dataset holding more files than this that can still be merged has its
#: smallest merged ...
MAX_FILES = 16
#: ... into one, leaving this many.
KEEP = 4
#: A merged file holds the rows of this many pieces at most, and a merge is cut near this
#: size (files of that size are left as they are): a piece that changes has its merged
#: files (one a month) written again without its rows, so this bounds what one change
#: rewrites, a share of each month it has articles of.
MAX_MEMBERS = 32
MERGED_BYTES = 64 * 2**20

#: members of a merged file: (piece, number of rows), in the order of its rows
Members = list[tuple[str, int]]


def merge_plan(files: dict[str, tuple[int, int]], fixed=frozenset()) -> list[list[str]]:
    """Which of one month's ``files`` (name -> size in bytes and number of pieces whose
    rows it holds) to merge: groups of two or more names, each group into one file.  A
    file that is full (``MERGED_BYTES``, ``MAX_MEMBERS``) or ``fixed`` is never merged;
    nothing is while the month holds ``MAX_FILES`` others or fewer.  The smallest files go
    first, so that a larger file is not rewritten for every few small ones added."""
    small = sorted((size, name) for name, (size, members) in files.items()
                   if size < MERGED_BYTES and members < MAX_MEMBERS and name not in fixed)
    if len(small) <= MAX_FILES:
        return []
    groups: list[list[str]] = [[]]
    held = pieces = 0
    for size, name in small[:len(small) - KEEP + 1]:
        if groups[-1] and (held + size > MERGED_BYTES or pieces + files[name][1] > MAX_MEMBERS):
            groups.append([])
            held = pieces = 0
        groups[-1].append(name)
        held += size
        pieces += files[name][1]
    return [sorted(g) for g in groups if len(g) > 1]


def merge(sources: list[tuple[str, str | Members]], stage: str, folder: str
          ) -> tuple[str, Members]:
    """Write the rows of ``sources`` one after the other into one Parquet file under
    ``stage/folder`` (a worker's task): each source is a file and either the piece whose
    rows it holds or the members of a merged file.  Returns the file written (relative
    to ``stage``) and its members.  ValueError naming the file when a merged file does
    not hold the rows its members say."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables, members = [], []
    for path, held in sources:
        with pq.ParquetFile(path, pre_buffer=False) as file:
            table = file.read(use_threads=False)
        if isinstance(held, str):
            members.append((held, table.num_rows))
        else:
            _check(path, held, table.num_rows)
            members += [(piece, int(n)) for piece, n in held]
        tables.append(table)
    return _write(pa.concat_tables(tables, promote_options="default"), stage,
                  f"{folder}/part-merged"), members


def split(path: str, members: Members, stage: str, apart: set[str], stay: set[str]
          ) -> tuple[str | None, Members, dict[str, str]]:
    """Take the merged file ``path`` apart (a worker's task): the rows of the members
    ``apart`` each into a file of their own, those of the members that ``stay`` together
    into one file (the others are dropped), all beside where ``path`` is but under
    ``stage``.  Returns that file (relative to ``stage``; None when no member stays), its
    members, and each member apart's file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with pq.ParquetFile(path, pre_buffer=False) as file:
        table = file.read(use_threads=False)
    _check(path, members, table.num_rows)
    folder = f"{Path(path).parent.parent.name}/{Path(path).parent.name}"  # frame/month=M
    own: dict[str, str] = {}
    kept, rest = [], []
    at = 0
    for piece, n in members:
        if piece in apart:
            own[piece] = _write(table.slice(at, n), stage, f"{folder}/part-{piece}")
        elif piece in stay:
            kept.append(table.slice(at, n))
            rest.append((piece, n))
        at += n
    together = _write(pa.concat_tables(kept), stage, f"{folder}/part-merged") if kept else None
    return together, rest, own


def _write(table, stage: str, name: str) -> str:
    import pyarrow.parquet as pq

    rel = f"{name}-{uuid.uuid4().hex[:8]}.parquet"
    (Path(stage) / rel).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, Path(stage) / rel)
    return rel


def _check(path: str, members: Members, rows: int) -> None:
    if sum(n for _, n in members) != rows:
        raise ValueError(f"{path}: holds {rows} rows, its members "
                         f"{sum(n for _, n in members)} (not written by this kit?)")
