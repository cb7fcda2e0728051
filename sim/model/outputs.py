"""Output variables from the kernel's packed arrays, cell by cell: summarised, written, or both.

Every output variable of :data:`sim.runner.results.VARIABLES` is computed here and nowhere else, from the
kernel's ``agg``, ``sec`` and ``cohort`` arrays (definitions in docs/model.md; gains are
100 x (ln AI path - ln baseline), MODEL.md preamble). The work is split into tasks: one per year
for the aggregate variables, one per (year, sector) for the sector and cohort variables. A task
fills a small scratch block ``rows[variable, draw]`` (a few hundred kB, cache-resident) and then

- merges each row into the running summaries (:func:`sim.model.statistics.update_row`), and/or
- copies it into the per-variable path arrays (``(variable, draw, year[, sector[, cohort]])``).

So a summary-only run never materialises the ~10,000 output values per draw: each value is
computed, summarised and forgotten while it is still in cache.

Summary cells are numbered variable by variable in the order of :data:`AGG_OUTPUTS`,
:data:`SECTOR_OUTPUTS`, :data:`COHORT_OUTPUTS`, each over its non-draw dims in C order (see
:func:`cell_offsets`); :class:`sim.runner.summary.StreamingSummary` uses the same numbering.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from sim.model import layout as L
from sim.model.statistics import update_row

AGG_OUTPUTS = (
    "tfp_gain_pct", "tfp_direct_gain_pct", "gdp_gain_pct", "potential_gdp_gain_pct",
    "labour_productivity_gain_pct", "employment_gain_pct", "output_gap_pct", "demand_gap_pct",
    "labour_income_gain_pct", "ghost_gdp_pp", "gdp", "gdp_baseline", "gdp_potential", "capital",
    "capital_baseline", "employment_total", "employment_total_baseline", "labour_force",
    "unemployment_rate", "unemployment_rate_change_pp", "displaced", "reemployed",
    "labour_share", "labour_share_baseline", "labour_income", "labour_income_baseline",
    "capital_income", "capital_income_baseline", "wage_index", "automated_work_share",
    "profitable_share", "intensity", "effective_saving", "real_rate",
)
SECTOR_OUTPUTS = (
    "sector_tfp_gain_pct", "exposure", "adoption", "affected_share", "employment",
    "employment_baseline", "sector_employment_gain_pct", "sector_value_added",
    "sector_value_added_baseline", "sector_value_added_gain_pct", "sector_labour_productivity",
    "sector_labour_productivity_baseline",
)
COHORT_OUTPUTS = ("employment_by_cohort", "employment_by_cohort_baseline")
N_AGG_OUT = len(AGG_OUTPUTS)
N_SECTOR_OUT = len(SECTOR_OUTPUTS)
N_COHORT_OUT = len(COHORT_OUTPUTS)
N_SECTOR_ROWS = N_SECTOR_OUT + N_COHORT_OUT * L.N_COHORTS  # rows of a (year, sector) task
# Scratch rows are padded: rows exactly 4096 draws (32 kB) apart map to the same L1 cache sets
# and evict one another, which doubled the cost of filling them (measured).
ROW_PAD = 8


def output_shapes(n_years: int, n_sectors: int) -> dict[str, tuple[int, ...]]:
    """Non-draw shape of every output, in summary-cell order (aggregate, sector, cohort)."""
    shapes: dict[str, tuple[int, ...]] = dict.fromkeys(AGG_OUTPUTS, (n_years,))
    shapes.update(dict.fromkeys(SECTOR_OUTPUTS, (n_years, n_sectors)))
    shapes.update(dict.fromkeys(COHORT_OUTPUTS, (n_years, n_sectors, L.N_COHORTS)))
    return shapes


def cell_offsets(shapes: dict[str, tuple[int, ...]]) -> dict[str, int]:
    """First summary cell of each variable: variables one after another, cells in C order."""
    offsets, at = {}, 0
    for name, shape in shapes.items():
        offsets[name] = at
        at += int(np.prod(shape, dtype=np.int64))
    return offsets


@njit(cache=True, inline="always")
def _log(x: float) -> float:
    """ln x, with -inf at 0 and nan below (as numpy)."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


@njit(cache=True, inline="always", error_model="numpy")
def _gain(x: float, base: float) -> float:
    """100 x (ln x - ln base), the project's definition of a gain (MODEL.md preamble), as one
    log of the ratio (half the cost, and no cancellation between two large logs); zeros give
    +-inf and nan exactly as the difference of logs would."""
    return 100.0 * _log(x / base)


@njit(cache=True, error_model="numpy")
def aggregate_rows(agg: np.ndarray, u_star: np.ndarray, real_rate: np.ndarray, k: int,
                   rows: np.ndarray) -> None:
    """``rows[v, i]``: aggregate output ``v`` (order of :data:`AGG_OUTPUTS`) of draw ``i`` in
    year ``k``."""
    for i in range(agg.shape[0]):
        a = agg[i, k]
        gdp, gdp_base, gdp_pot = a[L.AGG_GDP], a[L.AGG_GDP_BASELINE], a[L.AGG_GDP_POTENTIAL]
        emp, emp_base = a[L.AGG_EMPLOYMENT], a[L.AGG_EMPLOYMENT_BASELINE]
        gdp_gain = _gain(gdp, gdp_base)
        emp_gain = _gain(emp, emp_base)
        income = a[L.AGG_LABOUR_SHARE] * gdp
        income_base = a[L.AGG_LABOUR_SHARE_BASELINE] * gdp_base
        income_gain = _gain(income, income_base)
        rows[0, i] = 100.0 * (a[L.AGG_LN_TFP] - a[L.AGG_LN_TFP_BASELINE])
        rows[1, i] = 100.0 * a[L.AGG_DIRECT_GAIN]
        rows[2, i] = gdp_gain
        rows[3, i] = _gain(gdp_pot, gdp_base)
        rows[4, i] = gdp_gain - emp_gain
        rows[5, i] = emp_gain
        rows[6, i] = _gain(gdp, gdp_pot)
        rows[7, i] = 100.0 * a[L.AGG_DEMAND_GAP]
        rows[8, i] = income_gain
        rows[9, i] = gdp_gain - income_gain
        rows[10, i] = gdp
        rows[11, i] = gdp_base
        rows[12, i] = gdp_pot
        rows[13, i] = a[L.AGG_CAPITAL]
        rows[14, i] = a[L.AGG_CAPITAL_BASELINE]
        rows[15, i] = emp
        rows[16, i] = emp_base
        rows[17, i] = a[L.AGG_LABOUR_FORCE]
        rows[18, i] = a[L.AGG_UNEMPLOYMENT_RATE]
        rows[19, i] = 100.0 * (a[L.AGG_UNEMPLOYMENT_RATE] - u_star[i])
        rows[20, i] = a[L.AGG_DISPLACED]
        rows[21, i] = a[L.AGG_REEMPLOYED]
        rows[22, i] = a[L.AGG_LABOUR_SHARE]
        rows[23, i] = a[L.AGG_LABOUR_SHARE_BASELINE]
        rows[24, i] = income
        rows[25, i] = income_base
        rows[26, i] = gdp - income
        rows[27, i] = gdp_base - income_base
        rows[28, i] = 100.0 * (income / emp) / (income_base / emp_base)
        rows[29, i] = a[L.AGG_AFFECTED_SHARE]
        rows[30, i] = a[L.AGG_PROFITABLE_SHARE]
        rows[31, i] = a[L.AGG_INTENSITY]
        rows[32, i] = a[L.AGG_COST_SAVING]
        rows[33, i] = real_rate[i, k]


@njit(cache=True, error_model="numpy")
def sector_rows(sec: np.ndarray, cohort: np.ndarray, cohort_shares: np.ndarray, k: int,
                j: int, rows: np.ndarray) -> None:
    """``rows[v, i]`` for sector ``j`` in year ``k``: the :data:`SECTOR_OUTPUTS` (value added
    per person in EUR), then employment by cohort and its baseline: baseline sector employment
    times the base-year shares ``cohort_shares[j, c, i]`` (cohorts junior, prime, senior)."""
    c0 = N_SECTOR_OUT
    c1 = N_SECTOR_OUT + L.N_COHORTS
    for i in range(sec.shape[0]):
        x = sec[i, k, j]
        emp, emp_base = x[L.SEC_EMPLOYMENT], x[L.SEC_EMPLOYMENT_BASELINE]
        va, va_base = x[L.SEC_VALUE_ADDED], x[L.SEC_VALUE_ADDED_BASELINE]
        rows[0, i] = 100.0 * x[L.SEC_MEASURED_GAIN]
        rows[1, i] = x[L.SEC_EXPOSURE]
        rows[2, i] = x[L.SEC_ADOPTION]
        rows[3, i] = x[L.SEC_AFFECTED_SHARE]
        rows[4, i] = emp
        rows[5, i] = emp_base
        rows[6, i] = _gain(emp, emp_base)
        rows[7, i] = va
        rows[8, i] = va_base
        rows[9, i] = _gain(va, va_base)
        rows[10, i] = 1e6 * va / emp if emp > 0.0 else math.nan
        rows[11, i] = 1e6 * va_base / emp_base if emp_base > 0.0 else math.nan
        for c in range(L.N_COHORTS):
            rows[c0 + c, i] = cohort[i, k, j, c]
            rows[c1 + c, i] = emp_base * cohort_shares[j, c, i]


@njit(cache=True, parallel=True)
def chunk_outputs(agg: np.ndarray, sec: np.ndarray, cohort: np.ndarray,
                  cohort_shares: np.ndarray, u_star: np.ndarray, real_rate: np.ndarray,
                  summarise: bool, count: int, mean: np.ndarray, m2: np.ndarray,
                  vmin: np.ndarray, vmax: np.ndarray, low: np.ndarray, width: np.ndarray,
                  hist: np.ndarray,
                  write: bool, agg_out: np.ndarray, sec_out: np.ndarray,
                  cohort_out: np.ndarray) -> None:
    """Every output of one chunk of ``n`` draws, task by task (parallel over tasks).

    With ``summarise``, merge each output cell into the running summaries (``count`` draws
    merged before; arrays indexed by summary cell, see :func:`cell_offsets`). With ``write``,
    fill ``agg_out[v, draw, year]``, ``sec_out[v, draw, year, sector]`` and
    ``cohort_out[v, draw, year, sector, cohort]``. Tasks are interleaved (each year's aggregate
    task, then its sectors) so the two kinds spread evenly over threads. Every cell is computed
    by one thread in draw order, so results do not depend on the number of threads.
    """
    n, T, J = sec.shape[0], sec.shape[1], sec.shape[2]
    H = L.N_COHORTS
    agg_cells = N_AGG_OUT * T
    sec_cells = N_SECTOR_OUT * T * J
    for task in prange(T * (J + 1)):
        k = task // (J + 1)
        j = task % (J + 1) - 1
        if j < 0:
            rows = np.empty((N_AGG_OUT, n + ROW_PAD))
            aggregate_rows(agg, u_star, real_rate, k, rows)
            for v in range(N_AGG_OUT):
                if summarise:
                    update_row(rows[v, :n], v * T + k, count, mean, m2, vmin, vmax, low,
                               width, hist)
                if write:
                    for i in range(n):
                        agg_out[v, i, k] = rows[v, i]
            continue
        rows = np.empty((N_SECTOR_ROWS, n + ROW_PAD))
        sector_rows(sec, cohort, cohort_shares, k, j, rows)
        for v in range(N_SECTOR_OUT):
            if summarise:
                update_row(rows[v, :n], agg_cells + v * T * J + k * J + j, count, mean, m2,
                           vmin, vmax, low, width, hist)
            if write:
                for i in range(n):
                    sec_out[v, i, k, j] = rows[v, i]
        for v in range(N_COHORT_OUT):
            for c in range(H):
                r = N_SECTOR_OUT + v * H + c
                if summarise:
                    cell = agg_cells + sec_cells + v * T * J * H + (k * J + j) * H + c
                    update_row(rows[r, :n], cell, count, mean, m2, vmin, vmax, low, width,
                               hist)
                if write:
                    for i in range(n):
                        cohort_out[v, i, k, j, c] = rows[r, i]
