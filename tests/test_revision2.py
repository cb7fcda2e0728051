"""MODEL.md revision 2: automation moves tasks to capital; one labour share for production,
capital demand and income; Baumol shares from network prices; factor mobility; the user cost
with a finite capital-supply elasticity; the GDP decomposition.

References are closed forms (Korinek-Jones's first-order identity, the CES power mean),
MODEL.md 3.4's one-sector hand check, and invariants (limits that must give exactly no effect,
identities that must hold to rounding).
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import yaml
from conftest import BASE, SCENARIOS, with_value

import sim
from sim.model.variables import AGG_OUTPUTS, COHORT_OUTPUTS, SECTOR_OUTPUTS
from sim.scenario.loader import load_scenario

#: a three-sector scenario that switches every revision-2 channel on: the production network,
#: Baumol demand, half-immobile factors, a finite capital-supply elasticity, the demand
#: feedback with reinvestment, automation and reinstatement
NETWORK = {"enabled": True, "convention": "cost_share",
           "coefficients": {"C": {"C": 0.30, "G": 0.10, "J": 0.05},
                            "G": {"C": 0.10, "G": 0.15, "J": 0.10},
                            "J": {"C": 0.05, "G": 0.05, "J": 0.20}}}


def everything_on() -> dict:
    data = copy.deepcopy(BASE)
    for code, go in (("C", 900.0), ("G", 450.0), ("J", 220.0)):
        data["sectors"][code]["gross_output"] = go
    data["network"] = copy.deepcopy(NETWORK)
    data["structural_change"] = {"elasticity": 0.4, "factor_mobility": 0.5}
    data["rates"] = {"capital_supply_elasticity": 3.0}
    data["labour"] = {"automation_share": 0.6, "reinstatement": 0.2, "job_finding_rate": 0.4}
    data["feedback"] = {"enabled": True, "reinvestment": 0.5}
    return data


def run_dict(data: dict, tmp_path, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return sim.run(path, draws=1).isel(draw=0)


#: (AI path, baseline) pairs that must coincide when AI has no effect
PAIRS = [("gdp", "gdp_baseline"), ("gdp_potential", "gdp_baseline"),
         ("capital", "capital_baseline"), ("employment_total", "employment_total_baseline"),
         ("labour_share", "labour_share_baseline"), ("labour_income", "labour_income_baseline"),
         ("capital_income", "capital_income_baseline"), ("user_cost", "user_cost_baseline"),
         ("employment", "employment_baseline"),
         ("sector_value_added", "sector_value_added_baseline"),
         ("sector_labour_productivity", "sector_labour_productivity_baseline"),
         ("employment_by_cohort", "employment_by_cohort_baseline")]
#: outputs that are themselves effects and must be zero
ZEROS = [v for v in (*AGG_OUTPUTS, *SECTOR_OUTPUTS)
         if v.endswith(("_gain_pct", "_pp")) or v in ("displaced", "reemployed")]
ZEROS.remove("unemployment_rate_change_pp")  # a level against u*, zero anyway: checked below

NO_EFFECT = {
    "zero exposure": [("sectors.C.exposure", 0.0), ("sectors.G.exposure", 0.0),
                      ("sectors.J.exposure", 0.0), ("ai.exposure.ceiling", None)],
    "zero profitable share": [("ai.profitable_share.start", 0.0)],
    "zero diffusion": [(f"diffusion.size_classes.{s}.ceiling", 0.0)
                       for s in ("micro", "small", "medium", "large")],
    "zero intensity": [("diffusion.intensity.start", 0.0), ("diffusion.intensity.ceiling", 0.0)],
    "no automation, no saving": [("labour.automation_share", 0.0), ("ai.cost_saving", 0.0)],
}


@pytest.mark.parametrize("case", list(NO_EFFECT))
def test_no_ai_effect_means_exactly_no_effect_on_any_output(case, tmp_path):
    """MODEL.md 4.1 limits (revision 2): every gain, displacement, labour-share, capital,
    user-cost and cohort effect is zero (to rounding: the two paths' employment totals are
    sums in different orders), with every channel switched on."""
    data = everything_on()
    for path, value in NO_EFFECT[case]:
        data = with_value(data, path, value)
    ds = run_dict(data, tmp_path)
    for name in ZEROS:
        assert np.abs(ds[name].values).max() < 1e-9, (case, name)
    for ai, base in PAIRS:
        np.testing.assert_allclose(ds[ai].values, ds[base].values, rtol=1e-12, atol=1e-9,
                                   err_msg=f"{case}: {ai}")
    np.testing.assert_allclose(ds["unemployment_rate_change_pp"].values, 0.0, atol=1e-9)
    np.testing.assert_allclose(ds["capital_share"].values, 0.35, rtol=0, atol=1e-15)
    assert ds["automated_work_share"].values.max() == 0.0
    cohort = ds[COHORT_OUTPUTS[0]].values
    np.testing.assert_allclose(cohort, ds["employment_by_cohort_baseline"].values, rtol=1e-12)


def test_so_so_automation_signs(tmp_path):
    """MODEL.md 4.1: c -> 0 with psi > 0 is so-so automation: no TFP gain, the labour share
    falls, capital deepening is positive, and once the displaced are re-employed GDP is above
    the baseline only through capital (at a fixed rate)."""
    data = copy.deepcopy(BASE)
    data["horizon"] = {"start": 2025, "end": 2070}
    data["ai"]["cost_saving"] = 0.0
    data["labour"] = {"automation_share": 0.8, "reinstatement": 0.0, "job_finding_rate": 0.5}
    data["baseline"]["capital_adjustment"] = 1.0
    ds = run_dict(data, tmp_path)
    assert np.abs(ds["tfp_gain_pct"].values).max() == 0.0
    assert np.all(ds["labour_share"].values[3:] < ds["labour_share_baseline"].values[3:])
    assert np.all(ds["capital_share"].values[3:] > 0.35)
    assert np.all(ds["gdp_from_capital_pp"].values[4:] > 0.0)
    assert ds["gdp_from_employment_pp"].values.min() < 0.0  # transitional unemployment
    end = ds.sel(year=2070)
    assert abs(float(end["employment_gain_pct"])) < 1e-3  # the pool has emptied
    assert float(end["gdp_gain_pct"]) > 0.0
    assert float(end["gdp_gain_pct"]) == pytest.approx(float(end["gdp_from_capital_pp"]),
                                                       abs=1e-3)


def one_sector(tmp_path, *, exposure, saving, psi, rho, sigma=0.5, epsilon=None, end=2090,
               name="one.yaml"):
    """One sector, adoption 0.5 from the start (counted from zero), lambda_K = 1, fixed r,
    labour share 0.6 = 1 - alpha, no trend: a steady state by ``end``."""
    size = {"ceiling": 0.5, "midpoint": 2020.0, "steepness": 5.0}
    data = {
        "name": "one-sector", "horizon": {"start": 2025, "end": end},
        "sectors": {"TOT": {"value_added": 1000.0, "labour_share": 0.6, "employment": 1000.0,
                            "exposure": exposure}},
        "ai": {"exposure": {"ceiling": None},
               "profitable_share": {"start": 1.0, "growth": 0.0, "ceiling": 1.0},
               "cost_saving": saving, "gains_from_base_year": False},
        "diffusion": {"size_classes": {s: dict(size) for s in
                                       ("micro", "small", "medium", "large")},
                      "intensity": {"start": 1.0, "ceiling": 1.0, "midpoint": 2030,
                                    "steepness": 0.5}},
        "baseline": {"tfp_growth": 0.0, "capital_share": 0.4, "capital_output_ratio": 0.4 / 0.1,
                     "depreciation": 0.05, "capital_adjustment": 1.0, "gdp": 1000.0,
                     "employment": 1000.0},
        "rates": {"policy_rate": 0.05, "inflation": 0.0, "premium": 0.0},
        "labour": {"automation_share": psi, "reinstatement": rho, "task_elasticity": sigma,
                   "job_finding_rate": 1.0, "mobility_discount": 0.0},
    }
    if epsilon is not None:
        data["rates"]["capital_supply_elasticity"] = epsilon
    return run_dict(data, tmp_path, name).isel(year=-1)


@pytest.mark.parametrize("psi, rho, sigma", [(0.6, 0.2, 0.5), (1.0, 0.0, 0.5), (0.3, 0.5, 0.0),
                                             (0.8, 0.0, 1.0)])
def test_korinek_jones_first_order_identity(psi, rho, sigma, tmp_path):
    """MODEL.md 3.4: small shock, lambda_K = 1, fixed r, steady state: the gain in output per
    worker is c a + (1 - rho) psi a - (1 - sigma) psi a c within 5 % relative."""
    a, c = 0.05 * 0.5, 0.1  # exposure 0.05 x adoption 0.5
    end = one_sector(tmp_path, exposure=0.05, saving=c, psi=psi, rho=rho, sigma=sigma)
    closed = 100 * (c * a + (1 - rho) * psi * a - (1 - sigma) * psi * a * c)
    model = float(end["labour_productivity_gain_pct"])
    assert model == pytest.approx(closed, rel=0.05)
    assert abs(float(end["employment_gain_pct"])) < 1e-9


def test_korinek_jones_identity_with_the_rate_term(tmp_path):
    """With epsilon finite the identity loses sigma (sK / sL) Δ ln R (MODEL.md 3.4), and the
    user cost obeys ln R - ln R^base = (ln K* - ln K*^base) / epsilon."""
    a, c, psi, rho, sigma = 0.025, 0.1, 0.6, 0.2, 0.5
    end = one_sector(tmp_path, exposure=0.05, saving=c, psi=psi, rho=rho, sigma=sigma,
                     epsilon=3.0)
    d_ln_r = float(end["user_cost_gain_pct"]) / 100
    assert d_ln_r > 0.0
    closed = 100 * (c * a + (1 - rho) * psi * a - (1 - sigma) * psi * a * c
                    - sigma * (0.4 / 0.6) * d_ln_r)
    assert float(end["labour_productivity_gain_pct"]) == pytest.approx(closed, rel=0.05)
    # the capital-market condition, in the steady state K = K*
    k_star = float(end["capital_share"]) * float(end["gdp"]) / float(end["user_cost"])
    k_star_base = 0.4 * float(end["gdp_baseline"]) / float(end["user_cost_baseline"])
    assert d_ln_r == pytest.approx((math.log(k_star) - math.log(k_star_base)) / 3.0, rel=1e-9)


def test_korinek_jones_substantial_steady_state_hand_check(tmp_path):
    """MODEL.md 3.4's hand check, one sector, steady state, s_L = 0.6, R = 0.115: KJ's
    substantial inputs give R +4.5 % and GDP +9.4 % (level ratios, rounded)."""
    data = yaml.safe_load(
        (SCENARIOS / "published" / "korinek_jones_2026_substantial.yaml").read_text())
    data.pop("references")
    data["horizon"] = {"start": 2025, "end": 2100}
    end = run_dict(data, tmp_path).sel(year=2100)
    assert 100 * math.expm1(float(end["gdp_gain_pct"]) / 100) == pytest.approx(9.4, abs=0.05)
    assert 100 * math.expm1(float(end["user_cost_gain_pct"]) / 100) == pytest.approx(4.5,
                                                                                      abs=0.05)


def test_automation_now_adds_output(tmp_path):
    """The revision-1 inconsistency: moving psi from 0 to 1 on KJ's substantial path left GDP
    at 5.134 % while displacement rose. Now the automated tasks' capital adds output."""
    path = SCENARIOS / "published" / "korinek_jones_2026_substantial.yaml"
    gains = [float(sim.run(load_scenario(path, [f"labour.automation_share={psi}"]), draws=1)
                   ["gdp_gain_pct"].sel(year=2030).isel(draw=0)) for psi in (0.0, 0.5, 1.0)]
    assert gains[0] < gains[1] < gains[2]
    assert gains[2] - gains[0] > 3.0


def identical_gains(network: bool) -> dict:
    data = copy.deepcopy(BASE)
    for code in ("C", "G", "J"):
        data["sectors"][code].update({"labour_share": 0.6, "exposure": 0.4})
    if network:
        for code, go in (("C", 900.0), ("G", 450.0), ("J", 220.0)):
            data["sectors"][code]["gross_output"] = go
        data["network"] = copy.deepcopy(NETWORK)
    return data


@pytest.mark.parametrize("network", [False, True])
def test_identical_sector_gains_leave_baumol_shares_unchanged_exactly(network, tmp_path):
    """MODEL.md 3.3 (revision 2): with identical gains in every sector, relative prices do not
    move, so chained TFP is the same, bit for bit, whatever eta, with or without the network
    (revision 1 moved the shares with the gross-output shock kappa_j ln A_j itself)."""
    data = identical_gains(network)
    gains = []
    for eta in (1.0, 0.3, 2.0):
        ds = run_dict(with_value(data, "structural_change.elasticity", eta), tmp_path,
                      f"eta{eta}.yaml")
        assert np.ptp(ds["sector_tfp_gain_pct"].values, axis=1).max() == 0.0  # identical
        gains.append(ds["tfp_gain_pct"].values)
    assert gains[0][-1] > 0.0
    np.testing.assert_array_equal(gains[0], gains[1])
    np.testing.assert_array_equal(gains[0], gains[2])


def test_uneven_gains_still_give_a_baumol_drag_with_the_network(tmp_path):
    data = everything_on()
    data["structural_change"] = {"elasticity": 1.0}
    fixed = run_dict(data, tmp_path, "a.yaml")["tfp_gain_pct"].values[-1]
    data["structural_change"] = {"elasticity": 0.2}
    drag = run_dict(data, tmp_path, "b.yaml")["tfp_gain_pct"].values[-1]
    assert drag < fixed


def test_immobile_factors_give_the_ces_power_mean(tmp_path):
    """MODEL.md 3.3, factor_mobility immobile, no network: ln TFP = (eta / (eta - 1))
    ln sum_j v_j exp(((eta - 1) / eta) m_j), below the weighted mean when eta < 1."""
    data = copy.deepcopy(BASE)
    data["baseline"]["tfp_growth"] = 0.0
    eta = 0.3
    data["structural_change"] = {"elasticity": eta, "factor_mobility": "immobile"}
    ds = run_dict(data, tmp_path)
    m = ds["sector_tfp_gain_pct"].values / 100  # (year, sector)
    v = np.array([300.0, 200.0, 100.0]) / 600.0
    q = (eta - 1) / eta
    closed = 100 * np.log(np.exp(q * m) @ v) / q
    np.testing.assert_allclose(ds["tfp_gain_pct"].values, closed, rtol=1e-9, atol=1e-12)
    assert np.all(closed[1:] < 100 * (m[1:] @ v))
    # a share mixes the two aggregates linearly
    mobile = run_dict(with_value(data, "structural_change.factor_mobility", "mobile"), tmp_path,
                      "m.yaml")["tfp_gain_pct"].values
    half = run_dict(with_value(data, "structural_change.factor_mobility", 0.5), tmp_path,
                    "h.yaml")["tfp_gain_pct"].values
    np.testing.assert_allclose(half, 0.5 * mobile + 0.5 * closed, rtol=1e-9, atol=1e-12)


def test_oecd_scenario_3_drag_against_scenario_2():
    """OECD 2024 Sc.3: immobile factors and near-Leontief demand give the study's drag of
    about -0.08 pp a year against Sc.2 (MODEL.md section 7, revision 2)."""
    per_year = {}
    for sc in ("sc2", "sc3"):
        ds = sim.run(SCENARIOS / "published" / f"oecd_2024_{sc}.yaml", draws=1)
        per_year[sc] = float(ds["tfp_gain_pct"].sel(year=2035).isel(draw=0)) / 10
    assert per_year["sc3"] - per_year["sc2"] == pytest.approx(-0.08, abs=0.01)


def test_gdp_decomposition_sums_to_the_gdp_gain(tmp_path):
    """MODEL.md 3.4: TFP + capital deepening + employment + demand gap = the GDP gain, per draw
    and year, with a demand spiral on (so every part is non-zero)."""
    data = everything_on()
    data["feedback"] = {"enabled": True, "multiplier": 2.0, "mpc": 0.9, "stabilisers": 0.1,
                        "okun": 0.8}
    data["labour"]["automation_share"] = 0.9
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    ds = sim.run(path, draws=16)
    parts = sum(ds[f"gdp_from_{p}_pp"] for p in ("tfp", "capital", "employment", "demand"))
    np.testing.assert_allclose(parts.values, ds["gdp_gain_pct"].values, rtol=0, atol=1e-9)
    for p in ("tfp", "capital", "employment", "demand"):
        assert np.abs(ds[f"gdp_from_{p}_pp"].values).max() > 1e-3, p
    assert ds["gdp_from_demand_pp"].values.max() <= 0.0


def test_acemoglu_numbers_unchanged():
    """Acemoglu's Hulten numbers hold under revision 2 (psi = 0: his saving is the task's whole
    gain): TFP 0.66 %, GDP 1.16 % = TFP / (1 - 0.43)."""
    ds = sim.run(SCENARIOS / "acemoglu_2024.yaml", draws=1).isel(draw=0).sel(year=2035)
    assert float(ds["tfp_gain_pct"]) == pytest.approx(0.66, abs=0.01)
    assert float(ds["gdp_gain_pct"]) == pytest.approx(1.16, abs=0.02)


def test_decomposition_figure_shows_the_parts_that_add_up(tmp_path):
    """What the user sees: one bar series per part, heights the means over draws, and the GDP
    gain line on top of their sum (MODEL.md 3.4; ``ds.aisim.decomposition()``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.container import BarContainer

    data = everything_on()
    data["feedback"] = {"enabled": True, "multiplier": 2.0, "mpc": 0.9, "stabilisers": 0.1,
                        "okun": 0.8}
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    ds = sim.run(path, draws=12)
    fig, ax = ds.aisim.decomposition()
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == 4
    for container, part in zip(bars, ("tfp", "capital", "employment", "demand"), strict=True):
        heights = np.array([b.get_height() for b in container])
        np.testing.assert_allclose(heights, ds[f"gdp_from_{part}_pp"].mean("draw").values,
                                   rtol=1e-12, atol=1e-12)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), ds["gdp_gain_pct"].mean("draw").values)
    stacked = sum(np.array([b.get_height() for b in c]) for c in bars)
    np.testing.assert_allclose(stacked, line.get_ydata(), atol=1e-9)
    plt.close(fig)


def test_cli_run_prints_why_gdp_moves(tmp_path, capsys):
    from sim.cli import main

    out = tmp_path / "kj.nc"
    code = main(["run", str(SCENARIOS / "published" / "korinek_jones_2026_substantial.yaml"),
                 "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "Why GDP moves" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("2030:"))
    total, parts = line.split(":")[1].split("=")
    assert float(total) == pytest.approx(8.414, abs=1e-3)
    assert [float(x) for x in parts.split()] == pytest.approx([3.240, 5.175, 0.0, 0.0],
                                                              abs=1e-3)


def test_korinek_jones_substantial_labour_share_path():
    """MODEL.md 4.5 with KJ's substantial inputs: Δ ln sL = -(1 - rho) psi a + (1 - sigma) psi
    a c - (1 - sigma)(sK / sL) Δ ln R, a = m d along the diffusion path."""
    ds = sim.run(SCENARIOS / "published" / "korinek_jones_2026_substantial.yaml").isel(draw=0)
    a = ds["affected_share"].isel(sector=0).values
    d_ln_r = ds["user_cost_gain_pct"].values / 100
    closed = 0.6 * np.exp(-0.75 * 0.75 * a + 0.5 * 0.75 * a * 0.45 - 0.5 * (0.4 / 0.6) * d_ln_r)
    np.testing.assert_allclose(ds["labour_share"].values, closed, rtol=1e-12)
    assert float(ds["labour_share"].sel(year=2030)) == pytest.approx(0.5643, abs=1e-4)


def test_long_names_carry_no_internal_symbols():
    """Axis labels come from long_name: words, not the model's symbols (issue 16, item 9)."""
    import re

    from sim.model.variables import TABLE

    symbol = re.compile(r"[A-Za-z]_[a-z]\b|\(t\)|\balpha\b|\bc_eff\b| = ")
    offenders = [v.name for v in TABLE if symbol.search(v.long_name)]
    assert not offenders, offenders
