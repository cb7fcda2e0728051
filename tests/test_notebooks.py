"""The notebooks run top to bottom (nbclient, real kernel) and are committed without outputs."""

from __future__ import annotations

import json

import pytest

from tests.notebook_runs import NOTEBOOKS, executed, figure_cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stripped(path):
    book = json.loads(path.read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path):
    pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    book = executed(path)  # raises CellExecutionError on the first failing cell
    # what the reader sees: every cell that ends by showing a figure shows a PNG
    for cell in figure_cells(book):
        kinds = {k for out in cell.outputs for k in out.get("data", {})}
        assert "image/png" in kinds, f"{path.name}: no figure shown by\n{cell.source}"
