"""Typed, frozen schema of a scenario (pydantic v2, unknown keys forbidden).

Every numeric parameter of MODEL.md blocks 1-3 (docs/model.md) is a field here. A numeric leaf is a
``Param``: a plain number or a distribution spec (:mod:`sim.scenario.distributions`). Bounds that
the economics imposes (shares in [0, 1], non-negative rates, years in range) are checked for numbers
and, for distributions, against the distribution's support, so an impossible specification is
refused before any computation. Defaults are documented in ``docs/scenario-reference.md`` with
their sources; economic defaults that matter live in scenario and calibration files.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from sim.scenario.distributions import Distribution, check_within

SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")


def _bounded(low: float, high: float, what: str):
    """Validator factory: a number or a distribution support must lie in [low, high]."""

    def check(value: Any) -> Any:
        if isinstance(value, int | float):
            if math.isnan(value) or not (low <= value <= high):
                raise ValueError(f"{what} in [{_fmt(low)}, {_fmt(high)}]")
            return float(value)
        message = check_within(value, low, high)
        if message:
            raise ValueError(f"{what} in [{_fmt(low)}, {_fmt(high)}]: {message}")
        return value

    check.bounds = (low, high, what)  # type: ignore[attr-defined]  (read by sim.scenario.reference)
    return AfterValidator(check)


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) and x > 0 else "-inf" if math.isinf(x) else f"{x:g}"


Param = float | Distribution
Share = Annotated[Param, _bounded(0.0, 1.0, "a share")]
NonNegative = Annotated[Param, _bounded(0.0, math.inf, "a non-negative number")]
Positive = Annotated[Param, _bounded(1e-12, math.inf, "a positive number")]
GrowthRate = Annotated[Param, _bounded(-0.5, 0.5, "an annual growth rate")]
RateLevel = Annotated[Param, _bounded(-0.5, 0.5, "an annual rate")]
Year = Annotated[Param, _bounded(1900.0, 2200.0, "a calendar year")]
Lag = Annotated[Param, _bounded(1.0, 100.0, "a lag in years (>= 1)")]
Path = RateLevel | dict[int, RateLevel]
GrowthPath = GrowthRate | dict[int, GrowthRate]
#: [name, name, rho]: a rank correlation between two uncertain parameters
Correlation = Annotated[tuple[str, str, float], Field(strict=False)]


class Strict(BaseModel):
    """Base model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)


class Horizon(Strict):
    """Simulated years t0 ... T (MODEL.md notation)."""

    start: int = Field(2025, ge=1900, le=2200, description="First simulated year t0.")
    end: int = Field(2050, ge=1900, le=2200, description="Last simulated year T.")

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end <= self.start:
            raise ValueError(f"end year after start year {self.start}, got end={self.end}")
        return self


#: the largest root seed: provenance attributes keep it as an unsigned 64-bit integer
MAX_SEED = 2**64 - 1


class MonteCarlo(Strict):
    """Number of draws, sampler and root seed."""

    draws: int = Field(1, ge=1, le=100_000_000, description="Monte Carlo draws (1 = central).")
    sampler: Literal["mc", "lhs", "sobol"] = "mc"
    seed: int = Field(20261124, ge=0, le=MAX_SEED,
                      description="Root seed of numpy.random.SeedSequence.")
    chunk_size: int | None = Field(None, ge=1, description="Draws per chunk (memory bound).")


class SizeWeights(Strict):
    """Employment weights omega_js of firm-size classes within a sector (MODEL.md 1.3)."""

    micro: Share
    small: Share
    medium: Share
    large: Share


class Sector(Strict):
    """One sector's base-year structure (MODEL.md 2.1, 3.1; calibration/)."""

    name: str = ""
    value_added: Positive = Field(description="Value added, million EUR, base year.")
    gross_output: Positive | None = Field(None, description="Gross output, million EUR.")
    labour_compensation: NonNegative | None = Field(None, description="million EUR.")
    labour_share: Share = Field(description="sL_j: labour income / value added.")
    employment: NonNegative = Field(1.0, description="Persons employed, base year.")
    hours: NonNegative | None = Field(None, description="Million hours worked.")
    exposure: Share = Field(description="E0_j: share of tasks AI can do (MODEL.md 1.1).")
    exposure_by_measure: dict[str, Share] = Field(default_factory=dict)
    size_weights: SizeWeights | None = None
    tfp_growth: GrowthRate | None = Field(None, description="g_j; default baseline.tfp_growth.")


class NetworkSpec(Strict):
    """Production network: Domar weights from an input-output table (MODEL.md 3.2)."""

    enabled: bool = Field(
        False, description="Use Domar weights from the input-output table (MODEL.md 3.2).")
    convention: Literal["cost_share", "oecd"] = Field(
        "cost_share", description="cost_share: Hulten-exact shock; oecd: Filippucci et al. (2024).")
    coefficients: dict[str, dict[str, NonNegative]] = Field(default_factory=dict)


class ExposureSpec(Strict):
    """Exposure frontier E_j(t) (MODEL.md 1.1)."""

    ceiling: Share | None = Field(
        None,
        description="Economy-wide value-added-weighted capability ceiling; null keeps E0.",
    )
    midpoint: Year = Field(2032.0, description="t_E: year the frontier is half-way to the ceiling.")
    steepness: Positive = Field(0.3, description="k_E: slope of the exposure S-curve (1/year).")
    scale: NonNegative = Field(1.0, description="Multiplier on every E0_j (clipped to 1).")
    measure: str | None = Field(None, description="Use sectors' exposure_by_measure[measure].")


class ProfitabilitySpec(Strict):
    """Profitable share of exposed tasks P(t) (MODEL.md 1.2)."""

    start: Share = Field(
        0.23, description="P0: profitable share of exposed tasks in t0 (Acemoglu: 0.23).")
    growth: GrowthRate = Field(0.0, description="g_P: annual growth of P as AI costs fall.")
    ceiling: Share = Field(1.0, description="P-bar: cap on the profitable share.")
    sector_multiplier: dict[str, NonNegative] = Field(default_factory=dict)


class EasyHardSpec(Strict):
    """Acemoglu's easy/hard split of affected tasks (MODEL.md 1.5)."""

    easy_share: Share
    easy_saving: Share
    hard_saving: Share


class AISpec(Strict):
    """Tasks and AI (MODEL.md 1.1, 1.2, 1.5)."""

    exposure: ExposureSpec = ExposureSpec()
    profitable_share: ProfitabilitySpec = ProfitabilitySpec()
    cost_saving: Share = Field(
        0.27, description="c0: labour-cost saving per affected task (Acemoglu 0.27; OECD 0.30).")
    cost_saving_growth: NonNegative = Field(
        0.0, description="g_c: absolute annual rise of the saving.")
    cost_saving_cap: Share = Field(1.0, description="c-bar: cap on the saving.")
    easy_hard: EasyHardSpec | None = Field(
        None, description="Acemoglu's easy/hard split; replaces cost_saving when given.")
    parkinson_rebound: Share = Field(
        0.0, description="theta: share of saved time re-absorbed by low-value work.")
    gains_from_base_year: bool = Field(
        True, description="Count gains from AI use beyond the base year's (docs/model.md)."
    )


class SizeClass(Strict):
    """Logistic diffusion of one firm-size class (MODEL.md 1.3)."""

    ceiling: Share
    midpoint: Year
    steepness: Positive


class SizeClasses(Strict):
    micro: SizeClass
    small: SizeClass
    medium: SizeClass
    large: SizeClass


class IntensitySpec(Strict):
    """Intensity iota(t) of use within adopting firms (MODEL.md 1.3)."""

    start: Share = Field(
        1.0, description="iota_0: share of exposed-and-profitable tasks moved to AI in t0.")
    ceiling: Share = Field(1.0, description="iota-bar: long-run intensity.")
    midpoint: Year = Field(2030.0, description="Year half-way from start to ceiling.")
    steepness: Positive = Field(0.5, description="Slope of the intensity S-curve (1/year).")


class DiffusionSpec(Strict):
    """Diffusion D_j(t) and intensity (MODEL.md 1.3)."""

    size_classes: SizeClasses
    default_size_weights: SizeWeights = Field(
        SizeWeights(micro=0.25, small=0.25, medium=0.25, large=0.25),
        description="Size weights for sectors without their own.")
    sector_midpoint_shift: dict[str, Annotated[Param, _bounded(-100, 100, "years")]] = Field(
        default_factory=dict
    )
    intensity: IntensitySpec = IntensitySpec()


class JCurveSpec(Strict):
    """Productivity J-curve (MODEL.md 2.2)."""

    lag: Lag = Field(1.0, description="tau_J: realisation lag (1 = none).")
    intangible_drag: NonNegative = Field(
        0.0, description="kappa_J: measured-output dip per unit of new adoption.")


class BaselineSpec(Strict):
    """No-AI baseline path and production function (MODEL.md 3.4, 5)."""

    tfp_growth: GrowthRate = Field(0.004, description="g: no-AI TFP trend (Belgium ~0.4 %/yr).")
    labour_force_growth: GrowthPath = Field(
        0.0, description="Annual labour-force growth, number or {year: rate}.")
    capital_share: Annotated[Param, _bounded(0.01, 0.99, "a capital share")] = Field(
        0.35, description="alpha in Y = TFP K^alpha H^(1-alpha).")
    capital_output_ratio: Positive = Field(3.0, description="K/Y in the base year.")
    depreciation: Share = Field(0.06, description="delta.")
    capital_adjustment: Share = Field(
        1.0, description="lambda_K: share of the gap to K* closed each year.")
    gdp: Positive = Field(100_000.0, description="Base-year GDP (GVA), million EUR.")
    employment: Positive = Field(1_000_000.0, description="Base-year persons employed.")


class StructuralChangeSpec(Strict):
    """CES final demand across sectors, chained aggregation and factor mobility (MODEL.md 3.3)."""

    elasticity: Annotated[Param, _bounded(0.0, 5.0, "a demand elasticity eta")] = 1.0
    factor_mobility: Literal["mobile", "immobile"] | Share = Field(
        "mobile", description="mobile: factors move to where demand goes (the chained dual, "
        "default); immobile: each sector keeps its factors, real value added is the CES "
        "aggregate of sector outputs (OECD 2024 Sc.3); a share in [0, 1] mixes the two "
        "(weight of the immobile aggregate).")


class CohortShares(Strict):
    junior: Share = 0.2
    prime: Share = 0.5
    senior: Share = 0.3


class CohortSpec(Strict):
    """Employment by age cohort and the junior entry penalty (MODEL.md 4.4)."""

    shares: CohortShares = CohortShares()
    junior_entry_penalty: Share = Field(
        0.16, description="Relative junior employment loss in the most exposed work "
        "(Brynjolfsson, Chandar & Chen 2025: -16 %)")
    traineeship_offset: Share = Field(0.0, description="Share of the junior penalty offset.")
    reference_work_share: Annotated[Param, _bounded(1e-6, 1.0, "a share in (0, 1]")] = Field(
        0.05, description="h_ref: share of work AI had taken over, (psi + (1 - psi) c) a, "
        "in the occupations where the junior penalty was measured (assumption: exposure "
        "0.6 x profitable 0.23 x use 0.5 x (0.5 + 0.5 x 0.27) ~ 0.05, docs/model.md 4.4)")


class LabourSpec(Strict):
    """Labour demand, flows, wages and labour share (MODEL.md 4.1-4.5)."""

    automation_share: Share = Field(
        0.5, description="psi: share of affected tasks automated (rest augmented).")
    reinstatement: Share = Field(0.0, description="rho: new labour tasks per automated task.")
    demand_response: Annotated[Param, _bounded(0.0, 2.0, "a demand response")] = Field(
        1.0, description="epsilon: weight of the output term in labour demand.")
    job_finding_rate: Share = Field(
        0.5, description="f: share of the excess unemployed re-employed per year.")
    mobility_discount: Share = Field(0.2, description="mu: cross-sector mobility discount on f.")
    natural_unemployment: Annotated[Param, _bounded(0.0, 0.5, "a rate in [0, 0.5]")] = Field(
        0.05, description="u*: natural rate of unemployment.")
    task_elasticity: Annotated[Param, _bounded(0.0, 5.0, "an elasticity sigma")] = Field(
        0.5, description="sigma: elasticity between tasks (4.5).")
    cohorts: CohortSpec = CohortSpec()


class FeedbackSpec(Strict):
    """Demand feedback: the displacement spiral and its absence (MODEL.md 4.6)."""

    enabled: bool = False
    mpc: Share = Field(0.6, description="phi: consumption out of lost labour income")
    stabilisers: Share = Field(0.4, description="varsigma: share of lost income replaced")
    multiplier: Annotated[Param, _bounded(0.0, 5.0, "a multiplier")] = 1.0
    okun: Annotated[Param, _bounded(0.1, 10.0, "an Okun coefficient")] = 2.0
    hiring_sensitivity: NonNegative = Field(
        10.0, description="Job finding falls by exp(sensitivity x demand gap)")
    reinvestment: NonNegative = Field(
        0.0, description="Diffusion speed-up per unit of realised labour-cost savings / GDP")


class SMESupport(Strict):
    ceiling_uplift: Share = 0.0
    midpoint_advance: Annotated[Param, _bounded(0.0, 30.0, "years")] = 0.0


class TrainingLever(Strict):
    extra_spending_pp: Annotated[Param, _bounded(0.0, 10.0, "pp of GDP")] = 0.0
    productivity_per_pp: NonNegative = Field(
        0.059, description="Aldasoro et al. (2026): +1 pp training -> +5.9 % AI effect")
    reinstatement_per_pp: NonNegative = 0.02
    job_finding_per_pp: NonNegative = 0.05


class RDLever(Strict):
    intensity: Annotated[Param, _bounded(0.0, 0.2, "R&D / GDP")] = 0.035
    reference: Annotated[Param, _bounded(0.0, 0.2, "R&D / GDP")] = 0.035
    capability_years_per_pp: NonNegative = 1.0
    tfp_growth_per_pp: NonNegative = 0.0005


class PolicySpec(Strict):
    """Policy levers (MODEL.md 6); effects documented in docs/model.md."""

    sme_support: SMESupport = SMESupport()
    training: TrainingLever = TrainingLever()
    rd: RDLever = RDLever()


class RatesSpec(Strict):
    """Real rate r(t) = policy rate - inflation + premium (MODEL.md 3.4)."""

    policy_rate: Path = Field(0.02, description="Policy rate, number or {year: rate}.")
    inflation: Path = Field(0.02, description="Inflation, number or {year: rate}.")
    premium: RateLevel = Field(0.02, description="Risk and term premium added to the real rate.")
    capital_supply_elasticity: Positive | None = Field(
        None, description="epsilon: capital supplied with this elasticity to its user cost, "
        "ln R - ln R^base = (ln K* - ln K*^base) / epsilon (Korinek-Jones 2026: 3); null "
        "(default): the user cost follows the exogenous rate path.")


class Reference(Strict):
    """A published number a scenario should reproduce (used by ``aisim compare`` and tests).

    ``statistic``: ``value`` = median of ``variable`` in ``year``; ``per_year`` = that divided by
    the years since the horizon start (an average annual contribution, in pp a year);
    ``year_reached`` = first year the median reaches ``threshold`` (``value`` is a year).
    ``reproduced: false`` marks a documented gap: ``expected`` is then the model's own number
    (checked within ``tolerance``) and ``note`` says why the structures differ.
    """

    variable: str
    year: int | None = None
    statistic: Literal["value", "per_year", "year_reached"] = "value"
    threshold: float | None = None
    value: float
    tolerance: float = Field(ge=0.0)
    source: str
    reproduced: bool = True
    expected: float | None = None
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Reference:
        if self.statistic == "year_reached" and self.threshold is None:
            raise ValueError("a threshold for statistic year_reached")
        if self.statistic != "year_reached" and self.year is None:
            raise ValueError(f"a year for statistic {self.statistic}")
        if not self.reproduced and self.expected is None:
            raise ValueError("expected (the model's number) when reproduced is false")
        return self


class Scenario(Strict):
    """A complete, validated scenario (after ``extends:`` and ``--set`` are resolved)."""

    name: str
    description: str = ""
    horizon: Horizon = Horizon()
    monte_carlo: MonteCarlo = MonteCarlo()
    sectors: dict[str, Sector] = Field(min_length=1)
    network: NetworkSpec = NetworkSpec()
    ai: AISpec = AISpec()
    diffusion: DiffusionSpec
    jcurve: JCurveSpec = JCurveSpec()
    baseline: BaselineSpec = BaselineSpec()
    rates: RatesSpec = RatesSpec()
    structural_change: StructuralChangeSpec = StructuralChangeSpec()
    labour: LabourSpec = LabourSpec()
    feedback: FeedbackSpec = FeedbackSpec()
    policy: PolicySpec = PolicySpec()
    # YAML has no tuples: a [name, name, rho] list is the one conversion allowed in strict mode
    # YAML has no tuples: a [name, name, rho] list is the one conversion allowed in strict mode
    correlations: list[Correlation] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)

    @property
    def years(self) -> range:
        return range(self.horizon.start, self.horizon.end + 1)

    @property
    def sector_codes(self) -> tuple[str, ...]:
        return tuple(self.sectors)
