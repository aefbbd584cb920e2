"""Benchmark (not a test): wall time of `kit report`, median of runs.

    .venv/bin/python scripts/bench_report.py [RUNS]              # the seeds
    .venv/bin/python scripts/bench_report.py --archive 100000    # an archive's datasets

Each run is a fresh `kit report` process writing to a temporary folder, as
cron would run it.  On the seeds the target is under 10 s on the 2-core
reference machine.

``--archive N[,N...]``: the report of an archive of N articles from the datasets
of ``kit extract`` (target: under 60 s at 1,000,000 articles).  Extracting that
many articles takes hours, so the datasets are made by
``scripts/archive_datasets.py``: ``kit extract`` of a 1 MB varied corpus (about
400 articles, 13 figures each), copied N times over with pandas, with their claims
(made by the kit: the report reads them, as from ``kit extract``) and the summary
tables ``kit extract`` writes (``--no-summary``: none, the report groups every figure
as before them).  Prints each
run's time, the median, the HTML page's size, the peak memory (RSS) of the report's
processes and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIT = Path(sys.executable).parent / "kit"
sys.path.insert(0, str(ROOT / "scripts"))


def timed(corpus: Path, runs: int, *extra: str) -> tuple[list[float], int, int] | None:
    """``kit report --corpus corpus`` ``runs`` times: the times, the page's size and the
    peak RSS (kB) of the runs' processes; None when a run fails."""
    times, size = [], 0
    for i in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            proc = subprocess.run([str(KIT), "report", "--corpus", str(corpus), "--out", out,
                                   *extra], capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return None
            size = (Path(out) / "estimates.html").stat().st_size
        print(f"run {i + 1}: {times[-1]:.2f} s", flush=True)
    return times, size, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def archive(sizes: list[int], runs: int, keep: Path | None, summary: bool = True) -> int:
    from archive_datasets import write_archive_datasets
    from varied_corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        base = folder / "base"
        if not (base / "kit-extract.json").is_file():
            write_corpus(folder / "articles", 1.0, seed=5)
            subprocess.run([str(KIT), "extract", str(folder / "articles"), "--out", str(base),
                            "--jobs", "1", "--no-progress"], check=True)
        for n in sizes:
            datasets = folder / f"archive-{n}"
            t = time.perf_counter()
            made = write_archive_datasets(base, datasets, n, summary=summary)
            print(f"{n:,} articles: {made['figures']:,} figures, {made['claims']:,} claims; "
                  f"datasets made in {time.perf_counter() - t:.0f} s"
                  + (f" (the summary tables: {made['summary_s']:.0f} s)" if summary else ""),
                  flush=True)
            load = os.getloadavg()[0]
            result = timed(datasets, runs)
            if result is None:
                return 1
            times, size, rss = result
            print(f"kit report of {n:,} articles from the datasets: median "
                  f"{statistics.median(times):.1f} s of {runs} (min {min(times):.1f}, max "
                  f"{max(times):.1f}); estimates.html {size / 1e6:.2f} MB; peak RSS "
                  f"{rss / 1024:,.0f} MB; load average {load:.1f} before, "
                  f"{os.getloadavg()[0]:.1f} after", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="?", type=int, default=3)
    ap.add_argument("--archive", help="articles of the archive (a list: 100000,300000)")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="make the datasets here, kept")
    ap.add_argument("--no-summary", action="store_true",
                    help="no summary tables beside the datasets: the report groups every figure")
    args = ap.parse_args(argv)
    if args.archive:
        return archive([int(n) for n in args.archive.split(",")], args.runs, args.keep,
                       not args.no_summary)
    result = timed(ROOT / "seeds", args.runs)
    if result is None:
        return 1
    times = result[0]
    print(f"kit report on seeds/: median {statistics.median(times):.2f} s of {args.runs} runs "
          f"(min {min(times):.2f} s, max {max(times):.2f} s; target < 10 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
