"""Tasks and AI: exposure, profitability, affected share, saving per task (MODEL.md 1.1-1.5)."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model import layout as L
from sim.model.adoption import draw_intensity, s_curve


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


# ---- blocks of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def economy_drivers(t: float, t0: float, p: np.ndarray, out: np.ndarray) -> float:
    """The year's economy-wide drivers of tasks (MODEL.md 1.1, 1.2, 1.3 intensity, 1.5).

    t, t0: the year and the base year; p (N_SCALAR_COLUMNS,) the draw's scalars. Writes P(t),
    iota(t) and c_eff(t) into the year's aggregate row ``out`` (N_AGG_COLUMNS,) and returns the
    exposure progress S(t; t_E, k_E) of 1.1.
    """
    out[L.AGG_PROFITABLE_SHARE] = profitable_share(
        t, t0, p[L.PROFITABLE_SHARE_START], p[L.PROFITABLE_SHARE_GROWTH],
        p[L.PROFITABLE_SHARE_CEILING])
    out[L.AGG_INTENSITY] = draw_intensity(t, t0, p)
    out[L.AGG_COST_SAVING] = effective_saving(t, t0, p[L.COST_SAVING_START],
                                              p[L.COST_SAVING_GROWTH], p[L.COST_SAVING_CAP],
                                              p[L.PARKINSON_REBOUND])
    return s_curve(t, t0, p[L.EXPOSURE_MIDPOINT], p[L.EXPOSURE_STEEPNESS])


@njit(cache=True, inline="always")
def sector_tasks(progress: float, first_year: bool, p: np.ndarray, sector: np.ndarray,
                 sectors: np.ndarray, out: np.ndarray, sec: np.ndarray) -> None:
    """Exposure, profitability and the affected task share of each sector (MODEL.md 1.1-1.4).

    progress: S(t; t_E, k_E) from :func:`economy_drivers`; first_year: t = t0, when the base
    year's AI use is recorded (x GAINS_FROM_BASE_YEAR); p (N_SCALAR_COLUMNS,); sector
    (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads adoption; writes affected,
    affected_increase, work_increase, and base_affected, base_work in t0); out
    (N_AGG_COLUMNS,) the year's aggregate row (reads P(t), iota(t), c_eff(t), writes the
    employment-weighted affected share and work AI takes over); sec (J, N_SEC_COLUMNS) the
    year's sector rows (writes exposure, adoption, affected share).

    The work AI takes over, h_j = (psi + (1 - psi) c_eff) a_j (MODEL.md 4.1): all of an
    automated task, the saved time of an augmented one.
    """
    iota = out[L.AGG_INTENSITY]
    profitable = out[L.AGG_PROFITABLE_SHARE]
    automation = p[L.AUTOMATION_SHARE]
    hours_per_task = automation + (1.0 - automation) * out[L.AGG_COST_SAVING]
    affected_work = 0.0
    work_taken = 0.0
    for j in range(sector.shape[0]):
        e = exposure(sector[j, L.SECTOR_BASE_EXPOSURE], sector[j, L.SECTOR_EXPOSURE_CEILING],
                     progress)
        s = sectors[j]
        d = s.adoption
        prof = sector_profitability(profitable, sector[j, L.SECTOR_PROFITABILITY_MULTIPLIER])
        a = affected_share(e, prof, iota * d)
        h = hours_per_task * a
        if first_year:
            s.base_affected = a * p[L.GAINS_FROM_BASE_YEAR]
            s.base_work = h * p[L.GAINS_FROM_BASE_YEAR]
        s.affected = a
        s.affected_increase = a - s.base_affected
        s.work_increase = max(0.0, h - s.base_work)
        sec[j, L.SEC_EXPOSURE] = e
        sec[j, L.SEC_ADOPTION] = d
        sec[j, L.SEC_AFFECTED_SHARE] = a
        affected_work += sector[j, L.SECTOR_EMPLOYMENT_SHARE] * a
        work_taken += sector[j, L.SECTOR_EMPLOYMENT_SHARE] * h
    out[L.AGG_AFFECTED_SHARE] = affected_work
    out[L.AGG_WORK_TAKEN] = work_taken
