"""run(): from a validated scenario to an xarray Dataset; and the per-chunk computation.

:func:`chunk_outputs` is what every plan's chunk costs (the numba kernel, then the fused output
pass); :func:`run` is a :class:`~sim.runner.plan.RunPlan` plus a
:class:`~sim.runner.sinks.MemorySink` through the one loop (:func:`sim.runner.loop.execute`).

Randomness is drawn in numpy (:mod:`sim.sampling.designs`) from one root seed and passed into the
numba kernel, which never draws itself. Chunks are independent, so results do not depend on the
chunk size or on the number of numba threads.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from sim.model import layout as L
from sim.model.inputs import KernelInputs, compile_inputs
from sim.model.kernel import simulate
from sim.model.outputs import (
    KernelArrays,
    OutputInputs,
    empty_paths,
    new_paths,
    paths_by_name,
)
from sim.model.outputs import chunk_outputs as fused_outputs
from sim.model.variables import output_shapes
from sim.runner.plan import (  # noqa: F401  (re-exported: where runs were planned before)
    DEFAULT_CHUNK,
    RunPlan,
    RunSettings,
    parameter_chunks,
    parameter_table,
    sampling_plan,
)
from sim.runner.results import COHORTS, provenance
from sim.runner.summary import StreamingSummary, SummaryState
from sim.scenario.loader import LoadedScenario, load_scenario
from sim.scenario.parameters import ParamTable
from sim.scenario.schema import Scenario


def kernel_outputs(inputs: KernelInputs, n_sectors: int,
                   buffers: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, ...]:
    """Run the kernel on one chunk; return the packed (agg, sec, cohort) arrays.

    With ``buffers`` (a dict kept across the chunks of one run), the packed arrays are reused
    instead of allocated afresh: touching new memory costs more than the kernel itself. The
    caller must copy what it keeps before the next chunk.
    """
    n, T, J = inputs.n, len(inputs.years), n_sectors
    shapes = {"agg": (n, T, L.N_AGG_COLUMNS), "sec": (n, T, J, L.N_SEC_COLUMNS),
              "cohort": (n, T, J, L.N_COHORTS)}
    arrays = {}
    for name, shape in shapes.items():
        held = buffers.get(name) if buffers is not None else None
        if held is None or held.shape[1:] != shape[1:] or held.shape[0] < n:
            held = np.empty(shape)
            if buffers is not None:
                buffers[name] = held
        arrays[name] = held[:n]  # a shorter last chunk uses the front of the buffer
    simulate(inputs.years, inputs.scalars, inputs.sector, inputs.size_class, inputs.real_rate,
             inputs.employment_base, inputs.leontief, inputs.network, arrays["agg"],
             arrays["sec"], arrays["cohort"])
    return arrays["agg"], arrays["sec"], arrays["cohort"]


def chunk_outputs(scn: Scenario, table: ParamTable, *, paths: bool = True,
                  summary: StreamingSummary | None = None,
                  buffers: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Simulate one chunk of draws and produce its outputs in one fused pass
    (:func:`sim.model.outputs.chunk_outputs`): the paths of every variable of
    :data:`sim.runner.results.VARIABLES` (``paths``; new arrays, safe to keep when ``buffers`` are
    reused), and/or merged into the running ``summary``. With ``paths=False`` nothing per draw
    is materialised beyond the kernel's own arrays, which is what keeps summary-only runs fast.
    """
    inputs = compile_inputs(scn, table)
    agg, sec, cohort = kernel_outputs(inputs, len(scn.sectors), buffers)
    n, T, J = sec.shape[0], sec.shape[1], sec.shape[2]
    state = summary.prepare(output_shapes(T, J)) if summary is not None else None
    stats = state.arrays() if state is not None else SummaryState.no_arrays()
    count = state.reserve(n) if state is not None else 0
    written = new_paths(n, T, J) if paths else empty_paths()
    cohort_shares = np.ascontiguousarray(
        inputs.sector[:, :, L.SECTOR_JUNIOR_SHARE:L.SECTOR_SENIOR_SHARE + 1].transpose(1, 2, 0))
    context = OutputInputs(inputs.scalars[:, L.NATURAL_UNEMPLOYMENT].copy(), inputs.real_rate,
                           cohort_shares)
    fused_outputs(KernelArrays(agg, sec, cohort), context, summary is not None, count, stats,
                  paths, written)
    if state is not None:
        state.count += n
    return paths_by_name(written) if paths else {}


def chunk_variables(scn: Scenario, table: ParamTable,
                    buffers: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Output variables (names of :data:`sim.runner.results.VARIABLES`) for one chunk of draws;
    every array returned is new (safe to keep when ``buffers`` are reused for the next chunk)."""
    return chunk_outputs(scn, table, buffers=buffers)


def run(scenario: Scenario | LoadedScenario | str | Path, *, draws: int | None = None,
        seed: int | None = None, sampler: str | None = None, chunk_size: int | None = None,
        overrides: list[str] | None = None) -> xr.Dataset:
    """Simulate a scenario and return the full Dataset (every draw's paths in memory).

    For runs too large for memory use :func:`sim.runner.stream.run_to_store` or ``aisim run --out``.
    """
    from sim.runner.loop import execute
    from sim.runner.sinks import MemorySink

    loaded = _as_loaded(scenario, overrides)
    scn = loaded.scenario
    settings = RunSettings.from_scenario(scn, draws, seed, sampler, chunk_size)
    sink = MemorySink()
    execute(RunPlan(scn, settings), [sink])
    coords = {"draw": np.arange(settings.draws),
              "year": np.arange(scn.horizon.start, scn.horizon.end + 1),
              "sector": list(scn.sector_codes), "cohort": list(COHORTS)}
    return sink.to_dataset(coords, provenance(scn.name, loaded.sha256, settings.seed,
                                              settings.sampler, settings.draws, loaded.source))


def _as_loaded(scenario: Scenario | LoadedScenario | str | Path,
               overrides: list[str] | None) -> LoadedScenario:
    if isinstance(scenario, LoadedScenario):
        if overrides:
            return load_scenario(scenario.source, overrides)
        return scenario
    if isinstance(scenario, Scenario):
        if overrides:
            raise ValueError("overrides need a scenario file; use Scenario.model_copy instead")
        resolved = scenario.model_dump(mode="json")
        return LoadedScenario(scenario, resolved, "<in-memory>", ())
    return load_scenario(scenario, overrides)
