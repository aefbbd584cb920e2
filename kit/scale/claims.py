"""The claims of a streamed archive (``kit.scale.stream``): kept bucket by bucket in the
store, numbered, and written a few months at a time.

Each piece writes its figures' claims columns bucket by bucket (by claimant: each
claim's figures share one), with each figure's noun family and row hash
(``kit.claims.grouping.claim_inputs``); each bucket is grouped on its own
(``bucket_claims``, a worker's task) and its claims stored
(``kit-store/claims-bN-*-K.arrow``, Arrow IPC files: read by mapping them, not copying),
with each claim's place among the bucket's claims (``_rank``, in the order of
``kit.claims.grouping.finish_claim_frame``) and its month (``_month``), sorted by month
and place.
A bucket's groups are named and placed in the claims' order from five columns of its
figures, then made a few at a time (``CHUNK_FIGURES`` figures or more, a file each),
reading only those groups' figures: a worker's memory grows with the chunk and the
bucket's naming columns, not with every column of the bucket.

A bucket's inputs are a file a piece, a thousand small files a bucket at a million
articles: the worker that groups a bucket writes its rows merged
(``kit-store/inputs-bN-*.parquet``, each row with its piece's file), and the next runs
read that file, less the rows of the pieces changed or gone, and the files of the pieces
added since, until more than ``MERGE_AFTER`` files were added or taken out
(``_Inputs``).  The pieces' files stay: a lost merged file costs time, not rows.

The claims' order starts with the claimant as claims show it (lower case), and one
claimant's claims are all in one bucket: so the order of all claims is the order of
the claimants' *blocks*, each block in its bucket's order.  ``numbering`` reads only the
block keys and places of each bucket and gives each block its first number;
``write_numbered`` then writes the claims dataset a run of months a task (at most
``CLAIMS_AT_ONCE`` claims), reading only the rows that hold those months.  The
driver holds the blocks (one a claimant), never all claims; a task holds one run of
months.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Claims are made bucket by bucket (a claim's figures share a claimant, and so a
#: bucket); each piece writes its figures' claims columns bucket by bucket.
CLAIM_BUCKETS = 32
#: The figure columns claims are made from.
CLAIM_COLUMNS = ("figure_id", "article_id", "outlet", "published", "start", "surface", "low",
                 "high", "qualifier", "what", "kind", "status", "measure", "claimant")
#: A stored claim's block: the first two of its sort keys (unattributed?, claimant).
_BLOCK = ("_sort0", "_sort1")


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()[:20]


def bucket_of(claimant: str) -> int:
    """The claims bucket of a claimant (all the ways one claimant is written share it)."""
    from kit.claims.grouping import claimant_key

    return int(hashlib.sha1(claimant_key(claimant).encode("utf-8", "surrogatepass"))
               .hexdigest()[:8], 16) % CLAIM_BUCKETS


def write_claims_input(figs: pd.DataFrame, stage: Path, name: str, lex) -> list[str]:
    """A piece's figures' claims columns, with each figure's noun family and row hash
    (``kit.claims.grouping.claim_inputs``: what names its group and part, computed here
    once), one file a bucket (``kit-store/NAME.cN.parquet``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kit.claims.grouping import claim_inputs
    from kit.output.datasets import STORE

    if not len(figs):
        return []
    keys = [bucket_of(c) for c in figs["claimant"].astype(str)]
    written = []
    table = pa.Table.from_pandas(claim_inputs(figs[list(CLAIM_COLUMNS)], lex),
                                 preserve_index=False)
    for b in sorted(set(keys)):
        rel = f"{STORE}/{name}.c{b}.parquet"
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.filter(pa.array([k == b for k in keys])), stage / rel)
        written.append(rel)
    return written


def input_bucket(path: str) -> int:
    """The bucket of a claims-input file (``write_claims_input``)."""
    return int(path.rsplit(".c", 1)[1].split(".")[0])


def make_claims(inputs: dict[int, list[str]], where, cached: dict[int, dict], out: Path,
                stage: Path, lex, client, merge: bool = True) -> dict[int, dict]:
    """The claims of every bucket (on the cluster when there is one), stored a few groups a
    file (``kit-store/claims-bN-*.arrow``), from each bucket's input files (``inputs``:
    relative names; ``where(name)``: the path of one): a bucket whose input files are
    those of its cached files keeps them; the others are made again, reusing the cached
    claims of every part whose figures did not change.  A bucket's inputs are read from
    its merged file (``_Inputs``) and the pieces' files it does not hold (none is
    written unless ``merge``: nothing is kept for a later run).  Returns each
    bucket's record: its files (relative) with their number of claims, its inputs'
    digest, its number of claims and its merged inputs (file and members)."""
    from kit.output.datasets import STORE

    made: dict[int, dict] = {}
    todo = []
    for b in sorted(inputs):
        digest = _digest(*sorted(inputs[b]))
        if b in cached and cached[b].get("inputs") == digest:
            made[b] = cached[b]  # no figure of the bucket changed
            if "merged" in made[b] and not (out / made[b]["merged"]["file"]).is_file():
                made[b] = {k: v for k, v in made[b].items() if k != "merged"}  # (lost)
            continue
        name = f"{STORE}/claims-b{b}-{uuid.uuid4().hex[:8]}"
        old = [str(out / f["file"]) for f in cached[b]["files"]] if b in cached else []
        given = _Inputs.planned(b, inputs[b], where, (cached.get(b) or {}).get("merged"), out,
                                merge)
        todo.append((b, digest, given, (given, lex, old, str(stage), name)))
    # the largest buckets first: the workers end together
    todo.sort(key=lambda item: -item[2].size())
    if client is None:
        files = [bucket_claims(*args) for *_, args in todo]
    else:
        futures = [client.submit(bucket_claims, *args, pure=False) for *_, args in todo]
        files = [fut.result() for fut in futures]
    for (b, digest, given, _), written in zip(todo, files):
        if written:
            made[b] = {"files": written, "inputs": digest,
                       "claims": sum(f["claims"] for f in written)}
            if given.record is not None:
                made[b]["merged"] = given.record
    return dict(sorted(made.items()))


#: The pieces' input files a bucket reads besides its merged file (those of the pieces
#: added since it was written, or taken out of it) before its inputs are merged again:
#: a bucket of a million articles has a thousand small files, read six times slower than
#: one file of their rows.
MERGE_AFTER = 16


@dataclass
class _Inputs:
    """The input files of a bucket's claims (``write_claims_input``, one a piece) as a
    worker reads them: ``merged``, a file of the rows of many pieces' files (its
    ``members``, each row's one in its column ``_member``), of which the rows of the
    members ``keep`` (None: all), and the pieces' files it does not hold (``loose``,
    paths).  When ``merge_to`` is set, the worker writes every input row there (under
    its stage) as the bucket's next merged file, ``record`` (file and members)."""

    loose: list[str]
    merged: str | None = None
    members: int = 0
    keep: list[int] | None = None
    merge_to: str | None = None
    record: dict | None = None

    @classmethod
    def planned(cls, bucket: int, names: list[str], where, merged: dict | None, out: Path,
                merge: bool = True) -> _Inputs:
        """How to read the bucket's input files ``names`` (relative) given its merged
        file's record (None for none): its rows of the files still inputs, and the
        others; merged again (when ``merge``) once more than ``MERGE_AFTER`` files were
        added or taken out since."""
        from kit.output.datasets import STORE

        if merged is not None and not (out / merged["file"]).is_file():
            merged = None  # (lost: the pieces' files hold every row)
        members = merged["members"] if merged is not None else []
        wanted = set(names)
        keep = [i for i, m in enumerate(members) if m in wanted]
        if not keep:  # none of its files is still an input (--full; or all went)
            merged, members = None, []
        held = set(members)
        loose = [n for n in names if n not in held]
        plan = cls([str(where(n)) for n in loose], record=merged)
        if merged is not None:
            plan.merged, plan.members = str(out / merged["file"]), len(members)
            plan.keep = keep if len(keep) < len(members) else None
        if merge and len(loose) + len(members) - len(keep) > MERGE_AFTER:
            plan.merge_to = f"{STORE}/inputs-b{bucket}-{uuid.uuid4().hex[:8]}.parquet"
            plan.record = {"file": plan.merge_to,
                           "members": [members[i] for i in keep] + loose}
        return plan

    def size(self) -> int:
        """The bytes of the files to read (about: a merged file counts whole)."""
        return sum(_size(f) for f in self.loose) + (_size(self.merged) if self.merged else 0)

    def read(self, stage: str):
        """Every input row (a pyarrow table; written as the next merged file first when
        ``merge_to``: its members those kept, then the loose files)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables, member = [], []
        if self.merged is not None:
            held = _read_file(pq, self.merged)
            at = held["_member"].to_numpy().astype(np.int64)
            if self.keep is not None:  # each member's place among those kept, else -1
                now = np.full(self.members, -1, dtype=np.int64)
                now[self.keep] = np.arange(len(self.keep))
                at = now[at]
                held = held.filter(pa.array(at >= 0))
                at = at[at >= 0]
            tables.append(held.drop_columns(["_member"]))
            member.append(at)
        first = len(self.record["members"]) - len(self.loose) if self.merge_to else 0
        for i, f in enumerate(self.loose):
            # each file read whole (read_table's dataset layer costs twice the read of a
            # small file)
            tables.append(_read_file(pq, f))
            member.append(np.full(tables[-1].num_rows, first + i, dtype=np.int64))
        table = pa.concat_tables(tables, promote_options="default")
        if self.merge_to is not None and table.num_rows:
            target = Path(stage) / self.merge_to
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table.append_column(
                "_member", pa.array(np.concatenate(member).astype(np.int32))), target)
        return table


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


#: The figures whose claims a worker makes at a time (whole groups): its memory grows
#: with this, not with its bucket.
CHUNK_FIGURES = 100_000
#: The columns that name and place a bucket's groups (``kit.claims.grouping.named_groups``)
#: and those that break a tie between two ways of writing a claimant.
_NAMING = ("claimant", "status", "measure", "_family", "_hash")
_ORDER = ("published", "outlet", "article_id", "start")


def bucket_claims(given: _Inputs, lex, cached: list[str], stage: str, name: str
                  ) -> list[dict]:
    """Make the claims of one bucket's figures (a worker's task: ``given``, its input
    files, read at once) and write them under ``stage`` as ``NAME-K.arrow``, a few
    groups a file (at least ``CHUNK_FIGURES`` figures each, groups whole, in the claims'
    order): the bucket's groups are named from
    a few columns of its figures, then made a chunk at a time, each chunk's figures read
    alone.  The claims of each group or part (``kit.claims.grouping.part_claims``)
    whose figures are those of one in the ``cached`` files of an earlier run are taken from
    them.  Returns each file's record: its name (relative to ``stage``) and its number of
    claims."""
    import pyarrow as pa

    from kit.claims.grouping import _order_keys, group_claims, named_groups

    table = given.read(stage)
    if not table.num_rows:
        return []
    named = named_groups(table.select(list(_NAMING)).to_pandas(),
                         order_of=lambda rows: _order_keys(
                             table.take(rows).select(list(_ORDER)).to_pandas()))
    before = _Stored(cached)
    written: list[dict] = []
    rank = 0
    for chunk in _chunks(named):
        made, found = group_claims(named, [named.groups[i] for i in chunk],
                                   lambda at, columns: _rows(table, at, columns),
                                   lexicon=lex, known=before.names)
        # (the stored claims kept stay in Arrow: only the claims made are converted)
        tables = [t for t in (before.kept(found), _arrow(made)) if t is not None and t.num_rows]
        if not tables:
            continue
        claims = pa.concat_tables(tables, promote_options="permissive")
        rel = f"{name}-{len(written)}.arrow"
        _store(claims, Path(stage) / rel, first_rank=rank)
        written.append({"file": rel, "claims": claims.num_rows})
        rank += claims.num_rows
    return written


def _arrow(made: pd.DataFrame | None):
    """A claim frame (``kit.claims.grouping.group_claims``) as an Arrow table (None for
    none), its bounds as int64 whether or not a claim has one."""
    import pyarrow as pa

    if made is None:
        return None
    return pa.Table.from_pandas(made.assign(**{c: made[c].astype("Int64")
                                               for c in ("low", "best", "high")}),
                                preserve_index=False)


def _rows(table, at, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows ``at`` (ascending, each once) of the ``columns`` (default all) of an Arrow
    table, in pandas: picked by a mask, three times faster than a take of the same
    rows."""
    import numpy as np
    import pyarrow as pa

    mask = np.zeros(table.num_rows, dtype=bool)
    mask[at] = True
    return (table if columns is None else table.select(columns)).filter(
        pa.array(mask)).to_pandas()


def _chunks(named) -> list[list[int]]:
    """The groups of ``named`` in the claims' order, cut into runs of at least
    ``CHUNK_FIGURES`` figures (never between two groups placed alike, whose claims mix)."""
    order = sorted(range(len(named.groups)), key=named.places.__getitem__)
    out: list[list[int]] = [[]]
    held = 0
    for i in order:
        if held >= CHUNK_FIGURES and named.places[i] != named.places[out[-1][-1]]:
            out.append([])
            held = 0
        out[-1].append(i)
        held += len(named.groups[i][1])
    return out if out[0] else []


class _Stored:
    """The claims a bucket stored on an earlier run (its files), by group and part."""

    def __init__(self, paths: list[str]) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        found = [_mapped(p) for p in paths if Path(p).exists()]
        self.table = pa.concat_tables(found, promote_options="default").drop_columns(
            ["_rank", "_month"]) if found else None
        # (each name once, from Arrow: a bucket stores hundreds of thousands of claims)
        self.names: set[str] = set() if self.table is None else {
            name for column in ("_group", "_part")
            for name in pc.unique(self.table[column]).to_pylist()}

    def kept(self, found: dict[str, str]):
        """The stored claims of the groups, else parts, ``found`` names (each row's group
        or part found; a group and a part of it are never both found apart), with the
        group they are in now (an Arrow table; None for none)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.table is None or not found:
            return None
        names = pa.array(list(found), type=pa.large_string())
        # each row's name found, as its place in ``found`` (its group's, else its part's)
        at = pc.coalesce(*(pc.index_in(self.table[c].cast(pa.large_string()), value_set=names)
                           for c in ("_group", "_part")))
        keep = pc.is_valid(at)
        rows = self.table.filter(keep)
        if not rows.num_rows:
            return None
        now = pa.array(list(found.values()), type=pa.large_string()).take(at.filter(keep))
        return rows.set_column(rows.schema.get_field_index("_group"), "_group", now)


def _store(claims, target: Path, first_rank: int = 0) -> None:
    """Write claims (an Arrow table of claim frames' columns) with their place in their
    bucket's order (``_rank``, from ``first_rank``) and their month, sorted by month and
    place, as an Arrow IPC file (not compressed: a run maps its stored claims rather than
    reading them, and the rows of a run of months are a slice of it)."""
    import numpy as np
    import pyarrow as pa

    from kit.claims.grouping import sort_order
    from kit.output.datasets import claim_months

    rank = np.empty(claims.num_rows, dtype=np.int64)
    rank[np.asarray(sort_order(claims), dtype=np.int64)] = first_rank + np.arange(claims.num_rows)
    months = claim_months(claims["first_published"].to_pandas()).to_numpy(dtype=object)
    by = np.lexsort((rank, pd.factorize(months, sort=True)[0]))
    claims = claims.append_column("_rank", pa.array(rank)).append_column(
        "_month", pa.array(months, type=pa.string()))
    target.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, claims.schema) as out:
        out.write_table(claims.take(by))


def _mapped(path):
    """A stored claims file (``_store``) as an Arrow table, mapped into memory (its pages
    read when a column is used)."""
    import pyarrow as pa

    with pa.ipc.open_file(pa.memory_map(str(path), "r")) as file:
        return file.read_all()


def _read_file(pq, path: str):
    with pq.ParquetFile(path) as file:
        return file.read()


#: The claims ``numbered_months`` holds at a time (more only for one month that has more):
#: a task opens every stored file, and at a million articles tasks of 400,000 claims
#: write the dataset a fifth faster than of 200,000, a worker's peak about 1.25 GB.
CLAIMS_AT_ONCE = 400_000


def numbering(paths: list[Path], buckets: list[int] | None = None) -> dict | None:
    """How to number the claims of the stored files ``paths`` (``buckets``: the bucket of
    each, default one a file; a bucket's ``_rank`` runs on across its files): each file's
    months (month -> its rows' range), and for each bucket's blocks their first ``_rank``
    and what to add to a claim's ``_rank`` in the block to get its number (arrays in the
    order of places); None when two buckets share a block (two claimants shown alike:
    then all claims are ordered together), or a bucket's blocks are not runs of its
    places one after another."""
    import numpy as np

    buckets = list(range(len(paths))) if buckets is None else list(buckets)
    found_blocks: dict[tuple, list[int]] = {}  # (block, bucket) -> [first place, claims]
    months: list[dict[str, tuple[int, int]]] = []
    for path, bucket in zip(paths, buckets):
        keys = _mapped(path).select([*_BLOCK, "_rank", "_month"])
        found: dict[str, tuple[int, int]] = {}
        at = 0
        for month, n in zip(*_runs(keys["_month"])):
            found[month] = (at, at + n)
            at += n
        months.append(found)
        summary = keys.group_by(list(_BLOCK)).aggregate([("_rank", "min"), ("_rank", "count")])
        for s0, s1, first, n in zip(*(summary[c].to_pylist() for c in
                                      (*_BLOCK, "_rank_min", "_rank_count"))):
            held = found_blocks.setdefault(((s0, s1), bucket), [first, 0])
            held[0] = min(held[0], first)
            held[1] += n
        del keys, summary
    blocks = sorted((block, bucket, first, n)
                    for (block, bucket), (first, n) in found_blocks.items())
    if any(a[0] == b[0] for a, b in zip(blocks, blocks[1:])) or not _runs_of_places(blocks):
        return None
    # a block's claims are a run of its bucket's places (the block starts the claims'
    # order): each block's first place and what to add to a place in it, by bucket
    number = 1
    adds: dict[tuple[int, int], int] = {}
    for _, bucket, first, n in blocks:
        adds[bucket, first] = number - first
        number += n
    base: dict[int, tuple[list[int], list[int]]] = {b: ([], []) for b in buckets}
    for (bucket, first), add in sorted(adds.items()):
        base[bucket][0].append(first)
        base[bucket][1].append(add)
    return {"paths": paths, "months": months,
            "base": [tuple(np.asarray(v, dtype=np.int64) for v in base[b]) for b in buckets],
            "claims": number - 1}


def _runs_of_places(blocks: list[tuple]) -> bool:
    """Whether each bucket's blocks (block, bucket, first place, claims) hold runs of its
    places one after another from 0, as a bucket's stored claims do (its groups are
    made in the claims' order, which blocks start)."""
    at: dict[int, int] = {}
    for _, bucket, first, n in sorted(blocks, key=lambda b: (b[1], b[2])):
        if at.get(bucket, 0) != first:
            return False
        at[bucket] = first + n
    return True


def _runs(values) -> tuple[list, list[int]]:
    """The runs of equal values of a sorted Arrow column: each value and its count (each
    value's rows are one run, so counted in Arrow in order of appearance)."""
    import pyarrow.compute as pc

    counted = pc.value_counts(values)
    return counted.field("values").to_pylist(), counted.field("counts").to_pylist()


def _batches(months: list[dict[str, tuple[int, int]]]) -> list[list[str]]:
    """The months in order, cut into runs of at most ``CLAIMS_AT_ONCE`` claims."""
    sizes: dict[str, int] = {}
    for found in months:
        for month, (start, end) in found.items():
            sizes[month] = sizes.get(month, 0) + end - start
    out: list[list[str]] = [[]]
    held = 0
    for month in sorted(sizes):
        if out[-1] and held + sizes[month] > CLAIMS_AT_ONCE:
            out.append([])
            held = 0
        out[-1].append(month)
        held += sizes[month]
    return out if out[0] else []


def numbered_months(plan: dict, batch: list[str]):
    """The claims of the months ``batch`` (a run of ``_batches``) month by month: (month,
    Arrow table of the month's claims in their order, numbered by ``numbering``), from
    the rows of the buckets' stored frames that hold those months (a slice of each file
    mapped), and put in the claims dataset's columns and types in Arrow (no pandas
    detour)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    slices = []
    for k, path in enumerate(plan["paths"]):
        held = [plan["months"][k][m] for m in batch if m in plan["months"][k]]
        if not held:
            continue  # (the months of a bucket are in order: its rows are together)
        table = _mapped(path)
        table = table.select([n for n in table.column_names
                              if not n.startswith("_") or n in ("_rank", "_month")]
                             ).slice(held[0][0], held[-1][1] - held[0][0])
        firsts, adds = plan["base"][k]
        rank = table["_rank"].to_numpy()
        block = np.searchsorted(firsts, rank, side="right") - 1
        slices.append(table.append_column("_number", pa.array(rank + adds[block])))
    table = pa.concat_tables(slices, promote_options="permissive")
    del slices
    # each month's claims in the order of their numbers
    table = table.take(pc.sort_indices(table, sort_keys=[("_month", "ascending"),
                                                         ("_number", "ascending")]))
    target = _claims_schema()
    columns = [pc.binary_join_element_wise("C", pc.cast(table["_number"], pa.string()), "")]
    columns += [table[name] for name in target.names[1:]]
    out = pa.Table.from_arrays(columns, names=target.names).cast(target)
    at = 0
    for month, n in zip(*_runs(table["_month"])):
        yield month, out.slice(at, n)
        at += n


def _claims_schema():
    """The Arrow schema of the claims dataset (that of a conformed claims frame, with its
    pandas metadata: pandas reads the columns back in the claims' dtypes)."""
    import pyarrow as pa

    from kit import schema

    return pa.Schema.from_pandas(schema.empty("claims"), preserve_index=False)


def write_months(plan: dict, batch: list[str], folder: str) -> int:
    """Write the claims of the months ``batch`` as ``folder/month=M/part-0.parquet`` (a
    worker's task); returns their number."""
    from kit.output.datasets import write_months as write

    return write(numbered_months(plan, batch), Path(folder))


def write_numbered(plan: dict, folder: Path, client) -> int:
    """Write the claims dataset of ``numbering``'s ``plan`` into ``folder``, a run of
    months a task (on the cluster when there is one); returns the number of claims."""
    folder.mkdir(parents=True, exist_ok=True)
    batches = _batches(plan["months"])
    if client is None:
        return sum(write_months(plan, batch, str(folder)) for batch in batches)
    shared = client.scatter(plan, broadcast=True)
    futures = [client.submit(write_months, shared, batch, str(folder), pure=False)
               for batch in batches]
    return sum(fut.result() for fut in futures)


def write_together(paths: list[Path], folder: Path) -> int:
    """Write the claims dataset of the buckets' stored frames ``paths`` into ``folder``,
    all claims ordered together (when ``numbering`` cannot number them apart)."""
    import pyarrow as pa

    from kit.claims.grouping import finish_claim_frame
    from kit.output.datasets import claim_months, month_slices, write_months

    found = [_mapped(p) for p in paths]
    claims = finish_claim_frame(pa.concat_tables(found, promote_options="permissive")
                                .to_pandas() if found else None)
    folder.mkdir(parents=True, exist_ok=True)
    return write_months(month_slices(claims, claim_months(claims["first_published"])), folder)


def claims_version() -> str:
    """A hash of the code that groups figures into claims and stores them: stored claims
    are made again when it changes."""
    root = Path(__file__).resolve().parents[1] / "claims"
    return _digest(*(f.name + f.read_text(encoding="utf-8")
                     for f in [*sorted(root.glob("*.py")), Path(__file__)]))
