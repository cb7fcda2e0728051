"""``aisim explore``: the scenario explorer in the browser, on the same engine as ``aisim run``.

Controls for the headline assumptions (:mod:`.controls`) become ``--set``-style overrides that
go through the scenario loader (:mod:`.request`); a worker process runs them
(:mod:`.worker`); the page (:mod:`.app`, Bokeh) draws fan charts, sectors, cohorts and the GDP
decomposition from a small summary (:mod:`.compute`, :mod:`.views`); :mod:`.server` serves it.
See docs/explorer.md. Needs the optional extra: ``pip install -e '.[explore]'``.

In a notebook, one call shows it inline::

    from sim.present.explorer import show
    show("scenarios/flanders_central.yaml")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: the one line that says how to get the web library
INSTALL_HINT = "the explorer needs Bokeh: pip install -e '.[explore]' (or pip install 'bokeh>=3.4')"


def available() -> bool:
    """Whether the web library (Bokeh) is installed."""
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def show(scenario: str | Path | None = None, **kwargs: Any) -> Any:
    """The explorer inline in a Jupyter notebook (an IFrame of a server in the kernel)."""
    if not available():
        raise ModuleNotFoundError(INSTALL_HINT)
    from sim.present.explorer.server import show_in_notebook

    return show_in_notebook(scenario, **kwargs)


def serve(scenario: str | Path | None = None, **kwargs: Any) -> None:
    """Serve the explorer until interrupted (``aisim explore``)."""
    if not available():
        raise ModuleNotFoundError(INSTALL_HINT)
    from sim.present.explorer.server import serve as run_server

    run_server(scenario, **kwargs)
