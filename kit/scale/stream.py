"""``kit extract`` of an archive: the workers read, extract and write; the driver plans.

The driver lists the archive's *pieces* without reading an article: batches of
article files, each row group of a Parquet table (a large one copied first into
smaller ones, ``LARGE_ROW_GROUP``), runs of ``partition_size`` rows
of a JSON Lines or CSV table (found by scanning its bytes, a block at a time).  A
batch of files is cut where a path's hash says (about ``partition_size`` files
each), so a file added or removed changes one batch, not every batch after it.
Each piece has a fingerprint: the names, sizes and modification times of what it
reads (and of the sources.csv beside its files), or for a run of a table's rows a
digest of its bytes, so rows added at the end of a table leave the pieces before
them unchanged.

A worker reads its piece, extracts it and writes its rows into the datasets
(``kit.output.datasets``: month-partitioned Parquet) itself; only counts and the
names of what was skipped come back, so the driver's memory does not grow with
the archive's size.  Pieces are streamed, at most two per worker in flight.

**Incremental.**  ``DIR/kit-extract.json`` records each piece's fingerprint and
files and the extraction (the kit's version and the knowledge) that made them.
A piece whose fingerprint is unchanged is not read at all.  A changed piece is
read, and its articles whose content hash (text and outlet) its previous rows
hold are taken from those rows (with their new id, path and metadata); only the
others are extracted.  A piece that is gone has its rows removed.  Another kit
or knowledge, or ``full``, extracts everything.

**Merged files.**  A month of a dataset holding more than ``compact.MAX_FILES`` files
(the pieces of an archive not in date order each write to every month) has its smallest
merged (``kit.output.compact``, on the workers, ``_merge_months``); the manifest's
``merged`` keeps each merged file's members.  A run in which a piece changes or goes
first takes the merged files holding its rows apart (``_take_apart``), so a changed
piece reuses its rows as from its own files.  The pieces most likely to change are never
merged: the last piece of a JSON Lines or CSV table and the last batch of files (what is
added goes into them), and a piece that failed (read again next run).  One run at a time
writes into a folder (``LOCK_NAME``).

**Claims** group figures across the whole archive, so they are made last
(``kit.scale.claims``): each piece writes its figures' claims columns bucket by
bucket (by claimant: each claim's figures share one), each bucket is grouped on
its own (on the workers when there are some) and its claims stored
(``kit-store/claims-bN-*.arrow``) with their place in the bucket's order.
Stored claims are named by their *group* (claimant, status, measure, noun
family) and *part* (the figures of a group that rounding can make one claim:
``kit.claims.grouping.part_claims``), each by a hash of its figures; a later
run does not group a bucket whose inputs are unchanged, and in the others makes
only the claims of the groups and parts whose figures changed.  Another kit,
knowledge or grouping code makes every claim again.  The driver numbers the
claims from the buckets' blocks of claimants (one claimant's claims are all in
one bucket and next to each other in the claims' order), and the workers write
the claims dataset a few months at a time, so the driver never holds every
claim.

A run's files are written under a temporary folder and moved into place once
every piece is done, with the manifest last: a run that fails leaves the
previous datasets as they were.  The workers are stopped once the claims are
written, while the driver moves the files into place.  ``StreamRun.timings`` holds each phase's time
(``kit extract --verbose``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kit import schema
from kit.scale.claims import (CLAIM_BUCKETS, claims_version, input_bucket, make_claims,
                              numbering, write_claims_input, write_numbered, write_together)
from kit.scale.store import ARTICLE_COLUMNS

MANIFEST = "kit-extract.json"
TOOL = "kit extract"
#: Changed or vanished pieces whose rows every changed piece may reuse (more: only its own).
MAX_SHARED = 8
#: A cluster is started for the claims alone past this many figures a bucket.
BUCKET_FIGURES = 400_000
_FRAMES = ("articles", "sentences", "figures")


@dataclass(frozen=True)
class Piece:
    """A part of the archive one worker reads whole."""

    key: str  # stable name of the piece: its source and place in it
    kind: str  # files | parquet | lines
    fingerprint: str  # changes when what the piece reads changes
    source: str = ""  # the table as given (parquet, table)
    file: str = ""  # the Parquet file (parquet)
    row_group: int = -1
    first_row: int = 0  # the row number of the piece's first row in its table
    paths: tuple[str, ...] = ()  # article files (files)
    ids: tuple[str, ...] = ()  # their ids (files)
    layout: bytes = b""  # the table's schema and partitioning (parquet: ``parquet_layout``)
    #: a CSV's header and the piece's bytes (lines: ``kit.load.tables.text_pieces``)
    byte_range: tuple[int, int, int, int] = (0, 0, 0, 0)
    #: the ids of its rows whose id the table repeats (row -> id unique over the table:
    #: ``kit.load.tables.table_renames``)
    renames: tuple[tuple[int, str], ...] = ()
    #: the last piece of a JSON Lines or CSV table or of a listing of files: rows or files
    #: added go into it, so its files are not merged with others (``kit.output.compact``)
    last: bool = False


@dataclass
class StreamRun:
    """What a streamed run did."""

    extracted: int = 0  # articles extracted
    reused: int = 0  # articles whose rows were kept from an earlier run
    unchanged_pieces: int = 0  # pieces not read at all
    articles: int = 0
    figures: int = 0
    claims: int = 0
    skipped: list[dict] = field(default_factory=list)  # files or rows not read, with reasons
    problems: list[dict] = field(default_factory=list)  # sources.csv rows ignored, page notes
    failed: list[dict] = field(default_factory=list)  # articles or pieces lost
    stale: list[dict] = field(default_factory=list)  # corrections not applied, with reasons
    reset: str | None = None
    workers: int = 1
    written: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds a phase, in order
    worker_peaks: list[int] = field(default_factory=list)  # each worker's peak RSS, bytes

    @contextlib.contextmanager
    def phase(self, name: str):
        """Time the block as the phase ``name`` (added to the phase's earlier time)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def timing_line(self) -> str:
        """The phases' times and the peak memory of this process and of each worker, for
        stderr (``kit extract --verbose``)."""
        own = _peak_memory()
        workers = "".join(f", worker {peak / 2**20:,.0f} MB" for peak in self.worker_peaks)
        return ("time: " + ", ".join(f"{name} {seconds:.1f} s"
                                     for name, seconds in self.timings.items())
                + f"; peak memory: this process {own / 2**20:,.0f} MB{workers}")

    def summary(self) -> str:
        """One line for stderr: what was extracted, reused and skipped."""
        from kit.scale.run import summary

        return summary(self.extracted, self.workers, self.reused, self.reset, len(self.failed))


# --------------------------------------------------------------------------- planning

def _stat(path: Path) -> str:
    st = path.stat()
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()[:20]


#: A Parquet row group of more rows than this (pandas and pyarrow write up to 1,048,576
#: rows a row group) is copied into row groups of ``SPLIT_ROWS`` rows before the run: a
#: worker reads a row group whole.
LARGE_ROW_GROUP = 20_000
SPLIT_ROWS = 5_000
#: Where those copies are kept (beside the store: the next run reads them again).
SPLIT = "kit-store/row-groups"


def plan(paths, columns: dict | None = None, partition_size: int = 500,
         split_into: Path | None = None) -> tuple[list[Piece], list[dict]]:
    """The pieces of an archive (in the order ``kit.load_corpus`` reads its articles)
    and the files skipped while listing it.  ``split_into``: a folder where a Parquet
    row group of more than ``LARGE_ROW_GROUP`` rows is copied in smaller ones (once per
    version of its file), each a piece; without it, a row group is a piece whatever its
    size."""
    from kit.load import SOURCES_NAME
    from kit.load.files import article_files, article_ids, as_paths
    from kit.load.tables import is_table, table_renames

    given = as_paths(paths)
    tables = [p for p in given if is_table(p)]
    files, skipped = ([], []) if len(tables) == len(given) else \
        article_files([p for p in given if p not in tables], True)
    files = sorted(files, key=str)
    ids = article_ids([str(p) for p in files])
    pieces: list[Piece] = []
    batch: list[int] = []

    def close() -> None:
        if not batch:
            return
        chosen = [files[k] for k in batch]
        folders = sorted({p.parent for p in chosen})
        extra = [_stat(f / SOURCES_NAME) for f in folders if (f / SOURCES_NAME).is_file()]
        pieces.append(Piece(key="f" + _digest(str(chosen[0])), kind="files",
                            fingerprint=_digest(*(_stat(p) for p in chosen), *extra),
                            paths=tuple(map(str, chosen)), ids=tuple(ids[k] for k in batch)))
        batch.clear()

    for k, path in enumerate(files):
        # a batch ends where a path's hash says (or at twice the size): a file added or
        # removed moves no other batch's boundary
        cut = int(hashlib.sha1(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:8],
                  16) % max(1, partition_size) == 0
        if batch and (cut or len(batch) >= 2 * partition_size):
            close()
        batch.append(k)
    close()
    if pieces:  # files added that sort last go into the last batch: it changes the most
        pieces[-1] = dataclasses.replace(pieces[-1], last=True)
    for table in tables:
        found = _parquet_pieces(table, columns, split_into) \
            if table.is_dir() or table.suffix.lower() == ".parquet" else \
            _line_pieces(table, columns, partition_size)
        found = _renamed(found, table_renames(table, columns))
        if columns:  # another mapping of the table's columns reads every piece again
            mapping = json.dumps(columns, sort_keys=True)
            found = [dataclasses.replace(p, fingerprint=_digest(p.fingerprint, mapping))
                     for p in found]
        pieces += found
    return pieces, skipped


def _parquet_pieces(table: Path, columns: dict | None, split_into: Path | None
                    ) -> list[Piece]:
    """A Parquet table's pieces: each row group, a large one's copy in row groups of
    ``SPLIT_ROWS`` (made once per version of its file) when ``split_into`` is given."""
    from kit.load.tables import check_mapped, layout_names, parquet_layout, split_row_group

    layout, groups = parquet_layout(table)  # (learnt once, not by each piece)
    check_mapped(table, layout_names(layout), columns)
    pieces = []
    for file, group, first, rows in groups:
        version = _digest(_stat(Path(file)))
        if split_into is None or rows <= LARGE_ROW_GROUP:
            pieces.append(Piece(key="p" + _digest(str(table), file, str(group)),
                                kind="parquet", fingerprint=version, source=str(table),
                                file=file, row_group=group, first_row=first, layout=layout))
            continue
        copy = Path(split_into) / f"{_digest(str(table), file, str(group), version)}.parquet"
        copy_layout, parts = split_row_group(table, file, group, layout, copy, SPLIT_ROWS)
        for _, part, offset, _ in parts:
            pieces.append(Piece(key="p" + _digest(str(table), file, str(group), str(part)),
                                kind="parquet", fingerprint=_digest(version, str(part)),
                                source=str(table), file=str(copy), row_group=part,
                                first_row=first + offset, layout=copy_layout))
    return pieces


def _line_pieces(table: Path, columns: dict | None, partition_size: int) -> list[Piece]:
    """A JSON Lines or CSV table's pieces of ``partition_size`` rows, found by scanning its
    bytes: a piece is named by its first row and known by its bytes, so rows added at the
    end leave the pieces before them unchanged."""
    from kit.load.tables import text_pieces

    head, found = text_pieces(table, partition_size, columns)
    return [Piece(key="t" + _digest(str(table), str(first)), kind="lines", fingerprint=digest,
                  source=str(table), first_row=first, byte_range=(*head, start, end),
                  last=k == len(found) - 1)
            for k, (start, end, first, _rows, digest) in enumerate(found)]


def _renamed(pieces: list[Piece], renames: dict[int, str]) -> list[Piece]:
    """The pieces of one table (in row order), each with the ids of its rows that the
    table repeats, made unique over the table (its fingerprint with them: a piece is read
    again when another piece's rows change its ids)."""
    if not renames:
        return pieces
    import bisect

    rows = sorted(renames)
    out = []
    for k, piece in enumerate(pieces):
        end = pieces[k + 1].first_row if k + 1 < len(pieces) else float("inf")
        mine = tuple((r, renames[r]) for r in
                     rows[bisect.bisect_left(rows, piece.first_row):bisect.bisect_left(rows, end)])
        out.append(dataclasses.replace(piece, renames=mine, fingerprint=_digest(
            piece.fingerprint, *(f"{r}={i}" for r, i in mine))) if mine else piece)
    return out


# --------------------------------------------------------------------------- a worker's piece

def _read(piece: Piece, columns, max_bytes: int, outlets) -> tuple[pd.DataFrame, list, list]:
    """The articles frame of a piece, the rows skipped and the sources.csv problems."""
    from kit.load import read_files, table_ids, unique
    from kit.load import FIELDS as ARTICLE_FIELDS
    from kit.load.tables import read_row_group, read_text_piece, rows_of
    from kit.schema import from_columns

    problems: list[dict] = []
    if piece.kind == "files":
        rows, skipped, problems = read_files([Path(p) for p in piece.paths], max_bytes, outlets)
        problems += [{"path": r["path"], "note": r["note"]} for r in rows if r.get("note")]
        by_path = dict(zip(piece.paths, piece.ids))
        ids = [by_path[r["path"]] for r in rows]
    else:
        head_start, head_end, start, end = piece.byte_range
        frame = read_row_group(Path(piece.source), piece.file, piece.row_group,
                               piece.layout or None) if piece.kind == "parquet" else \
            read_text_piece(Path(piece.source), (head_start, head_end), start, end, columns)
        rows, skipped = rows_of(frame, Path(piece.source), piece.first_row, columns, outlets)
        bad = frame.attrs.get("bad", {})  # (lines of a JSON Lines piece that are no JSON)
        for s in skipped:
            s["reason"] = bad.get(int(s["path"].rsplit("#", 1)[1]) - 1 - piece.first_row,
                                  s["reason"])
        renames = dict(piece.renames)  # (the ids the table repeats, unique over it)
        ids = unique([renames.get(int(r["path"].rsplit("#", 1)[1]) - 1, i)
                      for r, i in zip(rows, table_ids(rows))])
    data: dict[str, list] = {"article_id": ids}
    for key in ARTICLE_FIELDS:
        data[key] = [r[key] for r in rows]
    return from_columns(data, "articles"), skipped, problems


def _reuse(articles: pd.DataFrame, hashes: list[str], old_files: dict[str, list[str]],
           root: Path) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """The rows of this piece's articles an earlier run already made (by content hash),
    with each article's current id and metadata; and the hashes found."""
    from kit.scale.store import as_current

    def read(kind: str) -> pd.DataFrame:
        found = [pd.read_parquet(root / f) for f in old_files.get(kind, []) if (root / f).exists()]
        return pd.concat(found, ignore_index=True) if found else pd.DataFrame()

    old_hashes = read("hashes")
    if not len(old_hashes):
        return {}, set()
    now = pd.DataFrame({"content_hash": hashes})
    for column in ARTICLE_COLUMNS:
        now[column] = articles[column].to_numpy()
    # one earlier article per content (the same text may have been in two files)
    old_hashes = old_hashes.drop_duplicates("content_hash")
    old_id = dict(zip(old_hashes["article_id"], old_hashes["content_hash"]))
    have = set(old_hashes["content_hash"]) & set(hashes)
    out = {}
    for kind in ("sentences", "figures"):
        rows = read(kind)
        if not len(rows):
            continue
        rows = rows.assign(content_hash=rows["article_id"].map(old_id))
        rows = rows[rows["content_hash"].isin(have) & rows["article_id"].isin(old_id)].drop(
            columns=list(ARTICLE_COLUMNS[:1] if kind == "sentences" else ARTICLE_COLUMNS)
            + (["figure_id"] if kind == "figures" else []))
        out[kind] = as_current(rows, now, kind).drop(columns="content_hash")
    return out, have


def run_piece(piece: Piece, lex, stage: str, root: str, old_files: dict[str, list[str]],
              columns=None, max_bytes: int | None = None, remember: bool = True,
              corrections: list | None = None) -> dict:
    """Read, extract and write one piece into ``stage`` (a worker's task); returns what
    it did and the files it wrote (relative to ``stage``).  ``old_files``: the files of
    the piece's previous run, whose rows are reused by content hash; ``remember``: write
    the articles' content hashes for the next run; ``corrections``: the analyst's
    decisions (``kit.review``), applied to the figures of the articles they name."""
    from kit.load.files import max_bytes_limit
    from kit.load.outlets import outlet_index
    from kit.output.datasets import write_piece
    from kit.scale.parallel import run_partition
    from kit.scale.store import content_hashes

    articles, skipped, problems = _read(piece, columns, max_bytes_limit(max_bytes),
                                        outlet_index(*lex.folders))
    result = {"key": piece.key, "fingerprint": piece.fingerprint, "articles": len(articles),
              "extracted": 0, "reused": 0, "figures": 0, "skipped": skipped,
              "problems": problems, "failed": [], "files": {}}
    if not len(articles):
        return result
    hashes = content_hashes(articles)
    reused, have = _reuse(articles, hashes, old_files, Path(root)) if old_files else ({}, set())
    todo = [k for k, h in enumerate(hashes) if h not in have]
    sents, figs, bad = run_partition(articles.iloc[todo], lex) if todo else \
        (schema.empty("sentences"), schema.empty("figures"), [])
    order = {a: k for k, a in enumerate(articles["article_id"])}
    frames = {"articles": articles}
    for kind, fresh in (("sentences", sents), ("figures", figs)):
        parts = [f for f in (reused.get(kind), fresh) if f is not None and len(f)]
        if not parts:
            frames[kind] = schema.empty(kind)
            continue
        both = pd.concat(parts, ignore_index=True)
        both["_order"] = [order[a] for a in both["article_id"]]
        both = both.sort_values(["_order", "start"], kind="stable").drop(columns="_order")
        frames[kind] = schema.conform(both.reset_index(drop=True), kind)
    lost = {b["article_id"] for b in bad}
    reviewed = _review(frames, articles, corrections or [], lex, result)
    # an article with decisions is not remembered: its rows here are the corrected ones,
    # and the next run extracts it again (the decisions may have changed)
    kept = [a not in lost and a not in reviewed for a in articles["article_id"]]
    if remember:
        frames["hashes"] = pd.DataFrame({"article_id": articles["article_id"][kept].astype(str),
                                         "content_hash": [h for h, k in zip(hashes, kept) if k]})
    name = f"{piece.key}-{uuid.uuid4().hex[:8]}"
    files = write_piece(frames, Path(stage), name)
    files["claims_input"] = write_claims_input(frames["figures"], Path(stage), name,
                                                  lex)
    result.update(extracted=len(todo) - len(bad), reused=len(articles) - len(todo),
                  figures=len(frames["figures"]), failed=bad, files=files)
    return result


def _review(frames: dict, articles: pd.DataFrame, corrections: list, lex,
            result: dict) -> set[str]:
    """Apply the decisions about this piece's articles to its figures; note which texts
    they matched and those that could not be applied; returns the reviewed article ids."""
    if not corrections:
        return set()
    from kit.review import apply, text_hash

    texts = {text_hash(t): a for t, a in zip(articles["text"], articles["article_id"])}
    mine = [c for c in corrections if c.content_hash in texts]
    result["reviewed_texts"] = sorted({c.content_hash for c in mine})
    if not mine:
        return set()
    fixed, problems = apply(frames["figures"], articles, mine, lexicon=lex,
                            sentences=frames["sentences"])
    frames["figures"] = schema.conform(fixed.reset_index(drop=True), "figures")
    result["stale"] = [p.as_dict() for p in problems]
    return {texts[c.content_hash] for c in mine}


# --------------------------------------------------------------------------- the driver

#: The layout of the datasets' files and the manifest: a manifest of another layout (an
#: older kit's, which did not merge files, or whose figures lacked
#: ``datasets.RESTATES``) is not reused, nor is this one by an older kit.
LAYOUT = 3


def extraction_stamp(lex) -> dict:
    from kit.scale.store import extraction_version

    return {"kit": extraction_version(), "knowledge": lex.fingerprint, "layout": LAYOUT}


def _manifest(out: Path) -> dict:
    path = out / MANIFEST
    if not path.exists():
        return {"tool": TOOL, "datasets": [], "pieces": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        from kit.output.datasets import DatasetError

        raise DatasetError(f"{path} is not a kit extract manifest ({err}); refusing to write "
                           "into this folder") from None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        from kit.output.datasets import DatasetError

        raise DatasetError(f"{path} is not a kit extract manifest; refusing to write here")
    data.setdefault("pieces", {})
    return data


#: The lock file that keeps two runs from writing into one folder at once.
LOCK_NAME = ".kit-extract.lock"


def extract_archive(paths, out: Path, lex, *, wait: float = 120.0, **options) -> StreamRun:
    """Stream the archive at ``paths`` into the datasets of ``out`` (see the module doc;
    the ``options`` of ``_extract``).  One run at a time writes into ``out``: a run waits
    up to ``wait`` seconds for another to end (DatasetError naming the lock after that)."""
    from filelock import FileLock, Timeout

    from kit.output.datasets import DatasetError

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DatasetError(f"--out {out}: exists and is not a folder")
    made = [f for f in (out, *out.parents) if not f.exists()]  # the folders this run makes
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out / LOCK_NAME))
    deadline = time.monotonic() + wait
    while True:
        try:
            lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
            break
        except FileNotFoundError:  # the run it waited for failed and took its new folder
            if time.monotonic() > deadline:
                raise
            out.mkdir(parents=True, exist_ok=True)
        except Timeout:
            raise DatasetError(f"another kit extract is writing into {out} (lock "
                               f"{out / LOCK_NAME}); gave up after {wait:g} s (--wait)") from None
    try:
        return _extract(paths, out, lex, **options)
    except BaseException:
        if made:  # a refused or failed first run leaves no folder behind (only empty ones go)
            with contextlib.suppress(OSError):  # (a run waiting makes the folder again)
                Path(lock.lock_file).unlink()
                for folder in made:
                    folder.rmdir()
        raise
    finally:
        lock.release()


def _extract(paths, out: Path, lex, *, jobs: int = 1, scheduler: str | None = None,
             client=None, full: bool = False, store: bool = True,
             partition_size: int | None = None, columns: dict | None = None,
             max_bytes: int | None = None, progress: bool | None = None,
             corrections: Path | None = None) -> StreamRun:
    """``extract_archive`` once the lock is held: ``store``: False extracts everything
    and remembers no piece; ``corrections``: the analyst's decisions (default:
    corrections.csv beside the corpus, when there is one), applied to the figures (a
    change of them reads every piece again, extracting again only the articles they
    name)."""
    from kit.output.datasets import check_out
    from kit.scale.parallel import PARTITION_SIZE

    size = PARTITION_SIZE if partition_size is None else int(partition_size)
    if size < 1:
        raise ValueError(f"--partition-size: {partition_size} must be 1 or more articles")
    check_out(out)  # (it removes what a killed run left: with the lock held, never ours)
    manifest = _manifest(out)
    stamp = extraction_stamp(lex)
    run = StreamRun()
    if full or not store:
        run.reset = "--full" if full else None
    elif manifest.get("pieces") and manifest.get("version") != stamp:
        old = manifest.get("version") or {}
        run.reset = ("the knowledge files changed" if old.get("knowledge") != stamp["knowledge"]
                     and {k: v for k, v in old.items() if k != "knowledge"} ==
                     {k: v for k, v in stamp.items() if k != "knowledge"}
                     else "the kit's extraction changed")
    # (a copy: the records of pieces taken out of merged files are replaced, and the
    # manifest as it was names the files to remove once the run is done)
    previous = {} if (run.reset or not store) else dict(manifest.get("pieces", {}))
    with run.phase("planning"):
        pieces, listing_skipped = plan(paths, columns, size, split_into=out / SPLIT)
        decisions, decided = _decisions(paths, corrections)
    if decided:  # a piece is unchanged only under the same decisions
        pieces = [dataclasses.replace(p, fingerprint=_digest(p.fingerprint, decided))
                  for p in pieces]
    run.skipped += listing_skipped
    todo, kept = [], {}
    present = _Present(out)
    for piece in pieces:
        before = previous.get(piece.key)
        if before and before.get("fingerprint") == piece.fingerprint and \
                all(present(f) for fs in before["files"].values() for f in fs):
            kept[piece.key] = before  # not read at all; what it skipped is said again
            run.skipped += before.get("skipped", [])
            run.problems += before.get("problems", [])
            run.reused += before.get("articles_kept", 0)
            run.articles += before.get("articles_kept", 0)
            run.figures += before.get("figures", 0)
            run.unchanged_pieces += 1
        else:
            todo.append(piece)
    # (absolute: the pieces name their files in it by full path, whatever the cwd)
    stage = Path(tempfile.mkdtemp(prefix=".kit-tmp-run-", dir=out)).absolute()
    results: dict[str, dict] = {}
    try:
        # rows a changed piece may reuse: its own previous ones, and those of the pieces
        # that changed or went (an article renamed or moved between batches, or a batch
        # cut anew), when there are few of them (each worker reads them all)
        planned = {p.key for p in pieces}
        moved = [k for k in previous if k not in planned or k in {p.key for p in todo}]
        shared = moved if len(moved) <= MAX_SHARED else []

        def work(piece: Piece) -> tuple:
            old: dict[str, list[str]] = {}
            for key in dict.fromkeys([piece.key, *shared]):
                # (its rows taken out of a merged file are in the stage: a full path)
                files = {kind: [str(stage / f) if (stage / f).exists() else f for f in fs]
                         for kind, fs in previous.get(key, {}).get("files", {}).items()}
                if not all((out / f).exists() for fs in files.values() for f in fs):
                    continue  # a file is gone (removed by hand): its articles extracted again
                for kind, fs in files.items():
                    old.setdefault(kind, []).extend(fs)
            return (piece, lex, str(stage), str(out), old, columns, max_bytes, store,
                    decisions)

        # a cluster when there is work for more than one worker: pieces to extract, or
        # the claims of a large archive to make afresh, or again in the buckets a change
        # touches (articles added, changed or removed: a day's touch most buckets); not
        # for a small one, nor when nothing changed (starting and stopping the workers
        # costs a second or two)
        stored_claims = store and manifest.get("claims", {}).get("version") == \
            dict(stamp, claims=claims_version())
        busy = len(todo) > 1 or (run.figures > 4 * BUCKET_FIGURES // CLAIM_BUCKETS
                                 and (bool(todo or moved) or not stored_claims))
        stopping: list[threading.Thread] = []
        with contextlib.ExitStack() as stack:
            with run.phase("cluster start"):
                on = stack.enter_context(_cluster(client, jobs, scheduler, busy))

            def release() -> None:
                """The cluster's work is done: stop it while this process moves the
                files into place."""
                if on is not None:
                    run.worker_peaks = sorted(on.run(_peak_memory).values())
                stopping.append(threading.Thread(target=stack.close, daemon=True))
                stopping[0].start()

            try:
                with run.phase("merging"):  # merged files holding a changed piece's rows
                    merged = _take_apart(manifest.get("merged", {}) if previous else {},
                                         previous, kept, {p.key for p in todo}, planned,
                                         set(shared), out, stage, on)
                with run.phase("pieces"):
                    if on is not None:
                        run.workers = _workers(on)
                        results = _stream(on, todo, work, progress)
                    else:
                        for piece in todo:
                            results[piece.key] = _safe(piece, *work(piece)[1:])
                _tally(run, todo, results, previous, kept, out, stage)
                run.stale = _stale(decisions, kept, results)
                with run.phase("merging"):  # (not the pieces read again next run)
                    fixed = {p.key for p in pieces if p.last} | \
                        {k for k, r in kept.items() if not r.get("fingerprint")}
                    merged = _merge_months(kept, merged, fixed, out, stage, on)
                new_manifest = {"tool": TOOL, "datasets": ["articles", "sentences", "figures",
                                                           "claims"],
                                "version": stamp, "pieces": kept if store else {},
                                "merged": merged if store else {}}
                run.claims = _commit(out, stage, manifest, new_manifest, kept, lex, on, store,
                                     run, release)
                # the copies of large row groups this run's pieces read stay for the next
                # (and what a run killed while copying left)
                used = {Path(p.file).name for p in pieces if store}
                for copy in [*(out / SPLIT).glob("*.parquet"), *(out / SPLIT).glob(".*.tmp")]:
                    if copy.name not in used:
                        copy.unlink(missing_ok=True)
            finally:
                with run.phase("cluster stop"):  # what is left of it
                    for thread in stopping:
                        thread.join()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    problems = {(p["path"], p.get("line"), p.get("reason"), p.get("note")): p
                for p in run.problems}
    run.problems = list(problems.values())
    run.written = [out / name for name in ("articles", "sentences", "figures", "claims")]
    return run


@contextlib.contextmanager
def _cluster(client, jobs: int, scheduler: str | None, busy: bool):
    """The client to run on: the one given, a cluster at ``scheduler`` or of ``jobs``
    local workers when there is work for several, else None (this process)."""
    from kit.scale.cluster import client_for

    if client is not None:
        yield client
    elif scheduler or (jobs > 1 and busy):
        # not Dask's default client: the run stops it from another thread (see release)
        with client_for(jobs, scheduler, as_default=False) as own:
            yield own
    else:
        yield None


def _tally(run: StreamRun, todo: list[Piece], results: dict[str, dict], previous: dict,
           kept: dict, out: Path, stage: Path) -> None:
    """Count what the pieces did and keep each done piece's record for the manifest."""
    for piece in todo:
        r = results[piece.key]
        run.skipped += r["skipped"]
        run.problems += r["problems"]
        run.failed += [dict(f, piece=piece.key) for f in r["failed"]]
        run.extracted += r["extracted"]
        run.reused += r["reused"]
        kept_articles = r["articles"] - len(r["failed"])
        run.articles += kept_articles
        run.figures += r["figures"]
        if r.get("lost"):
            continue  # a lost piece keeps its old rows, if any, and is read again next run
        kept[piece.key] = {"fingerprint": piece.fingerprint if not r["failed"] else "",
                           "files": r["files"], "articles_kept": kept_articles,
                           "figures": r["figures"], "skipped": r["skipped"],
                           "problems": r["problems"], "stale": r.get("stale", []),
                           "reviewed_texts": r.get("reviewed_texts", [])}
    for piece in todo:  # a lost piece: its previous rows stay (those still there)
        if results[piece.key].get("lost") and piece.key in previous:
            record = previous[piece.key]
            kept[piece.key] = dict(record, fingerprint="", files={
                kind: [f for f in fs if (out / f).exists() or (stage / f).exists()]
                for kind, fs in record["files"].items()})


# --------------------------------------------------------------------------- merged files

def _calls(client, fn, calls: list[tuple]) -> list:
    """``fn(*args)`` for each of ``calls``, on the cluster when there is one."""
    if client is None:
        return [fn(*args) for args in calls]
    futures = [client.submit(fn, *args, pure=False) for args in calls]
    return [fut.result() for fut in futures]


def _renamed_files(records: dict, moved: dict[str, str], keys) -> None:
    """The records of the pieces ``keys`` with each of their files in ``moved`` renamed
    (a new record: the old ones are the manifest's as it was)."""
    for key in keys:
        if key in records:
            files = {kind: list(dict.fromkeys(moved.get(f, f) for f in fs))
                     for kind, fs in records[key]["files"].items()}
            records[key] = dict(records[key], files=files)


def _take_apart(merged: dict, previous: dict, kept: dict, changed: set[str],
                planned: set[str], shared: set[str], out: Path, stage: Path, client) -> dict:
    """The merged files (``kit.output.compact``) holding rows of pieces that changed or
    went, taken apart before the pieces run: the rows of a changed piece and of a gone
    one whose rows the changed ones may reuse (``shared``) each into a file of their own,
    the unchanged pieces' rows into one file, the others dropped; ``previous`` and
    ``kept`` name the new files.  Returns the merged files after that, with their
    members."""
    from kit.output.compact import split

    keep: dict[str, list] = {}
    jobs = []
    for rel, members in merged.items():
        if not any(k in changed or k not in planned for k, _ in members):
            keep[rel] = members
        elif (out / rel).exists():  # (else its pieces lack a file: they were read again)
            jobs.append((rel, (str(out / rel), members, str(stage),
                               {k for k, _ in members if k in changed or k in shared},
                               {k for k, _ in members if k in kept})))
    for (rel, _), (together, rest, own) in zip(jobs, _calls(client, split,
                                                            [a for _, a in jobs])):
        if together is not None:
            keep[together] = rest
            _renamed_files(kept, {rel: together}, [k for k, _ in rest])
            _renamed_files(previous, {rel: together}, [k for k, _ in rest])
        for key, own_file in own.items():
            _renamed_files(previous, {rel: own_file}, [key])
    return keep


def _merge_months(kept: dict, merged: dict, fixed: set[str], out: Path, stage: Path,
                  client) -> dict:
    """Merge the small files of each month of the datasets that holds too many
    (``kit.output.compact.merge_plan``; the files of the pieces ``fixed``, read again
    next run, are never merged): the merged files are written in ``stage`` and ``kept``
    names them.  Returns every merged file with its members."""
    from kit.output import compact

    months: dict[str, dict[str, str | None]] = {}  # folder -> file -> its piece (None: merged)
    for key, record in kept.items():
        for kind in _FRAMES:
            for f in record["files"].get(kind, []):
                months.setdefault(f.rsplit("/", 1)[0], {})[f] = None if f in merged else key
    jobs = []
    for folder, files in months.items():
        members = {f: len(merged[f]) if key is None else 1 for f, key in files.items()}
        if sum(n < compact.MAX_MEMBERS and files[f] not in fixed
               for f, n in members.items()) <= compact.MAX_FILES:
            continue  # (no file's size is asked)
        where = {f: stage / f if (stage / f).exists() else out / f for f in files}
        shapes = {f: (where[f].stat().st_size, members[f]) for f in files if where[f].exists()}
        for group in compact.merge_plan(shapes, {f for f in files if files[f] in fixed}):
            jobs.append((group, ([(str(where[f]), merged[f] if files[f] is None else files[f])
                                  for f in group], str(stage), folder)))
    merged = dict(merged)
    for group, (rel, members) in zip((g for g, _ in jobs),
                                     _calls(client, compact.merge, [a for _, a in jobs])):
        for f in group:
            merged.pop(f, None)
        merged[rel] = members
        _renamed_files(kept, dict.fromkeys(group, rel), dict.fromkeys(k for k, _ in members))
    return merged


def _peak_memory() -> int:
    """This process's peak resident memory in bytes (a worker's, run by ``Client.run``)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _workers(client) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def _safe(piece: Piece, *args) -> dict:
    """``run_piece``, with a piece that fails (unreadable, or any error) reported, not
    raised: the run goes on without it."""
    try:
        return run_piece(piece, *args)
    except Exception as err:  # noqa: BLE001 - a piece that fails is named, the run goes on
        return _lost(piece, err)


def _lost(piece: Piece, err: BaseException) -> dict:
    where = piece.source or (piece.paths[0] if piece.paths else piece.key)
    return {"key": piece.key, "articles": 0, "extracted": 0, "reused": 0, "figures": 0,
            "skipped": [], "problems": [], "files": {}, "lost": True,
            "failed": [{"path": where, "error": f"{type(err).__name__}: {err}"}]}


def _stream(client, todo: list[Piece], work, progress: bool | None) -> dict[str, dict]:
    """Run the pieces on the cluster, at most two per worker in flight."""
    from distributed import wait

    from kit.scale.parallel import _bar

    window = 2 * _workers(client)
    pending: dict[object, Piece] = {}
    results: dict[str, dict] = {}
    started, articles = time.perf_counter(), 0
    # the run's own client is not Dask's default one: distributed.wait looks for it here
    with client.as_current(), _bar(len(todo), progress) as bar:
        def collect() -> None:
            nonlocal articles
            for fut in wait(list(pending), return_when="FIRST_COMPLETED").done:
                piece = pending.pop(fut)
                try:
                    results[piece.key] = fut.result()
                except Exception as err:  # noqa: BLE001 - a lost piece is named, not fatal
                    results[piece.key] = _lost(piece, err)
                fut.release()
                articles += results[piece.key]["articles"]
                bar.update(1)
                bar.set_postfix_str(f"{articles / max(time.perf_counter() - started, 1e-9):,.0f}"
                                    " articles/s")

        for piece in todo:
            pending[client.submit(_safe, *work(piece), key=f"kit-piece-{piece.key}-{id(pending)}",
                                  pure=False, retries=0)] = piece
            if len(pending) >= window:
                collect()
        while pending:
            collect()
    return results


def _commit(out: Path, stage: Path, old: dict, new: dict, kept: dict, lex, client,
            store: bool, run: StreamRun, release=lambda: None) -> int:
    """Make the claims (``release()`` once the cluster is no longer needed), move the
    staged files into place, write the claims and the manifest, then remove what no piece
    keeps; returns the number of claims.  Until the
    files move, a failure leaves the datasets as they were; after, the next run removes
    any file its manifest does not name."""
    def where(f: str) -> Path:
        return stage / f if (stage / f).exists() else out / f

    buckets: dict[int, list[str]] = {}
    for piece in kept.values():
        for f in piece["files"].get("claims_input", []):
            buckets.setdefault(input_bucket(f), []).append(f)
    version = dict(new["version"], claims=claims_version())
    before = old.get("claims", {}) if store else {}
    cached = before.get("buckets", {}) if before.get("version") == version else {}
    with run.phase("claims: grouping"):
        made = make_claims(buckets, where,
                           {int(b): r for b, r in cached.items()
                            if "files" in r and all((out / f["file"]).exists()
                                                    for f in r["files"])},
                           out, stage, lex, client, merge=store)
    # numbered here, written a run of months a task (by the workers, when there are)
    with run.phase("claims: numbering"):
        files = [(b, f["file"]) for b, r in made.items() for f in r["files"]]
        paths = [where(f) for _, f in files]
        plan = numbering(paths, [b for b, _ in files])
    with run.phase("claims: writing"):
        claims = stage / "claims"
        n_claims = write_numbered(plan, claims, client) if plan is not None else \
            write_together(paths, claims)
        release()
    new["claims"] = {"version": version,
                     "buckets": {str(b): r for b, r in sorted(made.items())} if store else {}}
    with run.phase("commit"):
        _move(out, stage, old, new, kept, claims, store)
    return n_claims


def _move(out: Path, stage: Path, old: dict, new: dict, kept: dict, claims: Path,
          store: bool) -> None:
    """Move the staged files and the claims dataset (written in full in ``claims``) into
    place, write the manifest, then remove what no piece keeps."""
    from kit.output.atomic import atomic_write
    from kit.output.datasets import replace_dataset

    cache = _stored_files(new)
    # (each file once: the pieces of a million articles name the merged files of each
    # month hundreds of thousands of times)
    _into_place(list(dict.fromkeys(
        f for piece in kept.values() for kind, files in piece["files"].items()
        # (unless remembered, these stay in the stage, removed after)
        if store or kind not in ("hashes", "claims_input") for f in files)), stage, out)
    _into_place(cache, stage, out)
    for name in _FRAMES:
        (out / name).mkdir(exist_ok=True)  # a dataset with no row is an empty folder
    replace_dataset(out, "claims", claims)
    # (compact: written by json's C encoder, four times faster than indented at a
    # million articles)
    atomic_write(out / MANIFEST, json.dumps(new, separators=(",", ":")) + "\n")
    keep = {f for p in kept.values() for fs in p["files"].values() for f in fs}
    old_files = [f for piece in old.get("pieces", {}).values()
                 for files in piece.get("files", {}).values() for f in files]
    old_files += _stored_files(old)
    keep.update(cache)
    for f in old_files:
        if f not in keep:
            (out / f).unlink(missing_ok=True)
    _legacy(out, keep)


def _stored_files(manifest: dict) -> list[str]:
    """The files of the claims a manifest's buckets stored (one ``file`` a bucket before
    they were stored a few groups a file) and of their merged inputs."""
    buckets = manifest.get("claims", {}).get("buckets", {}).values()
    return [f["file"] if isinstance(f, dict) else f
            for r in buckets for f in r.get("files", [r["file"]] if "file" in r else [])] + \
        [r["merged"]["file"] for r in buckets if "merged" in r]


class _Present:
    """Whether a file (a name relative to ``folder``) exists, each name looked up once
    (the pieces of an archive name the same merged files again and again)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.found = str(folder), {}

    def __call__(self, name: str) -> bool:
        found = self.found.get(name)
        if found is None:
            found = self.found[name] = os.path.exists(os.path.join(self.folder, name))
        return found


def _into_place(files: list[str], stage: Path, out: Path) -> None:
    """Move the staged ``files`` (relative names) to the same names under ``out``."""
    for f in files:
        if os.path.exists(os.path.join(stage, f)):
            (out / f).parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / f, out / f)


#: The files of the store a run writes (a piece's, a bucket's claims and merged inputs).
_STORED = re.compile(r"(?:[fpt][0-9a-f]{20}-[0-9a-f]{8}\.(?:c\d+|hashes)"
                     r"|inputs-b\d+-[0-9a-f]{8})\.parquet"
                     r"|claims-b\d+-[0-9a-f]{8}-\d+\.(?:arrow|parquet)")  # (.parquet: an earlier kit)


def _legacy(out: Path, keep: set[str]) -> None:
    """Remove what no piece keeps: the files of the kit's earlier whole-corpus writer
    (``part-0.parquet``, a ``kit-store`` of per-run parts), the store's files the manifest
    does not name (a run stopped between moving its files and writing the manifest) and
    empty folders."""
    from kit.output.datasets import STORE

    old_store = out / STORE / "manifest.json"
    if old_store.is_file():
        for path in (out / STORE).glob("part-*.parquet"):
            path.unlink(missing_ok=True)
        old_store.unlink(missing_ok=True)
    if (out / STORE).is_dir():
        for path in (out / STORE).iterdir():
            if _STORED.fullmatch(path.name) and f"{STORE}/{path.name}" not in keep:
                path.unlink(missing_ok=True)
    for name in _FRAMES:
        folder = out / name
        if not folder.is_dir():
            continue
        for path in folder.glob("month=*/*.parquet"):
            if str(path.relative_to(out)) not in keep:
                path.unlink(missing_ok=True)
        for sub in folder.glob("month=*"):
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()


def _decisions(paths, given: Path | None) -> tuple[list, str]:
    """The analyst's latest decisions for the corpus at ``paths`` and a digest of them
    ("" when there are none)."""
    from kit.load.files import as_paths
    from kit.review.apply import latest
    from kit.review.corrections import default_path, read

    path = Path(given) if given is not None else default_path(as_paths(paths))
    if path is None or not path.is_file():
        return [], ""
    return latest(read(path)), hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _stale(decisions: list, kept: dict, results: dict) -> list[dict]:
    """The decisions not applied: those a piece could not apply (said again while the
    piece is unchanged) and those whose text no article of the corpus has."""
    from kit.review.apply import Problem

    out = [s for p in kept.values() for s in p.get("stale", [])]
    matched = {h for p in kept.values() for h in p.get("reviewed_texts", [])}
    out += [Problem(c, "no article of this corpus has the text reviewed (the article was "
                       "edited or removed, or the decision is about another corpus)").as_dict()
            for c in decisions if c.content_hash not in matched]
    return out


def print_run(run: StreamRun, prog: str) -> None:
    """Name on stderr what was skipped, ignored, lost or not applied."""
    for problem in run.stale:
        print(f"{prog}: warning: {problem['message']}", file=sys.stderr)
    for problem in run.skipped:
        print(f"{prog}: skipped {problem['path']}: {problem['reason']}", file=sys.stderr)
    for problem in run.problems:
        if "note" in problem:  # how a web page was read
            print(f"{prog}: note: {problem['path']}: {problem['note']}", file=sys.stderr)
            continue
        print(f"{prog}: ignored {problem['path']} line {problem['line']}: {problem['reason']}",
              file=sys.stderr)
    for bad in run.failed:
        print(f"{prog}: skipped {bad.get('path') or bad.get('article_id')}: {bad['error']}",
              file=sys.stderr)
