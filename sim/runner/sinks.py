"""Where results go: a sink receives every chunk's outputs, in plan order.

The loop (:func:`sim.runner.loop.execute`) opens every sink with the plan, hands each chunk's
:class:`ChunkResult` to every sink, and closes them in order when all chunks are done (commit:
rename a temporary file onto its final name, write statistics) or aborts them on failure or
Ctrl-C (remove temporary files). Sinks combine: a run to netCDF also keeps its summaries.

A sink says what it needs: ``needs_paths`` (every draw's outputs) and/or ``summary`` (a
:class:`~sim.runner.summary.StreamingSummary` that the fused output pass merges into directly
when the chunk is computed in process, so that a summary-only run never materialises paths).

- :class:`MemorySink` — every draw's paths in memory; the Dataset of ``sim.run``;
- :class:`SummarySink` — streamed summaries (bounded memory);
- :class:`StatisticsSink` — mean, sd and quantiles per variable: exact when the plan is one
  chunk, streamed otherwise (a sweep point);
- :class:`NetCDFSink`, :class:`ZarrAppendSink` — every draw's paths to a file written under a
  temporary name, renamed when complete (:func:`store_sink` picks one by suffix);
- :class:`ZarrRegionSink` — paths or statistics into a region of a store whose arrays exist at
  full shape (a sweep store).
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from sim.atomic import (
    atomic_path,
    discard,
    probe_writable,
    replace_dir,
    target_problem,
    temporary_sibling,
    writing,
)
from sim.errors import InputError, Problem
from sim.progress import Interrupt
from sim.runner.plan import Chunk, Plan
from sim.runner.results import VARIABLES, describe, discard_store, to_zarr_quietly
from sim.runner.summary import QUANTILES, StreamingSummary, exact_statistics


@dataclass(frozen=True)
class ChunkResult:
    """One computed chunk: its outputs by variable name (rows first; empty when no sink needs
    paths) and the summary the fused pass already merged the chunk into (or None)."""

    chunk: Chunk
    outputs: dict[str, np.ndarray]
    merged: StreamingSummary | None = None


class Sink:
    """Base sink: needs nothing, keeps nothing. Subclasses override what they use."""

    needs_paths: bool = False
    summary: StreamingSummary | None = None

    def open(self, plan: Plan) -> None:
        """Called once before the first chunk."""

    def write(self, result: ChunkResult) -> None:
        """Called for every chunk, in plan order."""

    def close(self) -> None:
        """Called once after the last chunk (commit)."""

    def abort(self) -> None:
        """Called instead of :meth:`close` when the run fails or is interrupted."""


def variable_dims() -> dict[str, tuple[str, ...]]:
    """Dims of every output variable (the streaming summaries' ``dims``)."""
    return {k: v.dims for k, v in VARIABLES.items()}


# ------------------------------------------------------------------------------ in memory
class MemorySink(Sink):
    """Every draw's outputs (of ``variables``; default all) in arrays of the plan's rows."""

    needs_paths = True

    def __init__(self, variables: tuple[str, ...] | list[str] | None = None) -> None:
        self.variables = tuple(variables) if variables is not None else None
        self.arrays: dict[str, np.ndarray] = {}
        self.first, self.total = 0, 0

    def open(self, plan: Plan) -> None:
        self.first, self.total = plan.first, plan.total
        self.arrays = {}

    def write(self, result: ChunkResult) -> None:
        names = self.variables if self.variables is not None else tuple(result.outputs)
        row = result.chunk.start - self.first
        for name in names:
            values = result.outputs[name]
            if name not in self.arrays:
                self.arrays[name] = np.empty((self.total, *values.shape[1:]))
            self.arrays[name][row:row + result.chunk.count] = values

    def to_dataset(self, coords: dict[str, Any], attrs: dict[str, Any]) -> xr.Dataset:
        """The arrays as a described Dataset (dims of :data:`sim.model.variables.VARIABLES`)."""
        ds = xr.Dataset({name: (VARIABLES[name].dims, values)
                         for name, values in self.arrays.items()}, coords=coords)
        ds.attrs.update(attrs)
        return describe(ds)


class SummarySink(Sink):
    """Streamed summaries (:class:`StreamingSummary`, :attr:`streaming`) of ``variables``
    (default all). Of all variables, they are merged by the fused pass when the chunk is
    computed in process (no paths needed); of some variables, or on a remote executor, from the
    chunk's paths (the same numba routine, bit for bit), so that a summary of a few variables
    holds the statistics of those only."""

    def __init__(self, coords: dict[str, np.ndarray] | None = None,
                 attrs: dict[str, object] | None = None,
                 variables: tuple[str, ...] | list[str] | None = None) -> None:
        self.streaming = StreamingSummary(dims=variable_dims(), coords=dict(coords or {}),
                                          attrs=dict(attrs or {}))
        self.variables = tuple(variables) if variables is not None else tuple(VARIABLES)
        every = set(self.variables) == set(VARIABLES)
        self.summary = self.streaming if every else None  # offered to the fused pass
        self.needs_paths = not every

    def write(self, result: ChunkResult) -> None:
        if result.merged is not self.streaming:
            self.streaming.update({k: result.outputs[k] for k in self.variables})

    def result(self, quantiles: tuple[float, ...] = QUANTILES) -> xr.Dataset:
        """The summaries as a Dataset (units and long names of the variables; CF attributes
        of the Dataset and its coordinates, :func:`describe`)."""
        var_attrs = {k: v.attrs for k, v in VARIABLES.items()}
        return describe(self.streaming.result(var_attrs, quantiles))

    def statistics(self, name: str) -> dict[str, np.ndarray]:
        """mean, sd, quantile and quantile_se of one variable."""
        return self.streaming.state.statistics(name, QUANTILES)


class StatisticsSink(Sink):
    """mean, sd and quantiles over the plan's draws per variable: exact
    (:func:`sim.runner.summary.exact_statistics`) when the plan is one chunk (its draws are in
    memory anyway), else from the streamed summaries (:class:`SummarySink`)."""

    def __init__(self, variables: tuple[str, ...] | list[str]) -> None:
        self.variables = tuple(variables)
        self.inner: MemorySink | SummarySink | None = None

    def open(self, plan: Plan) -> None:
        exact = len(plan.chunks()) == 1
        self.inner = MemorySink(self.variables) if exact else SummarySink(
            variables=self.variables)
        self.inner.open(plan)
        self.needs_paths = self.inner.needs_paths
        self.summary = self.inner.summary

    def write(self, result: ChunkResult) -> None:
        self.inner.write(result)

    def statistics(self) -> dict[str, dict[str, np.ndarray]]:
        """``{variable: {"mean", "sd", "quantile", ...}}`` (quantiles first)."""
        if isinstance(self.inner, MemorySink):
            return {name: exact_statistics(self.inner.arrays[name], QUANTILES,
                                           standard_errors=False)
                    for name in self.variables}
        return {name: self.inner.statistics(name) for name in self.variables}


# ------------------------------------------------------------------------------ files
class _NetCDFWriter:
    """Create every variable up front with its full shape, then fill draw slices."""

    def __init__(self, path: Path, coords: dict[str, np.ndarray], attrs: dict) -> None:
        import h5netcdf

        # coordinates and attributes through xarray (string coordinates handled there), then
        # data variables are added and filled slice by slice with h5netcdf
        def coord(name: str, value: Any) -> tuple[Any, ...]:
            dims, values, *extra = value if isinstance(value, tuple) else (name, value)
            values = np.asarray(values)
            return (dims, values.astype(str) if values.dtype == object else values, *extra)

        skeleton = xr.Dataset(coords={k: coord(k, v) for k, v in coords.items()}, attrs=attrs)
        describe(skeleton).to_netcdf(path, engine="h5netcdf")
        self.file = h5netcdf.File(path, "a")
        self.created: set[str] = set()

    def write(self, start: int, chunk: dict[str, np.ndarray], chunk_rows: int) -> None:
        for name, values in chunk.items():
            spec = VARIABLES[name]
            if name not in self.created:
                shape = [self.file.dimensions[d].size for d in spec.dims]
                chunks = tuple(min(chunk_rows, s) if d == "draw" else s
                               for d, s in zip(spec.dims, shape, strict=True))
                var = self.file.create_variable(name, spec.dims, dtype="f8", chunks=chunks,
                                                compression="gzip", compression_opts=4)
                var.attrs.update(spec.attrs)
                self.created.add(name)
            self.file.variables[name][start:start + values.shape[0]] = values

    def close(self) -> None:
        self.file.close()


class NetCDFSink(Sink):
    """Every draw's paths into a netCDF file (h5netcdf slices) created at full shape under a
    temporary name, renamed onto ``path`` on :meth:`close`. The environment's refusals (disk
    full, read-only, permission) raise :class:`~sim.errors.OutputError`; on any failure the
    temporary is removed and a previous file under ``path`` is left as it was."""

    needs_paths = True

    def __init__(self, path: Path, coords: dict[str, np.ndarray], attrs: dict,
                 chunk_rows: int) -> None:
        self.path, self.coords, self.attrs, self.chunk_rows = Path(path), coords, attrs, \
            chunk_rows
        self.tmp: Path | None = None
        self.writer: _NetCDFWriter | None = None

    def open(self, plan: Plan) -> None:
        self.tmp = atomic_path(self.path)
        with writing(self.path):
            self.writer = _NetCDFWriter(self.tmp, self.coords, self.attrs)

    def write(self, result: ChunkResult) -> None:
        with writing(self.path):
            self.writer.write(result.chunk.start, result.outputs, self.chunk_rows)

    def close(self) -> None:
        with writing(self.path):
            self.writer.close()
            self.writer = None
            os.replace(self.tmp, self.path)
        self.tmp = None

    def abort(self) -> None:
        with Interrupt.shielded():
            writer, self.writer = self.writer, None
            if writer is not None:
                with suppress(Exception):  # a file broken by the failure: removed below
                    writer.close()
            discard(self.tmp)
            self.tmp = None


def chunk_dataset(chunk: dict[str, np.ndarray], coords: dict[str, np.ndarray],
                  start: int) -> xr.Dataset:
    """One chunk's paths as a Dataset whose ``draw`` coordinate starts at ``start``."""
    n = next(iter(chunk.values())).shape[0]
    ds = xr.Dataset({k: (VARIABLES[k].dims, v) for k, v in chunk.items()},
                    coords={**{k: v for k, v in coords.items() if k != "draw"},
                            "draw": np.arange(start, start + n)})
    return describe(ds)


def zarr_target_problem(path: Path) -> str | None:
    """Why ``path`` cannot receive a zarr store, or None: a parent that is a file, or an
    existing directory that is neither empty nor a zarr store (never replaced)."""
    problem = target_problem(path, folder=True)
    if problem is None and path.is_dir() and not any(
            (path / name).exists() for name in ZARR_MARKERS) and any(path.iterdir()):
        problem = f"{path} (an existing directory that is not a zarr store)"
    return problem


#: files at the top of a zarr store (v3, v2)
ZARR_MARKERS = ("zarr.json", ".zgroup", ".zattrs", ".zmetadata")


class ZarrAppendSink(Sink):
    """Every draw's paths appended along ``draw`` to a zarr store built under a temporary
    name, renamed onto ``path`` on :meth:`close` (replacing a previous store or file there).
    Every chunk carries the provenance attributes, so a store of several chunks has them as
    one of a single chunk does."""

    needs_paths = True

    def __init__(self, path: Path, coords: dict[str, np.ndarray], attrs: dict) -> None:
        self.path, self.coords, self.attrs = Path(path), coords, attrs
        self.tmp = temporary_sibling(self.path, "part")
        self.started = False

    def open(self, plan: Plan) -> None:
        probe_writable(self.path)  # read-only or forbidden: refused before any work
        discard_store(self.tmp)
        self.started = False

    def write(self, result: ChunkResult) -> None:
        ds = chunk_dataset(result.outputs, self.coords, result.chunk.start)
        ds.attrs.update(self.attrs)  # an append rewrites the group's attributes
        with writing(self.path):
            if not self.started:
                self.started = True
                to_zarr_quietly(ds, self.tmp, mode="w-")
            else:
                to_zarr_quietly(ds, self.tmp, append_dim="draw")

    def close(self) -> None:
        with writing(self.path):
            replace_dir(self.tmp, self.path)

    def abort(self) -> None:
        discard_store(self.tmp)  # after zarr's IO thread is done: no write recreates it


def store_sink(out: Path, coords: dict[str, np.ndarray], attrs: dict,
               chunk_rows: int) -> Sink:
    """The file sink for ``out`` by its suffix (.nc or .zarr); anything else, zarr not
    installed, or a path that cannot be written to (:func:`output_problem`) is bad input."""
    if out.suffix not in (".nc", ".zarr"):
        raise InputError([Problem("command line", None, "--out",
                                  "a path ending in .nc or .zarr", str(out))])
    problem = output_problem(out)
    if problem is not None:
        raise InputError([problem])
    if out.suffix == ".nc":
        return NetCDFSink(out, coords, attrs, chunk_rows)
    try:
        import zarr  # noqa: F401
    except ImportError:
        raise InputError([Problem("command line", None, "--out",
                                  "zarr installed for a .zarr output", "zarr missing",
                                  "pip install 'aisim[distributed]'")]) from None
    return ZarrAppendSink(out, coords, attrs)


def output_problem(out: Path, option: str = "--out") -> Problem | None:
    """The problem with ``out`` as an output path (.zarr: a store; else a file), or None."""
    text = zarr_target_problem(out) if out.suffix == ".zarr" else target_problem(out)
    if text is None:
        return None
    return Problem.command_line(option, "a path where a results file can be written", text)


class ZarrRegionSink(Sink):
    """Into a region of a zarr group whose arrays exist at full shape (a sweep store):
    every draw's paths of ``variables`` at ``(*region, draws)``, or, with ``stats``, the
    statistics over the plan's draws (:class:`StatisticsSink`) as ``<variable>_<stat>`` at
    ``region``, written on :meth:`close`."""

    def __init__(self, group: Any, region: tuple[int, ...], variables: tuple[str, ...],
                 stats: tuple[str, ...] | None = None) -> None:
        self.group, self.region, self.variables = group, tuple(region), tuple(variables)
        self.stats = stats
        self.statistics = StatisticsSink(self.variables) if stats is not None else None
        self.needs_paths = stats is None

    def open(self, plan: Plan) -> None:
        if self.statistics is not None:
            self.statistics.open(plan)
            self.needs_paths = self.statistics.needs_paths
            self.summary = self.statistics.summary

    def write(self, result: ChunkResult) -> None:
        if self.statistics is not None:
            self.statistics.write(result)
            return
        chunk = result.chunk
        sel = (*self.region, slice(chunk.start, chunk.start + chunk.count))
        for name in self.variables:
            self.group[name][sel] = result.outputs[name]

    def close(self) -> None:
        if self.statistics is None:
            return
        stats = self.statistics.statistics()
        for name in self.variables:
            for stat in self.stats:
                self.group[f"{name}_{stat}"][self.region] = stats[name][stat]
