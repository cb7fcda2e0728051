"""Stage 1, the scenario: the typed schema, YAML loading with file:line errors, ``extends:`` and
``--set`` overrides, distribution specs, load-time checks, and the scenario's parameters as dotted
paths (docs/architecture.md)."""

from sim.scenario.loader import (
    LoadedScenario,
    load_scenario,
    read_document,
    read_yaml,
    validate_document,
)
from sim.scenario.schema import Scenario

__all__ = ["LoadedScenario", "Scenario", "load_scenario", "read_document", "read_yaml",
           "validate_document"]
