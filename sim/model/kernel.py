"""The year-stepping kernel: every block of MODEL.md 1-5 for each draw, in parallel over draws.

Shapes: ``n`` draws, ``T`` years, ``J`` sectors. Inputs are float64 C-contiguous arrays laid out
as in :mod:`sim.model.layout`; outputs are preallocated by the caller and filled in place. Each
draw is computed independently with the same operation order, so results are bit-identical
whatever the number of threads or the chunking of draws.

Per year: tasks and adoption (1.1-1.5) -> sector gains with the J-curve (2.1-2.2) -> chained
aggregate TFP with Domar/Baumol weights (3.1-3.3) -> potential GDP -> labour demand, flows,
cohorts (4.1-4.4), demand feedback (4.6) -> actual GDP, labour share (4.5) -> capital (3.4).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from sim.model import layout as L
from sim.model.adoption import intensity, s_curve, size_class_diffusion
from sim.model.aggregate import baumol_shares, domar_weights, tornqvist_step
from sim.model.capital import next_capital, output
from sim.model.labour import (
    junior_penalty,
    labour_demand_gap,
    labour_share_change,
    sector_output_gap,
)
from sim.model.productivity import first_order_gain, measured_gain, realised_gain
from sim.model.tasks import (
    affected_share,
    effective_saving,
    exposure,
    profitable_share,
    sector_profitability,
)


@njit(cache=True)
def _weights(beta0: np.ndarray, lam0: np.ndarray, log_tfp: np.ndarray, eta: float,
             network: bool, leontief: np.ndarray, beta: np.ndarray, out: np.ndarray) -> None:
    """Aggregation weights lambda_j(t): fixed when eta = 1, else Baumol-shifted final demand
    shares mapped through the Leontief inverse when the network is on (MODEL.md 3.2-3.3)."""
    if eta == 1.0:
        out[:] = lam0
        return
    baumol_shares(beta0, log_tfp, eta, beta)
    if network:
        domar_weights(beta, leontief, out)
    else:
        out[:] = beta


@njit(cache=True, parallel=True)
def simulate(
    years: np.ndarray,  # (T,)
    scalars: np.ndarray,  # (n, N_SCALARS)
    sector: np.ndarray,  # (n, J, N_SECTOR)
    size_class: np.ndarray,  # (n, 4, N_SIZE_PARAMS)
    real_rate: np.ndarray,  # (n, T)
    employment_base: np.ndarray,  # (n, T) baseline (potential) employment, persons
    leontief: np.ndarray,  # (J, J) (I - Omega)^-1, identity without a network
    network: bool,
    agg: np.ndarray,  # out (n, T, N_AGG)
    sec: np.ndarray,  # out (n, T, J, N_SEC)
    cohort: np.ndarray,  # out (n, T, J, N_COHORTS)
) -> None:
    """Fill ``agg``, ``sec`` and ``cohort`` for every draw (MODEL.md 1-5)."""
    n = scalars.shape[0]
    T = years.shape[0]
    J = sector.shape[1]
    t0 = years[0]
    for i in prange(n):
        p = scalars[i]
        s = sector[i]
        realised = np.zeros(J)
        a_prev = np.zeros(J)
        z_at_t0 = np.zeros(J)
        a_at_t0 = np.zeros(J)
        x_at_t0 = np.zeros(J)
        gain = np.zeros(J)
        affected_inc = np.zeros(J)
        used_exposure = np.zeros(J)
        s_ai = np.zeros(J)
        s_base = np.zeros(J)
        s_ai_prev = np.zeros(J)
        s_base_prev = np.zeros(J)
        beta = np.zeros(J)
        lam_ai = np.zeros(J)
        lam_base = np.zeros(J)
        lam_ai_prev = np.zeros(J)
        lam_base_prev = np.zeros(J)
        emp = np.zeros(J)
        demand_prev = np.zeros(J)
        vacancy = np.zeros(J)
        beta0 = s[:, L.SECTOR_FINAL_DEMAND_SHARE].copy()
        lam0 = np.zeros(J)
        if network:
            domar_weights(beta0, leontief, lam0)
        else:
            lam0[:] = beta0

        alpha = p[L.CAPITAL_SHARE]
        eta = p[L.FINAL_DEMAND_ELASTICITY]
        capital = p[L.CAPITAL_OUTPUT_RATIO] * p[L.BASE_YEAR_GDP]
        capital_base = capital
        log_a0 = (math.log(p[L.BASE_YEAR_GDP]) - alpha * math.log(capital)
                  - (1.0 - alpha) * math.log(employment_base[i, 0]))
        ln_tfp_ai = 0.0
        ln_tfp_base = 0.0
        pool = 0.0
        labour_share = 0.0
        share0 = 0.0
        for j in range(J):
            share0 += s[j, L.SECTOR_VALUE_ADDED_SHARE] * s[j, L.SECTOR_LABOUR_SHARE]
            emp[j] = s[j, L.SECTOR_EMPLOYMENT_SHARE] * employment_base[i, 0]
            demand_prev[j] = emp[j]
        labour_share = share0
        direct_prev = 0.0
        f_eff = p[L.JOB_FINDING_RATE] * (1.0 - p[L.MOBILITY_DISCOUNT])
        log_growth = np.empty(J)
        for j in range(J):
            log_growth[j] = math.log(1.0 + s[j, L.SECTOR_TFP_GROWTH])
        class_share = np.empty(L.N_SIZE_CLASSES)

        for k in range(T):
            t = years[k]
            # sector-independent pieces, computed once a year
            p_t = profitable_share(t, t0, p[L.PROFITABLE_SHARE_START], p[L.PROFITABLE_SHARE_GROWTH], p[L.PROFITABLE_SHARE_CEILING])
            progress = s_curve(t, t0, p[L.EXPOSURE_MIDPOINT], p[L.EXPOSURE_STEEPNESS])
            for c in range(L.N_SIZE_CLASSES):
                q = size_class[i, c]
                class_share[c] = size_class_diffusion(t, q[L.SIZE_CLASS_CEILING], q[L.SIZE_CLASS_MIDPOINT], q[L.SIZE_CLASS_STEEPNESS])
            iota = intensity(t, t0, p[L.INTENSITY_START], p[L.INTENSITY_CEILING], p[L.INTENSITY_MIDPOINT], p[L.INTENSITY_STEEPNESS])
            c_eff = effective_saving(t, t0, p[L.COST_SAVING_START], p[L.COST_SAVING_GROWTH], p[L.COST_SAVING_CAP],
                                     p[L.PARKINSON_REBOUND])
            speedup = 1.0
            if p[L.FEEDBACK_ENABLED] > 0.0:
                speedup = 1.0 + p[L.REINVESTMENT] * max(0.0, direct_prev)

            # ---- tasks, adoption, sector gains (MODEL.md 1.1-1.5, 2.1-2.2)
            direct = 0.0
            automated = 0.0
            mean_affected = 0.0
            for j in range(J):
                e = exposure(s[j, L.SECTOR_BASE_EXPOSURE], s[j, L.SECTOR_EXPOSURE_CEILING], progress)
                d = 0.0
                shift = s[j, L.SECTOR_MIDPOINT_SHIFT]
                for c in range(L.N_SIZE_CLASSES):
                    if shift == 0.0:
                        share = class_share[c]
                    else:
                        q = size_class[i, c]
                        share = size_class_diffusion(t, q[L.SIZE_CLASS_CEILING], q[L.SIZE_CLASS_MIDPOINT] + shift,
                                                     q[L.SIZE_CLASS_STEEPNESS])
                    d += s[j, L.SECTOR_SIZE_WEIGHTS + c] * share
                d = min(1.0, d * speedup)
                prof = sector_profitability(p_t, s[j, L.SECTOR_PROFITABILITY_MULTIPLIER])
                a = affected_share(e, prof, iota * d)
                z = first_order_gain(s[j, L.SECTOR_LABOUR_SHARE], c_eff, a) * p[L.TRAINING_AMPLIFICATION]
                x = min(1.0, e * iota * d)
                if k == 0:
                    z_at_t0[j] = z * p[L.GAINS_FROM_BASE_YEAR]
                    a_at_t0[j] = a * p[L.GAINS_FROM_BASE_YEAR]
                    x_at_t0[j] = x * p[L.GAINS_FROM_BASE_YEAR]
                    a_prev[j] = a * p[L.GAINS_FROM_BASE_YEAR]
                realised[j] = realised_gain(realised[j], z - z_at_t0[j], p[L.JCURVE_LAG])
                m = measured_gain(realised[j], p[L.JCURVE_INTANGIBLE_DRAG], a, a_prev[j])
                a_prev[j] = a
                gain[j] = m
                affected_inc[j] = a - a_at_t0[j]
                used_exposure[j] = max(0.0, x - x_at_t0[j])
                sec[i, k, j, L.SEC_EXPOSURE] = e
                sec[i, k, j, L.SEC_ADOPTION] = d
                sec[i, k, j, L.SEC_AFFECTED_SHARE] = a
                sec[i, k, j, L.SEC_MEASURED_GAIN] = m
                direct += s[j, L.SECTOR_VALUE_ADDED_SHARE] * m
                mean_affected += s[j, L.SECTOR_VALUE_ADDED_SHARE] * affected_inc[j]
                automated += s[j, L.SECTOR_EMPLOYMENT_SHARE] * a
                trend = log_growth[j] * (t - t0)
                s_ai[j] = s[j, L.SECTOR_GROSS_OUTPUT_FACTOR] * (trend + m)
                s_base[j] = s[j, L.SECTOR_GROSS_OUTPUT_FACTOR] * trend

            # ---- chained aggregate TFP (MODEL.md 3.1-3.3)
            _weights(beta0, lam0, s_ai, eta, network, leontief, beta, lam_ai)
            _weights(beta0, lam0, s_base, eta, network, leontief, beta, lam_base)
            if k == 0:
                ln_tfp_ai = 0.0
                ln_tfp_base = 0.0
                for j in range(J):
                    ln_tfp_ai += lam_ai[j] * s_ai[j]
            else:
                ln_tfp_ai += tornqvist_step(lam_ai_prev, lam_ai, s_ai_prev, s_ai)
                ln_tfp_base += tornqvist_step(lam_base_prev, lam_base, s_base_prev, s_base)
            lam_ai_prev[:] = lam_ai
            lam_base_prev[:] = lam_base
            s_ai_prev[:] = s_ai
            s_base_prev[:] = s_base

            # ---- potential and baseline GDP (MODEL.md 3.4, 5)
            h_pot = employment_base[i, k]
            y_base = output(log_a0 + ln_tfp_base, capital_base, h_pot, alpha)
            y_pot = output(log_a0 + ln_tfp_ai, capital, h_pot, alpha)
            potential_gap = math.log(y_pot) - math.log(y_base)

            # ---- demand feedback from last year's displaced (MODEL.md 4.6)
            demand_gap = 0.0
            emp_prev_total = 0.0
            for j in range(J):
                emp_prev_total += emp[j]
            if p[L.FEEDBACK_ENABLED] > 0.0 and emp_prev_total > 0.0:
                demand_gap = -(p[L.DEMAND_MULTIPLIER] * p[L.MARGINAL_PROPENSITY_TO_CONSUME] * (1.0 - p[L.AUTOMATIC_STABILISERS])
                               * labour_share * pool / emp_prev_total)

            # ---- labour demand and flows (MODEL.md 4.1-4.3)
            growth = 1.0 if k == 0 else h_pot / employment_base[i, k - 1]
            displaced = 0.0
            vacancies = 0.0
            for j in range(J):
                own_gap = sector_output_gap(potential_gap, eta, gain[j], direct)
                delta = labour_demand_gap(p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT], c_eff, affected_inc[j],
                                          p[L.DEMAND_RESPONSE], own_gap) + demand_gap / p[L.OKUN_COEFFICIENT]
                target = s[j, L.SECTOR_EMPLOYMENT_SHARE] * h_pot * math.exp(delta)
                # job destruction when a sector's labour demand falls, vacancies when it rises
                change = target - demand_prev[j] * growth
                demand_prev[j] = target
                emp[j] *= growth
                if change < 0.0:
                    lost = min(-change, emp[j])
                    displaced += lost
                    emp[j] -= lost
                    vacancy[j] = 0.0
                else:
                    vacancy[j] = change
                    vacancies += change
            pool = pool * growth + displaced
            # the pool empties at rate f (1 - mu): first into AI-driven vacancies, the rest
            # into jobs created across the economy as wages adjust (docs/model.md, 4.3)
            # in a demand shortfall job finding falls with the gap (MODEL.md 4.6)
            hires = f_eff * pool * math.exp(p[L.HIRING_SENSITIVITY] * demand_gap)
            to_vacancies = min(vacancies, hires)
            spread = hires - to_vacancies
            emp_total = 0.0
            for j in range(J):
                if vacancies > 0.0:
                    emp[j] += to_vacancies * vacancy[j] / vacancies
                emp[j] += spread * s[j, L.SECTOR_EMPLOYMENT_SHARE]
                emp_total += emp[j]
            pool -= hires
            labour_force = h_pot / (1.0 - p[L.NATURAL_UNEMPLOYMENT])

            # ---- cohorts (MODEL.md 4.4)
            for j in range(J):
                pen = junior_penalty(p[L.JUNIOR_ENTRY_PENALTY], p[L.TRAINEESHIP_OFFSET], 1.0,
                                     used_exposure[j])
                sj = s[j, L.SECTOR_JUNIOR_SHARE]
                rest = s[j, L.SECTOR_PRIME_SHARE] + s[j, L.SECTOR_SENIOR_SHARE]
                scale = (1.0 - sj * (1.0 - pen)) / rest if rest > 0.0 else 1.0
                cohort[i, k, j, 0] = emp[j] * sj * (1.0 - pen)
                cohort[i, k, j, 1] = emp[j] * s[j, L.SECTOR_PRIME_SHARE] * scale
                cohort[i, k, j, 2] = emp[j] * s[j, L.SECTOR_SENIOR_SHARE] * scale

            # ---- actual GDP, labour share, sector value added (MODEL.md 3.4, 4.2, 4.5)
            y = output(log_a0 + ln_tfp_ai, capital, max(emp_total, 1e-9), alpha)
            labour_share = min(0.999, share0 * math.exp(labour_share_change(
                p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT], p[L.TASK_ELASTICITY], mean_affected, c_eff)))
            actual_gap = math.log(y) - math.log(y_base)
            for j in range(J):
                va_base = s[j, L.SECTOR_VALUE_ADDED_SHARE] * y_base
                sec[i, k, j, L.SEC_VALUE_ADDED_BASELINE] = va_base
                sec[i, k, j, L.SEC_VALUE_ADDED] = va_base * math.exp(
                    sector_output_gap(actual_gap, eta, gain[j], direct))
                sec[i, k, j, L.SEC_EMPLOYMENT] = emp[j]
                sec[i, k, j, L.SEC_EMPLOYMENT_BASELINE] = s[j, L.SECTOR_EMPLOYMENT_SHARE] * h_pot

            out = agg[i, k]
            out[L.AGG_LN_TFP] = ln_tfp_ai
            out[L.AGG_LN_TFP_BASELINE] = ln_tfp_base
            out[L.AGG_DIRECT_GAIN] = direct
            out[L.AGG_GDP] = y
            out[L.AGG_GDP_BASELINE] = y_base
            out[L.AGG_GDP_POTENTIAL] = y_pot
            out[L.AGG_CAPITAL] = capital
            out[L.AGG_CAPITAL_BASELINE] = capital_base
            out[L.AGG_EMPLOYMENT] = emp_total
            out[L.AGG_EMPLOYMENT_BASELINE] = h_pot
            out[L.AGG_LABOUR_FORCE] = labour_force
            out[L.AGG_UNEMPLOYMENT_RATE] = 1.0 - emp_total / labour_force
            out[L.AGG_DISPLACED] = displaced
            out[L.AGG_REEMPLOYED] = hires
            out[L.AGG_PROFITABLE_SHARE] = p_t
            out[L.AGG_INTENSITY] = iota
            out[L.AGG_COST_SAVING] = c_eff
            out[L.AGG_LABOUR_SHARE] = labour_share
            out[L.AGG_LABOUR_SHARE_BASELINE] = share0
            out[L.AGG_AFFECTED_SHARE] = automated
            out[L.AGG_DEMAND_GAP] = demand_gap
            direct_prev = direct

            # ---- capital toward the user-cost target (MODEL.md 3.4)
            r = real_rate[i, k]
            capital = next_capital(capital, y, alpha, r, p[L.DEPRECIATION], p[L.CAPITAL_ADJUSTMENT])
            capital_base = next_capital(capital_base, y_base, alpha, r, p[L.DEPRECIATION],
                                        p[L.CAPITAL_ADJUSTMENT])
