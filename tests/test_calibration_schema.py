"""The generated fragments load through the scenario schema (the contract with
sim/scenario/schema.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.loader import load_scenario

CAL = Path(__file__).resolve().parents[1] / "calibration"


@pytest.mark.parametrize("name", ["flanders_A10", "flanders_A21", "belgium_A10", "belgium_A21",
                                  "brussels_A10", "brussels_A21", "wallonia_A10",
                                  "wallonia_A21"])
@pytest.mark.parametrize("with_uncertainty", [False, True])
def test_fragment_validates(tmp_path: Path, name: str, with_uncertainty: bool) -> None:
    files = [str(CAL / f"{name}.yaml")]
    if with_uncertainty:
        files.append(str(CAL / f"{name}_uncertainty.yaml"))
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: check\nextends: [{', '.join(files)}]\n")
    loaded = load_scenario(scenario)
    assert len(loaded.scenario.sectors) == (10 if name.endswith("A10") else 20)
    assert loaded.scenario.baseline.gdp > 0
