"""Reading the datasets ``kit extract CORPUS --out DIR`` wrote, for a report.

A report of an archive of 100,000 articles cannot hold the articles' texts nor
extract them again; it reads what ``kit extract`` wrote instead:

* ``read_manifest(DIR)``: ``DIR/kit-extract.json`` checked (a folder that is not a
  kit extract output, a manifest another kit's extraction wrote, a dataset
  folder missing: ``ArchiveError`` naming the path and what is wrong);
* ``read_frame(DIR, name, columns, where)``: the named columns only of one dataset
  (``articles``, ``figures``, ``claims``), with the rows ``where`` keeps (a
  pyarrow expression, see ``figure_filter``) chosen while reading, each column
  cast to its ``kit.schema`` dtype; a column the dataset lacks is an
  ``ArchiveError`` naming the dataset and the column;
* ``skipped(manifest)``, ``problems(manifest)``, ``stale(manifest)``: what the
  run that wrote the datasets skipped, ignored or could not apply.

Reading only: nothing here writes.  ``kit.report.frames`` uses it to build the
frames a report shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kit import schema
from kit.output.datasets import FRAMES, MANIFEST

TOOL = "kit extract"


class ArchiveError(ValueError):
    """The datasets cannot be read for a report (the message names the path and why)."""


def is_extract_output(path) -> bool:
    """Whether ``path`` is a folder ``kit extract`` wrote (it holds ``kit-extract.json``)."""
    path = Path(path)
    return path.is_dir() and (path / MANIFEST).is_file()


def read_manifest(folder, *, kit_version: str | None = None) -> dict:
    """The checked manifest of the kit extract output ``folder``.  ``kit_version``: the
    extraction the datasets must come from (default: this kit's,
    ``kit.scale.store.extraction_version``); ArchiveError otherwise."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise ArchiveError(f"{folder}: no such folder of kit extract datasets")
    if not path.is_file():
        raise ArchiveError(f"{folder} is not a kit extract output: it has no {MANIFEST} "
                           "(write one with: kit extract CORPUS --out FOLDER)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ArchiveError(f"{path}: not a kit extract manifest ({err})") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        raise ArchiveError(f"{path}: not a kit extract manifest (no \"tool\": \"{TOOL}\")")
    if kit_version is None:
        from kit.scale.store import extraction_version

        kit_version = extraction_version()
    made_by = (data.get("version") or {}).get("kit") if isinstance(data.get("version"), dict) \
        else None
    if made_by != kit_version:
        raise ArchiveError(f"{path}: written by the extraction of kit {made_by or 'unknown'}, "
                           f"not this kit's ({kit_version}); run kit extract again on the "
                           "corpus to update the datasets")
    missing = [name for name in FRAMES if name != "sentences" and not (folder / name).is_dir()]
    if missing:
        raise ArchiveError(f"{folder}: the dataset folder(s) {', '.join(missing)} are missing "
                           f"(the manifest {MANIFEST} lists {', '.join(data.get('datasets', []))})")
    return data


def _pieces(manifest: dict) -> list[dict]:
    pieces = manifest.get("pieces") or {}
    return [pieces[k] for k in sorted(pieces)] if isinstance(pieces, dict) else []


def skipped(manifest: dict) -> list[dict]:
    """The files or rows the run that wrote the datasets skipped, with the reasons."""
    return [s for p in _pieces(manifest) for s in p.get("skipped", [])]


def problems(manifest: dict) -> list[dict]:
    """The sources.csv rows that run ignored (the notes on web pages are left out)."""
    return [s for p in _pieces(manifest) for s in p.get("problems", []) if "note" not in s]


def stale(manifest: dict) -> list[dict]:
    """The analyst's corrections that run could not apply, with the reasons."""
    return [s for p in _pieces(manifest) for s in p.get("stale", [])]


def figure_filter(*, kinds: Iterable[str] | None = None, statuses: Iterable[str] | None = None,
                  reviewed_only: bool = False):
    """The pyarrow expression keeping the figures of the given ``kinds`` and ``statuses``
    (None or empty: all) and, with ``reviewed_only``, those an analyst reviewed; None when
    it keeps everything.  The same rows ``kit.present.tables.select`` keeps for them."""
    import pyarrow.compute as pc

    terms = []
    if kinds:
        terms.append(pc.field("kind").isin(list(kinds)))
    if statuses:
        terms.append(pc.field("status").isin(list(statuses)))
    if reviewed_only:
        terms.append(pc.field("reviewed") != "kit")
    if not terms:
        return None
    where = terms[0]
    for term in terms[1:]:
        where = where & term
    return where


def read_frame(folder, name: str, columns: Iterable[str], where=None,
               files: list[str] | None = None) -> pd.DataFrame:
    """The ``columns`` of the dataset ``name`` of ``folder`` (rows kept by the pyarrow
    expression ``where``; of its Parquet ``files`` only, when given), each with its
    ``kit.schema`` dtype; ArchiveError naming the dataset when it lacks a column or cannot
    be read."""
    columns = list(columns)
    table = read_table(folder, name, columns, where=where, files=files)
    return schema.empty(name)[columns] if table is None else as_frame(table, name)


def read_table(folder, name: str, columns: Iterable[str], where=None,
               files: list[str] | None = None):
    """``read_frame``'s rows as one pyarrow table (None for a dataset with no row)."""
    import pyarrow as pa

    found = [table for _, table in read_tables(folder, name, list(columns), where=where,
                                               files=files)]
    if not found:
        return None
    try:
        return pa.concat_tables(found, promote_options="permissive")
    except pa.ArrowException as err:  # two files giving a column two types
        raise ArchiveError(f"{Path(folder) / name}: the {name} dataset cannot be read "
                           f"({err})") from None


def as_frame(table, name: str) -> pd.DataFrame:
    """A pyarrow table of rows of the dataset ``name`` as a frame, each column with its
    ``kit.schema`` dtype (strings kept in Arrow)."""
    return _typed(table.to_pandas(ignore_metadata=True, types_mapper=_string_type), name)


#: The files ``read_tables`` reads at once, each in a thread (Parquet decoding releases
#: the GIL), ahead of the one its caller is at.
READ_AHEAD = 4


def dataset_files(folder, name: str) -> list[str]:
    """The Parquet files of the dataset ``name`` of ``folder``, month by month (not those
    whose name starts with "." or "_", which pyarrow leaves out too: a copy's ``._`` files)."""
    return sorted(str(p) for p in (Path(folder) / name).glob("month=*/*.parquet")
                  if not p.name.startswith((".", "_")))


def read_tables(folder, name: str, columns: Iterable[str], *, where=None,
                files: list[str] | None = None, dictionary: Iterable[str] = ()):
    """The ``columns`` of each Parquet file of the dataset ``name`` of ``folder`` (of
    ``files``, when given) in turn: (path, pyarrow table of its rows that the expression
    ``where`` keeps), the ``dictionary`` columns read dictionary-encoded (as the file
    holds them: a column of few distinct values is read twice as fast).  ArchiveError
    naming the file when it lacks a column or cannot be read.

    Each file is read on its own (a few at once, in threads): a pyarrow dataset holds
    what it learnt of every file it scanned until it is dropped, some 90 KB a file, and
    an archive's datasets hold a file per piece and month (gigabytes at a million
    articles)."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(columns)
    encoded = [c for c in dictionary if c in columns] or None
    paths = dataset_files(folder, name) if files is None else list(files)
    named = str(where) if where is not None else ""

    def read(path: str):
        try:
            with pq.ParquetFile(path, read_dictionary=encoded) as file:
                have = file.schema_arrow.names
                missing = [c for c in columns if c not in have]
                if missing:
                    raise ArchiveError(f"{path}: the {name} dataset has no column "
                                       f"{', '.join(missing)} (not written by this kit's kit "
                                       "extract?)")
                # the columns the expression may name (written in it), read to filter the
                # rows, then dropped
                extra = [c for c in have if c not in columns and c in named]
                table = file.read(columns=columns + extra, use_threads=False)  # (files in threads)
            if where is not None:
                table = table.filter(where).select(columns)
            return table
        except (pa.ArrowException, OSError) as err:
            raise ArchiveError(f"{path}: the {name} dataset cannot be read ({err})") from None

    with ThreadPoolExecutor(READ_AHEAD) as pool:
        pending: deque = deque()
        for path in paths:
            pending.append((path, pool.submit(read, path)))
            if len(pending) > READ_AHEAD:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def _string_type(arrow_type):
    import pyarrow as pa

    return schema.STRING if arrow_type in (pa.string(), pa.large_string()) else None


def _typed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Each column of ``frame`` with the dtype ``kit.schema`` gives it in frame ``name``."""
    dtypes = {c.name: (schema.STRING if c.dtype == "str" else c.dtype)
              for c in schema.SCHEMAS[name]}
    for column in frame.columns:
        want = dtypes.get(column)
        if want is not None and frame[column].dtype != want:
            frame[column] = frame[column].astype(want)
    return frame
