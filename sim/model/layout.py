"""Column layout of the kernel's parameter arrays (one place, shared by compile and kernel).

``scalars[draw, k]`` holds per-draw scalar parameters; ``sector[draw, j, k]`` per-draw,
per-sector ones; ``size_class[draw, s, k]`` the logistic diffusion per firm-size class.
"""

# scalars[draw, k]
E_MID, E_STEEP = 0, 1  # exposure S-curve midpoint and steepness (MODEL.md 1.1)
P_START, P_GROWTH, P_CEIL = 2, 3, 4  # profitability (1.2)
I_START, I_CEIL, I_MID, I_STEEP = 5, 6, 7, 8  # intensity iota(t) (1.3)
C_START, C_GROWTH, C_CAP, THETA = 9, 10, 11, 12  # saving per affected task, rebound (1.5)
TAU_J, KAPPA_J = 13, 14  # J-curve (2.2)
ALPHA, KY0, DELTA, LAMBDA_K = 15, 16, 17, 18  # production and capital (3.4)
GDP0, EMP0 = 19, 20  # base-year levels (5)
FROM_BASE = 21  # 1.0: count gains beyond the base year's AI use; 0.0: from zero
N_SCALARS = 22

# sector[draw, j, k]
S_VA, S_LSHARE, S_E0, S_EBAR, S_PMULT, S_G, S_SHIFT = 0, 1, 2, 3, 4, 5, 6
S_W_MICRO = 7  # size weights micro..large at 7..10
N_SECTOR = 11

# size_class[draw, s, k]
D_CEIL, D_MID, D_STEEP = 0, 1, 2
N_SIZE_PARAMS = 3
N_SIZE_CLASSES = 4
