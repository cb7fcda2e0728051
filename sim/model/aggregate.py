"""From sectors to the economy: Domar weights, Baumol shares, Törnqvist chaining (MODEL.md 3)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit


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
