#!/usr/bin/env python
"""The datasets of a large archive, made without extracting it: for report benchmarks.

    python scripts/archive_datasets.py BASE OUT --articles 100000

``BASE`` is a folder ``kit extract`` wrote (of a few hundred articles of the
varied corpus, say: ``scripts/varied_corpus.py``); ``OUT`` gets the articles,
figures and claims datasets and the manifest of an archive of ``--articles``
articles, as ``kit extract`` lays them out (``kit.output.datasets``), made by
copying BASE's rows: article ``i`` is a copy of base article ``i % B`` with its
own id, path, URL and a publication date spread over ``--days`` days (so over
the months' partitions), and its figures are the base article's figures with
their ids, and their values multiplied by one of a hundred factors (1.0, 1.05, ... 5.95,
by copy) so that the copies state different claims, as an archive's articles
do (the sentence keeps the base figure's words).  The claims are made from the
figures by the kit (``kit.claims``), with the knowledge the base was extracted
with, so the manifest says they are the claims of these figures.

Extraction runs at a few hundred articles a second a core: 100,000 articles take
minutes to hours, where these copies take seconds.  They test the report, not
the extraction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

DAYS = 730
FACTORS = 100


def _read(base: Path, name: str) -> pd.DataFrame:
    frame = pd.read_parquet(base / name)
    return frame.drop(columns=[c for c in ("month",) if c in frame.columns])


def _copies(base: pd.DataFrame, n: int) -> np.ndarray:
    """The base row of each of ``n`` copies (0, 1, ..., B-1, 0, 1, ...)."""
    return np.arange(n) % len(base)


def archive_frames(base: Path, articles: int, *, days: int = DAYS,
                   start: str = "2024-01-01") -> dict[str, pd.DataFrame]:
    """The articles and figures of an archive of ``articles`` copies of the articles of
    the kit extract output ``base`` (see the module doc)."""
    from kit import schema

    arts = _read(base, "articles").sort_values("article_id", kind="stable").reset_index(drop=True)
    figs = _read(base, "figures")
    if not len(arts) or not len(figs):
        raise SystemExit(f"{base}: no articles or no figures to copy")
    which = _copies(arts, articles)
    first = dt.date.fromisoformat(start)
    dates = np.array([(first + dt.timedelta(days=d)).isoformat() for d in range(days)])
    ids = pd.array([f"a{i:07d}" for i in range(articles)], dtype=schema.STRING)
    out_arts = arts.iloc[which].reset_index(drop=True)
    out_arts["article_id"] = ids
    out_arts["path"] = pd.array([f"archive/{i:07d}.txt" for i in range(articles)],
                                dtype=schema.STRING)
    out_arts["url"] = pd.array([f"https://news.example/{i:07d}" for i in range(articles)],
                               dtype=schema.STRING)
    published = dates[(np.arange(articles) * days) // max(articles, 1)]
    out_arts["published"] = pd.array(published, dtype=schema.STRING)
    # the figures of each copy: its base article's, in the article's order
    pos = {a: k for k, a in enumerate(arts["article_id"])}
    figs = figs.assign(base_=figs["article_id"].map(pos)).sort_values(
        ["base_", "start"], kind="stable").reset_index(drop=True)
    per_base = np.bincount(figs["base_"].to_numpy(), minlength=len(arts))
    offsets = np.concatenate([[0], np.cumsum(per_base)[:-1]])
    counts = per_base[which]
    rows = np.repeat(offsets[which], counts) + _ranges(counts)
    owner = np.repeat(np.arange(articles), counts)
    out = figs.iloc[rows].drop(columns="base_").reset_index(drop=True)
    out["article_id"] = ids[owner]
    out["figure_id"] = out["article_id"] + ":" + out["start"].astype(str)
    for column in ("path", "url", "published"):
        out[column] = out_arts[column].to_numpy()[owner]
    factor = 1 + (owner // len(arts)) % FACTORS / 20
    for column in ("low", "high"):
        values = out[column].astype("Float64") * factor
        out[column] = values.round().astype("Int64")
    return {"articles": schema.conform(out_arts, "articles"),
            "figures": schema.conform(out, "figures")}


def _ranges(counts: np.ndarray) -> np.ndarray:
    """0..c-1 for each count c, concatenated."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


def write_archive_datasets(base: Path, out: Path, articles: int, *, days: int = DAYS,
                           claims: bool = True, summary: bool = True) -> dict[str, int]:
    """Write the datasets of ``archive_frames`` (and their claims, unless ``claims`` is
    False: an empty claims dataset) and the manifest into ``out`` (replaced), then the
    summary tables of the report as its first run writes them (unless ``summary`` is
    False; ``sizes["summary_s"]``: the seconds they took)."""
    import kit
    from kit.output.datasets import MANIFEST, months, stored

    frames = archive_frames(base, articles, days=days)
    manifest = json.loads((base / MANIFEST).read_text(encoding="utf-8"))
    frames["claims"] = kit.claims(frames["figures"]) if claims else \
        kit.schema.empty("claims")
    frames["sentences"] = kit.schema.empty("sentences")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    parts = months(frames)
    for name, frame in frames.items():
        (out / name).mkdir()  # (the rows as kit extract stores them)
        for month, rows in stored(name, frame).groupby(parts[name].to_numpy(), sort=True):
            (out / name / f"month={month}").mkdir()
            rows.to_parquet(out / name / f"month={month}" / "part-0.parquet", index=False)
    (out / MANIFEST).write_text(json.dumps(
        {"tool": "kit extract", "datasets": ["articles", "sentences", "figures", "claims"],
         "version": manifest["version"], "pieces": {}}, indent=1) + "\n", encoding="utf-8")
    sizes = {name: len(frame) for name, frame in frames.items()}
    del frames, parts
    if summary:
        from kit.report.aggregate import write_summary

        t = time.perf_counter()
        write_summary(out)  # what the first report after kit extract writes
        sizes["summary_s"] = time.perf_counter() - t
    return sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="a folder kit extract wrote")
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=DAYS)
    ap.add_argument("--no-summary", action="store_true",
                    help="write no summary tables (the report then groups every figure)")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    sizes = write_archive_datasets(args.base, args.out, args.articles, days=args.days,
                                   summary=not args.no_summary)
    print(f"{args.out}: {sizes['articles']:,} articles, {sizes['figures']:,} figures, "
          f"{sizes['claims']:,} claims in {time.perf_counter() - t:.1f} s"
          + (f" (the summary tables: {sizes['summary_s']:.1f} s)" if "summary_s" in sizes
             else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
