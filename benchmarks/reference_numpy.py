"""Independent pure-numpy implementation of the model (docs/model.md, MODEL.md 1-5, revision 2).

Vectorised over draws and sectors with a Python loop over years only. It is written from the
equations, not from the kernel's helpers: nothing from ``sim.model`` is imported except the
column layout (``sim.model.layout``), and it takes the same :class:`sim.model.inputs.KernelInputs`
and returns the same packed ``(agg, sec, cohort)`` columns as :func:`sim.model.kernel.simulate`
(draw-major, ``[draw, year, ...]``; the kernel's are year-major: ``cases.draw_major``), so
the two can be compared element by element (tests/test_reference_implementation.py) and timed
against each other (benchmarks/test_kernel_bench.py).

Conventions shared with the kernel (docs/model.md): gains counted beyond the base year when
``FROM_BASE`` is 1 (J-curve starting from a(t0 - 1) = a(t0)); the Baumol shares move with
relative prices that pass the value-added TFP levels (trend + gain) through the network, and
the resulting final-demand shares are mapped through the Leontief inverse into weights on the
gross-output shocks kappa_j ln A_j; the chained aggregate starts from sum_j lambda_j ln A_j in
the base year on the AI path and is mixed with the immobile-factor CES aggregate; production is
normalised at t0 with the capital elasticity alpha(t) = alpha + sL(t0) - sL(t); the sector
labour shares, alpha(t) and the user cost R(t) are solved before potential GDP, after the
demand gap (which uses last year's labour share, 4.6); labour demand uses potential GDP;
capital moves at the end of the year toward alpha(t) Y / R(t).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.model import layout as L

#: the capital-supply fixed point (MODEL.md 3.4): stop when ln R moves by less than this
USER_COST_TOLERANCE = 1e-13
USER_COST_MAX_ITERATIONS = 200


def _logistic(x: np.ndarray) -> np.ndarray:
    """sigma(x) without overflow: e^-|x| / (1 + e^-|x|) mirrored for x >= 0."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _normalised_s(t: float, t0: float, midpoint: np.ndarray, steepness: np.ndarray,
                  ) -> np.ndarray:
    """S(t; t_m, k) = (sigma(k(t - t_m)) - sigma(k(t0 - t_m))) / (1 - sigma(k(t0 - t_m)))."""
    start = _logistic(steepness * (t0 - midpoint))
    return (_logistic(steepness * (t - midpoint)) - start) / (1.0 - start)


def _ces_log_tfp(lam0: np.ndarray, log_a: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Immobile factors (MODEL.md 3.3): (sum lambda) (1 / q) ln sum_j w_j A_j^q with
    q = (eta - 1) / eta and w = lambda0 / sum lambda0; sum_j lambda_j ln A_j at eta = 1 (the
    geometric limit), (sum lambda) min_j ln A_j at eta = 0 (Leontief). (n,) per draw."""
    total = lam0.sum(axis=1)
    w = lam0 / total[:, None]
    used = w > 0.0
    linear = (lam0 * log_a).sum(axis=1)
    lowest = np.where(used, log_a, np.inf).min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(eta > 0.0, (eta - 1.0) / np.where(eta > 0.0, eta, 1.0), 0.0)
    qa = q[:, None] * log_a
    top = np.where(used, qa, -np.inf).max(axis=1)
    log_mean = top + np.log((w * np.exp(np.where(used, qa - top[:, None], 0.0))).sum(axis=1))
    power = total * log_mean / np.where(q != 0.0, q, 1.0)
    return np.where(eta == 1.0, linear, np.where(eta == 0.0, total * lowest, power))


def _bisect_fixed_point(step, start: np.ndarray, todo: np.ndarray) -> np.ndarray:
    """x = step(x) per draw by bisection of g(x) = x - step(x) (MODEL.md 3.4), for the draws
    ``todo`` where the fixed-point iteration did not settle: slow (slope of the map near +-1) or
    oscillating (slope below -1, possible with sigma > 1, where g is increasing and has one
    root). The bracket g(lo) <= 0 <= g(hi) is widened around the iteration's last value
    ``start``, so the root found is the one the iteration was near (with sigma < 1 g can have
    several: alpha(t) pinned at its 0.001 floor gives another)."""
    width = np.full(start.shape, 1e-12)
    lo, hi = start - width, start + width
    for _ in range(90):
        low_ok = ~todo | (lo - step(lo) <= 0.0)
        high_ok = ~todo | (hi - step(hi) >= 0.0)
        if (low_ok & high_ok).all():
            break
        width = 2.0 * width
        lo = np.where(low_ok, lo, start - width)
        hi = np.where(high_ok, hi, start + width)
    else:
        raise ArithmeticError("user-cost fixed point: no bracket for x - T(x)")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.all(~todo | (hi - lo <= 1e-15 * np.maximum(1.0, np.abs(mid)))):
            break
        below = mid - step(mid) < 0.0
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.where(todo, 0.5 * (lo + hi), start)


def simulate_numpy(inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run every draw of ``inputs`` (a KernelInputs); return packed (agg, sec, cohort)."""
    years = np.asarray(inputs.years, dtype=float)
    P = inputs.scalars  # (n, N_SCALARS)
    S = inputs.sector  # (n, J, N_SECTOR)
    D = inputs.size_class  # (n, 4, N_SIZE_PARAMS)
    cost_path = inputs.user_cost  # (n, T) R^base(t) = r(t) + delta
    h_path = inputs.employment_base  # (n, T)
    leontief = inputs.leontief  # (J, J)
    network = bool(inputs.network)
    n, J = S.shape[0], S.shape[1]
    T = years.shape[0]
    t0 = years[0]

    agg = np.zeros((n, T, L.N_AGG_COLUMNS))
    sec = np.zeros((n, T, J, L.N_SEC_COLUMNS))
    cohort = np.zeros((n, T, J, L.N_COHORTS))

    col = P.T  # col[k] is the (n,) column of scalar k
    va = S[:, :, L.SECTOR_VALUE_ADDED_SHARE]
    lshare = S[:, :, L.SECTOR_LABOUR_SHARE]
    e0, ebar = S[:, :, L.SECTOR_BASE_EXPOSURE], S[:, :, L.SECTOR_EXPOSURE_CEILING]
    pmult = S[:, :, L.SECTOR_PROFITABILITY_MULTIPLIER]
    log_growth = np.log(1.0 + S[:, :, L.SECTOR_TFP_GROWTH])
    shift = S[:, :, L.SECTOR_MIDPOINT_SHIFT]
    weights = S[:, :, L.SECTOR_SIZE_WEIGHTS:L.SECTOR_SIZE_WEIGHTS + L.N_SIZE_CLASSES]  # (n, J, 4)
    kappa = S[:, :, L.SECTOR_GROSS_OUTPUT_FACTOR]
    beta0 = S[:, :, L.SECTOR_FINAL_DEMAND_SHARE]
    outside = S[:, :, L.SECTOR_OUTSIDE_COST_SHARE]
    emp_share = S[:, :, L.SECTOR_EMPLOYMENT_SHARE]
    junior = S[:, :, L.SECTOR_JUNIOR_SHARE]
    prime = S[:, :, L.SECTOR_PRIME_SHARE]
    senior = S[:, :, L.SECTOR_SENIOR_SHARE]
    ceil = D[:, :, L.SIZE_CLASS_CEILING][:, None, :]  # (n, 1, 4)
    mid = D[:, :, L.SIZE_CLASS_MIDPOINT][:, None, :] + shift[:, :, None]  # (n, J, 4)
    steep = D[:, :, L.SIZE_CLASS_STEEPNESS][:, None, :]

    alpha0, eta = col[L.CAPITAL_SHARE], col[L.FINAL_DEMAND_ELASTICITY]
    from_base = col[L.GAINS_FROM_BASE_YEAR][:, None]
    psi, rho = col[L.AUTOMATION_SHARE][:, None], col[L.REINSTATEMENT][:, None]
    sigma = col[L.TASK_ELASTICITY][:, None]
    immobile = col[L.IMMOBILE_SHARE]
    inverse_eps = col[L.INVERSE_CAPITAL_SUPPLY_ELASTICITY]
    baumol = eta != 1.0  # (n,) draws whose weights move (3.3)
    lam0 = beta0 @ leontief if network else beta0.copy()
    # sK_j / sL_j of the base year, the sector's response to the user cost (4.5)
    capital_to_labour = np.where(lshare > 0.0, (1.0 - lshare) / np.where(lshare > 0.0, lshare,
                                                                           1.0), 0.0)

    def weights_at(va_log_a: np.ndarray) -> np.ndarray:
        """lambda(t) (3.2-3.3): final-demand shares beta0 (p_j / P)^(1 - eta), rescaled to sum
        beta0, with ln p = -(I - Omega)^-1 (o * ln A^VA) (ln p = -ln A^VA without a network),
        through (I - Omega)^-1."""
        if not baumol.any():
            return lam0
        log_p = -np.einsum("ji,ni->nj", leontief, outside * va_log_a) if network else -va_log_a
        expo = (1.0 - eta[:, None]) * log_p
        expo -= expo.max(axis=1, keepdims=True)
        beta = beta0 * np.exp(expo)
        beta *= beta0.sum(axis=1, keepdims=True) / beta.sum(axis=1, keepdims=True)
        lam = beta @ leontief if network else beta
        return np.where(baumol[:, None], lam, lam0)

    def factor_shares(x: np.ndarray, beyond: np.ndarray, saving: np.ndarray):
        """4.5: sL_j(t) = min(1, sL_j0 exp(-(1 - rho) psi a - (1 - sigma) psi a c ...)); returns
        (sL_j, sL = sum v_j sL_j, alpha(t) = clip(alpha + sL0 - sL)) at user-cost gap x."""
        d_log = (-(1.0 - rho) * psi * beyond + (1.0 - sigma) * psi * beyond * saving[:, None]
                 - (1.0 - sigma) * capital_to_labour * x[:, None])
        sector_share = np.minimum(1.0, lshare * np.exp(d_log))
        share = (va * sector_share).sum(axis=1)
        return sector_share, share, np.clip(alpha0 + share0 - share, 0.001, 0.999)

    def step_at(x: np.ndarray, beyond: np.ndarray, saving: np.ndarray, log_y0_tfp: np.ndarray,
                log_k: np.ndarray, log_h: np.ndarray, log_y_base: np.ndarray) -> np.ndarray:
        """T(x) (3.4): (1/eps) / (1 + 1/eps) (ln alpha(t) - ln alpha + ln Y_pot - ln Y^base) with
        alpha(t) and Y_pot at x; ``log_y0_tfp`` ln Y0 + ln TFP(t), ``log_k``, ``log_h``
        ln K / K0 and ln H^base / H0."""
        alpha_x = factor_shares(x, beyond, saving)[2]
        log_y_pot_x = log_y0_tfp + alpha_x * log_k + (1.0 - alpha_x) * log_h
        return inverse_eps * (np.log(alpha_x) - np.log(alpha0) + log_y_pot_x
                              - log_y_base) / (1.0 + inverse_eps)

    # ---- state
    capital = col[L.CAPITAL_OUTPUT_RATIO] * col[L.BASE_YEAR_GDP]
    capital_base = capital.copy()
    log_y0 = np.log(col[L.BASE_YEAR_GDP])
    log_k0 = np.log(capital)
    log_h0 = np.log(h_path[:, 0])
    share0 = (va * lshare).sum(axis=1)
    labour_share = share0.copy()
    cost_gap = np.zeros(n)  # ln R - ln R^base, last year's: the fixed point's warm start
    emp = emp_share * h_path[:, [0]]
    demand_prev = emp.copy()
    pool = np.zeros(n)
    realised = np.zeros((n, J))
    a_prev = np.zeros((n, J))
    z_ref = a_ref = w_ref = np.zeros((n, J))
    ln_tfp_ai = np.zeros(n)
    ln_tfp_base = np.zeros(n)
    lam_ai_prev = lam_base_prev = shock_ai_prev = shock_base_prev = None
    direct_prev = np.zeros(n)
    feedback_on = col[L.FEEDBACK_ENABLED] > 0.0
    find_rate = col[L.JOB_FINDING_RATE] * (1.0 - col[L.MOBILITY_DISCOUNT])

    for k in range(T):
        t = years[k]
        dt = t - t0
        # ---- 1.1-1.5 tasks and AI
        grown = np.minimum(col[L.PROFITABLE_SHARE_CEILING], col[L.PROFITABLE_SHARE_START]
                           * (1.0 + col[L.PROFITABLE_SHARE_GROWTH]) ** dt)
        profit_agg = np.minimum(grown, 1.0)
        profit = np.minimum(grown[:, None] * pmult, 1.0)
        iota = col[L.INTENSITY_START] + (col[L.INTENSITY_CEILING] - col[L.INTENSITY_START]) * (
            _normalised_s(t, t0, col[L.INTENSITY_MIDPOINT], col[L.INTENSITY_STEEPNESS]))
        saving = (1.0 - col[L.PARKINSON_REBOUND]) * np.minimum(
            col[L.COST_SAVING_CAP], col[L.COST_SAVING_START] + col[L.COST_SAVING_GROWTH] * dt)
        expo_s = _normalised_s(t, t0, col[L.EXPOSURE_MIDPOINT], col[L.EXPOSURE_STEEPNESS])
        expo = e0 + (ebar - e0) * expo_s[:, None]
        adopt = (weights * (ceil * _logistic(steep * (t - mid)))).sum(axis=2)
        speed = np.where(feedback_on, 1.0 + col[L.REINVESTMENT] * np.maximum(0.0, direct_prev), 1.0)
        adopt = np.minimum(1.0, adopt * speed[:, None])
        used = iota[:, None] * adopt
        affected = expo * profit * used
        # 4.1: the work AI takes over, all of an automated task, the saved time of an augmented one
        work = (psi + (1.0 - psi) * saving[:, None]) * affected
        # ---- 2.1-2.2 sector gains, J-curve
        z = lshare * saving[:, None] * affected * col[L.TRAINING_AMPLIFICATION][:, None]
        if k == 0:
            z_ref, a_ref, w_ref = z * from_base, affected * from_base, work * from_base
            a_prev = affected * from_base
        realised = realised + ((z - z_ref) - realised) / col[L.JCURVE_LAG][:, None]
        drag = col[L.JCURVE_INTANGIBLE_DRAG][:, None]
        gain = realised - drag * np.maximum(0.0, affected - a_prev)
        a_prev = affected
        beyond = affected - a_ref
        work_beyond = np.maximum(0.0, work - w_ref)
        sec[:, k, :, L.SEC_EXPOSURE] = expo
        sec[:, k, :, L.SEC_ADOPTION] = adopt
        sec[:, k, :, L.SEC_AFFECTED_SHARE] = affected
        sec[:, k, :, L.SEC_MEASURED_GAIN] = gain
        direct = (va * gain).sum(axis=1)
        # ---- 3.1-3.3 chained aggregate on both paths, mixed with the immobile-factor CES
        trend = log_growth * dt
        va_ai, va_base = trend + gain, trend
        shock_ai = kappa * va_ai
        shock_base = kappa * va_base
        lam_ai = weights_at(va_ai)
        lam_base = weights_at(va_base)
        if k == 0:
            ln_tfp_ai = (lam_ai * shock_ai).sum(axis=1)
            ln_tfp_base = np.zeros(n)
        else:
            ln_tfp_ai = ln_tfp_ai + (0.5 * (lam_ai + lam_ai_prev)
                                     * (shock_ai - shock_ai_prev)).sum(axis=1)
            ln_tfp_base = ln_tfp_base + (0.5 * (lam_base + lam_base_prev)
                                         * (shock_base - shock_base_prev)).sum(axis=1)
        lam_ai_prev, lam_base_prev = lam_ai, lam_base
        shock_ai_prev, shock_base_prev = shock_ai, shock_base
        mixing = immobile > 0.0
        tfp = np.where(mixing, (1.0 - immobile) * ln_tfp_ai
                       + immobile * _ces_log_tfp(lam0, shock_ai, eta), ln_tfp_ai)
        tfp_base = np.where(mixing, (1.0 - immobile) * ln_tfp_base
                            + immobile * _ces_log_tfp(lam0, shock_base, eta), ln_tfp_base)
        # ---- 4.6 demand shortfall from last year's excess unemployed and labour share
        emp_before = emp.sum(axis=1)
        positive = feedback_on & (emp_before > 0.0)
        safe = np.where(emp_before > 0.0, emp_before, 1.0)
        shortfall = np.where(positive, -(col[L.DEMAND_MULTIPLIER]
                                         * col[L.MARGINAL_PROPENSITY_TO_CONSUME]
                                         * (1.0 - col[L.AUTOMATIC_STABILISERS]) * labour_share
                                         * pool / safe), 0.0)
        # ---- 3.4, 4.5 labour shares, alpha(t), the user cost; baseline and potential output
        h = h_path[:, k]
        log_h = np.log(h) - log_h0
        log_k = np.log(capital) - log_k0
        log_k_base = np.log(capital_base) - log_k0
        log_y_base = log_y0 + tfp_base + alpha0 * log_k_base + (1.0 - alpha0) * log_h
        # capital supply: x = ln R - ln R^base = (1/eps)(ln K* - ln K*^base) with
        # K* = alpha(t) Y_pot / R, i.e. x = T(x) = (1/eps) / (1 + 1/eps) (ln alpha(t) - ln alpha
        # + ln Y_pot - ln Y^base), alpha(t) and Y_pot taken at x: iterated from last year's x
        # as the kernel documents; bisection of x - T(x) for the draws where that fails
        user_cost_step = partial(step_at, beyond=beyond, saving=saving, log_y0_tfp=log_y0 + tfp,
                                 log_k=log_k, log_h=log_h, log_y_base=log_y_base)
        x = np.where(inverse_eps > 0.0, cost_gap, 0.0)
        active = inverse_eps > 0.0
        for _ in range(USER_COST_MAX_ITERATIONS):
            if not active.any():
                break
            x_new = user_cost_step(x)
            done = np.abs(x_new - x) < USER_COST_TOLERANCE
            x = np.where(active, x_new, x)
            active = active & ~done
        if active.any():
            x = _bisect_fixed_point(user_cost_step, x, active)
        cost_gap = x
        sector_share, labour_share, alpha = factor_shares(x, beyond, saving)
        log_y_pot = log_y0 + tfp + alpha * log_k + (1.0 - alpha) * log_h
        y_base = np.exp(log_y_base)
        y_pot = np.exp(log_y_pot)
        pot_gap = log_y_pot - log_y_base
        user_cost_base = cost_path[:, k]
        user_cost = user_cost_base * np.exp(x)
        # ---- 4.1-4.3 labour demand, job destruction, vacancies, the unemployment pool
        growth = np.ones(n) if k == 0 else h / h_path[:, k - 1]
        sector_gap = pot_gap[:, None] + eta[:, None] * (gain - direct[:, None])
        log_demand = ((-psi * (1.0 - rho) * beyond - (1.0 - psi) * saving[:, None] * beyond
                       + col[L.DEMAND_RESPONSE][:, None] * sector_gap)
                      + (shortfall / col[L.OKUN_COEFFICIENT])[:, None])
        demand = emp_share * h[:, None] * np.exp(log_demand)
        change = demand - demand_prev * growth[:, None]
        demand_prev = demand
        emp = emp * growth[:, None]
        falling = change < 0.0
        lost = np.where(falling, np.minimum(-change, emp), 0.0)
        emp = emp - lost
        displaced = lost.sum(axis=1)
        openings = np.where(falling, 0.0, change)
        vacancies = openings.sum(axis=1)
        pool = pool * growth + displaced
        hires = find_rate * pool * np.exp(col[L.HIRING_SENSITIVITY] * shortfall)
        filled = np.minimum(vacancies, hires)
        rest = hires - filled
        has_vac = vacancies > 0.0
        emp = emp + np.where(has_vac[:, None],
                             filled[:, None] * openings / np.where(has_vac, vacancies, 1.0)[:,
                                                                                            None],
                             0.0)
        emp = emp + rest[:, None] * emp_share
        emp_total = emp.sum(axis=1)
        pool = pool - hires
        labour_force = h / (1.0 - col[L.NATURAL_UNEMPLOYMENT])
        # ---- 4.4 cohorts: juniors lose with the work AI took over beyond the base year,
        # relative to the work taken over where the penalty was measured; prime and senior
        # keep the sector total
        penalty = np.minimum(1.0, (col[L.JUNIOR_ENTRY_PENALTY] * (1.0 - col[L.TRAINEESHIP_OFFSET])
                                   / col[L.JUNIOR_REFERENCE_WORK_SHARE])[:, None] * work_beyond)
        older = prime + senior
        junior_kept = junior * (1.0 - penalty)
        rescale = np.where(older > 0.0, (1.0 - junior_kept) / np.where(older > 0.0, older, 1.0),
                           1.0)
        cohort[:, k, :, 0] = emp * junior_kept
        cohort[:, k, :, 1] = emp * prime * rescale
        cohort[:, k, :, 2] = emp * senior * rescale
        # ---- 3.4 actual output and its decomposition, sector value added
        log_emp = np.log(np.maximum(emp_total, 1e-9)) - log_h0
        log_y = log_y0 + tfp + alpha * log_k + (1.0 - alpha) * log_emp
        y = np.exp(log_y)
        employment_part = (1.0 - alpha) * (log_emp - log_h)
        demand_part = (1.0 - alpha) * shortfall / col[L.OKUN_COEFFICIENT]
        demand_part = np.clip(demand_part, np.minimum(0.0, employment_part), 0.0)
        act_gap = log_y - log_y_base
        va_base = va * y_base[:, None]
        sec[:, k, :, L.SEC_VALUE_ADDED_BASELINE] = va_base
        sec[:, k, :, L.SEC_VALUE_ADDED] = va_base * np.exp(act_gap[:, None]
                                                + eta[:, None] * (gain - direct[:, None]))
        sec[:, k, :, L.SEC_EMPLOYMENT] = emp
        sec[:, k, :, L.SEC_EMPLOYMENT_BASELINE] = emp_share * h[:, None]
        sec[:, k, :, L.SEC_LABOUR_SHARE] = sector_share

        out = agg[:, k]
        out[:, L.AGG_LN_TFP] = tfp
        out[:, L.AGG_LN_TFP_BASELINE] = tfp_base
        out[:, L.AGG_DIRECT_GAIN] = direct
        out[:, L.AGG_GDP] = y
        out[:, L.AGG_GDP_BASELINE] = y_base
        out[:, L.AGG_GDP_POTENTIAL] = y_pot
        out[:, L.AGG_CAPITAL] = capital
        out[:, L.AGG_CAPITAL_BASELINE] = capital_base
        out[:, L.AGG_EMPLOYMENT] = emp_total
        out[:, L.AGG_EMPLOYMENT_BASELINE] = h
        out[:, L.AGG_LABOUR_FORCE] = labour_force
        out[:, L.AGG_UNEMPLOYMENT_RATE] = 1.0 - emp_total / labour_force
        out[:, L.AGG_DISPLACED] = displaced
        out[:, L.AGG_REEMPLOYED] = hires
        out[:, L.AGG_PROFITABLE_SHARE] = profit_agg
        out[:, L.AGG_INTENSITY] = iota
        out[:, L.AGG_COST_SAVING] = saving
        out[:, L.AGG_LABOUR_SHARE] = labour_share
        out[:, L.AGG_LABOUR_SHARE_BASELINE] = share0
        out[:, L.AGG_AFFECTED_SHARE] = (emp_share * affected).sum(axis=1)
        out[:, L.AGG_WORK_TAKEN] = (emp_share * work).sum(axis=1)
        out[:, L.AGG_DEMAND_GAP] = shortfall
        out[:, L.AGG_CAPITAL_SHARE] = alpha
        out[:, L.AGG_USER_COST] = user_cost
        out[:, L.AGG_USER_COST_BASELINE] = user_cost_base
        out[:, L.AGG_GDP_FROM_TFP] = tfp - tfp_base
        out[:, L.AGG_GDP_FROM_CAPITAL] = alpha * (log_k - log_h) - alpha0 * (log_k_base - log_h)
        out[:, L.AGG_GDP_FROM_EMPLOYMENT] = employment_part - demand_part
        out[:, L.AGG_GDP_FROM_DEMAND] = demand_part
        direct_prev = direct
        # ---- 3.4 capital: partial adjustment toward alpha(t) Y / R(t), alpha Y^base / R^base
        adjust = col[L.CAPITAL_ADJUSTMENT]
        capital = capital + adjust * (alpha * y / user_cost - capital)
        capital_base = capital_base + adjust * (alpha0 * y_base / user_cost_base - capital_base)
    return agg, sec, cohort
