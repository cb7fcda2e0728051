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

Layout (both ways): every variable keeps the full file's name, units and long name, its
``draw`` dim replaced by a leading ``stat`` dim (:func:`stat_labels`: ``mean``, ``sd``,
``mean_se``, ``p05`` ... ``p95``, ``p05_se`` ... ``p95_se``) with the probability as the
coordinate ``quantile`` along it (NaN for the moments); the Dataset's ``summary_of_draws``
attribute is the number of draws. :func:`summary_quantiles` gives a variable's quantiles over a
``quantile`` dim; :func:`to_flat` / :func:`from_flat` convert to and from the flat names
(``X_mean``, ``X_quantile``, ...) of aisim up to 0.4 and of sweep stores.

Standard errors: mean ``sd / sqrt(n)``; quantile ``sqrt(p (1 - p) / n) / f(q_p)`` with the density
``f`` estimated from the histogram (or, for exact summaries, from the spacing of order
statistics).
"""

from __future__ import annotations

import math
import re
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


MOMENTS = ("mean", "sd", "mean_se")


def quantile_label(q: float) -> str:
    """The ``stat`` label of quantile ``q``: ``p05`` for 0.05, ``p50`` for the median,
    ``p2.5`` for 0.025."""
    return "p" + format(100 * float(q), "02g")


def stat_labels(quantiles: tuple[float, ...] = QUANTILES) -> list[str]:
    """The ``stat`` coordinate of a summary: ``mean``, ``sd``, ``mean_se`` (sd / sqrt(n)),
    the quantiles ``p05`` ... ``p95`` and their standard errors ``p05_se`` ... ``p95_se``."""
    qs = [quantile_label(q) for q in quantiles]
    return [*MOMENTS, *qs, *(f"{q}_se" for q in qs)]


def summary_coords(quantiles: tuple[float, ...] = QUANTILES) -> dict[str, Any]:
    """``stat`` (labels) and ``quantile`` along it (the probability; NaN for the moments)."""
    k = len(quantiles)
    probs = np.array([np.nan] * len(MOMENTS) + [float(q) for q in quantiles] * 2)
    assert len(probs) == len(MOMENTS) + 2 * k
    return {"stat": ("stat", np.array(stat_labels(quantiles), dtype=object),
                     {"long_name": "Statistic over Monte Carlo draws",
                      "description": "mean; sd (ddof 1); mean_se = sd / sqrt(draws); pNN: "
                      "the NN % quantile; pNN_se: its Monte Carlo standard error"}),
            "quantile": ("stat", probs,
                         {"long_name": "Probability of the quantile (NaN for the moments)"})}


def stack_statistics(stats: dict[str, np.ndarray], mean_se: np.ndarray) -> np.ndarray:
    """One variable's statistics stacked along a leading ``stat`` axis in the order of
    :func:`stat_labels` (``stats`` as :func:`exact_statistics` returns them, quantiles
    first)."""
    return np.concatenate([stats["mean"][None], stats["sd"][None], mean_se[None],
                           stats["quantile"], stats["quantile_se"]], axis=0)


def summarize(ds: xr.Dataset, quantiles: tuple[float, ...] = QUANTILES) -> xr.Dataset:
    """Exact summaries over ``draw`` for every variable that has it
    (:func:`exact_statistics`): each variable keeps its name, ``draw`` replaced by ``stat``
    (:func:`stat_labels`)."""
    out: dict[str, xr.DataArray] = {}
    n = ds.sizes["draw"]
    for name, da in ds.data_vars.items():
        if "draw" not in da.dims:
            continue
        values = np.moveaxis(da.values, da.dims.index("draw"), 0)
        rest = [d for d in da.dims if d != "draw"]
        stats = exact_statistics(values, quantiles)
        out[str(name)] = xr.DataArray(stack_statistics(stats, stats["mean_se"]),
                                      dims=["stat", *rest], attrs=dict(da.attrs))
    coords = {k: v for k, v in ds.coords.items() if "draw" not in v.dims}
    result = xr.Dataset(out, coords={**coords, **summary_coords(quantiles)})
    result.attrs.update(ds.attrs)
    result.attrs["summary_of_draws"] = int(n)
    return result


def is_summary(ds: xr.Dataset) -> bool:
    """A summary Dataset (``stat`` dim of :func:`stat_labels`), not paths over draws."""
    return "stat" in ds.dims and "draw" not in ds.dims


def summary_quantiles(da: xr.DataArray, probs: Any = None) -> xr.DataArray:
    """A summary variable's quantiles (``probs``, default every one it holds) as an array
    with a ``quantile`` dim first, as ``full[var].quantile(probs, dim="draw")`` has; a
    probability the summary lacks raises ``KeyError`` naming those it has."""
    labels = [str(s) for s in da["stat"].values]
    have = {float(q): lab for lab, q in zip(labels, da["quantile"].values, strict=True)
            if np.isfinite(q) and not lab.endswith("_se")}
    wanted = list(have) if probs is None else [float(p) for p in np.atleast_1d(probs)]
    missing = [p for p in wanted if not any(abs(p - h) < 1e-9 for h in have)]
    if missing:
        raise KeyError(f"quantile {missing[0]:g} not in the summary (it has "
                       f"{', '.join(f'{h:g}' for h in have)})")
    picks = [next(lab for h, lab in have.items() if abs(p - h) < 1e-9) for p in wanted]
    out = da.sel(stat=picks).drop_vars(["stat", "quantile"]).rename(stat="quantile")
    return out.assign_coords(quantile=wanted)


def summary_stat(da: xr.DataArray, stat: str) -> xr.DataArray:
    """One statistic (``mean``, ``sd``, ``p50``, ``p05_se``, ...) of a summary variable,
    without the ``stat`` dim."""
    return da.sel(stat=stat).drop_vars(["stat", "quantile"], errors="ignore")


#: the variable-name suffixes of summaries before the ``stat`` layout (and of sweep stores)
FLAT_SUFFIXES = ("_quantile_se", "_mean_se", "_quantile", "_mean", "_sd")


def to_flat(summary: xr.Dataset) -> xr.Dataset:
    """The summary in the flat layout of aisim up to 0.4 (``X_mean``, ``X_sd``, ``X_mean_se``,
    ``X_quantile(quantile, ...)``, ``X_quantile_se``), the same arrays byte for byte (the
    golden results check them so)."""
    labels = [str(s) for s in summary["stat"].values]
    probs = [float(q) for lab, q in zip(labels, summary["quantile"].values, strict=True)
             if np.isfinite(q) and not lab.endswith("_se")]
    qs = [quantile_label(q) for q in probs]
    out: dict[str, xr.DataArray] = {}
    for name, da in summary.data_vars.items():
        if "stat" not in da.dims:
            out[str(name)] = da
            continue
        for moment in MOMENTS:
            out[f"{name}_{moment}"] = summary_stat(da, moment)
        for suffix, picks in (("quantile", qs), ("quantile_se", [f"{q}_se" for q in qs])):
            arr = da.sel(stat=picks).drop_vars(["stat", "quantile"]).rename(stat="quantile")
            out[f"{name}_{suffix}"] = arr.assign_coords(quantile=probs)
    coords = {k: v for k, v in summary.coords.items() if "stat" not in v.dims}
    flat = xr.Dataset(out, coords=coords)
    flat.attrs.update(summary.attrs)
    return flat


def from_flat(flat: xr.Dataset) -> xr.Dataset:
    """A flat-layout summary (:func:`to_flat`; files of aisim up to 0.4, sweep stores'
    ``X_mean``/``X_sd``/``X_quantile``) in the ``stat`` layout, with the statistics the file
    holds (``mean_se`` derived as sd / sqrt(draws) where only sd is stored, from the
    ``summary_of_draws`` or ``draws`` attribute). Other variables pass unchanged."""
    probs = tuple(float(q) for q in flat["quantile"].values) if "quantile" in flat.coords \
        else QUANTILES
    bases = [str(v)[: -len("_quantile")] for v in flat.data_vars
             if str(v).endswith("_quantile") and "quantile" in flat[v].dims]
    taken = {f"{b}{s}" for b in bases for s in FLAT_SUFFIXES}
    draws = flat.attrs.get("summary_of_draws", flat.attrs.get("draws"))
    labels_all = stat_labels(probs)
    k = len(probs)
    out: dict[str, xr.DataArray] = {}
    kept: list[str] | None = None
    for base in bases:
        q = flat[f"{base}_quantile"]
        rest = [d for d in q.dims if d != "quantile"]
        pieces: list[tuple[str, xr.DataArray]] = []
        for moment in ("mean", "sd"):
            if f"{base}_{moment}" in flat.data_vars:
                pieces.append((moment, flat[f"{base}_{moment}"]))
        if f"{base}_mean_se" in flat.data_vars:
            pieces.append(("mean_se", flat[f"{base}_mean_se"]))
        elif f"{base}_sd" in flat.data_vars and draws is not None:
            pieces.append(("mean_se", flat[f"{base}_sd"] / math.sqrt(max(int(draws), 1))))
        pieces += [(labels_all[len(MOMENTS) + i], q.isel(quantile=i, drop=True))
                   for i in range(k)]
        if f"{base}_quantile_se" in flat.data_vars:
            se = flat[f"{base}_quantile_se"]
            pieces += [(labels_all[len(MOMENTS) + k + i], se.isel(quantile=i, drop=True))
                       for i in range(k)]
        order = [lab for lab in labels_all if lab in dict(pieces)]
        if kept is not None and order != kept:
            raise ValueError(f"{base}: statistics {order} differ from the other variables' "
                             f"{kept}")
        kept = order
        by_label = dict(pieces)
        arr = xr.concat([by_label[lab].transpose(*rest).drop_vars("quantile", errors="ignore")
                         for lab in order], dim="stat", coords="minimal", compat="override")
        attrs = dict(q.attrs)
        attrs["long_name"] = re.sub(r"\s*\(quantile over draws\)$", "",
                                    str(attrs.get("long_name", base)))
        lead = [d for d in rest if d not in ("year", "sector", "cohort")]
        out[base] = arr.transpose(*lead, "stat", ...).assign_attrs(attrs)
    for name, da in flat.data_vars.items():
        if str(name) not in taken:
            out[str(name)] = da
    coords = {k_: v for k_, v in flat.coords.items() if k_ != "quantile"}
    ds = xr.Dataset(out, coords=coords)
    full = summary_coords(probs)
    idx = [labels_all.index(lab) for lab in (kept or labels_all)]
    ds = ds.assign_coords(stat=("stat", full["stat"][1][idx], full["stat"][2]),
                          quantile=("stat", full["quantile"][1][idx], full["quantile"][2]))
    ds.attrs.update(flat.attrs)
    return ds


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
        """Every variable under its own name, ``draw`` replaced by ``stat``
        (:func:`stat_labels`), with its units and long name."""
        out: dict[str, xr.DataArray] = {}
        state = self.state
        n = state.count if state is not None else 0
        for name in (state.shapes if state is not None else ()):
            rest = [d for d in self.dims[name] if d != "draw"]
            stats = state.statistics(name, quantiles)
            values = stack_statistics(stats, stats["sd"] / math.sqrt(max(n, 1)))
            out[name] = xr.DataArray(values, dims=["stat", *rest],
                                     attrs=dict(var_attrs.get(name, {})))
        ds = xr.Dataset(out, coords={**self.coords, **summary_coords(quantiles)})
        ds.attrs.update(self.attrs)
        ds.attrs["summary_of_draws"] = int(n)
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
    se = summary[variable].sel(year=year, stat=["p05_se", "p50_se", "p95_se"])
    half = float(1.96 * np.nanmax(se.values)) if np.isfinite(se.values).any() else math.inf
    n = int(summary.attrs.get("summary_of_draws", 1))
    needed = n if half <= tolerance else int(math.ceil(n * (half / tolerance) ** 2))
    return Convergence(variable, year, tolerance, n, half, needed)
