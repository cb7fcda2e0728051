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
import re
from collections.abc import Callable, Mapping, Sequence
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

__all__ = ["FORMATS", "IAMC_COLUMNS", "IAMC_NAMES", "SUMMARY_QUANTILES", "TIDY_DRAW_LIMIT",
           "iamc_name", "main_export", "summarise", "to_iamc", "to_tidy", "to_xlsx", "unit_of",
           "write_csv", "xlsx_readme", "xlsx_sheets"]

IAMC_COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")

#: aisim variable -> IAMC variable stem, from the output table (:mod:`sim.model.variables`).
#: Sector variables get ``|<sector>`` appended, cohort variables ``|<sector>|<cohort>``.
IAMC_NAMES: dict[str, str] = dict(TABLE_IAMC_NAMES)

_LABEL_DIMS = ("sector", "cohort")
_STAT_DIMS = ("draw", "stat", "quantile")
_DIM_ORDER = ("scenario", "draw", "stat", "quantile", "year", "sector", "cohort")


def iamc_name(var: str, sector: str | None = None, cohort: str | None = None) -> str:
    """The IAMC variable name of ``var`` (in ``sector`` / ``cohort`` when given)."""
    parts = [IAMC_NAMES.get(var, f"aisim|{var}")]
    if sector is not None:
        parts.append(str(sector))
    if cohort is not None:
        parts.append(str(cohort))
    return "|".join(parts)


def unit_of(da: xr.DataArray) -> str:
    """The ``unit`` column of ``da``: its unit in words (``display_units``: ``log points``,
    ``million EUR``), else its CF ``units`` (docs/variables.md)."""
    return str(da.attrs.get("display_units", da.attrs.get("units", "")))


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
    return [(suffix, arr.assign_attrs(units=unit_of(da))) for suffix, arr in out]


def _chosen_variables(ds: xr.Dataset, variables: Sequence[str] | None,
                      source: str) -> list[str]:
    """``variables`` (default: every variable with a year dim, a flat summary's ``X_quantile``
    as ``X``), each checked to be one of them (bad input names the known ones)."""
    known = available_variables(ds)
    chosen = list(variables) if variables is not None else known
    bad = [v for v in chosen if v not in known]
    if bad:
        raise input_error(source, "variables",
                          f"variables with a year dim, among: {', '.join(known)}",
                          repr(bad[0]), did_you_mean(bad[0], known, 0.5, ignore_case=True))
    return chosen


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
    chosen = _chosen_variables(ds, variables, source)
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


def summarise(ds: xr.Dataset, quantiles: Sequence[float],
              variables: Sequence[str] | None = None) -> xr.Dataset:
    """``ds`` with each variable's ``draw`` dim replaced by a ``quantile`` dim holding
    ``quantiles`` over draws (a summary file's ``X_quantile`` read as ``X``, the chosen
    quantiles picked from it); variables with neither dim are kept as they are. ``variables``
    defaults to every variable with a year dim (:func:`~sim.present.plot.available_variables`).
    Attributes (units, long names, provenance) are kept."""
    source = "<dataset>"
    chosen = _chosen_variables(ds, variables, source)
    out = {}
    for var in chosen:
        da = get_variable(ds, var, source, key="variables")
        if any(d in da.dims for d in _STAT_DIMS):
            da = _quantiles(da, list(quantiles), source)
        out[var] = da
    result = xr.Dataset(out, attrs=ds.attrs)
    result.attrs["quantiles_over_draws"] = ", ".join(f"{q:g}" for q in quantiles)
    return result


def to_tidy(ds: xr.Dataset, variables: Sequence[str] | None = None,
            quantiles: Sequence[float] | None = None) -> pd.DataFrame:
    """Long table: one row per coordinate combination of each variable.

    Columns: one per dim found among the chosen variables (a sweep's dims first, then
    scenario, draw, stat, quantile, year, sector, cohort in that order; empty where a variable
    lacks the dim), then ``variable``, ``value`` and ``unit`` (the unit in words,
    :func:`unit_of`). ``variables`` defaults to every data variable. With ``quantiles`` the
    draws are summarised first (:func:`summarise`): a ``quantile`` column instead of ``draw``,
    and ``variables`` defaults to those with a year dim.
    """
    if quantiles:
        ds = summarise(ds, quantiles, variables)
        variables = None
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
        df["unit"] = unit_of(da)
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


#: quantiles of a summarised export (tidy above :data:`TIDY_DRAW_LIMIT` draws, xlsx): the
#: median and the 90 % band, as ``aisim run`` prints them
SUMMARY_QUANTILES = (0.05, 0.5, 0.95)
#: above this many draws a tidy export holds :data:`SUMMARY_QUANTILES` unless every draw is
#: asked for (``--all-draws``): a row per draw, year, sector and variable is ~0.34 MB per draw
#: for the Flanders scenario (4,096 draws made 1.41 GB); 100 draws are ~35 MB
TIDY_DRAW_LIMIT = 100

#: sheet of each group of variables, by their label dims (besides scenario)
_SHEETS = {(): "aggregate", ("sector",): "sector", ("sector", "cohort"): "cohort"}


def _statistic(q: float) -> str:
    return "median" if np.isclose(q, 0.5) else _pct(q)


def xlsx_sheets(ds: xr.Dataset, quantiles: Sequence[float] = SUMMARY_QUANTILES,
                variables: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of :func:`to_xlsx`, one per group of variables: ``aggregate``, ``sector``,
    ``cohort``. A row per variable (and scenario, sector, cohort) and statistic (``median``,
    ``p05``, ...: ``quantiles`` over draws), a column per year; before the years the
    variable's ``description`` and ``unit`` (in words, :func:`unit_of`)."""
    summary = summarise(ds, quantiles, variables)
    groups: dict[str, list[pd.DataFrame]] = {}
    for var in map(str, summary.data_vars):
        da = summary[var]
        labels = [str(d) for d in _DIM_ORDER if d in da.dims and d not in
                  ("draw", "quantile", "year")]
        labels += [str(d) for d in da.dims if d not in (*labels, "quantile", "year")]
        key = tuple(d for d in labels if d != "scenario")
        sheet = _SHEETS.get(key, "_".join(key))[:31]
        if "quantile" not in da.dims:
            da = da.expand_dims(quantile=[np.nan])
        df = da.transpose("quantile", *labels, "year").rename("value").to_dataframe()
        df = df["value"].unstack("year").reset_index()
        df["statistic"] = [("value" if np.isnan(q) else _statistic(q)) for q in df["quantile"]]
        df = df.sort_values([*labels, "quantile"], kind="stable")
        df.insert(0, "variable", var)
        df.insert(1, "description", re.sub(r"\s*\(MODEL\.md[^)]*\)", "",
                                           str(da.attrs.get("long_name", var))))
        df.insert(2, "unit", unit_of(da))
        years = [c for c in df.columns if c not in ("variable", "description", "unit",
                                                     "statistic", "quantile", *labels)]
        groups.setdefault(sheet, []).append(
            df[["variable", "description", "unit", *labels, "statistic", *years]])
    return {name: pd.concat(frames, ignore_index=True) for name, frames in groups.items()}


def xlsx_readme(ds: xr.Dataset, sheets: Mapping[str, pd.DataFrame],
                quantiles: Sequence[float]) -> pd.DataFrame:
    """The README sheet: what the workbook holds, the units, the provenance (every global
    attribute of the results) and each variable's unit, CF units and definition."""
    n = ds.sizes.get("draw", ds.attrs.get("summary_of_draws", ds.attrs.get("draws", "")))
    rows: list[tuple[str, str]] = [
        ("what", "aisim results: medians and bands over Monte Carlo draws, one sheet per "
                 "group of variables (" + ", ".join(sheets) + "), a row per variable and "
                 "statistic, a column per year"),
        ("statistics", ", ".join(f"{_statistic(q)} = quantile {q:g}" for q in quantiles)
         + f" over {n} draws"),
        ("units", "gains are log points: 100 x (ln AI path - ln no-AI baseline) of the same "
                  "draw, not percent changes (10 log points = +10.5 %); they add up, so the "
                  "GDP decomposition terms sum to the GDP gain. Money in million EUR at "
                  "base-year prices. See docs/variables.md"),
        ("", ""), ("provenance", "")]
    rows += [(str(k), str(v)) for k, v in ds.attrs.items()]
    rows += [("", ""), ("variable", "sheet | unit | CF units | description | definition")]
    for sheet, df in sheets.items():
        for var in dict.fromkeys(df["variable"]):
            attrs = get_variable(ds, var).attrs
            rows.append((var, " | ".join([sheet, unit_of(get_variable(ds, var)),
                                          str(attrs.get("units", "")),
                                          str(attrs.get("long_name", "")),
                                          str(attrs.get("comment", ""))])))
    return pd.DataFrame(rows, columns=["key", "value"])


def _require_openpyxl() -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise InputError([Problem("command line", None, "--format",
                                  "openpyxl installed for --format xlsx", "openpyxl missing",
                                  "pip install 'aisim[excel]'")]) from None


def to_xlsx(ds: xr.Dataset, path: str | os.PathLike[str],
            quantiles: Sequence[float] = SUMMARY_QUANTILES,
            variables: Sequence[str] | None = None) -> Path:
    """Write an Excel workbook atomically: a ``README`` sheet (:func:`xlsx_readme`) and the
    sheets of :func:`xlsx_sheets` (medians and bands: ``quantiles`` over draws). Needs
    openpyxl (the optional extra ``excel``); without it, an :class:`InputError`."""
    _require_openpyxl()
    sheets = xlsx_sheets(ds, quantiles, variables)
    readme = xlsx_readme(ds, sheets, quantiles)
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(final) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        readme.to_excel(writer, sheet_name="README", index=False)
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name, index=False)
        book = writer.book
        book["README"].column_dimensions["A"].width = 28
        book["README"].column_dimensions["B"].width = 120
        for name, df in sheets.items():
            sheet = book[name]
            first_year = next(i for i, c in enumerate(df.columns) if not isinstance(c, str))
            sheet.freeze_panes = sheet.cell(row=2, column=first_year + 1)
            for i, column in enumerate(df.columns[:first_year]):
                width = max(len(str(column)), *(len(str(x)) for x in df[column])) + 2
                sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter] \
                        .width = min(width, 60)
    return final


FORMATS = ("iamc", "tidy", "xlsx")


def main_export(results_path: str | os.PathLike[str], fmt: str, out: str | os.PathLike[str],
                *, model: str = "aisim", scenario: str | None = None, region: str = "Flanders",
                variables: Sequence[str] | None = None, stat: str = "median",
                quantiles: Sequence[float] | None = None, all_draws: bool = False,
                note: Callable[[str], None] | None = None) -> Path:
    """``aisim export RESULTS --format iamc|tidy|xlsx -o OUT``: write one file of any results
    file (:func:`sim.present.results.open_results`: netCDF or zarr; full, summary, comparison
    or sweep; a sweep's points are IAMC scenarios).

    ``quantiles``: IAMC rows per quantile (``|p05``); tidy rows per quantile instead of per draw;
    the bands of the xlsx sheets (default :data:`SUMMARY_QUANTILES`). A tidy export of more
    than :data:`TIDY_DRAW_LIMIT` draws holds :data:`SUMMARY_QUANTILES` unless ``all_draws``;
    ``note`` is told so. Bad input (missing file, unknown format or variable, a package
    missing) raises :class:`~sim.errors.InputError`.
    """
    src = str(results_path)
    if fmt not in FORMATS:
        raise input_error(src, "--format", f"one of {', '.join(FORMATS)}", repr(fmt),
                          did_you_mean(fmt, FORMATS))
    if all_draws and (quantiles or fmt != "tidy"):
        raise InputError([Problem("command line", None, "--all-draws",
                                  "--all-draws only with --format tidy and no --quantiles",
                                  f"--format {fmt}" + (" --quantiles" if quantiles else ""))])
    if fmt == "xlsx":
        _require_openpyxl()
    from sim.present.results import SWEEP_BOOKKEEPING, open_results, sweep_as_scenarios

    kind, ds = open_results(results_path)
    if kind == "sweep":  # one IAMC scenario per sweep point; tidy: the sweep dims as columns
        ds = sweep_as_scenarios(ds) if fmt == "iamc" else ds[
            [v for v in ds.data_vars if v not in SWEEP_BOOKKEEPING and "chunk" not in ds[v].dims]]
    try:
        if fmt == "iamc":
            df = to_iamc(ds, model=model, scenario=scenario, region=region,
                         variables=variables, stat=stat, quantiles=tuple(quantiles or ()))
        elif fmt == "xlsx":
            return to_xlsx(ds, out, quantiles=tuple(quantiles or SUMMARY_QUANTILES),
                           variables=variables)
        else:
            draws = int(ds.sizes.get("draw", 0))
            if not quantiles and not all_draws and draws > TIDY_DRAW_LIMIT:
                quantiles = SUMMARY_QUANTILES
                if note is not None:
                    note(f"{draws} draws: the tidy table holds the median and the 90 % band "
                         f"(quantiles {', '.join(f'{q:g}' for q in quantiles)}) per cell; "
                         f"--all-draws writes every draw (about "
                         f"{_tidy_rows(ds, variables) / 1e6:.3g} million rows)")
            df = to_tidy(ds, variables=variables, quantiles=quantiles)
    except InputError as exc:  # name the file rather than "<dataset>"
        raise InputError([Problem(src, p.line, p.key, p.expected, p.got, p.hint)
                          for p in exc.problems]) from None
    return write_csv(df, out)


def _tidy_rows(ds: xr.Dataset, variables: Sequence[str] | None) -> int:
    names = list(variables) if variables is not None else [str(v) for v in ds.data_vars]
    return sum(int(ds[v].size) for v in names if v in ds)
