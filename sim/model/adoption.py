"""Adoption curves: the normalised S-curve and firm-size diffusion (MODEL.md 1.1, 1.3)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model import layout as L


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


@njit(cache=True, inline="always")
def draw_intensity(t: float, t0: float, p: np.ndarray) -> float:
    """iota(t) of one draw, its parameters read from the draw's scalars p (N_SCALAR_COLUMNS,)
    (MODEL.md 1.3): a new parameter of the curve is read here and nowhere else."""
    return intensity(t, t0, p[L.INTENSITY_START], p[L.INTENSITY_CEILING],
                     p[L.INTENSITY_MIDPOINT], p[L.INTENSITY_STEEPNESS])


# ---- block of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def sector_adoption(t: float, sector: np.ndarray, size_class: np.ndarray, speedup: float,
                    class_share: np.ndarray, sectors: np.ndarray) -> None:
    """D_j(t) = min(1, speed-up x sum_s w_js D_js(t)) for every sector (MODEL.md 1.3, 4.6).

    t: the year; sector (J, N_SECTOR_COLUMNS) and size_class (N_SIZE_CLASSES,
    N_SIZE_CLASS_COLUMNS) the draw's inputs; speedup: the reinvestment factor of 4.6 (1 without
    feedback); class_share (N_SIZE_CLASSES,) scratch for D_s(t) without a sector shift
    (computed once); sectors (J,) SECTOR records (writes adoption).
    """
    for c in range(L.N_SIZE_CLASSES):
        q = size_class[c]
        class_share[c] = size_class_diffusion(t, q[L.SIZE_CLASS_CEILING],
                                                   q[L.SIZE_CLASS_MIDPOINT],
                                                   q[L.SIZE_CLASS_STEEPNESS])
    for j in range(sector.shape[0]):
        d = 0.0
        shift = sector[j, L.SECTOR_MIDPOINT_SHIFT]
        for c in range(L.N_SIZE_CLASSES):
            if shift == 0.0:
                share = class_share[c]
            else:
                q = size_class[c]
                share = size_class_diffusion(t, q[L.SIZE_CLASS_CEILING],
                                             q[L.SIZE_CLASS_MIDPOINT] + shift,
                                             q[L.SIZE_CLASS_STEEPNESS])
            d += sector[j, L.SECTOR_SIZE_WEIGHTS + c] * share
        sectors[j].adoption = min(1.0, d * speedup)
