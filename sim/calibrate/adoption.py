"""Logistic diffusion per firm-size class fitted to the Flemish AI-Barometer (MODEL.md 1.3).

D_s(t) = ceiling x sigma(steepness x (t - midpoint_s)); the Barometer's all-firm rate is the
firm-count-weighted mean sum_s W_s D_s(t) (the survey weights by firm counts, Tabel 1).

Why not every year: the all-firm series 23.2 % (2021), 32.1 % (2023), 58.8 % (2025) grows by a
factor 1.38 and then 1.83 per two years. A logistic's two-year growth factor falls over time,
so no logistic (any ceiling <= 1, any steepness) passes through all three; the best one misses
2023 by several standard errors (``fit_including_2021`` shows it). The 2021 edition predates
generative AI (ChatGPT, Nov 2022; 47.6 % of firms used generative AI in 2025), so the central
fit describes the generative-AI wave: the 2023 and 2025 all-firm rates and the four 2025
size-class rates. The 2021 point is shown and reported, not fitted.

Identification: one steepness common to all classes (parallel curves in logit space, as in
Mansfield-type diffusion with size shifts), one midpoint per class, the ceiling fixed by
assumption (assumptions.csv) because three survey years cannot identify it. Standard errors are
binomial, sqrt(p(1-p)/n); the 2023 N is not published (assumption), 2025 class sizes are the
total N split by the 2021 response shares. Parameter uncertainty: parametric bootstrap that
redraws every point with the binomial s.e. inflated by the Kish design effect of the 2021
stratified sample and draws the ceiling from its prior, then refits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from sim.calibrate import size_weights, sources
from sim.calibrate.readers import read_rows

SIZE_CLASSES = size_weights.SIZE_CLASSES
PARAMS = ("steepness", "midpoint_micro", "midpoint_small", "midpoint_medium", "midpoint_large")


@dataclass(frozen=True)
class Point:
    """One published survey rate: year, class ('all' or a size class), rate, sample size."""

    year: int
    size: str
    rate: float
    n: float
    source: str
    in_fit: bool = True

    @property
    def se(self) -> float:
        return float(np.sqrt(self.rate * (1.0 - self.rate) / self.n))


@dataclass
class FitResult:
    ceiling: float
    steepness: float
    midpoints: dict[str, float]
    weights: dict[str, float]
    points: list[Point]
    derived_2021: dict[str, tuple[float, float, float]]  # size -> (estimate, lower, upper)
    deff: float
    alt_params: dict[str, float] = field(default_factory=dict)
    boot: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))

    def curve(self, size: str, t: np.ndarray | float, params: np.ndarray | None = None,
              ceiling: float | None = None) -> np.ndarray:
        k, taus = (self.steepness, self.midpoints) if params is None else (
            params[0], dict(zip(SIZE_CLASSES, params[1:5], strict=True)))
        c = self.ceiling if ceiling is None else ceiling
        t = np.asarray(t, dtype=float)
        if size == "all":
            return sum(self.weights[s] * c / (1 + np.exp(-k * (t - taus[s])))
                       for s in SIZE_CLASSES)
        return c / (1 + np.exp(-k * (t - taus[size])))

    def z(self, point: Point, params: np.ndarray | None = None) -> float:
        return float((self.curve(point.size, point.year, params) - point.rate) / point.se)


def load_points(data_dir: Path, n_2023: float) -> list[Point]:
    """Barometer rates: 2021 (seed CSV), 2023 and 2025 (concept note, barometer_2023_2025.csv)."""
    rel = sources.BAROMETER_2021_OVERALL
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["item", "value", "N", "geography"], check)
    points: list[Point] = []
    for row in rows:
        if row.cells["item"].strip() == "uses at least one AI technology (of 7)":
            points.append(Point(2021, "all", check.number(row, "value") / 100,
                                check.number(row, "N"), rel, in_fit=False))
    if not points:
        check.add(None, "item", "a row 'uses at least one AI technology (of 7)'", "none")
    check.raise_if_any()
    firms = size_weights.load_firms(data_dir)["all"]
    responses = {s: firms[s][1] for s in SIZE_CLASSES}
    rel = sources.BAROMETER_LATER
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["year", "size_class", "adoption_rate_pct", "N"], check)
    total_n = {}
    for row in rows:
        if row.cells["size_class"].strip() == "all" and row.cells["N"].strip():
            total_n[row.cells["year"].strip()] = check.number(row, "N")
    for row in rows:
        year = int(check.number(row, "year"))
        size = row.cells["size_class"].strip()
        if not check.known(row, "size_class", size, ("all", *SIZE_CLASSES), "size class"):
            continue
        rate = check.number(row, "adoption_rate_pct") / 100
        if size == "all":
            n = check.number(row, "N") if row.cells["N"].strip() else n_2023
        else:
            n = total_n.get(str(year), n_2023) * responses[size] / sum(responses.values())
        points.append(Point(year, size, rate, n, rel))
    check.raise_if_any()
    return points


def derived_2021_by_size(data_dir: Path, overall: float,
                         weights: dict[str, float]) -> dict[str, tuple[float, float, float]]:
    """2021 share using >= 1 technology per class, between the Frechet bounds.

    Lower bound: the highest single-technology rate; upper: min(1, sum of rates). One overlap
    parameter phi places every class at lower + phi (upper - lower), phi chosen so the
    firm-count-weighted mean equals the published 23.2 %. Shown in the figure, not fitted.
    """
    rel = sources.BAROMETER_2021_SIZE
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["size_class", "adoption_rate_pct", "geography"], check)
    rates: dict[str, list[float]] = {}
    for row in rows:
        size = row.cells["size_class"].strip()
        if row.cells["geography"].strip() != "Flanders" or size not in SIZE_CLASSES:
            continue
        rates.setdefault(size, []).append(check.number(row, "adoption_rate_pct") / 100)
    check.raise_if_any()
    lower = {s: max(rates[s]) for s in SIZE_CLASSES}
    upper = {s: min(1.0, sum(rates[s])) for s in SIZE_CLASSES}
    lo = sum(weights[s] * lower[s] for s in SIZE_CLASSES)
    hi = sum(weights[s] * upper[s] for s in SIZE_CLASSES)
    phi = (overall - lo) / (hi - lo)
    return {s: (lower[s] + phi * (upper[s] - lower[s]), lower[s], upper[s]) for s in SIZE_CLASSES}


def _solve(points: list[Point], weights: dict[str, float], ceiling: float,
           rates: list[float] | None = None, x0: np.ndarray | None = None) -> np.ndarray:
    """Least squares on binomial z-scores for (steepness, midpoint per class)."""
    rates = [p.rate for p in points] if rates is None else rates
    se = np.array([p.se for p in points])
    years = np.array([p.year for p in points], dtype=float)
    index = [SIZE_CLASSES.index(p.size) if p.size != "all" else -1 for p in points]
    w = np.array([weights[s] for s in SIZE_CLASSES])
    obs = np.array(rates)

    def residuals(x: np.ndarray) -> np.ndarray:
        k, taus = x[0], x[1:5]
        by_class = ceiling / (1 + np.exp(-k * (years[:, None] - taus[None, :])))
        model = np.where(np.array(index) < 0, by_class @ w,
                         by_class[np.arange(len(points)), np.maximum(index, 0)])
        return (model - obs) / se

    start = np.array([0.5, 2025.0, 2024.5, 2023.5, 2022.5]) if x0 is None else x0
    sol = least_squares(residuals, start, bounds=([0.01, 1990, 1990, 1990, 1990],
                                                  [5.0, 2100, 2100, 2100, 2100]),
                        x_scale=[0.1, 1, 1, 1, 1], xtol=1e-12, ftol=1e-12, gtol=1e-12)
    return sol.x


def fit(data_dir: Path, assumptions: dict[str, float]) -> FitResult:
    """Central fit, the fit that also uses 2021 (for the record) and the bootstrap."""
    weights = size_weights.firm_shares(data_dir)
    points = load_points(data_dir, assumptions["barometer_2023_n"])
    ceiling = assumptions["diffusion_ceiling"]
    used = [p for p in points if p.in_fit]
    x = _solve(used, weights, ceiling)
    overall_2021 = next(p.rate for p in points if p.year == 2021)
    derived = derived_2021_by_size(data_dir, overall_2021, weights)
    deff = size_weights.kish_design_effect(data_dir)
    result = FitResult(ceiling, float(x[0]), dict(zip(SIZE_CLASSES, map(float, x[1:]),
                                                      strict=True)),
                       weights, points, derived, deff)
    alt = _solve(points, weights, ceiling, x0=x)
    result.alt_params = dict(zip(PARAMS, map(float, alt), strict=True))
    rng = np.random.default_rng(int(assumptions["bootstrap_seed"]))
    draws = int(assumptions["bootstrap_draws"])
    lo, hi = assumptions["diffusion_ceiling_low"], assumptions["diffusion_ceiling_high"]
    boot = np.empty((draws, 6))
    for b in range(draws):
        c = rng.uniform(lo, hi)
        rates = [float(np.clip(p.rate + rng.normal() * p.se * np.sqrt(deff), 0.01, c - 0.005))
                 for p in used]
        boot[b, :5] = _solve(used, weights, c, rates, x0=x)
        boot[b, 5] = c
    result.boot = boot
    return result


def summary(result: FitResult) -> dict[str, dict[str, float]]:
    """Bootstrap mean, sd and 10/50/90 % quantiles per parameter (incl. ceiling)."""
    out = {}
    for j, name in enumerate((*PARAMS, "ceiling")):
        col = result.boot[:, j]
        q10, q50, q90 = np.quantile(col, [0.1, 0.5, 0.9])
        out[name] = {"mean": float(col.mean()), "sd": float(col.std(ddof=1)),
                     "p10": float(q10), "p50": float(q50), "p90": float(q90)}
    return out


def correlations(result: FitResult) -> np.ndarray:
    return np.corrcoef(result.boot[:, :5], rowvar=False)
