"""Flanders policy and risk scenarios (scenarios/flanders/): each loads, and moves its headline
in the expected direction against the central path (central runs: distributions at means)."""

from __future__ import annotations

import functools

import pytest

import sim
from sim.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

FOLDER = SCENARIOS / "flanders"
FILES = sorted(FOLDER.glob("*.yaml"))


@functools.cache
def _run(name: str):
    """The central path (every distribution at its mean): the files run a Monte Carlo by
    default since the first-screen change, and draw 0 of it is not the central path."""
    return sim.run(FOLDER / f"{name}.yaml", draws=1).sel(draw=0)


def _at(name: str, var: str, year: int) -> float:
    return float(_run(name)[var].sel(year=year))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_loads_and_says_what_it_represents(path):
    scn = load_scenario(path).scenario
    assert scn.sector_codes == load_scenario(SCENARIOS / "flanders_central.yaml").scenario \
        .sector_codes
    text = path.read_text()
    assert text.startswith("# Flanders")
    assert "Seed claim" in text or "seed claim" in text.lower()


def test_central_is_the_project_default():
    a = sim.run(FOLDER / "central.yaml")["tfp_gain_pct"]
    b = sim.run(SCENARIOS / "flanders_central.yaml")["tfp_gain_pct"]
    assert (a.values == b.values).all()


def test_adoption_speed_orders_the_tfp_gain():
    for year in (2035, 2050):
        slow, central, fast = (_at(n, "tfp_gain_pct", year)
                               for n in ("slow_adoption", "central", "fast_adoption"))
        assert slow < central < fast


def test_agents_and_agi_raise_gains_and_displacement():
    assert _at("agents_agi", "tfp_gain_pct", 2035) > _at("central", "tfp_gain_pct", 2035)
    assert _at("agents_agi", "tfp_gain_pct", 2050) > _at("central", "tfp_gain_pct", 2050)
    assert float(_run("agents_agi")["exposure"].sel(year=2050).mean()) > \
        float(_run("central")["exposure"].sel(year=2050).mean())
    assert _at("agents_agi", "unemployment_rate_change_pp", 2035) > \
        _at("central", "unemployment_rate_change_pp", 2035)


def test_sme_support_raises_adoption_most_where_small_firms_are():
    sme, central = _run("sme_support"), _run("central")
    lift = (sme["adoption"] - central["adoption"]).sel(year=2027)
    assert bool((lift > 0).all())
    weights = load_scenario(FOLDER / "central.yaml").scenario.sectors
    small = {c: s.size_weights.micro + s.size_weights.small for c, s in weights.items()}
    most, least = max(small, key=small.get), min(small, key=small.get)
    assert float(lift.sel(sector=most)) > float(lift.sel(sector=least))
    assert _at("sme_support", "tfp_gain_pct", 2050) > _at("central", "tfp_gain_pct", 2050)


def test_training_raises_gains_and_eases_unemployment():
    assert _at("training_push", "tfp_gain_pct", 2035) > _at("central", "tfp_gain_pct", 2035)
    assert _at("training_push", "unemployment_rate_change_pp", 2035) < \
        _at("central", "unemployment_rate_change_pp", 2035)


def test_traineeships_raise_junior_employment_only():
    junior = {n: _run(n)["employment_by_cohort"].sel(cohort="junior", year=2035)
              for n in ("traineeships", "central")}
    assert bool((junior["traineeships"] >= junior["central"]).all())
    assert float(junior["traineeships"].sum()) > float(junior["central"].sum())
    assert _at("traineeships", "employment_gain_pct", 2035) == \
        pytest.approx(_at("central", "employment_gain_pct", 2035), abs=1e-12)


def test_rd_target_brings_gains_forward():
    assert _at("rd_5pct", "tfp_gain_pct", 2035) > _at("central", "tfp_gain_pct", 2035)


def test_higher_rates_lower_the_capital_stock_not_tfp():
    assert _at("higher_rates", "capital", 2035) < _at("central", "capital", 2035)
    assert _at("higher_rates", "gdp", 2035) < _at("central", "gdp", 2035)
    assert _at("higher_rates", "tfp_gain_pct", 2035) == \
        pytest.approx(_at("central", "tfp_gain_pct", 2035), abs=1e-12)
