"""Malformed raw files stop the calibration with file, row and column (issue 6, item 8)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim.calibrate import run_calibration
from sim.errors import CalibrationDataError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "calibration" / "data"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first occurrence of ``old``; return its 1-based line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if old in line:
            lines[i] = line.replace(old, new, 1)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"{old!r} not found in {path}")


def fails(data: Path, tmp_path: Path) -> list:
    out = tmp_path / "out"
    with pytest.raises(CalibrationDataError) as err:
        run_calibration(data, out)
    assert not out.exists() or not any(out.iterdir())  # nothing written
    return err.value.problems


def test_missing_column(data: Path, tmp_path: Path) -> None:
    edit(data / "nbb/employment_NACE64_2019.csv", "total_employed", "employed")
    (problem,) = fails(data, tmp_path)
    assert problem.file.endswith("nbb/employment_NACE64_2019.csv")
    assert problem.line == 1 and problem.key == "total_employed"
    assert "no such column" in str(problem)


def test_non_numeric_cell(data: Path, tmp_path: Path) -> None:
    line = edit(data / "nbb/employment_NACE64_2019.csv", "C16,15300", "C16,15.300k")
    problems = fails(data, tmp_path)
    assert [(p.file.endswith("employment_NACE64_2019.csv"), p.line, p.key, p.got)
            for p in problems] == [(True, line, "total_employed", "'15.300k'")]


def test_non_numeric_cell_in_the_io_table(data: Path, tmp_path: Path) -> None:
    path = data / "fpb_io2015/vR64_nl_20191213__tbl_10bis.csv"
    line = edit(path, "D.1,Beloning werknemers,503.5,", "D.1,Beloning werknemers,n/a,")
    (problem,) = fails(data, tmp_path)
    assert problem.file.endswith("tbl_10bis.csv") and problem.line == line
    assert "'01'" in problem.key and problem.got == "'n/a'"


def test_unknown_sector_code(data: Path, tmp_path: Path) -> None:
    line = edit(data / "nbb/employment_NACE64_2019.csv", "J61,", "Z61,")
    (problem,) = fails(data, tmp_path)
    assert problem.line == line and problem.key == "sector" and problem.got == "'Z61'"
    assert "known to the mapping" in problem.expected


def test_unknown_section_in_the_lfs_extract(data: Path, tmp_path: Path) -> None:
    line = edit(data / "lfs/lfsa_eisn2_2023_2024_BE_NL_FR_DE.csv", "Belgium,C,", "Belgium,X,")
    (problem,) = fails(data, tmp_path)
    assert problem.file.endswith("lfsa_eisn2_2023_2024_BE_NL_FR_DE.csv")
    assert problem.line == line and problem.key == "nace_r2" and problem.got == "'X'"


def test_unknown_industry_column_in_the_io_table(data: Path, tmp_path: Path) -> None:
    edit(data / "fpb_io2015/vR64_nl_20191213__tbl_10bis.csv", ",,01,02,", ",,01,99,")
    problems = fails(data, tmp_path)
    assert any(p.line == 1 and p.got == "'99'" for p in problems)
