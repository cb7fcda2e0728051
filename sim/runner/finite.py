"""The engine's last line of defence: a chunk whose kernel outputs are not finite stops the run
with the offending draw's parameter values, instead of writing NaN (issue 15, docs/reliability.md).

Every scenario value is validated at load time (finite numbers, bounds, cross-field sanity), so
a non-finite kernel output means a combination of valid values that the model cannot handle
(an overflow, a share pushed to zero): the user needs to know which draw and which values.
"""

from __future__ import annotations

import numpy as np

from sim.errors import InputError, Problem
from sim.scenario.parameters import ParamTable

#: at most this many of the draw's sampled parameter values are listed
SHOWN_VALUES = 12


def check_finite(not_finite: np.ndarray, table: ParamTable, source: str) -> None:
    """Raise :class:`InputError` naming the first draw the kernel flagged (``not_finite``, (n,)
    bool: :func:`sim.model.kernel.draw_not_finite`) and its sampled parameter values
    (``source``: the scenario's name)."""
    bad = not_finite
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    values = [f"{name}={float(v[i]):.6g}" for name, v in sorted(table.sampled.items())]
    shown = ", ".join(values[:SHOWN_VALUES]) + (
        f", ... and {len(values) - SHOWN_VALUES} more" if len(values) > SHOWN_VALUES else "")
    where = f"draw {i} of a chunk of {bad.shape[0]}"
    got = (f"NaN or infinite model outputs in {int(bad.sum())} draw(s), first {where}"
           + (f" with {shown}" if values else " (no sampled parameters: the central values)"))
    hint = ("narrow the distributions of the listed parameters" if values else
            "a value overflows: check very large or very small numbers (baseline.gdp, sector "
            "value added, employment, growth rates)")
    raise InputError([Problem(source, None, "(model outputs)",
                              "finite outputs for every draw (a combination of valid values "
                              "that the model cannot handle)", got, hint)])
