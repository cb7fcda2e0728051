"""Streaming statistics over draws in one pass: running moments and fixed-bin histograms.

Used by :class:`sim.runner.summary.StreamingSummary` and by the fused output pass
(:func:`sim.model.outputs.chunk_outputs`). Not a MODEL.md block: it summarises the model's
outputs chunk by chunk in bounded memory. A summary *cell* is one variable at one year, sector,
...; each row of values is merged into its cell by one thread in draw order, so results do not
depend on the number of threads.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit, prange

#: the running statistics of every summary cell, as the numba updates take them: moments
#: ``mean[cell]``, ``m2[cell]``, extremes ``vmin``/``vmax``, and the histogram ``hist[cell, bin]``
#: whose range is ``low[cell] + bin * width[cell]``
SummaryArrays = namedtuple("SummaryArrays", ["mean", "m2", "vmin", "vmax", "low", "width",
                                             "hist"])


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
    not depend on the machine), which breaks the add/min/max latency chains."""
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


@njit(cache=True)
def update_row(row: np.ndarray, cell: int, count: int, mean: np.ndarray, m2: np.ndarray,
               vmin: np.ndarray, vmax: np.ndarray, low: np.ndarray, width: np.ndarray,
               hist: np.ndarray) -> None:
    """Merge the chunk ``row[draw]`` into cell ``cell``: running mean / M2 (Chan et al.
    pairwise update), min / max, and the histogram ``hist[cell, bin]`` of bins of ``width``
    from ``low`` (values outside fall into the edge bins, nan into the first). ``count`` draws
    were merged before; on the first chunk (``count == 0``) the bin range is set to the chunk's
    range widened by half its span on each side."""
    n_b = row.shape[0]
    bins = hist.shape[1]
    acc, lo_c, hi_c = _sum_min_max(row)
    if count == 0:
        span = hi_c - lo_c if hi_c > lo_c else max(abs(hi_c), 1.0) * 1e-6
        low[cell] = lo_c - 0.5 * span
        width[cell] = 2.0 * span / bins
    start = low[cell]
    inverse = 1.0 / width[cell]
    counts = hist[cell]
    if lo_c == hi_c and not math.isnan(acc):
        # the same value in every draw (a quarter of all cells in a typical run): one bin,
        # no spread; also avoids a chain of dependent increments of one counter
        mean_b = lo_c
        m2_b = 0.0
        counts[_bin(lo_c, start, inverse, bins)] += n_b
    else:
        mean_b = acc / n_b
        m0 = m1 = m2_ = m3 = 0.0  # four partial sums: one running sum is a latency chain
        last = n_b - n_b % 4
        for i in range(0, last, 4):
            d0 = row[i] - mean_b
            d1 = row[i + 1] - mean_b
            d2 = row[i + 2] - mean_b
            d3 = row[i + 3] - mean_b
            m0 += d0 * d0
            m1 += d1 * d1
            m2_ += d2 * d2
            m3 += d3 * d3
            counts[_bin(row[i], start, inverse, bins)] += 1
            counts[_bin(row[i + 1], start, inverse, bins)] += 1
            counts[_bin(row[i + 2], start, inverse, bins)] += 1
            counts[_bin(row[i + 3], start, inverse, bins)] += 1
        for i in range(last, n_b):
            d0 = row[i] - mean_b
            m0 += d0 * d0
            counts[_bin(row[i], start, inverse, bins)] += 1
        m2_b = (m0 + m1) + (m2_ + m3)
    if count == 0:
        mean[cell] = mean_b
        m2[cell] = m2_b
        vmin[cell] = lo_c
        vmax[cell] = hi_c
    else:
        total = count + n_b
        delta = mean_b - mean[cell]
        mean[cell] += delta * n_b / total
        m2[cell] += m2_b + delta * delta * count * n_b / total
        vmin[cell] = min(vmin[cell], lo_c)
        vmax[cell] = max(vmax[cell], hi_c)


@njit(cache=True, parallel=True)
def update_rows(rows: np.ndarray, first_cell: int, count: int, mean: np.ndarray,
                m2: np.ndarray, vmin: np.ndarray, vmax: np.ndarray, low: np.ndarray,
                width: np.ndarray, hist: np.ndarray) -> None:
    """Merge ``rows[c, draw]`` into cells ``first_cell + c`` (see :func:`update_row`)."""
    for c in prange(rows.shape[0]):
        update_row(rows[c], first_cell + c, count, mean, m2, vmin, vmax, low, width, hist)


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
