"""Progress bars (issue 16, item 8): tqdm's in a terminal and in a notebook, the built-in one
without tqdm, none when piped or quiet; and nothing at all on stderr under ``-q`` (no
third-party warning either) for runs to netCDF and zarr, a sweep and a sensitivity analysis."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from sim import progress
from sim.progress import PlainBar, Progress
from tests.conftest import ROOT, SCENARIOS

CENTRAL = SCENARIOS / "flanders_central.yaml"


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_tqdm_draws_the_bar_with_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm")
    monkeypatch.setattr(progress, "DELAY", 0)
    stream = Terminal()
    bar = Progress(1024, stream=stream)
    assert bar.enabled and not isinstance(bar.bar, PlainBar)
    for _ in range(4):
        bar.update(256)
    bar.close()
    text = stream.getvalue()
    assert "1024/1024" in text and " draws/s]" in text and "100%" in text
    assert text.endswith("\n") and bar.done == 1024


def test_a_quick_run_shows_no_bar() -> None:
    stream = Terminal()
    bar = Progress(1024, stream=stream)  # done well within progress.DELAY seconds
    bar.update(1024)
    bar.close()
    assert stream.getvalue().strip() == ""


def test_without_tqdm_the_builtin_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import tqdm.auto fails
    monkeypatch.setattr(progress, "DELAY", 0)
    assert progress.tqdm_class() is None
    stream = Terminal()
    bar = Progress(100, unit="chunks", stream=stream)
    assert isinstance(bar.bar, PlainBar)
    bar.update(40)
    bar.update(60)
    bar.close()
    last = stream.getvalue().split("\r")[-1]
    assert last.startswith("[" + "#" * 30 + "] 100/100 chunks") and last.endswith("\n")


def test_no_bar_when_piped_or_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0)
    for bar in (Progress(10, stream=io.StringIO()), Progress(10, enabled=False,
                                                             stream=Terminal())):
        bar.update(10)
        bar.close()
        assert bar.bar is None and bar.stream.getvalue() == ""
    assert not progress.in_notebook()


def test_a_terminal_gets_the_bar_of_aisim_run(tmp_path: Path) -> None:
    """A real pseudo-terminal (80 columns) on stderr: tqdm's bar, redrawn in place."""
    pytest.importorskip("tqdm")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    code = ("import sim.progress as p; p.DELAY = 0; from sim.cli import main; "
            f"main(['run', {str(CENTRAL)!r}, '--draws', '64', '--chunk-size', '16', "
            f"'--out', {str(tmp_path / 'fc.nc')!r}])")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=follower,
                            stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        seen += data
    os.close(leader)
    assert proc.wait(timeout=300) == 0
    frames = [f for f in seen.decode().split("\r") if "draws/s" in f]
    assert frames and "64/64" in frames[-1] and "100%" in frames[-1]
    assert all(len(f.rstrip("\n")) <= 80 for f in frames)


def test_a_notebook_gets_a_bar_from_sim_run() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("tqdm")
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(
        "import sim, sim.progress as p\np.DELAY = 0\nprint(p.in_notebook())\n"
        f"ds = sim.run({str(CENTRAL)!r}, draws=64, chunk_size=16)")]
    client = nbclient.NotebookClient(book, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = book.cells[0].outputs
    printed = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert printed.strip() == "True"
    # without ipywidgets tqdm.auto's text bar (on stderr, redrawn by Jupyter), with it a widget
    bar = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    widget = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in
              o.get("data", {})]
    assert widget or ("64/64" in bar and "draws/s" in bar), outputs
    assert "IProgress" not in bar and "Warning" not in bar  # tqdm.auto's warning silenced


@pytest.mark.parametrize("command", [
    ["run", str(CENTRAL), "--draws", "64", "--chunk-size", "16", "--out", "fc.nc"],
    ["run", str(CENTRAL), "--draws", "64", "--chunk-size", "16", "--out", "fc.zarr"],
    ["run", str(CENTRAL), "--draws", "64", "--summary-only", "--out", "fc.zarr"],
    ["sweep", str(CENTRAL), "--grid", "ai.cost_saving=0.2,0.3", "--draws", "32", "-o",
     "sw.zarr"],
    ["sensitivity", str(CENTRAL), "--n", "4", "--output", "gdp_gain_pct", "-o", "s.nc"],
], ids=["run.nc", "run.zarr", "run-summary.zarr", "sweep", "sensitivity"])
def test_quiet_means_an_empty_stderr(command: list[str], tmp_path: Path) -> None:
    if any(word.endswith(".zarr") for word in command):
        pytest.importorskip("zarr")
    if command[0] == "sensitivity":
        pytest.importorskip("SALib")
    res = subprocess.run([sys.executable, "-m", "sim.cli", *command, "-q"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0, res.stderr
    assert res.stderr == "" and res.stdout == ""
