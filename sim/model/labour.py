"""Labour: demand, flows through an unemployment pool, cohorts, labour share (MODEL.md 4.1-4.5)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model import layout as L


@njit(cache=True, inline="always")
def labour_demand_gap(automation: float, reinstatement: float, saving: float,
                      affected: float, demand_response: float, output_gap: float) -> float:
    """ln L^d_j - ln L^base_j = -psi (1 - rho) a_j - (1 - psi) c_eff a_j + eps [ln Y_j - ln Y_j^b].

    MODEL.md 4.2; ``output_gap`` is ln Y_j - ln Y_j^base, ``demand_response`` eps (1 in MODEL.md).
    """
    return (-automation * (1.0 - reinstatement) * affected
            - (1.0 - automation) * saving * affected
            + demand_response * output_gap)


@njit(cache=True, inline="always")
def sector_output_gap(aggregate_gap: float, eta: float, gain: float, mean_gain: float) -> float:
    """ln Y_j - ln Y_j^base = (ln Y - ln Y^base) + eta (m_j - m̄) (MODEL.md 4.2)."""
    return aggregate_gap + eta * (gain - mean_gain)


@njit(cache=True, inline="always")
def junior_penalty(penalty: float, offset: float, work_taken: float, reference: float) -> float:
    """Relative loss of junior employment, min(1, pi (1 - offset) h_j / h_ref) (MODEL.md 4.4).

    ``work_taken`` h_j = (psi + (1 - psi) c_eff) a_j is the work AI takes over (revision 2: not
    exposure alone, so nothing shifts without profitable, used, automated or cheaper tasks);
    ``reference`` h_ref the share of work AI had taken over where the penalty ``penalty`` pi
    was measured (Brynjolfsson, Chandar & Chen 2025: -16 %).
    """
    return min(1.0, penalty * (1.0 - offset) * work_taken / reference)


@njit(cache=True, inline="always")
def labour_share_change(automation: float, reinstatement: float, task_elasticity: float,
                        affected: float, saving: float, capital_to_labour: float,
                        user_cost_gap: float) -> float:
    """Δ ln sL ≈ -(1 - rho) psi a + (1 - sigma) psi a c_eff - (1 - sigma)(sK / sL) Δ ln R
    (MODEL.md 4.5, Korinek-Jones 2026). ``capital_to_labour`` sK / sL, ``user_cost_gap``
    Δ ln R = ln R - ln R^base (zero with the user cost on its exogenous path)."""
    return (-(1.0 - reinstatement) * automation * affected
            + (1.0 - task_elasticity) * automation * affected * saving
            - (1.0 - task_elasticity) * capital_to_labour * user_cost_gap)


@njit(cache=True, inline="always")
def sector_labour_shares(user_cost_gap: float, saving: float, p: np.ndarray,
                         sector: np.ndarray, sectors: np.ndarray) -> float:
    """sL_j(t) = min(1, sL_j(t0) exp(Δ ln sL_j)) with a_j - a_j(t0) and the sector's own
    sK / sL (MODEL.md 4.5); returns their value-added-weighted mean sL(t) = sum_j v_j sL_j(t).

    user_cost_gap: ln R - ln R^base; saving: c_eff(t); p (N_SCALAR_COLUMNS,); sector
    (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads affected_increase, writes
    labour_share).
    """
    total = 0.0
    for j in range(sector.shape[0]):
        s = sectors[j]
        share0 = sector[j, L.SECTOR_LABOUR_SHARE]
        ratio = (1.0 - share0) / share0 if share0 > 0.0 else 0.0
        s.labour_share = min(1.0, share0 * math.exp(labour_share_change(
            p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT], p[L.TASK_ELASTICITY],
            s.affected_increase, saving, ratio, user_cost_gap)))
        total += sector[j, L.SECTOR_VALUE_ADDED_SHARE] * s.labour_share
    return total


@njit(cache=True, inline="always")
def log_or_floor(x: float) -> float:
    return math.log(max(x, 1e-300))


# ---- blocks of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def labour_demand(growth: float, potential_gap: float, demand_gap: float, direct: float,
                  employment_baseline: float, p: np.ndarray, sector: np.ndarray,
                  sectors: np.ndarray, out: np.ndarray) -> float:
    """Labour demand by sector; job destruction where it falls, vacancies where it rises
    (MODEL.md 4.1-4.3, with the demand gap of 4.6 through Okun's law).

    growth: H^base(t) / H^base(t-1) (1 in t0); potential_gap: ln Y_pot - ln Y^base; demand_gap:
    the 4.6 shortfall; direct: sum_j v_j m_j; employment_baseline: H^base(t); p
    (N_SCALAR_COLUMNS,); sector (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (reads gain,
    affected_increase; updates employment, labour_demand; writes vacancy); out (N_AGG_COLUMNS,)
    (reads c_eff, writes displaced persons). Returns total vacancies.
    """
    eta = p[L.FINAL_DEMAND_ELASTICITY]
    saving = out[L.AGG_COST_SAVING]
    displaced = 0.0
    vacancies = 0.0
    for j in range(sector.shape[0]):
        s = sectors[j]
        own_gap = sector_output_gap(potential_gap, eta, s.gain, direct)
        delta = labour_demand_gap(p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT], saving,
                                  s.affected_increase, p[L.DEMAND_RESPONSE],
                                  own_gap) + demand_gap / p[L.OKUN_COEFFICIENT]
        target = sector[j, L.SECTOR_EMPLOYMENT_SHARE] * employment_baseline * math.exp(delta)
        change = target - s.labour_demand * growth
        s.labour_demand = target
        s.employment *= growth
        if change < 0.0:
            lost = min(-change, s.employment)
            displaced += lost
            s.employment -= lost
            s.vacancy = 0.0
        else:
            s.vacancy = change
            vacancies += change
    out[L.AGG_DISPLACED] = displaced
    return vacancies


@njit(cache=True, inline="always")
def reemployment(growth: float, demand_gap: float, vacancies: float,
                 employment_baseline: float, p: np.ndarray, sector: np.ndarray,
                 sectors: np.ndarray, economy: np.ndarray, out: np.ndarray,
                 sec: np.ndarray) -> None:
    """The unemployment pool and its outflow into jobs (MODEL.md 4.3, 4.6).

    The pool grows with the labour force, takes in the displaced and empties at rate
    f (1 - mu), lowered in a demand shortfall (4.6): first into vacancies, the rest into jobs
    across the economy by employment share. growth, demand_gap, vacancies, employment_baseline
    as in :func:`labour_demand`; p (N_SCALAR_COLUMNS,); sector (J, N_SECTOR_COLUMNS); sectors
    (J,) SECTOR records (reads vacancy, updates employment); economy: (1,) ECONOMY record (pool);
    out (N_AGG_COLUMNS,) (reads displaced, writes employment, labour force, unemployment rate,
    re-employed); sec (J, N_SEC_COLUMNS) (writes employment of both paths).
    """
    e = economy[0]
    pool = e.pool * growth + out[L.AGG_DISPLACED]
    hires = e.job_finding * pool * math.exp(p[L.HIRING_SENSITIVITY] * demand_gap)
    to_vacancies = min(vacancies, hires)
    spread = hires - to_vacancies
    total = 0.0
    for j in range(sector.shape[0]):
        s = sectors[j]
        if vacancies > 0.0:
            s.employment += to_vacancies * s.vacancy / vacancies
        s.employment += spread * sector[j, L.SECTOR_EMPLOYMENT_SHARE]
        total += s.employment
        sec[j, L.SEC_EMPLOYMENT] = s.employment
        sec[j, L.SEC_EMPLOYMENT_BASELINE] = sector[j, L.SECTOR_EMPLOYMENT_SHARE] * (
            employment_baseline)
    e.pool = pool - hires
    labour_force = employment_baseline / (1.0 - p[L.NATURAL_UNEMPLOYMENT])
    out[L.AGG_EMPLOYMENT] = total
    out[L.AGG_LABOUR_FORCE] = labour_force
    out[L.AGG_UNEMPLOYMENT_RATE] = 1.0 - total / labour_force
    out[L.AGG_REEMPLOYED] = hires


@njit(cache=True, inline="always")
def cohort_split(p: np.ndarray, sector: np.ndarray, sectors: np.ndarray,
                 cohort: np.ndarray) -> None:
    """Employment by age cohort: juniors lose with the work AI takes over, prime and senior
    keep the sector total (MODEL.md 4.4).

    p (N_SCALAR_COLUMNS,); sector (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records
    (employment, work_increase); cohort (J, N_COHORTS) the year's cohort rows (written).
    """
    for j in range(sector.shape[0]):
        s = sectors[j]
        pen = junior_penalty(p[L.JUNIOR_ENTRY_PENALTY], p[L.TRAINEESHIP_OFFSET],
                             s.work_increase, p[L.JUNIOR_REFERENCE_WORK_SHARE])
        junior = sector[j, L.SECTOR_JUNIOR_SHARE]
        rest = sector[j, L.SECTOR_PRIME_SHARE] + sector[j, L.SECTOR_SENIOR_SHARE]
        scale = (1.0 - junior * (1.0 - pen)) / rest if rest > 0.0 else 1.0
        cohort[j, L.COHORT_JUNIOR] = s.employment * junior * (1.0 - pen)
        cohort[j, L.COHORT_PRIME] = s.employment * sector[j, L.SECTOR_PRIME_SHARE] * scale
        cohort[j, L.COHORT_SENIOR] = s.employment * sector[j, L.SECTOR_SENIOR_SHARE] * scale
