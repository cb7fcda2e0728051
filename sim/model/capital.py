"""GDP with capital accumulation toward a user-cost target (MODEL.md 3.4)."""

from __future__ import annotations

import math

from numba import njit


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
