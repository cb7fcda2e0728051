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


def inverse(a: np.ndarray) -> np.ndarray:
    """Inverse of the square ``a`` (small: a Leontief matrix) by Gauss-Jordan elimination with
    partial pivoting, in elementwise numpy operations (exactly rounded, in a fixed order);
    raises ``np.linalg.LinAlgError`` when ``a`` is singular, as ``np.linalg.inv``."""
    m = np.array(a, dtype=np.float64)
    n = m.shape[0]
    out = np.eye(n)
    for k in range(n):
        p = k + int(np.argmax(np.abs(m[k:, k])))
        if not m[p, k] != 0.0:
            raise np.linalg.LinAlgError("singular matrix")
        if p != k:
            m[[k, p]] = m[[p, k]]
            out[[k, p]] = out[[p, k]]
        pivot = m[k, k]
        m[k] = m[k] / pivot
        out[k] = out[k] / pivot
        factor = m[:, k].copy()
        factor[k] = 0.0
        m -= factor[:, None] * m[k][None, :]
        out -= factor[:, None] * out[k][None, :]
    return out


def solve_lower(low: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x`` with ``low @ x = b`` for a lower-triangular ``low`` (forward substitution; ``b``
    (n,) or (n, m)), sums in index order."""
    x = np.array(b, dtype=np.float64)
    for i in range(low.shape[0]):
        for k in range(i):
            x[i] = x[i] - low[i, k] * x[k]
        x[i] = x[i] / low[i, i]
    return x


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for 2-D arrays with a short inner dimension, summed over it in index order
    (BLAS would pick its kernel, and so its rounding, from the CPU)."""
    out = np.zeros((a.shape[0], b.shape[1]))
    for k in range(a.shape[1]):
        out += a[:, k, None] * b[None, k, :]
    return out


def corrcoef(m: np.ndarray) -> np.ndarray:
    """Pearson correlation matrix of the columns of ``m`` (as ``np.corrcoef(m, rowvar=False)``,
    through :func:`matmul` instead of BLAS)."""
    d = m - m.mean(axis=0)
    cov = matmul(d.T, d)
    s = np.sqrt(np.diag(cov))
    r = cov / (s[:, None] * s[None, :])
    np.fill_diagonal(r, 1.0)
    return r
