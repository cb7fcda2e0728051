"""``aisim init DIR`` (issue 16, item 6): a starter scenario that validates and runs as it is,
outside the repository, gives the default scenario's numbers, comes with the editor schema its
first line points to, and never overwrites a file without ``--force``."""

from __future__ import annotations

import json
import os

import jsonschema
import numpy as np
import xarray as xr
import yaml

from sim.cli import main
from sim.scenario.loader import load_scenario
from sim.scenario.reference import json_schema
from sim.scenario.starter import starter_text


def test_init_writes_a_starter_that_validates(tmp_path, capsys):
    folder = tmp_path / "new" / "project"
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {folder / 'scenario.yaml'}" in out and "next: aisim validate" in out
    assert (folder / "scenario.yaml").read_text() == starter_text()
    schema = json.loads((folder / "scenario.schema.json").read_text())
    assert schema == json_schema()
    assert starter_text().startswith("# yaml-language-server: $schema=scenario.schema.json\n")
    doc = yaml.safe_load(starter_text())
    assert doc["extends"] == ["aisim:flanders_A10", "aisim:flanders_A10_uncertainty"]
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    assert main(["validate", str(folder / "scenario.yaml")]) == 0
    assert "valid scenario 'my-scenario': 10 sector(s)" in capsys.readouterr().out
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporaries


def test_the_starter_is_the_default_scenario_renamed(tmp_path):
    """Same numbers as aisim:flanders_central: every value but the name and description."""
    path = tmp_path / "scenario.yaml"
    path.write_text(starter_text())
    starter = load_scenario(path).scenario
    default = load_scenario("aisim:flanders_central").scenario
    keep = {"name", "description"}
    assert starter.model_dump(exclude=keep) == default.model_dump(exclude=keep)
    assert starter.name == "my-scenario"


def test_init_refuses_to_overwrite_without_force(tmp_path, capsys):
    (tmp_path / "scenario.yaml").write_text("mine: 1\n")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "scenario.yaml (already there)" in err and "--force" in err and "Traceback" not in err
    assert (tmp_path / "scenario.yaml").read_text() == "mine: 1\n"
    assert not (tmp_path / "scenario.schema.json").exists()  # nothing written at all
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "scenario.yaml").read_text() == starter_text()


def test_init_into_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "taken").write_text("x")
    assert main(["init", str(tmp_path / "taken")]) == 2
    assert "DIR: expected a folder" in capsys.readouterr().err


def test_the_starter_runs_from_its_folder_like_the_default(tmp_path, capsys, monkeypatch):
    """``aisim run`` of the starter, and of ``aisim:flanders_central`` by name, in a folder
    outside the repository: the same numbers; the default output is out/<file stem>.nc."""
    assert main(["init", str(tmp_path / "proj")]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["run", "proj/scenario.yaml", "--draws", "8", "-q", "--out", "mine.nc"]) == 0
    assert main(["run", "aisim:flanders_central", "--draws", "8", "-q"]) == 0
    capsys.readouterr()
    assert os.path.exists(tmp_path / "out" / "flanders_central.nc")
    mine = xr.load_dataset(tmp_path / "mine.nc")
    default = xr.load_dataset(tmp_path / "out" / "flanders_central.nc")
    assert mine.attrs["scenario_name"] == "my-scenario"
    assert set(mine.data_vars) == set(default.data_vars) and len(mine.data_vars) > 20
    for name in default.data_vars:
        np.testing.assert_array_equal(mine[name].values, default[name].values, err_msg=name)
