"""Belgium's three regions: who they are and the 2022 totals their calibrations are scaled to.

The Flemish Region, the Brussels-Capital Region and the Walloon Region partition Belgium. Each
is calibrated the same way (sim/calibrate/sectors.py, ``regional_sections``): Belgian sections
x the region's census-2011 share of the section's employment (place of work), scaled to the
region's 2022 totals. The totals (published_figures.csv; docs/calibration.md, section 4):

* **Flanders**: GVA 296,900 M EUR and employment 3,016,334 persons (Statistiek Vlaanderen).
* **GVA, Brussels and Wallonia**: no published 2022 GVA level is in the data. IWEPS publishes
  current-price regional GDP for 2021 and 2023; the region's GDP relative to Flanders' in 2022
  is the geometric mean of the two years' ratios, times the Flemish 2022 GVA. Regional GDP is
  regional GVA plus net product taxes allocated in proportion to GVA, so the GDP ratio is the
  GVA ratio (assumption, stated in the docs).
* **Employment, Brussels and Wallonia**: IWEPS (regional accounts 2022) publishes the 2022
  change in total employment and its growth rate; the 2022 level is change x (1 + 1/rate).
  The rate is rounded to 0.1 pp, so the level is known to about +/- 3 %.

The sum of the three is checked against Belgium (REPORT.md section 6; tests/test_regions.py):
employment against the NBB 2022 total, GVA against the total implied by Wallonia's published
2022 share of Belgian GDP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """One of Belgium's regions: file tag, English name and census-2011 label."""

    tag: str
    name: str
    census: str
    adjective: str


FLANDERS = Region("flanders", "Flemish Region", "Vlaams Gewest", "Flemish")
BRUSSELS = Region("brussels", "Brussels-Capital Region", "Brussels Hoofdstedelijk Gewest",
                  "Brussels")
WALLONIA = Region("wallonia", "Walloon Region", "Waals Gewest", "Walloon")
REGIONS: tuple[Region, ...] = (FLANDERS, BRUSSELS, WALLONIA)
BY_TAG = {r.tag: r for r in REGIONS}


@dataclass(frozen=True)
class Totals:
    """A region's 2022 GVA (M EUR) and employment (persons), with how they were obtained."""

    gva: float
    employment: float
    gva_source: str
    employment_source: str
    gdp_ratio_to_flanders: float = 1.0


def gdp_ratio_2022(figures: dict[str, float], tag: str) -> float:
    """Region GDP / Flemish GDP in 2022: geometric mean of the published 2021 and 2023 ratios."""
    r21 = figures[f"{tag}_gdp_2021"] / figures["flanders_gdp_2021"]
    r23 = figures[f"{tag}_gdp_2023"] / figures["flanders_gdp_2023"]
    return math.sqrt(r21 * r23)


def employment_2022(figures: dict[str, float], tag: str) -> float:
    """2022 employment from the published 2022 change and growth rate: change x (1 + 1/g)."""
    change = figures[f"{tag}_employment_change_2022"]
    growth = figures[f"{tag}_employment_growth_2022"]
    return change * (1.0 + 1.0 / growth)


def totals(figures: dict[str, float]) -> dict[str, Totals]:
    """The 2022 totals of every region (see the module docstring)."""
    out = {"flanders": Totals(
        figures["flanders_gva"], figures["flanders_employment"],
        "Statistiek Vlaanderen, regional accounts 2022",
        "Statistiek Vlaanderen, regional accounts 2022")}
    for region in (BRUSSELS, WALLONIA):
        ratio = gdp_ratio_2022(figures, region.tag)
        out[region.tag] = Totals(
            figures["flanders_gva"] * ratio, employment_2022(figures, region.tag),
            "Flemish GVA 2022 x IWEPS regional GDP ratio to Flanders (2021-2023 geometric mean)",
            "IWEPS regional accounts 2022: change x (1 + 1/growth rate)", ratio)
    return out


def belgium_check(figures: dict[str, float], regional: dict[str, Totals]) -> dict[str, float]:
    """Sum of the regions against independent Belgian 2022 totals (relative differences)."""
    gva = sum(t.gva for t in regional.values())
    employment = sum(t.employment for t in regional.values())
    belgium_gva = regional["wallonia"].gva / figures["wallonia_gdp_share_2022"]
    belgium_employment = figures["belgium_employment_2022"]
    return {"gva": gva, "employment": employment, "belgium_gva": belgium_gva,
            "belgium_employment": belgium_employment,
            "gva_gap": gva / belgium_gva - 1.0,
            "employment_gap": employment / belgium_employment - 1.0}
