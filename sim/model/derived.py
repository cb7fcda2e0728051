"""Sector output variables derived from the kernel's packed arrays, in one parallel pass.

Gains are 100 x (ln AI path - ln baseline) (MODEL.md preamble); labour productivity is value
added per person (EUR). Writing every variable into its own contiguous slab of ``out`` avoids
the copies and single-threaded numpy passes that otherwise dominate a large run.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from sim.model import layout as L

SECTOR_OUTPUTS = (
    "sector_tfp_gain_pct", "exposure", "adoption", "affected_share", "employment",
    "employment_baseline", "sector_employment_gain_pct", "sector_value_added",
    "sector_value_added_baseline", "sector_value_added_gain_pct", "sector_labour_productivity",
    "sector_labour_productivity_baseline",
)


@njit(cache=True, parallel=True)
def sector_outputs(sec: np.ndarray, out: np.ndarray) -> None:
    """Fill ``out[v, draw, year, sector]`` in the order of :data:`SECTOR_OUTPUTS`."""
    n, T, J = sec.shape[0], sec.shape[1], sec.shape[2]
    for i in prange(n):
        for k in range(T):
            for j in range(J):
                x = sec[i, k, j]
                emp, emp_base = x[L.X_EMP], x[L.X_EMP_BASE]
                va, va_base = x[L.X_VA], x[L.X_VA_BASE]
                out[0, i, k, j] = 100.0 * x[L.X_GAIN]
                out[1, i, k, j] = x[L.X_EXPOSURE]
                out[2, i, k, j] = x[L.X_ADOPTION]
                out[3, i, k, j] = x[L.X_AFFECTED]
                out[4, i, k, j] = emp
                out[5, i, k, j] = emp_base
                out[6, i, k, j] = 100.0 * (_log(emp) - _log(emp_base))
                out[7, i, k, j] = va
                out[8, i, k, j] = va_base
                out[9, i, k, j] = 100.0 * (_log(va) - _log(va_base))
                out[10, i, k, j] = 1e6 * va / emp if emp > 0.0 else math.nan
                out[11, i, k, j] = 1e6 * va_base / emp_base if emp_base > 0.0 else math.nan


@njit(cache=True, inline="always")
def _log(x: float) -> float:
    """ln x, with -inf at 0 and nan below (as numpy)."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


@njit(cache=True, parallel=True)
def cohort_baseline(sec: np.ndarray, sector: np.ndarray, out: np.ndarray) -> None:
    """Baseline employment by cohort: baseline sector employment x base-year cohort shares."""
    n, T, J = sec.shape[0], sec.shape[1], sec.shape[2]
    for i in prange(n):
        for k in range(T):
            for j in range(J):
                base = sec[i, k, j, L.X_EMP_BASE]
                out[i, k, j, 0] = base * sector[i, j, L.S_JUNIOR]
                out[i, k, j, 1] = base * sector[i, j, L.S_PRIME]
                out[i, k, j, 2] = base * sector[i, j, L.S_SENIOR]
