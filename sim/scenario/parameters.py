"""Scenario parameters as named columns: fixed numbers and sampled distributions.

Every numeric leaf of a validated :class:`sim.scenario.schema.Scenario` has a dotted path (the same
syntax as ``--set``, correlations and sweeps), e.g. ``ai.cost_saving``,
``sectors.C.exposure``, ``baseline.labour_force_growth.2030``. A :class:`ParamTable` gives,
for a chunk of draws, one float64 array per path: sampled columns for distributions, the
fixed value broadcast otherwise.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from sim.scenario.schema import Scenario


def is_distribution(value: Any) -> bool:
    """True for a distribution spec (anything with a vectorised inverse CDF)."""
    return hasattr(value, "ppf") and hasattr(value, "support")


#: model fields that are settings or metadata, not numeric parameters
_NOT_PARAMETERS = frozenset({"monte_carlo", "horizon", "correlations", "references"})


@functools.cache
def _distribution_type(cls: type) -> bool:
    """:func:`is_distribution` for the instances of ``cls`` (the methods live on the class)."""
    return hasattr(cls, "ppf") and hasattr(cls, "support")


@functools.cache
def _parameter_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that :func:`numeric_leaves` walks, in declaration order."""
    return tuple(name for name in model.model_fields if name not in _NOT_PARAMETERS)


def numeric_leaves(scenario: Scenario) -> dict[str, Any]:
    """Map each numeric parameter's dotted path to its value (float or distribution)."""
    out: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        cls = type(value)
        if cls is float or _distribution_type(cls):  # a float first: most leaves are
            out[path] = value
        elif isinstance(value, BaseModel):
            for name in _parameter_fields(cls):
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float):
            out[path] = float(value)

    walk(scenario, "")
    return out


@dataclass(frozen=True)
class ParamTable:
    """Per-draw parameter values for one chunk of ``n`` draws."""

    n: int
    fixed: dict[str, float]
    sampled: dict[str, np.ndarray]

    def get(self, path: str, default: float | None = None) -> np.ndarray:
        """Values of ``path`` for every draw of the chunk, shape (n,)."""
        if path in self.sampled:
            return self.sampled[path]
        if path in self.fixed:
            return np.full(self.n, self.fixed[path])
        if default is None:
            raise KeyError(f"no parameter {path!r}")
        return np.full(self.n, float(default))

    def has(self, path: str) -> bool:
        return path in self.sampled or path in self.fixed

    def is_fixed(self, path: str) -> bool:
        return path not in self.sampled


def central_table(scenario: Scenario, n: int = 1) -> ParamTable:
    """Every distribution replaced by its mean: the deterministic 'central' run."""
    leaves = numeric_leaves(scenario)
    fixed = {k: (v.mean() if is_distribution(v) else v) for k, v in leaves.items()}
    return ParamTable(n, fixed, {})


def stochastic_names(scenario: Scenario) -> list[str]:
    """Dotted paths of the parameters that carry a distribution, in document order."""
    return [k for k, v in numeric_leaves(scenario).items()
            if type(v) is not float and is_distribution(v)]
