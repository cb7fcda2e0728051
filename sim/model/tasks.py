"""Tasks and AI: exposure, profitability, affected share, saving per task (MODEL.md 1.1-1.5)."""

from __future__ import annotations

from numba import njit


@njit(cache=True, inline="always")
def exposure(e0: float, ceiling: float, progress: float) -> float:
    """E_j(t) = E0_j + (Ē_j - E0_j) S(t; t_E, k_E) (MODEL.md 1.1); ``progress`` is S(t)."""
    return e0 + (ceiling - e0) * progress


@njit(cache=True, inline="always")
def profitable_share(t: float, t0: float, start: float, growth: float, ceiling: float) -> float:
    """P(t) = min(P̄, P0 (1 + g_P)^(t - t0)) (MODEL.md 1.2)."""
    return min(ceiling, start * (1.0 + growth) ** (t - t0))


@njit(cache=True, inline="always")
def sector_profitability(share: float, multiplier: float) -> float:
    """P_j(t) = P(t) x sector multiplier, capped at 1 (MODEL.md 1.2)."""
    return min(share * multiplier, 1.0)


@njit(cache=True, inline="always")
def affected_share(exposure_jt: float, profitable_jt: float, used_jt: float) -> float:
    """a_j(t) = E_j(t) P(t) d_j(t), with d_j = iota D_j (MODEL.md 1.3-1.4)."""
    return exposure_jt * profitable_jt * used_jt


@njit(cache=True, inline="always")
def effective_saving(t: float, t0: float, start: float, growth: float, cap: float,
                     rebound: float) -> float:
    """c_eff(t) = (1 - theta) min(c̄, c0 + g_c (t - t0)) (MODEL.md 1.5)."""
    return (1.0 - rebound) * min(cap, start + growth * (t - t0))
