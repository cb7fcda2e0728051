"""Figures of analysis results: sensitivity indices over time (:mod:`sim.analysis.sensitivity`
Datasets) and model-versus-published comparisons (:mod:`sim.analysis.compare` results)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError, Problem
from sim.present.plot import PALETTE, save_figure


def plot_indices(ds: Any, path: str | Path, sector: str | None = None, top: int = 6) -> Path:
    """Indices over time, one panel per output: total (solid) and first-order (dashed) Sobol
    indices, or Morris mu*, for the ``top`` most influential parameters."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    method = ds.attrs.get("method", "sobol")
    main, second = ("ST", "S1") if method == "sobol" else ("mu_star", None)
    outputs = list(ds["output"].values)
    if "sector" in ds.dims:
        codes = [str(c) for c in ds["sector"].values]
        if sector is not None and sector not in codes:
            raise InputError([Problem.command_line("--plot-sector", "one of: " + ", ".join(codes),
                                           repr(sector))])
        ds = ds.sel(sector=sector or codes[0])
    ncol = min(2, len(outputs))
    nrow = math.ceil(len(outputs) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6 * ncol, 3.6 * nrow), squeeze=False)
    for ax, out in zip(axes.flat, outputs, strict=False):
        da = ds[main].sel(output=out)
        strength = da.max("year", skipna=True).fillna(-1).values
        order = np.argsort(-strength)[:top]
        for i, p in enumerate(order):
            colour = PALETTE[i % len(PALETTE)]
            name = str(ds["parameter"].values[p])
            years = ds["year"].values
            ax.plot(years, da.isel(parameter=p).values, color=colour, label=name)
            if f"{main}_conf" in ds:  # the confidence interval as a band
                mid = da.isel(parameter=p).values
                half = ds[f"{main}_conf"].sel(output=out).isel(parameter=p).values
                ax.fill_between(years, mid - half, mid + half, color=colour, alpha=0.15,
                                lw=0)
            if second is not None:
                mid = ds[second].sel(output=out).isel(parameter=p).values
                ax.plot(years, mid, color=colour, linestyle="--")
                half = ds[f"{second}_conf"].sel(output=out).isel(parameter=p).values
                ax.errorbar(years, mid, yerr=half, color=colour, linestyle="none",
                            elinewidth=0.8, capsize=2, alpha=0.6)
        kind = str(ds["output_kind"].sel(output=out).values)
        label = f"{out}" + (f" ({ds['sector'].values})" if kind == "sector" and "sector"
                            in ds.coords else "")
        ax.set_title(label, fontsize=9)
        ax.set_xlabel("year")
        ax.set_ylabel("ST (solid, band) and S1 (dashed, bars)\n"
                      f"{ds.attrs.get('conf_level', 0.95):.0%} confidence intervals"
                      if method == "sobol" else "mu* (band: confidence interval)")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(outputs):]:
        ax.set_visible(False)
    fig.tight_layout()
    final = save_figure(fig, path)
    plt.close(fig)
    return final


def plot_comparison(results: Sequence[Any], path: str | os.PathLike[str]) -> None:
    """Model (median, 5-95 % interval) against each published number, one panel per kind of
    statistic; scenarios without references show their GDP gain at the horizon."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = {"value": "level in the reference year (%)",
              "per_year": "average, pp a year", "year_reached": "year reached"}
    items: dict[str, list[tuple[str, float, float, float, float]]] = {k: [] for k in panels}
    for res in results:
        for r in res.references:
            items[r.statistic].append((f"{res.name}: {r.label}", r.published, r.model,
                                       r.model_low, r.model_high))
    used = [k for k in panels if items[k]]
    if not used:
        used = ["value"]
        items["value"] = [(f"{r.name}: GDP in {r.horizon}", math.nan, *(
            getattr(r.headlines["gdp_gain_pct"], a) for a in ("median", "low", "high")))
            for r in results]
    heights = [max(1.5, 0.32 * len(items[k]) + 0.8) for k in used]
    fig, axes = plt.subplots(len(used), 1, figsize=(9, sum(heights)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, kind in zip(axes[:, 0], used, strict=True):
        rows = items[kind]
        ys = list(range(len(rows)))[::-1]
        ax.scatter([r[1] for r in rows], ys, marker="x", color="black", zorder=3,
                   label="published")
        ax.errorbar([r[2] for r in rows], ys,
                    xerr=[[max(0.0, r[2] - r[3]) for r in rows],
                          [max(0.0, r[4] - r[2]) for r in rows]],
                    fmt="o", color="tab:blue", ecolor="tab:blue", elinewidth=1, capsize=2,
                    zorder=2, label="model (median, 5-95 %)")
        ax.set_yticks(ys)
        ax.set_yticklabels([r[0] for r in rows], fontsize=7)
        ax.set_xlabel(panels[kind])
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
