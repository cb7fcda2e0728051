"""Rank correlations between uncertain parameters, checked when a scenario loads: names, range,
duplicates and positive semi-definiteness (docs/sampling.md, "Correlation")."""

from __future__ import annotations

import math

import numpy as np

from sim import portable
from sim.suggest import did_you_mean

PSD_TOLERANCE = 1e-10  # smallest eigenvalue accepted as >= 0


def spearman_to_pearson(rho_s: np.ndarray) -> np.ndarray:
    """Pearson correlation of a Gaussian copula with Spearman correlation ``rho_s``:
    ``2 sin(pi rho_s / 6)`` (sin through :mod:`sim.portable`)."""
    r = 2.0 * portable.sin(np.pi * np.asarray(rho_s, dtype=np.float64) / 6.0)
    np.fill_diagonal(r, 1.0)
    return r


def check_correlation_matrix(r: np.ndarray, names: tuple[str, ...] | list[str]) -> None:
    d = len(names)
    if r.shape != (d, d):
        raise ValueError(f"correlation matrix must be {d}x{d} (one row per sampled parameter), "
                         f"got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("correlation matrix contains non-finite values")
    if not np.allclose(r, r.T, atol=1e-12, rtol=0):
        raise ValueError("correlation matrix must be symmetric")
    if not np.allclose(np.diag(r), 1.0, atol=1e-12, rtol=0):
        raise ValueError("correlation matrix must have 1 on its diagonal")
    if np.any(np.abs(r) > 1):
        raise ValueError("correlations must lie in [-1, 1]")
    if d:
        smallest = float(np.linalg.eigvalsh(r)[0])
        if smallest < -PSD_TOLERANCE:
            raise ValueError(
                "correlation matrix is not positive semi-definite (smallest eigenvalue "
                f"{smallest:.4g} < 0): the requested correlations are mutually inconsistent; "
                "weaken some of them")


def validate_correlation(names: list[str] | tuple[str, ...],
                         pairs: list[tuple[str, str, float]]) -> np.ndarray:
    """Symmetric rank (Spearman) correlation matrix over ``names`` from ``(a, b, rho)`` pairs.

    Pairs not listed are uncorrelated. Raises ValueError naming every problem: unknown names
    (with a did-you-mean suggestion), a parameter correlated with itself, |rho| > 1,
    duplicated pairs, and a matrix that is not positive semi-definite (smallest eigenvalue).
    """
    names = list(names)
    index = {n: i for i, n in enumerate(names)}
    r = np.eye(len(names))
    problems: list[str] = []
    seen: dict[frozenset[str], int] = {}
    for k, pair in enumerate(pairs):
        if len(pair) != 3:
            problems.append(f"correlation #{k + 1} must be [name, name, rho], got {list(pair)}")
            continue
        a, b, rho = pair
        where = f"correlation #{k + 1} [{a}, {b}, {rho}]"
        bad = False
        for n in (a, b):
            if n not in index:
                hint = did_you_mean(n, names)
                hint = f"; {hint}" if hint else ""
                problems.append(f"{where}: {n!r} is not a parameter with a distribution{hint}")
                bad = True
        try:
            rho = float(rho)
        except (TypeError, ValueError):
            problems.append(f"{where}: rho must be a number")
            continue
        if not (math.isfinite(rho) and -1.0 <= rho <= 1.0):
            problems.append(f"{where}: rho must lie in [-1, 1], got {rho}")
            bad = True
        if a == b:
            problems.append(f"{where}: a parameter cannot be correlated with itself")
            bad = True
        key = frozenset((a, b))
        if key in seen:
            problems.append(f"{where}: duplicate of correlation #{seen[key] + 1}")
            bad = True
        seen.setdefault(key, k)
        if not bad:
            i, j = index[a], index[b]
            r[i, j] = r[j, i] = rho
    if problems:
        raise ValueError("; ".join(problems))
    check_correlation_matrix(r, names)
    return r
