"""Public testing helpers (in the spirit of :mod:`xarray.testing`).

:func:`make_example_dataset` builds a small synthetic Dataset with the shape of the output
contract (``sim.runner.results``): the same variable names, dims, ``units``/``long_name`` attrs and
provenance attrs as ``sim.run``, filled with plausible, increasing paths. The numbers are made up
(logistic diffusion, a fixed cost saving), not a model run: use it to test plotting, export and
downstream code without running the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import xarray as xr

from sim.runner.results import COHORTS, GAIN_DEFINITION, describe

__all__ = ["make_example_dataset"]

#: Baseline employment by sector in the example (persons); unknown codes get 100 000.
_EMPLOYMENT = {"A": 40_000.0, "C": 420_000.0, "G": 480_000.0, "J": 110_000.0, "K": 90_000.0}
_EXPOSURE = {"A": 0.10, "C": 0.25, "G": 0.35, "J": 0.60, "K": 0.55}
_COHORT_SHARES = np.array([0.2, 0.55, 0.25])


def make_example_dataset(n_draws: int = 50, years: Iterable[int] = range(2025, 2051),
                         sectors: Sequence[str] = ("A", "C", "G", "J", "K"), seed: int = 0,
                         *, cohorts: bool = True, scenarios: Sequence[str] | None = None,
                         diffusion_speed: float = 1.0) -> xr.Dataset:
    """A synthetic results Dataset shaped like ``sim.run``'s output.

    Dims: ``draw`` (int), ``year`` (int), ``sector`` (str), ``cohort`` (when ``cohorts``), and a
    leading ``scenario`` dim when ``scenarios`` names are given (scenario *k* uses seed
    ``seed + 1000 k`` and ``diffusion_speed`` x (1 + 0.5 k), so later ones diffuse faster).
    Every variable carries ``units`` and ``long_name``; the Dataset carries ``scenario_name``,
    ``aisim_version``, ``scenario_sha256``, ``seed`` and ``created``.
    Deterministic for a given ``seed``.
    """
    if scenarios is not None:
        parts = [
            make_example_dataset(n_draws, years, sectors, seed + 1000 * k, cohorts=cohorts,
                                 diffusion_speed=diffusion_speed * (1.0 + 0.5 * k))
            .expand_dims(scenario=[str(name)])
            for k, name in enumerate(scenarios)
        ]
        out = xr.concat(parts, dim="scenario", combine_attrs="override")
        out.attrs["scenario_name"] = ", ".join(scenarios)
        return describe(out)

    rng = np.random.default_rng(seed)
    year = np.asarray(list(years), dtype=np.int64)
    sec = [str(s) for s in sectors]
    n, j = int(n_draws), len(sec)
    tt = (year - year[0]).astype(float)[None, :, None]  # (1, T, 1)

    # per-draw uncertainty: diffusion midpoint and speed, cost saving
    mid = rng.normal(8.0, 2.0, size=(n, 1, 1))
    speed = diffusion_speed * rng.lognormal(np.log(0.45), 0.15, size=(n, 1, 1))
    saving = rng.uniform(0.15, 0.35, size=(n, 1, 1))
    e0 = np.array([_EXPOSURE.get(s, 0.3) for s in sec])[None, None, :]
    sec_noise = rng.lognormal(0.0, 0.1, size=(n, 1, j))

    def logistic(x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-x))

    # adoption rises from ~0 towards 0.9; exposure grows mildly over time
    adoption = 0.9 * (logistic(speed * (tt - mid)) - logistic(-speed * mid)) / (
        1.0 - logistic(-speed * mid))
    exposure = np.minimum(e0 * sec_noise * (1.0 + 0.01 * tt), 1.0)
    affected = exposure * adoption * 0.8
    sector_tfp = 100.0 * np.log1p(saving * affected * 0.6)

    emp_base0 = np.array([_EMPLOYMENT.get(s, 100_000.0) for s in sec])[None, None, :]
    employment_baseline = emp_base0 * (1.002 ** tt) * np.ones((n, 1, 1))
    employment = employment_baseline * (1.0 - 0.15 * affected * saving)

    weights = emp_base0 / emp_base0.sum()
    tfp_gain = (sector_tfp * weights).sum(axis=2)
    gdp_gain = tfp_gain / 0.65
    gdp_baseline = 290_000.0 * (1.012 ** tt[:, :, 0]) * np.ones((n, 1))
    gdp = gdp_baseline * np.exp(gdp_gain / 100.0)
    gdp_gain = 100.0 * (np.log(gdp) - np.log(gdp_baseline))  # exactly the contract definition
    emp_gain = 100.0 * (np.log(employment.sum(axis=2)) - np.log(employment_baseline.sum(axis=2)))
    labour_productivity = gdp_gain - emp_gain
    automated = (affected * employment_baseline).sum(axis=2) / employment_baseline.sum(axis=2)
    unemployment = 0.05 + 0.4 * (employment_baseline - employment).sum(axis=2) / (
        employment_baseline.sum(axis=2) / 0.95)

    agg, sec_dims = ("draw", "year"), ("draw", "year", "sector")
    data = {
        "tfp_gain_pct": (agg, tfp_gain),
        "gdp_gain_pct": (agg, gdp_gain),
        "labour_productivity_gain_pct": (agg, labour_productivity),
        "gdp": (agg, gdp),
        "gdp_baseline": (agg, gdp_baseline),
        "unemployment_rate": (agg, unemployment),
        "automated_work_share": (agg, automated),
        "sector_tfp_gain_pct": (sec_dims, sector_tfp),
        "exposure": (sec_dims, exposure),
        "adoption": (sec_dims, adoption * np.ones((1, 1, j))),
        "affected_share": (sec_dims, affected),
        "employment": (sec_dims, employment),
        "employment_baseline": (sec_dims, employment_baseline),
    }
    coords: dict[str, object] = {"draw": np.arange(n, dtype=np.int64), "year": year,
                                 "sector": np.array(sec, dtype=object)}
    if cohorts:
        # young workers lose a little share as AI spreads (drift proportional to affected share)
        shift = 0.1 * affected[..., None] * np.array([-1.0, 0.5, 0.5])
        shares = _COHORT_SHARES[None, None, None, :] + shift
        shares = shares / shares.sum(axis=-1, keepdims=True)
        coh_dims = ("draw", "year", "sector", "cohort")
        data["employment_by_cohort"] = (coh_dims, employment[..., None] * shares)
        data["employment_by_cohort_baseline"] = (
            coh_dims, employment_baseline[..., None] * _COHORT_SHARES)
        coords["cohort"] = np.array(COHORTS, dtype=object)
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update({
        "title": "aisim results: example",
        "scenario_name": "example",
        "scenario_sha256": f"{seed:064x}",
        "seed": int(seed),
        "sampler": "mc",
        "draws": n,
        "aisim_version": _version(),
        "created": "2025-01-01T00:00:00Z",
        "gain_definition": GAIN_DEFINITION,
    })
    return describe(ds)


def _version() -> str:
    try:
        from sim.version import __version__
    except ImportError:  # pragma: no cover - partially built package
        return "0+unknown"
    return __version__


def three_sector_scenario() -> dict[str, Any]:
    """A small, complete three-sector scenario (manufacturing, trade, ICT) as a plain mapping:
    the shared fixture of the tests, the benchmarks and the reference implementations."""
    size = {"ceiling": 0.9, "midpoint": 2028.0, "steepness": 0.6}
    return {
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
            "size_classes": {s: dict(size) for s in ("micro", "small", "medium", "large")},
            "intensity": {"start": 0.1, "ceiling": 0.8, "midpoint": 2032, "steepness": 0.4},
        },
        "baseline": {"tfp_growth": 0.005, "capital_adjustment": 0.3, "gdp": 600.0,
                     "employment": 1000.0},
    }
