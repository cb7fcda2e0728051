"""aisim: a task-based, Monte Carlo simulator of AI, productivity, GDP and employment by sector.

``sim.run(scenario)`` returns an :class:`xarray.Dataset`; see docs/ (docs/model.md: the equations).
"""

from __future__ import annotations

__version__ = "0.1.0"

from sim.present import accessor  # noqa: E402,F401  (registers ds.aisim)
from sim.runner.engine import run  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402

__all__ = ["__version__", "load_scenario", "run"]
