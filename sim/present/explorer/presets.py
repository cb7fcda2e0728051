"""Presets: the scenario files the explorer offers, by name, from a list made on the server.

The browser only ever sends a name from this list; no file path is taken from it. The default
list is every file under ``scenarios/published/`` and ``scenarios/flanders/`` of the project,
plus the scenario given on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError, Problem
from sim.suggest import did_you_mean

#: the project's scenario folder (beside the ``sim`` package in a source checkout)
SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
#: folders whose files are presets, below :data:`SCENARIOS`
PRESET_FOLDERS = ("published", "flanders")


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


def find_presets(scenario: str | Path | None = None, root: Path = SCENARIOS,
                 folders: tuple[str, ...] = PRESET_FOLDERS) -> Presets:
    """The presets: ``scenario`` (when given) first, then every ``*.yaml`` under ``folders`` of
    ``root``, sorted. Without ``scenario`` the first is ``flanders/central`` when present."""
    files: dict[str, Path] = {}
    if scenario is not None:
        path = Path(scenario)
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
