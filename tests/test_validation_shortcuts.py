"""The shortcuts that make validating a sweep point cheaper (issue 18) give exactly what the
long way gives: override parsing, the memoised beta solve and correlation check, the faster
parameter walk and override merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from sim.errors import ScenarioError
from sim.scenario import distributions, loader
from sim.scenario.loader import Located, deep_merge, load_yaml_value, parse_override
from sim.scenario.parameters import is_distribution, numeric_leaves, stochastic_names
from tests.conftest import ROOT

FLANDERS = ROOT / "scenarios" / "flanders" / "central.yaml"


@pytest.mark.parametrize("raw", ["0.2", "-0.2", "1.0e-05", "1.5E+10", "12.25e3", "01.5",
                                 "-0.0", "1.0e400", "3.", ".5", "1e5", "+1.5", "1_0.5",
                                 " 0.25", "0.25 ", "[0.1, 0.2]", "{dist: normal}"])
def test_parse_override_reads_what_yaml_reads(raw: str) -> None:
    key, value = parse_override(f"ai.cost_saving={raw}")
    assert key == ("ai", "cost_saving")
    expected = load_yaml_value(raw)
    assert type(value) is type(expected) and repr(value) == repr(expected)


def _old_numeric_leaves(scenario: BaseModel) -> dict[str, object]:
    """numeric_leaves before the shortcuts (the reference)."""
    out: dict[str, object] = {}

    def walk(value: object, path: str) -> None:
        if is_distribution(value):
            out[path] = value
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                if name in {"monte_carlo", "horizon", "correlations", "references"}:
                    continue
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float):
            out[path] = float(value)

    walk(scenario, "")
    return out


def test_numeric_leaves_as_before() -> None:
    scn = loader.load_scenario(FLANDERS).scenario
    old = _old_numeric_leaves(scn)
    new = numeric_leaves(scn)
    assert list(new) == list(old)
    assert all(new[k] is old[k] or new[k] == old[k] for k in old)
    assert stochastic_names(scn) == [k for k, v in old.items() if is_distribution(v)]


def test_beta_solve_memoised() -> None:
    """The same (a, b) as solving afresh (an interval without a beta raises, and lru_cache
    caches no exception)."""
    distributions._solve_beta.cache_clear()
    for args in [(0.2, 0.4, 0.1, "ci80"), (0.05, 0.3, 0.05, "ci90")]:
        assert distributions._solve_beta(*args) == distributions._solve_beta.__wrapped__(*args)
        assert distributions._solve_beta(*args) == distributions._solve_beta.__wrapped__(*args)
    assert distributions._solve_beta.cache_info().hits == 2


def test_correlation_problem_the_same_each_time(write_yaml) -> None:
    from tests.conftest import scenario_dict

    data = scenario_dict(ai={"exposure": {"ceiling": 0.6, "midpoint": 2032, "steepness": 0.4},
                             "profitable_share": {"start": 0.23, "growth": 0.05,
                                                  "ceiling": 0.6},
                             "cost_saving": {"dist": "uniform", "low": 0.2, "high": 0.34},
                             "parkinson_rebound": {"dist": "uniform", "low": 0.0,
                                                   "high": 0.2}})
    data["correlations"] = [["ai.cost_saving", "ai.parkinson_rebound", 1.5]]
    path: Path = write_yaml(data)
    got = []
    for _ in range(2):
        with pytest.raises(ScenarioError) as err:
            loader.load_scenario(path)
        got.append(err.value.problems)
    assert got[0] == got[1] and "rho must lie in [-1, 1]" in got[0][0].got


def test_deep_merge_drops_sub_locations_of_replaced_keys() -> None:
    base = Located({"ai": {"cost_saving": {"dist": "normal", "mean": 0.3}, "lag": 2}},
                   {(): ("f", 1), ("ai",): ("f", 1), ("ai", "cost_saving"): ("f", 2),
                    ("ai", "cost_saving", "dist"): ("f", 3),
                    ("ai", "cost_saving", "mean"): ("f", 4), ("ai", "lag"): ("f", 5)})
    over = Located({"ai": {"cost_saving": 0.2}},
                   {("ai",): ("--set", None), ("ai", "cost_saving"): ("--set", None)})
    merged = deep_merge(base, over)
    assert merged.data == {"ai": {"cost_saving": 0.2, "lag": 2}}
    assert merged.where == {(): ("f", 1), ("ai",): ("--set", None),
                            ("ai", "cost_saving"): ("--set", None), ("ai", "lag"): ("f", 5)}
