"""Policy robustness: the same futures for every policy, outcome distributions, regret and the
share meeting a threshold, checked against the stores read directly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis.robustness import robustness
from sim.analysis.sweep import open_sweep, parse_spec
from sim.cli import main
from sim.errors import InputError
from tests.conftest import scenario_dict

pytest.importorskip("pandas")

FUTURES = dict(design="lhs", points=12, ranges=["ai.cost_saving=0.1:0.4",
                                                "labour.job_finding_rate=0.3:0.7"],
               draws=1, seed=4, variables=["employment_gain_pct", "unemployment_rate"])


@pytest.fixture
def policies(write_yaml) -> list[Path]:
    base = scenario_dict()
    return [write_yaml(base, "none.yaml"),
            write_yaml({**base, "policy": {"training": {"extra_spending_pp": 0.5}}},
                       "train.yaml"),
            write_yaml({**base, "policy": {"training": {"extra_spending_pp": 1.0}}},
                       "train_more.yaml")]


def test_regret_and_threshold_against_the_stores(policies, tmp_path: Path) -> None:
    outcome, threshold = "employment_gain_pct[year=2035]", "unemployment_rate[year=2035] < 0.07"
    res = robustness(policies, parse_spec(**FUTURES), outcome, threshold=threshold,
                     out_dir=tmp_path / "rob")
    assert res.policies == ["none", "train", "train_more"] and res.futures == 12
    direct = []
    for store in res.stores:
        ds = open_sweep(store)
        np.testing.assert_array_equal(ds["ai.cost_saving"].values,  # the same futures
                                      open_sweep(res.stores[0])["ai.cost_saving"].values)
        direct.append(ds["employment_gain_pct_mean"].sel(year=2035).values)
    direct = np.array(direct)
    np.testing.assert_array_equal(res.values, direct)
    regret = direct.max(axis=0) - direct
    np.testing.assert_array_equal(res.regret, regret)
    table = res.table()
    np.testing.assert_allclose(table["max_regret"], regret.max(axis=1))
    np.testing.assert_allclose(table["mean_regret"], regret.mean(axis=1))
    assert (regret >= 0).all() and (regret.min(axis=0) == 0).all()  # someone is best
    meets = [open_sweep(s)["unemployment_rate_mean"].sel(year=2035).values < 0.07
             for s in res.stores]
    np.testing.assert_allclose(table["meets_threshold"], np.mean(meets, axis=1))
    assert table["rank_max_regret"].min() == 1
    # lower is better: regret from the minimum
    low = robustness(policies, parse_spec(**FUTURES), outcome, lower_is_better=True,
                     out_dir=tmp_path / "rob")
    np.testing.assert_array_equal(low.regret, direct - direct.min(axis=0))
    assert "most robust" in low.report()


def test_robustness_cli_and_messages(policies, tmp_path: Path, capsys) -> None:
    fig, csv = tmp_path / "r.png", tmp_path / "r.csv"
    argv = ["robustness", *map(str, policies), "--design", "lhs", "--points", "6", "--range",
            "ai.cost_saving=0.1:0.4", "--draws", "1", "--seed", "2", "--outcome",
            "employment_gain_pct[year=2035]", "--threshold",
            "unemployment_rate[year=2035] < 0.07", "--store-dir", str(tmp_path / "st")]
    assert main([*argv, "--plot", str(fig), "-o", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "regret" in out and "most robust" in out
    assert fig.stat().st_size > 10_000 and csv.read_text().startswith("policy,mean")
    code = main([*argv[:-6], "--outcome", "employment_gain_pct", "--store-dir",
                 str(tmp_path / "st")])
    err = capsys.readouterr().err
    assert code == 2 and "dimension(s) year left" in err and "Traceback" not in err
    code = main([*argv[:-6], "--outcome", "employment_gain_pct[year=2035] < 1",
                 "--store-dir", str(tmp_path / "st")])
    assert code == 2 and "one output variable" in capsys.readouterr().err
    with pytest.raises(InputError, match="at least two policy"):
        robustness(policies[:1], parse_spec(**FUTURES), "employment_gain_pct[year=2035]")
