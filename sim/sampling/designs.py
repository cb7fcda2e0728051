"""Monte Carlo, Latin hypercube and scrambled Sobol sampling of scenario parameters.

Draws are generated here in numpy and passed to the kernels (see ``docs/sampling.md``).

Reproducibility contract
------------------------
* All randomness derives from one root seed through :class:`numpy.random.SeedSequence`, with
  stateless child streams ``SeedSequence(seed, spawn_key=(stream, ...))``.
* The rows for a global draw index are bit-identical whatever ``(start, count)`` chunking is
  used: ``np.vstack([sample(p, 0, 300), sample(p, 300, 700)])`` equals ``sample(p, 0, 1000)``.
  Plain Monte Carlo and the Latin-hypercube jitter are generated in fixed blocks of
  :data:`BLOCK` draws, one stream per (parameter name, block); a chunk assembles the blocks it
  overlaps. Latin-hypercube strata come from a keyed pseudo-random permutation (a Feistel
  network with cycle walking) that is evaluated for the chunk's rows only. Sobol points come
  from ``scipy.stats.qmc.Sobol(...).fast_forward(start)``.
* What changes results: the seed, the sampler, the parameter names and their distributions,
  the correlation matrix and method, the total number of draws for ``lhs`` (strata are
  1/total wide) and for ``iman_conover``, and, for ``sobol`` only, the *set* of parameter
  names (Sobol dimension k goes to the k-th parameter in sorted order of names).
* What does not: the order in which parameters are listed, for every sampler and method
  (draws are keyed by dotted name: a scenario with its sectors listed in another order gets
  the same draws for ``sectors.C.exposure``). For ``mc`` and ``lhs`` each parameter's stream
  is keyed by its *name*, so adding or removing other parameters leaves it unchanged too
  (common random numbers across scenario variants), as long as it is uncorrelated.
* Changing :data:`BLOCK`, the stream tags or the Feistel construction changes results; they are
  part of the contract.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import special
from scipy.stats import qmc

from sim import portable
from sim.scenario.correlations import (
    check_correlation_matrix,
    spearman_to_pearson,
    validate_correlation,
)

__all__ = [
    "BLOCK",
    "METHODS",
    "SAMPLERS",
    "SamplingPlan",
    "sample",
    "sample_all",
    "spearman_to_pearson",
    "validate_correlation",
]

SAMPLERS: tuple[str, ...] = ("mc", "lhs", "sobol")
METHODS: tuple[str, ...] = ("gaussian_copula", "iman_conover")

BLOCK = 4096
"""Draws per random block for ``mc`` and the ``lhs`` jitter (part of the reproducibility
contract: changing it changes results)."""

SOBOL_BITS = 30
"""Bits of the scrambled Sobol sequence: at most 2**30 draws."""

U_MIN = 2.0**-53
U_MAX = 1.0 - 2.0**-53
"""Uniforms are clipped to [U_MIN, U_MAX] before inverse CDFs so no draw is infinite."""

# stream tags of the SeedSequence spawn keys
_MC, _LHS_PERM, _LHS_JITTER, _SOBOL, _IMAN_CONOVER = 0, 1, 2, 3, 4
_FEISTEL_ROUNDS = 4


def _name_key(name: str) -> int:
    """A stable 64-bit integer for a parameter name (independent of Python's hash seed)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def _stream(seed: int, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


# ------------------------------------------------------------------------------------- plan
@dataclass(frozen=True, eq=False)
class SamplingPlan:
    """What to sample: named distributions, optional rank correlation, sampler and seed.

    ``correlation`` is a Spearman matrix over ``names`` (see :func:`validate_correlation`) or
    None. ``total`` is the total number of draws of the run: required for ``lhs`` (the strata
    are 1/total wide) and ``iman_conover``; when given, draws beyond it are refused.
    """

    names: tuple[str, ...]
    dists: tuple[Any, ...]
    correlation: np.ndarray | None = None
    sampler: str = "mc"
    seed: int = 0
    total: int | None = None
    method: str = "gaussian_copula"

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(self, "dists", tuple(self.dists))
        if len(self.names) != len(self.dists):
            raise ValueError(f"{len(self.names)} names but {len(self.dists)} distributions")
        dupes = sorted({n for n in self.names if self.names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate parameter names: {', '.join(dupes)}")
        for n, d in zip(self.names, self.dists, strict=True):
            if not (hasattr(d, "ppf") and hasattr(d, "support")):
                raise ValueError(f"{n}: expected a distribution, got {d!r}")
        if self.sampler not in SAMPLERS:
            raise ValueError(f"unknown sampler {self.sampler!r}; choose one of "
                             f"{', '.join(SAMPLERS)}")
        if self.method not in METHODS:
            raise ValueError(f"unknown correlation method {self.method!r}; choose one of "
                             f"{', '.join(METHODS)}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) \
                or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        object.__setattr__(self, "seed", int(self.seed))
        if self.total is not None:
            if isinstance(self.total, bool) or not isinstance(self.total, int | np.integer) \
                    or self.total < 1:
                raise ValueError(f"total must be a positive integer, got {self.total!r}")
            object.__setattr__(self, "total", int(self.total))
        if self.total is None and (self.sampler == "lhs" or self.method == "iman_conover"):
            what = "the lhs sampler" if self.sampler == "lhs" else "iman_conover"
            raise ValueError(f"{what} needs total (the total number of draws of the run)")
        if self.sampler == "sobol" and self.total is not None and self.total > 2**SOBOL_BITS:
            raise ValueError(f"sobol supports at most 2**{SOBOL_BITS} draws, got {self.total}")
        if self.correlation is not None:
            r = np.array(self.correlation, dtype=np.float64)
            check_correlation_matrix(r, self.names)
            r.setflags(write=False)
            object.__setattr__(self, "correlation", r)

    @cached_property
    def _keys(self) -> tuple[int, ...]:
        return tuple(_name_key(n) for n in self.names)

    @cached_property
    def by_name(self) -> tuple[int, ...]:
        """Indices of the parameters in sorted order of their dotted names: Sobol dimension k
        goes to parameter ``by_name[k]``, so the order in which parameters are listed (e.g. the
        sectors of a scenario file) does not change any parameter's draws."""
        return tuple(sorted(range(len(self.names)), key=lambda i: self.names[i]))

    @cached_property
    def correlated(self) -> tuple[int, ...]:
        """Indices of correlated parameters, ordered by name (so results do not depend on the
        order in which parameters are listed)."""
        if self.correlation is None:
            return ()
        off = self.correlation - np.eye(len(self.names))
        idx = [i for i in range(len(self.names)) if np.any(off[i] != 0)]
        return tuple(sorted(idx, key=lambda i: self.names[i]))

    @cached_property
    def _factor(self) -> np.ndarray:
        """Lower Cholesky factor of the Gaussian-copula Pearson matrix of the correlated set.

        The Spearman-to-Pearson map can turn a PSD matrix into a slightly indefinite one; it is
        then projected to the nearest PSD correlation matrix (eigenvalues clipped at 1e-10).
        """
        cols = list(self.correlated)
        r = spearman_to_pearson(self.correlation[np.ix_(cols, cols)])
        try:
            return portable.cholesky(r)
        except np.linalg.LinAlgError:
            w, v = np.linalg.eigh(r)
            r = (v * np.clip(w, 1e-10, None)) @ v.T
            s = np.sqrt(np.diag(r))
            r = r / np.outer(s, s)
            return portable.cholesky(r + 1e-12 * np.eye(len(cols)))

    @property
    def dim(self) -> int:
        return len(self.names)


# ------------------------------------------------------------------------------- uniforms
def _blocks(start: int, count: int):
    """(block, lo, hi) global row ranges of the blocks that [start, start+count) overlaps."""
    if count == 0:
        return
    for b in range(start // BLOCK, (start + count - 1) // BLOCK + 1):
        yield b, max(start, b * BLOCK), min(start + count, (b + 1) * BLOCK)


def _blocked_uniforms(plan: SamplingPlan, tag: int, start: int, count: int) -> np.ndarray:
    """Uniforms in [0, 1) for rows [start, start+count), shape (dim, count): one stream per
    (name, block)."""
    out = np.empty((plan.dim, count))
    for b, lo, hi in _blocks(start, count):
        base = b * BLOCK
        for j, key in enumerate(plan._keys):
            vals = _stream(plan.seed, tag, key, b).random(hi - base)
            out[j, lo - start:hi - start] = vals[lo - base:]
    return out


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (uint64 arithmetic wraps)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def _feistel(x: np.ndarray, keys: np.ndarray, half: int) -> np.ndarray:
    mask, sh = np.uint64((1 << half) - 1), np.uint64(half)
    left, right = x >> sh, x & mask
    for k in keys:
        left, right = right, left ^ (_mix(right ^ k) & mask)
    return (left << sh) | right


def _permute(i: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """Keyed pseudo-random permutation of range(n) evaluated at indices ``i``.

    A balanced Feistel network on 2*half bits (a bijection of [0, 4**half)) restricted to
    [0, n) by cycle walking, which is again a bijection; 4**half < 4 n so walks are short.
    """
    half = max(1, ((n - 1).bit_length() + 1) // 2)
    y = _feistel(i.astype(np.uint64), keys, half)
    idx = np.flatnonzero(y >= n)
    while idx.size:
        y[idx] = _feistel(y[idx], keys, half)
        idx = idx[y[idx] >= n]
    return y


def _lhs_uniforms(plan: SamplingPlan, start: int, count: int) -> np.ndarray:
    n = plan.total
    u = _blocked_uniforms(plan, _LHS_JITTER, start, count)
    rows = np.arange(start, start + count, dtype=np.uint64)
    for j, key in enumerate(plan._keys):
        keys = np.random.SeedSequence(plan.seed, spawn_key=(_LHS_PERM, key)).generate_state(
            _FEISTEL_ROUNDS, np.uint64)
        strata = _permute(rows, n, keys).astype(np.float64)
        u[j] += strata
        u[j] /= n
    return u


def _sobol_uniforms(plan: SamplingPlan, start: int, count: int) -> np.ndarray:
    if start + count > 2**SOBOL_BITS:
        raise ValueError(f"sobol supports at most 2**{SOBOL_BITS} draws")
    engine = qmc.Sobol(plan.dim, scramble=True, bits=SOBOL_BITS,
                       rng=_stream(plan.seed, _SOBOL))
    if start:
        engine.fast_forward(start)
    with warnings.catch_warnings():  # balance wants powers of two: documented, not warned
        warnings.simplefilter("ignore", UserWarning)
        points = engine.random(count).T
    u = np.empty((plan.dim, count))
    u[list(plan.by_name)] = points  # dimension k -> the k-th parameter by name
    u += 2.0 ** -(SOBOL_BITS + 1)  # centre of the 2**-30 cell: never exactly 0
    return u


# ----------------------------------------------------------------------------- correlation
def _gaussian_copula(plan: SamplingPlan, u: np.ndarray) -> None:
    """Row-wise Gaussian copula in place on u of shape (dim, count); chunk-invariant: every
    draw is transformed on its own with a fixed summation order (no BLAS)."""
    cols = list(plan.correlated)
    L = plan._factor
    z = special.ndtri(np.clip(u[cols], U_MIN, U_MAX))
    for a, col in enumerate(cols):
        acc = L[a, 0] * z[0]
        for k in range(1, a + 1):
            acc += L[a, k] * z[k]
        u[col] = special.ndtr(acc)


def _iman_conover(plan: SamplingPlan, u: np.ndarray) -> None:
    """Iman-Conover (1982) rank reordering in place: marginals (and LHS strata) are kept
    exactly; needs the whole sample."""
    cols = list(plan.correlated)
    n = u.shape[1]
    if n < len(cols) + 2:
        raise ValueError(f"iman_conover needs more draws than parameters, got {n}")
    rng = _stream(plan.seed, _IMAN_CONOVER)
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    m = np.column_stack([rng.permutation(scores) for _ in cols])
    f = portable.cholesky(portable.corrcoef(m))
    p = portable.cholesky(spearman_to_pearson(plan.correlation[np.ix_(cols, cols)]))
    t = portable.matmul(portable.solve_lower(f, m.T).T, p.T)  # (sim.portable: no BLAS)
    for a, col in enumerate(cols):
        ranks = np.argsort(np.argsort(t[:, a], kind="stable"), kind="stable")
        u[col] = np.sort(u[col])[ranks]


# ---------------------------------------------------------------------------------- sample
def uniforms(plan: SamplingPlan, start: int, count: int) -> np.ndarray:
    """The correlated uniform design (count, dim) for draws [start, start+count), before the
    inverse CDFs; values in [U_MIN, U_MAX]. Column-major (each parameter contiguous)."""
    if isinstance(start, bool) or isinstance(count, bool) or int(start) != start \
            or int(count) != count or start < 0 or count < 0:
        raise ValueError(f"start and count must be non-negative integers, got {start}, {count}")
    start, count = int(start), int(count)
    if plan.total is not None and start + count > plan.total:
        raise ValueError(f"draws [{start}, {start + count}) exceed the plan's total of "
                         f"{plan.total}")
    if plan.dim == 0:
        return np.empty((0, count)).T
    if plan.sampler == "mc":
        u = _blocked_uniforms(plan, _MC, start, count)
    elif plan.sampler == "lhs":
        u = _lhs_uniforms(plan, start, count)
    else:
        u = _sobol_uniforms(plan, start, count)
    if plan.correlated:
        if plan.method == "gaussian_copula":
            _gaussian_copula(plan, u)
        else:
            if start != 0 or count != plan.total:
                raise ValueError(
                    "iman_conover reorders the whole sample, so it needs all draws at once "
                    f"(start=0, count=total={plan.total}), got start={start} count={count}; "
                    "use method gaussian_copula for chunked runs")
            _iman_conover(plan, u)
    np.clip(u, U_MIN, U_MAX, out=u)
    return u.T


def sample(plan: SamplingPlan, start: int, count: int) -> np.ndarray:
    """Parameter values (count, len(names)) float64 for global draws [start, start+count).

    Rows depend only on the plan and the global draw index, never on the chunking. The array
    is column-major (Fortran order): each parameter's column is contiguous.
    """
    u = uniforms(plan, start, count).T
    out = np.empty_like(u)
    for j, dist in enumerate(plan.dists):
        out[j] = dist.ppf(u[j])
    return out.T


def sample_all(plan: SamplingPlan) -> np.ndarray:
    """All ``plan.total`` draws at once."""
    if plan.total is None:
        raise ValueError("sample_all needs a plan with total set")
    return sample(plan, 0, plan.total)
