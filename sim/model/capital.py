"""GDP, capital and the user cost of capital (MODEL.md 3.4, revision 2).

Production is Cobb-Douglas normalised at t0, and its capital elasticity is the capital share of
the task allocation, alpha(t) = alpha + sL(t0) - sL(t) (4.5): one number in production, in the
capital target and in the income accounts. Automated tasks are done by capital, so automation
raises alpha(t), the demand for capital and, once capital has come, output.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model import layout as L
from sim.model.labour import sector_labour_shares, sector_output_gap

#: the user-cost solver stops when ln R is known to within this
USER_COST_TOLERANCE = 1e-13
#: plain fixed-point steps tried before the safeguarded bisection takes over
USER_COST_ITERATIONS = 100
USER_COST_BISECTIONS = 200


@njit(cache=True, inline="always")
def log_output(log_gdp0: float, log_tfp: float, log_capital_ratio: float,
               log_labour_ratio: float, alpha: float) -> float:
    """ln Y(t) = ln Y0 + ln TFP(t) + alpha(t) ln(K / K0) + (1 - alpha(t)) ln(H / H0) (MODEL.md 3.4).
    """
    return log_gdp0 + log_tfp + alpha * log_capital_ratio + (1.0 - alpha) * log_labour_ratio


@njit(cache=True, inline="always")
def next_capital(capital: float, gdp: float, alpha: float, user_cost: float,
                 adjustment: float) -> float:
    """K(t+1) = (1 - delta) K + I, I = delta K + lambda_K (K* - K), K* = alpha(t) Y / R(t).

    MODEL.md 3.4, R = r + delta the user cost. Equivalent to K(t+1) = K(t) + lambda_K (K* - K).
    """
    target = alpha * gdp / user_cost
    return capital + adjustment * (target - capital)


@njit(cache=True, inline="always")
def capital_share(alpha0: float, labour_share0: float, labour_share: float) -> float:
    """alpha(t) = alpha + sL(t0) - sL(t), kept inside (0.001, 0.999) (MODEL.md 3.4, 4.5).

    Every point of labour share that automation moves goes to capital; without automation
    alpha(t) = alpha exactly.
    """
    return min(0.999, max(0.001, alpha0 + labour_share0 - labour_share))


@njit(cache=True, inline="always")
def user_cost_map(gap: float, inverse_elasticity: float, mean_log_tfp: float,
                  log_y_base: float, log_k: float, log_h: float, saving: float, p: np.ndarray,
                  sector: np.ndarray, sectors: np.ndarray, economy) -> float:
    """T(x) = (1/eps) D(x) / (1 + 1/eps), D = ln K* - ln K*^base + x = ln(alpha(x) / alpha) +
    ln Y_pot(x) - ln Y^base: the user-cost gap that the capital demand at gap x calls for
    (MODEL.md 3.4). Writes the sector labour shares at x."""
    e = economy[0]
    share = sector_labour_shares(gap, saving, p, sector, sectors)
    alpha = capital_share(e.capital_share0, e.labour_share0, share)
    log_y_pot = log_output(e.log_gdp0, mean_log_tfp, log_k, log_h, alpha)
    demand = math.log(alpha) - math.log(e.capital_share0) + log_y_pot - log_y_base
    return inverse_elasticity * demand / (1.0 + inverse_elasticity)


@njit(cache=True, inline="always")
def solve_user_cost_gap(start: float, inverse_elasticity: float, mean_log_tfp: float,
                        log_y_base: float, log_k: float, log_h: float, saving: float,
                        p: np.ndarray, sector: np.ndarray, sectors: np.ndarray,
                        economy) -> float:
    """The root of x = T(x) (:func:`user_cost_map`), ln R - ln R^base (MODEL.md 3.4).

    Plain iteration from ``start`` (last year's gap) first: its slope is about
    (1 - sigma)(1 - sL) / alpha / (1 + eps), a contraction in the usual cases, and from a warm
    start it stays on the economically relevant root (with sigma < 1 a corner root with every
    labour share at 1 can exist too). Where it does not converge (sigma > 1 with a small eps
    makes the slope steeper than -1), bisection of x - T(x) on a bracket grown around the last
    iterate: alpha(t) is clipped, so T is bounded and a sign change always exists.
    """
    gap = start
    for _ in range(USER_COST_ITERATIONS):
        new_gap = user_cost_map(gap, inverse_elasticity, mean_log_tfp, log_y_base, log_k,
                                log_h, saving, p, sector, sectors, economy)
        if abs(new_gap - gap) < USER_COST_TOLERANCE:
            return new_gap
        gap = new_gap
    width = 1e-3
    low, high = gap - width, gap + width
    f_low = low - user_cost_map(low, inverse_elasticity, mean_log_tfp, log_y_base, log_k,
                                log_h, saving, p, sector, sectors, economy)
    f_high = high - user_cost_map(high, inverse_elasticity, mean_log_tfp, log_y_base, log_k,
                                  log_h, saving, p, sector, sectors, economy)
    while f_low > 0.0 or f_high < 0.0:  # x - T(x) -> -inf / +inf as x -> -inf / +inf
        width *= 2.0
        if f_low > 0.0:
            low -= width
            f_low = low - user_cost_map(low, inverse_elasticity, mean_log_tfp, log_y_base,
                                        log_k, log_h, saving, p, sector, sectors, economy)
        if f_high < 0.0:
            high += width
            f_high = high - user_cost_map(high, inverse_elasticity, mean_log_tfp, log_y_base,
                                          log_k, log_h, saving, p, sector, sectors, economy)
    for _ in range(USER_COST_BISECTIONS):
        mid = 0.5 * (low + high)
        if high - low < USER_COST_TOLERANCE:
            return mid
        f_mid = mid - user_cost_map(mid, inverse_elasticity, mean_log_tfp, log_y_base, log_k,
                                    log_h, saving, p, sector, sectors, economy)
        if f_mid > 0.0:
            high = mid
        else:
            low = mid
    return 0.5 * (low + high)


# ---- blocks of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def factor_shares_and_potential_output(mean_log_tfp: float, mean_log_tfp_base: float,
                                       employment_baseline: float, user_cost_base: float,
                                       p: np.ndarray, sector: np.ndarray,
                                       sectors: np.ndarray, economy, out: np.ndarray,
                                       sec: np.ndarray) -> float:
    """Labour shares, the capital share alpha(t), the user cost R(t), baseline and potential
    GDP (MODEL.md 3.4, 4.5, 5).

    With a finite capital-supply elasticity epsilon (``INVERSE_CAPITAL_SUPPLY_ELASTICITY`` =
    1 / epsilon > 0), the user cost rises with the capital the AI path demands,
    ln R - ln R^base = (ln K* - ln K*^base) / epsilon with K* = alpha(t) Y_pot / R, and the
    labour shares respond to R (4.5), which moves alpha(t) and Y_pot: solved by
    :func:`solve_user_cost_gap` (fixed point, bisection where that fails). The capital market is
    cleared at potential output; the capital target of
    :func:`accumulate_capital` then applies the same alpha(t) and R(t) to actual GDP.

    mean_log_tfp, mean_log_tfp_base: ln TFP of both paths (3.3); employment_baseline: H^base(t);
    user_cost_base: R^base(t) = r(t) + delta; p (N_SCALAR_COLUMNS,); sector (J,
    N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads affected_increase, writes
    labour_share); economy: (1,) ECONOMY record (reads K, K^base, writes capital_share,
    user_cost_gap, labour_share); out (N_AGG_COLUMNS,) (reads c_eff, writes Y^base, Y_pot, K,
    K^base, H^base, sL of both paths, alpha(t), R of both paths); sec (J, N_SEC_COLUMNS)
    (writes sL_j). Returns the potential gap ln Y_pot - ln Y^base.
    """
    e = economy[0]
    alpha0 = e.capital_share0
    log_k = math.log(e.capital) - e.log_capital0
    log_k_base = math.log(e.capital_baseline) - e.log_capital0
    log_h = math.log(employment_baseline) - e.log_employment0
    log_y_base = log_output(e.log_gdp0, mean_log_tfp_base, log_k_base, log_h, alpha0)
    saving = out[L.AGG_COST_SAVING]
    inverse_elasticity = p[L.INVERSE_CAPITAL_SUPPLY_ELASTICITY]
    gap = 0.0
    if inverse_elasticity > 0.0:
        gap = solve_user_cost_gap(e.user_cost_gap, inverse_elasticity, mean_log_tfp,
                                  log_y_base, log_k, log_h, saving, p, sector, sectors,
                                  economy)
    share = sector_labour_shares(gap, saving, p, sector, sectors)
    alpha = capital_share(alpha0, e.labour_share0, share)
    log_y_pot = log_output(e.log_gdp0, mean_log_tfp, log_k, log_h, alpha)
    e.labour_share = share
    e.capital_share = alpha
    e.user_cost_gap = gap
    for j in range(sector.shape[0]):
        sec[j, L.SEC_LABOUR_SHARE] = sectors[j].labour_share
    out[L.AGG_GDP_BASELINE] = math.exp(log_y_base)
    out[L.AGG_GDP_POTENTIAL] = math.exp(log_y_pot)
    out[L.AGG_CAPITAL] = e.capital
    out[L.AGG_CAPITAL_BASELINE] = e.capital_baseline
    out[L.AGG_EMPLOYMENT_BASELINE] = employment_baseline
    out[L.AGG_LABOUR_SHARE] = share
    out[L.AGG_LABOUR_SHARE_BASELINE] = e.labour_share0
    out[L.AGG_CAPITAL_SHARE] = alpha
    out[L.AGG_USER_COST] = user_cost_base * math.exp(gap)
    out[L.AGG_USER_COST_BASELINE] = user_cost_base
    return log_y_pot - log_y_base


@njit(cache=True, inline="always")
def actual_output(mean_log_tfp: float, mean_log_tfp_base: float, p: np.ndarray, economy,
                  out: np.ndarray) -> float:
    """ln Y(t) with the employment of 4.3, and why it differs from the baseline (MODEL.md 3.4).

    ln Y - ln Y^base = [ln TFP - ln TFP^base]                                    (TFP)
      + [alpha ln(K / K0) - alpha0 ln(K^base / K0) - (alpha - alpha0) ln(H^base / H0)]
                                           (capital deepening, per potential worker)
      + (1 - alpha) ln(H / H^base)                                (employment + demand)
    The last term is split by Okun's law: the demand part is (1 - alpha) g^D / Okun, the
    employment loss that the year's demand shortfall implies (4.6), bounded by the term itself;
    the rest is transitional unemployment (4.3). The four parts sum to the GDP gain.

    p (N_SCALAR_COLUMNS,); economy: (1,) ECONOMY record; out (N_AGG_COLUMNS,) (reads
    employment, H^base, Y^base, the demand gap; writes Y and the four parts, log points).
    Returns the actual gap ln Y - ln Y^base.
    """
    e = economy[0]
    alpha0 = e.capital_share0
    alpha = e.capital_share
    log_k = math.log(e.capital) - e.log_capital0
    log_k_base = math.log(e.capital_baseline) - e.log_capital0
    log_h_base = math.log(out[L.AGG_EMPLOYMENT_BASELINE]) - e.log_employment0
    log_employment = math.log(max(out[L.AGG_EMPLOYMENT], 1e-9)) - e.log_employment0
    log_y = log_output(e.log_gdp0, mean_log_tfp, log_k, log_employment, alpha)
    log_y_base = log_output(e.log_gdp0, mean_log_tfp_base, log_k_base, log_h_base, alpha0)
    out[L.AGG_GDP] = math.exp(log_y)
    labour = (1.0 - alpha) * (log_employment - log_h_base)
    demand = (1.0 - alpha) * out[L.AGG_DEMAND_GAP] / p[L.OKUN_COEFFICIENT]
    demand = min(0.0, max(demand, min(0.0, labour)))
    out[L.AGG_GDP_FROM_TFP] = mean_log_tfp - mean_log_tfp_base
    out[L.AGG_GDP_FROM_CAPITAL] = (alpha * (log_k - log_h_base)
                                   - alpha0 * (log_k_base - log_h_base))
    out[L.AGG_GDP_FROM_DEMAND] = demand
    out[L.AGG_GDP_FROM_EMPLOYMENT] = labour - demand
    return log_y - log_y_base


@njit(cache=True, inline="always")
def sector_value_added(actual_gap: float, eta: float, direct: float, sector: np.ndarray,
                       sectors: np.ndarray, out: np.ndarray, sec: np.ndarray) -> None:
    """Value added by sector, VA_j = v_j Y^base exp(ln Y_j - ln Y_j^base) (MODEL.md 4.2, 5).

    actual_gap: ln Y - ln Y^base; eta: FINAL_DEMAND_ELASTICITY; direct: sum_j v_j m_j; sector
    (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (gain); out (N_AGG_COLUMNS,) (reads
    Y^base); sec (J, N_SEC_COLUMNS) the year's sector rows (writes value added of both paths).
    """
    y_base = out[L.AGG_GDP_BASELINE]
    for j in range(sector.shape[0]):
        va_base = sector[j, L.SECTOR_VALUE_ADDED_SHARE] * y_base
        sec[j, L.SEC_VALUE_ADDED_BASELINE] = va_base
        sec[j, L.SEC_VALUE_ADDED] = va_base * math.exp(
            sector_output_gap(actual_gap, eta, sectors[j].gain, direct))


@njit(cache=True, inline="always")
def accumulate_capital(p: np.ndarray, economy, out: np.ndarray) -> None:
    """K(t+1) of both paths toward the user-cost targets alpha(t) Y / R(t) and
    alpha Y^base / R^base(t) (MODEL.md 3.4).

    p (N_SCALAR_COLUMNS,); economy: (1,) ECONOMY record (reads alpha(t), updates K, K^base);
    out (N_AGG_COLUMNS,) (reads Y, Y^base, R, R^base).
    """
    e = economy[0]
    e.capital = next_capital(e.capital, out[L.AGG_GDP], e.capital_share, out[L.AGG_USER_COST],
                             p[L.CAPITAL_ADJUSTMENT])
    e.capital_baseline = next_capital(e.capital_baseline, out[L.AGG_GDP_BASELINE],
                                      e.capital_share0, out[L.AGG_USER_COST_BASELINE],
                                      p[L.CAPITAL_ADJUSTMENT])
