"""Output contract on the Dataset side: attributes from the output table
(:mod:`sim.model.variables`), provenance, atomic netCDF IO.

One dims schema for the whole project (DESIGN.md): aggregate paths are ``(draw, year)``, sector
paths ``(draw, year, sector)``; sweeps add leading dims. "Gain" variables are 100 x the log
difference between the AI path and the same draw's no-AI baseline (MODEL.md preamble), in log
points. Files follow CF-1.10: UDUNITS units, ``year`` the T axis, ``draw`` the realization.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from sim.atomic import (
    atomic_path,
    atomic_write,
    discard,
    probe_writable,
    replace_dir,
    temporary_sibling,
    writing,
)
from sim.model.variables import AGG, COH, COHORTS, SEC, VARIABLES, Variable
from sim.progress import Interrupt

# the output table lives in sim.model.variables; re-exported here for the Dataset side
__all__ = ["AGG", "COH", "COHORTS", "CONVENTIONS", "COORD_ATTRS", "GAIN_DEFINITION", "SEC",
           "VARIABLES", "Variable", "atomic_path", "atomic_write", "describe", "open_results",
           "provenance", "sector_coords", "to_zarr_quietly", "write_netcdf", "write_results",
           "write_zarr"]


#: the CF version the files follow (global ``Conventions`` attribute)
CONVENTIONS = "CF-1.10"
#: how every gain is defined (global attribute ``gain_definition``; docs/model.md, "Units")
GAIN_DEFINITION = ("gain = 100 x (ln AI path - ln no-AI baseline), same draw: log points "
                   "(CF units 1e-2)")

#: CF attributes of the coordinates. ``year`` is the integer calendar year, the T axis; it has
#: no ``units``: a CF time needs "years since <date>" and xarray would then decode it to dates
#: (``ds.sel(year=2035)`` would stop working), and UDUNITS ``year`` is a duration. ``draw`` is
#: the CF ``realization`` (a member of a statistical sample); ``sector``, ``cohort`` are labels.
COORD_ATTRS: dict[str, dict[str, str]] = {
    "year": {"axis": "T", "long_name": "calendar year",
             "comment": "integer calendar year (Gregorian); values are years, not offsets"},
    "draw": {"standard_name": "realization", "units": "1",
             "long_name": "Monte Carlo draw index"},
    "sector": {"long_name": "sector code, as in the scenario (e.g. NACE Rev. 2 sections)"},
    "cohort": {"long_name": "age cohort: junior < 30, prime 30-49, senior >= 50"},
    "sector_name": {"long_name": "sector name"},
    "quantile": {"units": "1", "long_name": "quantile level over draws"},
    "stat": {"long_name": "statistic over draws (mean, sd, mean_se, quantiles pXX and "
             "their standard errors pXX_se)"},
}


def describe(ds: xr.Dataset) -> xr.Dataset:
    """Attach the CF attributes: ``Conventions`` (CF-1.10) on the Dataset, :attr:`Variable.attrs`
    (UDUNITS ``units``, ``long_name``, ``display_units``, ``comment``) on every known variable,
    :data:`COORD_ATTRS` on the coordinates (``year`` is the T axis)."""
    ds.attrs["Conventions"] = CONVENTIONS
    for name, spec in VARIABLES.items():
        if name in ds:
            ds[name].attrs.update(spec.attrs)
    for name, attrs in COORD_ATTRS.items():
        if name in ds.coords:
            ds[name].attrs.pop("units", None)  # a label coordinate loses a stale "1"
            ds[name].attrs.update(attrs)
    return ds


def sector_coords(scenario: Any) -> dict[str, Any]:
    """The ``sector`` coordinate (codes, in the scenario's order) and ``sector_name`` along it
    (the calibration's names; the code where a sector has none), so plots and tables can show
    "B-E Industry (...)" rather than a bare code."""
    codes = list(scenario.sector_codes)
    names = [scenario.sectors[c].name or c for c in codes]
    return {"sector": np.array(codes, dtype=object),
            "sector_name": ("sector", np.array(names, dtype=object),
                            {"long_name": "Sector name"})}


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
        "Conventions": CONVENTIONS,
        "gain_definition": GAIN_DEFINITION,
    }


def write_netcdf(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to netCDF atomically: a temporary name, then rename (never half-written)."""
    final = Path(path)
    encoding = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars
                if np.issubdtype(ds[v].dtype, np.floating)}
    with atomic_write(final) as tmp:
        ds.to_netcdf(tmp, engine="h5netcdf", encoding=encoding)
    return final


def to_zarr_quietly(ds: xr.Dataset, path: str | Path, **kwargs: Any) -> None:
    """``ds.to_zarr(path, consolidated=True, **kwargs)`` without zarr's warning that
    consolidated metadata is not part of the v3 spec yet (noise on every run)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds.to_zarr(path, consolidated=True, **kwargs)


def settle_zarr_io(timeout: float = 30.0) -> None:
    """Wait until zarr's IO thread has finished every write it was given.

    zarr 3 writes from coroutines on its own event loop; a signal that interrupts the main
    thread while it waits leaves those writes running, so a temporary store removed at once
    can be recreated by a write that lands a moment later (a stray ``.part`` folder). Removing
    a store is therefore preceded by this wait (signals deferred meanwhile)."""
    import asyncio
    import concurrent.futures

    try:
        from zarr.core import sync as zarr_sync
    except ImportError:  # zarr not installed, or a layout without a shared IO loop
        return
    loop = getattr(zarr_sync, "loop", [None])[0]
    if loop is None or loop.is_closed() or not loop.is_running():
        return

    async def drain() -> None:
        me = asyncio.current_task()
        while pending := [t for t in asyncio.all_tasks() if t is not me and not t.done()]:
            await asyncio.wait(pending)

    with Interrupt.shielded():
        future = asyncio.run_coroutine_threadsafe(drain(), loop)
        try:
            future.result(timeout=timeout)
        except (concurrent.futures.TimeoutError, RuntimeError):
            future.cancel()


def discard_store(tmp: Path | None) -> None:
    """Remove a temporary zarr store once zarr stopped writing to it (:func:`settle_zarr_io`)."""
    if tmp is None:
        return
    settle_zarr_io()
    discard(tmp)


def write_zarr(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to a zarr store atomically: a temporary folder, then swapped onto
    ``path`` (a previous store or file there is replaced only once the new one is complete)."""
    final = Path(path)
    probe_writable(final)
    tmp = temporary_sibling(final, "part")
    try:
        with writing(final):
            discard(tmp)
            to_zarr_quietly(ds, tmp, mode="w-")
            replace_dir(tmp, final)
    finally:
        discard_store(tmp)
    return final


def write_results(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` atomically as netCDF or, for a ``.zarr`` path, as a zarr store."""
    return write_zarr(ds, path) if Path(path).suffix == ".zarr" else write_netcdf(ds, path)


def open_results(path: str | Path) -> xr.Dataset:
    """Open a results file written by aisim (netCDF or zarr)."""
    path = Path(path)
    if path.suffix == ".zarr" or path.is_dir():
        return xr.open_zarr(path)
    return xr.load_dataset(path, engine="h5netcdf")
