"""Global sensitivity analysis (SALib): Sobol first-order and total indices, Morris screening.

The SALib problem is always the unit hypercube [0, 1]^d. A column ``u`` maps to parameter
values through the distribution's inverse CDF (the scenario's uncertain parameters, default)
or ``low + u (high - low)`` (``--param PATH=LOW:HIGH``). Every other parameter is held at its
central value (distributions at their means). All SALib sample rows are evaluated as the draws
of one engine run (``ParamTable`` built here), then indices are computed per output, year and
(for sector outputs) sector. Correlations between parameters are ignored: Sobol and Morris
indices assume independent inputs.

Result: an :class:`xarray.Dataset` with dims ``(parameter, output, year[, sector])`` and
variables ``S1, S1_conf, ST, ST_conf`` (sobol) or ``mu_star, mu_star_conf, sigma, mu``
(morris). Aggregate outputs are repeated along ``sector`` when sector outputs are requested
too (coordinate ``output_kind`` says which is which).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError, Problem
from sim.suggest import did_you_mean

METHODS = ("sobol", "morris")
DEFAULT_OUTPUTS = ("tfp_gain_pct", "gdp_gain_pct", "employment_gain_pct",
                   "sector_tfp_gain_pct")
STATS = {"sobol": ("S1", "S1_conf", "ST", "ST_conf"),
         "morris": ("mu_star", "mu_star_conf", "sigma", "mu")}
DEFAULT_N = {"sobol": 256, "morris": 50}
U_MIN, U_MAX = 2.0**-53, 1.0 - 2.0**-53


# ------------------------------------------------------------------------------ machinery
def salib_problem(names: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The SALib problem: ``names`` on the unit hypercube."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def check_method(method: str) -> None:
    if method not in METHODS:
        raise InputError([Problem.command_line("--method", "one of: " + ", ".join(METHODS),
                                       repr(method),
                                       did_you_mean(method, METHODS, 0.5))])


def unit_sample(method: str, names: list[str] | tuple[str, ...], n: int, seed: int,
                levels: int = 4) -> np.ndarray:
    """SALib's design on [0, 1]^d: Sobol (Saltelli scheme, N (d + 2) rows, no second order)
    or Morris trajectories (N (d + 1) rows)."""
    check_method(method)
    problem = salib_problem(names)
    if method == "sobol":
        import warnings

        from SALib.sample import sobol

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # balance warning for N not a power of two
            return sobol.sample(problem, n, calc_second_order=False, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, n, num_levels=levels, seed=seed)


def to_quantiles(method: str, u: np.ndarray, levels: int = 4) -> np.ndarray:
    """Probabilities fed to the inverse CDFs: Morris levels {0, 1/(p-1), ..., 1} go to the
    centres of p equal-probability bins (no infinite tails); Sobol points are clipped."""
    if method == "morris":
        u = (np.rint(u * (levels - 1)) + 0.5) / levels
    return np.clip(u, U_MIN, U_MAX)


def analyze(method: str, names: list[str] | tuple[str, ...], u: np.ndarray, y: np.ndarray,
            *, seed: int = 0, resamples: int = 100, conf_level: float = 0.95,
            levels: int = 4) -> dict[str, np.ndarray]:
    """Indices for every column of ``y`` (rows, cells): ``{stat: (d, cells)}``. Cells with a
    constant or non-finite output give NaN."""
    import warnings

    check_method(method)
    problem = salib_problem(names)
    d, cells = len(names), y.shape[1]
    out = {s: np.full((d, cells), np.nan) for s in STATS[method]}
    if method == "sobol":
        from SALib.analyze import sobol as analyzer
    else:
        from SALib.analyze import morris as analyzer
    for c in range(cells):
        col = np.ascontiguousarray(y[:, c])
        if not np.all(np.isfinite(col)) or np.ptp(col) <= 1e-12 * max(1.0, np.abs(col).max()):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "sobol":
                res = analyzer.analyze(problem, col, calc_second_order=False,
                                       num_resamples=resamples, conf_level=conf_level,
                                       seed=seed)
            else:
                res = analyzer.analyze(problem, u, col, num_resamples=resamples,
                                       conf_level=conf_level, num_levels=levels, seed=seed)
        for s in STATS[method]:
            out[s][:, c] = np.asarray(res[s], dtype=float)
    return out


# ------------------------------------------------------------------------------ parameters
@dataclass(frozen=True)
class Param:
    """One analysed parameter: its path, how u maps to values, and a description."""

    path: str
    ppf: Callable[[np.ndarray], np.ndarray]
    description: str


def _range_ppf(lo: float, hi: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: lo + np.asarray(u) * (hi - lo)


def parse_ranges(texts: list[str]) -> list[tuple[str, float, float]]:
    from sim.analysis.sweep_spec import parse_range_arg

    problems: list[Problem] = []
    out = []
    for text in texts:
        key, lo, hi = parse_range_arg(text, "--param", problems)
        if key:
            out.append((key, lo, hi))
    keys = [k for k, _, _ in out]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        problems.append(Problem.command_line("--param", "each parameter once", ", ".join(dup)))
    if problems:
        raise InputError(problems)
    return out


def choose_params(source: str, loaded: Any, ranges: list[str] | None,
                  overrides: list[str] | None = None) -> list[Param]:
    """The scenario's uncertain parameters (inverse CDFs), or ``PATH=LOW:HIGH`` ranges whose
    end points are validated like ``--set``."""
    from sim.analysis.sweep import check_paths, load_point, override_text
    from sim.errors import ScenarioError
    from sim.scenario.parameters import numeric_leaves, stochastic_names

    leaves = numeric_leaves(loaded.scenario)
    if not ranges:
        names = stochastic_names(loaded.scenario)
        if not names:
            raise InputError([Problem(source, None, "(parameters)",
                                      "a scenario with uncertain parameters (distributions), "
                                      "or --param PATH=LOW:HIGH ranges", "none")])
        return [Param(n, leaves[n].ppf, leaves[n].describe()) for n in names]
    parsed = parse_ranges(ranges)
    problems = check_paths([k for k, _, _ in parsed], leaves, "--param")
    if problems:
        raise InputError(problems)
    for key, lo, hi in parsed:
        for value in (lo, hi):
            try:
                load_point(source, (*(overrides or ()), override_text(key, value)))
            except ScenarioError as exc:
                problems.extend(Problem(p.file, p.line, p.key, p.expected, p.got,
                                        f"end point of --param {key}={lo:g}:{hi:g}")
                                for p in exc.problems)
    if problems:
        raise InputError(problems)
    return [Param(k, _range_ppf(lo, hi), f"uniform({lo:g}, {hi:g})") for k, lo, hi in parsed]


# ------------------------------------------------------------------------------ evaluation
def evaluate(scn: Any, params: list[Param], q: np.ndarray, outputs: list[str],
             chunk: int = 20_000) -> dict[str, np.ndarray]:
    """Model outputs for each row of the quantile matrix ``q`` (rows, d): a design plan whose
    rows are the parameter values (everything not analysed at its central value) plus a memory
    sink of ``outputs``, through the one loop (:func:`sim.runner.loop.execute`)."""
    from sim.runner.loop import execute
    from sim.runner.plan import DesignPlan
    from sim.runner.sinks import MemorySink

    values = np.empty_like(q)
    for j, p in enumerate(params):
        values[:, j] = p.ppf(q[:, j])
    plan = DesignPlan.at_central(scn, {p.path: values[:, j] for j, p in enumerate(params)},
                                 chunk)
    sink = MemorySink(outputs)
    execute(plan, [sink])
    return sink.arrays


def check_outputs(outputs: list[str]) -> list[str]:
    from sim.runner.results import VARIABLES

    problems = []
    for name in outputs:
        spec = VARIABLES.get(name)
        if spec is None:
            problems.append(Problem.command_line("--output", "an output variable of "
                                         "sim.model.variables.VARIABLES", repr(name),
                                         did_you_mean(name, VARIABLES)))
        elif "cohort" in spec.dims:
            problems.append(Problem.command_line("--output", "an aggregate or sector variable",
                                         f"{name} (by cohort)"))
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(outputs))


def sensitivity(scenario: str | Path, *, method: str = "sobol", n: int | None = None,
                params: list[str] | None = None, outputs: list[str] | None = None,
                years: list[int] | None = None, seed: int | None = None,
                overrides: list[str] | None = None, resamples: int = 100,
                conf_level: float = 0.95, levels: int = 4) -> Any:
    """Sobol or Morris indices of ``outputs`` per year (and sector) as an xarray Dataset."""
    import xarray as xr

    from sim.analysis.sweep import load_point
    from sim.runner.results import VARIABLES, provenance

    check_method(method)
    if n is not None and n < 2:
        raise InputError([Problem.command_line("--n", "an integer >= 2", str(n))])
    if not 0 < conf_level < 1:
        raise InputError([Problem.command_line("--conf-level", "a number in (0, 1)",
                                               str(conf_level))])
    outputs = check_outputs(list(outputs or DEFAULT_OUTPUTS))
    source = str(scenario)
    loaded = load_point(source, tuple(overrides or ()))
    scn = loaded.scenario
    chosen = choose_params(source, loaded, params, overrides)
    all_years = np.arange(scn.horizon.start, scn.horizon.end + 1)
    if years:
        bad = [y for y in years if y not in all_years]
        if bad:
            raise InputError([Problem.command_line(
                "--year", f"years in {all_years[0]}-{all_years[-1]}", ", ".join(map(str, bad)))])
        year_idx = [int(np.where(all_years == y)[0][0]) for y in sorted(set(years))]
    else:
        year_idx = list(range(len(all_years)))
    sel_years = all_years[year_idx]
    seed = int(seed if seed is not None else scn.monte_carlo.seed)
    n = int(n or DEFAULT_N[method])
    names = [p.path for p in chosen]
    u = unit_sample(method, names, n, seed, levels)
    y = evaluate(scn, chosen, to_quantiles(method, u, levels), outputs)
    sector_codes = list(scn.sector_codes)
    has_sector = any("sector" in VARIABLES[o].dims for o in outputs)
    T, J, d = len(year_idx), len(sector_codes), len(names)
    shape = (d, len(outputs), T, J) if has_sector else (d, len(outputs), T)
    stats = {s: np.full(shape, np.nan) for s in STATS[method]}
    for k, name in enumerate(outputs):
        values = y[name][:, year_idx]
        cells = values.reshape(values.shape[0], -1)
        res = analyze(method, names, u, cells, seed=seed, resamples=resamples,
                      conf_level=conf_level, levels=levels)
        for s, arr in res.items():
            block = arr.reshape(d, *values.shape[1:])
            if has_sector and block.ndim == 2:   # aggregate output: repeat along sector
                block = np.repeat(block[:, :, None], J, axis=2)
            stats[s][:, k] = block
    dims = ["parameter", "output", "year", *(["sector"] if has_sector else [])]
    coords: dict[str, Any] = {
        "parameter": np.array(names, dtype=object), "output": np.array(outputs, dtype=object),
        "year": sel_years,
        "output_kind": ("output", np.array(["sector" if "sector" in VARIABLES[o].dims
                                            else "aggregate" for o in outputs], dtype=object)),
        "parameter_distribution": ("parameter", np.array([p.description for p in chosen],
                                                         dtype=object)),
    }
    if has_sector:
        coords["sector"] = np.array(sector_codes, dtype=object)
    long = {"S1": "first-order Sobol index", "S1_conf": "half-width of the S1 confidence "
            "interval", "ST": "total-order Sobol index", "ST_conf": "half-width of the ST "
            "confidence interval", "mu_star": "Morris mu*: mean |elementary effect| per unit "
            "of the parameter's quantile (unit-hypercube) scale", "mu_star_conf": "half-width "
            "of the mu* confidence interval", "sigma": "standard deviation of the elementary "
            "effects", "mu": "mean elementary effect"}
    ds = xr.Dataset({s: (dims, v, {"long_name": long[s]}) for s, v in stats.items()},
                    coords=coords)
    ds.attrs.update(provenance(scn.name, loaded.sha256, seed, method, int(u.shape[0]), source))
    ds.attrs.update(title=f"aisim sensitivity ({method}): {scn.name}", method=method,
                    base_samples=n, model_runs=int(u.shape[0]), conf_level=conf_level,
                    resamples=resamples, parameter_space="unit hypercube; u -> inverse CDF "
                    "or low + u (high - low)", correlations="ignored (independent inputs)",
                    overrides=json.dumps(list(overrides or [])))
    if method == "morris":
        ds.attrs["num_levels"] = levels
    return ds


#: half-width of the confidence intervals the suggested sample size aims at
TARGET_CONF = 0.05


def index_warnings(ds: Any, limit: int = 3) -> list[str]:
    """Warnings for Sobol indices that sampling noise makes unreadable: ``S1 > ST`` beyond
    both intervals (``S1 - S1_conf > ST + ST_conf``; in theory ``0 <= S1 <= ST``, Saltelli et
    al. 2010) or an index below zero beyond its interval (``S + S_conf < 0``), each with the
    suggested base sample size: intervals shrink like ``1 / sqrt(N)``, so
    ``N' = N (w / TARGET_CONF)^2`` (at least 4 N), rounded up to a power of two, where ``w``
    is the widest half-width among the flagged cells. Empty for Morris or clean indices."""
    if ds.attrs.get("method", "sobol") != "sobol":
        return []
    s1, st = ds["S1"], ds["ST"]
    c1, ct = ds["S1_conf"], ds["ST_conf"]
    checks = [("S1 > ST", (s1 - c1) > (st + ct)),
              ("S1 < 0", (s1 + c1) < 0), ("ST < 0", (st + ct) < 0)]
    n = int(ds.attrs.get("base_samples") or 0)
    out = []
    for label, flag in checks:
        flag = flag.fillna(False)
        count = int(flag.sum())
        if not count:
            continue
        width = float(np.nanmax(np.maximum(c1.where(flag), ct.where(flag)).values))
        factor = max(4.0, (width / TARGET_CONF) ** 2)
        suggested = 2 ** math.ceil(math.log2(max(n, 1) * factor))
        where = []
        stacked = flag.stack(cell=flag.dims)
        hits = stacked[stacked.values]
        for i in range(min(limit, hits.sizes["cell"])):
            cell = hits.isel(cell=i)
            parts = [f"{d}={cell[d].values}" for d in flag.dims if d not in ("output_kind",)]
            where.append(" ".join(parts))
        out.append(f"{count} cell(s) with {label} beyond the confidence intervals (e.g. "
                   + "; ".join(where) + f"): sampling noise; widest half-width {width:.3f}"
                   f" with --n {n}; try --n {suggested} (intervals ~{TARGET_CONF:g})")
    return out

