"""Shared fixtures: small scenarios written to temporary YAML files."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

# CI runs the property tests with a fixed example sequence, so a landing never depends on the
# luck of the draw; locally they explore new examples every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

SIZE = {"ceiling": 0.9, "midpoint": 2028.0, "steepness": 0.6}

BASE: dict[str, Any] = {
    "name": "three-sectors",
    "horizon": {"start": 2025, "end": 2040},
    "sectors": {
        "C": {"value_added": 300.0, "labour_share": 0.55, "employment": 400.0,
              "exposure": 0.25},
        "G": {"value_added": 200.0, "labour_share": 0.65, "employment": 500.0,
              "exposure": 0.35},
        "J": {"value_added": 100.0, "labour_share": 0.6, "employment": 100.0,
              "exposure": 0.6},
    },
    "ai": {
        "exposure": {"ceiling": 0.6, "midpoint": 2032, "steepness": 0.4},
        "profitable_share": {"start": 0.23, "growth": 0.05, "ceiling": 0.6},
        "cost_saving": 0.27,
    },
    "diffusion": {
        "size_classes": {s: dict(SIZE) for s in ("micro", "small", "medium", "large")},
        "intensity": {"start": 0.1, "ceiling": 0.8, "midpoint": 2032, "steepness": 0.4},
    },
    "baseline": {"tfp_growth": 0.005, "capital_adjustment": 0.3, "gdp": 600.0,
                 "employment": 1000.0},
}


def scenario_dict(**overrides: Any) -> dict[str, Any]:
    """A deep copy of the three-sector test scenario with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(overrides))
    return data


def with_value(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with the dotted ``path`` set to ``value`` (like ``--set``)."""
    data = copy.deepcopy(data)
    node = data
    keys = path.split(".")
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value
    return data


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a mapping (or raw text) to a YAML file in tmp_path and return its path."""

    def write(data: dict[str, Any] | str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text)
        return path

    return write
