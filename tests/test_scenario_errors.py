"""Bad scenario input is refused at the door: every problem at once, located and explained."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.scenario.loader import load_scenario
from tests.conftest import scenario_dict


def problems_of(path, overrides=None):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return info.value.problems


def test_valid_scenario_loads(write_yaml):
    loaded = load_scenario(write_yaml(scenario_dict()))
    assert loaded.scenario.sector_codes == ("C", "G", "J")
    assert len(loaded.sha256) == 64


def test_share_out_of_range_names_file_line_key(write_yaml):
    text = write_yaml(scenario_dict()).read_text().replace("cost_saving: 0.27",
                                                           "cost_saving: 1.4")
    path = write_yaml(text)
    [p] = problems_of(path)
    assert p.key == "ai.cost_saving"
    assert p.file == str(path.resolve())
    assert p.line == next(i for i, line in enumerate(text.splitlines(), 1)
                          if "cost_saving: 1.4" in line)
    assert "[0, 1]" in p.expected and "1.4" in p.expected + p.got


def test_all_problems_reported_at_once(write_yaml):
    data = scenario_dict()
    data["ai"]["cost_saving"] = -0.1
    data["sectors"]["G"]["labour_share"] = 2.0
    data["horizon"] = {"start": 2030, "end": 2025}
    data["baseline"]["tfp_growth"] = "fast"
    keys = {p.key for p in problems_of(write_yaml(data))}
    assert {"ai.cost_saving", "sectors.G.labour_share", "horizon",
            "baseline.tfp_growth"} <= keys


def test_negative_rate_refused(write_yaml):
    data = scenario_dict()
    data["baseline"]["depreciation"] = -0.05
    [p] = problems_of(write_yaml(data))
    assert p.key == "baseline.depreciation"


def test_end_before_start(write_yaml):
    data = scenario_dict(horizon={"start": 2040, "end": 2030})
    [p] = problems_of(write_yaml(data))
    assert p.key == "horizon" and "end year after start year" in p.expected


def test_misspelt_key_gets_a_suggestion(write_yaml):
    data = scenario_dict()
    data["ai"]["cost_savng"] = data["ai"].pop("cost_saving")
    [p] = problems_of(write_yaml(data))
    assert p.key == "ai.cost_savng"
    assert "did you mean 'cost_saving'" in p.hint


def test_unknown_sector_code(write_yaml):
    data = scenario_dict()
    data["diffusion"]["sector_midpoint_shift"] = {"Q": -2}
    data["ai"]["profitable_share"]["sector_multiplier"] = {"g": 1.2}
    problems = problems_of(write_yaml(data))
    keys = {p.key: p for p in problems}
    assert "diffusion.sector_midpoint_shift.Q" in keys
    assert "did you mean 'G'" in keys["ai.profitable_share.sector_multiplier.g"].hint


def test_duplicate_keys(write_yaml):
    text = write_yaml(scenario_dict()).read_text()
    text = text.replace("  cost_saving: 0.27\n", "  cost_saving: 0.27\n  cost_saving: 0.3\n")
    [p] = problems_of(write_yaml(text))
    assert p.key == "ai.cost_saving" and "duplicate" in p.got and "first defined" in p.hint


def test_missing_extends_target(write_yaml):
    path = write_yaml("extends: nowhere.yaml\nname: x\n")
    problems = problems_of(path)
    assert problems[0].key == "extends" and problems[0].line == 1
    assert "nowhere.yaml" in problems[0].got


def test_cyclic_extends(write_yaml):
    write_yaml("extends: b.yaml\nname: a\n", "a.yaml")
    write_yaml("extends: a.yaml\nname: b\n", "b.yaml")
    problems = problems_of(write_yaml("extends: a.yaml\n", "c.yaml"))
    assert any(p.key == "extends" and "cycle" in p.got for p in problems)


def test_extends_merges_and_overrides(write_yaml):
    write_yaml(scenario_dict(), "base.yaml")
    child = write_yaml("extends: base.yaml\nname: child\nai:\n  cost_saving: 0.36\n",
                       "child.yaml")
    scn = load_scenario(child).scenario
    assert scn.name == "child" and scn.ai.cost_saving == 0.36
    assert scn.ai.profitable_share.start == 0.23  # inherited, merged key by key


def test_set_overrides_validated_like_file_values(write_yaml):
    path = write_yaml(scenario_dict())
    assert load_scenario(path, ["ai.cost_saving=0.3"]).scenario.ai.cost_saving == 0.3
    [p] = problems_of(path, ["ai.cost_saving=1.7"])
    assert p.key == "ai.cost_saving" and p.file.startswith("--set")
    [p] = problems_of(path, ["ai.cost_savin=0.3"])
    assert "did you mean 'cost_saving'" in p.hint
    [p] = problems_of(path, ["no-equals-sign"])
    assert "dotted.key=value" in p.expected


def test_yaml_syntax_error_located(write_yaml):
    [p] = problems_of(write_yaml("name: x\nai: {cost_saving: 0.3\n"))
    assert p.line is not None and "YAML" in p.expected


def test_no_python_objects_from_yaml(write_yaml):
    problems = problems_of(write_yaml("name: !!python/object/apply:os.system ['true']\n"))
    assert problems and problems[0].expected == "valid YAML"


def test_size_weights_must_sum_to_one(write_yaml):
    data = scenario_dict()
    data["sectors"]["C"]["size_weights"] = {"micro": 0.5, "small": 0.5, "medium": 0.5,
                                            "large": 0.0}
    [p] = problems_of(write_yaml(data))
    assert p.key == "sectors.C.size_weights" and "sum 1.5" in p.got


def test_bad_correlations_refused_at_load_time(write_yaml):
    data = scenario_dict()
    data["ai"]["cost_saving"] = {"dist": "uniform", "low": 0.2, "high": 0.4}
    data["ai"]["parkinson_rebound"] = {"dist": "beta", "ci80": [0.05, 0.3]}
    data["labour"] = {"reinstatement": {"dist": "uniform", "low": 0.1, "high": 0.5}}
    data["correlations"] = [["ai.cost_saving", "ai.parkinson_rebound", 0.9],
                            ["ai.cost_saving", "labour.reinstatement", 0.9],
                            ["ai.parkinson_rebound", "labour.reinstatement", -0.9]]
    [p] = problems_of(write_yaml(data))
    assert p.key == "correlations" and "semi-definite" in p.got and p.line is not None
    data["correlations"] = [["ai.cost_savings", "ai.parkinson_rebound", 0.3]]
    [p] = problems_of(write_yaml(data))
    assert "did you mean 'ai.cost_saving'" in p.got
    data["correlations"] = [["ai.cost_saving", "ai.profitable_share.start", 0.3]]
    [p] = problems_of(write_yaml(data))
    assert "not a parameter with a distribution" in p.got
