"""``kit extract``: the frames of a corpus as Parquet datasets partitioned by month.

``DIR/<frame>/month=YYYY-MM/part-0.parquet`` for articles, sentences, figures
and claims (claims by the month of their first publication; rows without a date
under ``month=unknown``): hive partitions that pandas (``pd.read_parquet``),
DuckDB (``read_parquet('DIR/figures/*/*.parquet', hive_partitioning = true)``),
Dask and Spark read without the kit.  The figures dataset holds one column the
figures frame does not: ``restates_earlier`` (``RESTATES``), whether the figure restates
an earlier value ("71, up from 68": ``kit.claims.compare.EARLIER``), which a report
reads instead of every figure's sentence.  A run writes every dataset into a
temporary folder inside ``DIR`` and then swaps each into place, so a failed run
leaves the previous datasets whole; ``DIR/kit-extract.json`` records what the kit
wrote, and a folder of the same name the kit did not write is never replaced.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from kit.output.atomic import TMP_PREFIX, remove_stale_tmp

MANIFEST = "kit-extract.json"
STORE = "kit-store"  # the incremental store (kit.scale.store) beside the datasets
FRAMES = ("articles", "sentences", "figures", "claims")
UNKNOWN_MONTH = "unknown"
#: The column of the figures dataset that the figures frame lacks (see the module doc).
RESTATES = "restates_earlier"


class DatasetError(Exception):
    """The output folder cannot be written (names it and why)."""


def months(frames: dict[str, pd.DataFrame]) -> dict[str, pd.Series]:
    """The partition (YYYY-MM or "unknown") of every row of each frame."""
    articles = frames["articles"]
    by_article = dict(zip(articles["article_id"],
                          articles["published"].fillna("").astype(str).str[:7]))

    def month(values) -> pd.Series:
        return pd.Series([v if isinstance(v, str) and len(v) == 7 else UNKNOWN_MONTH
                          for v in values], dtype="string")

    out = {"articles": month(articles["published"].fillna("").astype(str).str[:7])}
    for name in ("sentences", "figures"):
        out[name] = month([by_article.get(a, "") for a in frames[name]["article_id"]])
    out["claims"] = month(frames["claims"]["first_published"].fillna("").astype(str).str[:7])
    return out


def _manifest(out: Path) -> dict:
    path = out / MANIFEST
    if not path.exists():
        return {"tool": "kit extract", "datasets": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DatasetError(f"{path} is not a kit extract manifest ({err}); refusing to write "
                           "into this folder") from None
    if not isinstance(data, dict) or data.get("tool") != "kit extract":
        raise DatasetError(f"{path} is not a kit extract manifest; refusing to write here")
    return data


def check_out(out: Path) -> None:
    """DatasetError unless ``out`` can take the datasets: a folder (made if missing) with
    no folder of a dataset's name the kit did not write."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DatasetError(f"--out {out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    ours = set(_manifest(out).get("datasets", []))
    foreign = [n for n in FRAMES if (out / n).exists() and n not in ours]
    if foreign:
        raise DatasetError(f"--out {out} holds {', '.join(foreign)}, not written by kit "
                           "extract; nothing written (move them or choose another --out)")
    remove_stale_tmp(out)  # what a killed run left


def stored(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the frame ``name`` as its dataset holds them: the figures with
    ``RESTATES``."""
    frame = frame.reset_index(drop=True)
    if name != "figures":
        return frame
    from kit.claims.compare import restating

    return frame.assign(**{RESTATES: restating(frame)})


def write_months(parts, folder: Path) -> int:
    """Write (month, Arrow table) ``parts`` as ``folder/month=M/part-0.parquet``; returns
    the number of rows."""
    import pyarrow.parquet as pq

    count = 0
    for month, rows in parts:
        (folder / f"month={month}").mkdir()
        pq.write_table(rows, folder / f"month={month}" / "part-0.parquet")
        count += rows.num_rows
    return count


def replace_dataset(out: Path, name: str, ready: Path) -> Path:
    """Put the dataset folder ``ready`` (written in full) in place of ``out/name``."""
    old = out / f"{TMP_PREFIX}old-{name}"
    if (out / name).exists():
        os.replace(out / name, old)
    os.replace(ready, out / name)
    shutil.rmtree(old, ignore_errors=True)
    return out / name


def month_slices(frame: pd.DataFrame, month: pd.Series):
    """The rows of ``frame`` month by month (``month``: each row's), in the order of the
    months, as Arrow tables: one conversion to Arrow, then a slice a month (a pandas group
    each cost twice the extraction's time on sentences)."""
    import numpy as np
    import pyarrow as pa

    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    month = month.to_numpy(dtype=object)
    order = np.argsort(month, kind="stable")
    table, month = table.take(pa.array(order)), month[order]
    start = 0
    while start < len(month):
        end = start
        while end < len(month) and month[end] == month[start]:
            end += 1
        yield month[start], table.slice(start, end - start)
        start = end


def claim_months(first_published: pd.Series) -> pd.Series:
    """The partition of each claim: the month of its first publication, else "unknown"."""
    codes, dates = pd.factorize(first_published)  # (each distinct date once)
    months = np.array([v[:7] if isinstance(v, str) and len(v) >= 7 else UNKNOWN_MONTH
                       for v in [*dates, None]], dtype=object)
    return pd.Series(months[codes], dtype="string")


def write_piece(frames: dict[str, pd.DataFrame], stage: Path, name: str) -> dict[str, list[str]]:
    """Write one piece's articles, sentences and figures under ``stage`` as the files
    ``<frame>/month=M/part-<name>.parquet`` (months of the articles' publication), and
    its articles' content hashes as ``kit-store/<name>.hashes.parquet``; returns the
    files written, relative to ``stage``, by frame."""
    import pyarrow.parquet as pq

    parts = months({**frames, "claims": pd.DataFrame({"first_published": []})})
    written: dict[str, list[str]] = {}
    for kind in ("articles", "sentences", "figures"):
        for month, rows in month_slices(stored(kind, frames[kind]), parts[kind]):
            rel = f"{kind}/month={month}/part-{name}.parquet"
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, stage / rel)
            written.setdefault(kind, []).append(rel)
    if "hashes" in frames:
        rel = f"{STORE}/{name}.hashes.parquet"
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        frames["hashes"].to_parquet(stage / rel, index=False)
        written["hashes"] = [rel]
    return written
