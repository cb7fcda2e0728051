"""Samplers: chunk invariance, seeds, marginals, rank correlation, LHS and Sobol strata."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter
from scipy import stats

from sim.sampling.designs import (
    BLOCK,
    SAMPLERS,
    SamplingPlan,
    _permute,
    sample,
    sample_all,
    uniforms,
    validate_correlation,
)
from sim.scenario.distributions import Distribution

DIST = TypeAdapter(Distribution)
KS_ALPHA = 0.001  # significance level of every Kolmogorov-Smirnov test below
RHO_TOL = 0.02  # tolerance on achieved requested Spearman correlations at n = 20k
# pairs left uncorrelated: sampling sd of Spearman's rho is 1/sqrt(20k) = 0.007, 5 sd:
ZERO_TOL = 0.035

SPECS = {
    "ai.cost_saving": {"dist": "beta", "ci80": [0.2, 0.4]},
    "ai.parkinson_rebound": {"dist": "normal", "mean": 0.1, "sd": 0.05},
    "labour.elasticity": {"dist": "lognormal", "median": 1.5, "sigma": 0.3},
    "diffusion.midpoint": {"dist": "triangular", "low": 2028, "mode": 2032, "high": 2040},
    "sectors.C.exposure": {"dist": "truncnormal", "mean": 0.3, "sd": 0.1, "low": 0, "high": 1},
    "baseline.tfp_growth": {"dist": "uniform", "ci90": [0.0, 0.01]},
    "policy.variant": {"dist": "choice", "values": [1, 2, 3], "weights": [0.5, 0.3, 0.2]},
}
NAMES = tuple(SPECS)
DISTS = tuple(DIST.validate_python(s) for s in SPECS.values())
PAIRS = [("ai.cost_saving", "ai.parkinson_rebound", -0.3),
         ("ai.cost_saving", "labour.elasticity", 0.6),
         ("diffusion.midpoint", "sectors.C.exposure", -0.5)]
CORR = validate_correlation(NAMES, PAIRS)


def plan(sampler: str = "mc", corr: np.ndarray | None = None, seed: int = 7,
         total: int = 10_000, method: str = "gaussian_copula") -> SamplingPlan:
    return SamplingPlan(names=NAMES, dists=DISTS, correlation=corr, sampler=sampler, seed=seed,
                        total=total, method=method)


def chunked(p: SamplingPlan, sizes: list[int]) -> np.ndarray:
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return np.vstack([sample(p, int(s), int(c)) for s, c in zip(starts, sizes, strict=True)])


# ------------------------------------------------------------------------ reproducibility
CHUNKINGS = [
    [10_000],
    [300, 9_700],
    [1, BLOCK - 1, 1, BLOCK, 10_000 - 2 * BLOCK - 1],
    [BLOCK, BLOCK, 10_000 - 2 * BLOCK],
    [777] * 12 + [10_000 - 777 * 12],
    [0, 5_000, 0, 5_000],
]


@pytest.mark.parametrize("with_corr", [False, True], ids=["independent", "correlated"])
@pytest.mark.parametrize("sampler", SAMPLERS)
def test_chunk_invariance_is_bit_identical(sampler: str, with_corr: bool) -> None:
    p = plan(sampler, CORR if with_corr else None)
    whole = sample(p, 0, 10_000)
    assert whole.shape == (10_000, len(NAMES)) and whole.dtype == np.float64
    for sizes in CHUNKINGS:
        parts = chunked(p, sizes)
        assert parts.tobytes() == whole.tobytes(), sizes
    rng = np.random.default_rng(0)
    cuts = np.sort(rng.choice(np.arange(1, 10_000), size=25, replace=False))
    sizes = np.diff(np.concatenate([[0], cuts, [10_000]])).tolist()
    assert chunked(p, sizes).tobytes() == whole.tobytes()
    # a window in the middle equals the same rows of the whole run
    assert sample(p, 4_000, 123).tobytes() == whole[4_000:4_123].tobytes()


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_same_seed_same_draws_different_seed_different(sampler: str) -> None:
    a = sample(plan(sampler, CORR, seed=1), 0, 2_000)
    b = sample(plan(sampler, CORR, seed=1), 0, 2_000)
    c = sample(plan(sampler, CORR, seed=2), 0, 2_000)
    assert a.tobytes() == b.tobytes()
    assert not np.any(np.all(a == c, axis=0))  # every column changes
    assert sample_all(plan(sampler, seed=1, total=500)).shape == (500, len(NAMES))


def test_streams_are_keyed_by_name_for_mc_and_lhs() -> None:
    """Uncorrelated parameters keep their draws when others are added or reordered."""
    for sampler in ("mc", "lhs"):
        full = sample(plan(sampler), 0, 5_000)
        order = [3, 0, 6, 1]
        sub = SamplingPlan(tuple(NAMES[i] for i in order), tuple(DISTS[i] for i in order),
                           None, sampler, 7, 10_000)
        np.testing.assert_array_equal(sample(sub, 0, 5_000), full[:, order])


@pytest.mark.parametrize("sampler,method", [
    *((s, "gaussian_copula") for s in SAMPLERS), ("mc", "iman_conover"), ("lhs", "iman_conover"),
])
@pytest.mark.parametrize("with_corr", [False, True], ids=["independent", "correlated"])
def test_draws_do_not_depend_on_parameter_order(sampler: str, method: str,
                                                with_corr: bool) -> None:
    """Listing the parameters in another order only permutes the columns, for every sampler
    (Sobol dimensions go to the parameters in sorted order of names)."""
    perm = [6, 5, 4, 3, 2, 1, 0]
    names = tuple(NAMES[i] for i in perm)
    corr = validate_correlation(names, PAIRS) if with_corr else None
    n = 3_000
    p = SamplingPlan(names, tuple(DISTS[i] for i in perm), corr, sampler, 7, n, method)
    ref = plan(sampler, CORR if with_corr else None, total=n, method=method)
    np.testing.assert_array_equal(sample(p, 0, n), sample(ref, 0, n)[:, perm])


# ------------------------------------------------------------------------------ marginals
@pytest.mark.parametrize("with_corr", [False, True], ids=["independent", "correlated"])
@pytest.mark.parametrize("sampler", SAMPLERS)
def test_marginals_match_specification_ks(sampler: str, with_corr: bool) -> None:
    """KS at alpha = 0.001, 20k draws, every continuous margin, with and without copula."""
    x = sample(plan(sampler, CORR if with_corr else None, total=20_000), 0, 20_000)
    for j, d in enumerate(DISTS):
        f = d.frozen_scipy()
        if f is None:  # choice: chi-square on the frequencies
            counts = [(x[:, j] == v).sum() for v in d.values]
            assert stats.chisquare(counts, 20_000 * d.probabilities()).pvalue > KS_ALPHA
            continue
        assert stats.kstest(x[:, j], f.cdf).pvalue > KS_ALPHA, NAMES[j]
        lo, hi = d.support()
        assert np.all((x[:, j] >= lo) & (x[:, j] <= hi))


# ---------------------------------------------------------------------------- correlation
@pytest.mark.parametrize("sampler,method", [
    ("mc", "gaussian_copula"), ("lhs", "gaussian_copula"), ("sobol", "gaussian_copula"),
    ("mc", "iman_conover"), ("lhs", "iman_conover"),
])
def test_rank_correlations_are_achieved(sampler: str, method: str) -> None:
    n = 20_000
    x = sample_all(plan(sampler, CORR, total=n, method=method))
    rho = stats.spearmanr(x[:, :6]).statistic
    for a, b, target in PAIRS:
        i, j = NAMES.index(a), NAMES.index(b)
        assert abs(rho[i, j] - target) < RHO_TOL, (a, b, rho[i, j])
    off = np.abs(rho - np.eye(6))[CORR[:6, :6] == 0]
    assert off.max() < ZERO_TOL


def test_rank_correlation_check_can_fail() -> None:
    """Without the copula the requested correlations are missed by far."""
    x = sample_all(plan("mc", None, total=20_000))
    assert abs(stats.spearmanr(x[:, 0], x[:, 2]).statistic - 0.6) > 0.5


def test_independent_parameters_are_uncorrelated() -> None:
    x = sample_all(plan("mc", None, total=20_000))
    rho = stats.spearmanr(x[:, :6]).statistic
    assert np.max(np.abs(rho - np.eye(6))) < ZERO_TOL


def test_iman_conover_needs_the_whole_sample() -> None:
    p = plan("mc", CORR, total=1_000, method="iman_conover")
    with pytest.raises(ValueError, match="needs all draws at once"):
        sample(p, 0, 500)
    assert sample_all(p).tobytes() == sample_all(p).tobytes()


@pytest.mark.parametrize("pairs,message", [
    ([("ai.cost_savings", "labour.elasticity", 0.3)], "did you mean 'ai.cost_saving'"),
    ([("ai.cost_saving", "labour.elasticity", 1.3)], "rho must lie in [-1, 1], got 1.3"),
    ([("ai.cost_saving", "ai.cost_saving", 0.3)], "correlated with itself"),
    ([("ai.cost_saving", "labour.elasticity", 0.3),
      ("labour.elasticity", "ai.cost_saving", 0.2)], "duplicate of correlation #1"),
    ([("ai.cost_saving", "labour.elasticity", 0.9),
      ("labour.elasticity", "ai.parkinson_rebound", 0.9),
      ("ai.cost_saving", "ai.parkinson_rebound", -0.9)],
     "not positive semi-definite (smallest eigenvalue -0.8"),
])
def test_invalid_correlations_name_the_problem(pairs: list, message: str) -> None:
    with pytest.raises(ValueError) as err:
        validate_correlation(NAMES, pairs)
    assert message in str(err.value)


def test_non_psd_matrix_refused_by_plan() -> None:
    bad = np.array([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]])
    with pytest.raises(ValueError, match="smallest eigenvalue"):
        SamplingPlan(NAMES[:3], DISTS[:3], bad, "mc", 1, 10)


def test_psd_boundary_matrix_is_accepted() -> None:
    r = validate_correlation(NAMES[:2], [(NAMES[0], NAMES[1], 1.0)])
    x = sample_all(SamplingPlan(NAMES[:2], DISTS[:2], r, "mc", 1, 5_000))
    assert stats.spearmanr(x).statistic > 0.999


@pytest.mark.parametrize("kwargs,message", [
    ({"sampler": "halton"}, "unknown sampler 'halton'"),
    ({"sampler": "lhs", "total": None}, "lhs sampler needs total"),
    ({"seed": -1}, "non-negative integer"),
    ({"method": "clayton"}, "unknown correlation method"),
    ({"total": 0}, "positive integer"),
])
def test_invalid_plans(kwargs: dict, message: str) -> None:
    base = {"names": NAMES, "dists": DISTS, "correlation": None, "sampler": "mc", "seed": 1,
            "total": 100}
    with pytest.raises(ValueError, match=message):
        SamplingPlan(**{**base, **kwargs})


def test_draws_beyond_total_are_refused() -> None:
    with pytest.raises(ValueError, match="exceed the plan's total"):
        sample(plan("lhs", total=100), 50, 51)


# ------------------------------------------------------------------------------ stratification
@pytest.mark.parametrize("n", [1, 2, 3, 17, 1000, 4097, 65_537])
def test_feistel_permutation_is_a_bijection(n: int) -> None:
    keys = np.arange(1, 5, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    y = _permute(np.arange(n, dtype=np.uint64), n, keys)
    assert np.array_equal(np.sort(y), np.arange(n))


@pytest.mark.parametrize("n", [1, 10, 1000, 9_999])
def test_lhs_each_stratum_holds_exactly_one_point(n: int) -> None:
    p = plan("lhs", None, total=n)
    u = uniforms(p, 0, n)
    for j in range(len(NAMES)):
        strata = np.floor(u[:, j] * n).astype(int)
        assert np.array_equal(np.sort(strata), np.arange(n)), NAMES[j]
    # chunked generation gives the same strata
    parts = np.vstack([uniforms(p, s, min(333, n - s)) for s in range(0, n, 333)])
    assert parts.tobytes() == u.tobytes()


def test_lhs_strata_survive_for_uncorrelated_and_iman_conover_columns() -> None:
    n = 2_000
    cop = uniforms(plan("lhs", CORR, total=n), 0, n)
    ic = uniforms(plan("lhs", CORR, total=n, method="iman_conover"), 0, n)
    free = [NAMES.index("baseline.tfp_growth"), NAMES.index("policy.variant")]
    for j in range(len(NAMES)):
        assert np.array_equal(np.sort(np.floor(ic[:, j] * n)), np.arange(n))
        if j in free:
            assert np.array_equal(np.sort(np.floor(cop[:, j] * n)), np.arange(n))


def test_lhs_check_can_fail_for_plain_mc() -> None:
    n = 1_000
    u = uniforms(plan("mc", None, total=n), 0, n)
    assert not np.array_equal(np.sort(np.floor(u[:, 0] * n)), np.arange(n))


@pytest.mark.parametrize("k", [4, 10, 13])
def test_sobol_each_dyadic_bin_holds_exactly_one_point(k: int) -> None:
    n = 2**k
    p = plan("sobol", None, total=n)
    for start, count in [(0, n), (n, n)]:  # the first and the second block of 2**k points
        bigger = plan("sobol", None, total=2 * n)
        u = uniforms(bigger if start else p, start, count)
        for j in range(len(NAMES)):
            bins = np.floor(u[:, j] * n).astype(int)
            assert np.array_equal(np.sort(bins), np.arange(n)), (k, start, NAMES[j])


def test_no_draw_is_infinite() -> None:
    for sampler in SAMPLERS:
        x = sample_all(plan(sampler, CORR, total=4_096))
        assert np.all(np.isfinite(x))
