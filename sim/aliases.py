"""Deprecated module paths from before the stage packages (``sim.engine``, ``sim.plot``, ...).

``import sim.plot`` still works: it imports the new module (``sim.present.plot``), registers it
under the old name and warns (``DeprecationWarning``) once. The table below is the whole list;
new code imports the new paths. Imports nothing from ``sim``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType

#: old module path -> new module path
MOVED: dict[str, str] = {
    "sim.schema": "sim.scenario.schema",
    "sim.distributions": "sim.scenario.distributions",
    "sim.reference": "sim.scenario.reference",
    "sim.params": "sim.scenario.parameters",
    "sim.compile": "sim.model.inputs",
    "sim.summary": "sim.runner.summary",
    "sim.results": "sim.runner.results",
    "sim.engine": "sim.runner.engine",
    "sim.stream": "sim.runner.stream",
    "sim.distributed": "sim.runner.executors",
    "sim.sweep": "sim.analysis.sweep",
    "sim.sweep_spec": "sim.analysis.sweep_spec",
    "sim.sensitivity": "sim.analysis.sensitivity",
    "sim.compare": "sim.analysis.compare",
    "sim.plot": "sim.present.plot",
    "sim.accessor": "sim.present.accessor",
    "sim.export": "sim.present.export",
}


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the old names of :data:`MOVED` and loads them as their new modules."""

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} is deprecated: import {new} instead",
                      DeprecationWarning, stacklevel=2)
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """The new module is already executed."""


def install() -> None:
    """Add the finder to ``sys.meta_path`` (once)."""
    if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder())
