"""The scenario library: the calibration fragments and scenarios that ship with aisim, by name.

A scenario anywhere on disk can build on them with ``extends: aisim:NAME``, and every command
that takes a scenario file also takes ``aisim:NAME`` (``aisim run aisim:flanders_central``):

- a calibration fragment by its file name: ``aisim:flanders_A10`` is ``calibration/
  flanders_A10.yaml`` (sectors, network, diffusion by firm size, baseline) and
  ``aisim:flanders_A10_uncertainty`` its uncertainty sibling;
- a scenario by its path below ``scenarios/`` without ``.yaml``: ``aisim:flanders_central``,
  ``aisim:flanders/fast_adoption``, ``aisim:published/acemoglu_2024_peng``.

The two kinds share one namespace (no calibration file is named like a scenario; a test checks
it). Sweep specifications (``scenarios/sweeps/``) and the fit results in
``calibration/adoption_fit.yaml`` are other formats and have no name.

Where the files are: in a checkout of the repository (an editable install, or ``sim`` on
``PYTHONPATH``) the checkout's own top-level ``calibration/`` and ``scenarios/`` folders, so an
edit or an ``aisim calibrate`` is seen at once; in an installed wheel the copy the build put in
``sim/_library/`` (``sim/scenario/_build_hook.py``), which has the same two folders, so the
shipped files' relative ``extends:`` (``../calibration/flanders_A10.yaml``) work unchanged.
"""

from __future__ import annotations

from pathlib import Path

from sim.suggest import did_you_mean

#: the prefix that marks a library name in ``extends:`` or on the command line
PREFIX = "aisim:"
#: the library's folders, in a checkout and in ``sim/_library/``
FOLDERS = ("calibration", "scenarios")
#: ``calibration/`` files that are not scenario fragments
NOT_FRAGMENTS = ("adoption_fit.yaml",)
#: folders below ``scenarios/`` whose files are not scenarios
NOT_SCENARIOS = ("sweeps",)

_PACKAGE = Path(__file__).resolve().parents[1]  # the folder of the sim package
PACKAGED = _PACKAGE / "_library"
CHECKOUT = _PACKAGE.parent


def _is_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and all(
        (folder / name).is_dir() for name in FOLDERS)


def library_root() -> Path | None:
    """The folder holding the library's ``calibration/`` and ``scenarios/``: the checkout that
    ``sim`` is imported from, else the copy inside the installed package; None if neither
    exists (a package built without its library)."""
    if _is_checkout(CHECKOUT):
        return CHECKOUT
    if all((PACKAGED / name).is_dir() for name in FOLDERS):
        return PACKAGED
    return None


def is_name(text: object) -> bool:
    """True for ``aisim:NAME`` (a library name rather than a file path)."""
    return isinstance(text, str) and text.startswith(PREFIX)


def names() -> dict[str, Path]:
    """Every library name (without the prefix) and its file: calibration fragments first,
    then scenarios, each sorted."""
    root = library_root()
    if root is None:
        return {}
    found: dict[str, Path] = {}
    for path in sorted((root / "calibration").glob("*.yaml")):
        if path.name not in NOT_FRAGMENTS:
            found[path.stem] = path
    scenarios = root / "scenarios"
    for path in sorted(scenarios.rglob("*.yaml")):
        relative = path.relative_to(scenarios)
        if relative.parts[0] not in NOT_SCENARIOS:
            found.setdefault(relative.with_suffix("").as_posix(), path)
    return found


def lookup(name: str) -> Path | None:
    """The file of ``aisim:NAME`` (``NAME`` or ``NAME.yaml``, prefix optional), or None."""
    key = name.removeprefix(PREFIX).strip()
    key = key.removesuffix(".yaml")
    return names().get(key)


def expected_names() -> str:
    """What an ``aisim:`` name may be, with every available name (for messages)."""
    available = names()
    if not available:
        return ("a name from aisim's scenario library, but this installation has none "
                "(reinstall aisim from a wheel or a checkout)")
    fragments = [n for n, p in available.items() if p.parent.name == "calibration"]
    scenarios = [n for n in available if n not in fragments]
    return (f"aisim:NAME with NAME a calibration fragment ({', '.join(fragments)}) or a "
            f"scenario ({', '.join(scenarios)})")


def suggestion(name: str) -> str:
    """``did you mean 'aisim:...'?`` for a misspelt library name, or ``""``."""
    key = name.removeprefix(PREFIX).strip().removesuffix(".yaml")
    hint = did_you_mean(key, list(names()), ignore_case=True)
    return hint.replace("mean '", f"mean '{PREFIX}", 1) if hint else ""
