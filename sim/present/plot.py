"""Figures of aisim results: fan charts, scenario comparisons, sector panels, heatmaps, cohorts,
tornado and sensitivity bars, adoption curves against data. Matplotlib only.

Every plotting function takes ``ax=`` (``axes=`` for panels) to draw into existing axes and
returns ``(fig, ax)`` (``(fig, axes)``). Inputs are either a results Dataset with a ``draw`` dim
(quantiles are computed here, over draws) or a summary (``aisim run --summary-only``: the same
variable names with a ``stat`` dim, :mod:`sim.runner.summary`; its quantiles are used) or data
that already carries a ``quantile`` dim. Results files of every kind are opened by
:func:`sim.present.results.open_results`.
Axis labels come from the variables' ``long_name`` and ``units`` attrs; a source line with the
aisim version, scenario name and seed (from the Dataset attrs) is written at the bottom of new
figures. Colours are the Okabe-Ito colour-blind-safe palette. See docs/plotting.md.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from sim.atomic import atomic_write
from sim.errors import InputError, Problem
from sim.suggest import did_you_mean

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DEFAULT_VAR", "KINDS", "OKABE_ITO", "PALETTE", "SWEEP_KINDS", "adoption_curves",
    "axis_label", "cohorts", "compare", "fan", "heatmap", "load_results", "quantiles",
    "save_figure", "sector_label", "sector_panel",
    "sensitivity_bars", "source_line", "tornado",
]

#: Okabe & Ito (2008) colour-blind-safe palette, by name.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
#: Order in which series take colours (yellow last: weak contrast on white).
PALETTE = tuple(OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange",
                                        "reddish_purple", "sky_blue", "black", "yellow"))
#: Quantiles every summary carries (``sim.runner.summary.QUANTILES``).
DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
KINDS = ("fan", "sectors", "heatmap", "cohorts", "compare", "decomposition", "response",
         "tornado")
#: the kinds that read a sweep store (sim.present.plot_sweep)
SWEEP_KINDS = ("response", "tornado")
#: the parts of the GDP gain (MODEL.md 3.4), in stacking order, with their legend labels
DECOMPOSITION = (("gdp_from_tfp_pp", "TFP"),
                 ("gdp_from_capital_pp", "capital deepening (incl. automation capital)"),
                 ("gdp_from_employment_pp", "employment (transitional unemployment)"),
                 ("gdp_from_demand_pp", "demand gap"))
_DEFAULT_VAR = {"fan": "gdp_gain_pct", "compare": "gdp_gain_pct",
                "decomposition": "gdp_gain_pct",
                "sectors": "sector_tfp_gain_pct", "heatmap": "sector_tfp_gain_pct",
                "cohorts": "employment_by_cohort", "response": "gdp_gain_pct",
                "tornado": "gdp_gain_pct"}
_SUMMARY_SUFFIXES = ("_quantile_se", "_mean_se", "_quantile", "_mean", "_sd")
#: the variable each kind draws when none is given
DEFAULT_VAR = _DEFAULT_VAR
_UNIT_LABELS = {"1": "fraction"}
_SOURCE_GID = "aisim-source-line"


# --------------------------------------------------------------------------------------------
# errors and look-ups


def input_error(source: str, key: str, expected: str, got: str, hint: str = "") -> InputError:
    """An :class:`InputError` with one problem about ``key`` of ``source`` (file or Dataset)."""
    return InputError([Problem(file=source, line=None, key=key, expected=expected, got=got,
                               hint=hint)])


def _listing(options: Sequence[str], limit: int = 40) -> str:
    opts = [str(o) for o in options]
    text = ", ".join(opts[:limit])
    return text + (f", ... ({len(opts) - limit} more)" if len(opts) > limit else "")


def available_variables(ds: xr.Dataset) -> list[str]:
    """Names :func:`fan` and friends accept for ``ds``: variables with a ``year`` dim; for a
    flat summary of aisim up to 0.4 the ``X`` of each ``X_quantile`` (its ``_mean``/``_sd``/
    ``_se`` siblings are not listed separately)."""
    names: list[str] = []
    for v in ds.data_vars:
        name = str(v)
        if "year" not in ds[name].dims:
            continue
        if name.endswith("_quantile") and "quantile" in ds[name].dims:
            base = name[: -len("_quantile")]
            if base not in ds.data_vars and base not in names:
                names.append(base)
            continue
        if any(name.endswith(s) and name[: -len(s)] + "_quantile" in ds.data_vars
               for s in _SUMMARY_SUFFIXES):
            continue
        if name not in names:
            names.append(name)
    return names


def get_variable(ds: xr.Dataset, var: str, source: str = "<dataset>",
                 key: str = "var") -> xr.DataArray:
    """``ds[var]`` (a summary's as its quantiles, with a ``quantile`` dim:
    :func:`sim.runner.summary.summary_quantiles`), or a flat summary's ``ds[var + '_quantile']``;
    an unknown name raises :class:`~sim.errors.InputError` listing the available ones and the
    closest match."""
    if var in ds.data_vars:
        return _as_stats(ds[var])
    if f"{var}_quantile" in ds.data_vars:
        da = ds[f"{var}_quantile"]
        da = da.copy()
        da.attrs["long_name"] = re.sub(r"\s*\(quantile over draws\)$", "",
                                       da.attrs.get("long_name", var))
        return da.rename(var)
    names = available_variables(ds)
    raise input_error(source, key, f"a variable in the results, one of: {_listing(names)}",
                      repr(var), did_you_mean(var, names, 0.5, ignore_case=True))


def _as_stats(da: xr.DataArray) -> xr.DataArray:
    """A summary variable (``stat`` dim) as its quantiles over a ``quantile`` dim; others as
    they are."""
    if "stat" in da.dims and "quantile" in da.coords:
        from sim.runner.summary import summary_quantiles

        return summary_quantiles(da).rename(da.name)
    return da


def _check_dims(da: xr.DataArray, need: Sequence[str], source: str, key: str,
                purpose: str, hint: str = "") -> None:
    missing = [d for d in need if d not in da.dims]
    if missing:
        raise input_error(source, key, f"a variable with dims {tuple(need)} for {purpose}",
                          f"{da.name!r} with dims {tuple(map(str, da.dims))}", hint)


def _select(da: xr.DataArray, dim: str, value: Any, source: str, key: str) -> xr.DataArray:
    options = [str(v) for v in da[dim].values]
    if str(value) not in options:
        raise input_error(source, key, f"one of the {dim} values: {_listing(options)}", repr(value),
                          did_you_mean(str(value), options, 0.5, ignore_case=True))
    return da.isel({dim: options.index(str(value))})


def _selected(da: xr.DataArray, *, sector: str | None = None, scenario: str | None = None,
              source: str = "<dataset>") -> xr.DataArray:
    if scenario is not None and "scenario" in da.dims:
        da = _select(da, "scenario", scenario, source, "scenario")
    if sector is not None:
        if "sector" not in da.dims:
            raise input_error(source, "sector", f"a variable with a sector dim to pick sector "
                              f"{sector!r} from",
                              f"{da.name!r} with dims {tuple(map(str, da.dims))}")
        da = _select(da, "sector", sector, source, "sector")
    return da


# --------------------------------------------------------------------------------------------
# statistics


def quantiles(da: xr.DataArray, probs: Sequence[float] = DEFAULT_QUANTILES,
              source: str = "<dataset>") -> xr.DataArray:
    """``da``'s quantiles ``probs`` over ``draw`` (numpy's default linear interpolation), or the
    matching entries of its ``quantile`` dim when it is already a summary. The result has a
    ``quantile`` dim with coords ``probs`` first."""
    probs = [float(p) for p in probs]
    da = _as_stats(da)
    if "draw" in da.dims:
        q = da.quantile(probs, dim="draw", keep_attrs=True)
        return q.transpose("quantile", ...)
    if "quantile" in da.dims:
        have = np.asarray(da["quantile"].values, dtype=float)
        idx = []
        for p in probs:
            hit = np.flatnonzero(np.isclose(have, p, rtol=0, atol=1e-9))
            if not hit.size:
                raise input_error(source, "quantile", f"quantile {p:g} in the summary",
                                  f"quantiles {_listing([f'{h:g}' for h in have])}",
                                  "ask for bands the summary holds, e.g. bands=(0.5, 0.9)")
            idx.append(int(hit[0]))
        q = da.isel(quantile=idx).assign_coords(quantile=probs)
        return q.transpose("quantile", ...)
    raise input_error(source, "var", "a variable with a 'draw' or a 'quantile' dim",
                      f"{da.name!r} with dims {tuple(map(str, da.dims))}")


def _band_probs(bands: Sequence[float]) -> list[tuple[float, float]]:
    out = []
    for b in bands:
        if not 0 < b < 1:
            raise ValueError(f"band width must be in (0, 1), got {b}")
        out.append((round((1 - b) / 2, 10), round((1 + b) / 2, 10)))
    return out


# --------------------------------------------------------------------------------------------
# labels, source line, figure plumbing


def axis_label(da: xr.DataArray | None = None, *, long_name: str | None = None,
               units: str | None = None, width: int = 48) -> str:
    """``long_name [units]`` from attrs (MODEL.md references dropped, wrapped to ``width``);
    the unit in words (``display_units``, else the CF ``units``); ``"1"`` is shown as
    ``[fraction]``."""
    attrs = da.attrs if da is not None else {}
    name = long_name if long_name is not None else attrs.get("long_name") or (
        str(da.name) if da is not None and da.name is not None else "")
    name = re.sub(r"\s*\(MODEL\.md[^)]*\)", "", str(name))
    name = re.sub(r",\s*MODEL\.md\s+[\d.\-]+(?:,\s*[\d.\-]+)*", "", name).strip()
    unit = units if units is not None else attrs.get("display_units", attrs.get("units"))
    text = f"{name} [{_UNIT_LABELS.get(str(unit), unit)}]" if unit not in (None, "") else name
    return "\n".join(textwrap.wrap(text, width)) if width else text


def source_line(attrs: Mapping[str, Any]) -> str:
    """``"aisim <version> · scenario <name> · seed <seed>"`` from results attrs (parts present)."""
    parts = []
    if "aisim_version" in attrs:
        parts.append(f"aisim {attrs['aisim_version']}")
    if "scenario_name" in attrs:
        parts.append(f"scenario {attrs['scenario_name']}")
    if "seed" in attrs:
        parts.append(f"seed {attrs['seed']}")
    return " · ".join(parts)


def _add_source(fig: Figure, source: bool | str, attrs: Mapping[str, Any]) -> None:
    text = source if isinstance(source, str) else (source_line(attrs) if source else "")
    if not text:
        return
    for t in list(fig.texts):
        if t.get_gid() == _SOURCE_GID:
            t.remove()
    fig.text(0.995, 0.005, text, ha="right", va="bottom", fontsize=7, color="0.35",
             gid=_SOURCE_GID)
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):  # keep the axes' labels clear of the line
        height = fig.get_figheight() or 1.0
        engine.set(rect=(0.0, min(0.2, 0.16 / height), 1.0, 1.0 - min(0.2, 0.16 / height)))


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 4.2)) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig, new = plt.subplots(figsize=figsize, layout="constrained")
    return fig, new


def _year_axis(ax: Axes, nbins: int | str = "auto") -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=nbins, integer=True))
    ax.set_xlabel("Year")
    ax.grid(alpha=0.3)


def _attrs_of(data: Any) -> Mapping[str, Any]:
    return getattr(data, "attrs", {}) or {}


def _as_dataarray(data: xr.Dataset | xr.DataArray, var: str | None, default: str,
                  source: str) -> tuple[xr.DataArray, Mapping[str, Any]]:
    if isinstance(data, xr.DataArray):
        return _as_stats(data), {}
    if not isinstance(data, xr.Dataset):
        raise TypeError(f"expected an xarray Dataset or DataArray, got {type(data).__name__}")
    return get_variable(data, var or default, source), data.attrs


def _draw_fan(ax: Axes, q: xr.DataArray, bands: Sequence[float], color: str,
              label: str | None, alphas: Sequence[float] | None = None,
              compact: bool = False, linestyle: str = "-") -> None:
    """Bands (widest first, lightest) and the median line of a ``(quantile, year)`` array.

    ``compact``: only the median line gets a legend entry, labelled ``label``."""
    years = np.asarray(q["year"].values)
    pairs = sorted(_band_probs(bands), key=lambda lo_hi: lo_hi[0])  # widest first
    alphas = alphas or [0.18 + 0.17 * i for i in range(len(pairs))]
    for (lo, hi), alpha in zip(pairs, alphas, strict=False):
        width = round((hi - lo) * 100)
        ax.fill_between(years, q.sel(quantile=lo).values, q.sel(quantile=hi).values,
                        color=color, alpha=alpha, linewidth=0,
                        label="_nolegend_" if compact else
                        f"{label + ': ' if label else ''}{width} % band",
                        gid=f"band-{width}")
    median_label = label if compact else (f"{label}: median" if label else "median")
    ax.plot(years, q.sel(quantile=0.5).values, color=color, lw=2, label=median_label,
            gid="median", linestyle=linestyle)


def _legend_title(bands: Sequence[float]) -> str:
    widths = " and ".join(f"{round(b * 100)} %" for b in bands)
    return f"median and {widths} band{'s' if len(bands) > 1 else ''}" if bands else "median"


def _fan_probs(bands: Sequence[float]) -> list[float]:
    probs = {0.5}
    for lo, hi in _band_probs(bands):
        probs.update((lo, hi))
    return sorted(probs)


def _reduce_extra(da: xr.DataArray, keep: Sequence[str], source: str, key: str,
                  purpose: str, hint: str) -> None:
    extra = [str(d) for d in da.dims if d not in keep]
    if extra:
        raise input_error(source, key, f"a variable with only the dims {tuple(keep)} for {purpose}",
                          f"{da.name!r} with extra dims {tuple(extra)}", hint)


#: public names of the helpers above, for the other plotting modules (plot_sweep, plot_files)
add_source, band_probs, listing, new_axes, select = (_add_source, _band_probs, _listing,
                                                     _new_axes, _select)


# --------------------------------------------------------------------------------------------
# fan chart and scenario comparison


def fan(data: xr.Dataset | xr.DataArray, var: str | None = None, *, ax: Axes | None = None,
        sector: str | None = None, scenario: str | None = None,
        bands: Sequence[float] = (0.9, 0.5), color: str | None = None, label: str | None = None,
        title: str | None = None, source: bool | str = True,
        legend: bool = True) -> tuple[Figure, Axes]:
    """Fan chart over years: median line with the 50 % and 90 % bands (quantiles over draws).

    ``data``: a results Dataset (``var`` defaults to ``gdp_gain_pct``) or a DataArray. Pick a
    sector with ``sector=`` for sector variables and a scenario with ``scenario=``; a Dataset with
    a ``scenario`` dim and no ``scenario=`` is drawn as :func:`compare`.
    """
    src = "<dataset>"
    da, attrs = _as_dataarray(data, var, "gdp_gain_pct", src)
    if "scenario" in da.dims and scenario is None:
        return compare(data, var, ax=ax, sector=sector, title=title, source=source)
    da = _selected(da, sector=sector, scenario=scenario, source=src)
    _check_dims(da, ["year"], src, "var", "a fan chart over years")
    stat_dim = "draw" if "draw" in da.dims else "quantile"
    _reduce_extra(da, [stat_dim, "year"], src, "var", "a fan chart",
                  "pick one with sector=... / scenario=..., or use sector_panel/cohorts")
    q = quantiles(da, _fan_probs(bands), src)
    fig, ax = _new_axes(ax)
    _draw_fan(ax, q, bands, color or PALETTE[0], label)
    _year_axis(ax)
    ax.set_ylabel(axis_label(da))
    if title is not None:
        ax.set_title(title)
    elif sector is not None:
        ax.set_title(sector_label(data if isinstance(data, xr.Dataset) else da, sector)
                     .replace("sector ", "Sector ", 1))
    if legend:
        ax.legend(fontsize=8, loc="best")
    _add_source(fig, source, attrs or _attrs_of(data))
    return fig, ax


def _scenario_items(data: xr.Dataset | xr.DataArray | Mapping[str, xr.Dataset | xr.DataArray],
                    var: str | None, src: str) -> list[tuple[str, xr.DataArray, Mapping]]:
    if isinstance(data, Mapping) and not isinstance(data, xr.Dataset):
        items = []
        for name, value in data.items():
            da, attrs = _as_dataarray(value, var, "gdp_gain_pct", src)
            items.append((str(name), da, attrs))
        return items
    da, attrs = _as_dataarray(data, var, "gdp_gain_pct", src)
    if "scenario" not in da.dims:
        raise input_error(src, "scenario", "a Dataset with a 'scenario' dim, or a dict name -> "
                          "Dataset, to compare scenarios", f"{da.name!r} with dims "
                          f"{tuple(map(str, da.dims))}", "use fan() for a single scenario")
    return [(str(s), da.sel(scenario=s, drop=True), attrs) for s in da["scenario"].values]


def compare(data: xr.Dataset | xr.DataArray | Mapping[str, xr.Dataset | xr.DataArray],
            var: str | None = None, *, ax: Axes | None = None, sector: str | None = None,
            band: float | None = 0.5, title: str | None = None,
            source: bool | str = True) -> tuple[Figure, Axes]:
    """Scenarios on one axis: each scenario's median line and (``band``, default 50 %) band.

    ``data``: a Dataset/DataArray with a ``scenario`` dim, or a dict ``name -> Dataset``.
    ``band=None`` draws medians only.
    """
    src = "<dataset>"
    items = _scenario_items(data, var, src)
    fig, ax = _new_axes(ax)
    bands = (band,) if band else ()
    first = None
    for i, (name, da, _attrs) in enumerate(items):
        da = _selected(da, sector=sector, source=src)
        _check_dims(da, ["year"], src, "var", "a scenario comparison over years")
        stat_dim = "draw" if "draw" in da.dims else "quantile"
        _reduce_extra(da, [stat_dim, "year"], src, "var", "a scenario comparison",
                      "pick a sector with sector=...")
        q = quantiles(da, _fan_probs(bands), src)
        _draw_fan(ax, q, bands, PALETTE[i % len(PALETTE)], name, alphas=[0.2], compact=True)
        first = first if first is not None else da
    _year_axis(ax)
    if first is not None:
        ax.set_ylabel(axis_label(first))
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="best", title=_legend_title(bands), title_fontsize=8)
    attrs = dict(items[0][2]) if items else {}
    if isinstance(data, Mapping) and not isinstance(data, xr.Dataset):
        attrs["scenario_name"] = ", ".join(name for name, _, _ in items)
    _add_source(fig, source, attrs)
    return fig, ax


# --------------------------------------------------------------------------------------------
# sectors


def _sector_year_data(data: Any, var: str | None, scenario: str | None, what: str,
                      examples: str) -> tuple[xr.DataArray, dict[str, Any]]:
    """The (draw or quantile, year, sector) array of ``var`` for sector plots, checked."""
    src = "<dataset>"
    da, attrs = _as_dataarray(data, var, "sector_tfp_gain_pct", src)
    da = _selected(da, scenario=scenario, source=src)
    _check_dims(da, ["year", "sector"], src, "var", what, examples)
    stat_dim = "draw" if "draw" in da.dims else "quantile"
    _reduce_extra(da, [stat_dim, "year", "sector"], src, "var", what,
                  "pick a scenario with scenario=...")
    return da, attrs


def sector_panel(data: xr.Dataset | xr.DataArray, var: str | None = None, *,
                 axes: Sequence[Axes] | np.ndarray | None = None,
                 sectors: Sequence[str] | None = None, scenario: str | None = None,
                 ncols: int | None = None, sharey: bool = True,
                 bands: Sequence[float] = (0.9, 0.5), source: bool | str = True,
                 title: str | None = None) -> tuple[Figure, np.ndarray]:
    """Small multiples: one fan chart per sector (default ``sector_tfp_gain_pct``).

    Returns ``(fig, axes)`` with ``axes`` a 1-D array of one Axes per sector (unused grid cells
    are removed). ``axes=`` draws into given axes (at least one per sector).
    """
    src = "<dataset>"
    da, attrs = _sector_year_data(data, var, scenario, "a sector panel",
                                  "e.g. sector_tfp_gain_pct, adoption, exposure, employment")
    codes = [str(s) for s in da["sector"].values]
    names_from = data if isinstance(data, xr.Dataset) else da
    chosen = list(codes) if sectors is None else [str(s) for s in sectors]
    for s in chosen:
        if s not in codes:
            raise input_error(src, "sectors", f"sector codes among {_listing(codes)}", repr(s),
                              did_you_mean(s, codes, 0.5, ignore_case=True))
    n = len(chosen)
    if axes is None:
        import matplotlib.pyplot as plt

        ncols = ncols or min(n, max(1, int(np.ceil(np.sqrt(n)))))
        nrows = int(np.ceil(n / ncols))
        fig, grid = plt.subplots(nrows, ncols, figsize=(3.0 * ncols + 0.6, 2.6 * nrows + 0.8),
                                 sharex=True, sharey=sharey, squeeze=False,
                                 layout="constrained")
        flat = list(grid.ravel())
        for extra in flat[n:]:
            fig.delaxes(extra)
        ax_list = flat[:n]
    else:
        ax_list = list(np.ravel(np.asarray(axes, dtype=object)))
        if len(ax_list) < n:
            raise ValueError(f"need {n} axes for {n} sectors, got {len(ax_list)}")
        ax_list = ax_list[:n]
        fig = ax_list[0].figure
    probs = _fan_probs(bands)
    q_all = quantiles(da, probs, src)
    label = axis_label(da, width=30)
    for i, (ax, code) in enumerate(zip(ax_list, chosen, strict=True)):
        q = q_all.isel(sector=codes.index(code))
        _draw_fan(ax, q, bands, PALETTE[0], None)
        _year_axis(ax, nbins=4)
        ax.set_title("\n".join(textwrap.wrap(sector_label(names_from, code, 44)
                                              .replace("sector ", "", 1), 26)), fontsize=8)
        ax.tick_params(labelsize=8)
        if axes is None:  # our grid: y label on the left column, x label on the lowest cells
            if i % ncols == 0:
                ax.set_ylabel(label, fontsize=8)
            if i + ncols < n:
                ax.set_xlabel("")
            else:
                ax.xaxis.set_tick_params(labelbottom=True)
        else:
            ax.set_ylabel(label, fontsize=8)
    if axes is None:
        ax_list[0].legend(fontsize=7, loc="upper left")
        fig.suptitle(title if title is not None else axis_label(da, width=90), fontsize=11)
    _add_source(fig, source, attrs)
    return fig, np.array(ax_list, dtype=object)


def heatmap(data: xr.Dataset | xr.DataArray, var: str | None = None, *,
            ax: Axes | None = None, scenario: str | None = None, stat: float = 0.5,
            cmap: str | None = None, source: bool | str = True,
            title: str | None = None) -> tuple[Figure, Axes]:
    """Sector x year heatmap of the median over draws (``stat`` picks another quantile).

    Rows are sectors, columns years. The colour map is ``viridis``, or the diverging ``RdBu_r``
    centred on zero when the values take both signs (override with ``cmap=``).
    """
    src = "<dataset>"
    da, attrs = _sector_year_data(data, var, scenario, "a sector x year heatmap",
                                  "e.g. sector_tfp_gain_pct, adoption, exposure")
    med = quantiles(da, [stat], src).isel(quantile=0).transpose("sector", "year")
    values = np.asarray(med.values, dtype=float)
    years = np.asarray(med["year"].values)
    codes = [str(s) for s in med["sector"].values]
    fig, ax = _new_axes(ax, figsize=(8.0, 0.35 * len(codes) + 2.0))
    finite = values[np.isfinite(values)]
    kwargs: dict[str, Any] = {"cmap": cmap or "viridis"}
    if cmap is None and finite.size and finite.min() < 0 < finite.max():
        lim = float(np.abs(finite).max())
        kwargs.update(cmap="RdBu_r", vmin=-lim, vmax=lim)
    regular = len(years) > 1 and np.all(np.diff(years) == years[1] - years[0])
    step = float(years[1] - years[0]) if regular else 1.0
    x0, x1 = (float(years[0]) - step / 2, float(years[-1]) + step / 2) if regular else (
        -0.5, len(years) - 0.5)
    im = ax.imshow(values, aspect="auto", interpolation="nearest", origin="upper",
                   extent=(x0, x1, len(codes) - 0.5, -0.5), **kwargs)
    names_from = data if isinstance(data, xr.Dataset) else da
    ax.set_yticks(range(len(codes)), [sector_label(names_from, c, 34).replace("sector ", "", 1)
                                      for c in codes])
    if regular:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_xlabel("Year")
    ax.set_ylabel("Sector")
    what = "median" if np.isclose(stat, 0.5) else f"{stat:g} quantile"
    cbar = fig.colorbar(im, ax=ax)
    cbar.set_label(axis_label(da, width=40) + f"\n({what} over draws)", fontsize=8)
    if title is not None:
        ax.set_title(title)
    _add_source(fig, source, attrs)
    return fig, ax


# --------------------------------------------------------------------------------------------
# cohorts


def _deterministic(base: xr.DataArray) -> bool:
    """A summary's baseline that is the same in every draw (sd at rounding level)."""
    from sim.runner.summary import summary_stat

    mean = np.abs(np.asarray(summary_stat(base, "mean").values, dtype=float))
    sd = np.asarray(summary_stat(base, "sd").values, dtype=float)
    return bool(np.all(np.isfinite(sd)) and np.all(sd <= 1e-9 * np.maximum(mean, 1.0)))


def cohorts(data: xr.Dataset | xr.DataArray, var: str | None = None, *, ax: Axes | None = None,
            sector: str | None = None, scenario: str | None = None,
            relative: bool | None = None, bands: Sequence[float] = (0.9, 0.5),
            source: bool | str = True,
            title: str | None = None) -> tuple[Figure, Axes]:
    """Employment by age cohort over years: per cohort the median and its 50 % and 90 % bands.

    ``relative=True`` (the default for a Dataset; a lone DataArray is drawn in levels): the
    gain versus the no-AI baseline, 100 x the log difference to
    ``<var>_baseline`` draw by draw (the convention of every ``*_gain_pct`` output, MODEL.md
    preamble), so the AI effect is visible; ``relative=False``: levels (persons). Without
    ``sector=`` the cohorts are summed over sectors draw by draw (needs a ``draw`` dim). A
    summary (no draws) gives the gain when its baseline is the same in every draw (as in the
    shipped scenarios): the quantiles of the gain are then the log of the level's quantiles
    minus the log of the baseline, exact where a quantile is one draw's value and within
    numpy's linear interpolation between two neighbouring draws otherwise.
    """
    src = "<dataset>"
    da, attrs = _as_dataarray(data, var, "employment_by_cohort", src)
    _check_dims(da, ["year", "cohort"], src, "var", "employment by cohort",
                "e.g. employment_by_cohort")
    da = _selected(da, sector=sector, scenario=scenario, source=src)
    base = None
    if relative is None:
        relative = isinstance(data, xr.Dataset)
    if relative:
        if not isinstance(data, xr.Dataset):
            raise ValueError("relative=True needs the Dataset (for the baseline variable)")
        base_name = f"{da.name}_baseline"
        if base_name not in data.data_vars:
            raise input_error(src, "var", f"{base_name} in the results for the gain vs baseline",
                              "not in the results", "plot levels with relative=False")
        base = data[base_name]
        if "stat" in base.dims:
            if not _deterministic(_selected(base, sector=sector, scenario=scenario,
                                            source=src)):
                raise input_error(src, "relative", "a baseline that is the same in every draw "
                                  "for the gain from a summary", "a baseline that varies by "
                                  "draw", "plot a full results file, or relative=False")
            from sim.runner.summary import summary_stat

            base = summary_stat(base, "mean")
        base = _selected(base, sector=sector, scenario=scenario, source=src)
    if "sector" in da.dims:
        if "draw" not in da.dims:
            raise input_error(src, "sector", "a sector to plot (quantiles cannot be summed over "
                              "sectors)", "no sector", "pass sector=...")
        da = da.sum("sector", keep_attrs=True)
        base = base.sum("sector", keep_attrs=True) if base is not None else None
    units = da.attrs.get("display_units", da.attrs.get("units"))
    if base is not None:
        da = 100.0 * (np.log(da) - np.log(base))
        units = "log points"
    stat_dim = "draw" if "draw" in da.dims else "quantile"
    _reduce_extra(da, [stat_dim, "year", "cohort"], src, "var", "a cohort chart",
                  "pick a scenario with scenario=...")
    q_all = quantiles(da, _fan_probs(bands), src)
    fig, ax = _new_axes(ax)
    alphas = [0.1 + 0.16 * i for i in range(len(bands))]
    for i, c in enumerate(da["cohort"].values):
        _draw_fan(ax, q_all.sel(cohort=c), bands, PALETTE[i % len(PALETTE)], str(c),
                  alphas=alphas, compact=True, linestyle=("-", "--", ":")[i % 3])
    _year_axis(ax)
    if base is not None:
        ax.axhline(0.0, color="0.4", lw=0.8)
    name = "Employment gain vs no-AI baseline" if relative else "Employment"
    where = sector_label(data, sector) if sector is not None else "all sectors"
    ax.set_ylabel(axis_label(long_name=f"{name}, {where}", units=units))
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="best", ncol=len(da["cohort"]), title=_legend_title(bands),
              title_fontsize=8)
    _add_source(fig, source, attrs)
    return fig, ax


def sector_label(data: Any, code: str, width: int | None = None) -> str:
    """``"B-E Industry (mining, ...)"``: the code and, where the results carry a
    ``sector_name`` coordinate, the name (cut to ``width`` characters)."""
    names = getattr(data, "coords", {}).get("sector_name") if data is not None else None
    if names is None or "sector" not in names.dims:
        return f"sector {code}"
    codes = [str(c) for c in names["sector"].values]
    if str(code) not in codes:
        return f"sector {code}"
    name = str(names.values[codes.index(str(code))])
    if name in ("", str(code)):
        return f"sector {code}"
    if width is not None and len(name) > width:
        name = name[: width - 1].rstrip(" ,(") + "…"
    return f"{code} {name}"


def decomposition_means(ds: xr.Dataset, scenario: str | None = None,
                        source: str = "<dataset>") -> dict[str, xr.DataArray]:
    """Mean over draws of the GDP gain and of each of its parts, by year (MODEL.md 3.4).

    Means, not medians: the mean of a sum is the sum of the means, so the parts add up to the
    GDP gain exactly; a summary Dataset's ``<var>_mean`` serves the same purpose.
    """
    out = {}
    for name in ("gdp_gain_pct", *(v for v, _ in DECOMPOSITION)):
        if name in ds.data_vars and "stat" in ds[name].dims:
            from sim.runner.summary import summary_stat

            da = summary_stat(ds[name], "mean")
        elif name in ds.data_vars:
            da = ds[name]
            if "draw" not in da.dims:
                raise input_error(source, "var", f"{name} with a draw dim, or a summary with "
                                  f"{name}_mean", f"dims {tuple(map(str, da.dims))}")
            da = da.mean("draw", keep_attrs=True)
        elif f"{name}_mean" in ds.data_vars:
            da = ds[f"{name}_mean"]
        else:
            raise input_error(source, "var", f"the GDP decomposition variable {name} (results "
                              "of aisim 0.2 or later)", "not in the results",
                              "re-run the scenario with this version")
        out[name] = _selected(da, scenario=scenario, source=source)
        _reduce_extra(out[name], ["year"], source, "var", "a decomposition chart",
                      "pick a scenario with scenario=...")
    return out


def decomposition(data: xr.Dataset, *, ax: Axes | None = None, scenario: str | None = None,
                  source: bool | str = True, title: str | None = None) -> tuple[Figure, Axes]:
    """Why GDP moves: the GDP gain split into TFP, capital deepening (including the capital
    doing automated tasks), employment and the demand gap, stacked by year, with the GDP gain
    as a line (means over draws; MODEL.md 3.4, docs/model.md)."""
    src = "<dataset>"
    if not isinstance(data, xr.Dataset):
        raise ValueError("decomposition needs the results Dataset (it reads four variables)")
    means = decomposition_means(data, scenario, src)
    years = means["gdp_gain_pct"]["year"].values
    fig, ax = _new_axes(ax, figsize=(8.0, 4.6))
    up = np.zeros(len(years))
    down = np.zeros(len(years))
    for i, (name, label) in enumerate(DECOMPOSITION):
        values = means[name].values
        bottom = np.where(values >= 0, up, down)
        ax.bar(years, values, bottom=bottom, width=0.8, color=PALETTE[i], label=label,
               linewidth=0)
        up += np.where(values >= 0, values, 0.0)
        down += np.where(values < 0, values, 0.0)
    ax.plot(years, means["gdp_gain_pct"].values, color="black", lw=1.8, marker="o", ms=3,
            label="GDP gain")
    ax.axhline(0.0, color="0.4", lw=0.8)
    gdp = means["gdp_gain_pct"].values
    top, bottom = max(up.max(), gdp.max(), 0.0), min(down.min(), gdp.min(), 0.0)
    pad = 0.08 * (top - bottom) if top > bottom else 1.0
    ax.set_ylim(bottom - pad, top + pad)
    _year_axis(ax)
    ax.set_ylabel(axis_label(means["gdp_gain_pct"],
                             long_name="GDP gain vs no-AI baseline (mean)"))
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left")
    _add_source(fig, source, _attrs_of(data))
    return fig, ax


# --------------------------------------------------------------------------------------------
# sensitivity: bars and tornado


def _as_series(values: Any, name: str) -> pd.Series:
    import pandas as pd

    if isinstance(values, pd.Series):
        return values.astype(float)
    if isinstance(values, xr.DataArray):
        if values.dims != ("parameter",):
            raise ValueError(f"{name}: expected a DataArray with the single dim 'parameter', "
                             f"got {values.dims}")
        return pd.Series(values.values.astype(float),
                         index=[str(p) for p in values["parameter"].values])
    if isinstance(values, Mapping):
        return pd.Series({str(k): float(v) for k, v in values.items()})
    raise TypeError(f"{name}: expected a pandas Series, a DataArray over 'parameter' or a "
                    f"mapping, got {type(values).__name__}")


def _as_frame(values: Any, name: str) -> pd.DataFrame:
    """Rows = parameters, columns = index kinds (e.g. S1, ST)."""
    import pandas as pd

    if isinstance(values, pd.DataFrame):
        return values.astype(float)
    if isinstance(values, pd.Series):
        return values.astype(float).to_frame(values.name if values.name is not None else "")
    if isinstance(values, xr.DataArray):
        if "parameter" not in values.dims or values.ndim > 2:
            raise ValueError(f"{name}: expected a DataArray with a 'parameter' dim (and at most "
                             f"one more), got {values.dims}")
        params = [str(p) for p in values["parameter"].values]
        if values.ndim == 1:
            label = str(values.name) if values.name is not None else ""
            return pd.DataFrame({label: values.values.astype(float)}, index=params)
        other = next(d for d in values.dims if d != "parameter")
        arr = values.transpose("parameter", other).values.astype(float)
        return pd.DataFrame(arr, index=params, columns=[str(c) for c in values[other].values])
    if isinstance(values, Mapping):
        return _as_series(values, name).to_frame("")
    raise TypeError(f"{name}: expected a DataArray over 'parameter', a pandas Series/DataFrame "
                    f"or a mapping, got {type(values).__name__}")


def sensitivity_bars(indices: Any, conf: Any = None, *, ax: Axes | None = None,
                     sort: bool = True, xlabel: str | None = None,
                     title: str | None = None) -> tuple[Figure, Axes]:
    """Horizontal bars of sensitivity indices per parameter, largest at the top.

    ``indices``: a DataArray with a ``parameter`` dim (and optionally one more, e.g. ``index``
    with S1/ST, drawn as grouped bars), a pandas Series (index = parameters) or DataFrame
    (rows = parameters). ``conf`` (same shape) gives error-bar half-widths.
    """
    frame = _as_frame(indices, "indices")
    conf_frame = _as_frame(conf, "conf") if conf is not None else None
    if conf_frame is not None:
        conf_frame.columns = frame.columns[: len(conf_frame.columns)]
        conf_frame = conf_frame.reindex(index=frame.index, columns=frame.columns)
    order = list(frame.index)
    if sort:
        order = list(frame.abs().max(axis=1).sort_values(ascending=True).index)
    frame = frame.loc[order]
    conf_frame = conf_frame.loc[order] if conf_frame is not None else None
    fig, ax = _new_axes(ax, figsize=(7.0, 0.35 * len(order) + 1.6))
    k = len(frame.columns)
    height = 0.8 / k
    y = np.arange(len(order), dtype=float)
    for i, col in enumerate(frame.columns):
        offs = y + (i - (k - 1) / 2) * height
        xerr = conf_frame[col].to_numpy() if conf_frame is not None else None
        ax.barh(offs, frame[col].to_numpy(), height=height * 0.95, xerr=xerr,
                color=PALETTE[i % len(PALETTE)], capsize=2 if xerr is not None else 0,
                label=str(col) if str(col) else None, error_kw={"elinewidth": 1})
    ax.set_yticks(y, order)
    ax.axvline(0, color="0.3", lw=0.8)
    if xlabel is None:
        attrs = _attrs_of(indices)
        xlabel = axis_label(long_name=attrs.get("long_name", "Sensitivity index"),
                            units=attrs.get("units"))
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    if k > 1 or any(str(c) for c in frame.columns):
        ax.legend(fontsize=8, loc="lower right")
    if title is not None:
        ax.set_title(title)
    return fig, ax


def tornado(low: Any, high: Any, base: float | None = None, *, ax: Axes | None = None,
            sort: bool = True, xlabel: str = "Outcome", low_label: str = "parameter low",
            high_label: str = "parameter high",
            title: str | None = None) -> tuple[Figure, Axes]:
    """Tornado chart: per parameter, the outcome at its low and at its high value.

    ``low``/``high``: Series, DataArrays over ``parameter`` or mappings ``parameter -> outcome``.
    With ``base`` (the central outcome) each bar is split at ``base`` into the low-value part
    and the high-value part; without it one bar spans low to high. Largest swing on top.
    """
    lo = _as_series(low, "low")
    hi = _as_series(high, "high").reindex(lo.index)
    if hi.isna().any():
        missing = list(hi.index[hi.isna()])
        raise ValueError(f"high: no value for parameters {missing}")
    order = list(lo.index)
    if sort:
        order = list((hi - lo).abs().sort_values(ascending=True).index)
    lo, hi = lo.loc[order].to_numpy(), hi.loc[order].to_numpy()
    fig, ax = _new_axes(ax, figsize=(7.0, 0.35 * len(order) + 1.6))
    y = np.arange(len(order), dtype=float)
    if base is None:
        left = np.minimum(lo, hi)
        ax.barh(y, np.abs(hi - lo), left=left, height=0.7, color=PALETTE[0], gid="swing")
    else:
        ax.barh(y, lo - base, left=base, height=0.7, color=PALETTE[1], label=low_label,
                gid="low")
        ax.barh(y, hi - base, left=base, height=0.7, color=PALETTE[0], label=high_label,
                gid="high")
        ax.axvline(base, color="0.2", lw=1)
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(y, order)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    if title is not None:
        ax.set_title(title)
    return fig, ax


# --------------------------------------------------------------------------------------------
# adoption curves against data


def adoption_curves(curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
                    points: Sequence[tuple[str, float, float, float | None]] = (),
                    ax: Axes | None = None, *, percent: bool = True, z: float = 1.96,
                    ylabel: str | None = None,
                    title: str | None = None) -> tuple[Figure, Axes]:
    """Adoption curves with observed data points.

    ``curves``: ``{name: (years, shares)}``, e.g. one logistic per firm-size class.
    ``points``: ``(label, year, share, se)`` tuples, e.g. AI-Barometer rates; a point whose label
    names a curve takes its colour; ``se`` (or ``None``) draws +/- ``z`` x se error bars.
    Shares in [0, 1] are shown in % when ``percent`` (default).
    """
    scale = 100.0 if percent else 1.0
    fig, ax = _new_axes(ax)
    colours: dict[str, str] = {}

    def colour(name: str) -> str:
        if name not in colours:
            colours[name] = PALETTE[len(colours) % len(PALETTE)]
        return colours[name]

    for name, (years, values) in curves.items():
        ax.plot(np.asarray(years, dtype=float), scale * np.asarray(values, dtype=float),
                color=colour(str(name)), lw=1.8, label=str(name))
    by_label: dict[str, list[tuple[float, float, float]]] = {}
    for label, year, value, se in points:
        by_label.setdefault(str(label), []).append(
            (float(year), float(value), float("nan") if se is None else float(se)))
    for label, rows in by_label.items():
        arr = np.array(rows, dtype=float)
        err = np.where(np.isfinite(arr[:, 2]), z * scale * arr[:, 2], 0.0)
        ax.errorbar(arr[:, 0], scale * arr[:, 1], yerr=err, fmt="o", color=colour(label),
                    mfc="white", capsize=3, label=f"{label} (data)" if label in curves else label)
    _year_axis(ax)
    ax.set_ylabel(ylabel or ("Firms using AI [%]" if percent else "Firms using AI [fraction]"))
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left")
    return fig, ax


# --------------------------------------------------------------------------------------------
# saving and the CLI entry point


def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: int = 150,
                **kwargs: Any) -> Path:
    """Save ``fig`` atomically: write a temporary sibling, then ``os.replace`` it onto ``path``.

    The format follows the suffix (png, pdf, svg, ...); other keywords go to ``savefig``.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fmt = kwargs.pop("format", None) or (final.suffix.lstrip(".").lower() or "png")
    with atomic_write(final) as tmp:
        fig.savefig(tmp, dpi=dpi, format=fmt, **kwargs)
    return final


def load_results(results_path: str | os.PathLike[str]) -> xr.Dataset:
    """The Dataset of any aisim results file (:func:`sim.present.results.open_results`: netCDF
    or zarr; full, summary, comparison or sweep); anything else is an InputError."""
    from sim.present.results import open_results

    return open_results(results_path)[1]
