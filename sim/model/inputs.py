"""Turn a scenario and a chunk of parameter values into the kernel's plain arrays.

This is the only place that knows both the scenario's dotted parameter names and the kernel's
column layout (:mod:`sim.model.layout`). Derived quantities documented in docs/model.md are
computed here, vectorised over draws: value-added weights, the sector exposure ceilings, the
easy/hard composite saving, the real-rate path and the labour-input path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import portable
from sim.errors import InputError, Problem
from sim.model import layout as L
from sim.scenario.parameters import ParamTable
from sim.scenario.schema import SIZE_CLASSES, Scenario

# _NO_BLAS: per-chunk code here avoids matrix products that go through BLAS (``@``, np.dot).
# OpenBLAS's worker threads keep spinning for a while after each threaded call and take the
# cores from the numba kernel that runs next: one ``@`` per chunk made the kernel 50 % slower
# in a 100k-draw run (measured). np.einsum without ``optimize`` computes in numpy itself.


@dataclass(frozen=True)
class KernelInputs:
    """Arrays for :func:`sim.model.kernel.simulate` for one chunk of draws."""

    years: np.ndarray
    scalars: np.ndarray
    sector: np.ndarray
    size_class: np.ndarray
    real_rate: np.ndarray
    user_cost: np.ndarray
    employment_base: np.ndarray
    leontief: np.ndarray
    network: bool
    sector_position: np.ndarray

    @property
    def n(self) -> int:
        return self.scalars.shape[0]


def kernel_sectors(scn: Scenario) -> tuple[str, ...]:
    """The sector codes in the order the kernel computes them: sorted by code.

    Sums over sectors (value-added shares, Domar weights, the aggregates) and the Leontief
    inverse are rounded in this order, so listing the sectors of a scenario file in another
    order only permutes the outputs, bit for bit (docs/sampling.md, reproducibility)."""
    return tuple(sorted(scn.sectors))


def sector_positions(scn: Scenario) -> np.ndarray:
    """``position[j]``: the index in the scenario's (output) order, ``scn.sector_codes``, of
    the kernel's sector ``j`` (:func:`kernel_sectors`)."""
    index = {code: i for i, code in enumerate(scn.sector_codes)}
    return np.array([index[code] for code in kernel_sectors(scn)], dtype=np.int64)


def path_values(table: ParamTable, prefix: str, years: np.ndarray) -> np.ndarray:
    """A year path parameter, shape (n, T): a constant, or ``{year: value}`` interpolated
    linearly between the given years and held flat outside them."""
    if table.has(prefix):
        return np.repeat(table.get(prefix)[:, None], len(years), axis=1)
    keys = sorted({int(k[len(prefix) + 1:].split(".")[0])
                   for k in (*table.fixed, *table.sampled) if k.startswith(prefix + ".")})
    if not keys:
        raise KeyError(prefix)
    knots = np.array(keys, dtype=float)
    values = np.stack([table.get(f"{prefix}.{k}") for k in keys], axis=1)  # (n, K)
    # interpolation is linear in the knot values: one (K, T) weight matrix serves every draw
    weights = np.stack([np.interp(years, knots, unit) for unit in np.eye(len(keys))])
    return np.einsum("nk,kt->nt", values, weights)  # no BLAS: see _NO_BLAS


def exposure_base(scn: Scenario, table: ParamTable, code: str) -> np.ndarray:
    """E0_j from the chosen measure, times the exposure scale, capped at 1 (MODEL.md 1.1)."""
    measure = scn.ai.exposure.measure
    path = (f"sectors.{code}.exposure_by_measure.{measure}" if measure
            else f"sectors.{code}.exposure")
    return np.minimum(1.0, table.get(path) * table.get("ai.exposure.scale"))


def exposure_ceilings(scn: Scenario, table: ParamTable, e0: np.ndarray,
                      va_share: np.ndarray) -> np.ndarray:
    """Ē_j = E0_j + phi (1 - E0_j), phi chosen so that the value-added-weighted mean of Ē_j is
    the scenario's economy-wide ceiling (MODEL.md 1.1; choice documented in docs/model.md).
    Without a ceiling, or below today's mean exposure, exposure stays at E0_j."""
    if scn.ai.exposure.ceiling is None:
        return e0.copy()
    ceiling = table.get("ai.exposure.ceiling")
    mean_e0 = (va_share * e0).sum(axis=1)
    phi = np.where(mean_e0 < 1.0, (ceiling - mean_e0) / np.maximum(1e-12, 1.0 - mean_e0), 0.0)
    phi = np.clip(phi, 0.0, 1.0)
    return e0 + phi[:, None] * (1.0 - e0)


def composite_saving(scn: Scenario, table: ParamTable) -> np.ndarray:
    """c0: the scenario's cost saving, or Acemoglu's easy/hard mix
    mu c_easy + (1 - mu) c_hard when ``ai.easy_hard`` is given (MODEL.md 1.5)."""
    if scn.ai.easy_hard is None:
        return table.get("ai.cost_saving")
    mu = table.get("ai.easy_hard.easy_share")
    return mu * table.get("ai.easy_hard.easy_saving") + (1 - mu) * table.get(
        "ai.easy_hard.hard_saving")


def leontief_inverse(scn: Scenario) -> np.ndarray:
    """(I - Omega)^-1 with Omega[buyer, seller] from ``network.coefficients`` (MODEL.md 3.2),
    sectors in kernel order (:func:`kernel_sectors`)."""
    codes = kernel_sectors(scn)
    index = {c: j for j, c in enumerate(codes)}
    omega = np.zeros((len(codes), len(codes)))
    for buyer, row in scn.network.coefficients.items():
        for seller, value in row.items():
            omega[index[buyer], index[seller]] = float(value) if isinstance(
                value, int | float) else value.mean()
    if np.any(omega.sum(axis=1) >= 1.0):
        bad = [codes[j] for j in np.flatnonzero(omega.sum(axis=1) >= 1.0)]
        raise InputError([Problem("scenario", None, f"network.coefficients.{bad[0]}",
                                  "intermediate input shares summing to < 1 per buyer",
                                  f"row sum {omega.sum(axis=1)[index[bad[0]]]:.4g}")])
    return portable.inverse(np.eye(len(codes)) - omega)


def outside_cost_shares(leontief: np.ndarray) -> np.ndarray:
    """o_j = 1 - sum_i Omega_ji, the share of j's costs not bought from domestic sectors (value
    added, imports, taxes): the weight of j's own gain in its price (MODEL.md 3.3); 1 without
    a network (``leontief`` the identity)."""
    omega = np.eye(leontief.shape[0]) - portable.inverse(leontief)
    return 1.0 - omega.sum(axis=1)


def immobile_share(scn: Scenario, table: ParamTable) -> np.ndarray:
    """Weight of the immobile-factor aggregate: 0 mobile, 1 immobile, or the given share
    (MODEL.md 3.3, ``structural_change.factor_mobility``)."""
    mobility = scn.structural_change.factor_mobility
    if isinstance(mobility, str):
        return np.full(table.n, 1.0 if mobility == "immobile" else 0.0)
    return table.get("structural_change.factor_mobility")


def inverse_capital_supply_elasticity(scn: Scenario, table: ParamTable) -> np.ndarray:
    """1 / epsilon, 0 with the user cost on its exogenous path (MODEL.md 3.4)."""
    if scn.rates.capital_supply_elasticity is None:
        return np.zeros(table.n)
    return 1.0 / table.get("rates.capital_supply_elasticity")


def network_weights(scn: Scenario, table: ParamTable, va: np.ndarray,
                    leontief: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Base-year final-demand shares beta and gross-output shock factors kappa (MODEL.md 3.2).

    Without a network, beta = value-added shares and kappa = 1. With one,
    beta_j = (GO_j - sum_i Omega_ij GO_i) / GDP, so that beta' (I - Omega)^-1 = GO / GDP; kappa_j
    is VA_j / GO_j under the cost-share convention (Hulten exact) and 1 under the OECD's.
    """
    gdp = va.sum(axis=1, keepdims=True)
    if not scn.network.enabled:
        return va / gdp, np.ones_like(va)
    codes = kernel_sectors(scn)
    missing = [c for c in codes if scn.sectors[c].gross_output is None]
    if missing:
        raise InputError([Problem("scenario", None, f"sectors.{missing[0]}.gross_output",
                                  "gross output for every sector when network.enabled",
                                  "nothing", f"{len(missing)} sector(s) lack it")])
    go = np.stack([table.get(f"sectors.{c}.gross_output") for c in codes], axis=1)
    omega = np.eye(len(codes)) - portable.inverse(leontief)
    beta = (go - np.einsum("ni,ij->nj", go, omega)) / gdp  # no BLAS: see _NO_BLAS
    kappa = va / go if scn.network.convention == "cost_share" else np.ones_like(va)
    return beta, kappa


def apply_policy(scn: Scenario, table: ParamTable) -> dict[str, np.ndarray]:
    """Policy levers of MODEL.md 6 as transformations of parameters (docs/model.md)."""
    pol = "policy"
    rd_pp = 100 * (table.get(f"{pol}.rd.intensity") - table.get(f"{pol}.rd.reference"))
    training_pp = table.get(f"{pol}.training.extra_spending_pp")
    return {
        "exposure_midpoint": table.get("ai.exposure.midpoint")
        - table.get(f"{pol}.rd.capability_years_per_pp") * rd_pp,
        "tfp_growth_uplift": table.get(f"{pol}.rd.tfp_growth_per_pp") * rd_pp,
        "amplify": 1.0 + table.get(f"{pol}.training.productivity_per_pp") * training_pp,
        "reinstatement": np.minimum(1.0, table.get("labour.reinstatement")
                                    + table.get(f"{pol}.training.reinstatement_per_pp")
                                    * training_pp),
        "job_finding": np.minimum(1.0, table.get("labour.job_finding_rate")
                                  + table.get(f"{pol}.training.job_finding_per_pp")
                                  * training_pp),
        "sme_ceiling": table.get(f"{pol}.sme_support.ceiling_uplift"),
        "sme_advance": table.get(f"{pol}.sme_support.midpoint_advance"),
    }


def compile_inputs(scn: Scenario, table: ParamTable) -> KernelInputs:
    """Build the kernel inputs for ``table.n`` draws of ``scn``, sectors in kernel order
    (:func:`kernel_sectors`; ``sector_position`` maps them back to the scenario's order)."""
    n = table.n
    years = np.arange(scn.horizon.start, scn.horizon.end + 1, dtype=float)
    codes = kernel_sectors(scn)
    J = len(codes)
    policy = apply_policy(scn, table)

    va = np.stack([table.get(f"sectors.{c}.value_added") for c in codes], axis=1)
    va_share = va / va.sum(axis=1, keepdims=True)
    e0 = np.stack([exposure_base(scn, table, c) for c in codes], axis=1)
    emp = np.stack([table.get(f"sectors.{c}.employment") for c in codes], axis=1)
    emp_total = emp.sum(axis=1, keepdims=True)
    emp_share = np.where(emp_total > 0, emp / np.where(emp_total > 0, emp_total, 1.0), 1.0 / J)
    leontief = leontief_inverse(scn) if scn.network.enabled else np.eye(J)
    beta0, kappa = network_weights(scn, table, va, leontief)
    cohorts = np.stack([table.get(f"labour.cohorts.shares.{c}")
                        for c in ("junior", "prime", "senior")], axis=1)
    cohorts = cohorts / cohorts.sum(axis=1, keepdims=True)

    sector = np.empty((n, J, L.N_SECTOR_COLUMNS))
    sector[:, :, L.SECTOR_VALUE_ADDED_SHARE] = va_share
    sector[:, :, L.SECTOR_BASE_EXPOSURE] = e0
    sector[:, :, L.SECTOR_EXPOSURE_CEILING] = exposure_ceilings(scn, table, e0, va_share)
    sector[:, :, L.SECTOR_GROSS_OUTPUT_FACTOR] = kappa
    sector[:, :, L.SECTOR_FINAL_DEMAND_SHARE] = beta0
    sector[:, :, L.SECTOR_EMPLOYMENT_SHARE] = emp_share
    sector[:, :, L.SECTOR_JUNIOR_SHARE] = cohorts[:, [0]]
    sector[:, :, L.SECTOR_PRIME_SHARE] = cohorts[:, [1]]
    sector[:, :, L.SECTOR_SENIOR_SHARE] = cohorts[:, [2]]
    sector[:, :, L.SECTOR_OUTSIDE_COST_SHARE] = outside_cost_shares(leontief)[None, :]
    g_default = table.get("baseline.tfp_growth")
    for j, code in enumerate(codes):
        spec = scn.sectors[code]
        sector[:, j, L.SECTOR_LABOUR_SHARE] = table.get(f"sectors.{code}.labour_share")
        sector[:, j, L.SECTOR_PROFITABILITY_MULTIPLIER] = table.get(
            f"ai.profitable_share.sector_multiplier.{code}", 1.0)
        sector[:, j, L.SECTOR_TFP_GROWTH] = policy["tfp_growth_uplift"] + (
            table.get(f"sectors.{code}.tfp_growth") if spec.tfp_growth is not None
            else g_default)
        sector[:, j, L.SECTOR_MIDPOINT_SHIFT] = table.get(
            f"diffusion.sector_midpoint_shift.{code}", 0.0)
        prefix = (f"sectors.{code}.size_weights" if spec.size_weights is not None
                  else "diffusion.default_size_weights")
        weights = np.stack([table.get(f"{prefix}.{s}") for s in SIZE_CLASSES], axis=1)
        sector[:, j, L.SECTOR_SIZE_WEIGHTS:L.SECTOR_SIZE_WEIGHTS + L.N_SIZE_CLASSES] = (
            weights / weights.sum(axis=1, keepdims=True))

    size_class = np.empty((n, L.N_SIZE_CLASSES, L.N_SIZE_CLASS_COLUMNS))
    for s, name in enumerate(SIZE_CLASSES):
        base = f"diffusion.size_classes.{name}"
        sme = name in ("micro", "small")
        ceiling = table.get(f"{base}.ceiling") + (policy["sme_ceiling"] if sme else 0.0)
        size_class[:, s, L.SIZE_CLASS_CEILING] = np.minimum(1.0, ceiling)
        size_class[:, s, L.SIZE_CLASS_MIDPOINT] = table.get(f"{base}.midpoint") - (
            policy["sme_advance"] if sme else 0.0)
        size_class[:, s, L.SIZE_CLASS_STEEPNESS] = table.get(f"{base}.steepness")

    scalars = np.empty((n, L.N_SCALAR_COLUMNS))
    for col, path in L.SCALAR_SOURCES.items():
        scalars[:, col] = table.get(path)
    scalars[:, L.EXPOSURE_MIDPOINT] = policy["exposure_midpoint"]
    scalars[:, L.COST_SAVING_START] = composite_saving(scn, table)
    scalars[:, L.GAINS_FROM_BASE_YEAR] = 1.0 if scn.ai.gains_from_base_year else 0.0
    scalars[:, L.REINSTATEMENT] = policy["reinstatement"]
    scalars[:, L.JOB_FINDING_RATE] = policy["job_finding"]
    scalars[:, L.TRAINING_AMPLIFICATION] = policy["amplify"]
    scalars[:, L.FEEDBACK_ENABLED] = 1.0 if scn.feedback.enabled else 0.0
    scalars[:, L.HIRING_SENSITIVITY] = (table.get("feedback.hiring_sensitivity")
                                        if scn.feedback.enabled else 0.0)
    scalars[:, L.INVERSE_CAPITAL_SUPPLY_ELASTICITY] = inverse_capital_supply_elasticity(
        scn, table)
    scalars[:, L.IMMOBILE_SHARE] = immobile_share(scn, table)

    real_rate = (path_values(table, "rates.policy_rate", years)
                 - path_values(table, "rates.inflation", years)
                 + table.get("rates.premium")[:, None])
    user_cost = real_rate + scalars[:, L.DEPRECIATION][:, None]
    if np.any(user_cost <= 0):
        worst = float(user_cost.min())
        raise InputError([Problem("scenario", None, "rates",
                                  "real rate + depreciation > 0 in every year and draw",
                                  f"minimum {worst:.4g}",
                                  "raise baseline.depreciation or the rate path")])
    growth = path_values(table, "baseline.labour_force_growth", years)
    growth[:, 0] = 0.0
    employment_base = scalars[:, L.BASE_YEAR_EMPLOYMENT][:, None] * np.cumprod(1.0 + growth, axis=1)
    return KernelInputs(years, np.ascontiguousarray(scalars), np.ascontiguousarray(sector),
                        np.ascontiguousarray(size_class), np.ascontiguousarray(real_rate),
                        np.ascontiguousarray(user_cost), np.ascontiguousarray(employment_base),
                        np.ascontiguousarray(leontief),
                        bool(scn.network.enabled), sector_positions(scn))
