"""aisim: a task-based, Monte Carlo simulator of AI, productivity, GDP and employment by sector.

``sim.run(scenario)`` returns an :class:`xarray.Dataset`; see docs/ (docs/model.md: the equations,
docs/architecture.md: the stages). Importing ``sim`` loads no numba kernel: :func:`run` does, after
choosing the numba cache location (:mod:`sim.model.cache`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim import aliases  # noqa: E402  (old module paths, with a deprecation warning)
from sim.present import accessor  # noqa: E402,F401  (registers ds.aisim)
from sim.scenario import LoadedScenario, Scenario, load_scenario  # noqa: E402
from sim.version import __version__  # noqa: E402

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["__version__", "load_scenario", "run"]

aliases.install()


def run(scenario: Scenario | LoadedScenario | str | Path, *, draws: int | None = None,
        seed: int | None = None, sampler: str | None = None, chunk_size: int | None = None,
        overrides: list[str] | None = None) -> xr.Dataset:
    """Simulate a scenario and return the full Dataset (every draw's paths in memory).

    ``scenario``: a file path, a loaded scenario or a :class:`~sim.scenario.schema.Scenario`;
    ``draws``, ``seed``, ``sampler`` (mc, lhs, sobol) and ``chunk_size`` override the file's
    ``monte_carlo`` block; ``overrides`` are ``--set``-style ``"key=value"`` strings. For runs
    too large for memory use ``aisim run --out`` or :func:`sim.runner.stream.run_to_store`.
    """
    from sim.model.cache import configure_numba_cache

    configure_numba_cache()
    from sim.runner.engine import run as run_in_memory

    return run_in_memory(scenario, draws=draws, seed=seed, sampler=sampler,
                         chunk_size=chunk_size, overrides=overrides)
