"""Invariants of the deterministic core (hypothesis property tests, MODEL.md 1-3.1)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.scenario.schema import Scenario
from tests.conftest import scenario_dict, with_value

FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def run_dict(data) -> sim.runner.engine.xr.Dataset:
    return sim.run(Scenario.model_validate(data))


_with = with_value


shares = st.floats(0.05, 0.95)


@FAST
@given(e=shares, c=shares, g=st.floats(0.0, 0.1))
def test_zero_exposure_gives_zero_gain(e, c, g):
    data = scenario_dict()
    for code in data["sectors"]:
        data["sectors"][code]["exposure"] = 0.0
    data = _with(data, "ai.exposure.ceiling", None)
    data = _with(data, "ai.cost_saving", c)
    data = _with(data, "ai.profitable_share.growth", g)
    ds = run_dict(data)
    assert np.all(ds["tfp_gain_pct"].values == 0.0)
    assert np.all(ds["gdp_gain_pct"].values == 0.0)


@FAST
@given(c=shares)
def test_zero_diffusion_gives_zero_gain(c):
    data = _with(scenario_dict(), "ai.cost_saving", c)
    for s in ("micro", "small", "medium", "large"):
        data["diffusion"]["size_classes"][s]["ceiling"] = 0.0
    ds = run_dict(data)
    assert np.all(ds["affected_share"].values == 0.0)
    assert np.all(ds["tfp_gain_pct"].values == 0.0)


def test_zero_saving_gives_zero_gain():
    data = _with(scenario_dict(), "ai.cost_saving", 0.0)
    ds = run_dict(_with(data, "labour.automation_share", 0.0))
    assert np.all(ds["tfp_gain_pct"].values == 0.0)
    assert np.all(ds["gdp_gain_pct"].values == 0.0)
    assert np.all(ds["employment_gain_pct"].values == 0.0)
    assert ds["affected_share"].values.max() > 0  # tasks are affected, but nothing is saved


def test_so_so_automation_costs_jobs_and_output_without_tfp():
    """Zero saving with automation: tasks move to AI at no cost gain, workers are displaced
    and GDP dips while they search (Acemoglu-Restrepo 'so-so automation', MODEL.md 4.1-4.3)."""
    ds = run_dict(_with(scenario_dict(), "ai.cost_saving", 0.0)).sel(draw=0)
    assert np.all(ds["tfp_gain_pct"].values == 0.0)
    assert ds["displaced"].values.sum() > 0
    assert ds["employment_gain_pct"].values.min() < 0
    assert ds["gdp_gain_pct"].values.min() < 0


@FAST
@given(c1=st.floats(0.01, 0.45), lag=st.floats(1.0, 6.0))
def test_direct_aggregate_linear_in_saving_without_drag(c1, lag):
    """With kappa_J = 0, ln TFP_AI is linear in c (MODEL.md 2.1-3.1): doubling c doubles it."""
    data = _with(scenario_dict(), "jcurve", {"lag": lag, "intangible_drag": 0.0})
    one = run_dict(_with(data, "ai.cost_saving", c1))["tfp_gain_pct"].values
    two = run_dict(_with(data, "ai.cost_saving", 2 * c1))["tfp_gain_pct"].values
    np.testing.assert_allclose(two, 2 * one, rtol=1e-12, atol=1e-15)


@FAST
@given(which=st.sampled_from(["C", "G", "J"]), drag=st.floats(0.0, 3.0))
def test_splitting_a_sector_in_two_halves_leaves_aggregates_unchanged(which, drag):
    data = _with(scenario_dict(), "jcurve.intangible_drag", drag)
    split = copy.deepcopy(data)
    spec = split["sectors"].pop(which)
    for half in ("1", "2"):
        part = dict(spec)
        part["value_added"] = spec["value_added"] / 2
        part["employment"] = spec["employment"] / 2
        split["sectors"][which + half] = part
    a, b = run_dict(data), run_dict(split)
    for var in ("tfp_gain_pct", "gdp_gain_pct", "gdp", "labour_productivity_gain_pct"):
        np.testing.assert_allclose(a[var].values, b[var].values, rtol=1e-12, atol=1e-12)


@FAST
@given(perm=st.permutations(["C", "G", "J"]))
def test_reordering_sectors_permutes_outputs_only(perm):
    data = scenario_dict()
    reordered = copy.deepcopy(data)
    reordered["sectors"] = {c: data["sectors"][c] for c in perm}
    a, b = run_dict(data), run_dict(reordered)
    for var in ("exposure", "adoption", "affected_share", "sector_tfp_gain_pct"):
        np.testing.assert_array_equal(a[var].sel(sector=list(perm)).values, b[var].values)
    np.testing.assert_allclose(a["tfp_gain_pct"].values, b["tfp_gain_pct"].values, rtol=1e-13)


def test_rebound_scales_gains_exactly():  # MODEL.md 1.5: c_eff = (1 - theta) c
    base = run_dict(scenario_dict())["tfp_gain_pct"].values
    rebound = run_dict(_with(scenario_dict(), "ai.parkinson_rebound", 0.25))
    np.testing.assert_allclose(rebound["tfp_gain_pct"].values, 0.75 * base, rtol=1e-12)


def test_higher_real_rate_lowers_capital_deepening_not_tfp_gain():  # MODEL.md 3.4
    low = run_dict(scenario_dict())
    high = run_dict(_with(scenario_dict(), "rates", {"policy_rate": 0.05, "inflation": 0.02,
                                                      "premium": 0.03}))
    np.testing.assert_array_equal(low["tfp_gain_pct"].values, high["tfp_gain_pct"].values)
    end = dict(year=2040, draw=0)
    for path in ("", "_baseline"):
        ky_low = float((low["capital" + path] / low["gdp" + path]).sel(**end))
        ky_high = float((high["capital" + path] / high["gdp" + path]).sel(**end))
        assert ky_high < ky_low
        assert float(high["gdp" + path].sel(**end)) < float(low["gdp" + path].sel(**end))


def test_large_drag_dips_then_recovers():  # MODEL.md 2.2 J-curve
    data = _with(scenario_dict(), "jcurve", {"lag": 3.0, "intangible_drag": 3.0})
    data = _with(data, "horizon", {"start": 2025, "end": 2070})
    drag = run_dict(data)["tfp_gain_pct"].sel(draw=0).values
    plain = run_dict(_with(data, "jcurve", {"lag": 1.0, "intangible_drag": 0.0}))
    plain = plain["tfp_gain_pct"].sel(draw=0).values
    assert drag[1:8].min() < 0.0  # measured gains dip below zero early
    assert drag[-1] == pytest.approx(plain[-1], rel=1e-3)  # and converge later
