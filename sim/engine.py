"""run(): from a validated scenario to an xarray Dataset, chunk by chunk over draws.

Randomness is drawn in numpy (:mod:`sim.sampling`) from one root seed and passed into the numba
kernel, which never draws itself. Chunks are independent, so results do not depend on the chunk
size or on the number of numba threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sim.compile import KernelInputs, compile_inputs
from sim.model import layout as L
from sim.model.derived import SECTOR_OUTPUTS, cohort_baseline, sector_outputs
from sim.model.kernel import simulate
from sim.params import ParamTable, central_table, numeric_leaves, stochastic_names
from sim.results import COHORTS, VARIABLES, describe, provenance
from sim.scenario import LoadedScenario, load_scenario
from sim.schema import Scenario

DEFAULT_CHUNK = 4096  # draws per chunk: ~150 kB per draw for 21 sectors x 26 years


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
    shapes = {"agg": (n, T, L.N_AGG), "sec": (n, T, J, L.N_SEC),
              "cohort": (n, T, J, L.N_COHORTS)}
    arrays = {}
    for name, shape in shapes.items():
        held = buffers.get(name) if buffers is not None else None
        if held is None or held.shape != shape:
            held = np.empty(shape)
            if buffers is not None:
                buffers[name] = held
        arrays[name] = held
    simulate(inputs.years, inputs.scalars, inputs.sector, inputs.size_class, inputs.real_rate,
             inputs.employment_base, inputs.leontief, inputs.network, arrays["agg"],
             arrays["sec"], arrays["cohort"])
    return arrays["agg"], arrays["sec"], arrays["cohort"]


def _log_gain(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """100 x (ln a - ln b): the project's definition of a gain (MODEL.md preamble)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100.0 * (np.log(a) - np.log(b))


def chunk_variables(scn: Scenario, table: ParamTable,
                    buffers: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Output variables (names of :data:`sim.results.VARIABLES`) for one chunk of draws; every
    array returned is new (safe to keep when ``buffers`` are reused for the next chunk)."""
    inputs = compile_inputs(scn, table)
    agg, sec, cohort = kernel_outputs(inputs, len(scn.sectors), buffers)
    a = {k: np.ascontiguousarray(agg[:, :, getattr(L, k)]) for k in dir(L)
         if k.startswith("A_")}
    sector_slab = np.empty((len(SECTOR_OUTPUTS), *sec.shape[:3]))
    sector_outputs(sec, sector_slab)
    by_cohort_base = np.empty(cohort.shape)
    cohort_baseline(sec, inputs.sector, by_cohort_base)
    gdp, gdp_base = a["A_GDP"], a["A_GDP_BASE"]
    employment_gain = _log_gain(a["A_EMP"], a["A_EMP_BASE"])
    gdp_gain = _log_gain(gdp, gdp_base)
    labour_income = a["A_LSHARE"] * gdp
    labour_income_base = a["A_LSHARE_BASE"] * gdp_base
    labour_income_gain = _log_gain(labour_income, labour_income_base)
    u_star = inputs.scalars[:, L.U_STAR][:, None]
    return {
        "tfp_gain_pct": 100.0 * (a["A_TFP_AI"] - a["A_TFP_BASE"]),
        "tfp_direct_gain_pct": 100.0 * a["A_TFP_DIRECT"],
        "gdp_gain_pct": gdp_gain,
        "potential_gdp_gain_pct": _log_gain(a["A_GDP_POT"], gdp_base),
        "labour_productivity_gain_pct": gdp_gain - employment_gain,
        "employment_gain_pct": employment_gain,
        "output_gap_pct": _log_gain(gdp, a["A_GDP_POT"]),
        "demand_gap_pct": 100.0 * a["A_DEMAND_GAP"],
        "labour_income_gain_pct": labour_income_gain,
        "ghost_gdp_pp": gdp_gain - labour_income_gain,
        "gdp": gdp,
        "gdp_baseline": gdp_base,
        "gdp_potential": a["A_GDP_POT"],
        "capital": a["A_K"],
        "capital_baseline": a["A_K_BASE"],
        "employment_total": a["A_EMP"],
        "employment_total_baseline": a["A_EMP_BASE"],
        "labour_force": a["A_LF"],
        "unemployment_rate": a["A_UNEMP"],
        "unemployment_rate_change_pp": 100.0 * (a["A_UNEMP"] - u_star),
        "displaced": a["A_DISPLACED"],
        "reemployed": a["A_REEMPLOYED"],
        "labour_share": a["A_LSHARE"],
        "labour_share_baseline": a["A_LSHARE_BASE"],
        "labour_income": labour_income,
        "labour_income_baseline": labour_income_base,
        "capital_income": gdp - labour_income,
        "capital_income_baseline": gdp_base - labour_income_base,
        "wage_index": 100.0 * (labour_income / a["A_EMP"])
        / (labour_income_base / a["A_EMP_BASE"]),
        "automated_work_share": a["A_AUTOMATED"],
        "profitable_share": a["A_PROFIT"],
        "intensity": a["A_INTENSITY"],
        "effective_saving": a["A_SAVING"],
        "real_rate": inputs.real_rate,
        **dict(zip(SECTOR_OUTPUTS, sector_slab, strict=True)),
        "employment_by_cohort": cohort.copy(),
        "employment_by_cohort_baseline": by_cohort_base,
    }


def sampling_plan(scn: Scenario, settings: RunSettings):  # noqa: ANN201 (lazy import)
    """The sampling plan of the scenario's uncertain parameters, or None when the run is
    central (one draw, or no distributions: every distribution at its mean)."""
    names = stochastic_names(scn)
    if settings.draws == 1 or not names:
        return None
    from sim.sampling import SamplingPlan, validate_correlation

    leaves = numeric_leaves(scn)
    correlation = (validate_correlation(names, [tuple(c) for c in scn.correlations])
                   if scn.correlations else None)
    return SamplingPlan(names=tuple(names), dists=tuple(leaves[k] for k in names),
                        correlation=correlation, sampler=settings.sampler, seed=settings.seed,
                        total=settings.draws)


def parameter_table(scn: Scenario, settings: RunSettings, start: int, count: int,
                    plan=None) -> ParamTable:  # noqa: ANN001
    """Parameter values of global draws [start, start + count) of the run: sampled columns for
    distributions (chunk-invariant), fixed values otherwise."""
    plan = plan if plan is not None else sampling_plan(scn, settings)
    if plan is None:
        return ParamTable(count, central_table(scn, 1).fixed, {})
    from sim.sampling import sample

    leaves = numeric_leaves(scn)
    fixed = {k: v for k, v in leaves.items() if k not in plan.names}
    values = sample(plan, start, count)
    return ParamTable(count, fixed, {k: values[:, c] for c, k in enumerate(plan.names)})


def parameter_chunks(scn: Scenario, settings: RunSettings) -> Iterator[tuple[int, ParamTable]]:
    """Yield (first draw, ParamTable) per chunk. One draw without distributions, or with
    ``draws: 1``, is the central run (distributions at their means)."""
    plan = sampling_plan(scn, settings)
    for start in range(0, settings.draws, settings.chunk_size):
        count = min(settings.chunk_size, settings.draws - start)
        yield start, parameter_table(scn, settings, start, count, plan)


def run(scenario: Scenario | LoadedScenario | str | Path, *, draws: int | None = None,
        seed: int | None = None, sampler: str | None = None, chunk_size: int | None = None,
        overrides: list[str] | None = None) -> xr.Dataset:
    """Simulate a scenario and return the full Dataset (every draw's paths in memory).

    For runs too large for memory use :func:`sim.stream.run_to_store` or ``aisim run --out``.
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
