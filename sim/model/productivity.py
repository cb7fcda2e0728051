"""Sector productivity: first-order gain and the J-curve (MODEL.md 2.1, 2.2)."""

from __future__ import annotations

from numba import njit


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
