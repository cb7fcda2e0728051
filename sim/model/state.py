"""What one Monte Carlo draw carries through the year loop, in named containers.

``J`` is the number of sectors. Every array is float64, C-contiguous, owned by the draw:

- ``sectors``: a (J,) record array of dtype :data:`SECTOR`, one record per sector: what the
  sector carries from one year to the next and the current year's values;
- :class:`Aggregation`: contiguous (J,) arrays of the aggregation block (3.2-3.3), laid out for
  :func:`sim.model.aggregate.domar_weights` and :func:`sim.model.aggregate.tornqvist_step`;
- ``economy``: a (1,) record array of dtype :data:`ECONOMY`, the draw's economy-wide scalars.

Records, not namedtuples of arrays, carry the sector state: a record field is a plain load or
store, while every array taken out of a tuple cost numba a reference count (measured: 1.2-1.3x
slower). The year loop (:func:`sim.model.kernel.year_loop`) is now compiled without reference
counting at all; the containers are allocated before it, by :func:`initial_state`. The year's
aggregate results live in its output row ``agg[year]`` (columns of :mod:`sim.model.layout`),
which later blocks read back.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit

from sim.model import layout as L
from sim.model.aggregate import domar_weights, price_pass_through, relative_log_prices

SECTOR = np.dtype([
    # carried from year to year
    ("realised", np.float64),  # r_j(t-1), realised gain (2.2)
    ("affected_prev", np.float64),  # a_j(t-1) (2.2)
    ("base_gain", np.float64),  # z_j(t0) x GAINS_FROM_BASE_YEAR, gain in the base year (2.1)
    ("base_affected", np.float64),  # a_j(t0) x GAINS_FROM_BASE_YEAR (1.4)
    ("base_work", np.float64),  # h_j(t0) x GAINS_FROM_BASE_YEAR, work AI takes over (4.1, 4.4)
    ("employment", np.float64),  # persons employed (4.3)
    ("labour_demand", np.float64),  # L^d_j of the latest year, persons (4.2-4.3)
    ("log_trend_growth", np.float64),  # ln(1 + g_j), baseline TFP trend, fixed (5)
    # the current year's, written by one block and read by later ones
    ("adoption", np.float64),  # D_j(t), with the reinvestment speed-up (1.3, 4.6)
    ("affected", np.float64),  # a_j(t) (1.4)
    ("affected_increase", np.float64),  # a_j(t) - base_affected (4.2, 4.5)
    ("work_increase", np.float64),  # max(0, h_j(t) - base_work), h_j = (psi + (1 - psi) c) a_j
    ("labour_share", np.float64),  # sL_j(t) (4.5)
    ("gain", np.float64),  # m_j(t), measured gain (2.2)
    ("vacancy", np.float64),  # new labour demand this year, persons (4.3)
])

Aggregation = namedtuple("Aggregation", [
    "final_demand_share",  # beta_j(t0), contiguous copy of SECTOR_FINAL_DEMAND_SHARE (3.2-3.3)
    "base_weights",  # lambda_j(t0) = beta' (I - Omega)^-1, or beta_j(t0) without a network (3.2)
    "log_tfp",  # ln A_j(t), AI path, gross-output units (3.2)
    "log_tfp_baseline",  # ln A_j(t), baseline path (3.2, 5)
    "final_demand",  # beta_j(t), Baumol-shifted final-demand shares, scratch (3.3)
    "weights",  # lambda_j(t), AI path (3.3)
    "weights_baseline",  # lambda_j(t), baseline path (3.3)
    "log_tfp_prev",  # ln A_j(t-1), AI path (3.3)
    "log_tfp_baseline_prev",  # ln A_j(t-1), baseline path (3.3)
    "weights_prev",  # lambda_j(t-1), AI path (3.3)
    "weights_baseline_prev",  # lambda_j(t-1), baseline path (3.3)
    "outside_cost_share",  # 1 - sum_i Omega_ji, contiguous copy of SECTOR_OUTSIDE_COST_SHARE
    "value_added_tfp",  # ln A_j(t) in value-added units, AI path: trend + m_j (3.3)
    "value_added_tfp_baseline",  # ln A_j(t) in value-added units, baseline: trend (3.3)
    "log_price",  # ln p_j(t) relative to sector 0, scratch (3.3)
    "baseline_price_slope",  # baseline ln p_j per year since t0, relative to sector 0 (3.3, 5)
    "pass_through",  # (J, J) [i, j] = (I - Omega)^-1_ji o_i, for relative_log_prices (3.3)
])

ECONOMY = np.dtype([
    ("log_gdp0", np.float64),  # ln Y(t0) (3.4)
    ("log_capital0", np.float64),  # ln K(t0) (3.4)
    ("log_employment0", np.float64),  # ln H(t0) (3.4)
    ("labour_share0", np.float64),  # sL(t0) = sum_j v_j sL_j (4.5)
    ("capital_share0", np.float64),  # alpha, the calibrated capital elasticity (3.4)
    ("capital_share", np.float64),  # alpha(t) = alpha + sL(t0) - sL(t) (3.4, 4.5)
    ("user_cost_gap", np.float64),  # ln R(t) - ln R^base(t), the capital-supply response (3.4)
    ("job_finding", np.float64),  # f (1 - mu), effective job finding rate (4.3)
    ("ln_tfp", np.float64),  # chained ln TFP, AI path (3.3)
    ("ln_tfp_baseline", np.float64),  # chained ln TFP, baseline path (3.3)
    ("capital", np.float64),  # K(t) (3.4)
    ("capital_baseline", np.float64),  # K^base(t) (3.4)
    ("pool", np.float64),  # unemployment pool of the displaced, persons (4.3)
    ("labour_share", np.float64),  # sL(t-1) until 4.5 updates it (4.5-4.6)
    ("direct_gain", np.float64),  # sum_j v_j m_j of the latest year computed (3.1, 4.6)
])


@njit(cache=True, inline="always")
def initial_state(p: np.ndarray, sector: np.ndarray, employment0: float, leontief: np.ndarray,
                  network: bool):
    """The draw's containers in the base year t0 (MODEL.md 3.2, 3.4, 4.3, 4.5, 5).

    p (N_SCALAR_COLUMNS,) and sector (J, N_SECTOR_COLUMNS) are the draw's inputs, employment0
    H(t0) in persons, leontief (J, J) (I - Omega)^-1. Returns (sectors, Aggregation, economy).
    """
    J = sector.shape[0]
    final_demand_share = sector[:, L.SECTOR_FINAL_DEMAND_SHARE].copy()
    base_weights = np.zeros(J)
    if network:
        domar_weights(final_demand_share, leontief, base_weights)
    else:
        base_weights[:] = final_demand_share
    aggregation = Aggregation(final_demand_share, base_weights, np.zeros(J), np.zeros(J),
                              np.zeros(J), np.zeros(J), np.zeros(J), np.zeros(J), np.zeros(J),
                              np.zeros(J), np.zeros(J),
                              sector[:, L.SECTOR_OUTSIDE_COST_SHARE].copy(), np.zeros(J),
                              np.zeros(J), np.zeros(J), np.zeros(J), np.empty((J, J)))
    sectors = np.zeros(J, SECTOR)
    trend = np.empty(J)
    for j in range(J):
        sectors[j].log_trend_growth = math.log(1.0 + sector[j, L.SECTOR_TFP_GROWTH])
        sectors[j].labour_share = sector[j, L.SECTOR_LABOUR_SHARE]
        trend[j] = sectors[j].log_trend_growth
    if network:
        price_pass_through(leontief, aggregation.outside_cost_share, aggregation.pass_through)
    relative_log_prices(trend, aggregation.pass_through, network,
                        aggregation.baseline_price_slope)

    economy = np.zeros(1, ECONOMY)
    e = economy[0]
    alpha = p[L.CAPITAL_SHARE]
    e.capital = p[L.CAPITAL_OUTPUT_RATIO] * p[L.BASE_YEAR_GDP]
    e.capital_baseline = e.capital
    e.log_gdp0 = math.log(p[L.BASE_YEAR_GDP])
    e.log_capital0 = math.log(e.capital)
    e.log_employment0 = math.log(employment0)
    e.capital_share0 = alpha
    e.capital_share = alpha
    share0 = 0.0
    for j in range(J):
        share0 += sector[j, L.SECTOR_VALUE_ADDED_SHARE] * sector[j, L.SECTOR_LABOUR_SHARE]
        s = sectors[j]
        s.employment = sector[j, L.SECTOR_EMPLOYMENT_SHARE] * employment0
        s.labour_demand = s.employment
    e.labour_share0 = share0
    e.labour_share = share0
    e.job_finding = p[L.JOB_FINDING_RATE] * (1.0 - p[L.MOBILITY_DISCOUNT])
    return sectors, aggregation, economy
