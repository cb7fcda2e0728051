"""Output contract: variable names, dims, units and long names; provenance; atomic netCDF IO.

One dims schema for the whole project (DESIGN.md): aggregate paths are ``(draw, year)``, sector
paths ``(draw, year, sector)``; sweeps add leading dims. "Gain" variables are 100 x the log
difference between the AI path and the same draw's no-AI baseline (MODEL.md preamble).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sim.atomic import atomic_path, atomic_write  # noqa: F401  (re-exported)

AGG = ("draw", "year")
SEC = ("draw", "year", "sector")


@dataclass(frozen=True)
class VarSpec:
    dims: tuple[str, ...]
    units: str
    long_name: str


COH = ("draw", "year", "sector", "cohort")
COHORTS = ("junior", "prime", "senior")

_V = VarSpec
VARIABLES: dict[str, VarSpec] = {
    # aggregate gains (MODEL.md 3-4)
    "tfp_gain_pct": _V(
        AGG, "%", "Aggregate TFP gain vs no-AI baseline, chained (MODEL.md 3.1-3.3)"),
    "tfp_direct_gain_pct": _V(AGG, "%", "Direct value-added-weighted TFP gain (MODEL.md 3.1)"),
    "gdp_gain_pct": _V(AGG, "%", "GDP gain vs no-AI baseline (MODEL.md 3.4)"),
    "potential_gdp_gain_pct": _V(AGG, "%", "Potential (full-employment) GDP gain vs baseline"),
    "labour_productivity_gain_pct": _V(
        AGG, "%", "Labour productivity (GDP per person employed) gain vs baseline"),
    "employment_gain_pct": _V(AGG, "%", "Employment gain vs baseline (MODEL.md 4.3)"),
    "output_gap_pct": _V(AGG, "%", "Output gap: actual vs potential GDP (MODEL.md 4.6)"),
    "demand_gap_pct": _V(AGG, "%", "Demand shortfall from lost labour income (MODEL.md 4.6)"),
    "labour_income_gain_pct": _V(AGG, "%", "Labour income gain vs baseline (MODEL.md 4.5)"),
    "ghost_gdp_pp": _V(AGG, "pp", "'Ghost GDP': GDP gain minus labour-income gain (MODEL.md 4.5)"),
    # levels
    "gdp": _V(AGG, "million EUR", "GDP on the AI path, base-year prices"),
    "gdp_baseline": _V(AGG, "million EUR", "GDP on the no-AI baseline path"),
    "gdp_potential": _V(AGG, "million EUR", "Potential GDP on the AI path (full employment)"),
    "capital": _V(AGG, "million EUR", "Capital stock on the AI path"),
    "capital_baseline": _V(AGG, "million EUR", "Capital stock on the no-AI baseline path"),
    "employment_total": _V(AGG, "persons", "Persons employed, AI path"),
    "employment_total_baseline": _V(AGG, "persons", "Persons employed, baseline"),
    "labour_force": _V(AGG, "persons", "Labour force"),
    "unemployment_rate": _V(AGG, "1", "Unemployment rate, AI path (MODEL.md 4.3)"),
    "unemployment_rate_change_pp": _V(AGG, "pp", "Unemployment rate minus the natural rate"),
    "displaced": _V(AGG, "persons", "Persons displaced into unemployment in the year"),
    "reemployed": _V(AGG, "persons", "Displaced persons re-employed in the year"),
    "labour_share": _V(AGG, "1", "Labour share of GDP, AI path (MODEL.md 4.5)"),
    "labour_share_baseline": _V(AGG, "1", "Labour share of GDP, baseline"),
    "labour_income": _V(AGG, "million EUR", "Labour income, AI path"),
    "labour_income_baseline": _V(AGG, "million EUR", "Labour income, baseline"),
    "capital_income": _V(AGG, "million EUR", "Capital income, AI path"),
    "capital_income_baseline": _V(AGG, "million EUR", "Capital income, baseline"),
    "wage_index": _V(AGG, "index (baseline = 100)", "Average wage per person vs baseline"),
    "automated_work_share": _V(
        AGG, "1", "Share of today's work done or sped up by AI, employment-weighted a_j"),
    "profitable_share": _V(AGG, "1", "Profitable share of exposed tasks P(t) (MODEL.md 1.2)"),
    "intensity": _V(AGG, "1", "Intensity of AI use in adopting firms (MODEL.md 1.3)"),
    "effective_saving": _V(
        AGG, "1", "Labour-cost saving per affected task after rebound c_eff (MODEL.md 1.5)"),
    "real_rate": _V(AGG, "1", "Real interest rate r(t) (MODEL.md 3.4)"),
    # sectors
    "sector_tfp_gain_pct": _V(
        SEC, "%", "Measured sector TFP gain m_j vs baseline (MODEL.md 2.1-2.2)"),
    "exposure": _V(SEC, "1", "Exposed task share E_j(t) (MODEL.md 1.1)"),
    "adoption": _V(SEC, "1", "Employment share in AI-using firms D_j(t) (MODEL.md 1.3)"),
    "affected_share": _V(SEC, "1", "Affected task share a_j(t) (MODEL.md 1.4)"),
    "employment": _V(SEC, "persons", "Persons employed by sector, AI path (MODEL.md 4.3)"),
    "employment_baseline": _V(SEC, "persons", "Persons employed by sector, baseline"),
    "sector_employment_gain_pct": _V(SEC, "%", "Sector employment vs baseline"),
    "sector_value_added": _V(SEC, "million EUR", "Sector value added, base-year prices"),
    "sector_value_added_baseline": _V(SEC, "million EUR", "Sector value added, baseline"),
    "sector_value_added_gain_pct": _V(SEC, "%", "Sector value added vs baseline (MODEL.md 4.2)"),
    "sector_labour_productivity": _V(SEC, "EUR per person", "Value added per person employed"),
    "sector_labour_productivity_baseline": _V(
        SEC, "EUR per person", "Value added per person employed, baseline"),
    # cohorts
    "employment_by_cohort": _V(COH, "persons", "Employment by age cohort (MODEL.md 4.4)"),
    "employment_by_cohort_baseline": _V(COH, "persons", "Employment by age cohort, baseline"),
}


def describe(ds: xr.Dataset) -> xr.Dataset:
    """Attach ``units`` and ``long_name`` to every known variable and coordinate."""
    for name, spec in VARIABLES.items():
        if name in ds:
            ds[name].attrs.update(units=spec.units, long_name=spec.long_name)
    coord_attrs = {
        "draw": ("1", "Monte Carlo draw index"),
        "year": ("year", "Calendar year"),
        "sector": ("1", "Sector code"),
        "cohort": ("1", "Age cohort: junior < 30, prime 30-49, senior >= 50"),
    }
    for name, (units, long_name) in coord_attrs.items():
        if name in ds.coords:
            ds[name].attrs.update(units=units, long_name=long_name)
    return ds


def provenance(name: str, sha256: str, seed: int, sampler: str, draws: int,
               source: str) -> dict[str, str | int]:
    """netCDF-safe provenance attributes (strings and ints only)."""
    from sim.version import __version__

    return {
        "title": f"aisim results: {name}",
        "scenario_name": name,
        "scenario_sha256": sha256,
        "scenario_file": os.path.basename(source),
        "seed": int(seed),
        "sampler": sampler,
        "draws": int(draws),
        "aisim_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "conventions": "gain = 100 x (ln AI path - ln no-AI baseline), same draw",
    }


def write_netcdf(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to netCDF atomically: a temporary name, then rename (never half-written)."""
    final = Path(path)
    encoding = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars
                if np.issubdtype(ds[v].dtype, np.floating)}
    with atomic_write(final) as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf", encoding=encoding)
    return final


def open_results(path: str | Path) -> xr.Dataset:
    """Open a results file written by aisim (netCDF or zarr)."""
    path = Path(path)
    if path.suffix == ".zarr" or path.is_dir():
        return xr.open_zarr(path)
    return xr.load_dataset(path, engine="h5netcdf")
