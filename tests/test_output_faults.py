"""Outputs the environment refuses, and what a failed run leaves (issue 15, items A, B, D).

Every writing subcommand (``run`` to netCDF and zarr, one draw, ``--summary-only``; ``sweep``;
``export``; ``plot``; ``compare --csv/--markdown/--png``) against every output fault: a
read-only folder, a folder without permission, a parent that is a file, a directory under the
output's name, and a full disk (ENOSPC injected at the writer, and a real full tmpfs). Each is
exit 2 (a path that cannot be an output) or 4 (the environment refused), one message and no
traceback, the previous file under the final name intact and no temporary left.

The read-only and full-disk variants mount a small tmpfs and the permission one uses
``chattr +i`` (root ignores file modes); each is skipped where that is not allowed. The
commands run in process (``sim.cli.main``), so that the kernels load once.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import xarray as xr

import sim
from sim.atomic import as_output_error, environment_errno, owner_tag, stale_temporaries
from sim.cli import main
from sim.cli.arguments import EXIT_INPUT, EXIT_OUTPUT
from sim.runner.loop import execute
from sim.runner.plan import RunPlan, RunSettings
from sim.runner.results import open_results, write_netcdf
from sim.runner.sinks import NetCDFSink
from sim.runner.stream import _coords
from sim.scenario.loader import load_scenario
from sim.version import __version__
from tests.conftest import scenario_dict

PREVIOUS = b"the previous results, to be left as they were\n"

#: output kind -> (file name, whether it is a zarr store)
KINDS = {
    "run.nc": "x.nc", "run-one-draw.nc": "x.nc", "run.zarr": "x.zarr",
    "run-summary.nc": "x.nc", "sweep.zarr": "w.zarr", "export.csv": "x.csv",
    "plot.png": "x.png", "compare.csv": "x.csv", "compare.md": "x.md", "compare.png": "x.png",
}


# ------------------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny scenario and a results file of it (for export and plot)."""
    folder = tmp_path_factory.mktemp("inputs")
    import yaml

    scenario = folder / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict(), sort_keys=False), encoding="utf-8")
    results = write_netcdf(sim.run(scenario, draws=3), folder / "results.nc")
    return {"scenario": scenario, "results": results}


def argv(kind: str, out: Path, inputs: dict[str, Path]) -> list[str]:
    """The command line of ``kind`` writing ``out``."""
    scn, res = str(inputs["scenario"]), str(inputs["results"])
    run = ["run", scn, "-q", "--out", str(out)]
    return {
        "run.nc": [*run, "--draws", "3", "--chunk-size", "2"],
        "run-one-draw.nc": [*run, "--draws", "1"],
        "run.zarr": [*run, "--draws", "3", "--chunk-size", "2"],
        "run-summary.nc": [*run, "--draws", "3", "--summary-only"],
        "sweep.zarr": ["sweep", scn, "--grid", "ai.cost_saving=0.2,0.3", "--draws", "2",
                       "--var", "tfp_gain_pct",
                       "--overwrite", "-q", "-o", str(out)],
        "export.csv": ["export", res, "-o", str(out)],
        "plot.png": ["plot", res, "-o", str(out)],
        "compare.csv": ["compare", scn, "--draws", "2", "-q", "--csv", str(out)],
        "compare.md": ["compare", scn, "--draws", "2", "-q", "--markdown", str(out)],
        "compare.png": ["compare", scn, "--draws", "2", "-q", "--png", str(out)],
    }[kind]


def cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
    """Run ``aisim ARGS`` in process: (exit code, stderr)."""
    capsys.readouterr()
    code = main(args)
    return code, capsys.readouterr().err


def make_previous(out: Path) -> None:
    """A previous output under ``out`` (a file, or a store folder for .zarr)."""
    if out.suffix == ".zarr":
        out.mkdir()
        (out / "zarr.json").write_bytes(PREVIOUS)
    else:
        out.write_bytes(PREVIOUS)


def previous_intact(out: Path) -> bool:
    if out.suffix == ".zarr":
        return sorted(p.name for p in out.iterdir()) == ["zarr.json"] and \
            (out / "zarr.json").read_bytes() == PREVIOUS
    return out.read_bytes() == PREVIOUS


def temporaries(folder: Path) -> list[str]:
    """Hidden entries (every temporary of aisim starts with a dot) in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


def refused_as_input(err: str, option: str, words: str) -> None:
    """Bad input: the usual problem list with exactly one problem, naming the option."""
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.strip().splitlines()
    assert lines[0].endswith("1 problem found:") and len(lines) == 2, err
    assert f"command line: {option}:" in lines[1] and words in lines[1], err


def option_of(kind: str) -> str:
    """The option that names ``kind``'s output."""
    command, suffix = kind.split(".")
    if command == "compare":
        return {"csv": "--csv", "md": "--markdown", "png": "--png"}[suffix]
    return "--output" if command in ("export", "plot") else "--out"


# ------------------------------------------------------------------------------ the faults
def _mount(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                         capture_output=True, check=False)
    return res.returncode == 0


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """``tmpfs(name, options)``: a small tmpfs mounted at ``tmp_path/name`` (skip if not
    allowed), unmounted afterwards."""
    mounted: list[Path] = []

    def mount(name: str, options: str) -> Path:
        path = tmp_path / name
        if not _mount(path, options):
            pytest.skip("cannot mount a tmpfs here (needs root in a container or a VM)")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def read_only_folder(tmpfs: Callable[[str, str], Path], name: str) -> Path:
    """A folder holding the previous output, then remounted read-only (EROFS)."""
    folder = tmpfs("ro", "size=4m")
    make_previous(folder / name)
    res = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True,
                         check=False)
    if res.returncode != 0:
        pytest.skip("cannot remount the tmpfs read-only")
    return folder


def full_folder(tmpfs: Callable[[str, str], Path], name: str) -> Path:
    """A 1 MiB tmpfs holding the previous output and a file filling the rest (ENOSPC)."""
    folder = tmpfs("full", "size=1m")
    make_previous(folder / name)
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return folder


@pytest.fixture
def forbidden(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``forbidden(name)``: a folder holding the previous output where nothing may be created
    (mode 0555, or ``chattr +i`` for root, which ignores modes); restored afterwards."""
    made: list[Path] = []

    def make(name: str) -> Path:
        folder = tmp_path / "forbidden"
        folder.mkdir()
        make_previous(folder / name)
        if os.geteuid() != 0:
            folder.chmod(0o555)
        elif subprocess.run(["chattr", "+i", str(folder)], capture_output=True,
                            check=False).returncode != 0:
            pytest.skip("chattr +i is not available here")
        made.append(folder)
        return folder

    yield make
    for folder in made:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
        folder.chmod(0o755)


def inject_enospc(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Make the function that writes ``kind``'s temporary write a little and then fail with
    ENOSPC, as a disk that fills up half-way does."""

    def full(path: object = None) -> OSError:
        if isinstance(path, (str, os.PathLike)) and not Path(path).is_dir():
            Path(path).write_bytes(b"half")
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    def raising(*args: object, **kwargs: object) -> None:
        raise full(next((a for a in args if isinstance(a, (str, os.PathLike))), None))

    if kind == "run.nc":
        from sim.runner import sinks

        monkeypatch.setattr(sinks._NetCDFWriter, "write", raising)
    elif kind in ("run-one-draw.nc", "run-summary.nc"):
        monkeypatch.setattr(xr.Dataset, "to_netcdf", raising)
    elif kind.endswith(".zarr"):
        def half_store(self: xr.Dataset, store: object, *args: object, **kw: object) -> None:
            Path(str(store)).mkdir(parents=True, exist_ok=True)
            (Path(str(store)) / "zarr.json").write_bytes(b"half")
            raise full()

        monkeypatch.setattr(xr.Dataset, "to_zarr", half_store)
    elif kind == "export.csv":
        import pandas as pd

        monkeypatch.setattr(pd.DataFrame, "to_csv", raising)
    elif kind.endswith(".png"):
        from matplotlib.figure import Figure

        monkeypatch.setattr(Figure, "savefig", raising)
    elif kind == "compare.csv":
        from sim.analysis import compare

        class FullWriter:
            def __init__(self, fh: object, **kwargs: object) -> None:
                self.fh = fh

            def writerow(self, row: object) -> None:
                self.fh.write("half")  # type: ignore[attr-defined]
                raise full()

        monkeypatch.setattr(compare.csv, "writer", FullWriter)
    elif kind == "compare.md":
        monkeypatch.setattr(Path, "write_text", raising)


# ------------------------------------------------------------------------------ A: the matrix
@pytest.mark.parametrize("kind", list(KINDS))
def test_read_only_folder_is_exit_4_and_leaves_the_previous_file(
        kind: str, tmpfs, inputs, capsys) -> None:
    folder = read_only_folder(tmpfs, KINDS[kind])
    out = folder / KINDS[kind]
    code, err = cli(capsys, argv(kind, out, inputs))
    line = one_line(err)
    assert code == EXIT_OUTPUT, err
    assert f"cannot write {out}: Read-only file system (EROFS)" in line
    assert "left as it was" in line
    assert previous_intact(out) and temporaries(folder) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_folder_without_permission_is_exit_4(kind: str, forbidden, inputs, capsys) -> None:
    folder = forbidden(KINDS[kind])
    out = folder / KINDS[kind]
    code, err = cli(capsys, argv(kind, out, inputs))
    line = one_line(err)
    assert code == EXIT_OUTPUT, err
    assert f"cannot write {out}: " in line and ("(EPERM)" in line or "(EACCES)" in line)
    assert previous_intact(out) and temporaries(folder) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_parent_that_is_a_file_is_bad_input(kind: str, tmp_path, inputs, capsys) -> None:
    (tmp_path / "afile").write_bytes(PREVIOUS)
    out = tmp_path / "afile" / KINDS[kind]
    code, err = cli(capsys, argv(kind, out, inputs))
    assert code == EXIT_INPUT, err
    refused_as_input(err, option_of(kind), f"{tmp_path / 'afile'} is a file, not a folder")
    assert (tmp_path / "afile").read_bytes() == PREVIOUS and temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_directory_under_the_output_name_is_bad_input(kind: str, tmp_path, inputs,
                                                        capsys) -> None:
    out = tmp_path / KINDS[kind]
    out.mkdir()
    (out / "mine.txt").write_bytes(PREVIOUS)  # a folder of the user's, never replaced
    code, err = cli(capsys, argv(kind, out, inputs))
    assert code == EXIT_INPUT, err
    words = "not a zarr store" if out.suffix == ".zarr" else "an existing directory"
    refused_as_input(err, option_of(kind), words)
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_disk_full_at_the_writer_is_exit_4(kind: str, tmp_path, inputs, capsys,
                                           monkeypatch) -> None:
    out = tmp_path / KINDS[kind]
    make_previous(out)
    inject_enospc(monkeypatch, kind)
    code, err = cli(capsys, argv(kind, out, inputs))
    monkeypatch.undo()
    line = one_line(err)
    assert code == EXIT_OUTPUT, err
    assert f"cannot write {out}: No space left on device (ENOSPC)" in line
    assert previous_intact(out) and temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_really_full_disk_is_exit_4(kind: str, tmpfs, inputs, capsys) -> None:
    folder = full_folder(tmpfs, KINDS[kind])
    out = folder / KINDS[kind]
    full_paths = kind in ("run.nc", "run-one-draw.nc", "run.zarr")
    if full_paths:  # refused by the size estimate before any work (tests/test_output_size.py)
        code, err = cli(capsys, argv(kind, out, inputs))
        assert code == EXIT_OUTPUT and "are free on its file system" in one_line(err), err
        assert previous_intact(out) and temporaries(folder) == []
    # --force goes past the estimate: the writers' own refusal
    code, err = cli(capsys, argv(kind, out, inputs) + (["--force"] if full_paths else []))
    line = one_line(err)
    assert code == EXIT_OUTPUT, err
    assert f"cannot write {out}: No space left on device (ENOSPC)" in line
    assert previous_intact(out) and temporaries(folder) == []


def test_disk_full_while_a_sweep_computes_keeps_its_resumable_store(
        tmp_path, inputs, capsys, monkeypatch) -> None:
    """A sweep's ``.part`` store is its documented checkpoint: a disk that fills up while
    chunks are written stops the sweep (exit 4, not a failed point) and says how to resume."""
    from sim.runner.sinks import ZarrRegionSink

    def full(self: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ZarrRegionSink, "close", full)
    out = tmp_path / "w.zarr"
    code, err = cli(capsys, argv("sweep.zarr", out, inputs))
    line = one_line(err)
    assert code == EXIT_OUTPUT
    assert "No space left on device (ENOSPC); partial results kept in" in line
    assert "rerun the same command to resume" in line and not out.exists()
    assert temporaries(tmp_path) == [".w.zarr.part"]
    monkeypatch.undo()
    code, err = cli(capsys, argv("sweep.zarr", out, inputs))
    assert code == 0 and out.is_dir() and temporaries(tmp_path) == []


def test_hdf5_disk_full_messages_are_recognised() -> None:
    """HDF5 reports ENOSPC inside a RuntimeError's text, not as an errno."""
    exc = RuntimeError("Disable slist on flush dest failure failed (file write failed: "
                       "time = ..., errno = 28, error message = 'No space left on device')")
    assert environment_errno(exc) == errno.ENOSPC
    assert str(as_output_error(exc, "x.nc")) == \
        "cannot write x.nc: No space left on device (ENOSPC)"
    assert environment_errno(RuntimeError("something else")) is None
    assert environment_errno(OSError(errno.ENOENT, "missing")) is None


# ------------------------------------------------------------------------------ seeds
@pytest.mark.parametrize("command", ["run", "sweep", "compare", "sensitivity"])
def test_a_seed_of_2_to_the_64_is_refused_at_the_door(command: str, tmp_path, inputs,
                                                      capsys) -> None:
    args = {"run": argv("run.nc", tmp_path / "x.nc", inputs),
            "sweep": argv("sweep.zarr", tmp_path / "w.zarr", inputs),
            "compare": ["compare", str(inputs["scenario"]), "-q"],
            "sensitivity": ["sensitivity", str(inputs["scenario"]), "-q", "-o",
                            str(tmp_path / "s.nc")]}[command]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--seed", str(2**64)])
    err = capsys.readouterr().err
    assert exit_.value.code == EXIT_INPUT
    assert "argument --seed: expected a seed from 0 to 2**64 - 1, got '18446744073709551616'" \
        in err and "Traceback" not in err
    assert temporaries(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_the_largest_seed_is_kept_in_every_format(tmp_path, inputs, capsys) -> None:
    for name in ("x.nc", "x.zarr"):
        code, err = cli(capsys, [*argv("run.nc", tmp_path / name, inputs),
                                 "--seed", str(2**64 - 1)])
        assert code == 0, err
        assert int(open_results(tmp_path / name).attrs["seed"]) == 2**64 - 1
    assert temporaries(tmp_path) == []


def test_a_huge_seed_in_a_scenario_file_is_located(write_yaml, tmp_path, capsys) -> None:
    scenario = write_yaml(scenario_dict(monte_carlo={"seed": 2**64}), "huge.yaml")
    code, err = cli(capsys, ["run", str(scenario), "-q", "--out", str(tmp_path / "x.nc")])
    assert code == EXIT_INPUT and "huge.yaml:" in err and "monte_carlo.seed" in err
    assert not (tmp_path / "x.nc").exists() and temporaries(tmp_path) == []


def test_a_writer_that_fails_while_opening_leaves_no_part(tmp_path, inputs) -> None:
    """The netCDF writer is built inside the run's try: an attribute HDF5 cannot store (a
    seed past 64 bits, as ``sim.run``'s callers could pass) removes the temporary."""
    loaded = load_scenario(inputs["scenario"])
    settings = RunSettings(3, 1, "mc", 2)
    attrs = {"seed": 2**64}
    sink = NetCDFSink(tmp_path / "x.nc", _coords(loaded, 3), attrs, 2)
    with pytest.raises(TypeError):
        execute(RunPlan(loaded.scenario, settings), [sink])
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ B: leftovers
def dead_pid() -> int:
    """The id of a process that has exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("kind", ["run.nc", "run.zarr", "sweep.zarr", "export.csv",
                                  "compare.md"])
def test_stale_temporaries_of_a_dead_run_are_removed(kind: str, tmp_path, inputs,
                                                     capsys) -> None:
    name = KINDS[kind]
    out = tmp_path / name
    tag = owner_tag().rsplit("-", 1)[0]
    dead, alive = dead_pid(), os.getppid()
    stale = [f".{name}.{tag}-{dead}.k3x9q2.part", f".{name}.{tag}-{dead}.old",
             f".{name}.{tag}-{dead}.init"]
    kept = [f".{name}.{tag}-{alive}.k3x9q2.part",  # a live process's: still being written
            f".{name}.otherhost-{dead}.part",      # another host's: not ours to judge
            f".{name}.abc12345.part",              # no owner in the name
            f".other.nc.{tag}-{dead}.part"]        # another output's
    for i, entry in enumerate(stale + kept):
        if i % 2:
            (tmp_path / entry).mkdir()
            (tmp_path / entry / "zarr.json").write_text("{}")
        else:
            (tmp_path / entry).write_bytes(b"half")
    code, err = cli(capsys, argv(kind, out, inputs))
    assert code == 0, err
    notes = [line for line in err.splitlines() if "stale" in line]
    assert notes == [f"aisim {kind.split('.')[0].split('-')[0]}: removed 3 stale temporaries of "
                     f"an interrupted earlier run: {', '.join(sorted(stale))}"], err
    assert temporaries(tmp_path) == sorted(kept)


def test_only_dead_processes_of_this_host_are_stale(tmp_path) -> None:
    out = tmp_path / "x.nc"
    host, dead = owner_tag().rsplit("-", 1)[0], dead_pid()
    for pid in (dead, os.getpid()):
        (tmp_path / f".x.nc.{host}-{pid}.zz.part").write_bytes(b"")
    assert [p.name for p in stale_temporaries(out)] == [f".x.nc.{host}-{dead}.zz.part"]


def test_zarr_over_a_regular_file_leaves_no_old(tmp_path, inputs, capsys) -> None:
    out = tmp_path / "x.zarr"
    out.write_bytes(PREVIOUS)
    code, err = cli(capsys, argv("run.zarr", out, inputs))
    assert code == 0, err
    assert out.is_dir() and int(open_results(out).sizes["draw"]) == 3
    assert temporaries(tmp_path) == []


# ------------------------------------------------------------------------------ D: provenance
PROVENANCE = ("title", "scenario_name", "scenario_sha256", "scenario_file", "seed", "sampler",
              "draws", "aisim_version", "created", "Conventions", "gain_definition")


@pytest.mark.parametrize(("suffix", "chunk", "summary"), [
    (".nc", 8, False), (".nc", 3, False), (".zarr", 8, False), (".zarr", 3, False),
    (".nc", 3, True), (".zarr", 3, True)])  # (a summary of one chunk is the same file)
def test_provenance_on_every_output(suffix: str, chunk: int, summary: bool, tmp_path, inputs,
                                    capsys) -> None:
    out = tmp_path / f"x{suffix}"
    extra = ["--summary-only"] if summary else []
    code, err = cli(capsys, ["run", str(inputs["scenario"]), "-q", "--out", str(out),
                             "--draws", "8", "--chunk-size", str(chunk), "--seed", "7",
                             *extra])
    assert code == 0, err
    attrs = open_results(out).attrs
    loaded = load_scenario(inputs["scenario"])
    assert set(PROVENANCE) <= set(attrs), sorted(attrs)
    assert (int(attrs["seed"]), int(attrs["draws"]), attrs["scenario_sha256"],
            attrs["scenario_name"], attrs["aisim_version"], attrs["sampler"]) == \
        (7, 8, loaded.sha256, loaded.scenario.name, __version__, "mc")
    assert attrs["created"].endswith("Z")
    assert (int(attrs["summary_of_draws"]) == 8) if summary else ("summary_of_draws" not in attrs)
    if summary:  # a .zarr summary is a zarr store, not a netCDF file under that name
        assert out.is_dir() == (suffix == ".zarr")


def test_provenance_of_a_sweep_store(tmp_path, inputs, capsys) -> None:
    out = tmp_path / "w.zarr"
    code, err = cli(capsys, [*argv("sweep.zarr", out, inputs), "--seed", "7", "--chunk", "1"])
    assert code == 0, err
    attrs = xr.open_zarr(out).attrs
    assert set(PROVENANCE) <= set(attrs) and int(attrs["seed"]) == 7
