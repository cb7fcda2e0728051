"""The starter scenario that ``aisim init DIR`` writes: ``scenario.yaml``, a commented copy of
the default scenario's central AI assumptions on the packaged Flemish calibration
(``extends: [aisim:flanders_A10, aisim:flanders_A10_uncertainty]``, :mod:`sim.scenario.library`),
and ``scenario.schema.json``, the editor schema its first line points to.

It validates and runs as it is, from any folder, and resolves to the same scenario as
``aisim:flanders_central`` but for its name and description (tests/test_init.py).
"""

from __future__ import annotations

import json
from importlib import resources

#: the starter's file name, and the editor schema's beside it
SCENARIO_FILE = "scenario.yaml"
SCHEMA_FILE = "scenario.schema.json"


def starter_text() -> str:
    """The starter scenario (``sim/scenario/starter.yaml``, shipped as package data)."""
    return resources.files("sim.scenario").joinpath("starter.yaml").read_text(encoding="utf-8")


def starter_files() -> dict[str, str]:
    """File name -> text of everything ``aisim init`` writes, in writing order."""
    from sim.scenario.reference import json_schema

    return {SCENARIO_FILE: starter_text(), SCHEMA_FILE: json.dumps(json_schema(), indent=2) + "\n"}
