"""Adoption curves: the normalised S-curve and firm-size diffusion (MODEL.md 1.1, 1.3)."""

from __future__ import annotations

import math

from numba import njit


@njit(cache=True, inline="always")
def sigmoid(x: float) -> float:
    """Logistic function sigma(x) = 1 / (1 + e^-x), numerically safe for large |x|."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@njit(cache=True, inline="always")
def s_curve(t: float, t0: float, midpoint: float, steepness: float) -> float:
    """S(t; t_m, k): logistic normalised to 0 at t0, rising to 1 (MODEL.md section 1)."""
    base = sigmoid(steepness * (t0 - midpoint))
    return (sigmoid(steepness * (t - midpoint)) - base) / (1.0 - base)


@njit(cache=True, inline="always")
def size_class_diffusion(t: float, ceiling: float, midpoint: float, steepness: float) -> float:
    """D_js(t) = D̄_js * sigma(k_js (t - tau_js)) (MODEL.md 1.3)."""
    return ceiling * sigmoid(steepness * (t - midpoint))


@njit(cache=True, inline="always")
def intensity(t: float, t0: float, start: float, ceiling: float, midpoint: float,
              steepness: float) -> float:
    """iota(t) = iota_0 + (iota_bar - iota_0) S(t; t_iota, k_iota) (MODEL.md 1.3)."""
    return start + (ceiling - start) * s_curve(t, t0, midpoint, steepness)
