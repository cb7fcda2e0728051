"""Streaming statistics over draws in one pass: running moments and fixed-bin histograms.

Used by :class:`sim.summary.StreamingSummary`. Not a MODEL.md block: it summarises the model's
outputs chunk by chunk in bounded memory. Each cell (one variable at one year, sector, ...) is
handled by one thread in a fixed order, so results do not depend on the number of threads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True)
def update_cells(values: np.ndarray, count: int, mean: np.ndarray, m2: np.ndarray,
                 vmin: np.ndarray, vmax: np.ndarray, low: np.ndarray, width: np.ndarray,
                 hist: np.ndarray) -> None:
    """Merge a chunk ``values[draw, cell]`` into running mean / M2 (Chan et al. pairwise
    update), min / max and the histogram ``hist[cell, bin]`` with bins of ``width`` from
    ``low`` (values outside fall into the edge bins). ``count`` draws were merged before."""
    n_b, cells = values.shape
    bins = hist.shape[1]
    total = count + n_b
    for c in prange(cells):
        acc = 0.0
        lo_c = math.inf
        hi_c = -math.inf
        for i in range(n_b):
            x = values[i, c]
            acc += x
            lo_c = min(lo_c, x)
            hi_c = max(hi_c, x)
            k = int(math.floor((x - low[c]) / width[c]))
            k = min(max(k, 0), bins - 1)
            hist[c, k] += 1
        mean_b = acc / n_b
        m2_b = 0.0
        for i in range(n_b):
            d = values[i, c] - mean_b
            m2_b += d * d
        if count == 0:
            mean[c] = mean_b
            m2[c] = m2_b
            vmin[c] = lo_c
            vmax[c] = hi_c
        else:
            delta = mean_b - mean[c]
            mean[c] += delta * n_b / total
            m2[c] += m2_b + delta * delta * count * n_b / total
            vmin[c] = min(vmin[c], lo_c)
            vmax[c] = max(vmax[c], hi_c)
