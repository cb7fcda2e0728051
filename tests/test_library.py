"""The scenario library (issue 16, item 6): ``extends: aisim:NAME`` and ``aisim:NAME`` on the
command line resolve to the shipped calibration fragments and scenarios, from any folder;
a misspelt name is refused with its file and line, every available name and a suggestion."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from sim.cli import main
from sim.errors import ScenarioError
from sim.scenario import library
from sim.scenario.loader import load_scenario
from sim.scenario.reference import json_schema
from tests.conftest import ROOT, SCENARIOS

CALIBRATION = ROOT / "calibration"


def test_a_checkout_reads_its_own_folders():
    assert library.library_root() == ROOT
    names = library.names()
    assert names["flanders_A10"] == CALIBRATION / "flanders_A10.yaml"
    assert names["flanders_A10_uncertainty"] == CALIBRATION / "flanders_A10_uncertainty.yaml"
    assert names["flanders_central"] == SCENARIOS / "flanders_central.yaml"
    assert names["flanders/central"] == SCENARIOS / "flanders" / "central.yaml"
    assert names["published/acemoglu_2024_peng"] == (
        SCENARIOS / "published" / "acemoglu_2024_peng.yaml")


def test_every_fragment_and_scenario_has_one_name():
    """One namespace: no calibration file is named like a scenario, nothing is lost."""
    fragments = [p for p in CALIBRATION.glob("*.yaml") if p.name != "adoption_fit.yaml"]
    scenarios = [p for p in SCENARIOS.rglob("*.yaml") if "sweeps" not in p.parts]
    names = library.names()
    assert len(fragments) == 16 and len(scenarios) >= 30
    assert sorted(names.values()) == sorted([*fragments, *scenarios])
    assert all(not n.startswith("sweeps/") and n != "adoption_fit" for n in names)


@pytest.mark.parametrize("name", [n for n, p in library.names().items()
                                  if p.parent.name != "calibration"])
def test_every_scenario_name_loads_like_its_file(name):
    by_name = load_scenario(library.PREFIX + name)
    by_path = load_scenario(library.names()[name])
    assert by_name.sha256 == by_path.sha256
    assert by_name.source == str(library.names()[name])


def test_a_file_anywhere_extends_the_library(tmp_path):
    mine = tmp_path / "elsewhere" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text("extends:\n  - aisim:flanders_A10\n  - aisim:flanders_A10_uncertainty.yaml\n"
                    "name: mine\ndiffusion: {intensity: {start: 0.1}}\n")
    loaded = load_scenario(mine, ["ai.cost_saving=0.3"])
    scn = loaded.scenario
    assert len(scn.sectors) == 10 and scn.diffusion.intensity.start == 0.1
    assert scn.ai.cost_saving == 0.3
    # the calibration's values and its uncertainty sibling both arrive
    calibration = yaml.safe_load((CALIBRATION / "flanders_A10.yaml").read_text())
    assert scn.sectors["J"].value_added == calibration["sectors"]["J"]["value_added"]
    assert scn.sectors["J"].exposure.dist == "triangular"
    assert str(CALIBRATION / "flanders_A10_uncertainty.yaml") in loaded.files


def test_extending_the_default_by_name_equals_extending_its_path(tmp_path):
    by_name = tmp_path / "by_name.yaml"
    by_name.write_text("extends: aisim:flanders_central\nname: x\njcurve: {lag: 5}\n")
    by_path = tmp_path / "by_path.yaml"
    by_path.write_text(f"extends: {SCENARIOS / 'flanders_central.yaml'}\nname: x\n"
                       "jcurve: {lag: 5}\n")
    assert load_scenario(by_name).resolved == load_scenario(by_path).resolved


def test_a_misspelt_name_is_located_with_every_name_and_a_suggestion(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nextends:\n  - aisim:flanders_A10\n"
                   "  - aisim:flanders_A10_uncertanty\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.key) == (str(bad), 4, "extends")
    assert problem.got == "'aisim:flanders_A10_uncertanty'"
    assert problem.hint == "did you mean 'aisim:flanders_A10_uncertainty'?"
    for name in ("belgium_A21", "wallonia_A10_uncertainty", "flanders_central",
                 "published/oecd_2024_sc3", "regions/brussels"):
        assert name in problem.expected


def test_a_misspelt_name_on_the_command_line_exits_2(capsys):
    assert main(["validate", "aisim:flanders_centrl"]) == 2
    err = capsys.readouterr().err
    assert "command line: scenario: expected aisim:NAME" in err
    assert "did you mean 'aisim:flanders_central'?" in err and "Traceback" not in err


def test_a_name_on_the_command_line_validates(capsys):
    assert main(["validate", "aisim:published/acemoglu_2024_peng",
                 "--set", "ai.cost_saving=0.3"]) == 0
    assert "valid scenario 'acemoglu-2024-peng'" in capsys.readouterr().out


def test_the_editor_schema_offers_the_names_and_refuses_a_typo():
    schema = json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    ok = [{"extends": "aisim:flanders_A10"}, {"extends": ["../a.yaml", "aisim:flanders/central"]},
          {"extends": "base.yaml"}]
    for doc in ok:
        assert not list(validator.iter_errors(doc)), doc
    for doc in ({"extends": "aisim:flanders_A11"}, {"extends": ["aisim:nope"]}):
        assert list(validator.iter_errors(doc)), doc
    offered = schema["properties"]["extends"]["anyOf"][0]["anyOf"][1]["enum"]
    assert offered == [library.PREFIX + n for n in library.names()]


def test_compare_and_sweep_take_names(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["compare", "aisim:acemoglu_2024", "aisim:published/acemoglu_2024_peng"]) == 0
    out = capsys.readouterr().out
    assert "acemoglu-2024 " in out and "acemoglu-2024-peng" in out
    assert main(["compare", "aisim:acemoglu_2042"]) == 2
    assert "did you mean 'aisim:acemoglu_2024'?" in capsys.readouterr().err
    assert main(["sweep", "aisim:acemoglu_2024", "--grid", "ai.cost_saving=0.2,0.3",
                 "--draws", "1"]) == 0
    assert (tmp_path / "out" / "acemoglu_2024-sweep.zarr").is_dir()
