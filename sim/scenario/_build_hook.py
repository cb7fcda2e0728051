"""Build step (setuptools, ``[tool.setuptools.cmdclass]`` in pyproject.toml): ship the scenario
library inside the wheel.

The top-level ``calibration/*.yaml`` and ``scenarios/**/*.yaml`` of the repository are copied
to ``sim/_library/calibration/`` and ``sim/_library/scenarios/`` of the built package, so an
installed aisim resolves ``extends: aisim:NAME`` (:mod:`sim.scenario.library`) without a
checkout. The repository keeps one copy (``aisim calibrate`` writes the top-level folder); the
packaged one is made at build time and cannot drift (``tests/test_packaging.py`` compares
a built wheel with the repository byte for byte). The source distribution carries the same
files, so a wheel built from it (``python -m build``) has them too. An editable install copies
nothing: :mod:`sim.scenario.library` reads the checkout itself.

Loaded by setuptools from this file alone (not through ``sim``, whose dependencies the build
environment lacks), so it imports only the standard library and setuptools.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

#: (folder of the repository, glob of the files shipped from it)
SHIPPED = (("calibration", "*.yaml"), ("scenarios", "**/*.yaml"))
#: where they go inside the package
TARGET = Path("sim") / "_library"


def library_files(root: Path) -> list[Path]:
    """The shipped files, relative to the repository ``root``, sorted."""
    files: list[Path] = []
    for folder, pattern in SHIPPED:
        files += [p.relative_to(root) for p in (root / folder).glob(pattern) if p.is_file()]
    return sorted(files)


class BuildPy(build_py):
    """``build_py`` that also copies the library into ``<build>/sim/_library/`` (replacing a
    copy left by an earlier build, so a file deleted from the repository is not shipped)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path.cwd()
        target = Path(self.build_lib) / TARGET
        if target.exists():
            shutil.rmtree(target)
        for relative in library_files(root):
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(root / relative), str(destination))


class Sdist(sdist):
    """``sdist`` that includes the library's source files (the wheel is built from them).
    They are added to the release tree, after setuptools' own file list (the ``egg_info``
    manifest, which would need a top-level MANIFEST.in to name them)."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        extra = [p.as_posix() for p in library_files(Path.cwd())]
        super().make_release_tree(base_dir, [*files, *(p for p in extra if p not in files)])
