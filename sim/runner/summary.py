"""Summaries over Monte Carlo draws: mean, sd, quantiles, Monte Carlo standard errors.

Two ways to the same statistics:

- :func:`summarize` — exact, from a Dataset holding every draw (in-memory runs);
- :class:`StreamingSummary` — bounded memory, fed chunk by chunk (streamed runs). Mean and sd are
  exact to rounding (moments of fixed blocks of draws, merged in block order by Chan et al.'s
  pairwise update); quantiles come from a fixed-bin histogram per cell whose range is set from
  the cell's first :data:`~sim.model.statistics.PILOT` draws, widened by half their span on
  each side, so each quantile is within one bin width (span / ``BINS``) of the exact one when
  the data stay in range. Values outside it fall into the edge bins; the exact min and max are
  kept. Every statistic depends only on the draws and their order, never on the chunk size
  (:mod:`sim.model.statistics`): bit-identical for any chunking, thread count or executor.

Standard errors: mean ``sd / sqrt(n)``; quantile ``sqrt(p (1 - p) / n) / f(q_p)`` with the density
``f`` estimated from the histogram (or, for exact summaries, from the spacing of order
statistics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xarray as xr

from sim.model.statistics import LANES, PILOT, SummaryArrays
from sim.model.variables import cell_offsets

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BINS = 2048
HIST_DTYPE = np.int32  # histogram counts: half the memory traffic of int64
MAX_DRAWS = int(np.iinfo(HIST_DTYPE).max)


def _quantile_se_from_sorted(sorted_values: np.ndarray, p: float) -> np.ndarray:
    """SE of the p-quantile along axis 0 from order statistics (Maritz-Jarrett style spacing)."""
    n = sorted_values.shape[0]
    if n < 20:
        return np.full(sorted_values.shape[1:], np.nan)
    h = max(1, int(round(0.5 * math.sqrt(n))))
    lo = max(0, int(p * n) - h)
    hi = min(n - 1, int(p * n) + h)
    density = (hi - lo) / n / np.maximum(sorted_values[hi] - sorted_values[lo], 1e-300)
    return math.sqrt(p * (1 - p) / n) / density


def exact_statistics(values: np.ndarray, quantiles: tuple[float, ...] = QUANTILES, *,
                     standard_errors: bool = True) -> dict[str, np.ndarray]:
    """Exact statistics over axis 0 (draws) of ``values``: ``mean``, ``sd`` (ddof 1; 0 for one
    draw), ``quantile`` (:func:`numpy.quantile`, quantiles first) and, with
    ``standard_errors``, ``mean_se`` and ``quantile_se``. The one exact implementation:
    :func:`summarize` and sweep points (:mod:`sim.analysis.sweep`) both use it."""
    n = values.shape[0]
    mean = values.mean(axis=0)
    sd = values.std(axis=0, ddof=1) if n > 1 else np.zeros_like(mean)
    stats = {"mean": mean, "sd": sd, "quantile": np.quantile(values, quantiles, axis=0)}
    if standard_errors:
        sorted_values = np.sort(values, axis=0)
        stats["mean_se"] = sd / math.sqrt(n)
        stats["quantile_se"] = np.stack([_quantile_se_from_sorted(sorted_values, p)
                                         for p in quantiles])
    return stats


def summarize(ds: xr.Dataset, quantiles: tuple[float, ...] = QUANTILES) -> xr.Dataset:
    """Exact summaries over ``draw`` for every variable that has it
    (:func:`exact_statistics`)."""
    out: dict[str, xr.DataArray] = {}
    n = ds.sizes["draw"]
    for name, da in ds.data_vars.items():
        if "draw" not in da.dims:
            continue
        values = np.moveaxis(da.values, da.dims.index("draw"), 0)
        rest = [d for d in da.dims if d != "draw"]
        stats = exact_statistics(values, quantiles)
        out[f"{name}_mean"] = xr.DataArray(stats["mean"], dims=rest)
        out[f"{name}_sd"] = xr.DataArray(stats["sd"], dims=rest)
        out[f"{name}_mean_se"] = xr.DataArray(stats["mean_se"], dims=rest)
        out[f"{name}_quantile"] = xr.DataArray(stats["quantile"], dims=["quantile", *rest])
        out[f"{name}_quantile_se"] = xr.DataArray(stats["quantile_se"],
                                                  dims=["quantile", *rest])
    coords = {k: v for k, v in ds.coords.items() if k != "draw"}
    result = xr.Dataset(out, coords={**coords, "quantile": list(quantiles)})
    _copy_attrs(ds, result, n)
    return result


def _copy_attrs(source: xr.Dataset, result: xr.Dataset, n: int) -> None:
    result.attrs.update(source.attrs)
    result.attrs["summary_of_draws"] = int(n)
    for name in source.data_vars:
        for suffix in ("_mean", "_sd", "_mean_se", "_quantile", "_quantile_se"):
            key = name + suffix
            if key in result:
                result[key].attrs.update(
                    {k: v for k, v in source[name].attrs.items() if k != "long_name"},
                    units=source[name].attrs.get("units", ""),
                    long_name=f"{source[name].attrs.get('long_name', name)} "
                    f"({suffix.strip('_').replace('_', ' ')} over draws)")


@dataclass
class SummaryState:
    """Running statistics of every summary cell (one variable at one year, sector, ...):
    moments of the completed blocks and the open block's lane sums, min / max, and the
    histogram ``hist[cell, bin]`` whose range ``low`` + ``BINS`` x ``width`` is set from the
    first ``PILOT`` draws (:mod:`sim.model.statistics`). Variables own consecutive cells
    (``offsets``, in the order of ``shapes``, cells in C order), as in
    :func:`sim.model.variables.cell_offsets`."""

    shapes: dict[str, tuple[int, ...]]
    count: int = 0

    def __post_init__(self) -> None:
        self.offsets = cell_offsets(self.shapes)
        cells = sum(int(np.prod(s, dtype=np.int64)) for s in self.shapes.values())
        self.mean, self.m2 = np.zeros(cells), np.zeros(cells)
        self.vmin, self.vmax = np.zeros(cells), np.zeros(cells)
        self.low, self.width = np.zeros(cells), np.ones(cells)
        self.hist = np.zeros((cells, BINS), dtype=HIST_DTYPE)
        self.shift, self.lanes = np.zeros(cells), np.zeros((cells, 2 * LANES))
        self.pilot = np.empty((0, PILOT))
        self._reads: dict[tuple[str, int], Any] = {}

    def reserve(self, draws: int) -> int:
        """Check that ``draws`` more draws fit the int32 histogram counts; return the count
        merged so far (the ``count`` argument of the numba updates). A first chunk of fewer
        than ``PILOT`` draws gets the buffer where draws wait for the histogram ranges."""
        if self.count + draws > MAX_DRAWS:
            raise ValueError(f"streaming summaries hold at most {MAX_DRAWS:,} draws; "
                             f"got {self.count + draws:,}")
        if self.count == 0 and 0 < draws < PILOT:
            self.pilot = np.zeros((self.cells_total, PILOT))  # zeros: states compare equal
        return self.count

    def advance(self, draws: int) -> None:
        """``draws`` more were merged; the pilot buffer goes once the ranges are set."""
        self.count += draws
        if self.count >= PILOT and self.pilot.shape[0]:
            self.pilot = np.empty((0, PILOT))

    @property
    def cells_total(self) -> int:
        return self.mean.shape[0]

    def arrays(self) -> SummaryArrays:
        """The running statistics, as the numba updates take them."""
        return SummaryArrays(self.mean, self.m2, self.vmin, self.vmax, self.low, self.width,
                             self.hist, self.shift, self.lanes, self.pilot)

    @staticmethod
    def no_arrays() -> SummaryArrays:
        """Empty stand-ins of :meth:`arrays` with the same types (one numba specialisation)
        for passes that do not summarise."""
        return SummaryArrays(*(np.empty(0) for _ in range(6)),
                             np.empty((0, BINS), dtype=HIST_DTYPE), np.empty(0),
                             np.empty((0, 2 * LANES)), np.empty((0, PILOT)))

    def _read(self, what: str, compute: Any) -> Any:
        """``compute()``, kept until more draws are merged (read once per variable)."""
        key = (what, self.count)
        if key not in self._reads:
            self._reads = {k: v for k, v in self._reads.items() if k[1] == self.count}
            self._reads[key] = compute()
        return self._reads[key]

    def moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and M2 of every cell over all draws merged (the open block included)."""
        from sim.model.statistics import finish_moments

        def compute() -> tuple[np.ndarray, np.ndarray]:
            mean, m2 = np.empty_like(self.mean), np.empty_like(self.m2)
            finish_moments(self.count, self.mean, self.m2, self.shift, self.lanes, mean, m2)
            return mean, m2

        return self._read("moments", compute)

    def histograms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(low, width, hist)`` of every cell; for a run shorter than ``PILOT`` draws, from
        the waiting draws (the state is left as it is)."""
        if self.count == 0 or self.count >= PILOT:
            return self.low, self.width, self.hist
        from sim.model.statistics import pilot_histograms

        def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            low, width = np.empty_like(self.low), np.empty_like(self.width)
            hist = np.zeros_like(self.hist)
            pilot_histograms(self.pilot, self.count, low, width, hist)
            return low, width, hist

        return self._read("histograms", compute)

    def cells(self, name: str) -> slice:
        start = self.offsets[name]
        return slice(start, start + int(np.prod(self.shapes[name], dtype=np.int64)))

    def statistics(self, name: str, probs: tuple[float, ...] = QUANTILES,
                   ) -> dict[str, np.ndarray]:
        """mean, sd, quantile and quantile_se of ``name``, shaped like the variable (quantiles
        first)."""
        part, shape = self.cells(name), self.shapes[name]
        q, se = self.quantiles(name, probs)
        mean, m2 = self.moments()
        return {"mean": mean[part].reshape(shape),
                "sd": np.sqrt(m2[part] / max(self.count - 1, 1)).reshape(shape),
                "quantile": q.reshape(len(probs), *shape),
                "quantile_se": se.reshape(len(probs), *shape)}

    def quantiles(self, name: str, probs: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Quantiles of ``name``'s cells, interpolated within the histogram bin, and their
        standard errors ``sqrt(p (1 - p) / n) / f`` with the bin's density ``f``
        (:func:`sim.model.statistics.histogram_quantiles`), shape (len(probs), cells)."""
        from sim.model.statistics import histogram_quantiles

        part = self.cells(name)
        order = np.argsort(probs, kind="stable")
        cells = part.stop - part.start
        q = np.empty((len(probs), cells))
        se = np.empty((len(probs), cells))
        low, width, hist = self.histograms()
        histogram_quantiles(hist[part], low[part], width[part], self.vmin[part],
                            self.vmax[part], self.count, np.asarray(probs, float)[order], q, se)
        back = np.argsort(order)
        return q[back], se[back]


@dataclass
class StreamingSummary:
    """Accumulates summaries of every variable over chunks of draws (bounded memory).

    Feed it either chunks of arrays (:meth:`update`; any variables, the same ones each time) or
    let the fused output pass write into :attr:`state` directly
    (:func:`sim.runner.chunk.chunk_outputs`); both merge values with the same numba routine.
    """

    dims: dict[str, tuple[str, ...]]
    coords: dict[str, np.ndarray]
    attrs: dict[str, object] = field(default_factory=dict)
    state: SummaryState | None = None

    def prepare(self, shapes: dict[str, tuple[int, ...]]) -> SummaryState:
        """The running state for variables of these non-draw ``shapes`` (created once)."""
        if self.state is None:
            self.state = SummaryState(dict(shapes))
        elif self.state.shapes != dict(shapes):
            raise ValueError("a streaming summary must receive the same variables every chunk: "
                             f"expected {list(self.state.shapes)}, got {list(shapes)}")
        return self.state

    def update(self, chunk: dict[str, np.ndarray]) -> None:
        from sim.model.statistics import update_rows

        state = self.prepare({name: values.shape[1:] for name, values in chunk.items()})
        n_b = next(iter(chunk.values())).shape[0]
        count = state.reserve(n_b)
        for name, values in chunk.items():
            rows = np.ascontiguousarray(values.reshape(n_b, -1).T, dtype=np.float64)
            update_rows(rows, state.offsets[name], count, *state.arrays())
        state.advance(n_b)

    def result(self, var_attrs: dict[str, dict[str, str]],
               quantiles: tuple[float, ...] = QUANTILES) -> xr.Dataset:
        out: dict[str, xr.DataArray] = {}
        state = self.state
        n = state.count if state is not None else 0
        for name in (state.shapes if state is not None else ()):
            rest = [d for d in self.dims[name] if d != "draw"]
            stats = state.statistics(name, quantiles)
            out[f"{name}_mean"] = xr.DataArray(stats["mean"], dims=rest)
            out[f"{name}_sd"] = xr.DataArray(stats["sd"], dims=rest)
            out[f"{name}_mean_se"] = xr.DataArray(stats["sd"] / math.sqrt(max(n, 1)), dims=rest)
            out[f"{name}_quantile"] = xr.DataArray(stats["quantile"], dims=["quantile", *rest])
            out[f"{name}_quantile_se"] = xr.DataArray(stats["quantile_se"],
                                                      dims=["quantile", *rest])
        ds = xr.Dataset(out, coords={**self.coords, "quantile": list(quantiles)})
        names = list(state.shapes) if state is not None else []
        source = xr.Dataset({k: xr.DataArray(np.zeros(1), dims=["_"], attrs=var_attrs[k])
                             for k in names})
        source.attrs.update(self.attrs)
        _copy_attrs(source, ds, n)
        return ds


@dataclass(frozen=True)
class Convergence:
    """Are the headline quantiles stable to ``tolerance`` (95 % confidence)?"""

    variable: str
    year: int
    tolerance: float
    draws: int
    worst_half_width: float
    draws_needed: int

    @property
    def stable(self) -> bool:
        return self.worst_half_width <= self.tolerance

    def message(self) -> str:
        head = (f"{self.variable} in {self.year}: 95 % half-width of the 5/50/95 % quantiles "
                f"{self.worst_half_width:.4f} with {self.draws} draws")
        if self.stable:
            return f"converged: {head} <= tolerance {self.tolerance}"
        return (f"not converged: {head} > tolerance {self.tolerance}; about "
                f"{self.draws_needed:,} draws would be needed")


def convergence(summary: xr.Dataset, variable: str, tolerance: float) -> Convergence:
    """Convergence note for ``variable`` at the horizon from its quantile standard errors."""
    year = int(summary["year"].values[-1])
    se = summary[f"{variable}_quantile_se"].sel(year=year, quantile=[0.05, 0.5, 0.95])
    half = float(1.96 * np.nanmax(se.values)) if np.isfinite(se.values).any() else math.inf
    n = int(summary.attrs.get("summary_of_draws", 1))
    needed = n if half <= tolerance else int(math.ceil(n * (half / tolerance) ** 2))
    return Convergence(variable, year, tolerance, n, half, needed)
