"""Labour: demand, flows through an unemployment pool, cohorts, labour share (MODEL.md 4.1-4.5)."""

from __future__ import annotations

import math

from numba import njit


@njit(cache=True, inline="always")
def labour_demand_gap(automation: float, reinstatement: float, saving: float,
                      affected: float, demand_response: float, output_gap: float) -> float:
    """ln L^d_j - ln L^base_j = -psi (1 - rho) a_j - (1 - psi) c_eff a_j + eps [ln Y_j - ln Y_j^b].

    MODEL.md 4.2; ``output_gap`` is ln Y_j - ln Y_j^base, ``demand_response`` eps (1 in MODEL.md).
    """
    return (-automation * (1.0 - reinstatement) * affected
            - (1.0 - automation) * saving * affected
            + demand_response * output_gap)


@njit(cache=True, inline="always")
def sector_output_gap(aggregate_gap: float, eta: float, gain: float, mean_gain: float) -> float:
    """ln Y_j - ln Y_j^base = (ln Y - ln Y^base) + eta (m_j - m̄) (MODEL.md 4.2)."""
    return aggregate_gap + eta * (gain - mean_gain)


@njit(cache=True, inline="always")
def junior_penalty(penalty: float, offset: float, exposure: float, used: float) -> float:
    """Relative loss of junior employment: pi (1 - traineeship offset) E_j d_j (MODEL.md 4.4).

    Scaled so that fully exposed, fully using work loses ``penalty`` (the published -16 %).
    """
    return penalty * (1.0 - offset) * min(1.0, exposure * used)


@njit(cache=True, inline="always")
def labour_share_change(automation: float, reinstatement: float, task_elasticity: float,
                        affected: float, saving: float) -> float:
    """Δ ln sL ≈ -(1 - rho) psi a + (1 - sigma) psi a c_eff (MODEL.md 4.5, Korinek-Jones 2026).

    The rental-rate term -(1 - sigma)(sK/sL) Δ ln r is zero here: both paths share r(t).
    """
    return (-(1.0 - reinstatement) * automation * affected
            + (1.0 - task_elasticity) * automation * affected * saving)


@njit(cache=True, inline="always")
def log_or_floor(x: float) -> float:
    return math.log(max(x, 1e-300))
