"""Figures of sweep stores (``aisim sweep``, docs/sweeps.md): response curves and tornado charts.

- :func:`response_curve`: an output against one swept parameter, the median over the point's
  draws and its band (default 90 %), one curve per chosen year. Grid sweeps use the
  parameter's dimension (other swept parameters held at their middle value); one-at-a-time
  (OAT) sweeps use the points that vary it, with the central point; sampled designs (LHS,
  Sobol) show every point as a dot with its band as an error bar.
- :func:`sweep_tornado`: per swept parameter, the output at the parameter's lowest and
  highest value with everything else central (OAT: the central point; grid: the middle of
  every other dimension), largest swing on top (:func:`sim.present.plot.tornado`).

The store is read as :func:`sim.present.results.open_results` gives it: summaries in the
``stat`` layout (their quantiles are used) or every draw's paths (quantiles computed here).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from sim.present.plot import (
    PALETTE,
    add_source,
    axis_label,
    band_probs,
    get_variable,
    input_error,
    listing,
    new_axes,
    quantiles,
    select,
    tornado,
)
from sim.suggest import did_you_mean

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["response_curve", "sweep_parameters", "sweep_tornado"]


def sweep_parameters(ds: xr.Dataset) -> list[str]:
    """The swept parameters (dotted paths) of a sweep store, in the sweep's order."""
    kind = ds.attrs.get("sweep_kind")
    if kind == "grid":
        return [str(d) for d in json.loads(ds.attrs.get("sweep_dims", "[]"))]
    spec = json.loads(ds.attrs.get("sweep_spec", "{}"))
    section = spec.get("oat") if kind == "oat" else (spec.get("design") or {}).get("ranges")
    if isinstance(section, dict):
        return [str(p) for p in section]
    return [str(c) for c in ds.coords if "." in str(c) and ds[c].dims == ("point",)]


def _check_sweep(ds: xr.Dataset, src: str) -> str:
    kind = ds.attrs.get("sweep_kind")
    if kind not in ("grid", "oat", "design"):
        raise input_error(src, "results", "a sweep store (aisim sweep)",
                          "a file without the sweep_kind attribute",
                          "response and tornado plots read sweep stores")
    return str(kind)


def _param(ds: xr.Dataset, param: str | None, src: str) -> str:
    params = sweep_parameters(ds)
    if param is None:
        return params[0]
    if param not in params:
        raise input_error(src, "--param", f"a swept parameter: one of {listing(params)}",
                          repr(param), did_you_mean(param, params, 0.5, last_component=True))
    return param


def _output(ds: xr.Dataset, var: str, sector: str | None, src: str) -> xr.DataArray:
    """``var``'s statistics (quantile dim, or draw dim) with the sector picked; the sweep dims
    and ``year`` left."""
    da = get_variable(ds, var, src, key="--var")
    if "sector" in da.dims:
        if sector is None:
            codes = [str(s) for s in da["sector"].values]
            raise input_error(src, "--sector", f"a sector code for sector variable {var!r}: "
                              f"one of {listing(codes)}", "none")
        da = select(da, "sector", sector, src, "--sector")
    elif sector is not None:
        raise input_error(src, "--sector", f"a --var with a sector dim (got {var!r})",
                          repr(sector), "leave --sector out")
    if "cohort" in da.dims:
        raise input_error(src, "--var", "a variable without a cohort dim for a sweep plot",
                          repr(var))
    if "year" not in da.dims:
        raise input_error(src, "--var", "a variable with a year dim", repr(var))
    return da


def _years(da: xr.DataArray, years: Sequence[int] | None, src: str) -> list[int]:
    have = [int(y) for y in da["year"].values]
    if years is None:
        end = have[-1]
        middle = 5 * int(np.ceil((have[0] + end) / 10))  # the middle, rounded up to a 5
        picks = [y for y in (have[0] + 5, middle, end) if y in have]
        return sorted(set(picks)) or [end]
    for y in years:
        if int(y) not in have:
            raise input_error(src, "--year", f"a simulated year ({have[0]}-{have[-1]})", str(y))
    return [int(y) for y in years]


def _band_label(band: float) -> str:
    return f"{round(band * 100)} % band"


def _middle(ds: xr.Dataset, dims: Sequence[str]) -> dict[str, int]:
    """Per grid dimension the index of its middle value (by value, not by position; the
    upper middle of an even count)."""
    out = {}
    for d in dims:
        order = np.argsort(np.asarray(ds[d].values, dtype=float), kind="stable")
        out[d] = int(order[len(order) // 2])
    return out


def _fixed_text(ds: xr.Dataset, fixed: dict[str, int]) -> str:
    return ", ".join(f"{d} = {float(ds[d].values[i]):g}" for d, i in fixed.items())


def response_curve(ds: xr.Dataset, var: str = "gdp_gain_pct", *, param: str | None = None,
                   years: Sequence[int] | None = None, sector: str | None = None,
                   band: float | None = 0.9, ax: Axes | None = None, source: bool | str = True,
                   title: str | None = None, src: str = "<dataset>") -> tuple[Figure, Axes]:
    """``var`` against the swept parameter ``param`` (default the first): median over each
    point's draws with its ``band`` (default 90 %), one curve per year of ``years`` (default
    up to three: 5 years in, the middle rounded up to a multiple of 5, and the horizon). See
    the module docstring for grid, OAT and design sweeps."""
    kind = _check_sweep(ds, src)
    param = _param(ds, param, src)
    da = _output(ds, var, sector, src)
    chosen = _years(da, years, src)
    lo_hi = band_probs([band])[0] if band else None
    probs = sorted({0.5, *(lo_hi or ())})
    fixed: dict[str, int] = {}
    if kind == "grid":
        others = [d for d in sweep_parameters(ds) if d != param]
        fixed = _middle(ds, others)
        da = da.isel(fixed)
        xs = np.asarray(ds[param].values, dtype=float)
        order = np.argsort(xs)
        q = quantiles(da, probs, src).isel({param: order})
        xs = xs[order]
    else:
        if kind == "oat":
            varied = np.asarray([str(v) for v in ds["varied"].values])
            keep = np.flatnonzero((varied == param) | (varied == ""))
        else:
            keep = np.arange(ds.sizes["point"])
        xs = np.asarray(ds[param].values, dtype=float)[keep]
        order = np.argsort(xs, kind="stable")
        keep, xs = keep[order], xs[order]
        q = quantiles(da.isel(point=keep), probs, src)
    fig, ax = new_axes(ax)
    scatter = kind == "design"
    for i, year in enumerate(chosen):
        colour = PALETTE[i % len(PALETTE)]
        qy = q.sel(year=year)
        mid = np.asarray(qy.sel(quantile=0.5).values, dtype=float)
        if scatter:
            err = None
            if lo_hi:
                lo = np.asarray(qy.sel(quantile=lo_hi[0]).values, dtype=float)
                hi = np.asarray(qy.sel(quantile=lo_hi[1]).values, dtype=float)
                err = np.vstack([mid - lo, hi - mid])
            ax.errorbar(xs, mid, yerr=err, fmt="o", ms=3, color=colour, alpha=0.8,
                        elinewidth=0.6, label=f"{year}: median", gid=f"median-{year}")
            continue
        if lo_hi:
            ax.fill_between(xs, qy.sel(quantile=lo_hi[0]).values,
                            qy.sel(quantile=lo_hi[1]).values, color=colour, alpha=0.2,
                            linewidth=0, label=f"{year}: {_band_label(band)}",
                            gid=f"band-{year}")
        ax.plot(xs, mid, color=colour, lw=2, marker="o", ms=4, label=f"{year}: median",
                gid=f"median-{year}")
    ax.set_xlabel(f"{param} (swept parameter)")
    ax.set_ylabel(axis_label(da))
    ax.grid(alpha=0.3)
    draws = int(ds.attrs.get("draws", 0) or 0)
    note = f"{draws:,} draws per point" if draws else ""
    if fixed:
        note += ("; " if note else "") + _fixed_text(ds, fixed)
    if title is None:
        title = f"Response to {param}" + (f", sector {sector}" if sector else "")
    ax.set_title(title + (f"\n({note})" if note else ""), fontsize=10)
    handles, labels = ax.get_legend_handles_labels()
    by_year: dict[str, list[Any]] = {}
    for h, lab in zip(handles, labels, strict=True):
        by_year.setdefault(lab.split(":")[0], []).append(h)
    what = f"median and {_band_label(band)}" if band else "median"
    ax.legend([tuple(v) for v in by_year.values()], list(by_year), fontsize=8,
              loc="upper left", bbox_to_anchor=(1.01, 1.0), title=f"year\n({what}\nover draws)",
              title_fontsize=8)
    add_source(fig, source, ds.attrs)
    return fig, ax


def _point_value(q: xr.DataArray, year: int, index: dict[str, int]) -> float:
    return float(q.isel(index).sel(year=year).values)


def sweep_tornado(ds: xr.Dataset, var: str = "gdp_gain_pct", *, year: int | None = None,
                  sector: str | None = None, stat: float = 0.5, ax: Axes | None = None,
                  source: bool | str = True, title: str | None = None,
                  src: str = "<dataset>") -> tuple[Figure, Axes]:
    """Tornado chart of an OAT or grid sweep: per swept parameter, ``var`` (its median over
    draws, or the ``stat`` quantile) at the parameter's lowest and highest value with every
    other parameter central, against the central outcome, in ``year`` (default the
    horizon)."""
    kind = _check_sweep(ds, src)
    if kind == "design":
        raise input_error(src, "--kind", "an OAT or grid sweep for a tornado chart",
                          "a sampled design (lhs/sobol)",
                          "use --kind response, or aisim sensitivity for indices")
    da = _output(ds, var, sector, src)
    end = int(da["year"].values[-1])
    year = end if year is None else _years(da, [year], src)[0]
    q = quantiles(da, [stat], src).isel(quantile=0, drop=True)
    params = sweep_parameters(ds)
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    labels: dict[str, str] = {}
    if kind == "oat":
        varied = np.asarray([str(v) for v in ds["varied"].values])
        centre = np.flatnonzero(varied == "")
        if not centre.size:
            raise input_error(src, "results", "an OAT sweep with its central point",
                              "no point with varied = ''")
        base = _point_value(q, year, {"point": int(centre[0])})
        for p in params:
            pts = np.flatnonzero(varied == p)
            if not pts.size:
                continue
            xs = np.asarray(ds[p].values, dtype=float)[pts]
            lo_pt, hi_pt = int(pts[np.argmin(xs)]), int(pts[np.argmax(xs)])
            low[p] = _point_value(q, year, {"point": lo_pt})
            high[p] = _point_value(q, year, {"point": hi_pt})
            labels[p] = f"{p} ({xs.min():g} to {xs.max():g})"
    else:
        mid = _middle(ds, params)
        base = _point_value(q, year, mid)
        for p in params:
            xs = np.asarray(ds[p].values, dtype=float)
            lo_i, hi_i = int(np.argmin(xs)), int(np.argmax(xs))
            low[p] = _point_value(q, year, {**mid, p: lo_i})
            high[p] = _point_value(q, year, {**mid, p: hi_i})
            labels[p] = f"{p} ({xs[lo_i]:g} to {xs[hi_i]:g})"
    what = "median" if np.isclose(stat, 0.5) else f"{stat:g} quantile"
    fig, ax = tornado({labels[p]: v for p, v in low.items()},
                      {labels[p]: v for p, v in high.items()}, base=base, ax=ax,
                      xlabel="\n".join(textwrap.wrap(
                          axis_label(da, width=0) + f", {what} over draws in {year}", 60)),
                      low_label="parameter at its lowest value",
                      high_label="parameter at its highest value",
                      title=title if title is not None else
                      f"One at a time around the central case ({what} {base:.3g})")
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2,
              frameon=False)
    ax.set_title(ax.get_title(), pad=22)
    add_source(fig, source, ds.attrs)
    return fig, ax

