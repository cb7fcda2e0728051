"""Entry points and seams of the restructured package: importing ``sim`` loads no kernel and sets
no numba cache; old module paths still import, with a deprecation warning; the calibration finds
the checkout without ``__file__`` arithmetic; subcommands register through one public seam."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.aliases import MOVED
from tests.conftest import ROOT


def python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, **env})


def test_importing_sim_loads_no_kernel_and_leaves_numba_alone() -> None:
    res = python("import sys, numba; before = numba.config.CACHE_DIR; import sim; "
                 "assert 'sim.model.kernel' not in sys.modules, 'kernel imported'; "
                 "assert numba.config.CACHE_DIR == before, 'cache dir changed'; print('ok')")
    assert res.returncode == 0 and "ok" in res.stdout, res.stderr


def test_entry_point_sets_a_cache_folder_named_after_the_kernel_sources(tmp_path: Path) -> None:
    res = python("import numba, sim.model.cache as c; folder = c.configure_numba_cache(); "
                 "assert numba.config.CACHE_DIR == folder; print(folder)",
                 NUMBA_CACHE_DIR=str(tmp_path), AISIM_NUMBA_CACHE_DIR="")
    assert res.returncode == 0, res.stderr
    folder = Path(res.stdout.strip())
    assert folder.parent == tmp_path
    import numba

    assert folder.name.startswith(numba.__version__ + "-") and len(folder.name.split("-")[-1]) == 16


@pytest.mark.parametrize("old", sorted(MOVED))
def test_old_module_paths_import_the_new_module_with_a_warning(old: str) -> None:
    res = python(f"import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
                 f"try:\n    import {old}\nexcept DeprecationWarning as w:\n    print(w)")
    assert res.returncode == 0, res.stderr
    assert f"{old} is deprecated: import {MOVED[old]} instead" in res.stdout
    with pytest.warns(DeprecationWarning):
        sys.modules.pop(old, None)
        module = importlib.import_module(old)
    assert module is importlib.import_module(MOVED[old])


def test_every_alias_points_to_an_existing_module() -> None:
    for new in MOVED.values():
        importlib.import_module(new)


def test_calibration_finds_the_checkout_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.calibrate.paths import project_root

    monkeypatch.delenv("AISIM_ROOT", raising=False)
    monkeypatch.chdir(ROOT / "docs")
    assert project_root() == ROOT


def test_calibration_outside_a_checkout_says_where_to_look(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    from sim.calibrate import paths
    from sim.errors import CalibrationDataError

    monkeypatch.setenv("AISIM_ROOT", str(tmp_path))
    with pytest.raises(CalibrationDataError, match="AISIM_ROOT"):
        paths.project_root()
    monkeypatch.setenv("AISIM_ROOT", str(ROOT))
    assert paths.default_data_dir() == ROOT / "calibration" / "data"


def test_every_subcommand_registers_through_the_public_seam() -> None:
    from sim.cli import COMMANDS, build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(m.rsplit(".", 1)[1] for m in COMMANDS)
    for module in COMMANDS:
        assert callable(importlib.import_module(module).register)
