"""run(): from a validated scenario to an in-memory xarray Dataset, as a
:class:`~sim.runner.plan.RunPlan` plus a :class:`~sim.runner.sinks.MemorySink` through the one
loop (:func:`sim.runner.loop.execute`).

Randomness is drawn in numpy (:mod:`sim.sampling.designs`) from one root seed and passed into the
numba kernel, which never draws itself. Chunks are independent, so results do not depend on the
chunk size or on the number of numba threads. The per-chunk computation is
:mod:`sim.runner.chunk` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from sim.progress import Progress
from sim.runner.chunk import (  # noqa: F401  (re-exported: where chunks were computed before)
    chunk_outputs,
    chunk_variables,
    kernel_outputs,
)
from sim.runner.loop import execute
from sim.runner.plan import (  # noqa: F401  (re-exported: where runs were planned before)
    DEFAULT_CHUNK,
    RunPlan,
    RunSettings,
    parameter_chunks,
    parameter_table,
    sampling_plan,
)
from sim.runner.results import COHORTS, VARIABLES, provenance, sector_coords
from sim.runner.sinks import MemorySink
from sim.scenario.loader import LoadedScenario, load_scenario
from sim.scenario.schema import Scenario


def run(scenario: Scenario | LoadedScenario | str | Path, *, draws: int | None = None,
        seed: int | None = None, sampler: str | None = None, chunk_size: int | None = None,
        overrides: list[str] | None = None, progress: bool | None = False,
        variables: Sequence[str] | None = None) -> xr.Dataset:
    """Simulate a scenario and return the full Dataset (every draw's paths in memory).

    ``progress``: a bar over draws (:class:`sim.progress.Progress`): False none (the default
    here), None in a terminal or a notebook, True always. ``variables``: keep only these
    output variables (default: all), the same numbers as in the full Dataset; what is not kept
    is never copied out of the output pass (the explorer keeps the 15 it draws of 59).
    For runs too large for memory use :func:`sim.runner.stream.run_to_store` or
    ``aisim run --out``.
    """
    if variables is not None:
        unknown = sorted(set(variables) - set(VARIABLES))
        if unknown:
            raise ValueError(f"unknown output variable(s) {', '.join(unknown)}; known: "
                             f"{', '.join(VARIABLES)}")
    loaded = _as_loaded(scenario, overrides)
    scn = loaded.scenario
    settings = RunSettings.from_scenario(scn, draws, seed, sampler, chunk_size)
    sink = MemorySink(list(dict.fromkeys(variables)) if variables is not None else None)
    bar = Progress(settings.draws, enabled=progress) if progress is not False else None
    try:
        execute(RunPlan(scn, settings), [sink], progress=bar)
    finally:
        if bar is not None:
            bar.close()
    coords = {"draw": np.arange(settings.draws),
              "year": np.arange(scn.horizon.start, scn.horizon.end + 1),
              **sector_coords(scn), "cohort": list(COHORTS)}
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
