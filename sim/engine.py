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
from sim.model.kernel import simulate
from sim.params import ParamTable, central_table, numeric_leaves, stochastic_names
from sim.results import VARIABLES, describe, provenance
from sim.scenario import LoadedScenario, load_scenario
from sim.schema import Scenario

DEFAULT_CHUNK = 20_000


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


def kernel_outputs(inputs: KernelInputs, n_sectors: int) -> dict[str, np.ndarray]:
    """Run the kernel on one chunk and return raw named outputs."""
    n, T, J = inputs.n, len(inputs.years), n_sectors
    sec = {k: np.empty((n, T, J)) for k in ("exposure", "adoption", "affected", "sector_gain")}
    agg = {k: np.empty((n, T)) for k in ("profitability", "intensity", "saving", "log_tfp_ai",
                                        "gdp", "gdp_base", "capital", "capital_base")}
    simulate(inputs.years, inputs.scalars, inputs.sector, inputs.size_class, inputs.real_rate,
             inputs.labour, sec["exposure"], sec["adoption"], sec["affected"],
             sec["sector_gain"], agg["profitability"], agg["intensity"], agg["saving"],
             agg["log_tfp_ai"], agg["gdp"], agg["gdp_base"], agg["capital"],
             agg["capital_base"])
    return {**sec, **agg, "real_rate": inputs.real_rate, "labour": inputs.labour}


def chunk_variables(scn: Scenario, table: ParamTable) -> dict[str, np.ndarray]:
    """Output variables (names of :data:`sim.results.VARIABLES`) for one chunk of draws."""
    inputs = compile_inputs(scn, table)
    raw = kernel_outputs(inputs, len(scn.sectors))
    gdp_gain = 100.0 * (np.log(raw["gdp"]) - np.log(raw["gdp_base"]))
    # employment is the same on both paths until the labour block (issue 5) lands
    employment_gain = np.zeros_like(gdp_gain)
    return {
        "tfp_gain_pct": 100.0 * raw["log_tfp_ai"],
        "gdp_gain_pct": gdp_gain,
        "labour_productivity_gain_pct": gdp_gain - employment_gain,
        "gdp": raw["gdp"],
        "gdp_baseline": raw["gdp_base"],
        "capital": raw["capital"],
        "capital_baseline": raw["capital_base"],
        "employment_total": raw["labour"],
        "profitable_share": raw["profitability"],
        "intensity": raw["intensity"],
        "effective_saving": raw["saving"],
        "real_rate": raw["real_rate"],
        "sector_tfp_gain_pct": 100.0 * raw["sector_gain"],
        "exposure": raw["exposure"],
        "adoption": raw["adoption"],
        "affected_share": raw["affected"],
    }


def parameter_chunks(scn: Scenario, settings: RunSettings) -> Iterator[tuple[int, ParamTable]]:
    """Yield (first draw, ParamTable) per chunk. One draw without distributions, or with
    ``draws: 1``, is the central run (distributions at their means)."""
    names = stochastic_names(scn)
    if settings.draws == 1 or not names:
        table = central_table(scn, 1)
        for start in range(0, settings.draws, settings.chunk_size):
            count = min(settings.chunk_size, settings.draws - start)
            yield start, ParamTable(count, table.fixed, {})
        return
    from sim.sampling import SamplingPlan, sample, validate_correlation

    leaves = numeric_leaves(scn)
    fixed = {k: v for k, v in leaves.items() if k not in names}
    correlation = (validate_correlation(names, [tuple(c) for c in scn.correlations])
                   if scn.correlations else None)
    plan = SamplingPlan(names=tuple(names), dists=tuple(leaves[k] for k in names),
                        correlation=correlation, sampler=settings.sampler, seed=settings.seed,
                        total=settings.draws)
    for start in range(0, settings.draws, settings.chunk_size):
        count = min(settings.chunk_size, settings.draws - start)
        values = sample(plan, start, count)
        yield start, ParamTable(count, fixed, {k: values[:, c] for c, k in enumerate(names)})


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
    for start, table in parameter_chunks(scn, settings):
        chunk = chunk_variables(scn, table)
        for name, values in chunk.items():
            if name not in data:
                data[name] = np.empty((settings.draws, *values.shape[1:]))
            data[name][start:start + table.n] = values
    ds = xr.Dataset(
        {name: (VARIABLES[name].dims, values) for name, values in data.items()},
        coords={"draw": np.arange(settings.draws), "year": years, "sector": codes},
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
