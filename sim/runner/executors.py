"""Where tasks run: in this process, or on dask.distributed.

An executor calls ``fn(task)`` for every task of a list and reports each outcome through
callbacks: ``on_done(i, value)`` or ``on_error(i, exception)`` (without ``on_error`` a failure
is raised). It knows nothing of what the tasks are (chunks of a run, sweep chunks, anything
picklable); progress and Ctrl-C are the caller's (:func:`sim.runner.loop.run_tasks`).

- :class:`InProcessExecutor` — the tasks one after another; the numba kernels use their own
  threads inside each task.
- :class:`DaskExecutor` — ``client.map`` on a LocalCluster on loopback (single-threaded worker
  processes, one per core), an existing scheduler (``tcp://HOST:PORT``) or a given client. The
  function and tasks must be picklable and importable on the workers; results come back in
  completion order.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sim.errors import InputError, Problem

Done = Callable[[int, Any], None]
Failed = Callable[[int, BaseException], None]


class Executor(Protocol):
    """Runs ``fn`` over ``tasks``; ``remote`` says whether ``fn`` runs in other processes (so
    it shares no state with the caller and must be picklable)."""

    remote: bool

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any], *, on_done: Done,
            on_error: Failed | None = None) -> None:
        """Call ``fn(task)`` for every task; report each outcome by its index in ``tasks``."""


def deliver(i: int, outcome: Callable[[], Any], on_done: Done, on_error: Failed | None) -> None:
    """Task ``i``'s value from ``outcome()`` to ``on_done``, or its exception to ``on_error``
    (raised when there is none)."""
    try:
        value = outcome()
    except Exception as exc:
        if on_error is None:
            raise
        on_error(i, exc)
        return
    on_done(i, value)


class InProcessExecutor:
    """The tasks in order, in this process (the numba kernels thread inside each one)."""

    remote = False

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any], *, on_done: Done,
            on_error: Failed | None = None) -> None:
        for i, task in enumerate(tasks):
            deliver(i, functools.partial(fn, task), on_done, on_error)


# ------------------------------------------------------------------------------ dask
def default_workers(n_tasks: int | None = None) -> int:
    """One single-threaded worker process per core (at least 1, at most the task count)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
    n = max(1, cores)
    return max(1, min(n, n_tasks)) if n_tasks else n


def dashboard_address() -> str | None:
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
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=dashboard_address(), scheduler_port=0,
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


@dataclass(frozen=True)
class NumbaThreads:
    """``fn`` run with at most ``threads`` numba threads (on a worker that shares its cores
    with other workers)."""

    fn: Callable[[Any], Any]
    threads: int

    def __call__(self, task: Any) -> Any:
        import numba

        numba.set_num_threads(min(self.threads, numba.config.NUMBA_NUM_THREADS))
        return self.fn(task)


class DaskExecutor:
    """Tasks on dask.distributed. Use as a context manager: entering starts the LocalCluster
    (``scheduler="local"``) or connects (``scheduler="tcp://..."``), unless a ``client`` is
    given; leaving closes what was started here.

    On a LocalCluster every task runs with one numba thread (one single-threaded worker per
    core: no oversubscription). A task whose worker dies (killed, out of memory) is reported
    through ``on_error``.
    """

    remote = True

    def __init__(self, scheduler: str | None = None, client: Any = None,
                 workers: int | None = None, n_tasks: int | None = None) -> None:
        if scheduler is None and client is None:
            raise ValueError("DaskExecutor needs a scheduler ('local', 'tcp://...') or a client")
        self.scheduler, self.workers, self.n_tasks = scheduler, workers, n_tasks
        self.client = client
        self.cluster: Any = None
        self._own_client = client is None
        self.dashboard: str | None = None

    def __enter__(self) -> DaskExecutor:
        from distributed import Client

        if self.client is None:
            if self.scheduler == "local":
                self.cluster = start_local_cluster(self.workers, self.n_tasks)
                self.client = Client(self.cluster)
            else:
                self.client = connect(str(self.scheduler))
        link = getattr(self.client, "dashboard_link", None)
        if link and (self.cluster is None or dashboard_address() is not None):
            self.dashboard = str(link)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._own_client and self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def map(self, fn: Callable[[Any], Any], tasks: Sequence[Any], *, on_done: Done,
            on_error: Failed | None = None) -> None:
        from distributed import as_completed

        if self.client is None:
            raise RuntimeError("use DaskExecutor as a context manager (with ... as executor)")
        if not tasks:
            return
        if self.cluster is not None:
            fn = NumbaThreads(fn, 1)
        futures = self.client.map(fn, list(tasks), pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        try:
            for future in as_completed(futures):
                deliver(index[future.key], future.result, on_done, on_error)
        except BaseException:
            self.client.cancel(futures)
            raise
