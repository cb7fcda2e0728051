"""Where the calibration reads raw data and writes fitted files: the project checkout.

The raw data (``calibration/data/``) belongs to the repository, not to the installed package
(which carries only the fitted files, :mod:`sim.scenario.library`), so the checkout that
``aisim calibrate`` writes to is looked up, never derived from ``__file__``: ``AISIM_ROOT`` if set,
else the working directory or its nearest parent that holds ``calibration/data`` and
``scenarios/``, else the checkout an editable install points to (found through
``importlib.resources``). A wheel installed elsewhere has none, and says so.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from sim.errors import CalibrationDataError, Problem

ROOT_VARIABLE = "AISIM_ROOT"


def _is_root(folder: Path) -> bool:
    return (folder / "calibration" / "data").is_dir() and (folder / "scenarios").is_dir()


def project_root() -> Path:
    """The aisim checkout that ``aisim calibrate`` works on (see the module docstring)."""
    explicit = os.environ.get(ROOT_VARIABLE)
    if explicit:
        if _is_root(Path(explicit)):
            return Path(explicit).resolve()
        raise CalibrationDataError([Problem(
            "environment", None, ROOT_VARIABLE,
            "a folder holding calibration/data and scenarios/", explicit)])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_root(folder):
            return folder
    package = Path(str(resources.files("sim")))
    if _is_root(package.parent):
        return package.parent.resolve()
    raise CalibrationDataError([Problem(
        "environment", None, "project folder",
        "the working directory inside an aisim checkout (calibration/data, scenarios/)",
        str(here), f"run from the checkout, set {ROOT_VARIABLE}, or pass --data and --out")])


def default_data_dir() -> Path:
    """``calibration/data`` of the project checkout."""
    return project_root() / "calibration" / "data"


def default_out_dir() -> Path:
    """``calibration/`` of the project checkout."""
    return project_root() / "calibration"


def default_scenario() -> Path:
    """The default scenario, whose headline the calibration report shows."""
    return project_root() / "scenarios" / "flanders_central.yaml"
