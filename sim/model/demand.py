"""Demand feedback: reinvested gains speed adoption, lost income lowers demand (MODEL.md 4.6)."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model import layout as L


@njit(cache=True, inline="always")
def adoption_speedup(p: np.ndarray, economy: np.ndarray) -> float:
    """1 + reinvestment x max(0, last year's direct gain sum_j v_j m_j) with the feedback on,
    else 1 (MODEL.md 4.6). p (N_SCALAR_COLUMNS,); economy: (1,) ECONOMY record (direct_gain)."""
    speedup = 1.0
    if p[L.FEEDBACK_ENABLED] > 0.0:
        speedup = 1.0 + p[L.REINVESTMENT] * max(0.0, economy[0].direct_gain)
    return speedup


@njit(cache=True, inline="always")
def demand_gap(p: np.ndarray, sectors: np.ndarray, economy: np.ndarray, out: np.ndarray) -> float:
    """Demand shortfall from the income the pool lost last year (MODEL.md 4.6):
    -multiplier x MPC x (1 - stabilisers) x sL(t-1) x pool / employment(t-1), in log points of
    GDP; 0 without the feedback.

    p (N_SCALAR_COLUMNS,); sectors (J,) SECTOR records (employment of t-1); economy: (1,)
    ECONOMY record (labour_share and pool of t-1); out (N_AGG_COLUMNS,) (writes the gap).
    Returns the gap.
    """
    e = economy[0]
    employment = 0.0
    for j in range(sectors.shape[0]):
        employment += sectors[j].employment
    gap = 0.0
    if p[L.FEEDBACK_ENABLED] > 0.0 and employment > 0.0:
        gap = -(p[L.DEMAND_MULTIPLIER] * p[L.MARGINAL_PROPENSITY_TO_CONSUME]
                * (1.0 - p[L.AUTOMATIC_STABILISERS]) * e.labour_share * e.pool / employment)
    out[L.AGG_DEMAND_GAP] = gap
    return gap
