"""Column layout of the kernel's packed arrays, shared by inputs, kernel, outputs and engine.

Inputs: ``scalars[draw, k]`` per-draw scalar parameters; ``sector[draw, j, k]`` per-draw,
per-sector ones; ``size_class[draw, s, k]`` the logistic diffusion per firm-size class.
Outputs, year-major (a draw writes one contiguous row a year; the output pass reads a year
of all draws as one block): ``agg[year, draw, k]`` aggregate paths, ``sec[year, draw, j, k]``
sector paths, ``cohort[year, draw, j, c]`` employment by age cohort.

Naming: a column's prefix names its array: none for ``scalars``, ``SECTOR_`` for ``sector``,
``SIZE_CLASS_`` for ``size_class``, ``AGG_`` for ``agg``, ``SEC_`` for ``sec``, ``COHORT_`` for
``cohort``; ``N_*`` are the lengths of the last axes. "Baseline" is the no-AI path (MODEL.md 5).
The comment on each constant cites its block in MODEL.md (docs/model.md). Plain module-level
ints, so numba folds them into the compiled kernels as constants.
"""

# ---- scalars[draw, k]
EXPOSURE_MIDPOINT = 0  # t_E of the exposure S-curve S(t; t_E, k_E) (1.1)
EXPOSURE_STEEPNESS = 1  # k_E (1.1)
PROFITABLE_SHARE_START = 2  # P0, profitable share of exposed tasks in the base year (1.2)
PROFITABLE_SHARE_GROWTH = 3  # g_P (1.2)
PROFITABLE_SHARE_CEILING = 4  # P̄ (1.2)
INTENSITY_START = 5  # iota_0, intensity of use (1.3)
INTENSITY_CEILING = 6  # iota_bar (1.3)
INTENSITY_MIDPOINT = 7  # t_iota (1.3)
INTENSITY_STEEPNESS = 8  # k_iota (1.3)
COST_SAVING_START = 9  # c0, saving per affected task in the base year (1.5)
COST_SAVING_GROWTH = 10  # g_c (1.5)
COST_SAVING_CAP = 11  # c̄ (1.5)
PARKINSON_REBOUND = 12  # theta, share of the saving lost to rebound (1.5)
JCURVE_LAG = 13  # tau_J, years for a gain to be realised (2.2)
JCURVE_INTANGIBLE_DRAG = 14  # kappa_J, measured loss per unit of new adoption (2.2)
CAPITAL_SHARE = 15  # alpha (3.4)
CAPITAL_OUTPUT_RATIO = 16  # K/Y in the base year (3.4)
DEPRECIATION = 17  # delta (3.4)
CAPITAL_ADJUSTMENT = 18  # lambda_K, speed toward the user-cost target (3.4)
BASE_YEAR_GDP = 19  # Y(t0) (5)
BASE_YEAR_EMPLOYMENT = 20  # H(t0), persons (5)
GAINS_FROM_BASE_YEAR = 21  # 1.0: count gains beyond the base year's AI use; 0.0: from zero (1-2)
FINAL_DEMAND_ELASTICITY = 22  # eta, CES elasticity of final demand across sectors (3.3)
AUTOMATION_SHARE = 23  # psi, share of affected tasks automated rather than augmented (4.1)
REINSTATEMENT = 24  # rho, new tasks per automated task (4.1)
DEMAND_RESPONSE = 25  # eps, labour demand per unit of sector output gap (4.2)
JOB_FINDING_RATE = 26  # f, yearly outflow rate of the unemployment pool (4.3)
MOBILITY_DISCOUNT = 27  # mu, loss of job finding from moving between sectors (4.3)
NATURAL_UNEMPLOYMENT = 28  # u*, unemployment rate of the baseline (4.3)
TASK_ELASTICITY = 29  # sigma, elasticity of substitution between tasks (4.5)
JUNIOR_ENTRY_PENALTY = 30  # pi, loss of junior employment at full exposure and use (4.4)
TRAINEESHIP_OFFSET = 31  # share of the junior penalty offset by traineeships (4.4)
FEEDBACK_ENABLED = 32  # 1.0 when the demand feedback is on, else 0.0 (4.6)
MARGINAL_PROPENSITY_TO_CONSUME = 33  # of the displaced's lost income (4.6)
AUTOMATIC_STABILISERS = 34  # share of lost income replaced by benefits and taxes (4.6)
DEMAND_MULTIPLIER = 35  # Keynesian multiplier on the spending shortfall (4.6)
OKUN_COEFFICIENT = 36  # output gap per unit of employment gap (4.6)
REINVESTMENT = 37  # adoption speed-up per unit of last year's direct gain (4.6)
TRAINING_AMPLIFICATION = 38  # training's amplification of the AI productivity effect (6)
HIRING_SENSITIVITY = 39  # fall of job finding per unit of demand gap (4.6)
INVERSE_CAPITAL_SUPPLY_ELASTICITY = 40  # 1 / epsilon; 0 = user cost on its exogenous path (3.4)
IMMOBILE_SHARE = 41  # weight of the immobile-factor (CES) aggregate; 0 = mobile factors (3.3)
JUNIOR_REFERENCE_WORK_SHARE = 42  # work AI took over where the junior penalty was measured (4.4)
N_SCALAR_COLUMNS = 43

# ---- sector[draw, j, k]
SECTOR_VALUE_ADDED_SHARE = 0  # v_j, base-year value-added share (3.1)
SECTOR_LABOUR_SHARE = 1  # sL_j, base-year labour share of value added (2.1, 4.5)
SECTOR_BASE_EXPOSURE = 2  # E0_j (1.1)
SECTOR_EXPOSURE_CEILING = 3  # Ē_j (1.1)
SECTOR_PROFITABILITY_MULTIPLIER = 4  # P_j(t) / P(t) before the cap at 1 (1.2)
SECTOR_TFP_GROWTH = 5  # g_j, baseline TFP growth per year (5)
SECTOR_MIDPOINT_SHIFT = 6  # years added to every size class's diffusion midpoint (1.3)
SECTOR_SIZE_WEIGHTS = 7  # w_js, micro, small, medium, large at 7..10, summing to 1 (1.3)
SECTOR_GROSS_OUTPUT_FACTOR = 11  # kappa_j, gross-output shock per value-added gain (3.2)
SECTOR_FINAL_DEMAND_SHARE = 12  # beta_j(t0), base-year final-demand share (3.2-3.3)
SECTOR_EMPLOYMENT_SHARE = 13  # base-year share of employment (4.2)
SECTOR_JUNIOR_SHARE = 14  # junior cohort's share of sector employment (4.4)
SECTOR_PRIME_SHARE = 15  # prime-age cohort's share (4.4)
SECTOR_SENIOR_SHARE = 16  # senior cohort's share (4.4)
SECTOR_OUTSIDE_COST_SHARE = 17  # 1 - sum_i Omega_ji: costs not bought from domestic sectors (3.3)
N_SECTOR_COLUMNS = 18

# ---- size_class[draw, s, k], s = micro, small, medium, large
SIZE_CLASS_CEILING = 0  # D̄_s, long-run adoption share (1.3)
SIZE_CLASS_MIDPOINT = 1  # tau_s, year of half the ceiling (1.3)
SIZE_CLASS_STEEPNESS = 2  # k_s (1.3)
N_SIZE_CLASS_COLUMNS = 3
N_SIZE_CLASSES = 4

# ---- agg[year, draw, k]
AGG_LN_TFP = 0  # ln TFP, AI path, relative to the base year, chained (3.3)
AGG_LN_TFP_BASELINE = 1  # ln TFP, baseline path, chained (3.3, 5)
AGG_DIRECT_GAIN = 2  # sum_j v_j m_j, the direct (Hulten) gain (3.1)
AGG_GDP = 3  # Y, actual (3.4, 4.6)
AGG_GDP_BASELINE = 4  # Y^base (3.4, 5)
AGG_GDP_POTENTIAL = 5  # Y at baseline employment (3.4)
AGG_CAPITAL = 6  # K (3.4)
AGG_CAPITAL_BASELINE = 7  # K^base (3.4)
AGG_EMPLOYMENT = 8  # employed persons (4.3)
AGG_EMPLOYMENT_BASELINE = 9  # H^base, baseline employment, persons (5)
AGG_LABOUR_FORCE = 10  # H^base / (1 - u*) (4.3)
AGG_UNEMPLOYMENT_RATE = 11  # 1 - employment / labour force (4.3)
AGG_DISPLACED = 12  # persons displaced in the year (4.3)
AGG_REEMPLOYED = 13  # persons hired from the pool in the year (4.3)
AGG_PROFITABLE_SHARE = 14  # P(t) (1.2)
AGG_INTENSITY = 15  # iota(t) (1.3)
AGG_COST_SAVING = 16  # c_eff(t) (1.5)
AGG_LABOUR_SHARE = 17  # sL(t), AI path (4.5)
AGG_LABOUR_SHARE_BASELINE = 18  # sL(t0) (4.5)
AGG_AFFECTED_SHARE = 19  # employment-weighted affected task share (1.4)
AGG_DEMAND_GAP = 20  # demand shortfall, log points of GDP (4.6)
AGG_CAPITAL_SHARE = 21  # alpha(t) = alpha + sL(t0) - sL(t), AI path (3.4, 4.5)
AGG_USER_COST = 22  # R(t) = r(t) + delta, AI path, with the capital-supply response (3.4)
AGG_USER_COST_BASELINE = 23  # R^base(t) = r(t) + delta (3.4)
AGG_GDP_FROM_TFP = 24  # ln TFP - ln TFP^base, log points (3.4 decomposition)
AGG_GDP_FROM_CAPITAL = 25  # alpha ln(k / k0) - alpha0 ln(k^base / k0), k = K / H^base (3.4)
AGG_GDP_FROM_EMPLOYMENT = 26  # (1 - alpha) ln(H / H^base) less the demand part (3.4, 4.3)
AGG_GDP_FROM_DEMAND = 27  # Okun share of the employment term, (1 - alpha) g^D / Okun (4.6)
AGG_WORK_TAKEN = 28  # employment-weighted hours AI takes over, (psi + (1 - psi) c_eff) a_j (4.1)
N_AGG_COLUMNS = 29

# ---- sec[year, draw, j, k]
SEC_EXPOSURE = 0  # E_j(t) (1.1)
SEC_ADOPTION = 1  # D_j(t), with the reinvestment speed-up (1.3, 4.6)
SEC_AFFECTED_SHARE = 2  # a_j(t) (1.4)
SEC_MEASURED_GAIN = 3  # m_j(t), after the J-curve (2.2)
SEC_EMPLOYMENT = 4  # persons (4.3)
SEC_EMPLOYMENT_BASELINE = 5  # persons (5)
SEC_VALUE_ADDED = 6  # (4.2)
SEC_VALUE_ADDED_BASELINE = 7  # (5)
SEC_LABOUR_SHARE = 8  # sL_j(t), AI path (4.5)
N_SEC_COLUMNS = 9

# ---- cohort[year, draw, j, c]
COHORT_JUNIOR = 0  # (4.4)
COHORT_PRIME = 1  # (4.4)
COHORT_SENIOR = 2  # (4.4)
N_COHORTS = 3


# ---- where each scalar column comes from: the scenario's dotted path, copied per draw by
# sim.model.inputs.compile_inputs. Columns not listed are derived there (policy levers of
# section 6, the easy/hard composite saving, switches); a new plain parameter is one entry.
SCALAR_SOURCES: dict[int, str] = {
    EXPOSURE_STEEPNESS: "ai.exposure.steepness",
    PROFITABLE_SHARE_START: "ai.profitable_share.start",
    PROFITABLE_SHARE_GROWTH: "ai.profitable_share.growth",
    PROFITABLE_SHARE_CEILING: "ai.profitable_share.ceiling",
    INTENSITY_START: "diffusion.intensity.start",
    INTENSITY_CEILING: "diffusion.intensity.ceiling",
    INTENSITY_MIDPOINT: "diffusion.intensity.midpoint",
    INTENSITY_STEEPNESS: "diffusion.intensity.steepness",
    COST_SAVING_GROWTH: "ai.cost_saving_growth",
    COST_SAVING_CAP: "ai.cost_saving_cap",
    PARKINSON_REBOUND: "ai.parkinson_rebound",
    JCURVE_LAG: "jcurve.lag",
    JCURVE_INTANGIBLE_DRAG: "jcurve.intangible_drag",
    CAPITAL_SHARE: "baseline.capital_share",
    CAPITAL_OUTPUT_RATIO: "baseline.capital_output_ratio",
    DEPRECIATION: "baseline.depreciation",
    CAPITAL_ADJUSTMENT: "baseline.capital_adjustment",
    BASE_YEAR_GDP: "baseline.gdp",
    BASE_YEAR_EMPLOYMENT: "baseline.employment",
    FINAL_DEMAND_ELASTICITY: "structural_change.elasticity",
    AUTOMATION_SHARE: "labour.automation_share",
    DEMAND_RESPONSE: "labour.demand_response",
    MOBILITY_DISCOUNT: "labour.mobility_discount",
    NATURAL_UNEMPLOYMENT: "labour.natural_unemployment",
    TASK_ELASTICITY: "labour.task_elasticity",
    JUNIOR_ENTRY_PENALTY: "labour.cohorts.junior_entry_penalty",
    TRAINEESHIP_OFFSET: "labour.cohorts.traineeship_offset",
    MARGINAL_PROPENSITY_TO_CONSUME: "feedback.mpc",
    AUTOMATIC_STABILISERS: "feedback.stabilisers",
    DEMAND_MULTIPLIER: "feedback.multiplier",
    OKUN_COEFFICIENT: "feedback.okun",
    REINVESTMENT: "feedback.reinvestment",
    JUNIOR_REFERENCE_WORK_SHARE: "labour.cohorts.reference_work_share",
}
