"""GDP with capital accumulation toward a user-cost target (MODEL.md 3.4)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model import layout as L
from sim.model.labour import sector_output_gap


@njit(cache=True, inline="always")
def output(log_tfp: float, capital: float, labour: float, alpha: float) -> float:
    """Y(t) = TFP(t) K(t)^alpha H(t)^(1 - alpha) (MODEL.md 3.4)."""
    return math.exp(log_tfp + alpha * math.log(capital) + (1.0 - alpha) * math.log(labour))


@njit(cache=True, inline="always")
def next_capital(capital: float, gdp: float, alpha: float, real_rate: float,
                 depreciation: float, adjustment: float) -> float:
    """K(t+1) = (1 - delta) K + I, I = delta K + lambda_K (K* - K), K* = alpha Y / (r + delta).

    MODEL.md 3.4. Equivalent to K(t+1) = K(t) + lambda_K (K*(t) - K(t)).
    """
    target = alpha * gdp / (real_rate + depreciation)
    return capital + adjustment * (target - capital)


# ---- blocks of the year loop (sim.model.kernel); containers in sim.model.state

@njit(cache=True, inline="always")
def potential_output(employment_baseline: float, alpha: float, economy,
                     out: np.ndarray) -> float:
    """Baseline GDP and potential GDP (the AI path at baseline employment) (MODEL.md 3.4, 5).

    employment_baseline: H^base(t), persons; alpha: CAPITAL_SHARE; economy: (1,) ECONOMY record
    (reads ln TFP of both paths and K, K^base); out (N_AGG_COLUMNS,) the year's aggregate row
    (writes Y^base, Y_pot, K, K^base, H^base). Returns the potential gap ln Y_pot - ln Y^base.
    """
    e = economy[0]
    y_base = output(e.log_tfp0 + e.ln_tfp_baseline, e.capital_baseline, employment_baseline,
                    alpha)
    y_pot = output(e.log_tfp0 + e.ln_tfp, e.capital, employment_baseline, alpha)
    out[L.AGG_GDP_BASELINE] = y_base
    out[L.AGG_GDP_POTENTIAL] = y_pot
    out[L.AGG_CAPITAL] = e.capital
    out[L.AGG_CAPITAL_BASELINE] = e.capital_baseline
    out[L.AGG_EMPLOYMENT_BASELINE] = employment_baseline
    return math.log(y_pot) - math.log(y_base)


@njit(cache=True, inline="always")
def actual_output(alpha: float, economy, out: np.ndarray) -> float:
    """Y(t) = TFP(t) K(t)^alpha H(t)^(1 - alpha) with the employment of 4.3 (MODEL.md 3.4).

    alpha: CAPITAL_SHARE; economy: (1,) ECONOMY record; out (N_AGG_COLUMNS,) (reads employment
    and Y^base, writes Y). Returns the actual gap ln Y - ln Y^base.
    """
    e = economy[0]
    y = output(e.log_tfp0 + e.ln_tfp, e.capital, max(out[L.AGG_EMPLOYMENT], 1e-9), alpha)
    out[L.AGG_GDP] = y
    return math.log(y) - math.log(out[L.AGG_GDP_BASELINE])


@njit(cache=True, inline="always")
def sector_value_added(actual_gap: float, eta: float, direct: float, sector: np.ndarray,
                       sectors: np.ndarray, out: np.ndarray, sec: np.ndarray) -> None:
    """Value added by sector, VA_j = v_j Y^base exp(ln Y_j - ln Y_j^base) (MODEL.md 4.2, 5).

    actual_gap: ln Y - ln Y^base; eta: FINAL_DEMAND_ELASTICITY; direct: sum_j v_j m_j; sector
    (J, N_SECTOR_COLUMNS); sectors (J,) SECTOR records (gain); out (N_AGG_COLUMNS,) (reads
    Y^base); sec
    (J, N_SEC_COLUMNS) the year's sector rows (writes value added of both paths).
    """
    y_base = out[L.AGG_GDP_BASELINE]
    for j in range(sector.shape[0]):
        va_base = sector[j, L.SECTOR_VALUE_ADDED_SHARE] * y_base
        sec[j, L.SEC_VALUE_ADDED_BASELINE] = va_base
        sec[j, L.SEC_VALUE_ADDED] = va_base * math.exp(
            sector_output_gap(actual_gap, eta, sectors[j].gain, direct))


@njit(cache=True, inline="always")
def accumulate_capital(real_rate: float, p: np.ndarray, economy, out: np.ndarray) -> None:
    """K(t+1) of both paths toward the user-cost target alpha Y / (r + delta) (MODEL.md 3.4).

    real_rate: r(t); p (N_SCALAR_COLUMNS,); economy: (1,) ECONOMY record (updates K, K^base);
    out (N_AGG_COLUMNS,) (reads Y, Y^base).
    """
    e = economy[0]
    alpha = p[L.CAPITAL_SHARE]
    e.capital = next_capital(e.capital, out[L.AGG_GDP], alpha, real_rate, p[L.DEPRECIATION],
                             p[L.CAPITAL_ADJUSTMENT])
    e.capital_baseline = next_capital(e.capital_baseline, out[L.AGG_GDP_BASELINE], alpha,
                                      real_rate, p[L.DEPRECIATION], p[L.CAPITAL_ADJUSTMENT])
