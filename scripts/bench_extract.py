#!/usr/bin/env python
"""Benchmark (not a test): kit's whole pipeline against quantulum3 on the same text.

Why: the toolchain notes measured extraction libraries at 0.1-3 MB/s; this says
where the kit stands on a realistic corpus, on one core, as a median of runs.

    python scripts/bench_extract.py --mb 20 --repeat 3
    python scripts/bench_extract.py --corpus seeds   # the old corpus, for comparison

The corpus (`--corpus varied`, the default) is invented news-like articles of
eight kinds of story, written by scripts/varied_corpus.py with a fixed seed:
denser in figures and far more varied than the seeds.  `--corpus seeds` is the
five seed articles copied many times under varied names, which flatters the kit
(the same few sentences again and again).  Either is written into a temporary
folder (deleted afterwards) unless `--keep DIR` is given.  MB here means 10**6
bytes of files.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000


def pin_one_core() -> str:
    """Run on one CPU so the numbers mean "per core" on any machine."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def build_corpus(folder: Path, target_mb: float) -> tuple[int, int]:
    """Copy the seeds round-robin as NNNNNN_<seed name> until target_mb is reached."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    if not seeds:
        sys.exit(f"bench: no seed articles in {ROOT / 'seeds'}")
    blobs = [(p.name, p.read_bytes()) for p in seeds]
    total = n = 0
    while total < target_mb * MB:
        name, data = blobs[n % len(blobs)]
        (folder / f"{n:06d}_{name}").write_bytes(data)
        total += len(data)
        n += 1
    return total, n


def build_varied(folder: Path, target_mb: float, seed: int) -> tuple[int, int]:
    """Invented varied articles (scripts/varied_corpus.py) until target_mb is reached."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import varied_corpus

    return varied_corpus.write_corpus(folder, target_mb, seed)


def time_kit(kit, folder: Path, repeat: int) -> tuple[list[float], object, object]:
    times, articles, figs = [], None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        articles = kit.load_corpus(folder)
        figs = kit.figures(articles)
        times.append(time.perf_counter() - t0)
    return times, articles, figs


PURE_RUN = """
import statistics, sys, time
import kit
assert set(kit.build().values()) == {"source"}
times = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    kit.figures(kit.load_corpus(sys.argv[1]))
    times.append(time.perf_counter() - t0)
print(statistics.median(times))
"""


def time_pure(folder: Path, repeat: int) -> float:
    """Median seconds of the same pipeline run from the .py files (same core, same corpus)."""
    import subprocess

    env = {**os.environ, "KIT_PURE_PYTHON": "1"}
    run = subprocess.run([sys.executable, "-c", PURE_RUN, str(folder), str(repeat)], env=env,
                         capture_output=True, text=True, check=True)
    return float(run.stdout.strip().splitlines()[-1])


def peak_memory(kit, folder: Path) -> int:
    """Peak Python allocation of one extra pipeline run (tracemalloc slows it, so untimed)."""
    tracemalloc.start()
    try:
        kit.figures(kit.load_corpus(folder))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def quantulum_sample(kit, articles, sample_mb: float):
    """Non-boilerplate sentences of the first articles whose text adds up to sample_mb."""
    sizes = articles["text"].str.len()  # characters; both corpora are nearly all ASCII
    keep = (sizes.cumsum() - sizes) < sample_mb * MB
    sample = articles[keep]
    sents = kit.sentences(sample)
    sents = sents[~sents["boilerplate"].astype(bool)]
    text_bytes = sum(len(t.encode("utf-8")) for t in sample["text"])
    return list(sents["text"]), len(sample), text_bytes


def time_quantulum(sentences: list[str]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import quantulum3.classifier

        quantulum3.classifier.USE_CLF = False  # its classifier does not load with current sklearn
        from quantulum3 import parser

        parser.parse("About 1,500 soldiers arrived.")  # warm-up: loads the unit tables
        t0 = time.perf_counter()
        for s in sentences:
            parser.parse(s)
        return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=("varied", "seeds"), default="varied",
                    help="varied: invented news-like articles (default); seeds: copies of the 5 seeds")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the varied corpus (default 0)")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="write the corpus into DIR (must be empty or new) and keep it")
    ap.add_argument("--mb", type=float, default=20, help="corpus size in MB (default 20)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of the kit (default 3)")
    ap.add_argument("--sample-mb", type=float, default=1.5,
                    help="MB of articles whose sentences quantulum3 parses (default 1.5)")
    ap.add_argument("--no-quantulum", action="store_true", help="time the kit only")
    ap.add_argument("--pure", action="store_true",
                    help="also time the kit from its Python sources (KIT_PURE_PYTHON=1, in a subprocess)")
    args = ap.parse_args(argv)

    pinned = pin_one_core()
    try:
        import kit
    except Exception as err:  # noqa: BLE001 - any import failure: report it, do not bench
        print(f"bench: cannot import kit: {err!r}", file=sys.stderr)
        return 2

    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        print(f"bench: --keep {args.keep} is not empty", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.corpus == "seeds":
            total, n_files = build_corpus(folder, args.mb)
            what = f"{n_files} files = copies of the 5 seeds"
        else:
            total, n_files = build_varied(folder, args.mb, args.seed)
            what = f"{n_files} files of invented varied news, seed {args.seed}"
        try:
            times, articles, figs = time_kit(kit, folder, max(args.repeat, 1))
        except NotImplementedError as err:
            print(f"bench: the kit pipeline is not finished: {err!r}", file=sys.stderr)
            return 2
        peak = peak_memory(kit, folder)
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        med = statistics.median(times)
        kit_mbs = total / MB / med
        build = kit.build()
        compiled = sorted(m for m, how in build.items() if how == "compiled")
        print(f"machine: {pinned}; MB = 10**6 bytes")
        print("build: " + (f"compiled with mypyc: {', '.join(compiled)}" if compiled
                           else "Python sources (no compiled extension in use)"))
        print(f"corpus: {args.corpus}: {total / MB:.1f} MB, {len(articles)} articles "
              f"({what}), {len(figs)} figures ({len(figs) / max(len(articles), 1):.1f} per article)")
        print(f"kit load_corpus -> figures: median {med:.2f} s of {len(times)} runs "
              f"({', '.join(f'{t:.2f}' for t in times)})")
        print(f"kit: {kit_mbs:.2f} MB/s, {len(articles) / med:.0f} articles/s")
        print(f"kit peak memory: {peak / MB:.0f} MB traced by tracemalloc (separate untimed run); "
              f"process max RSS {rss_kb / 1000:.0f} MB")
        if args.pure:
            pure = time_pure(folder, max(args.repeat, 1))
            print(f"kit from its Python sources: median {pure:.2f} s, {total / MB / pure:.2f} MB/s "
                  f"(compiled is {pure / med:.2f}x faster)")
        if args.no_quantulum:
            return 0
        sents, n_arts, sample_bytes = quantulum_sample(kit, articles, args.sample_mb)
        secs = time_quantulum(sents)
        q_mbs = sample_bytes / MB / secs
        sent_bytes = sum(len(s.encode("utf-8")) for s in sents)
        print(f"quantulum3 (USE_CLF=False) on a sample: {len(sents)} non-boilerplate sentences of "
              f"{n_arts} articles ({sample_bytes / MB:.2f} MB of article text, "
              f"{sent_bytes / MB:.2f} MB of sentences) in {secs:.1f} s")
        print(f"quantulum3: {q_mbs:.3f} MB/s of article text, scaled from the sample "
              f"(would take {total / MB / q_mbs / 60:.1f} min for the whole corpus)")
        print(f"ratio kit / quantulum3: {kit_mbs / q_mbs:.0f}x "
              f"(the kit also loads files and splits sentences; quantulum3 only parses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
