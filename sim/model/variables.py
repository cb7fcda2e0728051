"""THE output table: every output variable's name, dims, units, long name, definition, group
and IAMC name, in one place.

Everything else is generated from it: the row index of each variable in the fused output pass
(:mod:`sim.model.outputs` writes ``rows[AGG_ROW.tfp_gain_pct, i]``, never a bare number), the order
of the summary cells, the Dataset assembly and attributes (:mod:`sim.runner.results`), the IAMC
names (:mod:`sim.present.export`) and the variable list in ``docs/variables.md``
(:func:`markdown`; a test keeps the page in step).

To add an output: one row here, one line computing it in :mod:`sim.model.outputs` (and, if it
needs a new kernel quantity, a column of :mod:`sim.model.layout`). One dims schema
(docs/architecture.md): aggregate ``(draw, year)``, sector ``(draw, year, sector)``, cohort
``(draw, year, sector, cohort)``. "Gain" variables are 100 x (ln AI path - ln no-AI baseline) of
the same draw (MODEL.md preamble, docs/model.md): log points, CF units ``1e-2`` (:class:`Unit`).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

AGG = ("draw", "year")
SEC = ("draw", "year", "sector")
COH = ("draw", "year", "sector", "cohort")
COHORTS = ("junior", "prime", "senior")

#: the groups, in the order the docs list them
GROUPS = {
    "gains": "Aggregate gains versus the no-AI baseline",
    "levels": "Aggregate levels",
    "labour": "Labour market and income distribution",
    "ai": "AI use (economy-wide)",
    "sectors": "Sectors",
    "cohorts": "Age cohorts",
}


@dataclass(frozen=True)
class Unit:
    """A variable's unit twice: ``udunits``, the UDUNITS-2 string written as the CF ``units``
    attribute (parsed by cf_units, cf_xarray and pint), and ``label``, the words a reader
    expects, written as ``display_units`` and used by plots, tables and the IAMC/tidy/xlsx
    ``unit`` column.

    UDUNITS has no currency and no "persons": money is a plain number of euros scaled by
    ``1e6`` (label ``million EUR``), people a count ``1`` (label ``persons``). A calendar
    rate or flow is per ``year``. A gain is ``100 x ln(X_AI / X_base)``: the dimensionless log
    difference in hundredths, ``1e-2``, read as **log points** (docs/model.md, "Units")."""

    udunits: str
    label: str


#: 100 x a log difference (MODEL.md preamble): hundredths of ln(X_AI / X_base)
LOG_POINTS = Unit("1e-2", "log points")
#: 100 x a difference of two rates (shares), e.g. unemployment rate minus u*
PERCENTAGE_POINTS = Unit("percent", "percentage points")
#: 100 x a proportion that is not a log difference
PERCENT = Unit("percent", "%")
FRACTION = Unit("1", "1")
RATE_PER_YEAR = Unit("year-1", "per year")
MILLION_EUR = Unit("1e6", "million EUR")
EUR_PER_PERSON = Unit("1", "EUR per person")
PERSONS = Unit("1", "persons")
PERSONS_PER_YEAR = Unit("year-1", "persons per year")
INDEX_100 = Unit("percent", "index (baseline = 100)")


@dataclass(frozen=True)
class Variable:
    """One output variable."""

    name: str
    dims: tuple[str, ...]
    unit: Unit
    long_name: str
    definition: str  # as computed in sim/model/outputs.py, in docs/model.md notation
    group: str
    iamc: str | None = None  # IAMC stem; sector and cohort labels are appended

    @property
    def kind(self) -> str:
        """"aggregate", "sector" or "cohort" (which fused-pass task computes it)."""
        return {AGG: "aggregate", SEC: "sector", COH: "cohort"}[self.dims]

    @property
    def units(self) -> str:
        """The CF ``units`` attribute: a UDUNITS-2 string (:class:`Unit`)."""
        return self.unit.udunits

    @property
    def display_units(self) -> str:
        """The unit in words (plots, tables, exports): ``log points``, ``million EUR``."""
        return self.unit.label

    @property
    def attrs(self) -> dict[str, str]:
        """The variable's netCDF attributes: CF ``units`` and ``long_name``, the unit in words
        (``display_units``) and its definition (``comment``, docs/model.md notation)."""
        return {"units": self.units, "long_name": self.long_name,
                "display_units": self.display_units, "comment": self.definition}


_V = Variable
TABLE: tuple[Variable, ...] = (
    # ---- aggregate gains (MODEL.md 3-4)
    _V("tfp_gain_pct", AGG, LOG_POINTS,
       "Aggregate TFP gain vs no-AI baseline, chained (MODEL.md 3.1-3.3)",
       "100 (ln TFP^AI - ln TFP^base), both Tornqvist-chained", "gains", "TFP|Gain"),
    _V("tfp_direct_gain_pct", AGG, LOG_POINTS,
       "Direct value-added-weighted TFP gain (MODEL.md 3.1)",
       "100 sum_j v_j m_j", "gains", "TFP|Direct Gain"),
    _V("gdp_gain_pct", AGG, LOG_POINTS, "GDP gain vs no-AI baseline (MODEL.md 3.4)",
       "100 ln(Y / Y^base)", "gains", "GDP|Gain"),
    _V("potential_gdp_gain_pct", AGG, LOG_POINTS,
       "Potential (full-employment) GDP gain vs baseline",
       "100 ln(Y^pot / Y^base)", "gains", "GDP|Potential|Gain"),
    _V("labour_productivity_gain_pct", AGG, LOG_POINTS,
       "Labour productivity (GDP per person employed) gain vs baseline",
       "gdp_gain_pct - employment_gain_pct", "gains", "Labour Productivity|Gain"),
    _V("employment_gain_pct", AGG, LOG_POINTS, "Employment gain vs baseline (MODEL.md 4.3)",
       "100 ln(L / L^base)", "gains", "Employment|Gain"),
    _V("output_gap_pct", AGG, LOG_POINTS, "Output gap: actual vs potential GDP (MODEL.md 4.6)",
       "100 ln(Y / Y^pot)", "gains"),
    _V("demand_gap_pct", AGG, PERCENT, "Demand shortfall from lost labour income (MODEL.md 4.6)",
       "100 g^D", "gains"),
    _V("labour_income_gain_pct", AGG, LOG_POINTS, "Labour income gain vs baseline (MODEL.md 4.5)",
       "100 ln(sL Y / (sL0 Y^base))", "gains"),
    _V("ghost_gdp_pp", AGG, LOG_POINTS,
       "'Ghost GDP': GDP gain minus labour-income gain (MODEL.md 4.5)",
       "gdp_gain_pct - labour_income_gain_pct", "gains"),
    _V("gdp_from_tfp_pp", AGG, LOG_POINTS, "GDP gain from TFP (decomposition, MODEL.md 3.4)",
       "100 (ln TFP - ln TFP^base)", "gains", "GDP|Gain|TFP"),
    _V("gdp_from_capital_pp", AGG, LOG_POINTS,
       "GDP gain from capital deepening, including the capital doing automated tasks "
       "(decomposition, MODEL.md 3.4)",
       "100 [alpha(t) ln(K / K0) - alpha ln(K^base / K0) - (alpha(t) - alpha) ln(H / H0)]",
       "gains", "GDP|Gain|Capital"),
    _V("gdp_from_employment_pp", AGG, LOG_POINTS,
       "GDP gain from employment: transitional unemployment of the displaced (decomposition, "
       "MODEL.md 3.4, 4.3)", "100 (1 - alpha(t)) ln(L / L^base) - gdp_from_demand_pp", "gains",
       "GDP|Gain|Employment"),
    _V("gdp_from_demand_pp", AGG, LOG_POINTS,
       "GDP gain from the demand gap: the employment loss Okun's law attributes to the demand "
       "shortfall (decomposition, MODEL.md 4.6)",
       "100 (1 - alpha(t)) g^D / Okun, between the employment term and 0", "gains",
       "GDP|Gain|Demand"),
    # ---- levels
    _V("gdp", AGG, MILLION_EUR, "GDP on the AI path, base-year prices", "Y", "levels", "GDP"),
    _V("gdp_baseline", AGG, MILLION_EUR, "GDP on the no-AI baseline path", "Y^base", "levels",
       "GDP|Baseline"),
    _V("gdp_potential", AGG, MILLION_EUR, "Potential GDP on the AI path (full employment)",
       "Y^pot", "levels", "GDP|Potential"),
    _V("capital", AGG, MILLION_EUR, "Capital stock on the AI path", "K", "levels",
       "Capital Stock"),
    _V("capital_baseline", AGG, MILLION_EUR, "Capital stock on the no-AI baseline path",
       "K^base", "levels"),
    _V("employment_total", AGG, PERSONS, "Persons employed, AI path", "L = sum_j L_j",
       "levels", "Employment"),
    _V("employment_total_baseline", AGG, PERSONS, "Persons employed, baseline", "L^base = H",
       "levels", "Employment|Baseline"),
    _V("labour_force", AGG, PERSONS, "Labour force", "H / (1 - u*)", "levels"),
    _V("user_cost", AGG, RATE_PER_YEAR,
       "User cost of capital (real rate + depreciation), AI path (MODEL.md 3.4)",
       "R^base exp((ln K* - ln K*^base) / epsilon); R^base without a supply elasticity",
       "levels"),
    _V("user_cost_baseline", AGG, RATE_PER_YEAR, "User cost of capital, baseline (MODEL.md 3.4)",
       "R^base = r(t) + delta", "levels"),
    _V("user_cost_gain_pct", AGG, LOG_POINTS, "User cost of capital vs baseline (MODEL.md 3.4)",
       "100 ln(R / R^base)", "gains"),
    # ---- labour market and income
    _V("unemployment_rate", AGG, FRACTION, "Unemployment rate, AI path (MODEL.md 4.3)",
       "1 - L / labour force", "labour", "Unemployment Rate"),
    _V("unemployment_rate_change_pp", AGG, PERCENTAGE_POINTS,
       "Unemployment rate minus the natural rate",
       "100 (unemployment_rate - u*)", "labour"),
    _V("displaced", AGG, PERSONS_PER_YEAR, "Persons displaced into unemployment in the year",
       "sum_j job destruction", "labour"),
    _V("reemployed", AGG, PERSONS_PER_YEAR, "Displaced persons re-employed in the year",
       "f (1 - mu) X exp(h g^D)", "labour"),
    _V("labour_share", AGG, FRACTION, "Labour share of GDP, AI path (MODEL.md 4.5)", "sL",
       "labour", "Labour Share"),
    _V("labour_share_baseline", AGG, FRACTION, "Labour share of GDP, baseline", "sL0", "labour"),
    _V("capital_share", AGG, FRACTION,
       "Capital share: the capital elasticity of production, AI path (MODEL.md 3.4)",
       "alpha + sL0 - sL(t)", "labour", "Capital Share"),
    _V("labour_income", AGG, MILLION_EUR, "Labour income, AI path", "sL Y", "labour",
       "Labour Income"),
    _V("labour_income_baseline", AGG, MILLION_EUR, "Labour income, baseline", "sL0 Y^base",
       "labour"),
    _V("capital_income", AGG, MILLION_EUR, "Capital income, AI path", "Y - sL Y", "labour"),
    _V("capital_income_baseline", AGG, MILLION_EUR, "Capital income, baseline",
       "Y^base - sL0 Y^base", "labour"),
    _V("wage_index", AGG, INDEX_100, "Average wage per person vs baseline",
       "100 (sL Y / L) / (sL0 Y^base / L^base)", "labour"),
    # ---- AI use
    _V("automated_work_share", AGG, FRACTION,
       "Share of today's work hours AI takes over: automated tasks and the time saved on "
       "augmented ones (MODEL.md 4.1; McKinsey's measure)",
       "sum_j (emp_j / emp) (psi + (1 - psi) c_eff) a_j", "ai", "AI|Automated Work Share"),
    _V("affected_work_share", AGG, FRACTION,
       "Share of today's work in tasks AI affects, employment-weighted (MODEL.md 1.4)",
       "sum_j (emp_j / emp) a_j", "ai", "AI|Affected Work Share"),
    _V("profitable_share", AGG, FRACTION, "Profitable share of exposed tasks (MODEL.md 1.2)",
       "P(t)", "ai"),
    _V("intensity", AGG, FRACTION, "Intensity of AI use in adopting firms (MODEL.md 1.3)",
       "iota(t)", "ai"),
    _V("effective_saving", AGG, FRACTION,
       "Labour-cost saving per affected task after rebound (MODEL.md 1.5)", "c_eff(t)",
       "ai"),
    _V("real_rate", AGG, RATE_PER_YEAR, "Real interest rate (MODEL.md 3.4)",
       "policy(t) - inflation(t) + premium", "ai"),
    # ---- sectors
    _V("sector_tfp_gain_pct", SEC, LOG_POINTS,
       "Measured sector TFP gain vs baseline (MODEL.md 2.1-2.2)", "100 m_j", "sectors",
       "TFP|Gain"),
    _V("exposure", SEC, FRACTION, "Exposed task share (MODEL.md 1.1)", "E_j(t)", "sectors",
       "AI|Exposure"),
    _V("adoption", SEC, FRACTION, "Employment share in AI-using firms (MODEL.md 1.3)",
       "D_j(t)", "sectors", "AI|Adoption"),
    _V("affected_share", SEC, FRACTION, "Affected task share (MODEL.md 1.4)", "a_j(t)",
       "sectors", "AI|Affected Task Share"),
    _V("sector_labour_share", SEC, FRACTION, "Labour share of sector value added, AI path "
       "(MODEL.md 4.5)", "sL_j(t)", "sectors", "Labour Share"),
    _V("employment", SEC, PERSONS, "Persons employed by sector, AI path (MODEL.md 4.3)",
       "L_j", "sectors", "Employment"),
    _V("employment_baseline", SEC, PERSONS, "Persons employed by sector, baseline",
       "(emp_j / emp) H", "sectors", "Employment|Baseline"),
    _V("sector_employment_gain_pct", SEC, LOG_POINTS, "Sector employment vs baseline",
       "100 ln(L_j / L^base_j)", "sectors", "Employment|Gain"),
    _V("sector_value_added", SEC, MILLION_EUR, "Sector value added, base-year prices",
       "v_j Y^base exp(ln(Y / Y^base) + eta (m_j - m))", "sectors", "Value Added"),
    _V("sector_value_added_baseline", SEC, MILLION_EUR, "Sector value added, baseline",
       "v_j Y^base", "sectors", "Value Added|Baseline"),
    _V("sector_value_added_gain_pct", SEC, LOG_POINTS,
       "Sector value added vs baseline (MODEL.md 4.2)",
       "100 ln(VA_j / VA^base_j)", "sectors", "Value Added|Gain"),
    _V("sector_labour_productivity", SEC, EUR_PER_PERSON, "Value added per person employed",
       "10^6 VA_j / L_j", "sectors"),
    _V("sector_labour_productivity_baseline", SEC, EUR_PER_PERSON,
       "Value added per person employed, baseline", "10^6 VA^base_j / L^base_j", "sectors"),
    # ---- cohorts
    _V("employment_by_cohort", COH, PERSONS, "Employment by age cohort (MODEL.md 4.4)",
       "L_j times the cohort shares after the junior entry penalty", "cohorts", "Employment"),
    _V("employment_by_cohort_baseline", COH, PERSONS, "Employment by age cohort, baseline",
       "L^base_j times the base-year cohort shares", "cohorts", "Employment|Baseline"),
)

VARIABLES: dict[str, Variable] = {v.name: v for v in TABLE}
AGG_OUTPUTS: tuple[str, ...] = tuple(v.name for v in TABLE if v.dims == AGG)
SECTOR_OUTPUTS: tuple[str, ...] = tuple(v.name for v in TABLE if v.dims == SEC)
COHORT_OUTPUTS: tuple[str, ...] = tuple(v.name for v in TABLE if v.dims == COH)
#: summary-cell order: aggregate, then sector, then cohort variables, each in table order
OUTPUT_ORDER: tuple[str, ...] = (*AGG_OUTPUTS, *SECTOR_OUTPUTS, *COHORT_OUTPUTS)

#: row of each aggregate variable in the fused pass's per-year scratch block, a named tuple
#: that numba reads as constants: ``AGG_ROW.gdp_gain_pct``
AGG_ROW = namedtuple("AggregateRows", AGG_OUTPUTS)(*range(len(AGG_OUTPUTS)))
#: rows of the per-(year, sector) block: each sector variable, then for each cohort variable
#: the first of its ``len(COHORTS)`` rows: ``SECTOR_ROW.exposure``,
#: ``SECTOR_ROW.employment_by_cohort + c``
SECTOR_ROW = namedtuple("SectorRows", (*SECTOR_OUTPUTS, *COHORT_OUTPUTS))(
    *range(len(SECTOR_OUTPUTS)),
    *(len(SECTOR_OUTPUTS) + k * len(COHORTS) for k in range(len(COHORT_OUTPUTS))))
N_SECTOR_ROWS = len(SECTOR_OUTPUTS) + len(COHORT_OUTPUTS) * len(COHORTS)
IAMC_NAMES: dict[str, str] = {v.name: v.iamc for v in TABLE if v.iamc is not None}


def output_shapes(n_years: int, n_sectors: int) -> dict[str, tuple[int, ...]]:
    """Non-draw shape of every output, in summary-cell order (:data:`OUTPUT_ORDER`)."""
    shape = {AGG: (n_years,), SEC: (n_years, n_sectors),
             COH: (n_years, n_sectors, len(COHORTS))}
    return {name: shape[VARIABLES[name].dims] for name in OUTPUT_ORDER}


def cell_offsets(shapes: dict[str, tuple[int, ...]]) -> dict[str, int]:
    """First summary cell of each variable: variables one after another, cells in C order
    (the numbering of the fused pass, :func:`sim.model.outputs.chunk_outputs`)."""
    offsets, at = {}, 0
    for name, shape in shapes.items():
        offsets[name] = at
        count = 1
        for size in shape:
            count *= int(size)
        at += count
    return offsets


def _check_table() -> None:
    """Names unique, dims of the one schema, groups known (at import: a broken table fails
    every run, loudly)."""
    if len(VARIABLES) != len(TABLE):
        raise ValueError("duplicate output variable names in sim.model.variables.TABLE")
    for v in TABLE:
        if v.dims not in (AGG, SEC, COH) or v.group not in GROUPS:
            raise ValueError(f"output variable {v.name}: dims {v.dims}, group {v.group!r}")


_check_table()


def markdown() -> str:
    """``docs/variables.md``: every output variable by group, generated from :data:`TABLE`."""
    lines = ["# Output variables", "",
             "Generated from `sim/model/variables.py` by `aisim schema --variables "
             "docs/variables.md`; do not edit by hand. Dims follow one schema: aggregate "
             "`(draw, year)`, sector `(draw, year, sector)`, cohort `(draw, year, sector, "
             "cohort)` with cohorts " + ", ".join(COHORTS) + ". Summary files (`aisim run "
             "--summary-only`) use the same names with `draw` replaced by `stat` (mean, sd, "
             "mean_se, p05 ... p95, p05_se ... p95_se; docs/plotting.md). Definitions use the "
             "notation of `docs/model.md`.", "",
             "**Units.** *unit* is what a reader sees (plots, tables, the `unit` column of "
             "the IAMC, tidy and Excel exports, the `display_units` attribute); *CF units* is "
             "the UDUNITS-2 string in the netCDF `units` attribute. Gains are **log points**: "
             "100 x (ln AI path - ln no-AI baseline) of the same draw, not percent changes "
             "(a gain g is a change of 100 (exp(g / 100) - 1) %, e.g. 10 log points = "
             "+10.5 %); log points add up, so the GDP decomposition terms sum to the GDP "
             "gain and labour productivity gain = GDP gain - employment gain exactly. "
             "UDUNITS has no currency or persons: money is `1e6` (million EUR), persons `1`. "
             "See docs/model.md, \"Units\".", ""]
    for group, title in GROUPS.items():
        lines += [f"## {title}", "", "| variable | dims | unit | CF units | description "
                  "| definition | IAMC |", "|---|---|---|---|---|---|---|"]
        for v in TABLE:
            if v.group == group:
                dims = ", ".join(d for d in v.dims if d != "draw")
                iamc = "`" + v.iamc.replace("|", "\\|") + "`" if v.iamc else ""  # GFM cells
                lines.append(f"| `{v.name}` | {dims} | {v.display_units} | `{v.units}` | "
                             f"{v.long_name} | {v.definition} | {iamc} |")
        lines.append("")
    return "\n".join(lines)
