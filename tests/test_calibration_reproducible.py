"""`aisim calibrate` regenerates the committed files byte for byte (issue 6, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.calibrate import run_calibration

ROOT = Path(__file__).resolve().parents[1]
CAL = ROOT / "calibration"
TEXT_FILES = [
    "flanders_A10.yaml", "flanders_A21.yaml", "belgium_A10.yaml", "belgium_A21.yaml",
    "flanders_A10_uncertainty.yaml", "flanders_A21_uncertainty.yaml",
    "belgium_A10_uncertainty.yaml", "belgium_A21_uncertainty.yaml",
    "brussels_A10.yaml", "brussels_A21.yaml", "wallonia_A10.yaml", "wallonia_A21.yaml",
    "brussels_A10_uncertainty.yaml", "brussels_A21_uncertainty.yaml",
    "wallonia_A10_uncertainty.yaml", "wallonia_A21_uncertainty.yaml",
    "adoption_fit.yaml", "REPORT.md",
]
FIGURES = ["adoption_fit.png", "exposure_by_sector.png", "sector_shares.png", "regions.png"]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("calibration")
    return out, run_calibration(CAL / "data", out)


def test_committed_files_are_reproduced_byte_for_byte(regenerated) -> None:
    out, written = regenerated
    names = {p.relative_to(out).as_posix() for p in written}
    assert set(TEXT_FILES) <= names
    for name in TEXT_FILES:
        assert (out / name).read_bytes() == (CAL / name).read_bytes(), name


def test_figures_are_regenerated(regenerated) -> None:
    out, _ = regenerated
    for name in FIGURES:
        data = (out / "figures" / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, name
        assert (CAL / "figures" / name).exists(), name


def test_generated_files_say_they_are_generated(regenerated) -> None:
    out, _ = regenerated
    for name in TEXT_FILES:
        if name.endswith(".yaml"):
            text = (out / name).read_text()
            assert text.startswith("# ") and "aisim calibrate" in text.splitlines()[1]
            assert "DO NOT EDIT BY HAND" in text
            yaml.safe_load(text)


def test_no_run_time_reads_of_shared() -> None:
    for path in (ROOT / "sim" / "calibrate").glob("*.py"):
        text = path.read_text()
        assert "shared/" not in text and "/work/" not in text, path
