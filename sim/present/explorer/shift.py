"""Moving an uncertain assumption: a control shifts (or scales) a parameter's distribution so
that its **mean** equals the slider's value and keeps its uncertainty, instead of fixing the
parameter at one number. No web library here.

Why the mean: with uncertainty off the explorer runs the central path, every distribution at
its mean (``monte_carlo.draws=1``, :func:`sim.scenario.parameters.central_table`), and a
control shows a distribution's mean as its default; so the slider's value is exactly the value
the central path uses, before and after the move.

How each family moves to mean ``v`` (``m``: its mean before, ``[L, H]``: the key's bounds in the
schema, e.g. [0, 1] for a share):

* ``normal``: the mean is set to ``v``, ``sd`` kept;
* ``uniform``, ``triangular``, ``choice``: shifted by ``v - m`` (every point moves, the shape is
  kept); where the shifted support would leave ``[L, H]`` it is narrowed about ``v`` (scaled by
  the largest factor <= 1 that fits), so a share's interval still lies in [0, 1];
* ``truncnormal``: parent mean and bounds shifted by ``v - m`` (``midpoint: truncnormal(2035,
  3, [2027, 2045])`` moved to 2040 keeps its window, moved); a bound at the key's own bound (a
  share truncated to [0, 1]) stays there and a shifted bound stops at ``L`` (``H``), and then
  the parent mean is solved so that the truncated mean is ``v`` (``sd`` kept);
* ``lognormal`` (a positive parameter): scaled, median times ``v / m`` (``sigma`` kept, so the
  spread in percent is the same);
* ``beta``: on its own ``[low, high]``, the concentration ``a + b`` is kept and the mean moved:
  ``a = f k``, ``b = (1 - f) k`` with ``f = (v - low) / (high - low)``.

Where no distribution of the family with mean ``v`` fits (``v`` at or beyond a bound: a share
moved to exactly 1, a beta's mean at an end of its support, a lognormal's at 0), the parameter
is fixed at ``v`` and the note says so. A moved distribution is written with its native
parameters (``low``/``high``, not ``ci80``), every number exactly (``repr``), so the downloaded
YAML reloads to the same distribution bit for bit.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from scipy import optimize, stats

from sim.scenario.distributions import (
    Beta,
    Choice,
    LogNormal,
    Normal,
    Triangular,
    TruncNormal,
    Uniform,
)
from sim.scenario.parameters import is_distribution
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Moved:
    """A parameter moved to a new mean: ``spec`` is what the scenario gets (a distribution's
    ``{dist: ...}`` mapping, or a number when no distribution of the family fits), ``text``
    says what happened."""

    spec: dict[str, Any] | float
    text: str

    @property
    def uncertain(self) -> bool:
        return isinstance(self.spec, dict)


def _bounds_of(annotation: Any) -> tuple[float, float] | None:
    for meta in getattr(annotation, "__metadata__", ()):
        bounds = getattr(getattr(meta, "func", None), "bounds", None)
        if bounds:
            return float(bounds[0]), float(bounds[1])
    for arg in typing.get_args(annotation):
        found = _bounds_of(arg)
        if found:
            return found
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def schema_bounds(key: str) -> tuple[float, float]:
    """The bounds the schema puts on a dotted scenario key (``(-inf, inf)`` when none):
    the same bounds the loader checks a distribution's support against."""
    model: type[BaseModel] | None = Scenario
    parts = key.split(".")
    for i, part in enumerate(parts):
        if model is None or part not in model.model_fields:
            break
        info = model.model_fields[part]
        if i == len(parts) - 1:
            for meta in info.metadata:
                bounds = getattr(getattr(meta, "func", None), "bounds", None)
                if bounds:
                    return float(bounds[0]), float(bounds[1])
            return _bounds_of(info.annotation) or (-math.inf, math.inf)
        model = _model_in(info.annotation)
    return (-math.inf, math.inf)


def _g(x: float) -> str:
    return f"{x:.4g}"


def _fixed(v: float, dist: Any, why: str) -> Moved:
    return Moved(float(v), f"fixed at {_g(v)} in every draw: no {dist.dist} with mean {_g(v)} "
                           f"{why}")


def _narrowed(v: float, offsets: list[float], low: float, high: float) -> float:
    """The largest factor s <= 1 such that v + s * offset lies in [low, high] for every offset
    (0 when v is at a bound and some offset points past it)."""
    s = 1.0
    for off in offsets:
        if off > 0 and v + off > high:
            s = min(s, (high - v) / off)
        elif off < 0 and v + off < low:
            s = min(s, (low - v) / off)
    return max(s, 0.0)


def _scaled_note(s: float, low: float, high: float) -> str:
    return "" if s >= 1.0 else f", narrowed x{_g(s)} to stay in [{_g(low)}, {_g(high)}]"


def move(dist: Any, v: float, low: float = -math.inf, high: float = math.inf) -> Moved:
    """``dist`` moved so that its mean is ``v``, inside the key's bounds ``[low, high]`` (see
    the module docstring for each family's rule)."""
    if not is_distribution(dist):
        return Moved(float(v), f"set to {_g(v)}")
    v = float(v)
    if not (math.isfinite(v) and low <= v <= high):
        return Moved(v, f"set to {v}")  # the loader refuses it with its message
    m = dist.mean()
    if v == m:  # back at the file's mean: the file's own distribution, draw for draw
        return Moved(dist.model_dump(mode="json"), f"{dist.describe()}, as in the file")
    if isinstance(dist, Normal):
        mean, sd = dist._p
        spec: dict[str, Any] = {"dist": "normal", "mean": v, "sd": float(sd)}
        return Moved(spec, f"normal shifted to mean {_g(v)}, sd {_g(sd)} kept")
    if isinstance(dist, Uniform | Triangular | Choice):
        points = (list(dist._p) if not isinstance(dist, Choice)
                  else [float(x) for x in dist.values])
        offsets = [p - m for p in points]
        s = _narrowed(v, offsets, low, high)
        if s <= 0.0 or (isinstance(dist, Uniform) and s * (offsets[1] - offsets[0]) <= 0):
            return _fixed(v, dist, f"fits in [{_g(low)}, {_g(high)}]")
        moved = [min(max(v + s * off, low), high) for off in offsets]
        if isinstance(dist, Uniform):
            spec = {"dist": "uniform", "low": moved[0], "high": moved[1]}
        elif isinstance(dist, Triangular):
            spec = {"dist": "triangular", "low": moved[0], "mode": moved[1], "high": moved[2]}
        else:
            spec = {"dist": "choice", "values": moved}
            if dist.weights is not None:
                spec["weights"] = [float(w) for w in dist.weights]
        return Moved(spec, f"{dist.dist} shifted by {v - m:+.4g} to mean {_g(v)}"
                           + _scaled_note(s, low, high))
    if isinstance(dist, TruncNormal):
        return _move_truncnormal(dist, v, m, low, high)
    if isinstance(dist, LogNormal):
        mu, sigma = dist._p
        if not v > 0:
            return _fixed(v, dist, "is not positive")
        median = math.exp(mu) * (v / m)
        return Moved({"dist": "lognormal", "median": median, "sigma": float(sigma)},
                     f"lognormal scaled x{_g(v / m)} (median {_g(median)}) to mean {_g(v)}, "
                     f"sigma {_g(sigma)} kept")
    if isinstance(dist, Beta):
        a, b, lo, hi = dist._p
        f = (v - lo) / (hi - lo)
        if not 0.0 < f < 1.0:
            return _fixed(v, dist, f"on [{_g(lo)}, {_g(hi)}] (a mean at an end of its support)")
        k = a + b
        return Moved({"dist": "beta", "a": f * k, "b": (1.0 - f) * k, "low": float(lo),
                      "high": float(hi)},
                     f"beta moved to mean {_g(v)}, concentration a+b = {_g(k)} kept")
    return Moved(v, f"set to {_g(v)}")


def _move_truncnormal(dist: TruncNormal, v: float, m: float, low: float,
                      high: float) -> Moved:
    mean, sd, lo, hi = dist._p
    d = v - m
    # a bound at the key's own bound (a share truncated to [0, 1]) stays there: it states the
    # key's limit, not the assumption's window; other bounds move, but not past the key's
    new_lo = lo if lo <= low else max(lo + d, low)
    new_hi = hi if hi >= high else min(hi + d, high)
    if not new_lo < v < new_hi:
        return _fixed(v, dist, f"fits in [{_g(low)}, {_g(high)}]")
    if new_lo == lo + d and new_hi == hi + d:
        parent, how = mean + d, f"shifted by {d:+.4g}"
    else:
        def gap(mu: float) -> float:
            a, b = (new_lo - mu) / sd, (new_hi - mu) / sd
            return float(stats.truncnorm.mean(a, b, loc=mu, scale=sd)) - v

        width = max(new_hi - new_lo, sd) * 50 + abs(d)
        try:
            parent = float(optimize.brentq(gap, v - width, v + width, xtol=1e-14,
                                           rtol=1e-15, maxiter=200))
        except (ValueError, RuntimeError):
            return _fixed(v, dist, f"fits in [{_g(new_lo)}, {_g(new_hi)}]")
        how = f"bounds kept inside [{_g(low)}, {_g(high)}], parent mean solved"
    spec: dict[str, Any] = {"dist": "truncnormal", "mean": parent, "sd": float(sd)}
    if math.isfinite(new_lo):
        spec["low"] = new_lo
    if math.isfinite(new_hi):
        spec["high"] = new_hi
    return Moved(spec, f"truncnormal {how} to mean {_g(v)}, sd {_g(sd)} kept")
