"""Deterministic number formatting and atomic file writing for the generated files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from sim.atomic import write_bytes


def num(x: float, sig: int = 6) -> str:
    """``x`` rounded to ``sig`` significant digits, positional notation (YAML-safe, stable)."""
    if isinstance(x, bool):
        raise TypeError("bool is not a number here")
    if isinstance(x, int | np.integer):
        return str(int(x))
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"non-finite number {x!r} in calibration output")
    if x == 0.0:
        return "0.0"
    text = np.format_float_positional(x, precision=sig, unique=False, fractional=False, trim="-")
    if text in ("-0", "0"):
        return "0.0"
    return text if any(ch in text for ch in ".") else text + ".0"


def dec(x: float, places: int = 1) -> str:
    """``x`` with a fixed number of decimals (money in million EUR: 0.1 M EUR)."""
    value = round(float(x), places)
    if value == 0:
        value = 0.0
    return f"{value:.{places}f}"


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file in the same folder, then ``os.replace`` it into place."""
    return write_bytes(path, data)
