"""Chart data: a :class:`~sim.present.explorer.compute.Result` as the column dictionaries the
page's data sources hold (one function per view). No web library here, so the benchmark and
the tests measure and check exactly what the page is sent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.present.explorer.compute import (
    DECOMPOSITION_VARIABLES,
    HEADLINES,
    SECTOR_VARIABLES,
    Result,
)

Columns = dict[str, Any]
BANDS = ("p05", "p25", "p50", "p75", "p95")


def _bands(q: np.ndarray) -> Columns:
    return {name: q[i] for i, name in enumerate(BANDS)}


def fan(result: Result, var: str) -> Columns:
    """Median and the 50 % and 90 % bands of an economy-wide variable, by year."""
    return {"year": result.years, **_bands(result.headlines[var])}


def median_line(result: Result | None, var: str) -> Columns:
    """A comparison preset's median path (empty without one)."""
    if result is None or var not in result.headlines:
        return {"year": np.array([]), "p50": np.array([])}
    return {"year": result.years, "p50": result.headlines[var][2]}


def references(result: Result | None, var: str) -> Columns:
    """The published numbers on the chart of ``var``, with the model's and the status."""
    marks = [m for m in (result.references if result is not None else []) if m.variable == var]
    return {"x": [m.x for m in marks], "published": [m.published for m in marks],
            "model": [m.model for m in marks], "label": [m.label for m in marks],
            "status": [m.status for m in marks], "source": [m.source for m in marks],
            "scenario": [result.name if result is not None else ""] * len(marks)}


def sectors(result: Result, var: str, year: int) -> Columns:
    """Gains by sector in ``year`` (median and 90 % band), by the scenario's sector names,
    largest median first; a year outside the horizon is taken at the nearest end."""
    years = result.years
    t = int(np.clip(np.searchsorted(years, year), 0, len(years) - 1))
    q = result.sectors[var][:, t, :]
    order = np.argsort(-q[2], kind="stable")
    names = [f"{result.sector_names[j]} ({result.sector_codes[j]})"
             if result.sector_names[j] != result.sector_codes[j] else result.sector_codes[j]
             for j in order]
    return {"name": names, "code": [result.sector_codes[j] for j in order],
            **{b: q[i, order] for i, b in enumerate(BANDS)}}


def extent(columns: Columns, low: str = "p05", high: str = "p95",
           pad: float = 0.06) -> tuple[float, float]:
    """The axis range that shows every band of a sector chart, and zero, with a margin."""
    lo = float(min(0.0, np.nanmin(columns[low]))) if len(columns[low]) else 0.0
    hi = float(max(0.0, np.nanmax(columns[high]))) if len(columns[high]) else 1.0
    margin = pad * (hi - lo) if hi > lo else 1.0
    return lo - margin, hi + margin


def cohort(result: Result, index: int) -> Columns:
    """Employment gain of one cohort (all sectors), median and bands by year."""
    return {"year": result.years, **_bands(result.cohorts[:, :, index])}


def decomposition(result: Result) -> Columns:
    """The GDP gain's parts (means over draws) as stacked bars: positive parts stacked up from
    zero, negative ones down, in the order of :data:`sim.present.plot.DECOMPOSITION`."""
    up = np.zeros(len(result.years))
    down = np.zeros(len(result.years))
    out: Columns = {"year": result.years, "gdp": result.decomposition["gdp_gain_pct"]}
    for name in DECOMPOSITION_VARIABLES[1:]:
        values = result.decomposition[name]
        bottom = np.where(values >= 0, up, down)
        out[f"{name}_bottom"] = bottom
        out[f"{name}_top"] = bottom + values
        out[name] = values
        up = up + np.where(values >= 0, values, 0.0)
        down = down + np.where(values < 0, values, 0.0)
    return out


def compare_decomposition(compare: Result | None) -> Columns:
    """The comparison preset's mean GDP gain, drawn over the decomposition (empty without
    one)."""
    if compare is None:
        return {"year": np.array([]), "gdp": np.array([])}
    return {"year": compare.years, "gdp": compare.decomposition["gdp_gain_pct"]}


def all_sources(result: Result, compare: Result | None, year: int,
                sector_var: str) -> dict[str, Columns]:
    """Every data source of the page after a run, by source name."""
    out: dict[str, Columns] = {}
    for _, var, _ in HEADLINES:
        out[f"fan:{var}"] = fan(result, var)
        out[f"compare:{var}"] = median_line(compare, var)
        out[f"refs:{var}"] = references(result, var)
        out[f"compare_refs:{var}"] = references(compare, var)
    out["sectors"] = sectors(result, sector_var, year)
    for i, _ in enumerate(result.cohort_names):
        out[f"cohort:{i}"] = cohort(result, i)
    out["decomposition"] = decomposition(result)
    out["compare:decomposition"] = compare_decomposition(compare)
    return out


def sector_choices() -> list[tuple[str, str]]:
    """(variable, title) of the sector view's menu."""
    return [(v, t) for t, v in SECTOR_VARIABLES]
