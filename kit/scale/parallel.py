"""The sentences and figures stages over partitions of articles, on Dask's distributed
scheduler.

Articles are cut into partitions (``partition_size`` articles each); at most two
partitions per worker are in flight, so the workers never hold more than a few
partitions whatever the archive size.  Each partition's results come back to
the driver and are put in partition order, so the frames are exactly those of
the single-process run (same rows, same order).

A partition that raises is run again article by article on its worker: a bad
article is skipped and named, the rest kept.  A partition that fails even so
(its worker died, say) is skipped and named.  Both are in ``attrs["failed"]``
of the frames returned, and a run never stops for them.

A progress bar (tqdm: a text bar on a terminal, a widget in JupyterLab) shows
partitions done, articles per second and the time left.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field

import pandas as pd

from kit import schema

#: Articles per partition by default: big enough that scheduling costs little (a
#: partition takes about a second per core), small enough to keep every worker busy.
PARTITION_SIZE = 500


@dataclass
class Extracted:
    """What a partitioned run produced: the frames and what it skipped."""

    sentences: pd.DataFrame
    figures: pd.DataFrame
    failed: list[dict] = field(default_factory=list)  # {"partition", "article_id"?, "error"}
    partitions: int = 0


def _stages(part: pd.DataFrame, lex) -> tuple[pd.DataFrame, pd.DataFrame]:
    from kit.extract.figures import figures
    from kit.extract.segment import sentences

    sents = sentences(part, lexicon=lex)
    return sents, figures(part, sents, lexicon=lex)


def run_partition(part: pd.DataFrame, lex) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """One partition's sentences and figures; when it raises, its articles one by one,
    each bad one skipped and named (runs on a worker)."""
    try:
        sents, figs = _stages(part, lex)
        return sents, figs, []
    except Exception:  # noqa: BLE001 - isolate the bad article below
        pass
    kept_s, kept_f, bad = [], [], []
    for k in range(len(part)):
        one = part.iloc[k:k + 1]
        try:
            sents, figs = _stages(one, lex)
        except Exception as err:  # noqa: BLE001 - a bad article must not stop the archive
            bad.append({"article_id": str(one["article_id"].iloc[0]),
                        "path": str(one["path"].iloc[0]),
                        "error": f"{type(err).__name__}: {err}"})
            continue
        kept_s.append(sents)
        kept_f.append(figs)
    return _concat(kept_s, "sentences"), _concat(kept_f, "figures"), bad


def _concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return schema.empty(name)
    return schema.conform(pd.concat(frames, ignore_index=True), name)


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    ip = shell.get_ipython() if shell is not None and hasattr(shell, "get_ipython") else None
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def _bar(total: int, progress: bool | None):
    from tqdm.auto import tqdm

    show = progress if progress is not None else (sys.stderr.isatty() or _in_notebook())
    return tqdm(total=total, unit="partition", disable=not show, file=sys.stderr,
                desc="kit: extracting", dynamic_ncols=True)


def extract(articles, *, lexicon=None, client=None, partition_size: int | None = None,
            progress: bool | None = None) -> Extracted:
    """Sentences and figures of ``articles`` (a pandas or a Dask dataframe with the
    articles columns) computed on ``client`` (a ``dask.distributed.Client``; None: the
    current one, else a local cluster of all cores for this call)."""
    from kit.lexicon import resolve
    from kit.scale.cluster import client_for, default_jobs

    lex = resolve(lexicon)
    if client is None:
        try:
            from distributed import get_client

            client = get_client()
        except (ImportError, ValueError):
            with client_for(default_jobs()) as own:
                return extract(articles, lexicon=lex, client=own, partition_size=partition_size,
                               progress=progress)
    return _run(client, _partitions(articles, partition_size), lex, progress)


def _partitions(articles, size: int | None):
    """(number of partitions, iterator of (index, partition or delayed partition, articles))."""
    if isinstance(articles, pd.DataFrame):
        size = max(1, int(size or PARTITION_SIZE))
        n = math.ceil(len(articles) / size)
        return n, ((k, articles.iloc[k * size:(k + 1) * size], min(size, len(articles) - k * size))
                   for k in range(n))
    to_delayed = getattr(articles, "to_delayed", None)
    if to_delayed is None:
        raise TypeError(f"articles: expected a pandas or Dask dataframe, got "
                        f"{type(articles).__name__}")
    parts = to_delayed()
    return len(parts), ((k, p, None) for k, p in enumerate(parts))


def _run(client, partitions, lex, progress: bool | None) -> Extracted:
    total, parts = partitions
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = 2 * workers
    done: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
    failed: list[dict] = []
    pending: dict[object, tuple[int, int | None]] = {}
    articles_done = 0
    started = time.perf_counter()
    from distributed import wait

    with _bar(total, progress) as bar:
        def collect(return_when: str) -> None:
            nonlocal articles_done
            finished = wait(list(pending), return_when=return_when).done
            for fut in finished:
                k, n = pending.pop(fut)
                try:
                    sents, figs, bad = fut.result()
                except Exception as err:  # noqa: BLE001 - skip the partition, name it
                    failed.append({"partition": k, "articles": n,
                                   "error": f"{type(err).__name__}: {err}"})
                else:
                    done[k] = (sents, figs)
                    failed.extend(dict(b, partition=k) for b in bad)
                    n = sents["article_id"].nunique() + len(bad) if n is None else n
                fut.release()
                articles_done += n or 0
                bar.update(1)
                rate = articles_done / max(time.perf_counter() - started, 1e-9)
                bar.set_postfix_str(f"{rate:,.0f} articles/s")

        for k, part, n in parts:
            # a pandas partition is sent to the cluster; a Dask one is computed there
            part = client.scatter(part) if isinstance(part, pd.DataFrame) else client.compute(part)
            pending[client.submit(run_partition, part, lex, key=f"kit-partition-{k}-{id(pending)}",
                                  retries=0, pure=False)] = (k, n)
            if len(pending) >= window:
                collect("FIRST_COMPLETED")
        while pending:
            collect("FIRST_COMPLETED")
    order = sorted(done)
    failed.sort(key=lambda f: (f["partition"], f.get("article_id", "")))
    return Extracted(_concat([done[k][0] for k in order], "sentences"),
                     _concat([done[k][1] for k in order], "figures"), failed, total)
