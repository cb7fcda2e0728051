"""Run sweep chunks on dask.distributed: a LocalCluster on loopback, or an existing scheduler.

Only small task descriptions (:class:`sim.analysis.sweep.ChunkTask`) and small status dicts travel
through the scheduler; each worker computes its chunk and writes it straight into the zarr
store (``region`` writes into arrays created at full shape beforehand), then records the
chunk's status there. Workers therefore need the scenario files and the store on a shared
filesystem (same paths) when they run on other machines.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from sim.errors import InputError, Problem


def default_workers(n_tasks: int | None = None) -> int:
    """One single-threaded worker process per core (at least 1, at most the task count)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    n = max(1, cores)
    return max(1, min(n, n_tasks)) if n_tasks else n


def _dashboard_address() -> str | None:
    """Serve the dashboard on a free loopback port when bokeh is installed; else none."""
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return None
    return "127.0.0.1:0"


def start_local_cluster(workers: int | None = None, n_tasks: int | None = None) -> Any:
    """A LocalCluster of single-threaded worker processes on loopback."""
    from distributed import LocalCluster

    n = workers or default_workers(n_tasks)
    dashboard = _dashboard_address()
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=dashboard, scheduler_port=0,
                        silence_logs=40)


CONNECT_TIMEOUT = "10s"


def connect(address: str) -> Any:
    """A client of an existing scheduler; an unreachable one is bad input."""
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise InputError([Problem("command line", None, "--scheduler",
                                  "a reachable dask scheduler (tcp://HOST:PORT)",
                                  f"{address}: {exc}")]) from None


def run_tasks(tasks: list[Any], *, scheduler: str | None = None, client: Any = None,
              workers: int | None = None, progress: Any = None,
              quiet: bool = True) -> str | None:
    """Run :func:`sim.analysis.sweep.run_chunk` for every task on dask; return the dashboard link.

    A chunk whose worker dies (e.g. killed, out of memory) is recorded as failed from here.
    """
    from distributed import Client, as_completed

    from sim.analysis.sweep import STATUS_FAILED, record_status, run_chunk
    from sim.progress import Interrupt

    cluster = None
    own_client = client is None
    if client is None:
        if scheduler == "local":
            cluster = start_local_cluster(workers, len(tasks))
            client = Client(cluster)
        else:
            client = connect(str(scheduler))
    dashboard = None
    try:
        link = getattr(client, "dashboard_link", None)
        if link and (cluster is None or _dashboard_address() is not None):
            dashboard = str(link)
            if not quiet:
                print(f"dask dashboard: {dashboard}", flush=True)
        if cluster is not None:  # local workers: one numba thread each, no oversubscription
            tasks = [dataclasses.replace(t, numba_threads=1) for t in tasks]
        if not tasks:
            return dashboard
        futures = client.map(run_chunk, tasks, pure=False)
        by_future = dict(zip(futures, tasks, strict=True))
        try:
            for future in as_completed(futures):
                Interrupt.check()
                try:
                    future.result()
                except Exception as exc:  # the worker died: record it, go on
                    task = by_future[future]
                    record_status(task.store, task.index, STATUS_FAILED,
                                  f"{type(exc).__name__}: {exc}")
                if progress is not None:
                    progress.update(1)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    return dashboard
