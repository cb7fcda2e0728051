"""SIGINT and SIGTERM (issue 15, item C): one line on stderr, exit 130 / 143, the temporary
removed and a previous file under the output's name intact, no traceback and no "Exception
ignored in ..." noise from netCDF or zarr finalisers. Real child processes
(``python -m sim.cli run``), signalled once they are writing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest

from sim.progress import Interrupt
from tests.conftest import ROOT, scenario_dict
from tests.test_sweep import UNCERTAIN_AI

PREVIOUS = b"the previous results\n"


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def started_writing(folder: Path, name: str, proc: subprocess.Popen[str]) -> bool:
    """Wait (at most 120 s) until the child's temporary for ``name`` exists."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(n.startswith(f".{name}.") and n.endswith(".part") for n in hidden(folder)):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("suffix", "signum"), [
    (".nc", signal.SIGINT), (".nc", signal.SIGTERM), (".zarr", signal.SIGINT),
    (".zarr", signal.SIGTERM)])
def test_a_signal_is_one_line_and_leaves_nothing(suffix: str, signum: int, write_yaml,
                                                  tmp_path: Path) -> None:
    scenario = write_yaml(scenario_dict(ai=UNCERTAIN_AI), "many.yaml")
    out = tmp_path / f"x{suffix}"
    out.write_bytes(PREVIOUS)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "run", str(scenario), "--draws", "3000000",
         "--chunk-size", "2000", "--out", str(out), "--quiet"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert started_writing(tmp_path, out.name, proc), proc.communicate()[1]
        time.sleep(0.3)  # inside the chunk loop: kernels, h5py or zarr at work
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err
    assert err.splitlines() == [f"aisim run: interrupted by {name}; nothing written to {out} "
                                f"(the previous {out} left as it was)"], err
    assert out.read_bytes() == PREVIOUS and hidden(tmp_path) == []


def test_our_interrupt_in_a_finaliser_is_not_reported() -> None:
    """Python reports a KeyboardInterrupt raised inside a weakref callback (where h5py's and
    netCDF's finalisers run) as "Exception ignored in ..."; the flag carries it on, so the hook
    drops it, and it alone."""
    import sys as system

    reported: list[type[BaseException]] = []

    def finalised(*raising: BaseException) -> None:
        class Thing:
            pass

        def callback(_: object) -> None:
            raise raising[0]

        thing = Thing()
        ref = weakref.ref(thing, callback)  # noqa: F841  (kept until the object dies)
        del thing

    saved = (system.unraisablehook, signal.getsignal(signal.SIGINT),
             signal.getsignal(signal.SIGTERM))
    try:
        system.unraisablehook = lambda info: reported.append(type(info.exc_value))
        Interrupt.install()
        Interrupt.requested = True
        finalised(KeyboardInterrupt())
        finalised(ValueError("a real problem"))
        assert reported == [ValueError]
    finally:
        Interrupt.requested, Interrupt.signum = False, None
        system.unraisablehook = saved[0]
        signal.signal(signal.SIGINT, saved[1])
        signal.signal(signal.SIGTERM, saved[2])


def test_a_signal_while_cleaning_up_only_sets_the_flag() -> None:
    saved = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    try:
        Interrupt.install()
        with Interrupt.shielded():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)  # the handler runs between bytecodes: no KeyboardInterrupt here
        assert Interrupt.requested and Interrupt.signum == signal.SIGTERM
        with pytest.raises(KeyboardInterrupt):
            Interrupt.check()
    finally:
        Interrupt.requested, Interrupt.signum = False, None
        signal.signal(signal.SIGINT, saved[0])
        signal.signal(signal.SIGTERM, saved[1])
