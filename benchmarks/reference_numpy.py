"""Independent pure-numpy implementation of the model (docs/model.md, MODEL.md 1-5).

Vectorised over draws and sectors with a Python loop over years only. It is written from the
equations, not from the kernel's helpers: nothing from ``sim.model`` is imported except the
column layout (``sim.model.layout``), and it takes the same :class:`sim.model.inputs.KernelInputs`
and returns the same packed ``(agg, sec, cohort)`` arrays as :func:`sim.model.kernel.simulate`,
so the two can be compared element by element (tests/test_reference_implementation.py) and
timed against each other (benchmarks/test_kernel_bench.py).

Conventions shared with the kernel (docs/model.md): gains counted beyond the base year when
``FROM_BASE`` is 1 (J-curve starting from a(t0 - 1) = a(t0)); the Baumol weights are driven by
the gross-output shocks kappa_j ln A_j and mapped through the Leontief inverse; the chained
aggregate starts from sum_j lambda_j ln A_j in the base year on the AI path; labour demand uses
potential GDP and last year's demand gap (4.6) and labour share (4.5); capital moves at the end
of the year.
"""

from __future__ import annotations

import numpy as np

from sim.model import layout as L


def _logistic(x: np.ndarray) -> np.ndarray:
    """sigma(x) without overflow: e^-|x| / (1 + e^-|x|) mirrored for x >= 0."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _normalised_s(t: float, t0: float, midpoint: np.ndarray, steepness: np.ndarray,
                  ) -> np.ndarray:
    """S(t; t_m, k) = (sigma(k(t - t_m)) - sigma(k(t0 - t_m))) / (1 - sigma(k(t0 - t_m)))."""
    start = _logistic(steepness * (t0 - midpoint))
    return (_logistic(steepness * (t - midpoint)) - start) / (1.0 - start)


def simulate_numpy(inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run every draw of ``inputs`` (a KernelInputs); return packed (agg, sec, cohort)."""
    years = np.asarray(inputs.years, dtype=float)
    P = inputs.scalars  # (n, N_SCALARS)
    S = inputs.sector  # (n, J, N_SECTOR)
    D = inputs.size_class  # (n, 4, N_SIZE_PARAMS)
    rate = inputs.real_rate  # (n, T)
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
    emp_share = S[:, :, L.SECTOR_EMPLOYMENT_SHARE]
    junior = S[:, :, L.SECTOR_JUNIOR_SHARE]
    prime = S[:, :, L.SECTOR_PRIME_SHARE]
    senior = S[:, :, L.SECTOR_SENIOR_SHARE]
    ceil = D[:, :, L.SIZE_CLASS_CEILING][:, None, :]  # (n, 1, 4)
    mid = D[:, :, L.SIZE_CLASS_MIDPOINT][:, None, :] + shift[:, :, None]  # (n, J, 4)
    steep = D[:, :, L.SIZE_CLASS_STEEPNESS][:, None, :]

    alpha, eta = col[L.CAPITAL_SHARE], col[L.FINAL_DEMAND_ELASTICITY]
    from_base = col[L.GAINS_FROM_BASE_YEAR][:, None]
    baumol = eta != 1.0  # (n,) draws whose weights move (3.3)
    lam0 = beta0 @ leontief if network else beta0.copy()

    def weights_at(log_a: np.ndarray) -> np.ndarray:
        """lambda(t): Baumol-shifted final-demand shares through (I - Omega)^-1 (3.2-3.3)."""
        if not baumol.any():
            return lam0
        expo = (eta[:, None] - 1.0) * log_a
        expo -= np.maximum(0.0, expo.max(axis=1, keepdims=True))
        beta = beta0 * np.exp(expo)
        beta *= beta0.sum(axis=1, keepdims=True) / beta.sum(axis=1, keepdims=True)
        lam = beta @ leontief if network else beta
        return np.where(baumol[:, None], lam, lam0)

    # ---- state
    capital = col[L.CAPITAL_OUTPUT_RATIO] * col[L.BASE_YEAR_GDP]
    capital_base = capital.copy()
    log_tfp0 = (np.log(col[L.BASE_YEAR_GDP]) - alpha * np.log(capital)
                - (1.0 - alpha) * np.log(h_path[:, 0]))
    share0 = (va * lshare).sum(axis=1)
    labour_share = share0.copy()
    emp = emp_share * h_path[:, [0]]
    demand_prev = emp.copy()
    pool = np.zeros(n)
    realised = np.zeros((n, J))
    a_prev = np.zeros((n, J))
    z_ref = a_ref = x_ref = np.zeros((n, J))
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
        # ---- 2.1-2.2 sector gains, J-curve
        z = lshare * saving[:, None] * affected * col[L.TRAINING_AMPLIFICATION][:, None]
        x_use = np.minimum(1.0, expo * used)
        if k == 0:
            z_ref, a_ref, x_ref = z * from_base, affected * from_base, x_use * from_base
            a_prev = affected * from_base
        realised = realised + ((z - z_ref) - realised) / col[L.JCURVE_LAG][:, None]
        drag = col[L.JCURVE_INTANGIBLE_DRAG][:, None]
        gain = realised - drag * np.maximum(0.0, affected - a_prev)
        a_prev = affected
        beyond = affected - a_ref
        used_beyond = np.maximum(0.0, x_use - x_ref)
        sec[:, k, :, L.SEC_EXPOSURE] = expo
        sec[:, k, :, L.SEC_ADOPTION] = adopt
        sec[:, k, :, L.SEC_AFFECTED_SHARE] = affected
        sec[:, k, :, L.SEC_MEASURED_GAIN] = gain
        direct = (va * gain).sum(axis=1)
        mean_beyond = (va * beyond).sum(axis=1)
        automated = (emp_share * affected).sum(axis=1)
        # ---- 3.1-3.3 chained aggregate on both paths
        trend = log_growth * dt
        shock_ai = kappa * (trend + gain)
        shock_base = kappa * trend
        lam_ai = weights_at(shock_ai)
        lam_base = weights_at(shock_base)
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
        # ---- 3.4 potential and baseline output
        h = h_path[:, k]
        log_h = np.log(h)
        y_base = np.exp(log_tfp0 + ln_tfp_base + alpha * np.log(capital_base)
                        + (1.0 - alpha) * log_h)
        y_pot = np.exp(log_tfp0 + ln_tfp_ai + alpha * np.log(capital) + (1.0 - alpha) * log_h)
        pot_gap = np.log(y_pot) - np.log(y_base)
        # ---- 4.6 demand shortfall from last year's excess unemployed
        emp_before = emp.sum(axis=1)
        positive = feedback_on & (emp_before > 0.0)
        safe = np.where(emp_before > 0.0, emp_before, 1.0)
        shortfall = np.where(positive, -(col[L.DEMAND_MULTIPLIER]
                                         * col[L.MARGINAL_PROPENSITY_TO_CONSUME]
                                         * (1.0 - col[L.AUTOMATIC_STABILISERS]) * labour_share
                                         * pool / safe), 0.0)
        # ---- 4.1-4.3 labour demand, job destruction, vacancies, the unemployment pool
        growth = np.ones(n) if k == 0 else h / h_path[:, k - 1]
        sector_gap = pot_gap[:, None] + eta[:, None] * (gain - direct[:, None])
        psi, rho = col[L.AUTOMATION_SHARE][:, None], col[L.REINSTATEMENT][:, None]
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
        # ---- 4.4 cohorts: the junior share falls, prime and senior keep the sector total
        penalty = (col[L.JUNIOR_ENTRY_PENALTY] * (1.0 - col[L.TRAINEESHIP_OFFSET]))[:, None] * (
            np.minimum(1.0, used_beyond))
        older = prime + senior
        junior_kept = junior * (1.0 - penalty)
        rescale = np.where(older > 0.0, (1.0 - junior_kept) / np.where(older > 0.0, older, 1.0),
                           1.0)
        cohort[:, k, :, 0] = emp * junior_kept
        cohort[:, k, :, 1] = emp * prime * rescale
        cohort[:, k, :, 2] = emp * senior * rescale
        # ---- 3.4 actual output, 4.5 labour share, sector value added
        y = np.exp(log_tfp0 + ln_tfp_ai + alpha * np.log(capital)
                   + (1.0 - alpha) * np.log(np.maximum(emp_total, 1e-9)))
        d_share = (-(1.0 - col[L.REINSTATEMENT]) * col[L.AUTOMATION_SHARE] * mean_beyond
                   + (1.0 - col[L.TASK_ELASTICITY]) * col[L.AUTOMATION_SHARE] * mean_beyond
                   * saving)
        labour_share = np.minimum(0.999, share0 * np.exp(d_share))
        act_gap = np.log(y) - np.log(y_base)
        va_base = va * y_base[:, None]
        sec[:, k, :, L.SEC_VALUE_ADDED_BASELINE] = va_base
        sec[:, k, :, L.SEC_VALUE_ADDED] = va_base * np.exp(act_gap[:, None]
                                                + eta[:, None] * (gain - direct[:, None]))
        sec[:, k, :, L.SEC_EMPLOYMENT] = emp
        sec[:, k, :, L.SEC_EMPLOYMENT_BASELINE] = emp_share * h[:, None]

        out = agg[:, k]
        out[:, L.AGG_LN_TFP] = ln_tfp_ai
        out[:, L.AGG_LN_TFP_BASELINE] = ln_tfp_base
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
        out[:, L.AGG_AFFECTED_SHARE] = automated
        out[:, L.AGG_DEMAND_GAP] = shortfall
        direct_prev = direct
        # ---- 3.4 capital: partial adjustment toward alpha Y / (r + delta)
        user_cost = rate[:, k] + col[L.DEPRECIATION]
        capital = capital + col[L.CAPITAL_ADJUSTMENT] * (alpha * y / user_cost - capital)
        capital_base = capital_base + col[L.CAPITAL_ADJUSTMENT] * (alpha * y_base / user_cost
                                                         - capital_base)
    return agg, sec, cohort
