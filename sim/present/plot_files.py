"""``aisim plot``'s entry point: one figure of any results file, saved.

:func:`main_plot` opens the file (:func:`sim.present.results.open_results`: netCDF or zarr;
full, summary, comparison or sweep), checks the request against what the file holds, draws
with :mod:`sim.present.plot` (fan, sectors, heatmap, cohorts, compare, decomposition) or
:mod:`sim.present.plot_sweep` (response, tornado) and saves atomically. Every problem is an
:class:`~sim.errors.InputError` naming the results file and the option. See docs/plotting.md.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import xarray as xr

from sim.errors import InputError, Problem
from sim.present.plot import (
    DEFAULT_VAR,
    KINDS,
    SWEEP_KINDS,
    available_variables,
    cohorts,
    compare,
    decomposition,
    fan,
    get_variable,
    heatmap,
    input_error,
    listing,
    save_figure,
    sector_panel,
    select,
)
from sim.present.plot_sweep import response_curve, sweep_tornado
from sim.suggest import did_you_mean

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["main_plot"]


def main_plot(results_path: str | os.PathLike[str], kind: str, var: str | None, out: str,
              sector: str | None = None, scenario: str | None = None,
              param: str | None = None, years: Sequence[int] | None = None) -> Path:
    """``aisim plot RESULTS --kind KIND --var VAR -o OUT``: draw one figure and save it.

    ``RESULTS`` is any results file (:func:`sim.present.results.open_results`). Kinds: ``fan``
    (one variable over years; ``--sector`` for sector variables), ``sectors`` (small
    multiples), ``heatmap`` (sector x year median), ``cohorts`` (employment gain by age cohort
    vs baseline), ``compare`` (scenarios on one axis: ``aisim compare --out`` files),
    ``decomposition``; for sweep stores ``response`` (output vs ``param``, per year of
    ``years``) and ``tornado`` (OAT/grid: low/high effect per parameter, in the last of
    ``years``). ``var=None`` takes the kind's default. Bad input raises
    :class:`~sim.errors.InputError` naming the key and a suggestion.
    """
    from sim.present.results import open_results

    src = str(results_path)
    if kind not in KINDS:
        raise input_error(src, "--kind", f"one of {', '.join(KINDS)}", repr(kind),
                          did_you_mean(kind, KINDS, 0.5, ignore_case=True))
    what, ds = open_results(results_path)
    if what == "sweep" and kind not in SWEEP_KINDS:
        raise input_error(src, "--kind", f"{' or '.join(SWEEP_KINDS)} for a sweep store",
                          repr(kind), "e.g. --kind response --param ai.cost_saving")
    if what != "sweep" and kind in SWEEP_KINDS:
        raise input_error(src, "--kind", f"a sweep store (aisim sweep) for --kind {kind}",
                          f"a {what} results file", "use --kind fan, sectors, heatmap, ...")
    if what != "sweep" and (param is not None):
        raise input_error(src, "--param", "--param only with --kind response or tornado",
                          repr(param), "leave --param out")
    var = var or DEFAULT_VAR[kind]
    if what == "sweep":
        try:
            if kind == "response":
                fig, _ = response_curve(ds, var, param=param, years=years, sector=sector,
                                        src=src)
            else:
                if param is not None:
                    raise input_error(src, "--param", "no --param for a tornado (it shows "
                                      "every swept parameter)", repr(param))
                fig, _ = sweep_tornado(ds, var, year=years[-1] if years else None,
                                       sector=sector, src=src)
        except InputError as exc:
            raise InputError([Problem(src, p.line, p.key, p.expected, p.got, p.hint)
                              for p in exc.problems]) from None
        return _save_and_close(fig, out)
    if years:
        raise input_error(src, "--year", "--year only with --kind response or tornado",
                          str(years[0]), "leave --year out")
    da = get_variable(ds, var, src, key="--var")
    if "year" not in da.dims:
        raise input_error(src, "--var", "a variable with a year dim", f"{var!r} with dims "
                          f"{tuple(map(str, da.dims))}")
    if "draw" not in da.dims and "quantile" not in da.dims:
        raise input_error(src, "--var", "a variable with a draw or quantile dim",
                          f"{var!r} with dims {tuple(map(str, da.dims))}")
    if "scenario" in da.dims and scenario is not None:
        select(da, "scenario", scenario, src, "--scenario")
    elif scenario is not None and "scenario" not in da.dims:
        name = str(ds.attrs.get("scenario_name", ""))
        if scenario != name:
            raise input_error(src, "--scenario", f"the results' scenario {name!r} (the file has no "
                              "scenario dim)", repr(scenario), "leave --scenario out")
    if sector is not None:
        if "sector" not in da.dims:
            raise input_error(src, "--sector", f"a --var with a sector dim (got {var!r}, dims "
                              f"{tuple(map(str, da.dims))})", repr(sector), "leave --sector out")
        select(da, "sector", sector, src, "--sector")
    sc = scenario if "scenario" in da.dims else None
    try:
        fig = _main_figure(ds, da, kind, var, sector, sc, src)
    except InputError as exc:  # name the results file rather than "<dataset>"
        raise InputError([Problem(src, p.line, p.key, p.expected, p.got, p.hint)
                          for p in exc.problems]) from None
    return _save_and_close(fig, out)


def _save_and_close(fig: Figure, out: str | os.PathLike[str]) -> Path:
    try:
        return save_figure(fig, out)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def _need_dims(ds: xr.Dataset, da: xr.DataArray, var: str, src: str, dims: set[str],
               purpose: str) -> None:
    """``da`` must have exactly ``dims`` besides draw/quantile/scenario/year."""
    free = {"draw", "quantile", "scenario", "year"}
    if set(map(str, da.dims)) - free != dims:
        opts = [v for v in available_variables(ds)
                if set(map(str, get_variable(ds, v).dims)) - free == dims]
        what = " and ".join(sorted(dims))
        raise input_error(src, "--var", f"a variable with a {what} dim for {purpose}"
                          + (f", one of: {listing(opts)}" if opts else ""),
                          f"{var!r} with dims {tuple(map(str, da.dims))}",
                          did_you_mean(var, opts, 0.5, ignore_case=True)
                          or (f"try --var {opts[0]}" if opts else ""))


def _main_figure(ds: xr.Dataset, da: xr.DataArray, kind: str, var: str, sector: str | None,
                 sc: str | None, src: str) -> Figure:
    if "scenario" in da.dims and sc is None and kind in ("sectors", "heatmap", "cohorts"):
        names = [str(v) for v in da["scenario"].values]
        raise input_error(src, "--scenario", f"one of the scenarios {listing(names)} for "
                          f"--kind {kind}", "none", "or use --kind compare")
    if kind == "decomposition":
        fig, _ = decomposition(ds, scenario=sc)
    elif kind == "fan":
        if "sector" in da.dims and sector is None:
            codes = [str(s) for s in da["sector"].values]
            raise input_error(src, "--sector",
                              f"a sector code for a fan of sector variable {var!r}: "
                              f"one of {listing(codes)}", "none",
                              "or use --kind sectors / --kind heatmap")
        if "cohort" in da.dims:
            raise input_error(src, "--kind", "cohorts for a variable with a cohort dim", "fan",
                              "use --kind cohorts")
        fig, _ = fan(ds, var, sector=sector, scenario=sc)
    elif kind == "compare":
        if "scenario" not in da.dims:
            raise input_error(src, "--kind", "a results file with a scenario dim for compare",
                              f"dims {tuple(map(str, da.dims))}", "use --kind fan")
        if "sector" in da.dims and sector is None:
            raise input_error(src, "--sector", "a sector code to compare a sector variable", "none")
        fig, _ = compare(ds, var, sector=sector)
    elif kind == "sectors":
        _need_dims(ds, da, var, src, {"sector"}, "a sector panel")
        fig, _ = sector_panel(ds, var, scenario=sc, sectors=[sector] if sector else None)
    elif kind == "heatmap":
        _need_dims(ds, da, var, src, {"sector"}, "a heatmap")
        fig, _ = heatmap(ds, var, scenario=sc)
    else:
        _need_dims(ds, da, var, src, {"sector", "cohort"}, "a cohort chart")
        if sector is None and "draw" not in da.dims:
            raise input_error(src, "--sector", "a sector code (a summary's quantiles cannot be "
                              "summed over sectors)", "none")
        fig, _ = cohorts(ds, var, sector=sector, scenario=sc)
    return fig
