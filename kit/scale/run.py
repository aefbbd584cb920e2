"""One entry for the commands: the frames of a corpus on one core, all cores or a
cluster, through the incremental store when one is given."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kit.scale import parallel


@dataclass
class Run:
    """The frames of a corpus and how they were made."""

    frames: dict[str, pd.DataFrame]
    extracted: int
    reused: int = 0
    failed: list[dict] = field(default_factory=list)
    reset: str | None = None
    workers: int = 1

    def summary(self) -> str:
        """One line for stderr: what was extracted, reused and skipped."""
        return summary(self.extracted, self.workers, self.reused, self.reset, len(self.failed))


def summary(extracted: int, workers: int, reused: int, reset: str | None, failed: int) -> str:
    """One line for stderr: what a run extracted, reused and skipped."""
    parts = [f"extracted {extracted} articles" + (f" on {workers} workers" if workers > 1 else "")]
    if reused:
        parts.append(f"{reused} unchanged from the store")
    if reset:
        parts.append(f"store emptied first ({reset})")
    if failed:
        parts.append(f"{failed} skipped")
    return "; ".join(parts)


def frames(articles, lexicon, *, jobs: int = 1, scheduler: str | None = None,
           client=None, store: object = None, full: bool = False,
           partition_size: int | None = None, progress: bool | None = None,
           claims: bool = True) -> Run:
    """Articles, sentences, figures and claims of ``articles``.

    ``jobs`` worker processes on this machine (1: in this process; a corpus of one
    partition or less is always run here, where starting workers would cost more than
    it buys), or the cluster at ``scheduler`` / ``client``.  ``store``: the incremental
    store's folder (only new or changed articles are extracted; ``full``: all);
    ``claims``: False leaves the claims frame empty (for callers that group later)."""
    from kit import schema
    from kit.claims.grouping import claims as claims_of
    from kit.scale.cluster import client_for

    size = parallel.PARTITION_SIZE if partition_size is None else int(partition_size)
    if size < 1:
        raise ValueError(f"--partition-size: {partition_size} must be 1 or more articles")
    used = {"workers": 1}

    def extract(todo: pd.DataFrame):
        if client is not None or not isinstance(todo, pd.DataFrame):  # a Dask dataframe
            if client is not None:
                used["workers"] = len(client.scheduler_info().get("workers", {}))
            out = parallel.extract(todo, lexicon=lexicon, client=client, partition_size=size,
                                   progress=progress)
        elif scheduler or (jobs > 1 and len(todo) > size):
            with client_for(jobs, scheduler) as own:
                used["workers"] = len(own.scheduler_info().get("workers", {}))
                out = parallel.extract(todo, lexicon=lexicon, client=own, partition_size=size,
                                       progress=progress)
        else:
            sents, figs, bad = parallel.run_partition(todo, lexicon)
            return sents, figs, bad
        return out.sentences, out.figures, out.failed

    if store is not None:
        from kit.scale.store import Store

        update = Store(store, lexicon).update(articles, extract, full=full)
        sents, figs = update.sentences, update.figures
        run = Run({}, update.extracted, update.reused, update.failed, update.reset)
    else:
        sents, figs, failed = extract(articles)
        run = Run({}, len(articles) - len([f for f in failed if "article_id" in f]), 0, failed)
    run.workers = used["workers"]
    run.frames = {"articles": articles, "sentences": sents, "figures": figs,
                  "claims": claims_of(figs, lexicon=lexicon) if claims else schema.empty("claims")}
    return run
