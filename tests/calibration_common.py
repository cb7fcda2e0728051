"""Paths and a loader shared by the calibration tests."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CAL = ROOT / "calibration"
DATA = CAL / "data"
FILES = ["flanders_A10", "flanders_A21", "belgium_A10", "belgium_A21",
         "brussels_A10", "brussels_A21", "wallonia_A10", "wallonia_A21"]


def load(name: str) -> dict:
    """A generated calibration file as plain data."""
    return yaml.safe_load((CAL / f"{name}.yaml").read_text())
