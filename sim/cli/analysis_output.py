"""Figures of the analysis commands (``aisim discover``, ``aisim robustness``), written the way
every aisim figure is: off-screen, atomically (:func:`sim.present.plot.save_figure`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def save_plot(figure: Callable[[Any], Any], result: Any, path: str | Path) -> Path:
    """Draw ``figure(result)`` with the Agg backend, save it to ``path`` atomically, close it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.present.plot import save_figure

    fig = figure(result)
    try:
        return save_figure(fig, path, dpi=110)
    finally:
        plt.close(fig)
