"""What the page shows, computed from one run: a :class:`Result` of quantiles and means over
draws (headlines, sectors, cohorts, the GDP decomposition) and the scenario's reference numbers.

:func:`simulate` is the public run function (:func:`sim.runner.engine.run`, which ``sim.run``
calls); :func:`summarise` reduces its Dataset to the few arrays the charts need, so the
browser receives kilobytes, not every draw's paths. No web library here.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from sim.model.variables import VARIABLES
from sim.present.plot import DECOMPOSITION
from sim.scenario.loader import LoadedScenario

#: quantiles of every band: 90 % (5-95), 50 % (25-75) and the median
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
def _gain_unit(var: str) -> str:
    """A gain's axis unit, from the output table's unit in words (``log points``)."""
    return f"{VARIABLES[var].attrs['display_units']} vs no-AI baseline"


#: (title, variable, unit) of the fan charts
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("GDP", "gdp_gain_pct", _gain_unit("gdp_gain_pct")),
    ("TFP", "tfp_gain_pct", _gain_unit("tfp_gain_pct")),
    ("Labour productivity", "labour_productivity_gain_pct",
     _gain_unit("labour_productivity_gain_pct")),
    ("Employment", "employment_gain_pct", _gain_unit("employment_gain_pct")),
    ("Unemployment rate", "unemployment_rate_change_pp", "pp above the natural rate"),
)
#: (title, variable) of the sector view
SECTOR_VARIABLES: tuple[tuple[str, str], ...] = (
    ("TFP gain, log points", "sector_tfp_gain_pct"),
    ("Value added gain, log points", "sector_value_added_gain_pct"),
    ("Employment gain, log points", "sector_employment_gain_pct"),
)
DECOMPOSITION_VARIABLES = ("gdp_gain_pct", *(v for v, _ in DECOMPOSITION))


@dataclass(frozen=True)
class ReferenceMark:
    """A published number on a chart: where the study's number sits and where the model's."""

    variable: str
    label: str
    x: float
    published: float
    model: float
    status: str
    source: str
    #: the numbers as the reference states them (a per_year number per year; a year)
    stated_published: float = math.nan
    stated_model: float = math.nan


@dataclass
class Result:
    """Everything the charts draw, for one scenario and settings (small arrays only)."""

    name: str
    sha256: str
    seed: int
    sampler: str
    draws: int
    seconds: float
    years: np.ndarray
    headlines: dict[str, np.ndarray]  # var -> (quantile, year)
    sectors: dict[str, np.ndarray]  # var -> (quantile, year, sector)
    sector_codes: list[str]
    sector_names: list[str]
    cohorts: np.ndarray  # (quantile, year, cohort): employment gain %, summed over sectors
    cohort_names: list[str]
    decomposition: dict[str, np.ndarray]  # var -> (year,): means over draws
    references: list[ReferenceMark] = field(default_factory=list)


def page_variables(loaded: LoadedScenario) -> list[str]:
    """The output variables the page draws (and its CSV download holds): the headlines, the
    sector view's, the cohorts', the decomposition's and those the scenario's references name."""
    from sim.model.variables import VARIABLES

    refs = [r.variable for r in loaded.scenario.references if r.variable in VARIABLES]
    return list(dict.fromkeys([*DECOMPOSITION_VARIABLES, *shown_variables(), *refs]))


def simulate(loaded: LoadedScenario, variables: list[str] | None = None) -> xr.Dataset:
    """Every draw's paths of the scenario as validated (its monte_carlo block: draws, seed,
    sampler), through the public run function; ``variables``: only those (the numbers of
    the full run; the page keeps :func:`page_variables`), default all."""
    from sim.runner.engine import run

    return run(loaded, variables=variables)


def _quantiles(values: np.ndarray) -> np.ndarray:
    """:data:`QUANTILES` over axis 0 (draws), quantiles first: bit for bit what
    ``np.quantile(values, QUANTILES, axis=0)`` gives (its default, linear method), from one
    sort instead of numpy's partition per column (a fifth of the time on 1,000 draws x 260
    sector-years). Non-finite values, or fewer than two draws, go to ``np.quantile`` itself.
    """
    n = values.shape[0]
    if n < 2 or not np.isfinite(values).all():
        # e.g. the gain of a cohort a preset has nobody in (ln 0 - ln 0): a gap in the chart
        with np.errstate(invalid="ignore"):
            return np.quantile(values, QUANTILES, axis=0)
    ordered = np.sort(values, axis=0)
    virtual = (n - 1) * np.asarray(QUANTILES)  # numpy's virtual index of the linear method
    below = np.floor(virtual).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    gamma = (virtual - below).reshape(-1, *(1,) * (values.ndim - 1))
    a, b = ordered[below], ordered[above]
    diff = b - a
    # numpy's _lerp: a + (b - a) t, and b - (b - a)(1 - t) where t >= 0.5
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


def _over_sectors(values: np.ndarray) -> np.ndarray:
    """(draw, year, sector, cohort) summed over sectors, adding one sector's slice after the
    other (numpy's own order for this axis, four times faster than ``sum(axis=2)``)."""
    total = values[:, :, 0].copy()
    for j in range(1, values.shape[2]):
        total += values[:, :, j]
    return total


def cohort_gain(ds: xr.Dataset) -> np.ndarray:
    """Employment gain by cohort in %, all sectors together, per draw: (draw, year, cohort)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ai = _over_sectors(ds["employment_by_cohort"].values)
        base = _over_sectors(ds["employment_by_cohort_baseline"].values)
        return 100.0 * (np.log(ai) - np.log(base))


def _x_and_scale(ref: Any, start: int) -> tuple[float, float]:
    if ref.statistic == "per_year":
        return float(ref.year), float(ref.year - start)
    return float(ref.year), 1.0


def reference_marks(loaded: LoadedScenario, ds: xr.Dataset) -> list[ReferenceMark]:
    """The scenario's ``references:`` evaluated as ``aisim compare`` does
    (:func:`sim.analysis.compare.check_reference`), placed on the charts' axes: a ``per_year``
    number times the years since the start, a ``year_reached`` number at its threshold."""
    from sim.analysis.compare import check_reference
    from sim.errors import InputError
    from sim.runner.summary import summarize

    scn = loaded.scenario
    wanted = sorted({r.variable for r in scn.references if r.variable in ds.data_vars})
    if not wanted:
        return []
    summary = summarize(ds[wanted])
    start = scn.horizon.start
    marks = []
    for ref in scn.references:
        if ref.variable not in ds.data_vars:
            continue
        try:
            check = check_reference(ref, summary, start, loaded.source)
        except InputError:
            continue  # e.g. a sector variable: aisim compare reports it, no chart shows it
        if ref.statistic == "year_reached":
            x_pub, x_mod = float(ref.value), check.model
            mark = ReferenceMark(ref.variable, check.label, x_pub, float(ref.threshold),
                                 float(ref.threshold), check.status, ref.source, x_pub, x_mod)
        else:
            x, scale = _x_and_scale(ref, start)
            mark = ReferenceMark(ref.variable, check.label, x, check.published * scale,
                                 check.model * scale, check.status, ref.source,
                                 check.published, check.model)
        marks.append(mark)
    return marks


def summarise(loaded: LoadedScenario, ds: xr.Dataset, seconds: float = math.nan) -> Result:
    """The arrays the page draws, from a run's Dataset."""
    scn = loaded.scenario
    codes = [str(c) for c in ds["sector"].values]
    return Result(
        name=scn.name, sha256=loaded.sha256, seed=int(ds.attrs["seed"]),
        sampler=str(ds.attrs["sampler"]), draws=int(ds.sizes["draw"]), seconds=seconds,
        years=ds["year"].values.copy(),
        headlines={v: _quantiles(ds[v].values) for _, v, _ in HEADLINES},
        sectors={v: _quantiles(ds[v].values) for _, v in SECTOR_VARIABLES},
        sector_codes=codes, sector_names=[scn.sectors[c].name or c for c in codes],
        cohorts=_quantiles(cohort_gain(ds)),
        cohort_names=[str(c) for c in ds["cohort"].values],
        decomposition={v: ds[v].values.mean(axis=0) for v in DECOMPOSITION_VARIABLES},
        references=reference_marks(loaded, ds))


def compute(loaded: LoadedScenario) -> tuple[Result, xr.Dataset]:
    """Run (keeping :func:`page_variables` only) and summarise; the Result's ``seconds`` is
    the wall time of both."""
    began = time.perf_counter()
    ds = simulate(loaded, page_variables(loaded))
    result = summarise(loaded, ds)
    result.seconds = time.perf_counter() - began
    return result, ds


def shown_variables() -> list[str]:
    """The output variables the page shows (the CSV download's statistics)."""
    return [*(v for _, v, _ in HEADLINES), *(v for _, v in SECTOR_VARIABLES),
            *DECOMPOSITION_VARIABLES[1:], "employment_by_cohort",
            "employment_by_cohort_baseline"]


def statistics_csv(ds: xr.Dataset) -> bytes:
    """The shown variables' statistics over draws (mean and quantiles; column ``stat``: mean,
    p05, ..., p95), as tidy CSV
    (:func:`sim.present.export.to_tidy` of :func:`sim.runner.summary.summarize`)."""
    from sim.present.export import to_tidy
    from sim.runner.summary import summarize

    summary = summarize(ds[shown_variables()], QUANTILES)
    keep = [str(s) for s, q in zip(summary["stat"].values, summary["quantile"].values,
                                   strict=True) if s == "mean" or (q == q and "_se" not in s)]
    return to_tidy(summary.sel(stat=keep), shown_variables()).to_csv(index=False).encode()


def netcdf_bytes(ds: xr.Dataset) -> bytes:
    """Every draw's paths as netCDF (what ``aisim run --out x.nc`` writes)."""
    import tempfile
    from pathlib import Path

    from sim.runner.results import write_netcdf

    with tempfile.TemporaryDirectory(prefix="aisim-explore-") as folder:
        path = write_netcdf(ds, Path(folder) / "results.nc")
        return path.read_bytes()
