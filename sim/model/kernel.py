"""The year-stepping kernel: every block of MODEL.md 1-3 for each draw, in parallel over draws.

Shapes: ``n`` draws, ``T`` years, ``J`` sectors. Inputs are float64 C-contiguous arrays laid out
as in :mod:`sim.model.layout`; outputs are preallocated by the caller and filled in place.
Each draw is computed independently with the same operation order, so results are bit-identical
whatever the number of threads or the chunking of draws.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from sim.model import layout as L
from sim.model.adoption import intensity, size_class_diffusion
from sim.model.capital import next_capital, output
from sim.model.productivity import first_order_gain, measured_gain, realised_gain
from sim.model.tasks import affected_share, effective_saving, exposure, profitability


@njit(cache=True, parallel=True)
def simulate(
    years: np.ndarray,  # (T,)
    scalars: np.ndarray,  # (n, N_SCALARS)
    sector: np.ndarray,  # (n, J, N_SECTOR)
    size_class: np.ndarray,  # (n, 4, N_SIZE_PARAMS)
    real_rate: np.ndarray,  # (n, T)
    labour: np.ndarray,  # (n, T) labour input H(t), same on both paths
    out_exposure: np.ndarray,  # (n, T, J)
    out_adoption: np.ndarray,  # (n, T, J) D_j(t)
    out_affected: np.ndarray,  # (n, T, J) a_j(t)
    out_sector_gain: np.ndarray,  # (n, T, J) m_j(t), log points
    out_profitability: np.ndarray,  # (n, T) P(t) before sector multipliers
    out_intensity: np.ndarray,  # (n, T)
    out_saving: np.ndarray,  # (n, T) c_eff(t)
    out_log_tfp_ai: np.ndarray,  # (n, T) ln TFP_AI(t), MODEL.md 3.1
    out_gdp: np.ndarray,  # (n, T)
    out_gdp_base: np.ndarray,  # (n, T)
    out_capital: np.ndarray,  # (n, T)
    out_capital_base: np.ndarray,  # (n, T)
) -> None:
    """Fill the outputs for every draw (MODEL.md 1.1-1.5, 2.1-2.2, 3.1, 3.4, 5)."""
    n = scalars.shape[0]
    T = years.shape[0]
    J = sector.shape[1]
    t0 = years[0]
    for i in prange(n):
        p = scalars[i]
        realised = np.zeros(J)
        affected_prev = np.zeros(J)
        base_effect = np.zeros(J)
        alpha = p[L.ALPHA]
        capital = p[L.KY0] * p[L.GDP0]
        capital_base = capital
        log_a0 = (
            math.log(p[L.GDP0]) - alpha * math.log(capital)
            - (1.0 - alpha) * math.log(labour[i, 0])
        )
        trend = 0.0
        for j in range(J):
            trend += sector[i, j, L.S_VA] * math.log(1.0 + sector[i, j, L.S_G])
        for k in range(T):
            t = years[k]
            p_t = profitability(t, t0, p[L.P_START], p[L.P_GROWTH], p[L.P_CEIL], 1.0)
            iota = intensity(t, t0, p[L.I_START], p[L.I_CEIL], p[L.I_MID], p[L.I_STEEP])
            c_eff = effective_saving(t, t0, p[L.C_START], p[L.C_GROWTH], p[L.C_CAP],
                                     p[L.THETA])
            out_profitability[i, k] = p_t
            out_intensity[i, k] = iota
            out_saving[i, k] = c_eff
            log_tfp_ai = 0.0
            for j in range(J):
                s = sector[i, j]
                e = exposure(t, t0, s[L.S_E0], s[L.S_EBAR], p[L.E_MID], p[L.E_STEEP])
                d = 0.0
                for c in range(L.N_SIZE_CLASSES):
                    q = size_class[i, c]
                    d += s[L.S_W_MICRO + c] * size_class_diffusion(
                        t, q[L.D_CEIL], q[L.D_MID] + s[L.S_SHIFT], q[L.D_STEEP])
                prof = profitability(t, t0, p[L.P_START], p[L.P_GROWTH], p[L.P_CEIL],
                                     s[L.S_PMULT])
                a = affected_share(e, prof, iota * d)
                z = first_order_gain(s[L.S_LSHARE], c_eff, a)
                if k == 0:
                    base_effect[j] = z * p[L.FROM_BASE]
                    affected_prev[j] = a * p[L.FROM_BASE]
                z -= base_effect[j]
                realised[j] = realised_gain(realised[j], z, p[L.TAU_J])
                m = measured_gain(realised[j], p[L.KAPPA_J], a, affected_prev[j])
                affected_prev[j] = a
                out_exposure[i, k, j] = e
                out_adoption[i, k, j] = d
                out_affected[i, k, j] = a
                out_sector_gain[i, k, j] = m
                log_tfp_ai += s[L.S_VA] * m
            out_log_tfp_ai[i, k] = log_tfp_ai
            log_base = log_a0 + trend * (t - t0)
            y = output(log_base + log_tfp_ai, capital, labour[i, k], alpha)
            y_base = output(log_base, capital_base, labour[i, k], alpha)
            out_gdp[i, k] = y
            out_gdp_base[i, k] = y_base
            out_capital[i, k] = capital
            out_capital_base[i, k] = capital_base
            r = real_rate[i, k]
            capital = next_capital(capital, y, alpha, r, p[L.DELTA], p[L.LAMBDA_K])
            capital_base = next_capital(capital_base, y_base, alpha, r, p[L.DELTA],
                                        p[L.LAMBDA_K])
