"""aisim: a task-based, Monte Carlo simulator of AI, productivity, GDP and employment by sector.

``sim.run(scenario)`` returns an :class:`xarray.Dataset`; see docs/ (docs/model.md: the equations,
docs/architecture.md: the stages).

Importing ``sim`` is cheap and lazy: it loads no numba kernel (:func:`run` does, after choosing
the numba cache location, :mod:`sim.model.cache`), no dask, and not even xarray or pydantic.
:func:`load_scenario`, :class:`Scenario` and :class:`LoadedScenario` are imported on first use
(PEP 562), and the ``ds.aisim`` accessor (:mod:`sim.present.accessor`) is registered as soon as
xarray is imported, whether before or after ``sim``. The ``aisim`` command line relies on this to
print ``--help`` without loading the scientific stack (tests/test_startup.py).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sim import aliases  # old module paths, with a deprecation warning
from sim.version import __version__

if TYPE_CHECKING:
    import xarray as xr

    from sim.scenario import LoadedScenario, Scenario, load_scenario

__all__ = ["LoadedScenario", "Scenario", "__version__", "load_scenario", "run"]

#: public names imported from :mod:`sim.scenario` on first use
_LAZY = {"load_scenario", "Scenario", "LoadedScenario"}


def __getattr__(name: str) -> Any:
    """``sim.load_scenario``, ``sim.Scenario``, ``sim.LoadedScenario`` (PEP 562)."""
    if name in _LAZY:
        from sim import scenario

        value = getattr(scenario, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then()`` once the top-level module ``name`` has been imported (one-shot)."""

    def __init__(self, name: str, then: Callable[[], object]) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> Any:
        if fullname != self.name:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)  # the finders after this one
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenLoader(spec.loader, self.then)
        return spec


class _ThenLoader(importlib.abc.Loader):
    """Executes the module with its own loader, puts that loader back on the module, then calls
    ``then()``; every other loader method is the wrapped loader's."""

    def __init__(self, inner: Any, then: Callable[[], object]) -> None:
        self.inner, self.then = inner, then

    def create_module(self, spec: Any) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.inner
        if module.__spec__ is not None:
            module.__spec__.loader = self.inner
        self.inner.exec_module(module)
        self.then()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _register_accessor() -> None:
    importlib.import_module("sim.present.accessor")  # registers ds.aisim


aliases.install()
if "xarray" in sys.modules:
    _register_accessor()
elif not any(isinstance(f, _AfterImport) for f in sys.meta_path):
    sys.meta_path.insert(0, _AfterImport("xarray", _register_accessor))


def run(scenario: Scenario | LoadedScenario | str | Path, *, draws: int | None = None,
        seed: int | None = None, sampler: str | None = None, chunk_size: int | None = None,
        overrides: list[str] | None = None, progress: bool | None = None) -> xr.Dataset:
    """Simulate a scenario and return the full Dataset (every draw's paths in memory).

    ``scenario``: a file path, a loaded scenario or a :class:`~sim.scenario.schema.Scenario`;
    ``draws``, ``seed``, ``sampler`` (mc, lhs, sobol) and ``chunk_size`` override the file's
    ``monte_carlo`` block; ``overrides`` are ``--set``-style ``"key=value"`` strings.
    ``progress``: None (default) shows a progress bar in a terminal or a notebook once the run
    has taken a second (:mod:`sim.progress`), False never, True always. For runs too large for
    memory use ``aisim run --out`` or :func:`sim.runner.stream.run_to_store`.
    """
    from sim.model.cache import configure_numba_cache

    configure_numba_cache()
    from sim.runner.engine import run as run_in_memory

    return run_in_memory(scenario, draws=draws, seed=seed, sampler=sampler,
                         chunk_size=chunk_size, overrides=overrides, progress=progress)
