"""Scenario discovery on sweep stores: the --where expression language, PRIM / CART boxes and
feature scores against a case whose answer is known, the CLI's messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.analysis.expression import evaluate, parse
from sim.analysis.sweep import open_sweep, parse_spec, plan_sweep, run_sweep
from sim.cli import main
from sim.errors import InputError
from tests.conftest import scenario_dict
from tests.test_sweep import UNCERTAIN_AI

pytest.importorskip("ema_workbench")
pytest.importorskip("sklearn")

CENTRAL_AI = {**UNCERTAIN_AI, "cost_saving": 0.27, "parkinson_rebound": 0.1}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A 48-point LHS design over cost saving (which drives TFP) and the job-finding rate
    (which does not), one central draw a point."""
    import yaml

    tmp = tmp_path_factory.mktemp("disc")
    scenario = tmp / "s.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict(ai=CENTRAL_AI), sort_keys=False))
    spec = parse_spec(design="lhs", points=48, ranges=["ai.cost_saving=0.1:0.4",
                                                       "labour.job_finding_rate=0.3:0.7"],
                      draws=1, seed=3, variables=["tfp_gain_pct", "employment_gain_pct",
                                                  "sector_tfp_gain_pct"])
    return run_sweep(plan_sweep(scenario, spec), tmp / "d.zarr").path


def test_expression_equals_direct_selection(store: Path) -> None:
    ds = open_sweep(store)
    tfp = ds["tfp_gain_pct_mean"].sel(year=2035).values
    emp = ds["employment_gain_pct_mean"].sel(year=2040).values
    sec = ds["sector_tfp_gain_pct_quantile"].sel(quantile=0.5).isel(sector=1).sel(
        year=2030).values
    code = str(ds["sector"].values[1])
    got = evaluate(ds, f"tfp_gain_pct[year=2035] > 0.5 and not (employment_gain_pct[year=2040]"
                   f" <= -0.1 or sector_tfp_gain_pct_quantile[quantile=0.5, sector={code}, "
                   f"year=2030] > 1e9)", ("point",))
    np.testing.assert_array_equal(got.values, (tfp > 0.5) & ~((emp <= -0.1) | (sec > 1e9)))
    chained = evaluate(ds, "0.2 < tfp_gain_pct[year=2035] <= 0.8", ("point",))
    np.testing.assert_array_equal(chained.values, (tfp > 0.2) & (tfp <= 0.8))
    neg = evaluate(ds, "-tfp_gain_pct[year=2035] < -0.5", ("point",))
    np.testing.assert_array_equal(neg.values, tfp > 0.5)


@pytest.mark.parametrize("text, needle", [
    ("tfp_gain_pct[year=2035] <", "a number or an output variable, got the end"),
    ("tfp_gain_pct[year=2035] < -1 andd gdp_gain_pct > 0", "'andd' at column 30"),
    ("__import__('os') < 1", "'(' at column 11"),
    ("tfp_gain_pct[year=2035]", "a comparison"),
    ("tfp_gain_pct[year=2035] < 1 ; x", "';' at column 29"),
    ("(tfp_gain_pct[year=2035] < 1", "')'"),
    ("", "an empty one"),
])
def test_bad_expression_syntax(text: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        parse(text)
    assert needle in str(err.value) and "--where" in str(err.value)


@pytest.mark.parametrize("text, needle", [
    ("tfp_gain_pct < 1", "dimension(s) year left"),
    ("tfp_gain_pct < 1", "e.g. tfp_gain_pct[year=2040]"),
    ("tfp_gain_pc[year=2035] < 1", "did you mean 'tfp_gain_pct'"),
    ("tfp_gain_pct[yaer=2035] < 1", "did you mean 'year'"),
    ("tfp_gain_pct[year=2099] < 1", "a year of the store (2025..2040)"),
    ("sector_tfp_gain_pct[year=2035, sector=ZZ] < 1", "a sector of the store"),
    ("1 < 2", "at least one output variable"),
])
def test_bad_expression_on_store(store: Path, text: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        evaluate(open_sweep(store), text, ("point",))
    assert needle in str(err.value)


def test_prim_cart_and_scores_find_the_known_box(store: Path) -> None:
    """TFP rises with cost saving and does not depend on the job-finding rate: points with a
    TFP gain above its median are exactly those with cost saving above a cut, which PRIM and
    CART must find (density 1, coverage 1, only cost saving restricted) and extra trees must
    rank first."""
    from sim.analysis.discovery import discover

    ds = open_sweep(store)
    tfp = ds["tfp_gain_pct_mean"].sel(year=2035).values
    saving = ds["ai.cost_saving"].values
    order = np.argsort(saving)
    assert np.all(np.diff(tfp[order]) > 0)  # monotone: the known answer below holds
    cut = float(np.median(tfp))
    res = discover(store, f"tfp_gain_pct[year=2035] > {cut!r}", threshold=0.99)
    inside = saving[tfp > cut]
    outside = saving[tfp <= cut]
    # PRIM peels 5 % at a time: it may overshoot the cut by a point (coverage 23/24)
    assert res.box is not None and res.box.density == 1.0 and res.box.coverage >= 0.9
    lo, hi = res.box.limits["ai.cost_saving"]
    assert outside.max() < lo <= np.sort(inside)[1]
    n_in = int(((saving >= lo) & (saving <= hi)).sum())
    assert res.box.coverage == n_in / len(inside) and res.box.mass == n_in / len(saving)
    flo, fhi = res.cases.ranges["labour.job_finding_rate"]
    assert res.box.limits["labour.job_finding_rate"] == (flo, fhi)  # unrestricted
    text = res.report()
    assert f"{lo:.4g} <= ai.cost_saving" in text or f"ai.cost_saving >= {lo:.4g}" in text, text
    assert "labour.job_finding_rate" not in text.split("PRIM box")[1].split("CART")[0]
    assert res.cart and res.cart[0].density == 1.0 and res.cart[0].coverage == 1.0
    assert outside.max() < res.cart[0].limits["ai.cost_saving"][0] <= inside.min()
    assert list(res.scores.index)[0] == "ai.cost_saving"
    assert res.scores.iloc[0, 0] > 0.8 and np.allclose(res.scores.sum(), 1.0)


def test_discover_cli(store: Path, tmp_path: Path, capsys) -> None:
    fig, out = tmp_path / "d.png", tmp_path / "d.json"
    code = main(["discover", str(store), "--where", "tfp_gain_pct[year=2035] > 1.5",
                 "--plot", str(fig), "-o", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "PRIM peeling trajectory" in printed and "feature scores" in printed
    assert fig.stat().st_size > 10_000
    data = json.loads(out.read_text())
    assert data["points"] == 48 and 0 < data["of_interest"] < 48
    assert set(data["prim"]["trajectory"]) == {"coverage", "density", "mass", "res_dim"}
    code = main(["discover", str(store), "--where", "tfp_gain_pct[year=2035] > 0", "-q"])
    assert code == 0
    code = main(["discover", str(store), "--where", "tfp_gain_pct[year=2035] > 0"])
    assert code == 0 and "every point meets the condition" in capsys.readouterr().out
    code = main(["discover", str(store), "--where", "tfp_gain_pct < 1", "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "dimension(s) year left" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 2  # "1 problem found:" and the problem
    code = main(["discover", str(tmp_path / "nope.zarr"), "--where", "tfp_gain_pct < 1"])
    assert code == 2 and "a sweep store" in capsys.readouterr().err
    code = main(["discover", str(store), "--where", "tfp_gain_pct[year=2035] > 0.6",
                 "--method", "svm"])
    assert code == 2 and "prim, cart, both" in capsys.readouterr().err


def test_missing_extra_is_one_line(store: Path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if scikit-learn were not installed
    code = main(["discover", str(store), "--where", "tfp_gain_pct[year=2035] > 0.6"])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'aisim[discovery]'" in err
    assert len(err.strip().splitlines()) == 2  # "1 problem found:" and the problem
