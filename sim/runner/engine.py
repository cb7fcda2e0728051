"""run(): from a validated scenario to an xarray Dataset, chunk by chunk over draws.

Randomness is drawn in numpy (:mod:`sim.sampling.designs`) from one root seed and passed into the numba
kernel, which never draws itself. Chunks are independent, so results do not depend on the chunk
size or on the number of numba threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sim.model import layout as L
from sim.model.inputs import KernelInputs, compile_inputs
from sim.model.kernel import simulate
from sim.model.outputs import (
    AGG_OUTPUTS,
    COHORT_OUTPUTS,
    N_AGG_OUT,
    N_COHORT_OUT,
    N_SECTOR_OUT,
    SECTOR_OUTPUTS,
    output_shapes,
)
from sim.model.outputs import chunk_outputs as fused_outputs
from sim.runner.results import COHORTS, VARIABLES, describe, provenance
from sim.runner.summary import StreamingSummary, SummaryState
from sim.scenario.loader import LoadedScenario, load_scenario
from sim.scenario.parameters import ParamTable, central_table, numeric_leaves, stochastic_names
from sim.scenario.schema import Scenario

# draws per chunk: ~140 kB per draw for 21 sectors x 26 years. 2048 was the fastest end to end
# on the 2-core machine (docs/performance.md): smaller chunks keep the kernel's arrays closer to
# cache, larger ones touch the summary histograms less often.
DEFAULT_CHUNK = 2048


@dataclass(frozen=True)
class RunSettings:
    """What a run does beyond the scenario file: draws, seed, sampler, chunk size."""

    draws: int
    seed: int
    sampler: str
    chunk_size: int

    @classmethod
    def from_scenario(cls, scn: Scenario, draws: int | None = None, seed: int | None = None,
                      sampler: str | None = None, chunk_size: int | None = None) -> RunSettings:
        mc = scn.monte_carlo
        return cls(
            draws=int(draws if draws is not None else mc.draws),
            seed=int(seed if seed is not None else mc.seed),
            sampler=sampler or mc.sampler,
            chunk_size=int(chunk_size or mc.chunk_size or DEFAULT_CHUNK),
        )


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
    if paths:
        agg_out = np.empty((N_AGG_OUT, n, T))
        sec_out = np.empty((N_SECTOR_OUT, n, T, J))
        cohort_out = np.empty((N_COHORT_OUT, n, T, J, L.N_COHORTS))
    else:
        agg_out, sec_out, cohort_out = np.empty((0, 0, 0)), np.empty((0,) * 4), np.empty((0,) * 5)
    cohort_shares = np.ascontiguousarray(
        inputs.sector[:, :, L.SECTOR_JUNIOR_SHARE:L.SECTOR_SENIOR_SHARE + 1].transpose(1, 2, 0))
    fused_outputs(agg, sec, cohort, cohort_shares, inputs.scalars[:, L.NATURAL_UNEMPLOYMENT].copy(),
                  inputs.real_rate, summary is not None, count, *stats,
                  paths, agg_out, sec_out, cohort_out)
    if state is not None:
        state.count += n
    if not paths:
        return {}
    return {**dict(zip(AGG_OUTPUTS, agg_out, strict=True)),
            **dict(zip(SECTOR_OUTPUTS, sec_out, strict=True)),
            **dict(zip(COHORT_OUTPUTS, cohort_out, strict=True))}


def chunk_variables(scn: Scenario, table: ParamTable,
                    buffers: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Output variables (names of :data:`sim.runner.results.VARIABLES`) for one chunk of draws; every
    array returned is new (safe to keep when ``buffers`` are reused for the next chunk)."""
    return chunk_outputs(scn, table, buffers=buffers)


def sampling_plan(scn: Scenario, settings: RunSettings):  # noqa: ANN201 (lazy import)
    """The sampling plan of the scenario's uncertain parameters, or None when the run is
    central (one draw, or no distributions: every distribution at its mean)."""
    names = stochastic_names(scn)
    if settings.draws == 1 or not names:
        return None
    from sim.sampling.designs import SamplingPlan, validate_correlation

    leaves = numeric_leaves(scn)
    correlation = (validate_correlation(names, [tuple(c) for c in scn.correlations])
                   if scn.correlations else None)
    return SamplingPlan(names=tuple(names), dists=tuple(leaves[k] for k in names),
                        correlation=correlation, sampler=settings.sampler, seed=settings.seed,
                        total=settings.draws)


def parameter_table(scn: Scenario, settings: RunSettings, start: int, count: int,
                    plan=None, fixed: dict | None = None) -> ParamTable:  # noqa: ANN001
    """Parameter values of global draws [start, start + count) of the run: sampled columns for
    distributions (chunk-invariant), fixed values otherwise (``fixed``: those values, when the
    caller has them from an earlier chunk; walking the scenario again costs ~2 ms a chunk)."""
    plan = plan if plan is not None else sampling_plan(scn, settings)
    if plan is None:
        return ParamTable(count, central_table(scn, 1).fixed, {})
    from sim.sampling.designs import sample

    if fixed is None:
        fixed = {k: v for k, v in numeric_leaves(scn).items() if k not in plan.names}
    values = sample(plan, start, count)
    return ParamTable(count, fixed, {k: values[:, c] for c, k in enumerate(plan.names)})


def parameter_chunks(scn: Scenario, settings: RunSettings) -> Iterator[tuple[int, ParamTable]]:
    """Yield (first draw, ParamTable) per chunk. One draw without distributions, or with
    ``draws: 1``, is the central run (distributions at their means)."""
    plan = sampling_plan(scn, settings)
    fixed = (None if plan is None else
             {k: v for k, v in numeric_leaves(scn).items() if k not in plan.names})
    for start in range(0, settings.draws, settings.chunk_size):
        count = min(settings.chunk_size, settings.draws - start)
        yield start, parameter_table(scn, settings, start, count, plan, fixed)


def run(scenario: Scenario | LoadedScenario | str | Path, *, draws: int | None = None,
        seed: int | None = None, sampler: str | None = None, chunk_size: int | None = None,
        overrides: list[str] | None = None) -> xr.Dataset:
    """Simulate a scenario and return the full Dataset (every draw's paths in memory).

    For runs too large for memory use :func:`sim.runner.stream.run_to_store` or ``aisim run --out``.
    """
    loaded = _as_loaded(scenario, overrides)
    scn = loaded.scenario
    settings = RunSettings.from_scenario(scn, draws, seed, sampler, chunk_size)
    years = np.arange(scn.horizon.start, scn.horizon.end + 1)
    codes = list(scn.sector_codes)
    data: dict[str, np.ndarray] = {}
    buffers: dict[str, np.ndarray] = {}
    for start, table in parameter_chunks(scn, settings):
        chunk = chunk_variables(scn, table, buffers)
        for name, values in chunk.items():
            if name not in data:
                data[name] = np.empty((settings.draws, *values.shape[1:]))
            data[name][start:start + table.n] = values
    ds = xr.Dataset(
        {name: (VARIABLES[name].dims, values) for name, values in data.items()},
        coords={"draw": np.arange(settings.draws), "year": years, "sector": codes,
                "cohort": list(COHORTS)},
    )
    ds.attrs.update(provenance(scn.name, loaded.sha256, settings.seed, settings.sampler,
                               settings.draws, loaded.source))
    return describe(ds)


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
