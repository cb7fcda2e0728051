"""Plain-Python reference implementation of the model (docs/model.md, MODEL.md 1-5).

Loops and :mod:`math` only: the inputs are turned into nested lists once, the model runs on
Python floats, and the lists are turned back into the kernel's packed ``(agg, sec, cohort)``
arrays at the end. Independent of ``sim.model`` (only the column layout is shared); meant for
small cases: it is the "how slow is the obvious code" baseline of the benchmarks and a
readable third opinion in tests/test_reference_implementation.py.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model import layout as L


def sigma(x: float) -> float:
    """Logistic function, safe for large |x|."""
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)


def s_curve(t: float, t0: float, midpoint: float, steepness: float) -> float:
    """Logistic normalised to 0 at t0 and rising to 1 (MODEL.md 1)."""
    start = sigma(steepness * (t0 - midpoint))
    return (sigma(steepness * (t - midpoint)) - start) / (1.0 - start)


def _weights(beta0: list[float], lam0: list[float], shocks: list[float], eta: float,
             leontief: list[list[float]] | None) -> list[float]:
    """lambda(t) (MODEL.md 3.2-3.3): beta0 when eta = 1, else beta_j ∝ beta0_j e^((eta-1) x_j)
    rescaled to sum(beta0), through the Leontief inverse when there is a network."""
    if eta == 1.0:
        return lam0
    J = len(beta0)
    top = max(0.0, max((eta - 1.0) * x for x in shocks))
    beta = [beta0[j] * math.exp((eta - 1.0) * shocks[j] - top) for j in range(J)]
    factor = sum(beta0) / sum(beta)
    beta = [b * factor for b in beta]
    if leontief is None:
        return beta
    return [sum(beta[i] * leontief[i][j] for i in range(J)) for j in range(J)]


def _one_draw(years: list[float], p: list[float], s: list[list[float]],
              d: list[list[float]], rate: list[float], h_path: list[float],
              leontief: list[list[float]] | None) -> tuple[list, list, list]:
    """One Monte Carlo draw: per year, a list of N_AGG values, J lists of N_SEC values and J
    lists of three cohort values."""
    T, J = len(years), len(s)
    t0 = years[0]
    out_agg: list[list[float]] = []
    out_sec: list[list[list[float]]] = []
    out_coh: list[list[list[float]]] = []

    beta0 = [s[j][L.SECTOR_FINAL_DEMAND_SHARE] for j in range(J)]
    if leontief is None:
        lam0 = list(beta0)
    else:
        lam0 = [sum(beta0[i] * leontief[i][j] for i in range(J)) for j in range(J)]
    alpha, eta = p[L.CAPITAL_SHARE], p[L.FINAL_DEMAND_ELASTICITY]
    capital = p[L.CAPITAL_OUTPUT_RATIO] * p[L.BASE_YEAR_GDP]
    capital_base = capital
    log_a0 = (math.log(p[L.BASE_YEAR_GDP]) - alpha * math.log(capital)
              - (1.0 - alpha) * math.log(h_path[0]))
    share0 = sum(s[j][L.SECTOR_VALUE_ADDED_SHARE] * s[j][L.SECTOR_LABOUR_SHARE] for j in range(J))
    labour_share = share0
    emp = [s[j][L.SECTOR_EMPLOYMENT_SHARE] * h_path[0] for j in range(J)]
    demand_prev = list(emp)
    pool = 0.0
    realised = [0.0] * J
    a_prev = [0.0] * J
    z_ref = [0.0] * J
    a_ref = [0.0] * J
    x_ref = [0.0] * J
    ln_ai = ln_base = 0.0
    lam_ai_prev: list[float] = []
    lam_base_prev: list[float] = []
    x_ai_prev: list[float] = []
    x_base_prev: list[float] = []
    direct_prev = 0.0
    feedback = p[L.FEEDBACK_ENABLED] > 0.0
    f_eff = p[L.JOB_FINDING_RATE] * (1.0 - p[L.MOBILITY_DISCOUNT])
    fb = p[L.GAINS_FROM_BASE_YEAR]

    for k in range(T):
        t = years[k]
        dt = t - t0
        grown = min(p[L.PROFITABLE_SHARE_CEILING],
                    p[L.PROFITABLE_SHARE_START] * (1.0 + p[L.PROFITABLE_SHARE_GROWTH]) ** dt)
        iota = p[L.INTENSITY_START] + (p[L.INTENSITY_CEILING] - p[L.INTENSITY_START]) * s_curve(
            t, t0, p[L.INTENSITY_MIDPOINT], p[L.INTENSITY_STEEPNESS])
        c_eff = (1.0 - p[L.PARKINSON_REBOUND]) * min(
            p[L.COST_SAVING_CAP], p[L.COST_SAVING_START] + p[L.COST_SAVING_GROWTH] * dt)
        s_e = s_curve(t, t0, p[L.EXPOSURE_MIDPOINT], p[L.EXPOSURE_STEEPNESS])
        speed = 1.0 + p[L.REINVESTMENT] * max(0.0, direct_prev) if feedback else 1.0

        rows: list[list[float]] = []
        gains = [0.0] * J
        beyond = [0.0] * J
        used_beyond = [0.0] * J
        x_ai = [0.0] * J
        x_base = [0.0] * J
        direct = mean_beyond = automated = 0.0
        for j in range(J):
            sj = s[j]
            e0 = sj[L.SECTOR_BASE_EXPOSURE]
            e = e0 + (sj[L.SECTOR_EXPOSURE_CEILING] - e0) * s_e
            adopt = 0.0
            for c in range(L.N_SIZE_CLASSES):
                q = d[c]
                midpoint = q[L.SIZE_CLASS_MIDPOINT] + sj[L.SECTOR_MIDPOINT_SHIFT]
                adopt += sj[L.SECTOR_SIZE_WEIGHTS + c] * (q[L.SIZE_CLASS_CEILING] * sigma(
                    q[L.SIZE_CLASS_STEEPNESS] * (t - midpoint)))
            adopt = min(1.0, adopt * speed)
            prof = min(1.0, grown * sj[L.SECTOR_PROFITABILITY_MULTIPLIER])
            a = e * prof * (iota * adopt)
            z = sj[L.SECTOR_LABOUR_SHARE] * c_eff * a * p[L.TRAINING_AMPLIFICATION]
            x_use = min(1.0, e * iota * adopt)
            if k == 0:
                z_ref[j], a_ref[j], x_ref[j], a_prev[j] = z * fb, a * fb, x_use * fb, a * fb
            realised[j] += ((z - z_ref[j]) - realised[j]) / p[L.JCURVE_LAG]
            m = realised[j] - p[L.JCURVE_INTANGIBLE_DRAG] * max(0.0, a - a_prev[j])
            a_prev[j] = a
            gains[j] = m
            beyond[j] = a - a_ref[j]
            used_beyond[j] = max(0.0, x_use - x_ref[j])
            direct += sj[L.SECTOR_VALUE_ADDED_SHARE] * m
            mean_beyond += sj[L.SECTOR_VALUE_ADDED_SHARE] * beyond[j]
            automated += sj[L.SECTOR_EMPLOYMENT_SHARE] * a
            trend = math.log(1.0 + sj[L.SECTOR_TFP_GROWTH]) * dt
            x_ai[j] = sj[L.SECTOR_GROSS_OUTPUT_FACTOR] * (trend + m)
            x_base[j] = sj[L.SECTOR_GROSS_OUTPUT_FACTOR] * trend
            row = [0.0] * L.N_SEC_COLUMNS
            row[L.SEC_EXPOSURE], row[L.SEC_ADOPTION] = e, adopt
            row[L.SEC_AFFECTED_SHARE], row[L.SEC_MEASURED_GAIN] = a, m
            rows.append(row)

        lam_ai = _weights(beta0, lam0, x_ai, eta, leontief)
        lam_base = _weights(beta0, lam0, x_base, eta, leontief)
        if k == 0:
            ln_ai = sum(lam_ai[j] * x_ai[j] for j in range(J))
            ln_base = 0.0
        else:
            ln_ai += sum(0.5 * (lam_ai[j] + lam_ai_prev[j]) * (x_ai[j] - x_ai_prev[j])
                         for j in range(J))
            ln_base += sum(0.5 * (lam_base[j] + lam_base_prev[j]) * (x_base[j] - x_base_prev[j])
                           for j in range(J))
        lam_ai_prev, lam_base_prev, x_ai_prev, x_base_prev = lam_ai, lam_base, x_ai, x_base

        h = h_path[k]
        y_base = math.exp(log_a0 + ln_base + alpha * math.log(capital_base)
                          + (1.0 - alpha) * math.log(h))
        y_pot = math.exp(log_a0 + ln_ai + alpha * math.log(capital) + (1.0 - alpha) * math.log(h))
        pot_gap = math.log(y_pot) - math.log(y_base)

        before = sum(emp)
        gap_d = 0.0
        if feedback and before > 0.0:
            gap_d = -(p[L.DEMAND_MULTIPLIER] * p[L.MARGINAL_PROPENSITY_TO_CONSUME]
                      * (1.0 - p[L.AUTOMATIC_STABILISERS]) * labour_share
                      * pool / before)
        growth = 1.0 if k == 0 else h / h_path[k - 1]
        displaced = vacancies = 0.0
        openings = [0.0] * J
        for j in range(J):
            sector_gap = pot_gap + eta * (gains[j] - direct)
            log_demand = (-p[L.AUTOMATION_SHARE] * (1.0 - p[L.REINSTATEMENT]) * beyond[j]
                          - (1.0 - p[L.AUTOMATION_SHARE]) * c_eff * beyond[j]
                          + p[L.DEMAND_RESPONSE] * sector_gap) + gap_d / p[L.OKUN_COEFFICIENT]
            demand = s[j][L.SECTOR_EMPLOYMENT_SHARE] * h * math.exp(log_demand)
            change = demand - demand_prev[j] * growth
            demand_prev[j] = demand
            emp[j] *= growth
            if change < 0.0:
                lost = min(-change, emp[j])
                displaced += lost
                emp[j] -= lost
            else:
                openings[j] = change
                vacancies += change
        pool = pool * growth + displaced
        hires = f_eff * pool * math.exp(p[L.HIRING_SENSITIVITY] * gap_d)
        filled = min(vacancies, hires)
        rest = hires - filled
        for j in range(J):
            if vacancies > 0.0:
                emp[j] += filled * openings[j] / vacancies
            emp[j] += rest * s[j][L.SECTOR_EMPLOYMENT_SHARE]
        emp_total = sum(emp)
        pool -= hires
        labour_force = h / (1.0 - p[L.NATURAL_UNEMPLOYMENT])

        coh = []
        for j in range(J):
            pen = (p[L.JUNIOR_ENTRY_PENALTY] * (1.0 - p[L.TRAINEESHIP_OFFSET])
                   * min(1.0, used_beyond[j]))
            jun = s[j][L.SECTOR_JUNIOR_SHARE]
            pri, sen = s[j][L.SECTOR_PRIME_SHARE], s[j][L.SECTOR_SENIOR_SHARE]
            kept = jun * (1.0 - pen)
            scale = (1.0 - kept) / (pri + sen) if pri + sen > 0.0 else 1.0
            coh.append([emp[j] * kept, emp[j] * pri * scale, emp[j] * sen * scale])

        y = math.exp(log_a0 + ln_ai + alpha * math.log(capital)
                     + (1.0 - alpha) * math.log(max(emp_total, 1e-9)))
        psi, rho = p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT]
        labour_share = min(0.999, share0 * math.exp(
            -(1.0 - rho) * psi * mean_beyond
            + (1.0 - p[L.TASK_ELASTICITY]) * psi * mean_beyond * c_eff))
        act_gap = math.log(y) - math.log(y_base)
        for j in range(J):
            va_base = s[j][L.SECTOR_VALUE_ADDED_SHARE] * y_base
            rows[j][L.SEC_VALUE_ADDED_BASELINE] = va_base
            rows[j][L.SEC_VALUE_ADDED] = va_base * math.exp(act_gap + eta * (gains[j] - direct))
            rows[j][L.SEC_EMPLOYMENT] = emp[j]
            rows[j][L.SEC_EMPLOYMENT_BASELINE] = s[j][L.SECTOR_EMPLOYMENT_SHARE] * h

        a_row = [0.0] * L.N_AGG_COLUMNS
        a_row[L.AGG_LN_TFP], a_row[L.AGG_LN_TFP_BASELINE] = ln_ai, ln_base
        a_row[L.AGG_DIRECT_GAIN] = direct
        a_row[L.AGG_GDP], a_row[L.AGG_GDP_BASELINE], a_row[L.AGG_GDP_POTENTIAL] = y, y_base, y_pot
        a_row[L.AGG_CAPITAL], a_row[L.AGG_CAPITAL_BASELINE] = capital, capital_base
        a_row[L.AGG_EMPLOYMENT], a_row[L.AGG_EMPLOYMENT_BASELINE] = emp_total, h
        a_row[L.AGG_LABOUR_FORCE] = labour_force
        a_row[L.AGG_UNEMPLOYMENT_RATE] = 1.0 - emp_total / labour_force
        a_row[L.AGG_DISPLACED], a_row[L.AGG_REEMPLOYED] = displaced, hires
        a_row[L.AGG_PROFITABLE_SHARE] = min(grown, 1.0)
        a_row[L.AGG_INTENSITY], a_row[L.AGG_COST_SAVING] = iota, c_eff
        a_row[L.AGG_LABOUR_SHARE], a_row[L.AGG_LABOUR_SHARE_BASELINE] = labour_share, share0
        a_row[L.AGG_AFFECTED_SHARE], a_row[L.AGG_DEMAND_GAP] = automated, gap_d
        out_agg.append(a_row)
        out_sec.append(rows)
        out_coh.append(coh)
        direct_prev = direct

        r_cost = rate[k] + p[L.DEPRECIATION]
        capital += p[L.CAPITAL_ADJUSTMENT] * (alpha * y / r_cost - capital)
        capital_base += p[L.CAPITAL_ADJUSTMENT] * (alpha * y_base / r_cost - capital_base)
    return out_agg, out_sec, out_coh


def simulate_python(inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run every draw of ``inputs`` (a KernelInputs) in plain Python; packed outputs."""
    years = [float(t) for t in inputs.years]
    scalars = inputs.scalars.tolist()
    sector = inputs.sector.tolist()
    size_class = inputs.size_class.tolist()
    rate = inputs.real_rate.tolist()
    h_path = inputs.employment_base.tolist()
    leontief = inputs.leontief.tolist() if inputs.network else None
    results = [_one_draw(years, scalars[i], sector[i], size_class[i], rate[i], h_path[i],
                         leontief) for i in range(len(scalars))]
    agg = np.array([r[0] for r in results], dtype=float).reshape(
        len(results), len(years), L.N_AGG_COLUMNS)
    sec = np.array([r[1] for r in results], dtype=float).reshape(
        len(results), len(years), len(sector[0]) if sector else 0, L.N_SEC_COLUMNS)
    cohort = np.array([r[2] for r in results], dtype=float).reshape(
        len(results), len(years), len(sector[0]) if sector else 0, L.N_COHORTS)
    return agg, sec, cohort
