"""Which Dask client a run uses: an existing scheduler, or a local cluster of its own.

``--scheduler ADDRESS`` (else the environment variable ``KIT_DASK_SCHEDULER``)
connects to a running cluster (``dask scheduler`` and ``dask worker ADDRESS``
started by their own commands, or any Dask deployment).  Otherwise ``jobs``
worker processes of one thread each are started on this machine, listening on
127.0.0.1 only, and stopped at the end of the run, with less of Dask's housekeeping
than its defaults (``LOCAL_CLUSTER_CONFIG``); a cluster of one's own keeps its config.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

SCHEDULER_ENV = "KIT_DASK_SCHEDULER"
#: Dask settings of the local cluster: no statistical profiler in the workers (by
#: default it samples the running task's stack every 10 ms, from the worker's event
#: loop, which must take the GIL from the task to do it), and the event loops' health
#: tick once a second rather than every 20 ms.  Each wake-up of a worker's loop takes
#: the GIL from the task; both together cost some 6% of a two-worker run's time
#: (README, Performance).  And the workers' C allocator keeps what it freed: Dask starts
#: workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which (besides giving freed memory
#: back at once) stops glibc from raising its mmap threshold, so every array past 128 KB
#: is mapped afresh and its pages faulted in again; arrays of up to 32 MiB from the heap,
#: kept up to 256 MiB free, cut a third of the workers' system time and some 8% of the
#: grouping of an incremental run (a worker's peak about 100 MB higher).  Variables
#: already in the environment win.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 256 * 2 ** 20,
    "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": 32 * 2 ** 20,
}


def default_jobs() -> int:
    """All the cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def jobs_value(value) -> int:
    """``--jobs`` as a positive int (None: all cores); ValueError naming the option."""
    if value is None or value == "":
        return default_jobs()
    try:
        jobs = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"--jobs: {value!r} is not a whole number of worker processes") from None
    if jobs < 1:
        raise ValueError(f"--jobs: {jobs} must be 1 or more")
    return jobs


def scheduler_address(value: str | None = None) -> str | None:
    """``--scheduler``, else ``$KIT_DASK_SCHEDULER``, else None (a local cluster)."""
    return (value or os.environ.get(SCHEDULER_ENV) or "").strip() or None


@contextlib.contextmanager
def client_for(jobs: int, scheduler: str | None = None,
               as_default: bool = True) -> Iterator[object]:
    """A ``dask.distributed.Client``: connected to ``scheduler``, or to a local cluster of
    ``jobs`` single-threaded worker processes started here (and closed afterwards).
    ``as_default``: the client Dask computations use meanwhile (False: only the caller's
    submissions use it, and another thread may close it)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s", set_as_default=as_default)
        except (OSError, ValueError, TypeError) as err:  # unreachable, or not an address
            raise OSError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({err})") \
                from None
        with client:
            yield client
        return
    with contextlib.ExitStack() as stack:
        # read while the cluster starts (the nannies hand it to the worker processes
        # they start); the caller's own config is Dask's again afterwards
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            # (the nannies set the workers' variables in this process's environment to
            # start them: put back as they were, lest a later cluster or subprocess of the
            # caller's inherit them)
            before = {name: os.environ.get(name) for name in
                      dask.config.get("distributed.nanny.pre-spawn-environ")}
            stack.callback(_put_back, before)
            cluster = stack.enter_context(LocalCluster(
                # (and a copy of the whole config to each nanny, which merges it only one
                # level deep: a worker it starts again keeps these settings)
                config=dask.config.merge(dask.config.config, _nested(LOCAL_CLUSTER_CONFIG)),
                n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                # (Dask's own errors too: a failed piece or a lost worker comes back to the
                # run, which names it; a heartbeat cut short by the cluster's closing, an
                # error line on a good run, is only noise in a cron log)
                silence_logs=logging.CRITICAL,
                # no dashboard; the scheduler's own HTTP routes on a free port of
                # 127.0.0.1 (its default, 8787, may be taken: a warning on stderr)
                dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False}))
            _put_back(before)
        yield stack.enter_context(Client(cluster, set_as_default=as_default))


def _put_back(environ: dict[str, str | None]) -> None:
    """Environment variables set back to ``environ`` (None: not set)."""
    for name, value in environ.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _nested(flat: dict) -> dict:
    """``{"a.b": 1}`` -> ``{"a": {"b": 1}}`` (a Dask config as a nanny takes it)."""
    out: dict = {}
    for key, value in flat.items():
        *path, last = key.split(".")
        at = out
        for part in path:
            at = at.setdefault(part, {})
        at[last] = value
    return out
