"""The numba kernel against two independent implementations of the same equations.

``benchmarks/reference_numpy.py`` (vectorised numpy, loop over years) and
``benchmarks/reference_python.py`` (plain Python loops and ``math``) are written from
docs/model.md without the kernel's helpers; they take the same ``KernelInputs`` and return the
same packed arrays. Agreement is checked element by element to 1e-10 relative, with an absolute
floor of 1e-12 times the largest magnitude of the output column (flows such as ``displaced`` are
differences of nearly equal employment levels, so their last digits are rounding noise).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import BASE, scenario_dict, with_value

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a package next to tests/, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import cases  # noqa: E402
from benchmarks.reference_numpy import simulate_numpy  # noqa: E402
from benchmarks.reference_python import simulate_python  # noqa: E402

RTOL = 1e-10
FLOOR = 1e-12
#: log-point columns (the GDP decomposition) near zero: two roundings of ln(L / L^base)
ABSOLUTE = 1e-14
NAMES = ("agg", "sec", "cohort")


def assert_same(kernel: tuple[np.ndarray, ...], reference: tuple[np.ndarray, ...]) -> None:
    for name, x, y in zip(NAMES, kernel, reference, strict=True):
        assert x.shape == y.shape, name
        assert np.all(np.isfinite(x)), name
        columns = x.reshape(-1, x.shape[-1])
        scale = np.abs(columns).max(axis=0) if columns.size else np.zeros(x.shape[-1])
        bound = RTOL * np.abs(x) + FLOOR * scale + ABSOLUTE
        bad = ~(np.abs(x - y) <= bound)  # a NaN on either side is a difference
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise AssertionError(
                f"{name}{list(where)}: kernel {x[where]!r} vs reference {y[where]!r} "
                f"({int(bad.sum())} of {bad.size} elements differ)")


def _spiral(data: dict) -> dict:
    data["feedback"] = {"enabled": True, "multiplier": 2.0, "mpc": 0.9, "stabilisers": 0.1,
                        "okun": 0.8, "hiring_sensitivity": 3.0}
    return data


def _oecd(data: dict) -> dict:
    data["network"]["convention"] = "oecd"
    return data


CASES = {
    # the three-sector scenario of tests/conftest.py, fixed and with distributions
    "three-sectors": (scenario_dict(), 8),
    "three-sectors-uncertain": (with_value(with_value(
        scenario_dict(), "ai.cost_saving", {"dist": "triangular", "low": 0.1, "mode": 0.27,
                                            "high": 0.4}),
        "structural_change.elasticity", {"dist": "uniform", "low": 0.3, "high": 1.0}), 40),
    "three-sectors-from-zero": (with_value(scenario_dict(), "ai.gains_from_base_year", False),
                                5),
    # the shipped default scenario (network, Baumol, J-curve, distributions)
    "flanders-central": (cases.SCENARIOS / "flanders_central.yaml", 50),
    # network on, eta != 1, under both shock conventions
    "network-eta": (cases.synthetic(8, network=True, eta=0.5), 40),
    "network-eta-oecd": (_oecd(cases.synthetic(6, network=True, eta=1.4)), 20),
    # feedback with J-curve lag and intangible drag, and a displacement spiral
    "feedback-drag-lag": (cases.synthetic(7, feedback=True, eta=0.8), 40),
    "feedback-spiral": (_spiral(with_value(with_value(
        scenario_dict(), "jcurve", {"lag": 4.0, "intangible_drag": 0.5}),
        "labour.automation_share", 0.9)), 10),
    # revision 2: capital supply elasticity, half-immobile factors, a junior reference share
    "capital-supply-mobility": (with_value(with_value(with_value(
        cases.synthetic(5, network=True, eta=0.5), "rates.capital_supply_elasticity", 3.0),
        "structural_change.factor_mobility", 0.5), "labour.cohorts.reference_work_share", 0.1),
        20),
    # substitutes between tasks with an inelastic capital supply: the plain fixed point of the
    # user cost oscillates, the kernel's bisection must find the root
    "substitutes-inelastic-capital": (with_value(with_value(with_value(
        cases.synthetic(5, network=False, eta=1.0), "labour.task_elasticity", 5.0),
        "rates.capital_supply_elasticity", 0.2), "labour.automation_share", 0.8), 10),
}


@pytest.mark.parametrize("case", list(CASES))
def test_numba_matches_numpy(case: str, tmp_path: Path) -> None:
    data, draws = CASES[case]
    inputs = cases.inputs_for(data, draws, directory=tmp_path)
    assert_same(cases.draw_major(cases.run_numba(inputs)), simulate_numpy(inputs))


@pytest.mark.parametrize("case", ["three-sectors-uncertain", "feedback-drag-lag",
                                  "network-eta-oecd", "capital-supply-mobility",
                                  "substitutes-inelastic-capital"])
def test_numba_matches_plain_python(case: str, tmp_path: Path) -> None:
    data, _ = CASES[case]
    inputs = cases.inputs_for(data, 3, directory=tmp_path)
    assert_same(cases.draw_major(cases.run_numba(inputs)), simulate_python(inputs))


def test_cases_cover_what_they_claim(tmp_path: Path) -> None:
    """The network/feedback cases really switch those blocks on, the Monte Carlo draws really
    differ, and the benchmark copy of the three-sector scenario is the one in conftest.py."""
    from sim.model import layout as L

    assert cases.THREE_SECTORS == BASE
    net = cases.inputs_for(CASES["network-eta"][0], 4, directory=tmp_path)
    assert net.network and not np.allclose(net.leontief, np.eye(net.leontief.shape[0]))
    assert np.all(net.scalars[:, L.FINAL_DEMAND_ELASTICITY] != 1.0)
    fb = cases.inputs_for(CASES["feedback-drag-lag"][0], 4, directory=tmp_path)
    assert np.all(fb.scalars[:, L.FEEDBACK_ENABLED] > 0) and np.all(fb.scalars[:, L.JCURVE_LAG] > 1)
    assert np.all(fb.scalars[:, L.JCURVE_INTANGIBLE_DRAG] > 0)
    agg = cases.draw_major(cases.run_numba(fb))[0]
    assert np.abs(agg[:, :, L.AGG_DEMAND_GAP]).max() > 1e-6
    central = cases.inputs_for(CASES["flanders-central"][0], 50, directory=tmp_path)
    assert len(np.unique(central.scalars[:, L.COST_SAVING_START])) == 50


@pytest.mark.parametrize("module", ["reference_numpy.py", "reference_python.py"])
def test_references_are_independent_of_the_kernel(module: str) -> None:
    """Only the column layout may come from sim.model; no kernel helper is reused."""
    tree = ast.parse((ROOT / "benchmarks" / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "sim.model"):
            assert node.module == "sim.model" and [a.name for a in node.names] == ["layout"]
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("sim.model") and a.name != "sim.model.layout"
                           for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith("sim.") or node.module == "sim.model", node.module
