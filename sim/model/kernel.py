"""The year-stepping kernel: every block of MODEL.md 1-5 for each draw, in parallel over draws.

Shapes: ``n`` draws, ``T`` years, ``J`` sectors. Inputs are float64 C-contiguous arrays laid out
as in :mod:`sim.model.layout`; outputs are preallocated by the caller and filled in place. Each
draw is computed independently with the same operation order, so results are bit-identical
whatever the number of threads or the chunking of draws.

The year loop (:func:`year_loop`, called by :func:`simulate_draw`) is the model: one call per
block, each in the module of its MODEL.md section. The draw's state travels in the containers
of :mod:`sim.model.state`; the year's aggregate results are written into its output row
``agg[k, i]`` and read back from there by later blocks.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from sim.model import layout as L
from sim.model.adoption import sector_adoption
from sim.model.aggregate import chained_tfp, sector_log_tfp
from sim.model.capital import (
    accumulate_capital,
    actual_output,
    factor_shares_and_potential_output,
    sector_value_added,
)
from sim.model.demand import adoption_speedup, demand_gap
from sim.model.labour import cohort_split, labour_demand, reemployment
from sim.model.productivity import sector_gains
from sim.model.state import initial_state
from sim.model.tasks import economy_drivers, sector_tasks


@njit(cache=True, _nrt=False)
def year_loop(
    years: np.ndarray,  # (T,)
    p: np.ndarray,  # (N_SCALAR_COLUMNS,) the draw's scalars
    sector: np.ndarray,  # (J, N_SECTOR_COLUMNS)
    size_class: np.ndarray,  # (N_SIZE_CLASSES, N_SIZE_CLASS_COLUMNS)
    user_cost: np.ndarray,  # (T,) R^base(t) = r(t) + delta
    employment_base: np.ndarray,  # (T,) baseline (potential) employment, persons
    leontief: np.ndarray,  # (J, J) (I - Omega)^-1, identity without a network
    network: bool,
    sectors: np.ndarray,  # (J,) SECTOR records, from initial_state
    aggregation,  # Aggregation, from initial_state
    economy: np.ndarray,  # (1,) ECONOMY record, from initial_state
    class_share: np.ndarray,  # (N_SIZE_CLASSES,) scratch
    agg: np.ndarray,  # out (T, n, N_AGG_COLUMNS), the chunk's
    sec: np.ndarray,  # out (T, n, J, N_SEC_COLUMNS)
    cohort: np.ndarray,  # out (T, n, J, N_COHORTS)
    i: int,  # the draw's index in the chunk
) -> None:
    """One draw, year by year (MODEL.md 1-5), from its base-year containers, into its rows
    ``agg[k, i]``, ``sec[k, i]`` and ``cohort[k, i]`` of the chunk's year-major arrays.

    Compiled without numba's reference counting (``_nrt=False``): the loop allocates nothing,
    and every array view it takes (a year's rows, an array out of the Aggregation tuple) would
    otherwise cost an atomic increment and decrement of the chunk arrays' shared counters:
    38 % of the kernel's time in a profile (docs/performance.md).
    """
    t0 = years[0]
    eta = p[L.FINAL_DEMAND_ELASTICITY]
    immobile = p[L.IMMOBILE_SHARE]
    for k in range(years.shape[0]):
        t = years[k]
        first = k == 0
        out = agg[k, i]
        sec_k = sec[k, i]
        h_base = employment_base[k]
        growth = 1.0 if first else h_base / employment_base[k - 1]

        # 1. tasks and adoption (1.1-1.5), adoption sped up by reinvested gains (4.6)
        progress = economy_drivers(t, t0, p, out)
        speedup = adoption_speedup(p, economy)
        sector_adoption(t, sector, size_class, speedup, class_share, sectors)
        sector_tasks(progress, first, p, sector, sectors, out, sec_k)
        # 2. sector gains and the J-curve (2.1-2.2), their direct aggregate (3.1)
        direct = sector_gains(first, p, sector, sectors, economy, out, sec_k)
        # 3. aggregate TFP: Domar / Baumol weights, factor mobility (3.1-3.3)
        sector_log_tfp(t - t0, sector, sectors, aggregation)
        chained_tfp(first, t - t0, eta, immobile, network, leontief, aggregation, economy,
                    out)
        ln_tfp, ln_tfp_base = out[L.AGG_LN_TFP], out[L.AGG_LN_TFP_BASELINE]
        # 4. demand shortfall from last year's displaced (4.6)
        gap = demand_gap(p, sectors, economy, out)
        # 5. labour shares, capital share, user cost; baseline and potential GDP (3.4, 4.5, 5)
        potential_gap = factor_shares_and_potential_output(
            ln_tfp, ln_tfp_base, h_base, user_cost[k], p, sector, sectors, economy, out, sec_k)
        # 6. labour demand, job destruction and vacancies (4.1-4.3)
        vacancies = labour_demand(growth, potential_gap, gap, direct, h_base, p, sector, sectors,
                                  out)
        # 7. the unemployment pool and re-employment (4.3, 4.6)
        reemployment(growth, gap, vacancies, h_base, p, sector, sectors, economy, out, sec_k)
        # 8. employment by age cohort (4.4)
        cohort_split(p, sector, sectors, cohort[k, i])
        # 9. actual GDP, why it moved, and sector value added (3.4, 4.2)
        actual_gap = actual_output(ln_tfp, ln_tfp_base, p, economy, out)
        sector_value_added(actual_gap, eta, direct, sector, sectors, out, sec_k)
        # 10. capital toward the user-cost target (3.4)
        accumulate_capital(p, economy, out)


@njit(cache=True)
def simulate_draw(
    years: np.ndarray,  # (T,)
    p: np.ndarray,  # (N_SCALAR_COLUMNS,) the draw's scalars
    sector: np.ndarray,  # (J, N_SECTOR_COLUMNS)
    size_class: np.ndarray,  # (N_SIZE_CLASSES, N_SIZE_CLASS_COLUMNS)
    user_cost: np.ndarray,  # (T,) R^base(t) = r(t) + delta
    employment_base: np.ndarray,  # (T,) baseline (potential) employment, persons
    leontief: np.ndarray,  # (J, J) (I - Omega)^-1, identity without a network
    network: bool,
    agg: np.ndarray,  # out (T, n, N_AGG_COLUMNS), the chunk's
    sec: np.ndarray,  # out (T, n, J, N_SEC_COLUMNS)
    cohort: np.ndarray,  # out (T, n, J, N_COHORTS)
    i: int,  # the draw's index in the chunk
) -> None:
    """Draw ``i`` (MODEL.md 1-5): its containers in t0 (:func:`sim.model.state.initial_state`,
    which allocates), then :func:`year_loop` (which does not)."""
    sectors, aggregation, economy = initial_state(p, sector, employment_base[0], leontief,
                                                  network)
    class_share = np.empty(L.N_SIZE_CLASSES)
    year_loop(years, p, sector, size_class, user_cost, employment_base, leontief, network,
              sectors, aggregation, economy, class_share, agg, sec, cohort, i)


@njit(cache=True, inline="always")
def draw_not_finite(agg: np.ndarray, sec: np.ndarray, cohort: np.ndarray, i: int) -> bool:
    """Whether any value of draw ``i``'s rows is NaN or infinite: x - x is 0 for finite x and
    NaN otherwise, so one sum (run right after the draw, while its ~40 kB are still in cache:
    nearly free, measured)."""
    acc = 0.0
    for k in range(agg.shape[0]):
        for c in range(agg.shape[2]):
            acc += agg[k, i, c] - agg[k, i, c]
        for j in range(sec.shape[2]):
            for c in range(sec.shape[3]):
                acc += sec[k, i, j, c] - sec[k, i, j, c]
            for c in range(cohort.shape[3]):
                acc += cohort[k, i, j, c] - cohort[k, i, j, c]
    return acc != 0.0


@njit(cache=True, parallel=True)
def simulate(
    years: np.ndarray,  # (T,)
    scalars: np.ndarray,  # (n, N_SCALAR_COLUMNS)
    sector: np.ndarray,  # (n, J, N_SECTOR_COLUMNS)
    size_class: np.ndarray,  # (n, N_SIZE_CLASSES, N_SIZE_CLASS_COLUMNS)
    user_cost: np.ndarray,  # (n, T) R^base(t) = r(t) + delta
    employment_base: np.ndarray,  # (n, T) baseline (potential) employment, persons
    leontief: np.ndarray,  # (J, J) (I - Omega)^-1, identity without a network
    network: bool,
    agg: np.ndarray,  # out (T, n, N_AGG_COLUMNS)
    sec: np.ndarray,  # out (T, n, J, N_SEC_COLUMNS)
    cohort: np.ndarray,  # out (T, n, J, N_COHORTS)
    not_finite: np.ndarray,  # out (n,) bool: the draw has a NaN or infinite value
) -> None:
    """Fill ``agg``, ``sec`` and ``cohort`` for every draw (MODEL.md 1-5), and flag the draws
    whose values are not all finite (the engine stops on them: sim.runner.finite).

    The outputs are year-major (:mod:`sim.model.layout`): a draw writes one contiguous row per
    year, and the output pass then reads each year's values of all draws as one block
    (docs/performance.md, issue 19)."""
    for i in prange(scalars.shape[0]):
        # the index as int64: numba types the loop body twice, with an int64 index and then
        # (in the parallel gufunc) a uint64 one, and a uint64 i compiled the whole year loop a
        # second time (measured: 72 s cold compile instead of 41)
        draw = np.int64(i)
        simulate_draw(years, scalars[i], sector[i], size_class[i], user_cost[i],
                      employment_base[i], leontief, network, agg, sec, cohort, draw)
        not_finite[i] = draw_not_finite(agg, sec, cohort, draw)
