"""Probability distributions for scenario parameters (see ``docs/sampling.md``).

Any numeric parameter of a scenario (MODEL.md, blocks 1-3; docs/model.md) may be a plain number or
one of the specifications below, written in YAML as a mapping with a ``dist`` key::

    cost_saving: {dist: normal, mean: 0.27, sd: 0.05}
    cost_saving: {dist: beta, ci80: [0.2, 0.4]}          # 80 % of the mass in [0.2, 0.4]
    elasticity:  {dist: lognormal, median: 1.5, sigma: 0.3}
    scenario_id: {dist: choice, values: [1, 2, 3], weights: [0.5, 0.3, 0.2]}

Every continuous family accepts, *instead of* its native parameters, the economists' shorthand
``ci80: [lo, hi]`` or ``ci90: [lo, hi]``: a central interval holding 80 % (90 %) of the mass.
How each family turns the interval into parameters:

* ``normal``: symmetric, ``mean = (lo + hi) / 2``, ``sd = (hi - lo) / (2 z)``, z = Phi^-1(0.9)
  (0.95 for ci90);
* ``lognormal``: geometric, ``median = sqrt(lo * hi)``, ``sigma = ln(hi / lo) / (2 z)``;
* ``uniform``: the interval is widened so that 80 % (90 %) of the width falls inside it;
* ``triangular``: symmetric about the interval's midpoint (the mode), half-width chosen so that
  10 % (5 %) lies in each tail; ``mode`` may not be given with ``ciXX``;
* ``beta``: ``a`` and ``b`` solved numerically (deterministic root finding) so that the 10 % and
  90 % (5 %, 95 %) quantiles on ``[low, high]`` (default ``[0, 1]``) equal ``lo`` and ``hi``;
* ``truncnormal``: ``low`` and ``high`` (the truncation bounds) are given as usual; ``mean``
  and ``sd`` of the parent normal are solved so that the *truncated* distribution has the
  interval as its central 80 % (90 %) interval (refused when no such normal exists, e.g. an
  interval wider than 80 % of [low, high]).

The models are immutable pydantic v2 models that refuse unknown keys and impossible
parameters at load time with messages that name the problem.
"""

from __future__ import annotations

import functools
import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    model_serializer,
    model_validator,
)
from scipy import optimize, special, stats

from sim import portable

__all__ = [
    "Beta",
    "Choice",
    "Distribution",
    "DISTRIBUTION_TYPES",
    "LogNormal",
    "Normal",
    "Triangular",
    "TruncNormal",
    "Uniform",
    "check_within",
    "is_distribution",
]

_Z = {"ci80": float(special.ndtri(0.9)), "ci90": float(special.ndtri(0.95))}
_TAIL = {"ci80": 0.1, "ci90": 0.05}


def _g(x: float) -> str:
    """Short number formatting for messages and descriptions."""
    return f"{x:.6g}"


def _finite(name: str, x: float | None) -> None:
    if x is not None and not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x}")


class _Spec(BaseModel):
    """Base of every distribution specification."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True,
                              validate_by_alias=True, serialize_by_alias=True,
                              ser_json_inf_nan="constants")

    _p: tuple[float, ...] = PrivateAttr(default=())

    @model_serializer(mode="wrap")
    def _drop_unset(self, handler: Any) -> dict[str, Any]:
        """Dump only what was given: no ``None`` placeholders and no infinite truncation bounds
        (an omitted bound means unbounded), so dumps reload unchanged in JSON and YAML."""
        data = handler(self)
        return {"dist": data.pop("dist"),
                **{k: v for k, v in data.items()
                   if v is not None and not (isinstance(v, float) and math.isinf(v))}}

    # -- interface -------------------------------------------------------------------------
    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Vectorised inverse CDF: float64 values for probabilities ``u`` in [0, 1]."""
        raise NotImplementedError

    def support(self) -> tuple[float, float]:  # pragma: no cover - abstract
        """Closed support ``(low, high)``; may be infinite."""
        raise NotImplementedError

    def mean(self) -> float:  # pragma: no cover - abstract
        """Expected value: the central value used for a deterministic run."""
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        """Short human-readable text, e.g. ``normal(mean=0.27, sd=0.05)``."""
        raise NotImplementedError

    def frozen_scipy(self) -> Any:
        """The equivalent frozen ``scipy.stats`` distribution (None where there is none)."""
        return None

    def open_support(self) -> tuple[bool, bool]:
        """Whether each support bound is open (never attained), e.g. 0 for a lognormal."""
        return (False, False)

    def __str__(self) -> str:
        return self.describe()


class _Interval(_Spec):
    """A continuous family that accepts the ``ci80``/``ci90`` shorthand."""

    ci80: tuple[float, float] | None = None
    ci90: tuple[float, float] | None = None

    def _ci(self, native: dict[str, float | None]) -> tuple[str, float, float] | None:
        """(kind, lo, hi) of the shorthand, or None; checks that exactly one form is given."""
        dist = self.dist  # type: ignore[attr-defined]
        if self.ci80 is not None and self.ci90 is not None:
            raise ValueError(f"{dist}: give ci80 or ci90, not both")
        kind = "ci80" if self.ci80 is not None else "ci90" if self.ci90 is not None else None
        given = [n for n, v in native.items() if v is not None]
        if kind is None:
            missing = [n for n, v in native.items() if v is None]
            if missing:
                raise ValueError(f"{dist} needs {', '.join(native)} (or ci80/ci90 instead); "
                                 f"missing: {', '.join(missing)}")
            return None
        if given:
            raise ValueError(f"{dist}: give either {', '.join(native)} or {kind}, not both "
                             f"(got {', '.join(given)} and {kind})")
        lo, hi = getattr(self, kind)
        _finite(f"{kind} lower end", lo)
        _finite(f"{kind} upper end", hi)
        if not lo < hi:
            raise ValueError(f"{kind} must be [lo, hi] with lo < hi, got [{_g(lo)}, {_g(hi)}]")
        return kind, lo, hi

    def _ci_text(self) -> str:
        if self.ci80 is not None:
            return f"ci80=[{_g(self.ci80[0])}, {_g(self.ci80[1])}] -> "
        if self.ci90 is not None:
            return f"ci90=[{_g(self.ci90[0])}, {_g(self.ci90[1])}] -> "
        return ""


# ----------------------------------------------------------------------------------- normal
class Normal(_Interval):
    """Normal distribution ``{dist: normal, mean, sd}``; sd >= 0 (0 gives a point mass)."""

    dist: Literal["normal"]
    mean_: float | None = Field(default=None, alias="mean")
    sd: float | None = None

    @model_validator(mode="after")
    def _resolve(self) -> Normal:
        ci = self._ci({"mean": self.mean_, "sd": self.sd})
        if ci is None:
            _finite("mean", self.mean_)
            _finite("sd", self.sd)
            if self.sd < 0:
                raise ValueError(f"sd must be >= 0, got {_g(self.sd)}")
            self._p = (self.mean_, self.sd)
        else:
            kind, lo, hi = ci
            self._p = ((lo + hi) / 2, (hi - lo) / (2 * _Z[kind]))
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        m, s = self._p
        return m + s * special.ndtri(np.asarray(u, dtype=np.float64))

    def support(self) -> tuple[float, float]:
        m, s = self._p
        return (m, m) if s == 0 else (-math.inf, math.inf)

    def mean(self) -> float:
        return float(self._p[0])

    def describe(self) -> str:
        m, s = self._p
        return f"normal({self._ci_text()}mean={_g(m)}, sd={_g(s)})"

    def frozen_scipy(self) -> Any:
        return stats.norm(loc=self._p[0], scale=self._p[1])


# -------------------------------------------------------------------------------- lognormal
class LogNormal(_Interval):
    """Lognormal ``{dist: lognormal, median, sigma}``: ln X ~ normal(ln median, sigma)."""

    dist: Literal["lognormal"]
    median: float | None = None
    sigma: float | None = None

    @model_validator(mode="after")
    def _resolve(self) -> LogNormal:
        ci = self._ci({"median": self.median, "sigma": self.sigma})
        if ci is None:
            _finite("median", self.median)
            _finite("sigma", self.sigma)
            if self.median <= 0:
                raise ValueError(f"median must be > 0, got {_g(self.median)}")
            if self.sigma < 0:
                raise ValueError(f"sigma must be >= 0, got {_g(self.sigma)}")
            self._p = (math.log(self.median), self.sigma)
        else:
            kind, lo, hi = ci
            if lo <= 0:
                raise ValueError(f"lognormal {kind} needs lo > 0, got [{_g(lo)}, {_g(hi)}]")
            self._p = ((math.log(lo) + math.log(hi)) / 2,
                       (math.log(hi) - math.log(lo)) / (2 * _Z[kind]))
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        mu, s = self._p
        return portable.exp(mu + s * special.ndtri(np.asarray(u, dtype=np.float64)))

    def support(self) -> tuple[float, float]:
        mu, s = self._p
        # as ppf computes it (sim.portable)
        return (float(portable.exp(mu)),) * 2 if s == 0 else (0.0, math.inf)

    def open_support(self) -> tuple[bool, bool]:
        return (self._p[1] > 0, False)

    def mean(self) -> float:
        mu, s = self._p
        return float(math.exp(mu + s * s / 2))

    def describe(self) -> str:
        mu, s = self._p
        return f"lognormal({self._ci_text()}median={_g(math.exp(mu))}, sigma={_g(s)})"

    def frozen_scipy(self) -> Any:
        mu, s = self._p
        return stats.lognorm(s=s, scale=math.exp(mu))


# ---------------------------------------------------------------------------------- uniform
class Uniform(_Interval):
    """Uniform ``{dist: uniform, low, high}`` with low < high."""

    dist: Literal["uniform"]
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _resolve(self) -> Uniform:
        ci = self._ci({"low": self.low, "high": self.high})
        if ci is None:
            _finite("low", self.low)
            _finite("high", self.high)
            _check_order(self.low, self.high)
            self._p = (self.low, self.high)
        else:
            kind, lo, hi = ci
            extra = (hi - lo) / (1 - 2 * _TAIL[kind]) * _TAIL[kind]
            self._p = (lo - extra, hi + extra)
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        lo, hi = self._p
        return lo + (hi - lo) * np.asarray(u, dtype=np.float64)

    def support(self) -> tuple[float, float]:
        return (float(self._p[0]), float(self._p[1]))

    def mean(self) -> float:
        return float((self._p[0] + self._p[1]) / 2)

    def describe(self) -> str:
        return f"uniform({self._ci_text()}low={_g(self._p[0])}, high={_g(self._p[1])})"

    def frozen_scipy(self) -> Any:
        return stats.uniform(loc=self._p[0], scale=self._p[1] - self._p[0])


def _check_order(low: float, high: float) -> None:
    if not low < high:
        raise ValueError(f"low must be < high, got low={_g(low)} high={_g(high)}")


# ------------------------------------------------------------------------------- triangular
class Triangular(_Interval):
    """Triangular ``{dist: triangular, low, mode, high}``, low <= mode <= high, low < high.

    With ``ci80``/``ci90`` the distribution is symmetric about the interval's midpoint.
    """

    dist: Literal["triangular"]
    low: float | None = None
    mode: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _resolve(self) -> Triangular:
        ci = self._ci({"low": self.low, "mode": self.mode, "high": self.high})
        if ci is None:
            for name in ("low", "mode", "high"):
                _finite(name, getattr(self, name))
            _check_order(self.low, self.high)
            if not self.low <= self.mode <= self.high:
                raise ValueError(f"mode must lie in [low, high], got low={_g(self.low)} "
                                 f"mode={_g(self.mode)} high={_g(self.high)}")
            self._p = (self.low, self.mode, self.high)
        else:
            kind, lo, hi = ci
            mid, half = (lo + hi) / 2, (hi - lo) / 2
            width = half / (1 - math.sqrt(2 * _TAIL[kind]))
            self._p = (mid - width, mid, mid + width)
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a, c, b = self._p
        u = np.asarray(u, dtype=np.float64)
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        # clipped: with a mode at (or a rounding error from) an end, b - sqrt(...) can round
        # just outside [a, b]
        return np.clip(np.where(u < fc, left, right), a, b)

    def support(self) -> tuple[float, float]:
        return (float(self._p[0]), float(self._p[2]))

    def mean(self) -> float:
        return float(sum(self._p) / 3)

    def describe(self) -> str:
        a, c, b = self._p
        return f"triangular({self._ci_text()}low={_g(a)}, mode={_g(c)}, high={_g(b)})"

    def frozen_scipy(self) -> Any:
        a, c, b = self._p
        return stats.triang(c=(c - a) / (b - a), loc=a, scale=b - a)


# ------------------------------------------------------------------------------------- beta
class Beta(_Interval):
    """Beta ``{dist: beta, a, b, low: 0, high: 1}`` scaled to [low, high]; a, b > 0."""

    dist: Literal["beta"]
    a: float | None = None
    b: float | None = None
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _resolve(self) -> Beta:
        _finite("low", self.low)
        _finite("high", self.high)
        _check_order(self.low, self.high)
        ci = self._ci({"a": self.a, "b": self.b})
        if ci is None:
            _finite("a", self.a)
            _finite("b", self.b)
            if self.a <= 0 or self.b <= 0:
                raise ValueError(f"beta needs a > 0 and b > 0, got a={_g(self.a)} b={_g(self.b)}")
            self._p = (self.a, self.b, self.low, self.high)
        else:
            kind, lo, hi = ci
            if not (self.low < lo and hi < self.high):
                raise ValueError(
                    f"beta {kind} [{_g(lo)}, {_g(hi)}] must lie strictly inside "
                    f"[low, high] = [{_g(self.low)}, {_g(self.high)}]")
            w = self.high - self.low
            a, b = _solve_beta((lo - self.low) / w, (hi - self.low) / w, _TAIL[kind], kind)
            self._p = (a, b, self.low, self.high)
        return self

    _table: tuple[np.ndarray, np.ndarray, np.ndarray] | None = PrivateAttr(default=None)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a, b, lo, hi = self._p
        if self._table is None:
            self._table = _cached_beta_table(a, b)
        return lo + (hi - lo) * _beta_ppf(a, b, np.asarray(u, dtype=np.float64), self._table)

    def support(self) -> tuple[float, float]:
        return (float(self._p[2]), float(self._p[3]))

    def mean(self) -> float:
        a, b, lo, hi = self._p
        return float(lo + (hi - lo) * a / (a + b))

    def describe(self) -> str:
        a, b, lo, hi = self._p
        scale = "" if (lo, hi) == (0.0, 1.0) else f", low={_g(lo)}, high={_g(hi)}"
        return f"beta({self._ci_text()}a={_g(a)}, b={_g(b)}{scale})"

    def frozen_scipy(self) -> Any:
        a, b, lo, hi = self._p
        return stats.beta(a, b, loc=lo, scale=hi - lo)


_BETA_GRID = 4096
_BETA_TOL = 1e-7


@functools.lru_cache(maxsize=64)
def _cached_beta_table(a: float, b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_beta_table`, kept for the last 64 (a, b): every load of a scenario builds its
    Beta specs afresh, and the table (about 30 ms) is a function of a and b alone, so a
    scenario loaded again (the explorer, a sweep's points) samples without rebuilding it.
    The arrays are made read-only: they are shared between specs."""
    table = _beta_table(a, b)
    for array in table:
        array.flags.writeable = False
    return table


def _beta_table(a: float, b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact quantiles and slopes at u = k/G, and which of the G cells need exact inversion.

    A cell is interpolated (cubic Hermite with the exact slopes dx/du = 1/pdf) only if the
    interpolant is monotone there (Fritsch-Carlson: alpha^2 + beta^2 <= 9) and matches
    ``betaincinv`` within 1e-7 of the cell's width at 1/4, 1/2 and 3/4 of the cell (an error
    in probability below about 1e-10); otherwise (typically the outermost cells) every value
    in it is computed exactly with ``betaincinv``.
    """
    g = _BETA_GRID
    nodes = special.betaincinv(a, b, np.linspace(0.0, 1.0, g + 1))
    with np.errstate(all="ignore"):
        dens = portable.exp(special.xlogy(a - 1, nodes) + special.xlog1py(b - 1, -nodes)
                      - special.betaln(a, b))
        slope = 1.0 / dens / g  # dx/dt with t the position within a cell
        width = np.diff(nodes)
        alpha, beta = slope[:-1] / width, slope[1:] / width
        exact = ~((width > 0) & (alpha * alpha + beta * beta <= 9.0))
        for t in (0.25, 0.5, 0.75):
            u = (np.arange(g) + t) / g
            err = _hermite(nodes, slope, np.arange(g), np.full(g, t)) - special.betaincinv(a, b, u)
            exact |= ~(np.abs(err) <= _BETA_TOL * width)
    return nodes, slope, exact


def _hermite(nodes: np.ndarray, slope: np.ndarray, cell: np.ndarray, t: np.ndarray) -> np.ndarray:
    x0, x1, m0, m1 = nodes[cell], nodes[cell + 1], slope[cell], slope[cell + 1]
    t2 = t * t
    t3 = t2 * t
    return ((2 * t3 - 3 * t2 + 1) * x0 + (t3 - 2 * t2 + t) * m0
            + (3 * t2 - 2 * t3) * x1 + (t3 - t2) * m1)


def _beta_ppf(a: float, b: float, u: np.ndarray,
              table: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Beta(a, b) inverse CDF: monotone, within 1e-7 of a cell width (about 1e-10 in
    probability) of ``betaincinv`` and exactly it in hard cells; several times faster on large
    arrays. Elementwise: a value depends only on its own u, never on the rest of the array."""
    nodes, slope, exact = table
    g = _BETA_GRID
    pos = u * g
    with np.errstate(invalid="ignore"):
        cell = np.clip(np.floor(pos), 0, g - 1).astype(np.intp)
        cell[~np.isfinite(pos)] = 0
        x = _hermite(nodes, slope, cell, pos - cell)
    hard = exact[cell] | ~((u >= 0) & (u <= 1))
    if hard.any():
        x[hard] = special.betaincinv(a, b, u[hard])
    return x


@functools.lru_cache(maxsize=256)
def _solve_beta(x1: float, x2: float, tail: float, kind: str) -> tuple[float, float]:
    """a, b with Beta(a, b) quantiles ``tail`` and ``1 - tail`` at x1 < x2 in (0, 1).

    Deterministic: Powell's hybrid method on (ln a, ln b) from a moment-matching start. Memoised
    (a pure function of its arguments; an interval that has no beta raises and is not cached):
    the solve is ~0.5 ms, a third of validating a whole scenario, and every sweep point
    re-validates the same beta specifications.
    """
    m = (x1 + x2) / 2
    s = (x2 - x1) / (2 * float(special.ndtri(1 - tail)))
    k = m * (1 - m) / (s * s) - 1 if s * s < m * (1 - m) else 2.0
    k = max(k, 0.5)
    start = portable.log([max(m * k, 1e-3), max((1 - m) * k, 1e-3)])

    def resid(t: np.ndarray) -> np.ndarray:
        a, b = portable.exp(np.clip(t, -30, 30))
        return np.array([special.betainc(a, b, x1) - tail,
                         special.betainc(a, b, x2) - (1 - tail)])

    sol = optimize.root(resid, start, method="hybr", options={"xtol": 1e-13})
    a, b = (float(v) for v in portable.exp(sol.x))
    q = special.betaincinv(a, b, [tail, 1 - tail])
    if not (np.all(np.isfinite(q)) and abs(q[0] - x1) < 1e-7 and abs(q[1] - x2) < 1e-7):
        raise ValueError(f"no beta distribution has {kind} = [{_g(x1)}, {_g(x2)}] on [0, 1] "
                         "(interval too wide or too close to a bound)")
    return a, b


# ------------------------------------------------------------------------------ truncnormal
class TruncNormal(_Interval):
    """Normal(mean, sd) truncated to [low, high]: ``{dist: truncnormal, mean, sd, low, high}``.

    ``mean`` and ``sd`` are those of the parent normal; ``low`` < ``high``; an omitted bound
    (or ``.inf`` in YAML) means unbounded on that side. With ``ci80``/``ci90`` the bounds are
    kept and mean and sd are solved so the truncated distribution has the requested central
    interval.
    """

    dist: Literal["truncnormal"]
    mean_: float | None = Field(default=None, alias="mean")
    sd: float | None = None
    low: float = -math.inf
    high: float = math.inf

    @model_validator(mode="after")
    def _resolve(self) -> TruncNormal:
        for name in ("low", "high"):
            if math.isnan(getattr(self, name)):
                raise ValueError(f"{name} must be a number, got nan")
        _check_order(self.low, self.high)
        ci = self._ci({"mean": self.mean_, "sd": self.sd})
        if ci is None:
            _finite("mean", self.mean_)
            _finite("sd", self.sd)
            if self.sd <= 0:
                raise ValueError(f"sd must be > 0 for truncnormal, got {_g(self.sd)}")
            m, s = self.mean_, self.sd
        else:
            kind, lo, hi = ci
            if not (self.low < lo and hi < self.high):
                raise ValueError(
                    f"truncnormal {kind} [{_g(lo)}, {_g(hi)}] must lie strictly inside "
                    f"[low, high] = [{_g(self.low)}, {_g(self.high)}]")
            m, s = _solve_truncnormal(lo, hi, self.low, self.high, _TAIL[kind], kind)
        alpha, beta = (self.low - m) / s, (self.high - m) / s
        if alpha > 0:
            mass = special.ndtr(-alpha) - special.ndtr(-beta)
        else:
            mass = special.ndtr(beta) - special.ndtr(alpha)
        if not mass > 1e-12:
            raise ValueError(
                f"truncnormal(mean={_g(m)}, sd={_g(s)}) keeps less than 1e-12 of its mass in "
                f"[{_g(self.low)}, {_g(self.high)}]; the mean is too far outside the bounds")
        self._p = (m, s, self.low, self.high)
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        m, s, lo, hi = self._p
        u = np.asarray(u, dtype=np.float64)
        alpha, beta = (lo - m) / s, (hi - m) / s
        if alpha > 0:  # both bounds in the upper tail: reflect for accuracy
            pa, pb = special.ndtr(-beta), special.ndtr(-alpha)
            z = -special.ndtri(pb - u * (pb - pa))
        else:
            pa, pb = special.ndtr(alpha), special.ndtr(beta)
            z = special.ndtri(pa + u * (pb - pa))
        return np.clip(m + s * z, lo, hi)

    def support(self) -> tuple[float, float]:
        return (float(self.low), float(self.high))

    def mean(self) -> float:
        return float(self.frozen_scipy().mean())

    def describe(self) -> str:
        m, s, lo, hi = self._p
        return (f"truncnormal({self._ci_text()}mean={_g(m)}, sd={_g(s)}, "
                f"low={_g(lo)}, high={_g(hi)})")

    def frozen_scipy(self) -> Any:
        m, s, lo, hi = self._p
        return stats.truncnorm((lo - m) / s, (hi - m) / s, loc=m, scale=s)


def _solve_truncnormal(lo: float, hi: float, low: float, high: float, tail: float,
                       kind: str) -> tuple[float, float]:
    """Parent mean, sd with the truncated normal's ``tail``/``1-tail`` quantiles at lo, hi."""
    z = float(special.ndtri(1 - tail))
    start = np.array([(lo + hi) / 2, math.log((hi - lo) / (2 * z))])

    def resid(t: np.ndarray) -> np.ndarray:
        m, s = t[0], math.exp(min(t[1], 50.0))
        cdf = stats.truncnorm.cdf([lo, hi], (low - m) / s, (high - m) / s, loc=m, scale=s)
        return np.array([cdf[0] - tail, cdf[1] - (1 - tail)])

    sol = optimize.root(resid, start, method="hybr", options={"xtol": 1e-13})
    m, s = float(sol.x[0]), float(math.exp(sol.x[1]))
    q = stats.truncnorm.ppf([tail, 1 - tail], (low - m) / s, (high - m) / s, loc=m, scale=s)
    tol = 1e-7 * max(1.0, hi - lo)
    if not (np.all(np.isfinite(q)) and abs(q[0] - lo) < tol and abs(q[1] - hi) < tol):
        raise ValueError(
            f"no truncnormal on [{_g(low)}, {_g(high)}] has {kind} = [{_g(lo)}, {_g(hi)}] "
            "(a truncated normal cannot spread its mass wider than a uniform on the bounds; "
            "narrow the interval or use beta/uniform)")
    return m, s


# ----------------------------------------------------------------------------------- choice
class Choice(_Spec):
    """A discrete choice ``{dist: choice, values: [...], weights: [...]}`` (equal weights by
    default). Weights must be >= 0 and sum to 1 (within 1e-6). The inverse CDF runs over the
    values in increasing order, so a rank correlation with a choice means "larger value"."""

    dist: Literal["choice"]
    values: tuple[float, ...]
    weights: tuple[float, ...] | None = None

    _sorted: np.ndarray = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _resolve(self) -> Choice:
        n = len(self.values)
        if n == 0:
            raise ValueError("choice needs at least one value")
        for v in self.values:
            _finite("each choice value", v)
        if self.weights is None:
            w = np.full(n, 1.0 / n)
        else:
            if len(self.weights) != n:
                raise ValueError(f"choice has {n} values but {len(self.weights)} weights")
            w = np.asarray(self.weights, dtype=np.float64)
            if not np.all(np.isfinite(w)) or np.any(w < 0):
                raise ValueError(f"choice weights must be >= 0, got {list(self.weights)}")
            if abs(w.sum() - 1) > 1e-6:
                raise ValueError(f"choice weights must sum to 1, got sum {_g(float(w.sum()))}")
        order = np.argsort(np.asarray(self.values, dtype=np.float64), kind="stable")
        cum = np.cumsum((w / w.sum())[order])
        cum[-1] = 1.0
        self._p = tuple(cum.tolist())
        self._sorted = np.asarray(self.values, dtype=np.float64)[order]
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: values in increasing order, value k where cum[k-1] <= u < cum[k]."""
        u = np.asarray(u, dtype=np.float64)
        idx = np.searchsorted(np.asarray(self._p), u, side="right")
        return self._sorted[np.minimum(idx, len(self.values) - 1)]

    def support(self) -> tuple[float, float]:
        return (float(min(self.values)), float(max(self.values)))

    def probabilities(self) -> np.ndarray:
        """The (normalised) weight of each value, in the order of ``values``."""
        w = np.diff(np.concatenate([[0.0], self._p]))
        order = np.argsort(np.asarray(self.values, dtype=np.float64), kind="stable")
        out = np.empty_like(w)
        out[order] = w
        return out

    def mean(self) -> float:
        return float(np.dot(self.probabilities(), self.values))

    def describe(self) -> str:
        vals = ", ".join(_g(v) for v in self.values)
        if self.weights is None:
            return f"choice(values=[{vals}])"
        ws = ", ".join(_g(w) for w in self.weights)
        return f"choice(values=[{vals}], weights=[{ws}])"


DISTRIBUTION_TYPES = (Normal, LogNormal, Uniform, Triangular, Beta, TruncNormal, Choice)

Distribution = Annotated[
    Normal | LogNormal | Uniform | Triangular | Beta | TruncNormal | Choice,
    Field(discriminator="dist"),
]
"""Any distribution specification; use ``float | Distribution`` for a numeric parameter."""


FAMILIES: dict[str, type] = {t.model_fields["dist"].annotation.__args__[0]: t
                              for t in DISTRIBUTION_TYPES}
"""Each family's ``dist:`` tag and its specification class."""


def family_parameters(tag: str) -> list[str]:
    """The keys a family takes besides ``dist``, as written in a scenario (aliases: ``mean``,
    not the attribute ``mean_``)."""
    model = FAMILIES[tag]
    return [f.alias or name for name, f in model.model_fields.items() if name != "dist"]


def family_help(tag: str) -> str:
    """One line on a family: its form and parameters, and the ci80/ci90 shorthand if it has
    one (the first line of the class docstring), e.g. ``Lognormal {dist: lognormal, median,
    sigma}: ln X ~ normal(ln median, sigma)``."""
    model = FAMILIES[tag]
    paragraph = (model.__doc__ or tag).strip().split("\n\n")[0]
    first = " ".join(line.strip() for line in paragraph.splitlines()).split(". ")[0].rstrip(".")
    first = first.replace("``", "")
    if issubclass(model, _Interval):
        first += "; or the shorthand ci80: [p10, p90] / ci90: [p5, p95]"
    return first


def is_distribution(value: Any) -> bool:
    """True for one of this module's distribution specifications."""
    return isinstance(value, DISTRIBUTION_TYPES)


def check_within(dist: Any, low: float, high: float) -> str | None:
    """Error message if the support of ``dist`` (or a number) leaves [low, high], else None.

    An open support bound (the 0 of a lognormal) may sit within 1e-9 of ``low``/``high``, so a
    lognormal passes a "positive number" check whose lower bound is a tiny epsilon.
    """
    rng = f"[{_g(low)}, {_g(high)}]"
    if isinstance(dist, int | float):
        if math.isnan(dist) or not low <= dist <= high:
            return f"{_g(dist)} is outside {rng}"
        return None
    s_lo, s_hi = dist.support()
    open_lo, open_hi = dist.open_support()
    tol_lo = 1e-9 * max(1.0, abs(low))
    tol_hi = 1e-9 * max(1.0, abs(high))
    bad_lo = s_lo < low and not (open_lo and low - s_lo <= tol_lo)
    bad_hi = s_hi > high and not (open_hi and s_hi - high <= tol_hi)
    if not (bad_lo or bad_hi):
        return None
    text = (f"{dist.describe()} has support [{_g(s_lo)}, {_g(s_hi)}], which leaves {rng}")
    if math.isfinite(low) and math.isfinite(high):
        hint = (f"; use beta (with low/high) or truncnormal with low={_g(low)}, high={_g(high)} "
                "for a bounded quantity")
    elif math.isfinite(low):
        hint = f"; use lognormal or truncnormal with low={_g(low)} for a quantity >= {_g(low)}"
    else:
        hint = f"; use truncnormal with high={_g(high)}"
    return text + hint
