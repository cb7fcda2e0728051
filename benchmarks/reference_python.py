"""Plain-Python reference implementation of the model (docs/model.md, MODEL.md 1-5, revision 2).

Loops and :mod:`math` only: the inputs are turned into nested lists once, the model runs on
Python floats, and the lists are turned back into the kernel's packed ``(agg, sec, cohort)``
columns at the end (draw-major, as the numpy reference). Independent of ``sim.model`` (only
the column layout is shared); meant for small cases: it is the "how slow is the obvious code"
baseline of the benchmarks and a readable third opinion in tests/test_reference_implementation.py.

The capital-supply fixed point of 3.4, x = T(x) with x = ln R - ln R^base, is solved here
independently of the kernel's scheme: iterated from x = 0 every year (the kernel starts from
last year's x) and, where the iteration does not settle (it oscillates when the map's slope is
below -1, possible with a task elasticity sigma > 1), by bisection of x - T(x) around the last
iterate (x - T(x) is increasing whenever sigma >= 1 and so has one root). Agreement therefore
also checks that the kernel's warm-started iteration lands on that root.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from sim.model import layout as L

#: ln R - ln R^base is iterated from 0 until a step moves it by less than this (MODEL.md 3.4);
#: below ~1e-15 the steps are rounding noise (ln Y_pot - ln Y^base is a difference of levels)
FIXED_POINT_TOLERANCE = 1e-14
FIXED_POINT_MAX_ITERATIONS = 1000


def sigma(x: float) -> float:
    """Logistic function, safe for large |x|."""
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0.0 else e / (1.0 + e)


def s_curve(t: float, t0: float, midpoint: float, steepness: float) -> float:
    """Logistic normalised to 0 at t0 and rising to 1 (MODEL.md 1)."""
    start = sigma(steepness * (t0 - midpoint))
    return (sigma(steepness * (t - midpoint)) - start) / (1.0 - start)


def _log_prices(va_log_a: list[float], outside: list[float],
                leontief: list[list[float]] | None) -> list[float]:
    """ln p_j (MODEL.md 3.3) up to a common constant: ln p = Omega ln p - o * ln A^VA, i.e.
    ln p = -(I - Omega)^-1 (o * ln A^VA); -ln A^VA_j without a network."""
    J = len(va_log_a)
    if leontief is None:
        return [-x for x in va_log_a]
    return [-sum(leontief[j][i] * outside[i] * va_log_a[i] for i in range(J)) for j in range(J)]


def _weights(beta0: list[float], lam0: list[float], va_log_a: list[float],
             outside: list[float], eta: float,
             leontief: list[list[float]] | None) -> list[float]:
    """lambda(t) (MODEL.md 3.2-3.3): beta0 when eta = 1, else beta_j ∝ beta0_j p_j^(1 - eta)
    rescaled to sum(beta0), through the Leontief inverse when there is a network."""
    if eta == 1.0:
        return lam0
    J = len(beta0)
    log_p = _log_prices(va_log_a, outside, leontief)
    top = max((1.0 - eta) * lp for lp in log_p)
    beta = [beta0[j] * math.exp((1.0 - eta) * log_p[j] - top) for j in range(J)]
    factor = sum(beta0) / sum(beta)
    beta = [b * factor for b in beta]
    if leontief is None:
        return beta
    return [sum(beta[i] * leontief[i][j] for i in range(J)) for j in range(J)]


def _immobile(lam0: list[float], log_a: list[float], eta: float) -> float:
    """Immobile factors (MODEL.md 3.3): sum(lambda) times the power mean of order
    q = (eta - 1) / eta of A_j with weights lambda_j / sum(lambda), in logs; the geometric mean
    at eta = 1, the minimum at eta = 0."""
    total = sum(lam0)
    pairs = [(w / total, x) for w, x in zip(lam0, log_a, strict=True) if w > 0.0]
    if eta == 1.0:
        return sum(w * x for w, x in zip(lam0, log_a, strict=True))
    if eta == 0.0:
        return total * min(x for _, x in pairs)
    q = (eta - 1.0) / eta
    top = max(q * x for _, x in pairs)
    return total * (top + math.log(sum(w * math.exp(q * x - top) for w, x in pairs))) / q


def _factor_shares(x: float, sl0: list[float], va: list[float], beyond: list[float],
                   c_eff: float, p: list[float], share0: float,
                   ) -> tuple[list[float], float, float]:
    """sL_j(t), sL(t) = sum_j v_j sL_j(t) and alpha(t) = alpha + sL(t0) - sL(t) in
    [0.001, 0.999] when ln R - ln R^base = x (MODEL.md 4.5, 3.4): sL_j(t) = min(1, sL_j(t0)
    exp(-(1 - rho) psi a_j + (1 - sigma) psi a_j c_eff - (1 - sigma)(sK_j / sL_j) x)), a_j the
    affected share beyond the base year and sK_j / sL_j = (1 - sL_j(t0)) / sL_j(t0)."""
    psi, rho, sig = p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT], p[L.TASK_ELASTICITY]
    per = []
    for j in range(len(sl0)):
        k_to_l = (1.0 - sl0[j]) / sl0[j] if sl0[j] > 0.0 else 0.0
        per.append(min(1.0, sl0[j] * math.exp(
            -(1.0 - rho) * psi * beyond[j] + (1.0 - sig) * psi * beyond[j] * c_eff
            - (1.0 - sig) * k_to_l * x)))
    total = sum(va[j] * per[j] for j in range(len(sl0)))
    return per, total, min(0.999, max(0.001, p[L.CAPITAL_SHARE] + share0 - total))


def _user_cost_step(x: float, shares, ln_y0_tfp: float, lk: float, lh: float,
                    ln_y_base: float, p: list[float]) -> float:
    """T(x) (MODEL.md 3.4): ln R - ln R^base = (1/eps)(ln K* - ln K*^base), K* = alpha(t) Y_pot
    / R, solved for the x on its left: x = (1/eps) / (1 + 1/eps) (ln alpha(t) - ln alpha
    + ln Y_pot - ln Y^base), alpha(t) and Y_pot taken at x. ``ln_y0_tfp`` ln Y0 + ln TFP(t),
    ``lk``, ``lh`` ln K / K0 and ln H^base / H0."""
    inv_eps = p[L.INVERSE_CAPITAL_SUPPLY_ELASTICITY]
    al = shares(x)[2]
    ln_y_pot = ln_y0_tfp + al * lk + (1.0 - al) * lh
    return inv_eps / (1.0 + inv_eps) * (math.log(al / p[L.CAPITAL_SHARE]) + ln_y_pot
                                        - ln_y_base)


def _solve_fixed_point(step) -> float:
    """x = step(x) (MODEL.md 3.4): iterated from 0; where that does not settle, bisection of
    g(x) = x - step(x) on a bracket g(lo) <= 0 <= g(hi) widened around the last iterate (so the
    root found is the one the iteration was near). ArithmeticError when there is none."""
    x = 0.0
    for _ in range(FIXED_POINT_MAX_ITERATIONS):
        x_next = step(x)
        if abs(x_next - x) < FIXED_POINT_TOLERANCE:
            return x_next
        x = x_next
    width = 1e-12
    for _ in range(90):
        lo, hi = x - width, x + width
        if lo - step(lo) <= 0.0 <= hi - step(hi):
            break
        width *= 2.0
    else:
        raise ArithmeticError("user-cost fixed point: no bracket for x - T(x)")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if hi - lo <= FIXED_POINT_TOLERANCE * max(1.0, abs(mid)):
            break
        if mid - step(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _one_draw(years: list[float], p: list[float], s: list[list[float]],
              d: list[list[float]], cost: list[float], h_path: list[float],
              leontief: list[list[float]] | None) -> tuple[list, list, list]:
    """One Monte Carlo draw: per year, a list of N_AGG values, J lists of N_SEC values and J
    lists of three cohort values."""
    T, J = len(years), len(s)
    t0 = years[0]
    out_agg: list[list[float]] = []
    out_sec: list[list[list[float]]] = []
    out_coh: list[list[list[float]]] = []

    beta0 = [s[j][L.SECTOR_FINAL_DEMAND_SHARE] for j in range(J)]
    outside = [s[j][L.SECTOR_OUTSIDE_COST_SHARE] for j in range(J)]
    if leontief is None:
        lam0 = list(beta0)
    else:
        lam0 = [sum(beta0[i] * leontief[i][j] for i in range(J)) for j in range(J)]
    alpha0, eta = p[L.CAPITAL_SHARE], p[L.FINAL_DEMAND_ELASTICITY]
    psi, rho = p[L.AUTOMATION_SHARE], p[L.REINSTATEMENT]
    mix, inv_eps = p[L.IMMOBILE_SHARE], p[L.INVERSE_CAPITAL_SUPPLY_ELASTICITY]
    capital = p[L.CAPITAL_OUTPUT_RATIO] * p[L.BASE_YEAR_GDP]
    capital_base = capital
    ln_y0, ln_k0, ln_h0 = math.log(p[L.BASE_YEAR_GDP]), math.log(capital), math.log(h_path[0])
    sl0 = [s[j][L.SECTOR_LABOUR_SHARE] for j in range(J)]
    va_share = [s[j][L.SECTOR_VALUE_ADDED_SHARE] for j in range(J)]
    share0 = sum(s[j][L.SECTOR_VALUE_ADDED_SHARE] * sl0[j] for j in range(J))
    labour_share = share0
    emp = [s[j][L.SECTOR_EMPLOYMENT_SHARE] * h_path[0] for j in range(J)]
    demand_prev = list(emp)
    pool = 0.0
    realised = [0.0] * J
    a_prev = [0.0] * J
    z_ref = [0.0] * J
    a_ref = [0.0] * J
    h_ref = [0.0] * J
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
        work_beyond = [0.0] * J
        x_ai = [0.0] * J
        x_base = [0.0] * J
        va_ai = [0.0] * J
        va_base = [0.0] * J
        direct = affected_work = work_taken = 0.0
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
            hours = (psi + (1.0 - psi) * c_eff) * a  # work AI takes over (4.1)
            z = sj[L.SECTOR_LABOUR_SHARE] * c_eff * a * p[L.TRAINING_AMPLIFICATION]
            if k == 0:
                z_ref[j], a_ref[j], h_ref[j], a_prev[j] = z * fb, a * fb, hours * fb, a * fb
            realised[j] += ((z - z_ref[j]) - realised[j]) / p[L.JCURVE_LAG]
            m = realised[j] - p[L.JCURVE_INTANGIBLE_DRAG] * max(0.0, a - a_prev[j])
            a_prev[j] = a
            gains[j] = m
            beyond[j] = a - a_ref[j]
            work_beyond[j] = max(0.0, hours - h_ref[j])
            direct += sj[L.SECTOR_VALUE_ADDED_SHARE] * m
            affected_work += sj[L.SECTOR_EMPLOYMENT_SHARE] * a
            work_taken += sj[L.SECTOR_EMPLOYMENT_SHARE] * hours
            trend = math.log(1.0 + sj[L.SECTOR_TFP_GROWTH]) * dt
            va_ai[j], va_base[j] = trend + m, trend
            x_ai[j] = sj[L.SECTOR_GROSS_OUTPUT_FACTOR] * (trend + m)
            x_base[j] = sj[L.SECTOR_GROSS_OUTPUT_FACTOR] * trend
            row = [0.0] * L.N_SEC_COLUMNS
            row[L.SEC_EXPOSURE], row[L.SEC_ADOPTION] = e, adopt
            row[L.SEC_AFFECTED_SHARE], row[L.SEC_MEASURED_GAIN] = a, m
            rows.append(row)

        lam_ai = _weights(beta0, lam0, va_ai, outside, eta, leontief)
        lam_base = _weights(beta0, lam0, va_base, outside, eta, leontief)
        if k == 0:
            ln_ai = sum(lam_ai[j] * x_ai[j] for j in range(J))
            ln_base = 0.0
        else:
            ln_ai += sum(0.5 * (lam_ai[j] + lam_ai_prev[j]) * (x_ai[j] - x_ai_prev[j])
                         for j in range(J))
            ln_base += sum(0.5 * (lam_base[j] + lam_base_prev[j]) * (x_base[j] - x_base_prev[j])
                           for j in range(J))
        lam_ai_prev, lam_base_prev, x_ai_prev, x_base_prev = lam_ai, lam_base, x_ai, x_base
        tfp, tfp_base = ln_ai, ln_base
        if mix > 0.0:  # factor mobility (3.3): the chained path mixed with the CES aggregate
            tfp = (1.0 - mix) * ln_ai + mix * _immobile(lam0, x_ai, eta)
            tfp_base = (1.0 - mix) * ln_base + mix * _immobile(lam0, x_base, eta)

        # 4.6: the demand gap, from last year's pool, employment and labour share
        before = sum(emp)
        gap_d = 0.0
        if feedback and before > 0.0:
            gap_d = -(p[L.DEMAND_MULTIPLIER] * p[L.MARGINAL_PROPENSITY_TO_CONSUME]
                      * (1.0 - p[L.AUTOMATIC_STABILISERS]) * labour_share
                      * pool / before)

        # 3.4, 4.5: labour shares, alpha(t) and the user cost, then baseline and potential GDP
        h = h_path[k]
        lh = math.log(h) - ln_h0
        lk = math.log(capital) - ln_k0
        lk_base = math.log(capital_base) - ln_k0
        ln_y_base = ln_y0 + tfp_base + alpha0 * lk_base + (1.0 - alpha0) * lh

        shares = partial(_factor_shares, sl0=sl0, va=va_share, beyond=beyond, c_eff=c_eff,
                         p=p, share0=share0)
        if inv_eps > 0.0:
            x = _solve_fixed_point(partial(_user_cost_step, shares=shares, ln_y0_tfp=ln_y0 + tfp,
                                           lk=lk, lh=lh, ln_y_base=ln_y_base, p=p))
        else:
            x = 0.0
        sector_shares, labour_share, alpha = shares(x)
        ln_y_pot = ln_y0 + tfp + alpha * lk + (1.0 - alpha) * lh
        y_base, y_pot = math.exp(ln_y_base), math.exp(ln_y_pot)
        pot_gap = ln_y_pot - ln_y_base
        r_base = cost[k]
        r_cost = r_base * math.exp(x)

        growth = 1.0 if k == 0 else h / h_path[k - 1]
        displaced = vacancies = 0.0
        openings = [0.0] * J
        for j in range(J):
            sector_gap = pot_gap + eta * (gains[j] - direct)
            log_demand = (-psi * (1.0 - rho) * beyond[j]
                          - (1.0 - psi) * c_eff * beyond[j]
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
        for j in range(J):  # 4.4: the penalty scales with the work AI took over
            pen = min(1.0, p[L.JUNIOR_ENTRY_PENALTY] * (1.0 - p[L.TRAINEESHIP_OFFSET])
                      * work_beyond[j] / p[L.JUNIOR_REFERENCE_WORK_SHARE])
            jun = s[j][L.SECTOR_JUNIOR_SHARE]
            pri, sen = s[j][L.SECTOR_PRIME_SHARE], s[j][L.SECTOR_SENIOR_SHARE]
            kept = jun * (1.0 - pen)
            scale = (1.0 - kept) / (pri + sen) if pri + sen > 0.0 else 1.0
            coh.append([emp[j] * kept, emp[j] * pri * scale, emp[j] * sen * scale])

        # 3.4: actual GDP and the four parts of ln Y - ln Y^base
        le = math.log(max(emp_total, 1e-9)) - ln_h0
        ln_y = ln_y0 + tfp + alpha * lk + (1.0 - alpha) * le
        y = math.exp(ln_y)
        from_labour = (1.0 - alpha) * (le - lh)
        from_demand = (1.0 - alpha) * gap_d / p[L.OKUN_COEFFICIENT]
        from_demand = min(0.0, max(from_demand, min(0.0, from_labour)))
        act_gap = ln_y - ln_y_base
        for j in range(J):
            va_b = s[j][L.SECTOR_VALUE_ADDED_SHARE] * y_base
            rows[j][L.SEC_VALUE_ADDED_BASELINE] = va_b
            rows[j][L.SEC_VALUE_ADDED] = va_b * math.exp(act_gap + eta * (gains[j] - direct))
            rows[j][L.SEC_EMPLOYMENT] = emp[j]
            rows[j][L.SEC_EMPLOYMENT_BASELINE] = s[j][L.SECTOR_EMPLOYMENT_SHARE] * h
            rows[j][L.SEC_LABOUR_SHARE] = sector_shares[j]

        a_row = [0.0] * L.N_AGG_COLUMNS
        a_row[L.AGG_LN_TFP], a_row[L.AGG_LN_TFP_BASELINE] = tfp, tfp_base
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
        a_row[L.AGG_AFFECTED_SHARE], a_row[L.AGG_DEMAND_GAP] = affected_work, gap_d
        a_row[L.AGG_WORK_TAKEN] = work_taken
        a_row[L.AGG_CAPITAL_SHARE] = alpha
        a_row[L.AGG_USER_COST], a_row[L.AGG_USER_COST_BASELINE] = r_cost, r_base
        a_row[L.AGG_GDP_FROM_TFP] = tfp - tfp_base
        a_row[L.AGG_GDP_FROM_CAPITAL] = alpha * (lk - lh) - alpha0 * (lk_base - lh)
        a_row[L.AGG_GDP_FROM_EMPLOYMENT] = from_labour - from_demand
        a_row[L.AGG_GDP_FROM_DEMAND] = from_demand
        out_agg.append(a_row)
        out_sec.append(rows)
        out_coh.append(coh)
        direct_prev = direct

        # 3.4: K toward alpha(t) Y / R(t), K^base toward alpha Y^base / R^base(t)
        capital += p[L.CAPITAL_ADJUSTMENT] * (alpha * y / r_cost - capital)
        capital_base += p[L.CAPITAL_ADJUSTMENT] * (alpha0 * y_base / r_base - capital_base)
    return out_agg, out_sec, out_coh


def simulate_python(inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run every draw of ``inputs`` (a KernelInputs) in plain Python; packed outputs."""
    years = [float(t) for t in inputs.years]
    scalars = inputs.scalars.tolist()
    sector = inputs.sector.tolist()
    size_class = inputs.size_class.tolist()
    cost = inputs.user_cost.tolist()
    h_path = inputs.employment_base.tolist()
    leontief = inputs.leontief.tolist() if inputs.network else None
    results = [_one_draw(years, scalars[i], sector[i], size_class[i], cost[i], h_path[i],
                         leontief) for i in range(len(scalars))]
    agg = np.array([r[0] for r in results], dtype=float).reshape(
        len(results), len(years), L.N_AGG_COLUMNS)
    sec = np.array([r[1] for r in results], dtype=float).reshape(
        len(results), len(years), len(sector[0]) if sector else 0, L.N_SEC_COLUMNS)
    cohort = np.array([r[2] for r in results], dtype=float).reshape(
        len(results), len(years), len(sector[0]) if sector else 0, L.N_COHORTS)
    return agg, sec, cohort
