"""Column layout of the kernel's packed arrays (one place, shared by compile, kernel, engine).

Inputs: ``scalars[draw, k]`` per-draw scalar parameters; ``sector[draw, j, k]`` per-draw,
per-sector ones; ``size_class[draw, s, k]`` the logistic diffusion per firm-size class.
Outputs: ``agg[draw, year, k]`` aggregate paths, ``sec[draw, year, j, k]`` sector paths,
``cohort[draw, year, j, c]`` employment by age cohort.
"""

# ---- scalars[draw, k]
E_MID, E_STEEP = 0, 1  # exposure S-curve midpoint and steepness (MODEL.md 1.1)
P_START, P_GROWTH, P_CEIL = 2, 3, 4  # profitability (1.2)
I_START, I_CEIL, I_MID, I_STEEP = 5, 6, 7, 8  # intensity iota(t) (1.3)
C_START, C_GROWTH, C_CAP, THETA = 9, 10, 11, 12  # saving per affected task, rebound (1.5)
TAU_J, KAPPA_J = 13, 14  # J-curve (2.2)
ALPHA, KY0, DELTA, LAMBDA_K = 15, 16, 17, 18  # production and capital (3.4)
GDP0, EMP0 = 19, 20  # base-year levels (5)
FROM_BASE = 21  # 1.0: count gains beyond the base year's AI use; 0.0: from zero
ETA = 22  # CES elasticity of final demand across sectors (3.3)
PSI, RHO, DEMAND_RESP = 23, 24, 25  # automation share, reinstatement, demand response (4.1-4.2)
F_JOB, MU_MOB, U_STAR = 26, 27, 28  # job finding, mobility discount, natural rate (4.3)
SIGMA_T = 29  # elasticity between tasks (4.5)
JUNIOR_PENALTY, TRAINEE_OFFSET = 30, 31  # cohorts (4.4)
FB_ON, MPC, STABILISERS, MULTIPLIER, OKUN, REINVEST = 32, 33, 34, 35, 36, 37  # feedback (4.6)
AMPLIFY = 38  # training amplification of the AI productivity effect (6)
HIRING_SENS = 39  # fall of job finding per unit of demand gap (4.6)
N_SCALARS = 40

# ---- sector[draw, j, k]
S_VA, S_LSHARE, S_E0, S_EBAR, S_PMULT, S_G, S_SHIFT = 0, 1, 2, 3, 4, 5, 6
S_W_MICRO = 7  # size weights micro..large at 7..10
S_KAPPA = 11  # gross-output shock per unit of value-added gain (3.2 convention)
S_BETA0 = 12  # base-year final-demand share beta_j(t0) (3.2-3.3)
S_EMP = 13  # base-year employment share
S_JUNIOR, S_PRIME, S_SENIOR = 14, 15, 16  # cohort shares of sector employment (4.4)
N_SECTOR = 17

# ---- size_class[draw, s, k]
D_CEIL, D_MID, D_STEEP = 0, 1, 2
N_SIZE_PARAMS = 3
N_SIZE_CLASSES = 4

# ---- agg[draw, year, k]
A_TFP_AI = 0  # ln TFP, AI path, relative to base year (chained)
A_TFP_BASE = 1  # ln TFP, baseline path (chained)
A_TFP_DIRECT = 2  # sum_j v_j m_j (3.1)
A_GDP, A_GDP_BASE, A_GDP_POT = 3, 4, 5
A_K, A_K_BASE = 6, 7
A_EMP, A_EMP_BASE, A_LF = 8, 9, 10  # employed persons, baseline, labour force
A_UNEMP = 11  # unemployment rate
A_DISPLACED, A_REEMPLOYED = 12, 13  # persons in the year
A_PROFIT, A_INTENSITY, A_SAVING = 14, 15, 16
A_LSHARE, A_LSHARE_BASE = 17, 18
A_AUTOMATED = 19  # employment-weighted affected task share
A_DEMAND_GAP = 20  # demand shortfall (log points of GDP), 4.6
N_AGG = 21

# ---- sec[draw, year, j, k]
X_EXPOSURE, X_ADOPTION, X_AFFECTED, X_GAIN = 0, 1, 2, 3
X_EMP, X_EMP_BASE = 4, 5
X_VA, X_VA_BASE = 6, 7
N_SEC = 8

N_COHORTS = 3
