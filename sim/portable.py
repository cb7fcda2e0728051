"""Elementary functions whose bits do not depend on the CPU the run is on.

numpy computes ``np.exp``, ``np.log``, ``np.sin`` ... on float64 arrays with SIMD kernels chosen
at run time from the CPU's instruction sets (AVX-512 machines get their own implementations),
and OpenBLAS picks its Cholesky kernels the same way. Those results can differ in the last bit
from one machine to another, so a sample drawn on one machine would not be bit-identical to the
same sample drawn on another (measured: the golden results of tests/golden, made on a machine
with AVX-512, differed in the last bits of 40 variables on one without it; docs/sampling.md,
reproducibility). The sampling stage therefore computes its transcendental functions here,
through the C library one value at a time (what ``math`` does: the same code on every x86-64
CPU with FMA, as numba's kernels), and its small Cholesky factors with an explicit loop.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _elementwise(f: Callable[[float], float], x: np.ndarray | float,
                 overflow: float = math.nan) -> np.ndarray:
    """``f`` applied to every value of ``x`` (a new float64 array of its shape); a value for
    which ``f`` overflows gives ``overflow``, one outside its domain nan (numpy's results)."""
    a = np.asarray(x, dtype=np.float64)

    def safe(v: float) -> float:
        try:
            return f(v)
        except OverflowError:
            return overflow
        except ValueError:
            return -math.inf if v == 0.0 else math.nan

    return np.fromiter(map(safe, a.ravel().tolist()), np.float64, a.size).reshape(a.shape)


def exp(x: np.ndarray | float) -> np.ndarray:
    """e**x elementwise (overflow to +inf, as ``np.exp``)."""
    return _elementwise(math.exp, x, overflow=math.inf)


def log(x: np.ndarray | float) -> np.ndarray:
    """ln x elementwise (-inf at 0, nan below, as ``np.log``)."""
    return _elementwise(math.log, x)


def sin(x: np.ndarray | float) -> np.ndarray:
    """sin x elementwise."""
    return _elementwise(math.sin, x)


def cholesky(r: np.ndarray) -> np.ndarray:
    """Lower Cholesky factor of the symmetric positive definite ``r`` (small: a correlation
    matrix), by the Cholesky-Banachiewicz recurrence with sums in index order; raises
    ``np.linalg.LinAlgError`` when ``r`` is not positive definite, as ``np.linalg.cholesky``."""
    a = np.asarray(r, dtype=np.float64)
    n = a.shape[0]
    low = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1):
            s = 0.0
            for k in range(j):
                s += float(low[i, k]) * float(low[j, k])
            if i == j:
                d = float(a[i, i]) - s
                if not d > 0.0:
                    raise np.linalg.LinAlgError("matrix is not positive definite")
                low[i, j] = math.sqrt(d)
            else:
                low[i, j] = (float(a[i, j]) - s) / float(low[j, j])
    return low
