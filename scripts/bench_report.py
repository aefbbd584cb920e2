"""Benchmark (not a test): wall time of `kit report` on the seeds, median of 3.

Each run is a fresh `kit report` process writing to a temporary folder, as
cron would run it.  Target: under 10 s on the 2-core reference machine.

Usage: .venv/bin/python scripts/bench_report.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIT = Path(sys.executable).parent / "kit"


def main(runs: int = 3) -> int:
    times = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            proc = subprocess.run([str(KIT), "report", "--corpus", str(ROOT / "seeds"),
                                   "--out", out], capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
        print(f"run {i + 1}: {times[-1]:.2f} s")
    print(f"kit report on seeds/: median {statistics.median(times):.2f} s of {runs} runs "
          f"(min {min(times):.2f} s, max {max(times):.2f} s; target < 10 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
