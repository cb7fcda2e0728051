"""Sector productivity: first-order gain and the J-curve (MODEL.md 2.1, 2.2)."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model import layout as L


@njit(cache=True, inline="always")
def first_order_gain(labour_share: float, saving: float, affected: float) -> float:
    """z_j(t) = sL_j c_eff(t) a_j(t) (MODEL.md 2.1, Hulten / Acemoglu eq. 14 per sector)."""
    return labour_share * saving * affected


@njit(cache=True, inline="always")
def realised_gain(previous: float, target: float, lag: float) -> float:
    """r_j(t) = r_j(t-1) + (z_j(t) - r_j(t-1)) / tau_J (MODEL.md 2.2)."""
    return previous + (target - previous) / lag


@njit(cache=True, inline="always")
def measured_gain(realised: float, drag: float, affected: float, affected_prev: float) -> float:
    """m_j(t) = r_j(t) - kappa_J max(0, a_j(t) - a_j(t-1)) (MODEL.md 2.2)."""
    return realised - drag * max(0.0, affected - affected_prev)


# ---- block of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def sector_gains(first_year: bool, p: np.ndarray, sector: np.ndarray, sectors: np.ndarray,
                 economy: np.ndarray, out: np.ndarray, sec: np.ndarray) -> float:
    """First-order gain and the J-curve of each sector; their direct aggregate (MODEL.md 2.1-2.2,
    3.1).

    first_year: t = t0, when the base year's gain is recorded (x GAINS_FROM_BASE_YEAR); p
    (N_SCALAR_COLUMNS,); sector (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads
    affected; updates realised, affected_prev, base_gain; writes gain); economy: (1,)
    ECONOMY record (writes direct_gain); out (N_AGG_COLUMNS,) the year's aggregate row (reads
    c_eff(t), writes the direct gain); sec (J, N_SEC_COLUMNS) (writes m_j). Returns
    sum_j v_j m_j(t).
    """
    saving = out[L.AGG_COST_SAVING]
    direct = 0.0
    for j in range(sector.shape[0]):
        s = sectors[j]
        a = s.affected
        z = first_order_gain(sector[j, L.SECTOR_LABOUR_SHARE], saving, a) * p[
            L.TRAINING_AMPLIFICATION]
        if first_year:
            s.base_gain = z * p[L.GAINS_FROM_BASE_YEAR]
            s.affected_prev = a * p[L.GAINS_FROM_BASE_YEAR]
        s.realised = realised_gain(s.realised, z - s.base_gain, p[L.JCURVE_LAG])
        m = measured_gain(s.realised, p[L.JCURVE_INTANGIBLE_DRAG], a, s.affected_prev)
        s.affected_prev = a
        s.gain = m
        sec[j, L.SEC_MEASURED_GAIN] = m
        direct += sector[j, L.SECTOR_VALUE_ADDED_SHARE] * m
    out[L.AGG_DIRECT_GAIN] = direct
    economy[0].direct_gain = direct
    return direct
