"""Inputs shared by the benchmarks and by tests/test_reference_implementation.py.

Every case is a scenario written to a temporary YAML file and loaded through the normal path
(``load_scenario`` -> ``parameter_chunks`` -> ``compile_inputs``), so the kernel and the two
references see exactly the same :class:`sim.model.inputs.KernelInputs`.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from sim.model import layout as L
from sim.model.inputs import KernelInputs, compile_inputs
from sim.runner.engine import RunSettings, parameter_chunks
from sim.scenario.loader import LoadedScenario, load_scenario
from sim.testing import three_sector_scenario

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "calibration"
SCENARIOS = ROOT / "scenarios"

SIZE_CLASSES = ("micro", "small", "medium", "large")
_SIZE = {"micro": (0.85, 2027.0, 0.55), "small": (0.9, 2026.0, 0.6),
         "medium": (0.95, 2024.5, 0.6), "large": (0.95, 2022.0, 0.65)}

#: The three-sector scenario shared with tests/conftest.py.
THREE_SECTORS: dict[str, Any] = three_sector_scenario()


def sector_codes(J: int) -> list[str]:
    """J distinct sector codes: A, B, ... then S21, S22, ..."""
    letters = [chr(ord("A") + j) for j in range(26)]
    return letters[:J] if J <= 26 else letters + [f"S{j}" for j in range(26, J)]


def synthetic(J: int, years: int = 26, *, network: bool = True, eta: float = 0.7,
              feedback: bool = False, uncertain: bool = True, name: str = "synthetic",
              ) -> dict[str, Any]:
    """A J-sector scenario with every block switched on (network, Baumol, J-curve, rebound,
    reinstatement) and a few distributions, deterministic in J (no randomness in the file)."""
    codes = sector_codes(J)
    rng = np.random.default_rng(J)  # structure only; the Monte Carlo draws come from the seed
    va = rng.uniform(50.0, 500.0, J)
    go = va * rng.uniform(1.5, 3.5, J)
    sectors = {}
    for j, c in enumerate(codes):
        weights = np.round(rng.dirichlet(np.ones(4) * 3.0), 4)
        weights[-1] = round(1.0 - weights[:-1].sum(), 4)
        sectors[c] = {
            "value_added": round(float(va[j]), 3),
            "gross_output": round(float(go[j]), 3),
            "labour_share": round(float(rng.uniform(0.35, 0.8)), 4),
            "employment": round(float(va[j] * rng.uniform(5.0, 15.0)), 1),
            "exposure": round(float(rng.uniform(0.1, 0.6)), 4),
            "tfp_growth": round(float(rng.uniform(0.0, 0.01)), 4),
            "size_weights": {s: round(float(w), 4) for s, w in zip(SIZE_CLASSES, weights,
                                                                    strict=True)},
        }
    coefficients = {}
    for i, buyer in enumerate(codes):
        row = rng.uniform(0.0, 1.0, J) * (rng.uniform(0.0, 1.0, J) < 0.6)
        row *= rng.uniform(0.3, 0.6) / max(row.sum(), 1e-9)
        coefficients[buyer] = {codes[k]: round(float(row[k]), 5) for k in range(J)
                               if row[k] > 0 and (k != i or J == 1)}
    data: dict[str, Any] = {
        "name": name,
        "horizon": {"start": 2025, "end": 2025 + years - 1},
        "sectors": sectors,
        "ai": {
            "exposure": {"ceiling": ({"dist": "uniform", "low": 0.55, "high": 0.75}
                                     if uncertain else 0.65),
                         "midpoint": 2033, "steepness": 0.3},
            "profitable_share": {"start": 0.23, "growth": 0.05, "ceiling": 0.6},
            "cost_saving": ({"dist": "triangular", "low": 0.14, "mode": 0.27, "high": 0.4}
                            if uncertain else 0.27),
            "cost_saving_growth": 0.004, "cost_saving_cap": 0.4, "parkinson_rebound": 0.1,
        },
        "diffusion": {
            "size_classes": {s: {"ceiling": v[0], "midpoint": v[1], "steepness": v[2]}
                             for s, v in _SIZE.items()},
            "intensity": {"start": 0.07, "ceiling": 0.6, "midpoint": 2033, "steepness": 0.3},
        },
        "jcurve": {"lag": 3.0, "intangible_drag": 0.3},
        "network": {"enabled": network, "coefficients": coefficients if network else {}},
        "structural_change": {"elasticity": eta},
        "baseline": {"tfp_growth": 0.004, "capital_adjustment": 0.3, "gdp": float(va.sum()),
                     "employment": float(sum(s["employment"] for s in sectors.values()))},
        "labour": {"reinstatement": ({"dist": "uniform", "low": 0.1, "high": 0.5}
                                     if uncertain else 0.3),
                   "job_finding_rate": 0.5, "mobility_discount": 0.2},
        "monte_carlo": {"seed": 7, "sampler": "mc"},
    }
    if feedback:
        data["feedback"] = {"enabled": True, "multiplier": 1.5, "mpc": 0.8,
                            "stabilisers": 0.3, "okun": 1.5, "reinvestment": 0.5,
                            "hiring_sensitivity": 2.0}
    return data


def flanders_a21(draws_in_file: int = 1) -> dict[str, Any]:
    """21 sectors: the Flemish A*21 calibration (20 sections, with its uncertainty file), one
    extra small section U, and the central scenario's AI assumptions with distributions."""
    central = yaml.safe_load((SCENARIOS / "flanders_central.yaml").read_text())
    central.pop("extends")
    data = copy.deepcopy(central)
    data["extends"] = [str(CALIBRATION / "flanders_A21.yaml"),
                       str(CALIBRATION / "flanders_A21_uncertainty.yaml")]
    data["name"] = "bench-flanders-A21"
    data["monte_carlo"] = {"draws": draws_in_file, "sampler": "sobol", "seed": 20261124}
    data["sectors"] = {"U": {"name": "Extraterritorial organisations", "value_added": 120.0,
                             "gross_output": 160.0, "labour_share": 0.7, "employment": 900,
                             "exposure": 0.35}}
    return data


def write(data: dict[str, Any] | Path, directory: Path | None = None,
          name: str = "scenario.yaml") -> Path:
    """Write a scenario mapping to ``directory`` (a fresh temporary one by default)."""
    if isinstance(data, Path):
        return data
    directory = Path(tempfile.mkdtemp(prefix="aisim-bench-")) if directory is None else directory
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def load(data: dict[str, Any] | Path, directory: Path | None = None) -> LoadedScenario:
    return load_scenario(write(data, directory))


def inputs_for(data: dict[str, Any] | Path | LoadedScenario, draws: int, seed: int = 1,
               directory: Path | None = None) -> KernelInputs:
    """Kernel inputs for ``draws`` draws (one chunk) of a scenario mapping or file."""
    loaded = data if isinstance(data, LoadedScenario) else load(data, directory)
    scn = loaded.scenario
    settings = RunSettings(draws=draws, seed=seed, sampler="mc", chunk_size=draws)
    (_, table), = list(parameter_chunks(scn, settings))
    return compile_inputs(scn, table)


def allocate(inputs: KernelInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Empty output arrays of the kernel's packed, year-major layout (``[year, draw, ...]``)."""
    n, T, J = inputs.n, len(inputs.years), inputs.sector.shape[1]
    return (np.empty((T, n, L.N_AGG_COLUMNS)), np.empty((T, n, J, L.N_SEC_COLUMNS)),
            np.empty((T, n, J, L.N_COHORTS)))


def draw_major(arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The kernel's year-major ``(agg, sec, cohort)`` as ``[draw, year, ...]``, the layout the
    two references return (they compute draws as their vectorised or outer axis)."""
    return tuple(np.swapaxes(a, 0, 1) for a in arrays)


def run_numba(inputs: KernelInputs, out: tuple[np.ndarray, ...] | None = None,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The production kernel on ``inputs`` (outputs allocated unless given)."""
    from sim.model.kernel import simulate

    agg, sec, cohort = allocate(inputs) if out is None else out
    simulate(inputs.years, inputs.scalars, inputs.sector, inputs.size_class, inputs.user_cost,
             inputs.employment_base, inputs.leontief, inputs.network, agg, sec, cohort,
             np.empty(inputs.n, dtype=np.bool_))
    return agg, sec, cohort
