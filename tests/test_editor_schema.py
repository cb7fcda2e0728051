"""The editor JSON Schema (``aisim schema -o``) accepts every shipped scenario and calibration
file, ``extends:`` files included (issue 16, item 5), and still catches unknown keys, wrong
types and a distribution's foreign parameters."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sim.cli import main
from sim.scenario.reference import json_schema

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted([*(p for p in (ROOT / "scenarios").rglob("*.yaml") if "sweeps" not in p.parts),
                *(p for p in (ROOT / "calibration").glob("*.yaml")
                  if p.name != "adoption_fit.yaml")])  # sweep specs, fit results: other formats


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_every_shipped_file_is_valid_for_the_editor(path, validator):
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]]


@pytest.mark.parametrize("bad", [
    {"labour": {"job_finding_rte": 0.3}},  # a typo
    {"sectors": {"A": {"value_added": "lots"}}},  # a string for a number
    {"ai": {"cost_saving": {"dist": "normal", "mean": 0.3, "sigma": 0.1}}},  # foreign key
    {"ai": {"cost_saving": {"mean": 0.3}}},  # a mapping without dist
    {"extends": 3},
])
def test_the_editor_schema_still_catches_mistakes(bad, validator):
    assert list(validator.iter_errors(bad))


def test_cli_writes_the_schema_that_validates(tmp_path, capsys):
    out = tmp_path / "scenario.schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == json_schema()
    assert len(FILES) >= 30
