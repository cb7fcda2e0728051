"""The notebooks, executed once per test session (nbclient, a real kernel).

Both tests/test_notebooks.py (every cell runs, every figure cell shows a PNG) and
tests/test_docs_site.py (the site renders the notebooks with those figures) need the executed
notebooks; a notebook takes tens of seconds on two cores, so it runs once and both read it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@functools.cache
def executed(path: Path) -> Any:
    """The notebook at ``path`` after running it top to bottom in its own folder (an
    ``nbformat.NotebookNode``); raises ``nbclient.exceptions.CellExecutionError`` on the first
    failing cell. Callers must not modify it (it is shared)."""
    import nbclient
    import nbformat

    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(book, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return book


def figure_cells(book: Any) -> list[Any]:
    """The code cells that end by showing a figure (their last line is ``fig``)."""
    return [cell for cell in book.cells
            if cell.cell_type == "code" and cell.source.strip().splitlines()[-1:] == ["fig"]]
