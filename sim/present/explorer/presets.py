"""Presets: the scenario files the explorer offers, by name, from a list made on the server.

The browser only ever sends a name from this list; no file path is taken from it. The default
list is every file under ``scenarios/published/`` and ``scenarios/flanders/`` of the project
checkout, plus the scenario given on the command line. The folder is looked up as the
calibration does (``sim/calibrate/paths.py``): ``AISIM_ROOT`` if set, else the working directory
or its nearest parent holding ``scenarios/``, else the checkout an editable install points to,
else the copy of the scenarios shipped inside an installed wheel (:mod:`sim.scenario.library`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sim.errors import InputError, Problem
from sim.scenario.library import library_root
from sim.scenario.loader import scenario_file
from sim.suggest import did_you_mean

#: folders whose files are presets, below the checkout's ``scenarios/``
PRESET_FOLDERS = ("published", "flanders")


def scenarios_folder() -> Path | None:
    """The checkout's ``scenarios/`` folder (see the module docstring), or None."""
    explicit = os.environ.get("AISIM_ROOT")
    here = Path.cwd().resolve()
    packaged = library_root()  # an installed wheel's copy (sim/_library), or the checkout
    candidates = [Path(explicit)] if explicit else [
        here, *here.parents, Path(str(resources.files("sim"))).parent,
        *([packaged] if packaged is not None else [])]
    for folder in candidates:
        if (folder / "scenarios" / PRESET_FOLDERS[0]).is_dir():
            return (folder / "scenarios").resolve()
    return None


@dataclass(frozen=True)
class Presets:
    """Preset names and the files they stand for, in menu order; ``first`` is the default."""

    files: dict[str, Path]
    first: str

    @property
    def names(self) -> list[str]:
        return list(self.files)

    def path(self, name: object) -> Path:
        """The file of a preset name, or an :class:`InputError` saying which names exist."""
        if not isinstance(name, str) or name not in self.files:
            got = name if isinstance(name, str) else type(name).__name__
            raise InputError([Problem("explorer", None, "preset",
                                      f"one of the {len(self.files)} presets (menu)",
                                      repr(got)[:80], did_you_mean(str(got), self.names))])
        return self.files[name]


def _name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    except ValueError:
        return path.stem


def find_presets(scenario: str | Path | None = None, root: Path | None = None,
                 folders: tuple[str, ...] = PRESET_FOLDERS) -> Presets:
    """The presets: ``scenario`` (when given) first, then every ``*.yaml`` under ``folders`` of
    ``root`` (default :func:`scenarios_folder`), sorted. Without ``scenario`` the first is
    ``flanders/central`` when present."""
    root = root if root is not None else (scenarios_folder() or Path.cwd() / "scenarios")
    files: dict[str, Path] = {}
    if scenario is not None:
        path = scenario_file(scenario)  # a path, or aisim:NAME
        files[_name(path, root)] = path.resolve()
    for folder in folders:
        for path in sorted((root / folder).glob("*.yaml")):
            files.setdefault(_name(path, root), path.resolve())
    if not files:
        raise InputError([Problem("explorer", None, "presets",
                                  f"scenario files under {root}/{{{','.join(folders)}}}",
                                  "none found", "give a scenario file: aisim explore FILE")])
    first = next(iter(files))
    if scenario is None and "flanders/central" in files:
        first = "flanders/central"
    return Presets(files, first)
