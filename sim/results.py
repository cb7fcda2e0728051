"""Output contract: variable names, dims, units and long names; provenance; atomic netCDF IO.

One dims schema for the whole project (DESIGN.md): aggregate paths are ``(draw, year)``, sector
paths ``(draw, year, sector)``; sweeps add leading dims. "Gain" variables are 100 x the log
difference between the AI path and the same draw's no-AI baseline (MODEL.md preamble).
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

AGG = ("draw", "year")
SEC = ("draw", "year", "sector")


@dataclass(frozen=True)
class VarSpec:
    dims: tuple[str, ...]
    units: str
    long_name: str


VARIABLES: dict[str, VarSpec] = {
    "tfp_gain_pct": VarSpec(
        AGG, "%", "Aggregate TFP gain from AI vs no-AI baseline (MODEL.md 3.1)"),
    "gdp_gain_pct": VarSpec(AGG, "%", "GDP gain from AI vs no-AI baseline (MODEL.md 3.4)"),
    "labour_productivity_gain_pct": VarSpec(
        AGG, "%", "Labour productivity (GDP per person employed) gain vs baseline"),
    "gdp": VarSpec(AGG, "million EUR", "GDP on the AI path, base-year prices"),
    "gdp_baseline": VarSpec(AGG, "million EUR", "GDP on the no-AI baseline path"),
    "capital": VarSpec(AGG, "million EUR", "Capital stock on the AI path"),
    "capital_baseline": VarSpec(AGG, "million EUR", "Capital stock on the no-AI baseline path"),
    "employment_total": VarSpec(AGG, "persons", "Persons employed (labour input H)"),
    "profitable_share": VarSpec(AGG, "1", "Profitable share of exposed tasks P(t) (MODEL.md 1.2)"),
    "intensity": VarSpec(AGG, "1", "Intensity of AI use in adopting firms (MODEL.md 1.3)"),
    "effective_saving": VarSpec(
        AGG, "1", "Labour-cost saving per affected task after rebound c_eff (MODEL.md 1.5)"),
    "real_rate": VarSpec(AGG, "1", "Real interest rate r(t) (MODEL.md 3.4)"),
    "sector_tfp_gain_pct": VarSpec(
        SEC, "%", "Measured sector TFP gain m_j vs baseline (MODEL.md 2.1-2.2)"),
    "exposure": VarSpec(SEC, "1", "Exposed task share E_j(t) (MODEL.md 1.1)"),
    "adoption": VarSpec(SEC, "1", "Employment share in AI-using firms D_j(t) (MODEL.md 1.3)"),
    "affected_share": VarSpec(SEC, "1", "Affected task share a_j(t) (MODEL.md 1.4)"),
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
    }
    for name, (units, long_name) in coord_attrs.items():
        if name in ds.coords:
            ds[name].attrs.update(units=units, long_name=long_name)
    return ds


def provenance(name: str, sha256: str, seed: int, sampler: str, draws: int,
               source: str) -> dict[str, str | int]:
    """netCDF-safe provenance attributes (strings and ints only)."""
    from sim import __version__

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


def atomic_path(final: Path) -> Path:
    """A temporary sibling of ``final`` that is renamed onto it when complete."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(fd)
    return Path(tmp)


def write_netcdf(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to netCDF atomically: a temporary name, then rename (never half-written)."""
    final = Path(path)
    tmp = atomic_path(final)
    try:
        encoding = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars
                    if np.issubdtype(ds[v].dtype, np.floating)}
        ds.to_netcdf(tmp, engine="h5netcdf", encoding=encoding)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()
    return final


def open_results(path: str | Path) -> xr.Dataset:
    """Open a results file written by aisim (netCDF or zarr)."""
    path = Path(path)
    if path.suffix == ".zarr" or path.is_dir():
        return xr.open_zarr(path)
    return xr.load_dataset(path, engine="h5netcdf")
