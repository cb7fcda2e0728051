"""Output variables from the kernel's packed arrays, cell by cell: summarised, written, or both.

Every output variable of the output table (:data:`sim.model.variables.TABLE`) is computed here
and nowhere else, from the kernel's ``agg``, ``sec`` and ``cohort`` arrays (definitions in the
table and docs/model.md; gains are 100 x (ln AI path - ln baseline), MODEL.md preamble). Rows
are addressed by name (``AGG_ROW.gdp_gain_pct``), never by position. The work is split into
tasks: one per year for the aggregate variables, one per year for the sector and cohort
variables (sector by sector within it). A task fills a small scratch block
``rows[variable, draw]`` (a few hundred kB, cache-resident) and then

- merges each row into the running summaries (:func:`sim.model.statistics.update_row`), and/or
- copies it into the per-variable path arrays (``(variable, draw, year[, sector[, cohort]])``).

So a summary-only run never materialises the ~10,000 output values per draw: each value is
computed, summarised and forgotten while it is still in cache.

Summary cells are numbered variable by variable in the order of :data:`AGG_OUTPUTS`,
:data:`SECTOR_OUTPUTS`, :data:`COHORT_OUTPUTS`, each over its non-draw dims in C order (see
:func:`sim.model.variables.cell_offsets`); :class:`sim.runner.summary.StreamingSummary` uses the
same numbering.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit, prange

from sim.model import layout as L
from sim.model.statistics import SCRATCH, SummaryArrays, check_pilot, update_row
from sim.model.variables import (  # noqa: F401  (output_shapes, cell_offsets re-exported)
    AGG_OUTPUTS,
    AGG_ROW,
    COHORT_OUTPUTS,
    COHORTS,
    N_SECTOR_ROWS,
    SECTOR_OUTPUTS,
    SECTOR_ROW,
    cell_offsets,
    output_shapes,
)

# Scratch rows are padded: rows exactly 4096 draws (32 kB) apart map to the same L1 cache sets
# and evict one another, which doubled the cost of filling them (measured).
ROW_PAD = 8
N_AGG_OUT = len(AGG_OUTPUTS)
N_SECTOR_OUT = len(SECTOR_OUTPUTS)
N_COHORT_OUT = len(COHORT_OUTPUTS)

#: the kernel's packed arrays of one chunk, year-major (layout in :mod:`sim.model.layout`):
#: ``agg[year, draw, k]``, ``sec[year, draw, sector, k]``, ``cohort[year, draw, sector, c]``
KernelArrays = namedtuple("KernelArrays", ["agg", "sec", "cohort"])
#: per-draw inputs the outputs need beside the kernel's arrays: ``natural_rate[draw]`` u*,
#: ``real_rate[draw, year]`` r(t), ``cohort_shares[sector, cohort, draw]`` base-year shares (kernel
#: sector order), and ``sector_position[j]``, the output position of the kernel's sector j
#: (:func:`sim.model.inputs.sector_positions`: the kernel computes sectors sorted by code, the
#: outputs follow the scenario's order)
OutputInputs = namedtuple("OutputInputs", ["natural_rate", "real_rate", "cohort_shares",
                                           "sector_position"])
#: the written paths, one block per kind, variables first in table order:
#: ``agg[v, draw, year]``, ``sec[v, draw, year, sector]``, ``cohort[v, draw, year, sector, c]``
OutputPaths = namedtuple("OutputPaths", ["agg", "sec", "cohort"])


def empty_paths() -> OutputPaths:
    """Stand-ins for a pass that writes no paths (same types: one numba specialisation)."""
    return OutputPaths(np.empty((0, 0, 0)), np.empty((0,) * 4), np.empty((0,) * 5))


def new_paths(n: int, n_years: int, n_sectors: int) -> OutputPaths:
    """Uninitialised path blocks for ``n`` draws."""
    return OutputPaths(np.empty((N_AGG_OUT, n, n_years)),
                       np.empty((N_SECTOR_OUT, n, n_years, n_sectors)),
                       np.empty((N_COHORT_OUT, n, n_years, n_sectors, len(COHORTS))))


def paths_by_name(paths: OutputPaths) -> dict[str, np.ndarray]:
    """``{variable: (draw, ...) array}`` views of the written blocks."""
    return {**dict(zip(AGG_OUTPUTS, paths.agg, strict=True)),
            **dict(zip(SECTOR_OUTPUTS, paths.sec, strict=True)),
            **dict(zip(COHORT_OUTPUTS, paths.cohort, strict=True))}


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


@njit(cache=True, inline="always")
def gather_sectors(sec: np.ndarray, cohort: np.ndarray, k: int, block: np.ndarray) -> None:
    """``block[j, i] = (sec[k, i, j, :], cohort[k, i, j, :])`` for every sector and draw.

    Year ``k`` of the kernel's year-major arrays is one contiguous block (~1.5 kB a draw for 21
    sectors), read here once in memory order and regrouped by sector, so that each sector's
    rows are then computed from a dense ``(draw, column)`` block. History (docs/performance.md):
    computing a cell's outputs straight from the draw-major arrays of the first version (draws
    one draw's ~40 kB apart) cost 85 ms per 2048 draws x 26 x 21; copying year by year from
    them 43 ms; from the year-major arrays the whole pass of rows is about half of that.
    """
    S = sec.shape[3]
    for i in range(sec.shape[1]):
        for j in range(sec.shape[2]):
            for c in range(S):
                block[j, i, c] = sec[k, i, j, c]
            for c in range(cohort.shape[3]):
                block[j, i, S + c] = cohort[k, i, j, c]


@njit(cache=True, error_model="numpy")
def aggregate_rows(block: np.ndarray, u_star: np.ndarray, real_rate: np.ndarray, k: int,
                   rows: np.ndarray) -> None:
    """``rows[v, i]``: aggregate output ``v`` (row ``AGG_ROW.<name>``) of draw ``i`` in year
    ``k`` from ``block[i]``, the draw's aggregate columns in year ``k`` (``agg[k]``);
    definitions in :data:`sim.model.variables.TABLE`."""
    R = AGG_ROW
    for i in range(block.shape[0]):
        a = block[i]
        gdp, gdp_base, gdp_pot = a[L.AGG_GDP], a[L.AGG_GDP_BASELINE], a[L.AGG_GDP_POTENTIAL]
        emp, emp_base = a[L.AGG_EMPLOYMENT], a[L.AGG_EMPLOYMENT_BASELINE]
        gdp_gain = _gain(gdp, gdp_base)
        emp_gain = _gain(emp, emp_base)
        income = a[L.AGG_LABOUR_SHARE] * gdp
        income_base = a[L.AGG_LABOUR_SHARE_BASELINE] * gdp_base
        income_gain = _gain(income, income_base)
        rows[R.tfp_gain_pct, i] = 100.0 * (a[L.AGG_LN_TFP] - a[L.AGG_LN_TFP_BASELINE])
        rows[R.tfp_direct_gain_pct, i] = 100.0 * a[L.AGG_DIRECT_GAIN]
        rows[R.gdp_gain_pct, i] = gdp_gain
        rows[R.potential_gdp_gain_pct, i] = _gain(gdp_pot, gdp_base)
        rows[R.labour_productivity_gain_pct, i] = gdp_gain - emp_gain
        rows[R.employment_gain_pct, i] = emp_gain
        rows[R.output_gap_pct, i] = _gain(gdp, gdp_pot)
        rows[R.demand_gap_pct, i] = 100.0 * a[L.AGG_DEMAND_GAP]
        rows[R.labour_income_gain_pct, i] = income_gain
        rows[R.ghost_gdp_pp, i] = gdp_gain - income_gain
        rows[R.gdp_from_tfp_pp, i] = 100.0 * a[L.AGG_GDP_FROM_TFP]
        rows[R.gdp_from_capital_pp, i] = 100.0 * a[L.AGG_GDP_FROM_CAPITAL]
        rows[R.gdp_from_employment_pp, i] = 100.0 * a[L.AGG_GDP_FROM_EMPLOYMENT]
        rows[R.gdp_from_demand_pp, i] = 100.0 * a[L.AGG_GDP_FROM_DEMAND]
        rows[R.gdp, i] = gdp
        rows[R.gdp_baseline, i] = gdp_base
        rows[R.gdp_potential, i] = gdp_pot
        rows[R.capital, i] = a[L.AGG_CAPITAL]
        rows[R.capital_baseline, i] = a[L.AGG_CAPITAL_BASELINE]
        rows[R.employment_total, i] = emp
        rows[R.employment_total_baseline, i] = emp_base
        rows[R.labour_force, i] = a[L.AGG_LABOUR_FORCE]
        rows[R.user_cost, i] = a[L.AGG_USER_COST]
        rows[R.user_cost_baseline, i] = a[L.AGG_USER_COST_BASELINE]
        rows[R.user_cost_gain_pct, i] = _gain(a[L.AGG_USER_COST], a[L.AGG_USER_COST_BASELINE])
        rows[R.unemployment_rate, i] = a[L.AGG_UNEMPLOYMENT_RATE]
        rows[R.unemployment_rate_change_pp, i] = 100.0 * (a[L.AGG_UNEMPLOYMENT_RATE] - u_star[i])
        rows[R.displaced, i] = a[L.AGG_DISPLACED]
        rows[R.reemployed, i] = a[L.AGG_REEMPLOYED]
        rows[R.labour_share, i] = a[L.AGG_LABOUR_SHARE]
        rows[R.labour_share_baseline, i] = a[L.AGG_LABOUR_SHARE_BASELINE]
        rows[R.capital_share, i] = a[L.AGG_CAPITAL_SHARE]
        rows[R.labour_income, i] = income
        rows[R.labour_income_baseline, i] = income_base
        rows[R.capital_income, i] = gdp - income
        rows[R.capital_income_baseline, i] = gdp_base - income_base
        rows[R.wage_index, i] = 100.0 * (income / emp) / (income_base / emp_base)
        rows[R.automated_work_share, i] = a[L.AGG_WORK_TAKEN]
        rows[R.affected_work_share, i] = a[L.AGG_AFFECTED_SHARE]
        rows[R.profitable_share, i] = a[L.AGG_PROFITABLE_SHARE]
        rows[R.intensity, i] = a[L.AGG_INTENSITY]
        rows[R.effective_saving, i] = a[L.AGG_COST_SAVING]
        rows[R.real_rate, i] = real_rate[i, k]


@njit(cache=True, error_model="numpy")
def sector_rows(block: np.ndarray, cohort_shares: np.ndarray, j: int, rows: np.ndarray) -> None:
    """``rows[v, i]`` for sector ``j`` in one year from ``block[i]``, the draw's sector columns
    then its cohort employment in that year (:func:`gather_sectors`): the :data:`SECTOR_OUTPUTS`
    (value added per person in EUR), then employment by cohort and its baseline: baseline
    sector employment times the base-year shares ``cohort_shares[j, c, i]`` (cohorts junior,
    prime, senior); rows ``SECTOR_ROW.<name>``."""
    R = SECTOR_ROW
    c0 = R.employment_by_cohort
    c1 = R.employment_by_cohort_baseline
    for i in range(block.shape[0]):
        x = block[i]
        emp, emp_base = x[L.SEC_EMPLOYMENT], x[L.SEC_EMPLOYMENT_BASELINE]
        va, va_base = x[L.SEC_VALUE_ADDED], x[L.SEC_VALUE_ADDED_BASELINE]
        rows[R.sector_tfp_gain_pct, i] = 100.0 * x[L.SEC_MEASURED_GAIN]
        rows[R.exposure, i] = x[L.SEC_EXPOSURE]
        rows[R.adoption, i] = x[L.SEC_ADOPTION]
        rows[R.affected_share, i] = x[L.SEC_AFFECTED_SHARE]
        rows[R.sector_labour_share, i] = x[L.SEC_LABOUR_SHARE]
        rows[R.employment, i] = emp
        rows[R.employment_baseline, i] = emp_base
        rows[R.sector_employment_gain_pct, i] = _gain(emp, emp_base)
        rows[R.sector_value_added, i] = va
        rows[R.sector_value_added_baseline, i] = va_base
        rows[R.sector_value_added_gain_pct, i] = _gain(va, va_base)
        rows[R.sector_labour_productivity, i] = 1e6 * va / emp if emp > 0.0 else math.nan
        rows[R.sector_labour_productivity_baseline, i] = (1e6 * va_base / emp_base
                                                          if emp_base > 0.0 else math.nan)
        for c in range(L.N_COHORTS):
            rows[c0 + c, i] = x[L.N_SEC_COLUMNS + c]
            rows[c1 + c, i] = emp_base * cohort_shares[j, c, i]


@njit(cache=True, parallel=True)
def chunk_outputs(kernel: KernelArrays, inputs: OutputInputs, summarise: bool, count: int,
                  summary: SummaryArrays, write: bool, paths: OutputPaths) -> None:
    """Every output of one chunk of ``n`` draws, task by task (parallel over tasks).

    ``kernel``: the packed arrays of :func:`sim.model.kernel.simulate` for the chunk (sectors
    in kernel order); ``inputs``: the per-draw values the outputs need beside them. Sector
    outputs are written and summarised in the scenario's order (``inputs.sector_position``).
    With ``summarise``, merge each output cell into the running ``summary`` (``count`` draws
    merged before; arrays indexed by summary cell, see :func:`sim.model.variables.cell_offsets`).
    With ``write``, fill ``paths``.
    Tasks are one year each, aggregates and sectors alternating, so the two kinds spread evenly
    over threads; a sector task copies the year's values of every sector and draw into one
    block first (:func:`gather_sectors`); an aggregate task reads the year's block ``agg[k]`` as
    it is. Every cell is computed by one thread in draw order,
    so results do not depend on the number of threads.
    """
    # unpacked before the parallel loop: numba's parfors drop writes made through a tuple's
    # array fields inside prange (measured: nothing written), but not through plain arrays
    agg, sec, cohort = kernel.agg, kernel.sec, kernel.cohort
    mean, m2, vmin, vmax = summary.mean, summary.m2, summary.vmin, summary.vmax
    low, width, hist = summary.low, summary.width, summary.hist
    shift, lanes, pilot = summary.shift, summary.lanes, summary.pilot
    agg_out, sec_out, cohort_out = paths.agg, paths.sec, paths.cohort
    natural_rate, real_rate, cohort_shares = (inputs.natural_rate, inputs.real_rate,
                                              inputs.cohort_shares)
    position = inputs.sector_position
    T, n, J = sec.shape[0], sec.shape[1], sec.shape[2]
    H = L.N_COHORTS
    agg_cells = N_AGG_OUT * T
    sec_cells = N_SECTOR_OUT * T * J
    cells = agg_cells + sec_cells + N_COHORT_OUT * T * J * H
    if summarise:
        check_pilot(count, n, pilot, cells)
    # nothing in the loop may raise: numba would run it serially (check_pilot)
    for task in prange(2 * T):
        k = task // 2
        index = np.empty(SCRATCH, dtype=np.int32)  # update_row's scratch, one per task
        if task % 2 == 0:
            rows = np.empty((N_AGG_OUT, n + ROW_PAD))
            aggregate_rows(agg[k], natural_rate, real_rate, k, rows)
            for v in range(N_AGG_OUT):
                if summarise:
                    update_row(rows[v, :n], v * T + k, count, mean, m2, vmin, vmax, low,
                               width, hist, shift, lanes, pilot, index)
                if write:
                    for i in range(n):
                        agg_out[v, i, k] = rows[v, i]
            continue
        rows = np.empty((N_SECTOR_ROWS, n + ROW_PAD))
        blocks = np.empty((J, n, L.N_SEC_COLUMNS + L.N_COHORTS))
        gather_sectors(sec, cohort, k, blocks)
        for j in range(J):
            sector_rows(blocks[j], cohort_shares, j, rows)
            out = position[j]  # the kernel's sector j in the scenario's order
            for v in range(N_SECTOR_OUT):
                if summarise:
                    update_row(rows[v, :n], agg_cells + v * T * J + k * J + out, count, mean,
                               m2, vmin, vmax, low, width, hist, shift, lanes, pilot, index)
                if write:
                    for i in range(n):
                        sec_out[v, i, k, out] = rows[v, i]
            for v in range(N_COHORT_OUT):
                for c in range(H):
                    r = N_SECTOR_OUT + v * H + c
                    if summarise:
                        cell = agg_cells + sec_cells + v * T * J * H + (k * J + out) * H + c
                        update_row(rows[r, :n], cell, count, mean, m2, vmin, vmax, low, width,
                                   hist, shift, lanes, pilot, index)
                    if write:
                        for i in range(n):
                            cohort_out[v, i, k, out, c] = rows[r, i]
