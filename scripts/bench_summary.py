#!/usr/bin/env python
"""Benchmark (not a test): the making of the summary tables of an archive's datasets.

    .venv/bin/python scripts/bench_summary.py DIR [DIR ...] [--runs 3]

Each run is a fresh process calling ``kit.report.aggregate.write_summary(DIR)`` (what the
first ``kit report`` with the default parameters after ``kit extract`` does); prints each
run's wall time, CPU time and peak memory (RSS), their medians and the load average before
and after.  ``DIR``: the datasets of ``kit extract`` or of ``scripts/archive_datasets.py``
(``--no-summary``); the run replaces their summary tables.  Two cores shared with other
work make wall times vary: the CPU time varies less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = """
import resource, sys, time
from kit.report.aggregate import write_summary
t = time.perf_counter()
write_summary(sys.argv[1])
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_SELF)
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def run(folder: Path) -> tuple[float, float, float]:
    """One fresh process's write_summary of ``folder``: wall s, CPU s, peak RSS MB."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(folder)], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{folder}: write_summary failed\n{proc.stderr[-3000:]}")
    wall, cpu, rss = proc.stdout.split()[-3:]
    return float(wall), float(cpu), int(rss) / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path, metavar="DIR")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    for folder in args.folders:
        load = os.getloadavg()[0]
        runs = []
        for i in range(args.runs):
            runs.append(run(folder))
            print(f"{folder} run {i + 1}: {runs[-1][0]:.1f} s, CPU {runs[-1][1]:.1f} s, "
                  f"peak RSS {runs[-1][2]:,.0f} MB", flush=True)
        wall, cpu, rss = (statistics.median(r[k] for r in runs) for k in range(3))
        print(f"{folder}: write_summary median {wall:.1f} s of {args.runs} (CPU {cpu:.1f} s), "
              f"peak RSS {rss:,.0f} MB; load average {load:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
