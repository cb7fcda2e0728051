"""Scenarios work anywhere (issue 16, item 6): a wheel of the project, installed non-editable in
a fresh virtual environment, carries the scenario library byte for byte, and ``aisim init``,
``validate`` and ``run`` work from a folder outside the repository.

Only aisim itself is installed into the new environment (from the wheel, ``--no-deps``); its
dependencies come from the environment running the tests through a ``.pth`` file, which adds
their folders after the new environment's own, so ``import sim`` finds the installed wheel and
never the checkout (checked). The numba cache is a fresh folder of the test: the run compiles
the kernels cold, which is why that one test is marked ``slow`` (about 40 s of CPU time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from tests.conftest import ROOT

#: what a build reads from the repository (the rest of the checkout is left behind)
BUILD_INPUTS = ("pyproject.toml", "README.md", "sim", "calibration", "scenarios")


def checkout_library() -> dict[str, Path]:
    """The files the wheel must carry under sim/_library/: an independent listing."""
    files = [*ROOT.glob("calibration/*.yaml"), *ROOT.glob("scenarios/**/*.yaml")]
    return {p.relative_to(ROOT).as_posix(): p for p in files}


class Installed:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.venv = base / "venv"
        self.work = base / "work"  # outside the repository
        self.wheel: Path | None = None
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONPATH", "AISIM_ROOT", "AISIM_NUMBA_CACHE_DIR",
                                 "NUMBA_CACHE_DIR", "VIRTUAL_ENV")}
        self.env["AISIM_NUMBA_CACHE_DIR"] = str(base / "numba-cache")
        self.env["MPLBACKEND"] = "Agg"

    def bin(self, name: str) -> str:
        return str(self.venv / ("Scripts" if os.name == "nt" else "bin") / name)

    def aisim(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.bin("aisim"), *args], cwd=self.work, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


def check(res: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert res.returncode == 0, f"{' '.join(map(str, res.args))}\n{res.stdout}\n{res.stderr}"
    return res


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    inst = Installed(tmp_path_factory.mktemp("packaging"))
    assert not inst.base.resolve().is_relative_to(ROOT)
    source = inst.base / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = inst.base / "wheels"
    check(subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                          str(wheels), str(source)], capture_output=True, text=True,
                         timeout=600, env=inst.env))
    (inst.wheel,) = wheels.glob("aisim-*.whl")
    check(subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(inst.venv)],
                         capture_output=True, text=True, timeout=120))
    check(subprocess.run([sys.executable, "-m", "pip", "--python", inst.bin("python"),
                          "install", "--no-deps", "--no-index", "-q", str(inst.wheel)],
                         capture_output=True, text=True, timeout=300, env=inst.env))
    site = subprocess.run([inst.bin("python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    (Path(site) / "_aisim_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    inst.work.mkdir()
    return inst


def test_the_wheel_carries_the_library_byte_for_byte(installed):
    expected = checkout_library()
    prefix = "sim/_library/"
    with zipfile.ZipFile(installed.wheel) as wheel:
        shipped = {n.removeprefix(prefix): wheel.read(n) for n in wheel.namelist()
                   if n.startswith(prefix)}
        names = set(wheel.namelist())
    assert sorted(shipped) == sorted(expected)
    for relative, path in expected.items():
        assert shipped[relative] == path.read_bytes(), relative
    assert len(shipped) >= 45 and not any("data/" in n for n in shipped)
    assert {"sim/scenario/starter.yaml", "sim/py.typed"} <= names


def test_the_installed_package_reads_its_own_copy(installed):
    from sim.present.explorer.presets import find_presets
    from sim.scenario import library

    probe = ("import json, sim; from sim.scenario import library; "
             "from sim.present.explorer.presets import find_presets; p = find_presets(); "
             "print(json.dumps([sim.__file__, str(library.library_root()), "
             "list(library.names()), p.names, p.first]))")
    res = check(subprocess.run([installed.bin("python"), "-c", probe], cwd=installed.work,
                               env=installed.env, capture_output=True, text=True, timeout=300))
    module, root, names, presets, first = json.loads(res.stdout)
    assert Path(module).resolve().is_relative_to(installed.venv.resolve())
    assert Path(root) == Path(module).parent / "_library"
    assert names == list(library.names())  # the checkout's names, in the same order
    # the explorer's presets: the packaged scenarios, as in the checkout
    assert presets == find_presets(root=ROOT / "scenarios").names and first == "flanders/central"


def test_init_and_validate_outside_the_repository(installed):
    res = check(installed.aisim("init", "proj"))
    assert "wrote proj/scenario.yaml" in res.stdout
    res = check(installed.aisim("validate", "proj/scenario.yaml"))
    assert "valid scenario 'my-scenario': 10 sector(s)" in res.stdout
    # a shipped scenario copied out of the repository, its extends: now a name
    text = (ROOT / "scenarios" / "flanders" / "fast_adoption.yaml").read_text()
    assert "extends: central.yaml\n" in text
    (installed.work / "fast.yaml").write_text(
        text.replace("extends: central.yaml\n", "extends: aisim:flanders/central\n"))
    check(installed.aisim("validate", "fast.yaml", "--set", "ai.cost_saving=0.3"))
    check(installed.aisim("validate", "aisim:published/oecd_2024_sc3"))
    res = installed.aisim("validate", "aisim:flanders_centrl")
    assert res.returncode == 2 and "did you mean 'aisim:flanders_central'?" in res.stderr


@pytest.mark.slow
def test_run_outside_the_repository(installed):
    """The starter and ``aisim:flanders_central``, run by the installed console script (the
    kernels compiled cold into the test's own cache): the same numbers."""
    check(installed.aisim("init", "run"))
    check(installed.aisim("run", "run/scenario.yaml", "--draws", "8", "-q", "--out", "mine.nc"))
    check(installed.aisim("run", "aisim:flanders_central", "--draws", "8", "-q"))
    mine = xr.load_dataset(installed.work / "mine.nc")
    default = xr.load_dataset(installed.work / "out" / "flanders_central.nc")
    assert mine.attrs["scenario_name"] == "my-scenario"
    assert default.attrs["scenario_file"] == "flanders_central.yaml"
    assert set(mine.data_vars) == set(default.data_vars) and len(mine.data_vars) > 20
    for name in default.data_vars:
        np.testing.assert_array_equal(mine[name].values, default[name].values, err_msg=name)
