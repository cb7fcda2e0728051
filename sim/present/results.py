"""Open any results file aisim writes and say what it is: :func:`open_results`.

Kinds, recognised by dims and attributes (never by the file name):

- ``full``: every draw's paths (``aisim run --out X.nc|X.zarr``, ``sim.run``): a ``draw`` dim;
- ``summary``: statistics over draws (``aisim run --summary-only``): a ``stat`` dim and the
  ``summary_of_draws`` attribute; files of aisim up to 0.4 (flat ``X_mean``, ``X_quantile``
  names) are read into the same ``stat`` layout (:func:`sim.runner.summary.from_flat`);
- ``comparison``: several scenarios' summaries along a ``scenario`` dim (``aisim compare
  --out``);
- ``sweep``: a sweep store (``aisim sweep``; attribute ``sweep_kind``): leading sweep dims
  (``point`` or one per swept parameter); summary stores are read into the ``stat`` layout.

netCDF files are read into memory; zarr stores are opened lazily.
"""

from __future__ import annotations

import os
from pathlib import Path

import xarray as xr

from sim.errors import InputError, Problem

__all__ = ["RESULT_KINDS", "SWEEP_BOOKKEEPING", "open_results", "sweep_as_scenarios"]

#: a sweep store's records of its own work, not results
SWEEP_BOOKKEEPING = ("chunk_status", "chunk_seconds", "chunk_error", "point_ok")

RESULT_KINDS = ("full", "summary", "comparison", "sweep")

_EXPECTED = ("a results file written by aisim (netCDF .nc or zarr .zarr: aisim run, "
             "aisim run --summary-only, aisim compare --out, aisim sweep)")


def _problem(path: str, got: str, hint: str = "") -> InputError:
    return InputError([Problem(file=path, line=None, key="results", expected=_EXPECTED,
                               got=got, hint=hint)])


def _read(path: Path) -> xr.Dataset:
    src = str(path)
    if not path.exists():
        raise _problem(src, "no such file or directory")
    if path.is_dir():
        try:
            import zarr  # noqa: F401
        except ImportError:
            raise _problem(src, "a zarr store, and zarr is not installed",
                           "pip install 'aisim[distributed]'") from None
        try:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return xr.open_zarr(path)
        except Exception as exc:  # noqa: BLE001 - any reader failure is bad input here
            raise _problem(src, f"a directory that is not a readable zarr store "
                           f"({type(exc).__name__}: {exc})") from exc
    try:
        return xr.load_dataset(path, engine="h5netcdf")
    except Exception as exc:  # noqa: BLE001
        raise _problem(src, f"unreadable as netCDF ({type(exc).__name__}: {exc})") from exc


def _flat_summary(ds: xr.Dataset) -> bool:
    return any(str(v).endswith("_quantile") and "quantile" in ds[v].dims
               for v in ds.data_vars)


def open_results(path: str | os.PathLike[str]) -> tuple[str, xr.Dataset]:
    """``(kind, Dataset)`` of an aisim results file (kinds in :data:`RESULT_KINDS`, see the
    module docstring); anything else raises :class:`~sim.errors.InputError` saying what the
    file is and what was expected."""
    from sim.runner.summary import from_flat, is_summary

    path = Path(path)
    src = str(path)
    ds = _read(path)
    attrs = ds.attrs
    if "sweep_kind" in attrs:
        if attrs.get("sweep_contents") == "summaries" and _flat_summary(ds):
            ds = from_flat(ds)
        return "sweep", ds
    if "draw" not in ds.dims and "stat" not in ds.dims and _flat_summary(ds):
        ds = from_flat(ds)  # a summary of aisim up to 0.4
    if "scenario" in ds.dims and ("stat" in ds.dims or "draw" in ds.dims):
        return "comparison", ds
    if is_summary(ds) and "summary_of_draws" in attrs:
        return "summary", ds
    if "draw" in ds.dims and any("year" in ds[v].dims for v in ds.data_vars):
        return "full", ds
    if "parameter" in ds.dims and "output" in ds.dims:
        raise _problem(src, "sensitivity indices (aisim sensitivity --out)",
                       "plot them with aisim sensitivity ... --plot FILE.png")
    names = ", ".join(map(str, list(ds.data_vars)[:6])) or "no variables"
    dims = ", ".join(f"{k}={v}" for k, v in ds.sizes.items()) or "none"
    raise _problem(src, f"a dataset with dims ({dims}) and variables {names}, and no aisim "
                   "result attributes (summary_of_draws, sweep_kind) or draw dim")


def sweep_as_scenarios(ds: xr.Dataset) -> xr.Dataset:
    """A sweep store's points as a ``scenario`` dim labelled by their settings
    (``"ai.cost_saving=0.2, ai.parkinson_rebound=0"``; an OAT sweep's central point
    ``"central"``), without the store's bookkeeping: the layout IAMC tables take (one
    scenario per sweep point)."""
    import json

    import numpy as np

    keep = [v for v in ds.data_vars if v not in SWEEP_BOOKKEEPING and "chunk" not in ds[v].dims]
    ds = ds[keep]
    dims = [str(d) for d in json.loads(ds.attrs.get("sweep_dims", "[]"))]
    if ds.attrs.get("sweep_kind") == "grid":
        stacked = ds.stack(scenario=dims)
        labels = [", ".join(f"{d}={float(v):g}" for d, v in zip(dims, combo, strict=True))
                  for combo in stacked["scenario"].values]
        out = stacked.drop_vars(["scenario", *dims]).assign_coords(scenario=labels)
    else:
        params = [str(c) for c in ds.coords if "." in str(c) and ds[c].dims == ("point",)]
        varied = [str(v) for v in ds["varied"].values] if "varied" in ds.coords else None
        labels = []
        for i in range(ds.sizes["point"]):
            if varied is not None:
                p = varied[i]
                labels.append("central" if not p else f"{p}={float(ds[p].values[i]):g}")
            else:
                labels.append(", ".join(f"{p}={float(ds[p].values[i]):g}" for p in params))
        out = ds.drop_vars([c for c in ("varied", *params) if c in ds.coords])
        out = out.rename(point="scenario").assign_coords(scenario=np.array(labels, dtype=object))
    out.attrs.update(ds.attrs)
    return out
