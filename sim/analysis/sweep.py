"""Parameter sweeps: full grids, one-at-a-time variations and sampled designs (LHS, Sobol).

Every sweep point is the scenario with ``--set``-style overrides (``ai.cost_saving=0.2``),
validated exactly like ``--set`` before anything is computed; each point may be a Monte Carlo
of ``draws`` draws. Work is split into chunks of (point, draw range), and chunks are batched:
a batch task is a block of points (one zarr chunk of every array along the sweep dimensions)
over one draw range. Each point of a batch is a point plan (:func:`sim.runner.plan.point_plan`)
plus a region sink (:class:`sim.runner.sinks.ZarrRegionSink`, into the batch's in-memory block)
through the one loop; the block is then written, one chunk per array, in one zarr IO call
(:mod:`sim.runner.zarr_blocks`). Batch tasks run
through an executor (:mod:`sim.runner.executors`: in process, or dask.distributed), each
writing its block straight into the zarr store (see ``docs/sweeps.md`` for the layout); the
driver records the chunks of each finished batch in the store, so an interrupted sweep resumes
where it stopped; a point that fails is recorded with its error and the sweep goes on.

The sweep definition lives in its own YAML file (``--spec sweep.yaml``; the scenario schema
forbids unknown keys) or on the command line::

    grid:                       # full grid: one dimension per parameter
      ai.cost_saving: [0.2, 0.27, 0.36]
      ai.parkinson_rebound: [0.0, 0.1]
    # oat: {ai.cost_saving: [0.2, 0.36]}        one at a time around the central case
    # design: {method: sobol, points: 64, ranges: {ai.cost_saving: [0.2, 0.4]}}
    draws: 100                  # Monte Carlo draws per point (default: the scenario's)
    seed: 1                     # root seed (default: the scenario's)
    chunk: 50                   # draws per chunk (default: all draws of a point)
    batch: 32                   # points per store chunk and task (default: automatic)
    keep_draws: false           # store every draw's paths instead of summaries
    variables: [tfp_gain_pct, gdp_gain_pct]    # default: all
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.sweep_spec import (  # noqa: F401  (re-exported: the sweep definition)
    DESIGNS,
    KINDS,
    SPEC_KEYS,
    SweepSpec,
    load_spec,
    parse_spec,
)
from sim.atomic import (
    discard,
    environment_errno,
    probe_writable,
    replace_dir,
    temporary_sibling,
    writing,
)
from sim.errors import InputError, Problem
from sim.suggest import did_you_mean

STATS = ("mean", "sd", "quantile")
STATUS_PENDING, STATUS_OK, STATUS_FAILED = 0, 1, 2
#: SeedSequence spawn key of the sweep design stream (apart from sim.sampling.designs's 0..4)
_DESIGN_STREAM = 101
#: error text kept per failed chunk
_MAX_ERROR = 2000
#: most points in one batch (memory per task: ~330 KB a point for all variables' summaries)
MAX_BATCH = 256
#: the driver writes chunk status to the store at most this often (and at the end)
_STATUS_FLUSH_S = 1.0


# ------------------------------------------------------------------------------ scenarios
@functools.lru_cache(maxsize=8)
def _base_doc(source: str, stamp: tuple[int, int]) -> Any:
    """The merged (``extends:``) YAML document of a scenario file, read once per version."""
    from sim.scenario.loader import read_document

    return read_document(source)


def load_point(source: str | Path, overrides: tuple[str, ...] | list[str] = ()) -> Any:
    """``sim.scenario.loader.load_scenario(source, overrides)`` with the file read once: the same
    merge, validation and problems, about 1 ms a point instead of 40 ms."""
    from sim.scenario.loader import validate_document

    path = Path(source)
    resolved = path.resolve()
    try:
        st = resolved.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (0, 0)
    return validate_document(_base_doc(str(resolved), stamp), path, list(overrides))


@functools.lru_cache(maxsize=64)
def _cached_point(source: str, overrides: tuple[str, ...]) -> Any:
    return load_point(source, overrides)


def _batch_point(source: str, overrides: tuple[str, ...], keep_draws: bool) -> Any:
    """A batch's point, validated: once per worker for all the draw chunks of a
    ``--keep-draws`` point (cached); afresh for a summary point, which is in one batch only:
    caching it would only keep its objects alive (measured: 17 more young and one more full
    garbage collection in 8 batches of 64 points, ~200 ms each)."""
    return _cached_point(source, overrides) if keep_draws else load_point(source, overrides)


def override_text(path: str, value: float) -> str:
    """``path=value`` whose YAML value reads back as exactly ``value`` (a float)."""
    import yaml

    return f"{path}={yaml.safe_dump(float(value)).splitlines()[0]}"


def suggest_path(name: str, known: list[str]) -> str:
    """"did you mean ...?" for an unknown dotted path (its last component also matches)."""
    return did_you_mean(name, known, 0.5, last_component=True)


def check_paths(params: tuple[str, ...] | list[str], leaves: dict[str, Any], key: str,
                file: str = "command line") -> list[Problem]:
    """Problems for dotted paths that are not numeric parameters of the scenario."""
    known = list(leaves)
    return [Problem(file, None, f"{key} {p}", "a numeric parameter of the scenario "
                    "(dotted path, see sim.scenario.parameters.numeric_leaves)",
                    f"unknown path {p!r}", suggest_path(p, known))
            for p in params if p not in leaves]


# ------------------------------------------------------------------------------ the plan
@dataclass(frozen=True)
class Chunk:
    """One unit of work: draws [start, start + count) of one sweep point."""

    index: int
    point: int
    start: int
    count: int


@dataclass(frozen=True)
class Batch:
    """One task: the points of one zarr chunk along the sweep dimensions (``block``, a
    ``(start, stop)`` per sweep dimension; ``points`` their flat indices in C order) over draws
    [start, start + count); ``chunks`` the indices of its (point, draw range) chunks."""

    index: int
    block: tuple[tuple[int, int], ...]
    points: tuple[int, ...]
    chunks: tuple[int, ...]
    start: int
    count: int


@dataclass
class SweepPlan:
    """A validated sweep: its points, output layout, chunks, batches and fingerprint."""

    spec: SweepSpec
    base: Any                      # LoadedScenario
    points: list[dict[str, float]]
    overrides: list[tuple[str, ...]]
    point_sha: list[str]
    dims: tuple[str, ...]          # leading sweep dims
    shape: tuple[int, ...]
    coords: dict[str, tuple[tuple[str, ...], Any]]
    draws: int
    seed: int
    sampler: str
    chunk: int
    variables: tuple[str, ...]
    fingerprint: str = ""
    chunks: list[Chunk] = field(default_factory=list)
    batch: int = 1                 # points per batch (the product of ``lead_chunks``)
    lead_chunks: tuple[int, ...] = ()   # zarr chunk shape along the sweep dims
    batches: list[Batch] = field(default_factory=list)

    @property
    def keep_draws(self) -> bool:
        return self.spec.keep_draws

    def region(self, point: int) -> tuple[int, ...]:
        return tuple(int(i) for i in np.unravel_index(point, self.shape))

    def describe_point(self, point: int) -> str:
        values = self.points[point]
        if not values:
            return "central"
        return ", ".join(f"{k}={v:g}" for k, v in values.items())


def _design_unit(method: str, d: int, n: int, seed: int) -> np.ndarray:
    import warnings

    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DESIGN_STREAM,)))
    engine = qmc.Sobol(d, scramble=True, rng=rng) if method == "sobol" else \
        qmc.LatinHypercube(d, rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Sobol balance warning for n not a power of two
        return engine.random(n)


def auto_batch(n_points: int, draws: int, n_variables: int, keep_draws: bool) -> int:
    """Points per batch when the sweep does not say: enough that a batch's store writes (one
    per array, ~2.5 ms each; 3 statistics per variable) are under ~5 % of its compute
    (~10 ms + 0.2 ms per draw and point, measured in docs/scaling.md), but at most
    ``ceil(points / 16)`` so that there are tasks for 16 workers, and at most
    :data:`MAX_BATCH`. ``--keep-draws`` stores are batched one point at a time (a point's
    draws are large already)."""
    if keep_draws:
        return 1
    write_s = (3 * n_variables + 1) * 0.0025
    point_s = 0.010 + 0.0002 * draws
    want = math.ceil(20 * write_s / point_s)
    return max(1, min(want, math.ceil(n_points / 16), MAX_BATCH))


def lead_chunk_shape(shape: tuple[int, ...], batch: int) -> tuple[int, ...]:
    """The zarr chunk shape along the sweep dimensions holding at most ``batch`` points: the
    last dimensions whole as far as they fit, then a part of the next one, 1 before it."""
    out = []
    room = max(1, batch)
    for size in reversed(shape):
        c = max(1, min(size, room))
        out.append(c)
        room //= c
    return tuple(reversed(out))


def plan_batches(shape: tuple[int, ...], lead: tuple[int, ...], chunks: list[Chunk],
                 n_draw_chunks: int) -> list[Batch]:
    """The batch tasks: every zarr block of ``lead`` over ``shape``, for every draw range."""
    by_point: dict[int, list[Chunk]] = {}
    for c in chunks:
        by_point.setdefault(c.point, []).append(c)
    grid = [math.ceil(n / c) for n, c in zip(shape, lead, strict=True)]
    batches: list[Batch] = []
    for block_index in np.ndindex(*grid):
        block = tuple((b * c, min((b + 1) * c, n))
                      for b, c, n in zip(block_index, lead, shape, strict=True))
        local = tuple(hi - lo for lo, hi in block)
        points = tuple(int(np.ravel_multi_index(
            tuple(lo + i for (lo, _), i in zip(block, idx, strict=True)), shape))
            for idx in np.ndindex(*local))
        for d in range(n_draw_chunks):
            units = [by_point[p][d] for p in points]
            batches.append(Batch(len(batches), block, points,
                                 tuple(u.index for u in units), units[0].start,
                                 units[0].count))
    return batches


def plan_sweep(scenario: str | Path, spec: SweepSpec) -> SweepPlan:
    """Validate the sweep against the scenario (every point like ``--set``) and lay it out.

    Raises :class:`InputError` with every problem (unknown paths with suggestions, invalid
    values at points) before anything is computed or written.
    """
    from sim.errors import InfeasibleScenarioError, ScenarioError
    from sim.runner.plan import RunSettings
    from sim.runner.results import VARIABLES
    from sim.scenario.parameters import is_distribution, numeric_leaves

    source = str(scenario)
    base = load_point(source, ())
    scn = base.scenario
    leaves = numeric_leaves(scn)
    flag = {"grid": "--grid", "oat": "--oat", "design": "--range"}[spec.kind]
    problems = check_paths(spec.params, leaves, flag)
    if problems:
        raise InputError(problems)
    settings = RunSettings.from_scenario(scn, spec.draws, spec.seed, spec.sampler, None)
    draws = settings.draws
    chunk = min(spec.chunk or draws, draws)

    def central(p: str) -> float:
        v = leaves[p]
        return float(v.mean()) if is_distribution(v) else float(v)

    coords: dict[str, tuple[tuple[str, ...], Any]] = {}
    points: list[dict[str, float]] = []
    if spec.kind == "grid":
        dims = tuple(spec.params)
        shape = tuple(len(v) for v in spec.values)
        for combo in np.ndindex(*shape):
            points.append({p: spec.values[k][i] for k, (p, i) in
                           enumerate(zip(spec.params, combo, strict=True))})
        for p, vals in zip(spec.params, spec.values, strict=True):
            coords[p] = ((p,), np.array(vals, dtype=float))
    else:
        dims = ("point",)
        varied = []
        if spec.kind == "oat":
            points.append({})
            varied.append("")
            for p, vals in zip(spec.params, spec.values, strict=True):
                for v in vals:
                    points.append({p: v})
                    varied.append(p)
        else:
            u = _design_unit(spec.method, len(spec.params), spec.points, settings.seed)
            for row in u:
                points.append({p: lo + float(x) * (hi - lo) for p, (lo, hi), x in
                               zip(spec.params, spec.ranges, row, strict=True)})
        shape = (len(points),)
        coords["point"] = (("point",), np.arange(len(points)))
        for p in spec.params:
            coords[p] = (("point",), np.array([pt.get(p, central(p)) for pt in points]))
        if spec.kind == "oat":
            coords["varied"] = (("point",), np.array(varied, dtype=object))
    overrides = [tuple(override_text(p, v) for p, v in pt.items()) for pt in points]
    shas: list[str] = []
    for i, ov in enumerate(overrides):
        try:
            shas.append(load_point(source, ov).sha256)
        except InfeasibleScenarioError as exc:  # valid values, infeasible combination: the
            shas.append(exc.loaded.sha256)  # point is recorded as failed when it runs
        except ScenarioError as exc:
            for prob in exc.problems:
                hint = f"at sweep point {i} ({', '.join(ov)})"
                problems.append(Problem(prob.file, prob.line, prob.key, prob.expected, prob.got,
                                        f"{prob.hint}; {hint}" if prob.hint else hint))
            shas.append("")
        if len(problems) >= 20:
            break
    if problems:
        raise InputError(problems)
    variables = spec.variables or tuple(VARIABLES)
    n_draw_chunks = math.ceil(draws / chunk) if spec.keep_draws else 1
    chunks: list[Chunk] = []
    for i in range(len(points)):
        if spec.keep_draws:
            for c in range(n_draw_chunks):
                start = c * chunk
                chunks.append(Chunk(len(chunks), i, start, min(chunk, draws - start)))
        else:
            chunks.append(Chunk(len(chunks), i, 0, draws))
    batch = spec.batch or auto_batch(len(points), draws, len(variables), spec.keep_draws)
    lead_chunks = lead_chunk_shape(shape, batch)
    batches = plan_batches(shape, lead_chunks, chunks, n_draw_chunks)
    from sim.version import __version__

    fp_source = {"scenario_sha256": base.sha256, "kind": spec.kind, "dims": dims,
                 "overrides": overrides, "draws": draws, "seed": settings.seed,
                 "sampler": settings.sampler, "chunk": chunk, "keep_draws": spec.keep_draws,
                 "variables": variables, "aisim_version": __version__,
                 "lead_chunks": lead_chunks}
    fingerprint = hashlib.sha256(json.dumps(fp_source, sort_keys=True).encode()).hexdigest()
    return SweepPlan(spec, base, points, overrides, shas, dims, shape, coords, draws,
                     settings.seed, settings.sampler, chunk, variables, fingerprint, chunks,
                     int(np.prod(lead_chunks)), lead_chunks, batches)


# ------------------------------------------------------------------------------ compute
def draw_table(scn: Any, draws: int, seed: int, sampler: str, start: int, count: int) -> Any:
    """ParamTable of global draws [start, start + count) of a ``draws``-draw run: the same
    rows :func:`sim.runner.plan.parameter_chunks` gives for them (chunk-invariant sampler)."""
    from sim.runner.plan import RunSettings, parameter_table

    return parameter_table(scn, RunSettings(draws, seed, sampler, count), start, count)


@dataclass(frozen=True)
class PointTask:
    """One point of a batch: its chunk index, flat index, place in the batch's block, the
    overrides and the resolved sha256 it was planned with."""

    chunk: int
    point: int
    local: tuple[int, ...]
    overrides: tuple[str, ...]
    point_sha: str


@dataclass(frozen=True)
class BatchTask:
    """Everything a worker needs for one batch (small: no arrays)."""

    store: str
    index: int
    block: tuple[tuple[int, int], ...]
    points: tuple[PointTask, ...]
    start: int
    count: int
    source: str
    draws: int
    seed: int
    sampler: str
    chunk: int
    keep_draws: bool
    variables: tuple[str, ...]


@functools.lru_cache(maxsize=4)
def _open_group(store: str, token: tuple[int, int]) -> Any:
    import zarr

    return zarr.open_group(store, mode="r+", use_consolidated=False)


def _group(store: str) -> Any:
    st = os.stat(os.path.join(store, "zarr.json"))
    return _open_group(store, (st.st_mtime_ns, st.st_ino))


@functools.lru_cache(maxsize=4)
def _open_arrays(store: str, token: tuple[int, int], names: tuple[str, ...]) -> dict[str, Any]:
    group = _open_group(store, token)
    return {n: group[n] for n in names}


def _arrays(store: str, names: tuple[str, ...]) -> dict[str, Any]:
    """The store's arrays ``names``, opened once per worker and store (opening one reads its
    metadata: ~1 ms, 175 of them for all variables' summaries)."""
    st = os.stat(os.path.join(store, "zarr.json"))
    return _open_arrays(store, (st.st_mtime_ns, st.st_ino), names)


class _DrawWindow:
    """A batch buffer seen through global draw indices: ``ZarrRegionSink`` writes draws
    [a, b) of a point at ``(*region, slice(a, b))``; the buffer holds draws from ``offset``."""

    def __init__(self, array: np.ndarray, offset: int) -> None:
        self.array, self.offset = array, offset

    def __setitem__(self, sel: tuple[Any, ...], value: Any) -> None:
        *region, draws = sel
        self.array[(*region, slice(draws.start - self.offset, draws.stop - self.offset))] = value


def _batch_buffers(task: BatchTask, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """NaN arrays for the batch's block of every stored array (``shapes``: the store's full
    shape per array), all views of one allocation.

    One block rather than one allocation per array: with 174 separate arrays (1 KB to 1 MB)
    alive through the batch and freed after it, glibc's malloc kept returning the kernel's
    per-point temporaries to the system and faulting them in again (measured: ~2,000-2,700
    minor page faults and 5-10 ms of system time a point of flanders/central, 64 points x
    100 draws; with one block, or outside a sweep, ~0-50 and ~1 ms)."""
    lead = tuple(hi - lo for lo, hi in task.block)
    blocks = {}
    for name, shape in shapes.items():
        rest = list(shape[len(lead):])
        if task.keep_draws:
            rest[0] = task.count
        blocks[name] = (*lead, *rest)
    sizes = [math.prod(shape) for shape in blocks.values()]
    flat = np.full(sum(sizes), np.nan)
    out, start = {}, 0
    for (name, shape), size in zip(blocks.items(), sizes, strict=True):
        out[name] = flat[start:start + size].reshape(shape)
        start += size
    return out


def run_batch(task: BatchTask) -> dict[str, Any]:
    """Compute the points of one batch into memory, write the block of every array into the
    store (one chunk per array, all in one zarr IO call: :func:`write_blocks`), and return each
    chunk's outcome for the driver to record. Never raises for a failing point: its error
    is returned and its values stay NaN; a disk error stops the sweep (it is not the point's
    fault; the store resumes later).

    Each point is its plan over the batch's draws plus a region sink into the block: every
    draw's paths (``keep_draws``) or, for a batch that covers all of the points' draws, mean,
    sd and quantiles over them (exact when they fit one chunk, else streamed).
    """
    from sim.runner.loop import execute
    from sim.runner.plan import RunSettings, point_plan
    from sim.runner.sinks import ZarrRegionSink
    from sim.runner.zarr_blocks import write_blocks

    t0 = time.perf_counter()
    if task.keep_draws:
        names = list(task.variables)
    else:
        names = [f"{v}_{stat}" for v in task.variables for stat in STATS]
    arrays = _arrays(task.store, tuple(names))
    buffers = _batch_buffers(task, {n: a.shape for n, a in arrays.items()})
    view: dict[str, Any] = ({n: _DrawWindow(b, task.start) for n, b in buffers.items()}
                            if task.keep_draws else buffers)
    settings = RunSettings(task.draws, task.seed, task.sampler, task.chunk)
    outcomes = []
    compute = 0.0
    for pt in task.points:
        p0 = time.perf_counter()
        try:
            loaded = _batch_point(task.source, pt.overrides, task.keep_draws)
            if loaded.sha256 != pt.point_sha:
                raise InputError([Problem(task.source, None, "(file)",
                                          "the scenario the sweep was planned with",
                                          "a changed file (resolved sha256 differs)")])
            plan = point_plan(loaded.scenario, settings, task.start, task.count)
            sink = ZarrRegionSink(view, pt.local, task.variables,
                                  stats=None if task.keep_draws else STATS)
            execute(plan, [sink])
            status, error = STATUS_OK, ""
        except Exception as exc:  # recorded, listed in the summary; the sweep goes on
            if environment_errno(exc) is not None:
                raise
            status, error = STATUS_FAILED, f"{type(exc).__name__}: {exc}"
            for b in buffers.values():  # no partial values of a failed point
                b[pt.local] = np.nan
        seconds = time.perf_counter() - p0
        compute += seconds
        outcomes.append((pt.chunk, status, error[:_MAX_ERROR], seconds))
    w0 = time.perf_counter()
    block = tuple(slice(lo, hi) for lo, hi in task.block)
    if task.keep_draws:
        block = (*block, slice(task.start, task.start + task.count))
    write_blocks([(arrays[name], block, values) for name, values in buffers.items()])
    store = time.perf_counter() - w0
    share = store / max(1, len(task.points))
    return {"index": task.index, "chunks": [(c, st, err, sec + share)
                                            for c, st, err, sec in outcomes],
            "compute_seconds": compute, "store_seconds": store,
            "seconds": time.perf_counter() - t0}


class StatusLog:
    """The driver's record of finished chunks: kept in memory and written to the store's
    ``chunk_status``/``chunk_error``/``chunk_seconds`` (after the data, which the batch wrote
    before returning) at most every :data:`_STATUS_FLUSH_S` seconds and on :meth:`flush`.
    One writer (the driver), so batches never write the same zarr chunk; a chunk whose data
    were written but whose status was not (killed in between) is recomputed on resume, with
    the same values."""

    def __init__(self, store: str | Path) -> None:
        import zarr

        self.group = zarr.open_group(store, mode="r+", use_consolidated=False)
        self.status = np.asarray(self.group["chunk_status"][:])
        self.error = np.asarray(self.group["chunk_error"][:]).astype(object)
        self.seconds = np.asarray(self.group["chunk_seconds"][:])
        self.dirty = False
        self.last = time.monotonic()

    def record(self, index: int, status: int, error: str = "", seconds: float = np.nan) -> None:
        self.status[index] = status
        self.error[index] = error[:_MAX_ERROR]
        self.seconds[index] = seconds
        self.dirty = True

    def maybe_flush(self) -> None:
        if time.monotonic() - self.last >= _STATUS_FLUSH_S:
            self.flush()

    def flush(self) -> None:
        if self.dirty:
            self.group["chunk_error"][:] = self.error
            self.group["chunk_seconds"][:] = self.seconds
            self.group["chunk_status"][:] = self.status  # last: what resume reads
            self.dirty = False
        self.last = time.monotonic()


# ------------------------------------------------------------------------------ the store
def _skeleton(plan: SweepPlan, path: Path) -> None:
    """Create the store with every array at full shape (no data yet), coordinates,
    provenance and the fingerprint; workers then write regions."""
    import dask.array as da
    import xarray as xr
    import zarr

    from sim.runner.results import COHORTS, VARIABLES, describe, provenance
    from sim.runner.summary import QUANTILES

    scn = plan.base.scenario
    years = np.arange(scn.horizon.start, scn.horizon.end + 1)
    rest_sizes = {"year": len(years), "sector": len(scn.sectors), "cohort": len(COHORTS),
                  "draw": plan.draws, "quantile": len(QUANTILES)}
    lead = list(plan.dims)
    lead_shape = list(plan.shape)
    data_vars: dict[str, Any] = {}

    def empty(dims: list[str], chunks: list[int]) -> Any:
        shape = [*lead_shape, *(rest_sizes[d] for d in dims)]
        return da.full(shape, np.nan, chunks=[*plan.lead_chunks, *chunks])

    for name in plan.variables:
        spec = VARIABLES[name]
        rest = [d for d in spec.dims if d != "draw"]
        if plan.keep_draws:
            dims = ["draw", *rest]
            arr = empty(dims, [plan.chunk, *(rest_sizes[d] for d in rest)])
            data_vars[name] = xr.DataArray(arr, dims=[*lead, *dims],
                                           attrs=spec.attrs)
            continue
        for stat in STATS:
            dims = ["quantile", *rest] if stat == "quantile" else rest
            arr = empty(dims, [rest_sizes[d] for d in dims])
            data_vars[f"{name}_{stat}"] = xr.DataArray(
                arr, dims=[*lead, *dims],
                attrs={**spec.attrs,
                       "long_name": f"{spec.long_name} ({stat} over draws)"})
    n_chunks = len(plan.chunks)
    data_vars["chunk_status"] = xr.DataArray(
        da.zeros(n_chunks, dtype="i1", chunks=n_chunks), dims=["chunk"],
        attrs={"long_name": "chunk status: 0 pending, 1 done, 2 failed"})
    data_vars["chunk_seconds"] = xr.DataArray(
        da.full(n_chunks, np.nan, chunks=n_chunks), dims=["chunk"],
        attrs={"units": "s", "long_name": "compute and write time of the chunk"})
    coords: dict[str, Any] = {k: (dims, vals) for k, (dims, vals) in plan.coords.items()}
    coords.update(year=years, sector=np.array(scn.sector_codes, dtype=object),
                  cohort=np.array(COHORTS, dtype=object))
    if plan.keep_draws:
        coords["draw"] = np.arange(plan.draws)
    else:
        coords["quantile"] = np.array(QUANTILES)
    coords["chunk_point"] = ("chunk", np.array([c.point for c in plan.chunks]))
    coords["chunk_draw_start"] = ("chunk", np.array([c.start for c in plan.chunks]))
    batch_of = np.zeros(n_chunks, dtype=np.int64)
    for b in plan.batches:
        batch_of[list(b.chunks)] = b.index
    coords["chunk_batch"] = ("chunk", batch_of)
    ds = xr.Dataset(data_vars, coords=coords)
    attrs = provenance(scn.name, plan.base.sha256, plan.seed, plan.sampler, plan.draws,
                       plan.base.source)
    attrs.update(title=f"aisim sweep: {scn.name}", sweep_kind=plan.spec.kind,
                 sweep_fingerprint=plan.fingerprint,
                 sweep_spec=json.dumps(plan.spec.as_json(), sort_keys=True),
                 sweep_dims=json.dumps(list(plan.dims)),
                 sweep_chunk_draws=int(plan.chunk),
                 sweep_batch_points=int(plan.batch),
                 sweep_batch_shape=json.dumps(list(plan.lead_chunks)),
                 sweep_contents="draws" if plan.keep_draws else "summaries",
                 sweep_complete=0)
    ds.attrs.update(attrs)
    describe(ds)
    encoding = {name: {"compressors": store_compressors()} for name in data_vars
                if name not in ("chunk_status", "chunk_seconds")}
    ds.to_zarr(path, mode="w-", compute=False, consolidated=False, encoding=encoding)
    group = zarr.open_group(path, mode="r+")
    group.create_array("chunk_error", shape=(n_chunks,), chunks=(n_chunks,), dtype=str,
                       fill_value="", dimension_names=["chunk"])
    _consolidate(path)


def store_compressors() -> tuple[Any, ...]:
    """The compressor of a sweep store's data arrays: blosc lz4 with byte shuffle (8-byte
    floats). On the summaries of a 64-point batch of ``flanders/central`` it keeps 42 % of the
    bytes, against 49 % for zarr's default (zstd level 0 = 3), and encodes 8x and decodes 2x
    faster (measured in docs/scaling.md); any zarr v3 reader decodes it."""
    from zarr.codecs import BloscCodec

    return (BloscCodec(cname="lz4", clevel=5, shuffle="shuffle", typesize=8),)


def _consolidate(path: Path) -> None:
    """Consolidated metadata (one read to open the store); zarr warns that it is not part of
    the v3 spec yet, which is noise here."""
    import warnings

    import zarr

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zarr.consolidate_metadata(path)


def _read_attrs(path: Path) -> dict[str, Any]:
    import zarr

    try:
        return dict(zarr.open_group(path, mode="r").attrs)
    except Exception:  # not a zarr group (or broken): no fingerprint
        return {}


def _status(path: Path) -> np.ndarray:
    import zarr

    return np.asarray(zarr.open_group(path, mode="r")["chunk_status"][:])


def _finalize(plan: SweepPlan, path: Path) -> list[dict[str, Any]]:
    """Per-point status, the list of failed points in the attributes, consolidated metadata."""
    import zarr

    group = zarr.open_group(path, mode="r+", use_consolidated=False)
    status = np.asarray(group["chunk_status"][:])
    errors = np.asarray(group["chunk_error"][:])
    failed: dict[int, str] = {}
    for c in plan.chunks:
        if status[c.index] == STATUS_FAILED and c.point not in failed:
            failed[c.point] = str(errors[c.index])
    point_ok = np.ones(plan.shape, dtype="i1")
    listing = []
    for point, error in sorted(failed.items()):
        point_ok[plan.region(point)] = 0
        listing.append({"point": point, "index": list(plan.region(point)),
                        "overrides": list(plan.overrides[point]), "error": error})
    if "point_ok" not in group:
        group.create_array("point_ok", shape=plan.shape, chunks=plan.shape, dtype="i1",
                           fill_value=0, dimension_names=list(plan.dims),
                           attributes={"long_name": "1 if every chunk of the point succeeded"})
    group["point_ok"][...] = point_ok
    group.attrs.update(sweep_complete=1, sweep_failed_points=json.dumps(listing))
    _consolidate(path)
    return listing


def part_path(out: Path) -> Path:
    """Where an unfinished sweep lives (and resumes from) until it is renamed onto ``out``."""
    return out.with_name(f".{out.name}.part")


# ------------------------------------------------------------------------------ the driver
@dataclass
class SweepResult:
    path: Path
    chunks: int
    computed: int
    failed: list[dict[str, Any]]
    seconds: float
    dashboard: str | None = None
    resumed: bool = False
    batches: int = 0
    computed_batches: int = 0
    compute_seconds: float = 0.0   # summed over batches: the points' plans through the loop
    store_seconds: float = 0.0     # summed over batches: their block writes


def _fingerprint_problem(path: Path, kind: str) -> Problem:
    return Problem(str(path), None, "sweep_fingerprint",
                   "a store made by the same scenario, sweep, seed, draws and aisim version",
                   f"{kind} made by a different sweep",
                   "choose another --out, delete it, or pass --overwrite")


def run_sweep(plan: SweepPlan, out: str | Path, *, scheduler: str | None = None,
              client: Any = None, workers: int | None = None, quiet: bool = True,
              overwrite: bool = False, retry_failed: bool = False) -> SweepResult:
    """Run (or resume) a planned sweep into the zarr store ``out``.

    ``scheduler``: None (in process, numba threads), ``"local"`` (a dask LocalCluster on
    loopback) or ``"tcp://host:port"``; or pass a ``distributed.Client`` as ``client``.
    The store is built under ``.<name>.part`` and renamed onto ``out`` when every chunk is
    done or failed; rerunning the same sweep resumes from the part store.
    """
    from sim.runner.sinks import output_problem

    t0 = time.perf_counter()
    out = Path(out)
    if out.suffix != ".zarr":
        raise InputError([Problem.command_line("--out", "a path ending in .zarr", str(out))])
    where = output_problem(out)
    if where is not None:
        raise InputError([where])
    part = part_path(out)
    if out.exists():
        attrs = _read_attrs(out)
        if attrs.get("sweep_fingerprint") == plan.fingerprint and not overwrite:
            listing = json.loads(attrs.get("sweep_failed_points", "[]"))
            return SweepResult(out, len(plan.chunks), 0, listing, time.perf_counter() - t0,
                               batches=len(plan.batches))
        if not overwrite:
            raise InputError([_fingerprint_problem(out, "an existing store")])
    resumed = False
    if part.exists():
        if _read_attrs(part).get("sweep_fingerprint") == plan.fingerprint and not overwrite:
            resumed = True
        elif not overwrite:
            raise InputError([_fingerprint_problem(part, "an unfinished store")])
        else:
            shutil.rmtree(part)
    if not resumed:
        _create_part(plan, out, part)
    with writing(out):
        return _run_tasks(plan, out, part, scheduler=scheduler, client=client,
                          workers=workers, quiet=quiet, retry_failed=retry_failed, t0=t0,
                          resumed=resumed)


def _create_part(plan: SweepPlan, out: Path, part: Path) -> None:
    """Build the store's skeleton under a temporary ``.init`` name owned by this process
    (stale ones of dead processes removed first), then rename it onto ``part``."""
    probe_writable(out)
    init = temporary_sibling(out, "init")
    from sim.runner.results import discard_store

    try:
        with writing(out):
            discard(init)
            _skeleton(plan, init)
            os.replace(init, part)
    finally:
        discard_store(init)


def _run_tasks(plan: SweepPlan, out: Path, part: Path, *, scheduler: str | None, client: Any,
               workers: int | None, quiet: bool, retry_failed: bool, t0: float,
               resumed: bool) -> SweepResult:
    """Compute the chunks still to do into ``part``, then finalise it and rename it onto
    ``out``."""
    from sim.progress import Progress
    from sim.runner.executors import DaskExecutor, InProcessExecutor
    from sim.runner.loop import run_tasks

    status = _status(part)
    redo = {STATUS_PENDING, STATUS_FAILED} if retry_failed else {STATUS_PENDING}
    todo = [b for b in plan.batches if any(int(status[c]) in redo for c in b.chunks)]
    source = str(Path(plan.base.source).resolve())
    store = str(part.resolve())
    tasks = [BatchTask(store, b.index, b.block,
                       tuple(PointTask(c, p, tuple(int(i) for i in np.subtract(
                           plan.region(p), [lo for lo, _ in b.block])),
                                       plan.overrides[p], plan.point_sha[p])
                             for c, p in zip(b.chunks, b.points, strict=True)),
                       b.start, b.count, source, plan.draws, plan.seed, plan.sampler,
                       plan.chunk, plan.keep_draws, plan.variables) for b in todo]
    log = StatusLog(part)
    timing = {"compute_seconds": 0.0, "store_seconds": 0.0}

    def done(i: int, value: dict[str, Any]) -> None:
        for chunk, st, error, seconds in value["chunks"]:
            log.record(chunk, st, error, seconds)
        timing["compute_seconds"] += value["compute_seconds"]
        timing["store_seconds"] += value["store_seconds"]
        log.maybe_flush()

    def failed(i: int, exc: BaseException) -> None:  # the worker died: record its chunks
        for pt in tasks[i].points:
            log.record(pt.chunk, STATUS_FAILED, f"{type(exc).__name__}: {exc}")
        log.maybe_flush()

    progress = Progress(sum(len(t.points) for t in tasks), unit="points",
                        enabled=None if not quiet else False)
    weight = lambda t: len(t.points)  # noqa: E731
    dashboard = None
    try:
        if scheduler is None and client is None:
            run_tasks(InProcessExecutor(), run_batch, tasks, on_done=done, progress=progress,
                      weight=weight)
        else:
            with DaskExecutor(scheduler, client, workers, len(tasks)) as executor:
                dashboard = executor.dashboard
                if dashboard and not quiet:
                    print(f"dask dashboard: {dashboard}", flush=True)
                run_tasks(executor, run_batch, tasks, on_done=done, on_error=failed,
                          progress=progress, weight=weight)
    finally:
        progress.close()
        log.flush()
    listing = _finalize(plan, part)
    replace_dir(part, out)  # an --overwrite of a different store: replaced once complete
    return SweepResult(out, len(plan.chunks), sum(len(t.points) for t in tasks), listing,
                       time.perf_counter() - t0, dashboard, resumed, len(plan.batches),
                       len(tasks), timing["compute_seconds"], timing["store_seconds"])


def open_sweep(path: str | Path) -> Any:
    """Open a sweep store as an xarray Dataset (lazy)."""
    import xarray as xr

    return xr.open_zarr(path)


def summary_table(plan: SweepPlan, result: SweepResult, limit: int = 30) -> str:
    """A short text summary: headline per point at the horizon, failed points."""
    lines = [f"sweep of {len(plan.points)} point(s) x {plan.draws} draw(s) "
             f"({plan.spec.kind}), {result.chunks} chunk(s) in {len(plan.batches)} batch(es) of "
             f"{plan.batch} point(s), {result.computed} computed"
             + (" (resumed)" if result.resumed else "") + f" in {result.seconds:.1f} s"]
    heads = [v for v in ("tfp_gain_pct", "gdp_gain_pct", "employment_gain_pct")
             if v in plan.variables]
    if heads:
        ds = open_sweep(result.path)
        year = int(ds["year"].values[-1])
        suffix = "" if plan.keep_draws else "_mean"
        lines.append(f"means at {year}: " + ", ".join(heads))
        for point in range(min(len(plan.points), limit)):
            idx = dict(zip(plan.dims, plan.region(point), strict=True))
            vals = []
            for v in heads:
                da = ds[v + suffix].isel(idx).sel(year=year)
                vals.append(float(da.mean()) if plan.keep_draws else float(da))
            lines.append(f"  {point:5d}  {plan.describe_point(point):<48s} "
                         + " ".join(f"{x:9.3f}" for x in vals))
        if len(plan.points) > limit:
            lines.append(f"  ... {len(plan.points) - limit} more")
    if result.failed:
        lines.append(f"{len(result.failed)} failed point(s):")
        for item in result.failed[:limit]:
            lines.append(f"  point {item['point']} ({', '.join(item['overrides'])}): "
                         f"{item['error']}")
    lines.append(f"wrote {result.path}")
    return "\n".join(lines)
