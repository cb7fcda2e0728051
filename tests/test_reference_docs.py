"""The generated scenario reference and JSON Schema stay in step with the schema."""

from __future__ import annotations

import json
import subprocess
import sys

from sim.scenario.reference import json_schema, markdown
from sim.scenario.schema import Scenario
from tests.conftest import ROOT


def test_committed_reference_page_is_current():
    committed = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert committed == markdown(), "run: aisim schema --markdown docs/scenario-reference.md"


def test_every_schema_field_is_documented():
    page = markdown()
    for name in Scenario.model_fields:
        assert f"| `{name}" in page, name
    for key in ("ai.cost_saving", "labour.automation_share", "feedback.okun",
                "diffusion.size_classes.micro.midpoint", "network.coefficients"):
        assert f"`{key}" in page, key


def test_schema_command_writes_json_schema(tmp_path):
    out = tmp_path / "scenario.schema.json"
    res = subprocess.run([sys.executable, "-m", "sim.cli", "schema", "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    schema = json.loads(out.read_text())
    assert schema == json_schema()
    assert {"sectors", "ai", "diffusion", "extends"} <= set(schema["properties"])
    assert "additionalProperties" in json.dumps(schema)  # unknown keys refused by editors too


def test_committed_variables_page_is_current():
    from sim.model import variables

    committed = (ROOT / "docs" / "variables.md").read_text(encoding="utf-8")
    assert committed == variables.markdown(), "run: aisim schema --variables docs/variables.md"


def test_variables_page_lists_every_output_once():
    from sim.model.variables import VARIABLES
    from sim.model.variables import markdown as variables_page

    page = variables_page()
    for name in VARIABLES:
        assert page.count(f"| `{name}` |") == 1, name
