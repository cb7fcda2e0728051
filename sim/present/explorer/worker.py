"""The engine off the server's thread: runs go to one worker process, so the numba kernel
(which holds the interpreter lock while it runs) never stalls the web server, and the kernels
are loaded once and stay warm.

The server sends a preset's file path (from its own list), the ``--set`` lines and a cache key;
the worker loads the file once, validates with the loader, runs, summarises and returns the
small :class:`~sim.present.explorer.compute.Result`. It keeps the last runs' Datasets (the
variables the page draws) for the CSV download; the netCDF download (every variable) and a
download of a run it no longer holds recompute the run (runs are deterministic).
"""

from __future__ import annotations

import multiprocessing
from collections import OrderedDict
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import xarray as xr

from sim.present.explorer.compute import (
    Result,
    compute,
    netcdf_bytes,
    simulate,
    statistics_csv,
)
from sim.scenario.loader import LoadedScenario, Located, read_document, validate_document

Mode = Literal["process", "thread"]
Download = Literal["netcdf", "csv"]
#: Datasets kept for downloads (the page's variables of every draw: ~17 MB per 1,000 draws)
KEEP_RUNS = 2

_DOCUMENTS: dict[str, Located] = {}
_RUNS: OrderedDict[str, tuple[LoadedScenario, xr.Dataset]] = OrderedDict()


def _load(path: str, overrides: list[str]) -> LoadedScenario:
    if path not in _DOCUMENTS:
        _DOCUMENTS[path] = read_document(path)
    return validate_document(_DOCUMENTS[path], path, overrides)


def _run(path: str, overrides: list[str], key: str) -> tuple[Result, xr.Dataset]:
    loaded = _load(path, overrides)
    result, ds = compute(loaded)
    _RUNS[key] = (loaded, ds)
    _RUNS.move_to_end(key)
    while len(_RUNS) > KEEP_RUNS:
        _RUNS.popitem(last=False)
    return result, ds


def run_job(path: str, overrides: list[str], key: str) -> Result:
    """In the worker: the Result of a run (kept for a later download)."""
    return _run(path, overrides, key)[0]


def download_job(path: str, overrides: list[str], key: str, kind: Download) -> bytes:
    """In the worker: a run's results as netCDF (every variable of every draw, recomputed:
    the page keeps only what it draws) or CSV (statistics of the variables shown)."""
    if kind == "netcdf":
        return netcdf_bytes(simulate(_RUNS[key][0] if key in _RUNS else _load(path, overrides)))
    ds = _RUNS[key][1] if key in _RUNS else _run(path, overrides, key)[1]
    return statistics_csv(ds)


def warm(path: str | None = None) -> None:
    """In the worker, once: choose numba's cache and load the kernels (a one-draw run).
    Ctrl-C is the server's to handle: the worker ignores it and is shut down by the server."""
    import signal
    import threading

    from sim.model.cache import configure_numba_cache

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    configure_numba_cache()
    if path is not None:
        _run(str(path), ["monte_carlo.draws=1"], "warm-up")
        _RUNS.pop("warm-up", None)


class Engine:
    """Submits runs and downloads to one worker (``process``, default; ``thread``: in this
    process, for a notebook that cannot start processes or for tests)."""

    def __init__(self, mode: Mode = "process", warm_with: Path | None = None) -> None:
        self.mode = mode
        self._executor: Executor
        if mode == "process":
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=warm, initargs=(str(warm_with) if warm_with else None,))
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aisim-run")
            self._executor.submit(warm, str(warm_with) if warm_with else None)

    def result(self, path: Path, overrides: list[str], key: str) -> Future[Result]:
        return self._executor.submit(run_job, str(path), list(overrides), key)

    def download(self, path: Path, overrides: list[str], key: str,
                 kind: Download) -> Future[bytes]:
        return self._executor.submit(download_job, str(path), list(overrides), key, kind)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
