"""Big outputs announced (issue 16, item 11): the size of a run's full paths is estimated before
they are written, compared here with real files; more than the free space is refused (exit 4)
unless --force; a large one is announced in one line that suggests --summary-only."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.cli.arguments import EXIT_OUTPUT
from sim.errors import OutputError
from sim.runner import size
from sim.runner.plan import RunSettings
from sim.runner.size import OutputSize, check_output_size, full_output_size, values_per_draw
from sim.runner.stream import run_to_store
from sim.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

CENTRAL = SCENARIOS / "flanders_central.yaml"


def stored_bytes(path: Path) -> int:
    """Bytes of a file, or of every file under a zarr store."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


@pytest.mark.parametrize("scenario", ["flanders_central.yaml", "acemoglu_2024.yaml"])
def test_values_per_draw_count_every_cell_of_every_variable(scenario: str) -> None:
    ds = sim.run(SCENARIOS / scenario, draws=3)
    assert all("draw" in v.dims for v in ds.data_vars.values())
    cells = sum(v.size for v in ds.data_vars.values())
    assert cells == 3 * values_per_draw(ds.sizes["year"], ds.sizes["sector"])
    assert full_output_size(3, ds.sizes["year"], ds.sizes["sector"]).raw_bytes == sum(
        v.nbytes for v in ds.data_vars.values())  # every output is float64


@pytest.mark.parametrize("suffix", [".nc", ".zarr"])
def test_the_estimate_is_within_20_percent_of_the_real_file(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("zarr") if suffix == ".zarr" else None
    loaded = load_scenario(CENTRAL)
    settings = RunSettings.from_scenario(loaded.scenario, 768, None, None, 256)
    out = tmp_path / f"fc{suffix}"
    run_to_store(loaded, settings, out)
    scn = loaded.scenario
    estimate = full_output_size(768, scn.horizon.end - scn.horizon.start + 1,
                                len(scn.sectors)).disk_bytes
    real = stored_bytes(out)
    assert abs(estimate - real) <= 0.2 * real, (estimate, real)


def test_more_than_the_free_space_is_refused_unless_forced() -> None:
    need = OutputSize(draws=50_000, values=50_000 * 6058)
    with pytest.raises(OutputError) as refused:
        check_output_size(Path("big.nc"), need, free=10**9)
    text = str(refused.value)
    assert text.startswith("cannot write big.nc: the full paths of 50,000 draws take about "
                           "1.7 GB, and only 1.0 GB are free")
    assert "--summary-only" in text and "--force" in text
    assert "writing anyway" in check_output_size(Path("big.nc"), need, force=True, free=10**9)


def test_a_big_output_is_announced_and_a_small_one_is_not() -> None:
    big = OutputSize(draws=50_000, values=50_000 * 6058)  # 2.4 GB raw, 1.7 GB on disk
    note = check_output_size(Path("big.nc"), big, free=10**12)
    assert note is not None and "1.7 GB in big.nc (1.0 TB free there)" in note
    assert "--summary-only" in note
    small = OutputSize(draws=1024, values=1024 * 6058)
    assert check_output_size(Path("fc.nc"), small, free=10**12) is None


def test_free_space_is_that_of_the_nearest_existing_folder(tmp_path: Path) -> None:
    free = size.free_bytes(tmp_path / "not" / "yet" / "there.nc")
    assert free is not None
    assert abs(free - shutil.disk_usage(tmp_path).free) < 10**8  # other writers meanwhile


def test_cli_refuses_with_exit_4_and_writes_nothing(tmp_path: Path, monkeypatch,
                                                    capsys) -> None:
    monkeypatch.setattr(size, "free_bytes", lambda path: 1000)
    out = tmp_path / "fc.nc"
    code = main(["run", str(CENTRAL), "--draws", "16", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == EXIT_OUTPUT
    assert err.count("\n") == 1 and err.startswith(f"aisim run: cannot write {out}: the full "
                                                   "paths of 16 draws take about")
    assert "--summary-only" in err and "--force" in err and "nothing written" in err
    assert list(tmp_path.iterdir()) == []
    assert main(["run", str(CENTRAL), "--draws", "16", "--out", str(out), "--summary-only",
                 "-q"]) == 0
    assert main(["run", str(CENTRAL), "--draws", "16", "--out", str(out), "--force",
                 "-q"]) == 0
    assert out.is_file()


def test_cli_announces_a_big_output_in_one_line_unless_quiet(tmp_path: Path, monkeypatch,
                                                             capsys) -> None:
    monkeypatch.setattr(size, "BIG_OUTPUT_BYTES", 1000)
    out = tmp_path / "fc.nc"
    assert main(["run", str(CENTRAL), "--draws", "16", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "full paths" in line]
    assert len(lines) == 1 and lines[0].startswith("aisim run: the full paths of 16 draws")
    assert "--summary-only" in err
    assert main(["run", str(CENTRAL), "--draws", "16", "--out", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_the_library_logs_the_announcement(tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(size, "BIG_OUTPUT_BYTES", 1000)
    loaded = load_scenario(CENTRAL)
    settings = RunSettings.from_scenario(loaded.scenario, 8, None, None, None)
    with caplog.at_level(logging.WARNING, logger="aisim"):
        run_to_store(loaded, settings, tmp_path / "fc.nc")
    assert [r.getMessage() for r in caplog.records if "full paths of 8 draws" in
            r.getMessage()]
    monkeypatch.setattr(size, "free_bytes", lambda path: 1000)
    with pytest.raises(OutputError):
        run_to_store(loaded, settings, tmp_path / "again.nc")
    assert not (tmp_path / "again.nc").exists()
