#!/usr/bin/env python
"""Benchmark (not a test): an archive on one core and on all cores, the incremental run,
and the report from the store.

    python scripts/bench_archive.py                      # 1,000,000 articles
    python scripts/bench_archive.py --articles 20000     # what fits a coffee break

Generates a varied archive (scripts/varied_corpus.py: eight kinds of story,
varied numbers, names, outlets, dates and sentence order) as a Parquet article
table, then, each in a fresh process:

1. ``kit extract`` (``kit.scale.stream``: workers read, extract and write the
   archive's row groups) with 1 process and with all cores (Dask local
   cluster), remembering nothing: articles/s, the speed-up, and the peak memory
   (RSS) of the driver and of each worker (``--repeat N``: N runs of each, in turn,
   and the speed-up of their medians);
2. a full run into a folder, then 1% more articles (a second Parquet file): the
   incremental run's time against the full run's;
3. ``kit report --corpus DATASETS`` of the grown archive's datasets twice, with the
   default parameters: the first run writes the summary tables beside the
   datasets, the second reads them (the report's time from the store).

Everything is written under a temporary folder (``--keep DIR`` to keep it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def write_archive(path: Path, first: int, count: int, seed: int) -> int:
    """Articles ``first``..``first+count-1`` as a Parquet table (written in row groups)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from varied_corpus import article_text

    total = 0
    with pq.ParquetWriter(path, pa.schema([("id", pa.string()), ("text", pa.string())])) as out:
        for start in range(first, first + count, 10_000):
            ids, texts = [], []
            for i in range(start, min(start + 10_000, first + count)):
                topic, text = article_text(seed, i)
                ids.append(f"{i:07d}_{topic}")
                texts.append(text)
                total += len(text.encode())
            # row groups of 1,000 articles: each is a piece a worker reads and writes
            out.write_table(pa.table({"id": ids, "text": texts}), row_group_size=1_000)
    return total


def one(args: argparse.Namespace) -> int:
    """One measured ``kit extract`` run in this process; prints a JSON line."""
    from kit.lexicon import resolve
    from kit.scale.stream import extract_archive

    lex = resolve(None)
    tables = [str(p) for p in args.tables]
    out = args.out or Path(tempfile.mkdtemp(prefix="kit-bench-"))
    store = args.out is not None  # a kept folder is the store of an incremental run
    started = time.perf_counter()
    # as `kit extract --jobs N` runs: the kit starts (and stops) its workers when it has work
    # for several, and the time counts it
    run = extract_archive(tables, out, lex, jobs=args.jobs, store=store,
                          partition_size=args.partition_size, progress=False)
    took = time.perf_counter() - started
    print(json.dumps({"articles": run.articles, "extracted": run.extracted, "seconds": took,
                      "driver_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "workers_kb": [peak // 1024 for peak in run.worker_peaks],
                      "figures": run.figures, "claims": run.claims, "timings": run.timings,
                      "workers": run.workers}))
    return 0


def measure(*extra: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--one", *extra], capture_output=True,
                          text=True, check=False)
    if proc.returncode:
        sys.exit(f"bench: run failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def phases(r: dict) -> str:
    """The phases of a measured run (``kit extract --verbose``) and its workers."""
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in r["timings"].items()) + \
        f" ({r['workers']} worker{'s' if r['workers'] > 1 else ''})"


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--keep", type=Path, metavar="DIR")
    ap.add_argument("--partition-size", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each of 1 process and all cores, in turn (medians)")
    ap.add_argument("--no-report", action="store_true", help="skip the report's runs")
    ap.add_argument("--no-speed-up", action="store_true",
                    help="skip the one-process and all-cores runs without a store (the "
                         "incremental pair still runs on all cores and prints its peaks)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--tables", type=Path, nargs="*", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        return one(args)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base, grown = folder / "archive.parquet", folder / "added.parquet"
        t = time.perf_counter()
        size = write_archive(base, 0, args.articles, args.seed)
        added = max(1, args.articles // 100)
        write_archive(grown, args.articles, added, args.seed)
        print(f"archive: {args.articles:,} articles, {size / 1e6:,.0f} MB of text, written in "
              f"{time.perf_counter() - t:.0f} s; +{added:,} articles for the incremental run")
        part = ["--partition-size", str(args.partition_size)] if args.partition_size else []
        runs: dict[int, list[dict]] = {}
        for _ in range(0 if args.no_speed_up else args.repeat):
            for jobs in (1, args.jobs):  # side by side, in turn
                r = measure("--tables", str(base), "--jobs", str(jobs), *part)
                runs.setdefault(jobs, []).append(r)
                print(f"jobs={jobs}: {r['articles'] / r['seconds']:,.0f} articles/s "
                      f"({r['seconds']:.1f} s, {r['figures']:,} figures); peak RSS driver "
                      f"{mb(r['driver_kb'])}" + (f", workers {', '.join(mb(w) for w in r['workers_kb'])}"
                                                 if r["workers_kb"] else ""), flush=True)
                print(f"  {phases(r)}", flush=True)
        if runs:
            single, every = (statistics.median(r["seconds"] for r in runs[j])
                             for j in (1, args.jobs))
            print(f"speed-up on {args.jobs} cores: {single / every:.2f}x (median of {args.repeat} "
                  f"run{'s' if args.repeat > 1 else ''} each: {single:.1f} s and {every:.1f} s)")
        store = folder / "datasets"
        full = measure("--tables", str(base), "--jobs", str(args.jobs), "--out", str(store), *part)
        more = measure("--tables", str(base), str(grown), "--jobs", str(args.jobs), "--out",
                       str(store), *part)
        print(f"incremental: full run {full['seconds']:.1f} s; after adding {added:,} articles "
              f"{more['seconds']:.1f} s ({more['extracted']:,} extracted, "
              f"{100 * more['seconds'] / full['seconds']:.0f}% of the full run)")
        for name, r in (("full run", full), ("after adding", more)):
            print(f"  {name}: {r['articles'] / r['seconds']:,.0f} articles/s; {phases(r)}; "
                  f"peak RSS driver {mb(r['driver_kb'])}"
                  + (f", workers {', '.join(mb(w) for w in r['workers_kb'])}"
                     if r["workers_kb"] else ""))
        if args.no_report:
            return 0
        kit_cmd = str(Path(sys.executable).parent / "kit")
        times = []
        for _ in range(2):
            t = time.perf_counter()
            proc = subprocess.run([kit_cmd, "report", "--corpus", str(store), "--out",
                                   str(folder / "reports"), "--quiet"],
                                  capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t)
            if proc.returncode not in (0, 3):
                print(f"report failed: {proc.stderr[-1500:]}")
                break
        else:
            page = folder / "reports" / "estimates.html"
            print(f"report of the datasets: first run (writes the summary tables) "
                  f"{times[0]:.1f} s, then from them {times[1]:.1f} s, "
                  f"estimates.html {page.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
