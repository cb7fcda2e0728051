"""Export results to tables: IAMC long format (pyam-readable CSV) and a tidy long table.

IAMC (:func:`to_iamc`): columns ``model, scenario, region, variable, unit, year, value``, one row
per variable-year (and scenario). Variable names are hierarchical: ``GDP|Gain``,
``Employment|C``, ``Employment|C|junior`` (see :data:`IAMC_NAMES`; unknown variables become
``aisim|<name>``, sector and cohort appended the same way). With a ``draw`` dim the row value is
the median over draws (``stat="mean"`` for the mean); ``quantiles=(0.05, 0.95)`` adds rows for
those quantiles as separate variables suffixed ``|p05``, ``|p95``. A summary Dataset (``X_quantile``
variables with a ``quantile`` dim, ``X_mean``) is read the same way.

Tidy (:func:`to_tidy`): one row per coordinate combination of each variable, with a column per
dim (empty where a variable lacks that dim), then ``variable``, ``value`` and ``unit``.

CSV files are written atomically (temporary sibling, then ``os.replace``) with full float
precision, so numbers read back equal the Dataset's. See docs/plotting.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from sim.atomic import atomic_write
from sim.errors import InputError, Problem
from sim.model.variables import IAMC_NAMES as TABLE_IAMC_NAMES
from sim.present.plot import available_variables, get_variable, input_error
from sim.present.plot import quantiles as _quantiles
from sim.suggest import did_you_mean

__all__ = ["IAMC_COLUMNS", "IAMC_NAMES", "iamc_name", "main_export", "to_iamc", "to_tidy",
           "write_csv"]

IAMC_COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")

#: aisim variable -> IAMC variable stem, from the output table (:mod:`sim.model.variables`).
#: Sector variables get ``|<sector>`` appended, cohort variables ``|<sector>|<cohort>``.
IAMC_NAMES: dict[str, str] = dict(TABLE_IAMC_NAMES)

_LABEL_DIMS = ("sector", "cohort")
_STAT_DIMS = ("draw", "quantile")
_DIM_ORDER = ("scenario", "draw", "stat", "quantile", "year", "sector", "cohort")


def iamc_name(var: str, sector: str | None = None, cohort: str | None = None) -> str:
    """The IAMC variable name of ``var`` (in ``sector`` / ``cohort`` when given)."""
    parts = [IAMC_NAMES.get(var, f"aisim|{var}")]
    if sector is not None:
        parts.append(str(sector))
    if cohort is not None:
        parts.append(str(cohort))
    return "|".join(parts)


def _pct(q: float) -> str:
    return f"p{round(q * 100):02d}"


def _stat_values(ds: xr.Dataset, var: str, stat: str, quantiles: Sequence[float],
                 source: str) -> list[tuple[str, xr.DataArray]]:
    """``[(suffix, DataArray without draw/quantile dims)]``: the ``stat`` first, suffix ``""``."""
    da = get_variable(ds, var, source, key="variables")
    out: list[tuple[str, xr.DataArray]] = []
    stat_dims = [d for d in _STAT_DIMS if d in da.dims]
    if stat == "mean":
        if "draw" in da.dims:
            out.append(("", da.mean("draw", keep_attrs=True)))
        elif var in ds.data_vars and "stat" in ds[var].dims:
            from sim.runner.summary import summary_stat

            out.append(("", summary_stat(ds[var], "mean")))
        elif f"{var}_mean" in ds.data_vars:
            out.append(("", ds[f"{var}_mean"]))
        else:
            raise input_error(source, "stat",
                              f"a draw dim or a {var}_mean variable for stat='mean'",
                              f"{var!r} with dims {tuple(map(str, da.dims))}", "use stat='median'")
    elif stat == "median":
        out.append(("", _quantiles(da, [0.5], source).isel(quantile=0, drop=True)
                    if stat_dims else da))
    else:
        raise input_error(source, "stat", "'median' or 'mean'", repr(stat))
    if quantiles:
        if not stat_dims:
            raise input_error(source, "quantiles", "a variable with a draw or quantile dim",
                              f"{var!r} with dims {tuple(map(str, da.dims))}")
        q = _quantiles(da, list(quantiles), source)
        for p in quantiles:
            out.append((f"|{_pct(p)}", q.sel(quantile=float(p), drop=True)))
    return [(suffix, arr.assign_attrs(units=da.attrs.get("units", ""))) for suffix, arr in out]


def to_iamc(ds: xr.Dataset, model: str = "aisim", scenario: str | None = None,
            region: str = "Flanders", variables: Sequence[str] | None = None,
            stat: str = "median", quantiles: Sequence[float] = (),
            names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """IAMC long-format table of ``ds``: columns ``model, scenario, region, variable, unit, year,
    value``.

    ``variables``: aisim names (default: every variable with a ``year`` dim). ``stat``:
    ``"median"`` (default) or ``"mean"`` over draws for the main rows; ``quantiles``: extra rows
    per quantile, variable suffixed ``|p05`` etc. ``scenario``: the scenario column (default the
    Dataset's ``scenario`` coordinate, else its ``scenario_name`` attr). ``names`` overrides
    entries of :data:`IAMC_NAMES`. Extra dims other than draw/quantile/year/sector/cohort/scenario
    are an error (select them first).
    """
    source = "<dataset>"
    known = available_variables(ds)  # year dim; summary X_quantile as X
    chosen = list(variables) if variables is not None else known
    bad = [v for v in chosen if v not in known]
    if bad:
        raise input_error(source, "variables",
                          f"variables with a year dim, among: {', '.join(known)}",
                          repr(bad[0]), did_you_mean(bad[0], known, 0.5, ignore_case=True))
    stems = {**IAMC_NAMES, **(names or {})}
    default_scenario = scenario or str(ds.attrs.get("scenario_name", "default"))
    frames = []
    for var in chosen:
        for suffix, da in _stat_values(ds, var, stat, quantiles, source):
            extra = [str(d) for d in da.dims
                     if d not in ("year", "scenario", *_LABEL_DIMS)]
            if extra:
                raise input_error(source, "variables", "dims among scenario, draw, quantile, year, "
                                  "sector, cohort", f"{var!r} with extra dims {tuple(extra)}",
                                  "select them first, e.g. ds.sel(...)")
            df = da.rename("value").to_dataframe().reset_index()
            label_cols = [d for d in _LABEL_DIMS if d in da.dims]
            stem = stems.get(var, f"aisim|{var}")
            if label_cols:
                labels = df[label_cols].astype(str).agg("|".join, axis=1)
                df["variable"] = stem + "|" + labels + suffix
            else:
                df["variable"] = stem + suffix
            if "scenario" in da.dims:
                df["scenario"] = df["scenario"].astype(str)
            else:
                df["scenario"] = default_scenario
            df["model"] = model
            df["region"] = region
            df["unit"] = str(da.attrs.get("units", ""))
            frames.append(df[list(IAMC_COLUMNS)])
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in IAMC_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(np.int64)
    out["value"] = out["value"].astype(float)
    dupes = out.duplicated(["model", "scenario", "region", "variable", "year"])
    if dupes.any():
        first = out.loc[dupes].iloc[0]
        raise input_error(source, "variables", "distinct IAMC names for distinct variables",
                          f"{first['variable']!r} twice", "export fewer variables or pass names=")
    return out.sort_values(["model", "scenario", "region", "variable", "year"],
                           kind="stable").reset_index(drop=True)


def to_tidy(ds: xr.Dataset, variables: Sequence[str] | None = None) -> pd.DataFrame:
    """Long table: one row per coordinate combination of each variable.

    Columns: one per dim found among the chosen variables (a sweep's dims first, then
    scenario, draw, stat, quantile, year, sector, cohort in that order; empty where a variable
    lacks the dim), then
    ``variable``, ``value`` and ``unit``. ``variables`` defaults to every data variable.
    """
    source = "<dataset>"
    names = [str(v) for v in ds.data_vars]
    chosen = list(variables) if variables is not None else names
    bad = [v for v in chosen if v not in names]
    if bad:
        raise input_error(source, "variables", f"data variables, among: {', '.join(names)}",
                          repr(bad[0]), did_you_mean(bad[0], names, 0.5, ignore_case=True))
    dims: list[str] = []
    for v in chosen:
        dims += [str(d) for d in ds[v].dims if d not in dims]
    dims = [d for d in dims if d not in _DIM_ORDER] + [d for d in _DIM_ORDER if d in dims]
    frames = []
    for v in chosen:
        da = ds[v]
        if da.ndim:
            df = da.rename("value").to_dataframe().reset_index()
            df = df[[*map(str, da.dims), "value"]]
        else:
            df = pd.DataFrame({"value": [da.values.item()]})
        df["variable"] = v
        df["unit"] = str(da.attrs.get("units", ""))
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=[*dims, "variable", "value", "unit"])
    for d in dims:
        if d not in out:
            out[d] = pd.NA
        if out[d].isna().any() and pd.api.types.is_integer_dtype(ds[d].dtype):
            out[d] = out[d].astype("Int64")
    return out[[*dims, "variable", "value", "unit"]]


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``df`` to CSV atomically (no index, full float precision); return the path."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(final) as tmp:
        df.to_csv(tmp, index=False)
    return final


FORMATS = ("iamc", "tidy")


def main_export(results_path: str | os.PathLike[str], fmt: str, out: str | os.PathLike[str],
                *, model: str = "aisim", scenario: str | None = None, region: str = "Flanders",
                variables: Sequence[str] | None = None, stat: str = "median",
                quantiles: Sequence[float] = ()) -> Path:
    """``aisim export RESULTS --format iamc|tidy -o OUT.csv``: write one CSV of any results file
    (:func:`sim.present.results.open_results`: netCDF or zarr; full, summary, comparison or
    sweep; a sweep's points are IAMC scenarios).

    Bad input (missing file, unknown format or variable) raises :class:`~sim.errors.InputError`.
    """
    src = str(results_path)
    if fmt not in FORMATS:
        raise input_error(src, "--format", f"one of {', '.join(FORMATS)}", repr(fmt),
                          did_you_mean(fmt, FORMATS))
    from sim.present.results import SWEEP_BOOKKEEPING, open_results, sweep_as_scenarios

    kind, ds = open_results(results_path)
    if kind == "sweep":  # one IAMC scenario per sweep point; tidy: the sweep dims as columns
        ds = sweep_as_scenarios(ds) if fmt == "iamc" else ds[
            [v for v in ds.data_vars if v not in SWEEP_BOOKKEEPING and "chunk" not in ds[v].dims]]
    try:
        if fmt == "iamc":
            df = to_iamc(ds, model=model, scenario=scenario, region=region,
                         variables=variables, stat=stat, quantiles=quantiles)
        else:
            df = to_tidy(ds, variables=variables)
    except InputError as exc:  # name the file rather than "<dataset>"
        raise InputError([Problem(src, p.line, p.key, p.expected, p.got, p.hint)
                          for p in exc.problems]) from None
    return write_csv(df, out)
