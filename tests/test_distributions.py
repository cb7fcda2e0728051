"""Distribution specifications: validation, marginals (KS), ci80/ci90 shorthands, ppf."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from scipy import special, stats

from sim.scenario.distributions import Beta, Choice, Distribution, check_within, is_distribution

PARAM = TypeAdapter(float | Distribution)
DIST = TypeAdapter(Distribution)
KS_ALPHA = 0.001  # significance level of every Kolmogorov-Smirnov test below
N_KS = 20_000
N_CI = 100_000


def make(spec: dict):
    return DIST.validate_python(spec)


CONTINUOUS = [
    {"dist": "normal", "mean": 0.27, "sd": 0.05},
    {"dist": "lognormal", "median": 1.5, "sigma": 0.4},
    {"dist": "uniform", "low": -1.0, "high": 3.0},
    {"dist": "triangular", "low": 0.0, "mode": 0.2, "high": 1.0},
    {"dist": "beta", "a": 2.5, "b": 7.0},
    {"dist": "beta", "a": 0.6, "b": 0.8, "low": 2.0, "high": 5.0},
    {"dist": "truncnormal", "mean": 0.3, "sd": 0.2, "low": 0.0, "high": 1.0},
    {"dist": "truncnormal", "mean": -1.0, "sd": 0.5, "low": 0.5, "high": math.inf},
]


def _uniform_draws(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(n)


# --------------------------------------------------------------------------- type adapter
def test_param_accepts_number_and_distribution() -> None:
    assert PARAM.validate_python(0.27) == 0.27
    d = PARAM.validate_python({"dist": "normal", "mean": 0.27, "sd": 0.05})
    assert is_distribution(d)
    assert d.describe() == "normal(mean=0.27, sd=0.05)"
    assert d.mean() == 0.27


def test_unknown_family_is_refused_with_the_known_tags() -> None:
    with pytest.raises(ValidationError) as err:
        PARAM.validate_python({"dist": "normall", "mean": 0.27, "sd": 0.05})
    text = str(err.value)
    assert "'normall'" in text
    for tag in ("normal", "lognormal", "uniform", "triangular", "beta", "truncnormal", "choice"):
        assert f"'{tag}'" in text


def test_unknown_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="stdev"):
        PARAM.validate_python({"dist": "normal", "mean": 0.27, "stdev": 0.05})


def test_models_are_frozen_and_hashable() -> None:
    d = make({"dist": "normal", "mean": 0.27, "sd": 0.05})
    with pytest.raises(ValidationError):
        d.sd = 1.0  # type: ignore[misc]
    assert hash(d) == hash(make({"dist": "normal", "mean": 0.27, "sd": 0.05}))


@pytest.mark.parametrize("spec", [
    *CONTINUOUS,
    {"dist": "beta", "ci80": [0.2, 0.4]},
    {"dist": "truncnormal", "ci90": [0.1, 0.3], "low": 0, "high": 1},
    {"dist": "choice", "values": [1, 2, 3], "weights": [0.2, 0.3, 0.5]},
])
def test_dump_reloads_identically(spec: dict) -> None:
    class M(BaseModel):
        x: float | Distribution

    m = M(x=spec)
    dumped = m.model_dump(mode="json")
    assert dumped["x"]["dist"] == spec["dist"]
    assert None not in dumped["x"].values()
    again = M(**dumped)
    u = np.linspace(0.01, 0.99, 7)
    np.testing.assert_array_equal(again.x.ppf(u), m.x.ppf(u))


# ------------------------------------------------------------------------------ invalid specs
@pytest.mark.parametrize(("spec", "message"), [
    ({"dist": "normal", "mean": 0.3, "sd": -0.1}, "sd must be >= 0, got -0.1"),
    ({"dist": "uniform", "low": 0.5, "high": 0.2}, "low must be < high, got low=0.5 high=0.2"),
    ({"dist": "uniform", "low": 0.5, "high": 0.5}, "low must be < high"),
    ({"dist": "triangular", "low": 0, "mode": 2, "high": 1}, "mode must lie in [low, high]"),
    ({"dist": "beta", "a": 0, "b": 2}, "a > 0 and b > 0"),
    ({"dist": "beta", "a": 1, "b": 2, "low": 1, "high": 0}, "low must be < high"),
    ({"dist": "lognormal", "median": -1, "sigma": 0.2}, "median must be > 0"),
    ({"dist": "lognormal", "median": 1, "sigma": -0.2}, "sigma must be >= 0"),
    ({"dist": "truncnormal", "mean": 0, "sd": 0, "low": 0, "high": 1}, "sd must be > 0"),
    ({"dist": "truncnormal", "mean": 0, "sd": 1, "low": 1, "high": 0}, "low must be < high"),
    ({"dist": "truncnormal", "mean": 100, "sd": 1, "low": 0, "high": 1}, "less than 1e-12"),
    ({"dist": "choice", "values": [1, 2], "weights": [-0.5, 1.5]}, "weights must be >= 0"),
    ({"dist": "choice", "values": [1, 2], "weights": [0.5, 0.6]}, "must sum to 1, got sum 1.1"),
    ({"dist": "choice", "values": [1, 2], "weights": [1.0]}, "2 values but 1 weights"),
    ({"dist": "choice", "values": []}, "at least one value"),
    ({"dist": "normal", "mean": 0.3}, "missing: sd"),
    ({"dist": "normal", "mean": 0.3, "ci80": [0.2, 0.4]}, "either mean, sd or ci80, not both"),
    ({"dist": "normal", "ci80": [0.2, 0.4], "ci90": [0.1, 0.5]}, "ci80 or ci90, not both"),
    ({"dist": "normal", "ci80": [0.4, 0.2]}, "lo < hi"),
    ({"dist": "lognormal", "ci80": [0.0, 2.0]}, "lo > 0"),
    ({"dist": "beta", "ci80": [0.2, 1.4]}, "strictly inside"),
    ({"dist": "truncnormal", "ci80": [0.05, 0.95], "low": 0, "high": 1}, "cannot spread"),
    ({"dist": "triangular", "mode": 0.3, "ci80": [0.2, 0.4]}, "not both"),
    ({"dist": "normal", "mean": math.nan, "sd": 1}, "finite"),
    ({"dist": "choice", "values": [1, 2], "ci80": [1, 2]}, "ci80"),
])
def test_invalid_specs_name_the_problem(spec: dict, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        make(spec)
    assert message in str(err.value)


# ------------------------------------------------------------------------------- marginals
@pytest.mark.parametrize("spec", CONTINUOUS, ids=lambda s: s["dist"])
def test_marginal_matches_specification_ks(spec: dict) -> None:
    """KS test at alpha = 0.001 of ppf(uniform) against the scipy distribution, 20k draws."""
    d = make(spec)
    x = d.ppf(_uniform_draws(N_KS, 1))
    assert stats.kstest(x, d.frozen_scipy().cdf).pvalue > KS_ALPHA


@pytest.mark.parametrize("spec", CONTINUOUS, ids=lambda s: s["dist"])
def test_ppf_agrees_with_scipy(spec: dict) -> None:
    d = make(spec)
    u = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(d.ppf(u), d.frozen_scipy().ppf(u), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("spec", CONTINUOUS, ids=lambda s: s["dist"])
def test_mean_is_the_expectation(spec: dict) -> None:
    d = make(spec)
    assert d.mean() == pytest.approx(float(d.frozen_scipy().mean()), rel=1e-9, abs=1e-12)


def test_ks_test_can_fail() -> None:
    """The KS check above has power: a shifted normal is rejected."""
    d = make({"dist": "normal", "mean": 0.27, "sd": 0.05})
    x = d.ppf(_uniform_draws(N_KS, 1)) + 0.005
    assert stats.kstest(x, d.frozen_scipy().cdf).pvalue < KS_ALPHA


def test_choice_frequencies_and_mapping() -> None:
    d = make({"dist": "choice", "values": [10, 20, 30], "weights": [0.2, 0.3, 0.5]})
    assert isinstance(d, Choice)
    np.testing.assert_array_equal(d.ppf(np.array([0.0, 0.1999, 0.2, 0.4999, 0.5, 0.9999])),
                                  [10, 10, 20, 20, 30, 30])
    x = d.ppf(_uniform_draws(N_KS, 2))
    counts = np.array([(x == v).sum() for v in (10, 20, 30)])
    assert stats.chisquare(counts, N_KS * np.array([0.2, 0.3, 0.5])).pvalue > KS_ALPHA
    assert d.mean() == pytest.approx(23.0)
    assert d.support() == (10.0, 30.0)


def test_fast_beta_ppf_matches_betaincinv() -> None:
    for a, b in [(2.5, 7.0), (0.6, 0.8), (10.03, 23.7), (200.0, 300.0), (0.3, 4.0)]:
        d = Beta(dist="beta", a=a, b=b)
        u = _uniform_draws(200_000, 3)
        x = d.ppf(u)
        assert np.max(np.abs(special.betainc(a, b, x) - u)) < 1e-9
        # elementwise: a value does not depend on the size of the array it came in
        np.testing.assert_array_equal(d.ppf(u[:5]), x[:5])


# ---------------------------------------------------------------------------- ci shorthands
@pytest.mark.parametrize("kind,mass", [("ci80", 0.80), ("ci90", 0.90)])
@pytest.mark.parametrize("spec", [
    {"dist": "normal"},
    {"dist": "lognormal"},
    {"dist": "beta"},
    {"dist": "uniform"},
    {"dist": "triangular"},
    {"dist": "truncnormal", "low": 0.0, "high": 1.0},
    {"dist": "beta", "low": 0.1, "high": 0.9},
], ids=lambda s: s["dist"] if isinstance(s, dict) else None)
def test_ci_shorthand_puts_the_mass_inside(spec: dict, kind: str, mass: float) -> None:
    """100k draws: the share inside the interval is 80 % (90 %) +- 1 %, exact in theory."""
    lo, hi = 0.2, 0.4
    d = make({**spec, kind: [lo, hi]})
    f = d.frozen_scipy()
    assert f.cdf(hi) - f.cdf(lo) == pytest.approx(mass, abs=1e-6)
    assert f.cdf(lo) == pytest.approx((1 - mass) / 2, abs=1e-6)  # central interval
    x = d.ppf(_uniform_draws(N_CI, 4))
    inside = np.mean((x >= lo) & (x <= hi))
    assert abs(inside - mass) < 0.01
    assert kind in d.describe()


def test_ci_conversions_are_the_documented_ones() -> None:
    z = special.ndtri(0.9)
    n = make({"dist": "normal", "ci80": [0.2, 0.4]})
    assert n.mean() == pytest.approx(0.3)
    assert n.frozen_scipy().std() == pytest.approx(0.1 / z)
    ln = make({"dist": "lognormal", "ci80": [1.0, 4.0]})
    assert ln.frozen_scipy().median() == pytest.approx(2.0)
    u = make({"dist": "uniform", "ci80": [0.2, 0.4]})
    assert u.support() == pytest.approx((0.175, 0.425))
    t = make({"dist": "triangular", "ci80": [0.2, 0.4]})
    assert t.frozen_scipy().median() == pytest.approx(0.3)
    b1 = make({"dist": "beta", "ci80": [0.2, 0.4]})
    b2 = make({"dist": "beta", "ci80": [0.2, 0.4]})
    assert b1.describe() == b2.describe()  # the numerical solve is reproducible


# ----------------------------------------------------------------------------- check_within
def test_check_within_share() -> None:
    normal = make({"dist": "normal", "mean": 0.27, "sd": 0.05})
    msg = check_within(normal, 0.0, 1.0)
    assert msg is not None and "leaves [0, 1]" in msg and "beta" in msg and "truncnormal" in msg
    assert check_within(make({"dist": "beta", "ci80": [0.2, 0.4]}), 0.0, 1.0) is None
    assert check_within(make({"dist": "uniform", "low": -0.1, "high": 0.5}), 0, 1) is not None
    assert check_within(make({"dist": "choice", "values": [0.1, 0.9]}), 0, 1) is None
    assert check_within(0.5, 0, 1) is None
    assert check_within(1.5, 0, 1) is not None


def test_check_within_positive() -> None:
    ln = make({"dist": "lognormal", "median": 1.0, "sigma": 0.5})
    assert check_within(ln, 1e-12, math.inf) is None  # open bound at 0 is fine
    assert check_within(ln, 0.5, math.inf) is not None
    msg = check_within(make({"dist": "normal", "mean": 1, "sd": 0.1}), 0.0, math.inf)
    assert msg is not None and "lognormal" in msg


# ------------------------------------------------------------------------------ properties
finite = st.floats(-1e3, 1e3, allow_nan=False)
positive = st.floats(0.05, 50.0)


@st.composite
def distributions(draw: st.DrawFn):
    kind = draw(st.sampled_from(["normal", "lognormal", "uniform", "triangular", "beta",
                                 "truncnormal", "choice"]))
    if kind == "normal":
        return make({"dist": kind, "mean": draw(finite), "sd": draw(st.floats(0, 100))})
    if kind == "lognormal":
        return make({"dist": kind, "median": draw(st.floats(1e-3, 1e3)),
                     "sigma": draw(st.floats(0, 3))})
    if kind == "beta":
        return make({"dist": kind, "a": draw(positive), "b": draw(positive)})
    if kind == "choice":
        values = draw(st.lists(finite, min_size=1, max_size=6))
        return make({"dist": kind, "values": values})
    lo = draw(finite)
    hi = lo + draw(st.floats(1e-3, 1e3))
    if kind == "uniform":
        return make({"dist": kind, "low": lo, "high": hi})
    if kind == "triangular":
        mode = lo + (hi - lo) * draw(st.floats(0, 1))
        return make({"dist": kind, "low": lo, "mode": min(max(mode, lo), hi), "high": hi})
    mean = draw(st.floats(lo - 2 * (hi - lo), hi + 2 * (hi - lo)))
    return make({"dist": kind, "mean": mean, "sd": hi - lo, "low": lo, "high": hi})


@settings(max_examples=150, deadline=None)
@given(d=distributions(), u=st.lists(st.floats(2.0**-53, 1 - 2.0**-53), min_size=2,
                                     max_size=50))
def test_ppf_is_monotone_and_within_support(d, u) -> None:
    u = np.sort(np.asarray(u))
    x = d.ppf(u)
    assert x.dtype == np.float64 and x.shape == u.shape
    assert np.all(np.isfinite(x))
    assert np.all(np.diff(x) >= 0)
    lo, hi = d.support()
    assert np.all(x >= lo) and np.all(x <= hi)
    assert lo <= d.mean() <= hi or math.isclose(d.mean(), lo) or math.isclose(d.mean(), hi)


def test_a_beta_loaded_again_reuses_its_table_and_samples_the_same() -> None:
    """The inverse-CDF table is a function of (a, b) alone, kept across specs (the explorer
    and sweeps load the same scenario again and again); shared arrays are read-only."""
    u = np.linspace(0.0005, 0.9995, 2001)
    first = Beta.model_validate({"dist": "beta", "ci80": [0.02, 0.25]})
    again = Beta.model_validate({"dist": "beta", "ci80": [0.02, 0.25]})
    x, y = first.ppf(u), again.ppf(u)
    assert first._table is again._table
    assert np.array_equal(x, y)
    assert all(not a.flags.writeable for a in first._table)
    a, b = first._p[:2]
    np.testing.assert_allclose(x, stats.beta.ppf(u, a, b), rtol=0, atol=1e-9)
