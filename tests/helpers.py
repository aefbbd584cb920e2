"""Small helpers shared by several test files (no fixtures: see conftest.py)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
MULTIDAY = REPO / "tests" / "data" / "multiday"
FICTION = REPO / "tests" / "data" / "corpus"


def row(frame: pd.DataFrame, article_id: str) -> dict:
    """The one row of ``frame`` with this article_id, missing values as None."""
    hit = frame[frame["article_id"] == article_id]
    assert len(hit) == 1, f"{article_id} not found in {list(frame['article_id'])}"
    return {k: (None if pd.isna(v) else v) for k, v in hit.iloc[0].to_dict().items()}


def offsets_hold(articles: pd.DataFrame, figs: pd.DataFrame) -> None:
    """Every figure's offsets point at its words and its sentence in ``text``."""
    texts = dict(zip(articles["article_id"], articles["text"]))
    for f in figs.itertuples(index=False):
        text = texts[f.article_id]
        assert 0 <= f.sentence_start <= f.start < f.end <= f.sentence_end <= len(text)
        assert text[f.start:f.end] == f.surface, (f.surface, text[f.start:f.end])
        assert text[f.sentence_start:f.sentence_end] == f.sentence


def until(condition, proc: subprocess.Popen, timeout: float = 60.0, what: str = "") -> None:
    """Wait until ``condition()`` holds, while ``proc`` runs; fail after ``timeout`` s.

    Between two looks it waits on the process itself (``proc.wait`` with a short
    timeout), so a process that ends early is noticed at once."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the process ended before {what or 'the condition held'}"
        assert time.monotonic() < deadline, f"no {what or 'condition'} after {timeout} s"
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass


def one(claims, **where):
    """The single claim whose columns have the given values (fails otherwise)."""
    hit = claims
    for col, val in where.items():
        hit = hit[hit[col] == val]
    assert len(hit) == 1, f"{where}: {len(hit)} claims\n{claims}"
    return hit.iloc[0]


def outlets(claim) -> set[str]:
    return set(claim["outlets"].split("; "))


DEV = REPO / "tests" / "data" / "dev"


def varied(folder: Path, mb: float, seed: int) -> Path:
    """Invented varied articles (scripts/varied_corpus.py) written into ``folder``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("varied_corpus",
                                                  REPO / "scripts" / "varied_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_corpus(folder, mb, seed=seed)
    return folder


def dev_articles() -> list[str]:
    """The names of the development set's articles."""
    return sorted(p.name for p in DEV.iterdir() if p.suffix in (".txt", ".html"))


def copy_dev(names, folder: Path) -> Path:
    """Copy development-set articles into ``folder`` (made if missing)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(DEV / name, folder / name)
    return folder
