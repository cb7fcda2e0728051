"""``ds.aisim``: plotting and export methods on results Datasets.

Registered once both ``sim`` and xarray are imported, in either order (``sim`` registers it when
xarray loads, :mod:`sim`)::

    ds.aisim.fan("gdp_gain_pct")
    ds.aisim.sector_panel("adoption")
    ds.aisim.heatmap("sector_tfp_gain_pct")
    ds.aisim.cohorts()                  # employment gain by cohort vs baseline
    ds.aisim.decomposition()
    ds.aisim.to_iamc(region="Flanders")
    ds.aisim.to_tidy()

Matplotlib and pandas are imported on first use, not when ``sim`` is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import xarray as xr

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AisimAccessor"]


@xr.register_dataset_accessor("aisim")
class AisimAccessor:
    """Plotting (:mod:`sim.present.plot`) and export (:mod:`sim.present.export`) bound to one
    Dataset."""

    def __init__(self, ds: xr.Dataset) -> None:
        self._ds = ds

    # plots ---------------------------------------------------------------------------------
    def fan(self, var: str = "gdp_gain_pct", **kwargs: Any) -> tuple[Any, Any]:
        """Fan chart over years (:func:`sim.present.plot.fan`)."""
        from sim.present import plot

        return plot.fan(self._ds, var, **kwargs)

    def compare(self, var: str = "gdp_gain_pct", **kwargs: Any) -> tuple[Any, Any]:
        """Scenarios on one axis (:func:`sim.present.plot.compare`); needs a ``scenario`` dim."""
        from sim.present import plot

        return plot.compare(self._ds, var, **kwargs)

    def sector_panel(self, var: str = "sector_tfp_gain_pct", **kwargs: Any) -> tuple[Any, Any]:
        """One fan chart per sector (:func:`sim.present.plot.sector_panel`)."""
        from sim.present import plot

        return plot.sector_panel(self._ds, var, **kwargs)

    def heatmap(self, var: str = "sector_tfp_gain_pct", **kwargs: Any) -> tuple[Any, Any]:
        """Sector x year median heatmap (:func:`sim.present.plot.heatmap`)."""
        from sim.present import plot

        return plot.heatmap(self._ds, var, **kwargs)

    def cohorts(self, var: str = "employment_by_cohort", **kwargs: Any) -> tuple[Any, Any]:
        """Employment by age cohort (:func:`sim.present.plot.cohorts`)."""
        from sim.present import plot

        return plot.cohorts(self._ds, var, **kwargs)

    def decomposition(self, **kwargs: Any) -> tuple[Any, Any]:
        """Why GDP moves: TFP, capital, employment, demand gap
        (:func:`sim.present.plot.decomposition`)."""
        from sim.present import plot

        return plot.decomposition(self._ds, **kwargs)

    def quantiles(self, var: str, probs: Any = (0.05, 0.25, 0.5, 0.75, 0.95)) -> xr.DataArray:
        """Quantiles of ``var`` over draws, or taken from a summary
        (:func:`sim.present.plot.quantiles`)."""
        from sim.present import plot

        return plot.quantiles(plot.get_variable(self._ds, var), probs)

    # export --------------------------------------------------------------------------------
    def to_iamc(self, **kwargs: Any) -> pd.DataFrame:
        """IAMC long-format table (:func:`sim.present.export.to_iamc`)."""
        from sim.present import export

        return export.to_iamc(self._ds, **kwargs)

    def to_tidy(self, **kwargs: Any) -> pd.DataFrame:
        """Tidy long table (:func:`sim.present.export.to_tidy`)."""
        from sim.present import export

        return export.to_tidy(self._ds, **kwargs)
