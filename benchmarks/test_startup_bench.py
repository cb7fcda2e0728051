"""Start-up of the command line and of ``import sim`` (issue 16, item 7), as ratios to an empty
interpreter.

``start-up`` times fresh child processes, as a user's shell starts them, best of
:data:`ROUNDS`: ``python -c pass`` (the reference: the interpreter itself), ``python -c "import
sim"``, ``aisim --help``, ``aisim run --help``, ``aisim --version`` and ``aisim validate`` of the
default scenario (``python -m sim.cli``, so the checkout's code is measured rather than whatever
``aisim`` on the PATH points to). benchmarks/compare.py prints each best time as a ratio to the
reference's best in the same session, which the load of a shared machine changes far less than
the seconds. Nothing here is asserted; the invariants (no numba, dask, numpy, xarray or
pydantic loaded by ``import sim`` and ``--help``) are tests/test_startup.py.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from benchmarks.conftest import ROOT

ROUNDS = 15
SCENARIO = str(ROOT / "scenarios" / "flanders_central.yaml")
PY = sys.executable
CASES: dict[str, list[str]] = {
    "python -c pass": [PY, "-c", "pass"],
    "python -c 'import sim'": [PY, "-c", "import sim"],
    "aisim --help": [PY, "-m", "sim.cli", "--help"],
    "aisim run --help": [PY, "-m", "sim.cli", "run", "--help"],
    "aisim --version": [PY, "-m", "sim.cli", "--version"],
    "aisim validate flanders_central": [PY, "-m", "sim.cli", "validate", SCENARIO],
}
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def launch(command: list[str]) -> None:
    subprocess.run(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True, timeout=120)


@pytest.mark.benchmark(group="start-up")
@pytest.mark.parametrize("name", list(CASES))
def test_start_up(benchmark, name: str) -> None:
    benchmark.pedantic(launch, args=(CASES[name],), rounds=ROUNDS, warmup_rounds=1,
                       iterations=1)
    benchmark.extra_info.update(command=name)
