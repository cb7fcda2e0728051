"""Streaming statistics over draws in one pass: running moments and fixed-bin histograms.

Used by :class:`sim.runner.summary.StreamingSummary` and by the fused output pass
(:func:`sim.model.outputs.chunk_outputs`). Not a MODEL.md block: it summarises the model's
outputs chunk by chunk in bounded memory. A summary *cell* is one variable at one year, sector,
...; each row of values is merged into its cell by one thread in draw order, so results do not
depend on the number of threads.

The statistics depend only on the sequence of values merged, never on how it was cut into
chunks (docs/sampling.md, reproducibility):

- **Moments** are accumulated per fixed block of :data:`SUMMARY_BLOCK` draws (counted from the
  first draw merged): within a block, sums of ``d = x - K`` and ``d * d`` with ``K`` the
  block's first value, in four lanes keyed by the draw's position in the block (lane state is
  carried from one chunk to the next); a complete block's mean ``K + S1 / n`` and
  ``M2 = S2 - S1^2 / n`` are merged into the running ones in block order (Chan et al. 1979).
- **Histogram range**: each cell's bins are set from its first :data:`PILOT` draws (all of
  them in a shorter run), the range widened by half its span on each side. Draws seen before
  the pilot is complete wait in a buffer (only when a chunk holds fewer than ``PILOT`` draws).
- **Extremes** are order-free (a zero is stored as +0).
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit, prange

SUMMARY_BLOCK = 4096
"""Draws per block of the streamed moments (as the sampler's ``BLOCK``): part of the
reproducibility contract, changing it changes the last bits of means and sds."""

PILOT = 1024
"""Draws from which each cell's histogram range is set (part of the contract)."""

LANES = 4
"""Partial sums per block and moment: independent chains (the adds do not wait on one
another) whose assignment follows the draw's position in its block, not the chunk."""

SCRATCH = SUMMARY_BLOCK
"""Length of the int32 scratch :func:`update_row` bins a row's values into (a row is binned
block by block, at most one block at a time)."""

#: the running statistics of every summary cell, as the numba updates take them: moments of
#: the completed blocks ``mean[cell]``, ``m2[cell]``, extremes ``vmin``/``vmax``, the histogram
#: ``hist[cell, bin]`` whose range is ``low[cell] + bin * width[cell]``, the open block's shift
#: ``shift[cell]`` and lane sums ``lanes[cell, 0:4]`` (of d) and ``lanes[cell, 4:8]`` (of d^2),
#: and the draws waiting for the histogram range ``pilot[cell, draw]`` (no rows: not needed)
SummaryArrays = namedtuple("SummaryArrays", ["mean", "m2", "vmin", "vmax", "low", "width",
                                             "hist", "shift", "lanes", "pilot"])


@njit(cache=True, inline="always")
def _bin(x: float, start: float, inverse: float, bins: int) -> int:
    """Histogram bin of ``x``: values below the range (and nan) in the first, above in the
    last."""
    u = (x - start) * inverse
    if u >= 0.0:
        return int(u) if u < bins else bins - 1
    return 0


@njit(cache=True, inline="always")
def _sum_min_max(row: np.ndarray) -> tuple[float, float, float]:
    """Sum, min and max of ``row`` in four interleaved lanes (a fixed order: the result does
    not depend on the machine), which breaks the add/min/max latency chains. nan is ignored by
    min and max (they start at +-inf), not by the sum."""
    n = row.shape[0]
    s0 = s1 = s2 = s3 = 0.0
    lo0 = lo1 = lo2 = lo3 = math.inf
    hi0 = hi1 = hi2 = hi3 = -math.inf
    last = n - n % 4
    for i in range(0, last, 4):
        x0, x1, x2, x3 = row[i], row[i + 1], row[i + 2], row[i + 3]
        s0 += x0
        s1 += x1
        s2 += x2
        s3 += x3
        lo0, lo1, lo2, lo3 = min(lo0, x0), min(lo1, x1), min(lo2, x2), min(lo3, x3)
        hi0, hi1, hi2, hi3 = max(hi0, x0), max(hi1, x1), max(hi2, x2), max(hi3, x3)
    for i in range(last, n):
        s0 += row[i]
        lo0 = min(lo0, row[i])
        hi0 = max(hi0, row[i])
    return ((s0 + s1) + (s2 + s3), min(min(lo0, lo1), min(lo2, lo3)),
            max(max(hi0, hi1), max(hi2, hi3)))


@njit(cache=True, inline="always")
def _count_segment(row: np.ndarray, i0: int, i1: int, start: float, inverse: float,
                   counts: np.ndarray, index: np.ndarray) -> None:
    """Add ``row[i0:i1]`` to the histogram ``counts``: every value's bin (as :func:`_bin`)
    first, in a loop without stores to the histogram that the compiler vectorises, then the
    increments alone. Measured on the rows of a 21-sector run: the histogram part of
    :func:`update_row` about 30 % cheaper than binning and counting value by value
    (docs/performance.md)."""
    top = float(counts.shape[0] - 1)
    for i in range(i0, i1):
        u = (row[i] - start) * inverse
        u = u if u >= 0.0 else 0.0  # below the range, and nan: the first bin
        u = u if u < top else top  # above: the last
        index[i - i0] = np.int32(u)
    for i in range(i1 - i0):
        counts[index[i]] += 1


# ------------------------------------------------------------------------- histogram range
@njit(cache=True, inline="always")
def _set_range(lo: float, hi: float, cell: int, low: np.ndarray, width: np.ndarray,
               bins: int) -> None:
    """Bins of cell ``cell`` over [lo, hi] widened by half its span on each side (a tiny span
    around a constant)."""
    span = hi - lo if hi > lo else max(abs(hi), 1.0) * 1e-6
    low[cell] = lo - 0.5 * span
    width[cell] = 2.0 * span / bins


@njit(cache=True, inline="always")
def _count(values: np.ndarray, start: float, inverse: float, counts: np.ndarray) -> None:
    """Add ``values`` to the histogram ``counts``."""
    bins = counts.shape[0]
    for i in range(values.shape[0]):
        counts[_bin(values[i], start, inverse, bins)] += 1


@njit(cache=True)
def check_pilot(count: int, n: int, pilot: np.ndarray, cells: int) -> None:
    """Raise when merging ``n`` more draws after ``count`` needs the pilot buffer of
    :func:`_pilot_range` (``pilot[cell, draw]`` for every one of ``cells``) and it is not
    there; without it the pilot writes would go out of bounds. Callers call this *before* their
    parallel loop: a ``raise`` in the loop's body makes numba run the loop serially (measured:
    the fused output pass on one thread whatever ``NUMBA_NUM_THREADS``)."""
    needs = n > 0 and count < PILOT and (count > 0 or count + n < PILOT)
    if needs and pilot.shape[0] < cells:
        raise ValueError("no pilot buffer: SummaryState.reserve allocates it")


@njit(cache=True, inline="always")
def _pilot_range(row: np.ndarray, cell: int, count: int, low: np.ndarray, width: np.ndarray,
                 hist: np.ndarray, pilot: np.ndarray) -> bool:
    """Before the cell's first :data:`PILOT` draws are all in: keep ``row`` in ``pilot`` until
    they are (False: nothing to bin yet); when ``row`` completes them, set the range from them
    and bin the waiting ones (True: ``row`` is to be binned, all of it)."""
    n = row.shape[0]
    if count + n < PILOT:
        pilot[cell, count:count + n] = row
        return False
    _, lo, hi = _sum_min_max(row[:PILOT - count])
    if count > 0:
        _, lo_p, hi_p = _sum_min_max(pilot[cell, :count])
        lo, hi = min(lo, lo_p), max(hi, hi_p)
    _set_range(lo, hi, cell, low, width, hist.shape[1])
    if count > 0:
        _count(pilot[cell, :count], low[cell], 1.0 / width[cell], hist[cell])
    return True


# --------------------------------------------------------------------------------- moments
@njit(cache=True, inline="always")
def _block_moments(k: float, lane: np.ndarray, n_b: int) -> tuple[float, float]:
    """Mean and M2 of an (open or complete) block of ``n_b`` draws from its shift ``k`` and
    lane sums: ``k + S1 / n`` and ``S2 - S1^2 / n`` (not below 0)."""
    s1 = (lane[0] + lane[1]) + (lane[2] + lane[3])
    s2 = (lane[4] + lane[5]) + (lane[6] + lane[7])
    return k + s1 / n_b, max(s2 - s1 * s1 / n_b, 0.0)


@njit(cache=True, inline="always")
def _merge(mean: float, m2: float, done: int, mean_b: float, m2_b: float,
           n_b: int) -> tuple[float, float]:
    """Chan et al. (1979) pairwise update: ``done`` draws of (mean, m2) and a block of ``n_b``
    draws of (mean_b, m2_b)."""
    if done == 0:
        return mean_b, m2_b
    total = done + n_b
    delta = mean_b - mean
    return mean + delta * n_b / total, m2 + m2_b + delta * delta * done * n_b / total


@njit(cache=True, inline="always")
def _accumulate(row: np.ndarray, i0: int, i1: int, pos: int, k: float,
                lane: np.ndarray) -> None:
    """Add ``row[i0:i1]`` (positions ``pos``... of the open block, shift ``k``) to the lane
    sums ``lane`` (lane = position mod 4)."""
    i = i0
    while i < i1 and (pos + i - i0) % LANES != 0:  # up to the next multiple of 4
        q = (pos + i - i0) % LANES
        d = row[i] - k
        lane[q] += d
        lane[LANES + q] += d * d
        i += 1
    a0, a1, a2, a3 = lane[0], lane[1], lane[2], lane[3]
    b0, b1, b2, b3 = lane[4], lane[5], lane[6], lane[7]
    last = i + (i1 - i) // LANES * LANES
    for j in range(i, last, LANES):
        d0 = row[j] - k
        d1 = row[j + 1] - k
        d2 = row[j + 2] - k
        d3 = row[j + 3] - k
        a0 += d0
        a1 += d1
        a2 += d2
        a3 += d3
        b0 += d0 * d0
        b1 += d1 * d1
        b2 += d2 * d2
        b3 += d3 * d3
    lane[0], lane[1], lane[2], lane[3] = a0, a1, a2, a3
    lane[4], lane[5], lane[6], lane[7] = b0, b1, b2, b3
    for j in range(last, i1):  # lanes 0, 1, 2 in order
        q = j - last
        d = row[j] - k
        lane[q] += d
        lane[LANES + q] += d * d


@njit(cache=True)
def update_row(row: np.ndarray, cell: int, count: int, mean: np.ndarray, m2: np.ndarray,
               vmin: np.ndarray, vmax: np.ndarray, low: np.ndarray, width: np.ndarray,
               hist: np.ndarray, shift: np.ndarray, lanes: np.ndarray, pilot: np.ndarray,
               index: np.ndarray) -> None:
    """Merge the chunk ``row[draw]`` into cell ``cell`` (``count`` draws merged before):
    min / max, the histogram ``hist[cell, bin]`` (bins of ``width`` from ``low``, set from the
    first :data:`PILOT` draws; values outside fall into the edge bins, nan into the first), and
    the moments of :data:`SUMMARY_BLOCK`-draw blocks (module docstring), merged in block order.
    The result does not depend on how the draws were cut into chunks. ``index``: scratch of
    :data:`SCRATCH` int32 (allocated once by the caller: an allocation per call cost 20 % of
    this function, measured)."""
    n = row.shape[0]
    if n == 0:
        return
    acc, lo, hi = _sum_min_max(row)
    lo += 0.0  # -0 -> +0: which zero comes first must not matter
    hi += 0.0
    vmin[cell] = lo if count == 0 else min(vmin[cell], lo)
    vmax[cell] = hi if count == 0 else max(vmax[cell], hi)
    # the same value in every draw (a quarter of all cells in a typical run): one bin, and
    # d = 0 adds nothing to the lanes (skipped) where the block's shift is that value
    constant = lo == hi and not math.isnan(acc)
    binned = count >= PILOT or _pilot_range(row, cell, count, low, width, hist, pilot)
    start = low[cell]
    inverse = 1.0 / width[cell]
    counts = hist[cell]
    if binned and constant:
        counts[_bin(lo, start, inverse, counts.shape[0])] += n
    pos = count % SUMMARY_BLOCK
    done = count - pos
    lane = lanes[cell]
    i = 0
    while i < n:
        if pos == 0:
            shift[cell] = row[i]
            lane[:] = 0.0
        m = min(n - i, SUMMARY_BLOCK - pos)
        if not (constant and shift[cell] == lo):
            _accumulate(row, i, i + m, pos, shift[cell], lane)
        if binned and not constant:
            _count_segment(row, i, i + m, start, inverse, counts, index)
        pos += m
        i += m
        if pos == SUMMARY_BLOCK:
            mean_b, m2_b = _block_moments(shift[cell], lane, SUMMARY_BLOCK)
            mean[cell], m2[cell] = _merge(mean[cell], m2[cell], done, mean_b, m2_b,
                                          SUMMARY_BLOCK)
            done += SUMMARY_BLOCK
            pos = 0


CELLS_PER_TASK = 64
"""Cells one task of :func:`update_rows` merges (one scratch allocation per task, not per
cell). Measured with 2 threads, rows of 2 048 draws: 256 cells 1.3 ms against 2.8 ms on one
thread; 16 cells (one task) 155 against 150 us: waking the threads costs a few microseconds."""

@njit(cache=True)
def _update_cells(rows: np.ndarray, c0: int, c1: int, first_cell: int, count: int,
                  mean: np.ndarray, m2: np.ndarray, vmin: np.ndarray, vmax: np.ndarray,
                  low: np.ndarray, width: np.ndarray, hist: np.ndarray, shift: np.ndarray,
                  lanes: np.ndarray, pilot: np.ndarray, index: np.ndarray) -> None:
    """Merge ``rows[c0:c1]`` into cells ``first_cell + c0``... (:func:`update_row`)."""
    for c in range(c0, c1):
        update_row(rows[c], first_cell + c, count, mean, m2, vmin, vmax, low, width, hist,
                   shift, lanes, pilot, index)


@njit(cache=True, parallel=True)
def update_rows(rows: np.ndarray, first_cell: int, count: int, mean: np.ndarray,
                m2: np.ndarray, vmin: np.ndarray, vmax: np.ndarray, low: np.ndarray,
                width: np.ndarray, hist: np.ndarray, shift: np.ndarray, lanes: np.ndarray,
                pilot: np.ndarray) -> None:
    """Merge ``rows[c, draw]`` into cells ``first_cell + c`` (see :func:`update_row`), in
    parallel over tasks of :data:`CELLS_PER_TASK` cells."""
    cells = rows.shape[0]
    check_pilot(count, rows.shape[1], pilot, first_cell + cells)
    for task in prange((cells + CELLS_PER_TASK - 1) // CELLS_PER_TASK):
        c0 = np.int64(task) * CELLS_PER_TASK
        index = np.empty(SCRATCH, dtype=np.int32)
        _update_cells(rows, c0, min(c0 + CELLS_PER_TASK, cells), first_cell, count, mean,
                      m2, vmin, vmax, low, width, hist, shift, lanes, pilot, index)


@njit(cache=True, parallel=True)
def finish_moments(count: int, mean: np.ndarray, m2: np.ndarray, shift: np.ndarray,
                   lanes: np.ndarray, out_mean: np.ndarray, out_m2: np.ndarray) -> None:
    """Mean and M2 of all ``count`` draws: the completed blocks merged with the open one (the
    state is left as it is)."""
    pos = count % SUMMARY_BLOCK
    done = count - pos
    for c in prange(mean.shape[0]):
        if pos == 0:
            out_mean[c], out_m2[c] = mean[c], m2[c]
        else:
            mean_b, m2_b = _block_moments(shift[c], lanes[c], pos)
            out_mean[c], out_m2[c] = _merge(mean[c], m2[c], done, mean_b, m2_b, pos)


@njit(cache=True, parallel=True)
def pilot_histograms(pilot: np.ndarray, count: int, low: np.ndarray, width: np.ndarray,
                     hist: np.ndarray) -> None:
    """Ranges and histograms of a run shorter than :data:`PILOT` from its ``count`` waiting
    draws (into the given arrays; ``hist`` zeroed)."""
    for c in prange(pilot.shape[0]):
        _, lo, hi = _sum_min_max(pilot[c, :count])
        _set_range(lo, hi, c, low, width, hist.shape[1])
        _count(pilot[c, :count], low[c], 1.0 / width[c], hist[c])


@njit(cache=True, parallel=True)
def histogram_quantiles(hist: np.ndarray, low: np.ndarray, width: np.ndarray,
                        vmin: np.ndarray, vmax: np.ndarray, count: int, probs: np.ndarray,
                        quantile: np.ndarray, quantile_se: np.ndarray) -> None:
    """Quantiles ``quantile[p, cell]`` of every cell from its histogram, for ascending
    ``probs``: the first bin whose cumulative count reaches ``p n``, interpolated linearly
    within it and clipped to the exact min / max; standard errors
    ``sqrt(p (1 - p) / n) / f`` with ``f`` the bin's density."""
    cells, bins = hist.shape
    n_probs = probs.shape[0]
    n = max(count, 1)
    for c in prange(cells):
        p_at = 0
        below = 0
        for b in range(bins):
            in_bin = hist[c, b]
            reached = below + in_bin
            while p_at < n_probs and reached >= probs[p_at] * count:
                p = probs[p_at]
                frac = (p * count - below) / max(in_bin, 1) if in_bin > 0 else 0.5
                q = low[c] + (b + frac) * width[c]
                quantile[p_at, c] = min(max(q, vmin[c]), vmax[c])
                density = max(in_bin, 1) / (count * width[c])
                quantile_se[p_at, c] = math.sqrt(p * (1.0 - p) / n) / density
                p_at += 1
            if p_at == n_probs:
                break
            below = reached
        while p_at < n_probs:  # not reached (only with no draws): the first bin, as numpy
            quantile[p_at, c] = min(max(low[c] + 0.5 * width[c], vmin[c]), vmax[c])
            quantile_se[p_at, c] = math.nan
            p_at += 1
