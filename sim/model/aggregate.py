"""From sectors to the economy: Domar weights, Baumol shares, Törnqvist chaining (MODEL.md 3)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model import layout as L


@njit(cache=True, inline="always")
def copy_into(source: np.ndarray, target: np.ndarray) -> None:
    """target[:] = source as a loop: a slice assignment may allocate a temporary (it checks for
    overlap), which the kernel's year loop, compiled without reference counting, cannot."""
    for j in range(source.shape[0]):
        target[j] = source[j]


@njit(cache=True, _nrt=False)
def domar_weights(beta: np.ndarray, leontief: np.ndarray, out: np.ndarray) -> None:
    """lambda' = beta' (I - Omega)^-1 (MODEL.md 3.2), with ``leontief`` = (I - Omega)^-1."""
    J = beta.shape[0]
    # row by row: each out[j] still sums i = 0..J-1 in order, but the inner loop runs along a
    # contiguous row and vectorises (column access cost ~15 % of the whole kernel)
    for j in range(J):
        out[j] = 0.0
    for i in range(J):
        b = beta[i]
        for j in range(J):
            out[j] += b * leontief[i, j]


@njit(cache=True, _nrt=False)
def price_pass_through(leontief: np.ndarray, outside: np.ndarray, out: np.ndarray) -> None:
    """``out[i, j] = leontief[j, i] * outside[i]``: the matrix of :func:`relative_log_prices`,
    transposed so that its product runs along contiguous rows (computed once per draw)."""
    J = outside.shape[0]
    for i in range(J):
        for j in range(J):
            out[i, j] = leontief[j, i] * outside[i]


@njit(cache=True, _nrt=False)
def relative_log_prices(log_tfp: np.ndarray, pass_through: np.ndarray, network: bool,
                        out: np.ndarray) -> None:
    """ln p_j(t) - ln p_0(t): relative prices passed through the network (MODEL.md 3.3).

    A sector's unit cost falls with its own value-added TFP ``log_tfp`` (x_j = ln A_j) and with
    its suppliers' prices: ln p = Omega ln p - o * x, so ln p = -(I - Omega)^-1 (o * x) with
    (I - Omega)^-1 the Leontief inverse and o_j = 1 - sum_i Omega_ji, the share of j's costs
    not bought from domestic sectors (value added, imports, taxes), which gets cheaper at j's
    own rate. Since (I - Omega)^-1 o = 1, a gain common to every sector lowers every price
    alike; it is taken out first (x - x_0), so identical gains give exactly equal prices and
    leave every expenditure share unchanged (revision 2). Without a network ln p_j = -x_j.
    Only relative prices move shares, so the common level is dropped.

    ``pass_through[i, j]`` = (I - Omega)^-1_ji o_i (:func:`price_pass_through`). Each out[j]
    sums i = 0..J-1 in order, as a dot product would, but the loop runs over j innermost, along
    a contiguous row: J independent sums instead of one chain of dependent adds (the same
    bits, measured faster).
    """
    J = log_tfp.shape[0]
    x0 = log_tfp[0]
    if not network:
        for j in range(J):
            out[j] = -(log_tfp[j] - x0)
        return
    uniform = True
    for i in range(J):
        uniform = uniform and log_tfp[i] == x0
    if uniform:  # e.g. the baseline with one trend for every sector: no product needed
        for j in range(J):
            out[j] = 0.0
        return
    for j in range(J):
        out[j] = 0.0
    for i in range(J):
        d = log_tfp[i] - x0
        for j in range(J):
            out[j] += pass_through[i, j] * d
    for j in range(J):
        out[j] = -out[j]


@njit(cache=True, _nrt=False)
def baumol_shares(beta0: np.ndarray, log_price: np.ndarray, eta: float,
                  out: np.ndarray) -> None:
    """beta_j(t) ∝ beta_j(t0) (p_j / P)^(1 - eta), rescaled to sum to sum(beta0) (MODEL.md 3.3).

    ``log_price``: ln p_j up to a common constant (P cancels in the normalisation); eta = 1 or
    equal prices return beta0 exactly.
    """
    J = beta0.shape[0]
    if eta == 1.0:
        for j in range(J):
            out[j] = beta0[j]
        return
    shift = -math.inf
    for j in range(J):
        shift = max(shift, (1.0 - eta) * log_price[j])
    total0 = 0.0
    total = 0.0
    for j in range(J):
        out[j] = beta0[j] * math.exp((1.0 - eta) * log_price[j] - shift)
        total += out[j]
        total0 += beta0[j]
    for j in range(J):
        out[j] *= total0 / total


@njit(cache=True, _nrt=False)
def immobile_log_tfp(weights: np.ndarray, log_tfp: np.ndarray, eta: float) -> float:
    """Real value added with factors fixed in their sectors: the CES aggregate of sector outputs
    (MODEL.md 3.3, factor mobility ``immobile``).

    (sum lambda) x (eta / (eta - 1)) ln sum_j w_j exp(((eta - 1) / eta) ln A_j), w_j = lambda_j
    / sum lambda: a power mean of the sector gains, below the weighted mean when gains are
    uneven and eta < 1. ``weights`` lambda_j(t0) (the value-added shares v_j without a network,
    Domar weights with one, so that eta = 1 gives sum_j lambda_j ln A_j, the mobile first-order
    aggregate); eta = 0 is the minimum (Leontief).
    """
    J = weights.shape[0]
    total = 0.0
    for j in range(J):
        total += weights[j]
    if eta == 1.0:
        acc = 0.0
        for j in range(J):
            acc += weights[j] * log_tfp[j]
        return acc
    low = math.inf
    high = -math.inf
    for j in range(J):
        if weights[j] > 0.0:
            low = min(low, log_tfp[j])
            high = max(high, log_tfp[j])
    if eta == 0.0:
        return total * low
    q = (eta - 1.0) / eta
    anchor = low if q < 0.0 else high  # every q (ln A_j - anchor) <= 0: no overflow
    acc = 0.0
    for j in range(J):
        acc += weights[j] / total * math.exp(q * (log_tfp[j] - anchor))
    return total * (anchor + math.log(acc) / q)


@njit(cache=True, _nrt=False)
def tornqvist_step(weights_prev: np.ndarray, weights_now: np.ndarray,
                   log_tfp_prev: np.ndarray, log_tfp_now: np.ndarray) -> float:
    """Δ ln TFP(t) = Σ_j ½ (λ_j(t) + λ_j(t-1)) Δ ln A_j(t) (MODEL.md 3.3)."""
    acc = 0.0
    for j in range(weights_now.shape[0]):
        acc += 0.5 * (weights_now[j] + weights_prev[j]) * (log_tfp_now[j] - log_tfp_prev[j])
    return acc


@njit(cache=True, inline="always")
def weights_from_prices(beta0: np.ndarray, lam0: np.ndarray, log_price: np.ndarray, eta: float,
                        network: bool, leontief: np.ndarray, beta: np.ndarray,
                        out: np.ndarray) -> None:
    """Aggregation weights lambda_j(t): fixed when eta = 1, else final-demand shares shifted by
    the relative prices ``log_price`` (Baumol) and mapped through the Leontief inverse when the
    network is on (MODEL.md 3.2-3.3).

    beta0, lam0 (J,) base-year final-demand shares and weights; beta (J,) scratch; out (J,)
    lambda_j(t)."""
    if eta == 1.0:
        copy_into(lam0, out)
        return
    baumol_shares(beta0, log_price, eta, beta)
    if network:
        domar_weights(beta, leontief, out)
    else:
        copy_into(beta, out)


# ---- blocks of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def sector_log_tfp(years_since_base: float, sector: np.ndarray, sectors: np.ndarray,
                   aggregation) -> None:
    """ln A_j(t) of the AI and baseline paths in value-added units, ln(1 + g_j)(t - t0) + m_j
    and ln(1 + g_j)(t - t0), and in gross-output units, kappa_j times those (MODEL.md 3.2, 5).

    years_since_base: t - t0; sector (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads
    log_trend_growth, gain); aggregation: Aggregation (writes log_tfp, log_tfp_baseline,
    value_added_tfp, value_added_tfp_baseline).
    """
    log_tfp, log_tfp_baseline = aggregation.log_tfp, aggregation.log_tfp_baseline
    va_tfp, va_tfp_baseline = aggregation.value_added_tfp, aggregation.value_added_tfp_baseline
    for j in range(sector.shape[0]):
        s = sectors[j]
        trend = s.log_trend_growth * years_since_base
        va_tfp[j] = trend + s.gain
        va_tfp_baseline[j] = trend
        log_tfp[j] = sector[j, L.SECTOR_GROSS_OUTPUT_FACTOR] * (trend + s.gain)
        log_tfp_baseline[j] = sector[j, L.SECTOR_GROSS_OUTPUT_FACTOR] * trend


@njit(cache=True, inline="always")
def chained_tfp(first_year: bool, years_since_base: float, eta: float, immobile: float,
                network: bool, leontief: np.ndarray, aggregation, economy: np.ndarray,
                out: np.ndarray) -> None:
    """Aggregate ln TFP of the AI and baseline paths (MODEL.md 3.1-3.3).

    Mobile factors: in t0 the AI path starts at sum_j lambda_j ln A_j and the baseline at 0;
    later years add a Törnqvist step with Baumol-shifted weights. The baseline's relative prices
    are linear in time, (t - t0) times ``baseline_price_slope`` (computed once per draw); the
    AI path's come from :func:`relative_log_prices` every year. Immobile factors: the CES
    aggregate of :func:`immobile_log_tfp`, a level in every year. ``immobile`` in [0, 1] mixes
    the two: ln TFP = (1 - s) chained + s CES. first_year: t = t0; eta:
    FINAL_DEMAND_ELASTICITY; network, leontief (J, J): the production network (3.2);
    aggregation: Aggregation (reads ln A_j and base-year shares, writes the weights, moves this
    year's weights and ln A_j into the *_prev arrays); economy: (1,) ECONOMY record (ln_tfp,
    ln_tfp_baseline, the chained paths); out (N_AGG_COLUMNS,) (writes the mixed paths).
    """
    e = economy[0]
    # every array taken out of the tuple once (each access costs numba a reference count)
    (beta0, lam0, log_tfp, log_tfp_base, beta, weights, weights_base, log_tfp_prev,
     log_tfp_base_prev, weights_prev, weights_base_prev, outside, va_tfp, va_tfp_base,
     log_price, baseline_price_slope, pass_through) = aggregation
    if eta != 1.0:
        relative_log_prices(va_tfp, pass_through, network, log_price)
    weights_from_prices(beta0, lam0, log_price, eta, network, leontief, beta, weights)
    if eta != 1.0:
        for j in range(log_price.shape[0]):
            log_price[j] = years_since_base * baseline_price_slope[j]
    weights_from_prices(beta0, lam0, log_price, eta, network, leontief, beta, weights_base)
    if first_year:
        ln_tfp = 0.0
        for j in range(weights.shape[0]):
            ln_tfp += weights[j] * log_tfp[j]
        e.ln_tfp = ln_tfp
        e.ln_tfp_baseline = 0.0
    else:
        e.ln_tfp += tornqvist_step(weights_prev, weights, log_tfp_prev, log_tfp)
        e.ln_tfp_baseline += tornqvist_step(weights_base_prev, weights_base, log_tfp_base_prev,
                                            log_tfp_base)
    copy_into(weights, weights_prev)
    copy_into(weights_base, weights_base_prev)
    copy_into(log_tfp, log_tfp_prev)
    copy_into(log_tfp_base, log_tfp_base_prev)
    ln_tfp, ln_tfp_base = e.ln_tfp, e.ln_tfp_baseline
    if immobile > 0.0:
        ln_tfp = (1.0 - immobile) * ln_tfp + immobile * immobile_log_tfp(lam0, log_tfp, eta)
        ln_tfp_base = (1.0 - immobile) * ln_tfp_base + immobile * immobile_log_tfp(
            lam0, log_tfp_base, eta)
    out[L.AGG_LN_TFP] = ln_tfp
    out[L.AGG_LN_TFP_BASELINE] = ln_tfp_base
