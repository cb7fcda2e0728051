"""From sectors to the economy: Domar weights, Baumol shares, Törnqvist chaining (MODEL.md 3)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model import layout as L


@njit(cache=True)
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


@njit(cache=True)
def baumol_shares(beta0: np.ndarray, log_tfp: np.ndarray, eta: float,
                  out: np.ndarray) -> None:
    """beta_j(t) ∝ beta_j(t0) (A_j / Ā)^(eta - 1), rescaled to sum to sum(beta0) (MODEL.md 3.3).

    Ā cancels in the normalisation; eta = 1 returns beta0 exactly.
    """
    J = beta0.shape[0]
    if eta == 1.0:
        for j in range(J):
            out[j] = beta0[j]
        return
    shift = 0.0
    for j in range(J):
        shift = max(shift, (eta - 1.0) * log_tfp[j])
    total0 = 0.0
    total = 0.0
    for j in range(J):
        out[j] = beta0[j] * math.exp((eta - 1.0) * log_tfp[j] - shift)
        total += out[j]
        total0 += beta0[j]
    for j in range(J):
        out[j] *= total0 / total


@njit(cache=True)
def tornqvist_step(weights_prev: np.ndarray, weights_now: np.ndarray,
                   log_tfp_prev: np.ndarray, log_tfp_now: np.ndarray) -> float:
    """Δ ln TFP(t) = Σ_j ½ (λ_j(t) + λ_j(t-1)) Δ ln A_j(t) (MODEL.md 3.3)."""
    acc = 0.0
    for j in range(weights_now.shape[0]):
        acc += 0.5 * (weights_now[j] + weights_prev[j]) * (log_tfp_now[j] - log_tfp_prev[j])
    return acc


@njit(cache=True, inline="always")
def aggregation_weights(beta0: np.ndarray, lam0: np.ndarray, log_tfp: np.ndarray, eta: float,
                        network: bool, leontief: np.ndarray, beta: np.ndarray,
                        out: np.ndarray) -> None:
    """Aggregation weights lambda_j(t): fixed when eta = 1, else Baumol-shifted final demand
    shares mapped through the Leontief inverse when the network is on (MODEL.md 3.2-3.3).

    beta0, lam0 (J,) base-year final-demand shares and weights; log_tfp (J,) ln A_j(t); beta (J,)
    scratch for beta_j(t); out (J,) lambda_j(t)."""
    if eta == 1.0:
        out[:] = lam0
        return
    baumol_shares(beta0, log_tfp, eta, beta)
    if network:
        domar_weights(beta, leontief, out)
    else:
        out[:] = beta


# ---- blocks of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def sector_log_tfp(years_since_base: float, sector: np.ndarray, sectors: np.ndarray,
                   aggregation) -> None:
    """ln A_j(t) of the AI and baseline paths in gross-output units (MODEL.md 3.2, 5):
    kappa_j (ln(1 + g_j)(t - t0) + m_j) and kappa_j ln(1 + g_j)(t - t0).

    years_since_base: t - t0; sector (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads
    log_trend_growth, gain); aggregation: Aggregation (writes log_tfp, log_tfp_baseline).
    """
    log_tfp, log_tfp_baseline = aggregation.log_tfp, aggregation.log_tfp_baseline
    for j in range(sector.shape[0]):
        s = sectors[j]
        trend = s.log_trend_growth * years_since_base
        log_tfp[j] = sector[j, L.SECTOR_GROSS_OUTPUT_FACTOR] * (trend + s.gain)
        log_tfp_baseline[j] = sector[j, L.SECTOR_GROSS_OUTPUT_FACTOR] * trend


@njit(cache=True, inline="always")
def chained_tfp(first_year: bool, eta: float, network: bool, leontief: np.ndarray,
                aggregation, economy: np.ndarray, out: np.ndarray) -> None:
    """Chained aggregate ln TFP of the AI and baseline paths (MODEL.md 3.1-3.3).

    In t0 the AI path starts at sum_j lambda_j ln A_j and the baseline at 0; later years add a
    Törnqvist step. first_year: t = t0; eta: FINAL_DEMAND_ELASTICITY; network, leontief (J, J):
    the production network (3.2); aggregation: Aggregation (reads ln A_j and base-year shares,
    writes the weights, moves this year's weights and ln A_j into the *_prev arrays); economy:
    (1,) ECONOMY record (ln_tfp, ln_tfp_baseline); out (N_AGG_COLUMNS,) (writes both).
    """
    e = economy[0]
    # every array taken out of the tuple once (each access costs numba a reference count)
    (beta0, lam0, log_tfp, log_tfp_base, beta, weights, weights_base, log_tfp_prev,
     log_tfp_base_prev, weights_prev, weights_base_prev) = aggregation
    aggregation_weights(beta0, lam0, log_tfp, eta, network, leontief, beta, weights)
    aggregation_weights(beta0, lam0, log_tfp_base, eta, network, leontief, beta, weights_base)
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
    weights_prev[:] = weights
    weights_base_prev[:] = weights_base
    log_tfp_prev[:] = log_tfp
    log_tfp_base_prev[:] = log_tfp_base
    out[L.AGG_LN_TFP] = e.ln_tfp
    out[L.AGG_LN_TFP_BASELINE] = e.ln_tfp_baseline
