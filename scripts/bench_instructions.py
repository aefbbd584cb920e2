#!/usr/bin/env python
"""Benchmark (not a test): the instructions ``kit.figures`` executes on a corpus, counted
by valgrind's callgrind, for one or more builds of the kit side by side.

    python scripts/bench_instructions.py                          # this kit, varied 1.8 MB
    python scripts/bench_instructions.py --corpus seeds --mb 4    # copies of the seeds
    python scripts/bench_instructions.py --python OTHER/.venv/bin/python   # against another build

Wall-clock times on a shared machine vary by more than the gaps worth measuring
(10% between identical runs here); an instruction count does not vary between runs.
Each build runs in its own process under ``valgrind --tool=callgrind`` with the
instrumentation off until the corpus is loaded and ``kit.figures`` has run once on
three articles (imports, knowledge files, compiled patterns), then on for one
``kit.figures`` of the whole corpus.  Prints the instructions of each build, its
figures, and its change against the first.  Needs valgrind (``apt-get install
valgrind``); a build is another checkout's interpreter with the kit installed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

# Run by each build's interpreter (its own kit): instrumentation on around one kit.figures.
CHILD = """
import os, subprocess, sys
import kit
corpus = kit.load_corpus(sys.argv[1])
kit.figures(corpus.head(3))
subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True,
               capture_output=True)
figures = kit.figures(corpus)
subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True,
               capture_output=True)
print(len(figures))
"""


def count(python: str, corpus: Path) -> tuple[int, int]:
    """(instructions in kit.figures, figures found) of ``python``'s kit on ``corpus``."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={tmp}/callgrind.out", python, "-c", CHILD, str(corpus)],
            capture_output=True, text=True, cwd=tmp, check=False)
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if proc.returncode or not found:
        sys.exit(f"bench_instructions: {python} failed (exit {proc.returncode}):\n"
                 f"{proc.stderr[-2000:]}")
    return int(found.group(1)), int(proc.stdout.split()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=("varied", "seeds"), default="varied",
                    help="varied: invented news-like articles (default); seeds: copies of the 5 seeds")
    ap.add_argument("--mb", type=float, default=1.8, help="corpus size in MB (default 1.8)")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the varied corpus")
    ap.add_argument("--python", action="append", default=[],
                    help="an interpreter with a kit installed (repeatable; default: this one)")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("bench_instructions: valgrind is not installed (apt-get install valgrind)")
    import bench_extract

    pythons = args.python or [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size, n = bench_extract.build_varied(folder, args.mb, args.seed) \
            if args.corpus == "varied" else bench_extract.build_corpus(folder, args.mb)
        print(f"corpus: {args.corpus}, {n:,} articles, {size / 1e6:.1f} MB")
        first = None
        for python in pythons:
            instructions, figures = count(python, folder)
            first = first or instructions
            change = f"{100 * (instructions / first - 1):+.1f}%" if python != pythons[0] else "-"
            print(f"{python}: {instructions / 1e9:.3f} billion instructions, {figures:,} "
                  f"figures, {change}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
