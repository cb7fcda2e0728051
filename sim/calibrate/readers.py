"""Checked readers for the raw calibration files in ``calibration/data/``.

Every reader reports *all* problems it finds (missing column, non-numeric cell, unknown sector
code) as one :class:`sim.errors.CalibrationDataError`, each :class:`sim.errors.Problem` naming the
file, the 1-based line of the CSV, the column and what was expected. Nothing here computes
economics; the modules that do cite MODEL.md.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sim.errors import CalibrationDataError, Problem


@dataclass(frozen=True)
class Row:
    """One CSV record: its 1-based line number and its cells by column name."""

    line: int
    cells: dict[str, str]


class Checker:
    """Collects problems while a file is parsed; :meth:`raise_if_any` raises them together."""

    def __init__(self, path: Path, root: Path | None = None) -> None:
        self.path = path
        self.name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        self.problems: list[Problem] = []

    def add(self, line: int | None, key: str, expected: str, got: str, hint: str = "") -> None:
        self.problems.append(Problem(self.name, line, key, expected, got, hint))

    def number(self, row: Row, column: str, *, blank: float | None = None,
               label: str | None = None) -> float:
        """The cell as a float; a blank is ``blank`` if given, otherwise a problem.

        ``label`` names the column in a problem when ``column`` is a position (FPB sheets).
        """
        text = row.cells.get(column, "").strip()
        if text == "" and blank is not None:
            return blank
        try:
            value = float(text.replace(",", "")) if text else math.nan
        except ValueError:
            value = math.nan
        if math.isnan(value):
            self.add(row.line, label or column, "a number",
                     repr(text) if text else "an empty cell")
            return 0.0 if blank is None else blank
        return value

    def known(self, row: Row, column: str, value: str, allowed: Iterable[str],
              what: str) -> bool:
        """Check that ``value`` is one of ``allowed``; record a problem otherwise."""
        allowed = list(allowed)
        if value in allowed:
            return True
        self.add(row.line, column, f"a {what} known to the mapping", repr(value))
        return False

    def raise_if_any(self) -> None:
        if self.problems:
            raise CalibrationDataError(list(self.problems))


def read_rows(path: Path, required: Iterable[str], checker: Checker,
              header_line: int = 1) -> tuple[list[str], list[Row]]:
    """Read a CSV whose column names are on ``header_line``; check required columns exist."""
    if not path.is_file():
        checker.add(None, "(file)", "an existing file", "missing")
        checker.raise_if_any()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header: list[str] = []
        rows: list[Row] = []
        for record in reader:
            if reader.line_num < header_line:
                continue
            if reader.line_num == header_line:
                header = [h.strip() for h in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            cells = {h: (record[i] if i < len(record) else "") for i, h in enumerate(header)}
            rows.append(Row(reader.line_num, cells))
    missing = [c for c in required if c not in header]
    for column in missing:
        checker.add(header_line, column, "a column named " + repr(column), "no such column",
                    "columns are: " + ", ".join(h for h in header if h))
    checker.raise_if_any()
    return header, rows


def read_grid(path: Path, checker: Checker) -> list[Row]:
    """Read a CSV without trusting its header (FPB sheets: codes on line 1, labels on line 2).

    Cells are keyed by 0-based column position as strings ("0", "1", ...).
    """
    if not path.is_file():
        checker.add(None, "(file)", "an existing file", "missing")
        checker.raise_if_any()
    rows: list[Row] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        for record in reader:
            rows.append(Row(reader.line_num, {str(i): c for i, c in enumerate(record)}))
    return rows
