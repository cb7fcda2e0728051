"""Distribution specs refused in the family's own terms (issue 16, item 4): the message names
the family chosen by ``dist:``, its parameters as written and its shorthands, and carries no
pydantic phrasing or self-suggestion."""

from __future__ import annotations

import pytest
from conftest import scenario_dict, with_value

from sim.errors import ScenarioError
from sim.scenario.distributions import FAMILIES, family_parameters
from sim.scenario.loader import load_scenario

#: a key of another family, for every family
FOREIGN = {"normal": "sigma", "lognormal": "sd", "uniform": "mode", "triangular": "sd",
           "beta": "mean", "truncnormal": "median", "choice": "low"}
#: an incomplete spec per family
INCOMPLETE = {"normal": {"mean": 0.3}, "lognormal": {"median": 0.3}, "uniform": {"low": 0.1},
              "triangular": {"low": 0.1, "high": 0.4}, "beta": {"a": 2.0},
              "truncnormal": {"low": 0.0, "high": 1.0}, "choice": {}}
PYDANTIC = ("Input should", "Field required", "validation error", "mean_", "type=")


def messages(write_yaml, spec: dict) -> list[str]:
    path = write_yaml(with_value(scenario_dict(), "ai.cost_saving", spec))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return [str(p) for p in err.value.problems]


def test_every_family_is_covered():
    assert set(FOREIGN) == set(FAMILIES) == set(INCOMPLETE)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_foreign_key_names_the_family_and_its_parameters(family, write_yaml):
    spec = {"dist": family, **INCOMPLETE[family], FOREIGN[family]: 0.2}
    lines = messages(write_yaml, spec)
    text = "\n".join(lines)
    assert f"a parameter of {family}: " + ", ".join(family_parameters(family)) in text
    assert f"unknown key '{FOREIGN[family]}'" in text
    assert f"did you mean '{FOREIGN[family]}'" not in text  # never suggests itself
    assert not any(word in text for word in PYDANTIC), text
    assert "{dist: " + family in text  # the family's form


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_an_incomplete_spec_says_what_the_family_needs(family, write_yaml):
    text = "\n".join(messages(write_yaml, {"dist": family, **INCOMPLETE[family]}))
    assert f"a valid {family} distribution" in text
    assert not any(word in text for word in PYDANTIC), text
    if family != "choice":
        assert "ci80" in text  # the shorthand is offered


def test_lognormal_with_mean_and_sd_points_to_median_and_sigma(write_yaml):
    text = "\n".join(messages(write_yaml, {"dist": "lognormal", "mean": 3, "sd": 1}))
    assert "did you mean 'median'?" in text and "median, sigma" in text
    assert "valid number" not in text  # the number branch of the union is not reported


def test_a_mapping_without_dist_says_a_number_or_a_distribution(write_yaml):
    path = write_yaml(with_value(scenario_dict(), "baseline.capital_share", {"mean": 0.3}))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert "a number, or a distribution {dist: <family>, ...}" in text
    assert not any(word in text for word in PYDANTIC), text
