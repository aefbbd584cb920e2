"""Article tables: a corpus given as a dataset instead of a folder of files.

A table holds one article a row: a ``text`` column and any of ``id``, ``outlet``,
``title``, ``byline``, ``published``, ``url``.  It can be Parquet (one file, or a
folder of Parquet files such as a partitioned dataset), JSON Lines (``.jsonl``,
``.ndjson``) or CSV (``.csv``).  ``columns`` maps the kit's names to the table's
("text=body,published=date").  Metadata a row lacks is guessed from its text as
for files; ``published`` is kept as an ISO date (a timestamp's date part).  A row
without text is skipped with its reason, like a bad file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from kit import dates
from kit.load import metadata
from kit.load.problems import CorpusError
from kit.load.sources import SOURCES_NAME

TABLE_SUFFIXES = (".parquet", ".jsonl", ".ndjson", ".csv")
FIELDS = ("id", "text", "outlet", "title", "byline", "published", "url")


def parse_columns(spec: str | None) -> dict[str, str]:
    """``"text=body,published=date"`` -> {"text": "body", "published": "date"}; ValueError
    naming the bad part."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        ours, sep, theirs = part.partition("=")
        ours, theirs = ours.strip(), theirs.strip()
        if not sep or not theirs or ours not in FIELDS:
            raise ValueError(f"--columns: {part.strip()!r} is not NAME=COLUMN with NAME one of "
                             f"{', '.join(FIELDS)}")
        out[ours] = theirs
    return out


def is_table(path: Path) -> bool:
    """A file that is an article table, or a folder holding Parquet files and no article
    files (a Parquet dataset)."""
    if path.is_file():
        return path.suffix.lower() in TABLE_SUFFIXES and path.name != SOURCES_NAME
    if path.is_dir():
        from kit.load.files import ARTICLE_SUFFIXES, is_ignored

        suffixes = {p.suffix.lower() for p in path.rglob("*")
                    if p.is_file() and not any(is_ignored(x) for x in p.relative_to(path).parts)}
        return ".parquet" in suffixes and not suffixes & set(ARTICLE_SUFFIXES)
    return False


def _read(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if path.is_dir() or suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, ImportError) as err:
        raise CorpusError(f"{path}: cannot read as an article table ({err})") from None
    except Exception as err:  # noqa: BLE001 - pyarrow's own errors: name the file
        raise CorpusError(f"{path}: cannot read as an article table "
                          f"({type(err).__name__}: {err})") from None


def _cell(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id column pandas read as floats, for a missing one: 101
    text = str(value)
    return text if text.strip() else None


def _iso(value) -> str | None:
    """An ISO date from a date, a timestamp or a string starting with one."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "date") and not isinstance(value, str):
        return value.date().isoformat() if hasattr(value.date(), "isoformat") else None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return dates.iso_prefix(str(value))


def read_table(path: Path, columns: dict[str, str] | None = None, outlets=None
               ) -> tuple[list[dict], list[dict]]:
    """The articles of a table: (rows for the articles frame, skipped rows with reasons);
    ``outlets``: the known outlets' index (``kit.load.outlets``) for metadata guesses."""
    return rows_of(_read(path), path, 0, columns, outlets)


def parquet_layout(path: Path) -> tuple[bytes, list[tuple[str, int, int, int]]]:
    """The layout of a Parquet table (``table_layout``: what ``read_row_group`` needs to
    read one row group as the whole table reads) and its row groups, in the order
    ``pd.read_parquet`` reads them: (file, row group, first row, rows), read from the
    files' footers only."""
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(str(path), format="parquet", partitioning="hive")
        out, first = [], 0
        for fragment in dataset.get_fragments():
            for group in fragment.split_by_row_group():
                rows = group.row_groups[0].num_rows
                out.append((fragment.path, group.row_groups[0].id, first, rows))
                first += rows
        layout = table_layout(dataset)
    except (OSError, ValueError) as err:
        raise CorpusError(f"{path}: cannot read as an article table ({err})") from None
    except Exception as err:  # noqa: BLE001 - pyarrow's own errors: name the file
        raise CorpusError(f"{path}: cannot read as an article table "
                          f"({type(err).__name__}: {err})") from None
    return layout, out


def table_layout(dataset) -> bytes:
    """The schema of a pyarrow dataset and of its hive partitioning (folder names), as
    bytes (an Arrow IPC message: it travels with a piece to a worker)."""
    import pyarrow as pa

    parts = getattr(dataset.partitioning, "schema", None) or pa.schema([])
    # (pyarrow gives a table with no folder names a partitioning of all its columns: the
    # columns of the folder names are those the files do not hold)
    first = next(iter(dataset.get_fragments()), None)
    inside = set(first.physical_schema.names) if first is not None else set()
    names = [n for n in parts.names if n not in inside]
    meta = {b"kit.partitioning": json.dumps(names).encode("utf-8")}
    return dataset.schema.with_metadata({**(dataset.schema.metadata or {}), **meta}) \
        .serialize().to_pybytes()


def layout_names(layout: bytes) -> list[str]:
    """The columns of a Parquet table's ``layout`` (``parquet_layout``)."""
    import pyarrow as pa

    return pa.ipc.read_schema(pa.py_buffer(layout)).names


def read_row_group(path: Path, file: str, group: int, layout: bytes | None = None
                   ) -> pd.DataFrame:
    """One row group of a Parquet table ``path`` (with the columns of a hive dataset's
    folder names, as ``pd.read_parquet`` gives them).  With the table's ``layout``
    (``parquet_layout``) only ``file`` is opened; without, the table is listed again to
    learn it (for a table of thousands of files, far more than the row group's read)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        if layout is None:
            layout = table_layout(ds.dataset(str(path), format="parquet", partitioning="hive"))
        schema = pa.ipc.read_schema(pa.py_buffer(layout))
        names = json.loads((schema.metadata or {}).get(b"kit.partitioning", b"[]"))
        parts = [schema.field(n) for n in names]
        schema = schema.remove_metadata().with_metadata(
            {k: v for k, v in (schema.metadata or {}).items() if k != b"kit.partitioning"})
        if not Path(file).exists():
            raise CorpusError(f"{file}: no longer part of the table {path}")
        dataset = ds.dataset([file], schema=schema, format="parquet",
                             partitioning=ds.partitioning(pa.schema(parts), flavor="hive")
                             if parts else None,
                             # (a table of one file: its whole path, as pyarrow reads it)
                             partition_base_dir=str(path) if parts and Path(path).is_dir()
                             else None)
        fragment = next(iter(dataset.get_fragments()))
        return fragment.subset(row_group_ids=[group]).to_table(schema=schema).to_pandas()
    except CorpusError:
        raise
    except Exception as err:  # noqa: BLE001 - pyarrow's own errors: name the file
        raise CorpusError(f"{file}: cannot read row group {group} ({type(err).__name__}: "
                          f"{err})") from None


def check_mapped(path: Path, have, columns: dict[str, str] | None) -> None:
    """CorpusError naming the table, with the columns it has (``have``), when it has no
    column for the article text or lacks a column ``--columns`` maps."""
    have = list(have)
    listed = ", ".join(map(str, have))
    text = (columns or {}).get("text", "text")
    if text not in have:
        raise CorpusError(f"{path}: no column {text!r} for the article text (columns: "
                          f"{listed}); map it with --columns text=NAME")
    missing = [f"{f}={name}" for f, name in (columns or {}).items() if name not in have]
    if missing:
        raise CorpusError(f"{path}: --columns names columns it does not have: "
                          f"{', '.join(missing)} (columns: {listed})")


def rows_of(frame: pd.DataFrame, path: Path, first: int, columns: dict[str, str] | None = None,
            outlets=None) -> tuple[list[dict], list[dict]]:
    """The article rows of ``frame``, rows ``first``, ``first + 1``, ... of the table
    ``path`` (each row's path is ``TABLE#N``, N counted from 1)."""
    names = {f: (columns or {}).get(f, f) for f in FIELDS}
    check_mapped(path, frame.columns, columns)
    rows, skipped = [], []
    get = {f: frame[names[f]].tolist() if names[f] in frame.columns else [None] * len(frame)
           for f in FIELDS}
    for i in range(len(frame)):
        where = f"{path}#{first + i + 1}"
        text = get["text"][i]
        if not isinstance(text, str) or not text.strip():
            skipped.append({"path": where, "reason": "no article text in this row"})
            continue
        known = {f: _cell(get[f][i]) for f in ("outlet", "title", "byline", "url")}
        known["published"] = _iso(get["published"][i])
        guessed = metadata.guess(text, {k: v for k, v in known.items() if v}, outlets)
        ident = _cell(get["id"][i])
        rows.append({"id": ident, "path": where, "outlet": guessed.outlet,
                     "title": guessed.title, "byline": guessed.byline,
                     "published": guessed.published, "url": guessed.url,
                     "encoding": "table", "text": text})
    return rows, skipped


#: The bytes of a JSON Lines or CSV table scanned at a time while its pieces are found.
SCAN_BYTES = 4 << 20


def text_pieces(path: Path, rows: int, columns: dict[str, str] | None = None
                ) -> tuple[tuple[int, int], list[tuple[int, int, int, int, str]]]:
    """The pieces of a JSON Lines or CSV table of ``rows`` rows each (the last fewer):
    the bytes of a CSV's header ((0, 0) for JSON Lines) and each piece's (first byte, end
    byte, first row, rows, digest of its bytes and the header's), found by reading the
    file a block at a time (never held whole).  Rows are numbered as ``_read`` reads the
    whole table: a blank line is no row.  JSON Lines: each line a row (JSON has no raw
    newline inside a value).  CSV: the records as Python's csv module reads them (a
    newline inside a quoted field stays in its record; a quote inside an unquoted field is
    a character), the first its header (in no piece's bytes but in every piece's digest,
    checked for the text column here)."""
    import csv

    try:
        with open(path, "rb") as f:
            if path.suffix.lower() == ".csv":
                try:
                    head, found = _csv_runs(f, rows)
                except csv.Error:  # (lines ended by "\r" alone): one piece, read whole
                    size = f.seek(0, 2)
                    return (0, 0), [(0, size, 0, 0, _digest_bytes(f, b"", 0, size))]
                header = _bytes(f, *head)
                _check_header(path, header, columns)
            else:
                head, found, header = (0, 0), _line_runs(f, rows), b""
            return head, [(start, end, first, n, _digest_bytes(f, header, start, end))
                          for start, end, first, n in found]
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: cannot read as an article table ({err})") from None


class _Runs:
    """Rows (each a byte range) put into runs of ``size`` rows: (first byte, end byte,
    first row, rows)."""

    def __init__(self, size: int) -> None:
        self.size, self.rows, self.runs = size, 0, []
        self.start, self.first, self.held = -1, 0, 0

    def add(self, start: int, stop: int) -> None:
        if self.start < 0:
            self.start, self.first, self.held = start, self.rows, 0
        self.held += 1
        self.rows += 1
        if self.held == self.size:
            self.runs.append((self.start, stop, self.first, self.held))
            self.start = -1

    def close(self, end: int) -> list[tuple[int, int, int, int]]:
        if self.start >= 0:
            self.runs.append((self.start, end, self.first, self.held))
        return self.runs


def _line_runs(f, rows: int) -> list[tuple[int, int, int, int]]:
    """The runs of ``rows`` non-blank lines of the open JSON Lines table ``f``: (first
    byte, end byte, first row, rows); numpy finds the newlines of each block."""
    import numpy as np

    blank = np.zeros(256, dtype=bool)
    blank[[ord(c) for c in " \t\r\n\x0b\x0c"]] = True
    runs = _Runs(rows)
    line_start, line_filled = 0, False  # the line being read
    base = 0  # the block's first byte
    while data := f.read(SCAN_BYTES):
        block = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(block == 10)
        filled = ~blank[block]
        if len(ends):  # whether each line ending in this block has a non-blank byte
            has = np.logical_or.reduceat(filled[:ends[-1] + 1],
                                         np.concatenate(([0], ends[:-1] + 1)))
            for end, some in zip(ends.tolist(), has.tolist()):
                if some or line_filled:
                    runs.add(line_start, base + end + 1)
                line_filled = False
                line_start = base + end + 1
            filled = filled[ends[-1] + 1:]
        line_filled = line_filled or bool(filled.any())
        base += len(data)
    if line_filled:  # a last line with no newline
        runs.add(line_start, base)
    return runs.close(base)


def _csv_runs(f, rows: int) -> tuple[tuple[int, int], list[tuple[int, int, int, int]]]:
    """The header's bytes and the runs of ``rows`` non-blank records of the open CSV
    table ``f`` (first byte, end byte, first row, rows): Python's csv module reads the
    records from the file's lines, each line's bytes counted."""
    import csv

    at = 0

    def lines():
        nonlocal at
        for raw in f:
            at += len(raw)
            # (a BOM is no character of the header; bad bytes stay, for pandas to name)
            yield raw.decode("utf-8-sig" if at == len(raw) else "utf-8", "surrogateescape")

    f.seek(0)
    head = (0, 0)
    runs = _Runs(rows)
    start = 0
    for record in csv.reader(lines()):
        if any(field.strip() for field in record):  # (a blank line is no row)
            if head == (0, 0):
                head = (start, at)
            else:
                runs.add(start, at)
        start = at
    return head, runs.close(at)


def _check_header(path: Path, header: bytes, columns: dict[str, str] | None) -> None:
    """CorpusError when a CSV table has no header or its header has no text column."""
    import csv

    names = next(csv.reader([header.decode("utf-8-sig", "replace")]), [])
    if not names:
        raise CorpusError(f"{path}: cannot read as an article table (no header row)")
    check_mapped(path, names, columns)


def _digest_bytes(f, header: bytes, start: int, end: int) -> str:
    """A digest of ``header`` and bytes ``start``..``end`` of the open file ``f``."""
    import hashlib

    h = hashlib.sha1(header)
    f.seek(start)
    left = end - start
    while left > 0 and (chunk := f.read(min(left, SCAN_BYTES))):
        h.update(chunk)
        left -= len(chunk)
    return h.hexdigest()[:20]


def _bytes(f, start: int, end: int) -> bytes:
    """Bytes ``start``..``end`` of the open file ``f``."""
    f.seek(start)
    return f.read(end - start)


def read_text_piece(path: Path, head: tuple[int, int], start: int, end: int,
                    columns: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows of a piece of a JSON Lines or CSV table (``text_pieces``: bytes ``start``
    to ``end``, and ``head`` those of a CSV's header), read as ``_read`` reads the whole
    table; a JSON Lines piece none of whose rows has a column ``columns`` maps gets it
    empty (another piece's rows may have it)."""
    import io

    csv = path.suffix.lower() == ".csv"
    try:
        with open(path, "rb") as f:
            data = _bytes(f, *head) + _bytes(f, start, end)
        if csv:
            return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                               encoding="utf-8")
        text = data.decode("utf-8-sig")
        try:
            frame = pd.read_json(io.StringIO(text), lines=True, dtype=False)
        except ValueError:  # a broken line: the others kept, it named (``attrs["bad"]``)
            frame = _json_rows(text)
        for name in (columns or {}).values():
            if name not in frame.columns:
                frame[name] = None
        return frame
    except (OSError, ValueError) as err:
        raise CorpusError(f"{path}: cannot read the rows of bytes {start} to {end} as an "
                          f"article table ({err})") from None


def split_row_group(path: Path, file: str, group: int, layout: bytes, target: Path,
                    rows: int) -> tuple[bytes, list[tuple[str, int, int, int]]]:
    """Copy row group ``group`` of ``file`` (of the Parquet table ``path``, whose
    ``layout`` is ``parquet_layout``'s) to the one-file table ``target``, in row groups of
    ``rows`` rows, with the columns of the table's folder names and its pandas metadata:
    read batch by batch (a few MB held, however large the row group), written to a
    temporary name and renamed.  Returns ``target``'s layout and row groups (as
    ``parquet_layout``'s, its own path not read for folder names); when ``target``
    exists already, only those."""
    import os

    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if not target.is_file():
            schema = pa.ipc.read_schema(pa.py_buffer(layout))
            meta = dict(schema.metadata or {})
            names = json.loads(meta.pop(b"kit.partitioning", b"[]"))
            schema = schema.remove_metadata().with_metadata(meta)
            keys: dict = {}
            if names:  # the values of the file's folder names, as the whole table reads them
                one = ds.dataset([file], format="parquet", partitioning=ds.partitioning(
                    pa.schema([schema.field(n) for n in names]), flavor="hive"),
                    partition_base_dir=str(path) if Path(path).is_dir() else None)
                keys = ds.get_partition_keys(next(iter(one.get_fragments()))
                                             .partition_expression)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = pq.ParquetFile(file, buffer_size=1 << 20, pre_buffer=False)
            with pq.ParquetWriter(temp, schema) as out:
                for batch in source.iter_batches(batch_size=rows, row_groups=[group],
                                                 use_threads=False):
                    have = batch.schema.names
                    out.write_table(pa.table(
                        {n: batch.column(n).cast(schema.field(n).type) if n in have else
                         pa.array([keys.get(n)] * batch.num_rows, type=schema.field(n).type)
                         for n in schema.names}, schema=schema), row_group_size=rows)
            os.replace(temp, target)
        copy = ds.dataset(str(target), format="parquet")  # (no folder names: its own path)
        with pq.ParquetFile(target) as written:
            meta = written.metadata
            starts = [0]
            for g in range(meta.num_row_groups):
                starts.append(starts[-1] + meta.row_group(g).num_rows)
        return table_layout(copy), [(str(target), g, starts[g], starts[g + 1] - starts[g])
                                    for g in range(meta.num_row_groups)]
    except Exception as err:  # noqa: BLE001 - pyarrow's own errors: name the file
        temp.unlink(missing_ok=True)
        raise CorpusError(f"{file}: cannot copy row group {group} into smaller ones "
                          f"({type(err).__name__}: {err})") from None


def table_renames(path: Path, columns: dict[str, str] | None = None) -> dict[int, str]:
    """The ids ``kit.load_corpus`` gives the rows of the table ``path`` whose ``id`` the
    table repeats (row number -> id, made unique over the whole table as
    ``kit.load.unique`` makes it), for a run that reads the table in pieces: only the id
    column (and for JSON Lines and CSV whether a row has text) is read, a row or batch at
    a time.  Empty when the table has no id column or repeats no id.  (A Parquet row
    without text counts among the rows here, though ``load_corpus`` skips it.)"""
    from kit.load import unique

    names = {f: (columns or {}).get(f, f) for f in ("id", "text")}
    try:
        found = _ids(path, names["id"], names["text"], columns)
    except CorpusError:
        raise
    except (OSError, ValueError) as err:
        raise CorpusError(f"{path}: cannot read as an article table ({err})") from None
    except Exception as err:  # noqa: BLE001 - pyarrow's own errors: name the file
        raise CorpusError(f"{path}: cannot read as an article table "
                          f"({type(err).__name__}: {err})") from None
    if found is None:
        return {}
    rows, ids = [], []
    for row, (ident, has_text) in enumerate(found):
        if has_text:  # as rows_of and table_ids name the rows they keep
            rows.append(row)
            ids.append(_cell(ident) or f"{path.stem}-{row + 1}")
    if len(set(ids)) == len(ids):
        return {}
    return {row: new for row, old, new in zip(rows, ids, unique(ids)) if new != old}


def _ids(path: Path, id_name: str, text_name: str, mapped: dict[str, str] | None = None):
    """Each row's (id, whether it has text), or None when the table has no id column; a
    JSON Lines table (read whole here, a line at a time) none of whose rows has the text
    column or a column ``mapped`` maps is a CorpusError."""
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".parquet":
        import pyarrow.dataset as ds

        dataset = ds.dataset(str(path), format="parquet", partitioning="hive")
        if id_name not in dataset.schema.names:
            return None
        return ((ident, True) for fragment in dataset.get_fragments()
                for ident in fragment.to_table(columns=[id_name], schema=dataset.schema)
                [id_name].to_pylist())
    if suffix == ".csv":
        import csv

        with open(path, encoding="utf-8-sig", newline="") as f:
            records = (r for r in csv.reader(f) if any(field.strip() for field in r))
            header = next(records, [])
            if id_name not in header:
                return None
            at, text = header.index(id_name), header.index(text_name) \
                if text_name in header else -1
            try:
                return [(r[at] if at < len(r) else None,
                         0 <= text < len(r) and bool(r[text].strip())) for r in records]
            except csv.Error:  # (lines ended by "\r" alone: read whole, unique already)
                return None
    out, keys = [], {}  # (the columns in the order the rows first give them)
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:  # (its piece fails and is named; its row is no article)
                row = None
            if not isinstance(row, dict):
                out.append((None, False))
                continue
            keys.update(dict.fromkeys(row))
            text = row.get(text_name)
            out.append((row.get(id_name), isinstance(text, str) and bool(text.strip())))
    if out:  # (no text column, or one --columns maps that no row has: before any work)
        check_mapped(path, keys, mapped)
    return out if id_name in keys else None


def _json_rows(text: str) -> pd.DataFrame:
    """The rows of JSON Lines ``text`` read a line at a time: a line that is no JSON object
    is a row of no column, its reason in ``attrs["bad"]`` (row -> reason)."""
    rows, bad = [], {}
    for line in (line for line in text.split("\n") if line.strip()):
        try:
            row = json.loads(line)
        except ValueError as err:
            row = err
        if not isinstance(row, dict):
            bad[len(rows)] = f"not a JSON object ({row})" if isinstance(row, Exception) \
                else "not a JSON object"
            row = {}
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs["bad"] = bad
    return frame
