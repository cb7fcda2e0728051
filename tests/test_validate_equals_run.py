"""validate = run (issue 15, items 2-3): what ``aisim run`` refuses, ``aisim validate`` refuses
first, with file and line; what valid values cannot compute stops the run with the draw's
values instead of writing NaN; YAML 1.2 numbers are numbers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import scenario_dict, with_value

from sim.cli import main
from sim.errors import InfeasibleScenarioError, InputError
from sim.runner.finite import check_finite
from sim.scenario.loader import load_scenario, load_yaml_value
from sim.scenario.parameters import ParamTable


def test_user_cost_not_positive_is_refused_by_validate_with_its_line(write_yaml, capsys):
    path = write_yaml(with_value(scenario_dict(), "rates",
                                 {"policy_rate": 0.0, "inflation": 0.09, "premium": 0.0}))
    with pytest.raises(InfeasibleScenarioError) as err:
        load_scenario(path)
    problem = err.value.problems[0]
    assert problem.key == "rates" and problem.file == str(path) and problem.line is not None
    assert "real rate + depreciation > 0" in problem.expected
    assert err.value.loaded.scenario.name == "three-sectors"  # valid values otherwise
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr()
    assert f"{path}:{problem.line}" in out.out + out.err


def test_a_distribution_that_allows_a_negative_user_cost_is_refused(write_yaml):
    """Every draw the file allows must be feasible: the bound is the supports' worst case."""
    data = with_value(scenario_dict(), "rates.inflation",
                      {"dist": "uniform", "low": 0.0, "high": 0.12})
    with pytest.raises(InfeasibleScenarioError) as err:
        load_scenario(write_yaml(data))
    assert "-0.02" in err.value.problems[0].got  # 0.02 - 0.12 + 0.02 + 0.06
    narrow = with_value(scenario_dict(), "rates.inflation",
                        {"dist": "uniform", "low": 0.0, "high": 0.08})
    assert load_scenario(write_yaml(narrow, "ok.yaml")).scenario.rates.inflation.support()[1] \
        == 0.08


def test_a_rate_path_is_checked_in_every_year(write_yaml):
    data = with_value(scenario_dict(), "rates.policy_rate", {2025: 0.02, 2035: -0.2})
    with pytest.raises(InfeasibleScenarioError) as err:
        load_scenario(write_yaml(data))
    assert "in 2035" in err.value.problems[0].got
    # a --set that makes the file feasible again is accepted
    loaded = load_scenario(write_yaml(data), ["rates.policy_rate=0.02"])
    assert loaded.scenario.rates.policy_rate == 0.02


@pytest.mark.parametrize("text, value", [("1e308", 1e308), ("-5E-3", -0.005),
                                         ("2.5e-1", 0.25), ("1_000", 1000)])
def test_yaml_1_2_floats_are_numbers(text, value):
    assert load_yaml_value(text) == value
    assert load_yaml_value(f'"{text}"') == text  # quoted stays text (and strict types refuse it)


def test_exponent_without_a_dot_in_a_file_and_in_set(write_yaml):
    text = write_yaml(scenario_dict()).read_text()
    assert "gdp: 600.0" in text
    text = text.replace("gdp: 600.0", "gdp: 6e2")
    path = write_yaml(text, "exp.yaml")
    assert load_scenario(path).scenario.baseline.gdp == 600.0
    assert load_scenario(path, ["baseline.gdp=7e2"]).scenario.baseline.gdp == 700.0


def test_non_finite_model_outputs_stop_the_run_and_write_nothing(write_yaml, tmp_path, capsys):
    """Valid but extreme values: GDP of 1e308 overflows. The run stops with exit 2 naming the
    problem; no results file and no temporary is left."""
    path = write_yaml(with_value(scenario_dict(), "baseline.gdp", 1e308))
    out = tmp_path / "x.nc"
    assert main(["run", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr()
    text = err.out + err.err
    assert "(model outputs)" in text and "NaN or infinite" in text and "Traceback" not in text
    assert not out.exists() and not list(tmp_path.glob("x.nc*"))


def test_check_finite_names_the_draw_and_its_sampled_values():
    table = ParamTable(3, {"baseline.gdp": 600.0},
                       {"ai.cost_saving": np.array([0.2, 0.3, 0.4]),
                        "labour.reinstatement": np.array([0.1, 0.5, 0.9])})
    check_finite(np.array([False, False, False]), table, "s")  # all finite: no error
    with pytest.raises(InputError) as err:
        check_finite(np.array([False, True, True]), table, "s")
    got = err.value.problems[0].got
    assert "2 draw(s), first draw 1 of a chunk of 3" in got
    assert "ai.cost_saving=0.3" in got and "labour.reinstatement=0.5" in got


def test_no_labour_share_anywhere_is_refused_with_its_line(write_yaml):
    """Found by the fuzz test: labour shares of 0 in every sector made labour income 0 / 0."""
    data = scenario_dict()
    for code in data["sectors"]:
        data["sectors"][code]["labour_share"] = 0.0
    with pytest.raises(InputError) as err:
        load_scenario(write_yaml(data))
    problem = err.value.problems[0]
    assert problem.key.endswith("labour_share") and problem.line is not None
