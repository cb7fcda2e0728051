"""Belgium's three regions (issue 20): the Brussels and Walloon calibrations beside Flanders add
up to Belgium, take their totals from their sources, rank exposure as the sector mix implies,
widen the Flemish diffusion uncertainty, and the regional central scenarios compare."""

from __future__ import annotations

import math

import pytest
import yaml

import sim
from sim.analysis.compare import compare
from sim.calibrate import nace, regions, sectors, sources
from sim.cli import main
from sim.scenario.loader import load_scenario
from tests.calibration_common import CAL, DATA, load
from tests.conftest import SCENARIOS

TAGS = ("flanders", "brussels", "wallonia")
REGION_SCENARIOS = [SCENARIOS / "regions" / f"{t}.yaml" for t in TAGS]


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    return sources.key_values(DATA, sources.FIGURES)


def _totals(level: str) -> tuple[float, float]:
    gva = emp = 0.0
    for tag in TAGS:
        sec = load(f"{tag}_{level}")["sectors"]
        gva += sum(s["value_added"] for s in sec.values())
        emp += sum(s["employment"] for s in sec.values())
    return gva, emp


@pytest.mark.parametrize("level", ["A10", "A21"])
def test_the_three_regions_add_up_to_belgium_2022(figures, level: str) -> None:
    """GVA and employment of the committed files within 1 % of independent Belgian totals:
    employment against the NBB 2022 total, GVA against Wallonia's published share."""
    gva, emp = _totals(level)
    assert emp == pytest.approx(figures["belgium_employment_2022"], rel=0.01)
    walloon = sum(s["value_added"] for s in load(f"wallonia_{level}")["sectors"].values())
    assert gva == pytest.approx(walloon / figures["wallonia_gdp_share_2022"], rel=0.01)


def test_the_regions_partition_belgium_section_by_section() -> None:
    """Before scaling to 2022, the regions' sections sum to the Belgian calibration exactly."""
    be, _, _ = sectors.belgium_sections(DATA)
    census = sectors.load_census_shares(DATA)
    assert sorted(census) == sorted(r.census for r in regions.REGIONS)
    for s in nace.SECTIONS:
        assert sum(census[r.census][s] for r in regions.REGIONS) == pytest.approx(1.0, abs=1e-12)
    parts = [sectors.regional_sections(be, census[r.census], 1000.0, 1000.0, r.name)
             for r in regions.REGIONS]
    for s in nace.SECTIONS:
        for field in ("value_added", "gross_output", "labour_compensation", "cfc"):
            total = sum(getattr(p, field)[s] / p.notes["scale_value_added"] for p in parts)
            assert total == pytest.approx(getattr(be, field)[s], rel=1e-9), (field, s)
        for field in ("employment", "hours"):
            total = sum(getattr(p, field)[s] / p.notes["scale_employment"] for p in parts)
            assert total == pytest.approx(getattr(be, field)[s], rel=1e-9, abs=1e-9), (field, s)


def test_flanders_is_unchanged_by_the_generalisation() -> None:
    be, _, _ = sectors.belgium_sections(DATA)
    share = sectors.load_census_flemish_share(DATA)
    fl = sectors.flanders_sections(be, share, 296_900.0, 3_016_334.0)
    assert fl.region == "Flemish Region"
    written = load("flanders_A21")["sectors"]
    for s in nace.SECTIONS:
        assert round(fl.value_added[s], 1) == written[s]["value_added"], s


def test_totals_come_from_their_sources(figures) -> None:
    ratio = {t: math.sqrt(figures[f"{t}_gdp_2021"] / figures["flanders_gdp_2021"]
                          * figures[f"{t}_gdp_2023"] / figures["flanders_gdp_2023"])
             for t in ("brussels", "wallonia")}
    for tag in ("brussels", "wallonia"):
        emp = figures[f"{tag}_employment_change_2022"] * (
            1 + 1 / figures[f"{tag}_employment_growth_2022"])
        for level in ("A10", "A21"):
            doc = load(f"{tag}_{level}")
            sec = doc["sectors"]
            assert doc["baseline"]["gdp"] == pytest.approx(296_900 * ratio[tag], abs=0.1)
            assert doc["baseline"]["employment"] == round(emp)
            assert sum(s["value_added"] for s in sec.values()) == pytest.approx(
                doc["baseline"]["gdp"], abs=1.0)
            assert sum(s["employment"] for s in sec.values()) == pytest.approx(
                doc["baseline"]["employment"], abs=10)
    # Brussels: services; Wallonia: a larger public and health sector than Flanders
    br, fl, wa = (load(f"{t}_A10")["sectors"] for t in ("brussels", "flanders", "wallonia"))
    assert br["K"]["value_added"] / br["B-E"]["value_added"] > 2
    assert wa["O-Q"]["employment"] / 1_365_250 > fl["O-Q"]["employment"] / 3_016_334


def _economy_exposure(tag: str) -> float:
    sec = load(f"{tag}_A21")["sectors"]
    return sum(s["employment"] * s["exposure"] for s in sec.values()) / sum(
        s["employment"] for s in sec.values())


def test_exposure_ranks_brussels_first_as_the_oecd_does(figures) -> None:
    """Same occupation mix per section everywhere: the ranking comes from the sector mix."""
    e = {t: _economy_exposure(t) for t in TAGS}
    assert e["brussels"] > e["wallonia"] > e["flanders"]
    assert figures["oecd_genai_exposure_brussels"] > figures["oecd_genai_exposure_belgium"]
    for tag in TAGS:  # A*21 exposure is national within a section
        assert load(f"{tag}_A21")["sectors"]["C"]["exposure"] == \
            load("belgium_A21")["sectors"]["C"]["exposure"]


def test_regions_without_a_survey_use_the_flemish_curves_with_wider_uncertainty() -> None:
    shift = sources.key_values(DATA, sources.ASSUMPTIONS)["regional_adoption_shift_sd"]
    flemish = load("flanders_A10")["diffusion"]["size_classes"]
    fl_unc = yaml.safe_load((CAL / "flanders_A10_uncertainty.yaml").read_text())
    for tag in ("brussels", "wallonia"):
        assert load(f"{tag}_A10")["diffusion"]["size_classes"] == flemish
        unc = yaml.safe_load((CAL / f"{tag}_A10_uncertainty.yaml").read_text())
        for size, spec in unc["diffusion"]["size_classes"].items():
            mid, fl_mid = spec["midpoint"], fl_unc["diffusion"]["size_classes"][size]["midpoint"]
            assert mid["mean"] == fl_mid["mean"]
            assert mid["sd"] == pytest.approx(math.hypot(fl_mid["sd"], shift), rel=1e-3)
            assert spec["steepness"] == fl_unc["diffusion"]["size_classes"][size]["steepness"]
        between = [c for c in unc["correlations"] if c[1].endswith(".midpoint")]
        assert len(between) == 6 and all(0 < c[2] < 1 for c in between)


def test_regional_scenarios_carry_their_region() -> None:
    for tag, path in zip(TAGS, REGION_SCENARIOS, strict=True):
        scn = load_scenario(path).scenario
        cal = load(f"{tag}_A10")
        assert scn.baseline.gdp == cal["baseline"]["gdp"]
        assert scn.sector_codes == tuple(cal["sectors"])
        assert scn.sectors["K"].value_added == cal["sectors"]["K"]["value_added"]
        assert scn.diffusion.intensity.start == 0.07  # the central AI assumptions
    a = sim.run(REGION_SCENARIOS[0])["tfp_gain_pct"].values
    b = sim.run(SCENARIOS / "flanders_central.yaml")["tfp_gain_pct"].values
    assert (a == b).all()


def test_aisim_compare_across_the_regions(capsys) -> None:
    files = [str(p) for p in REGION_SCENARIOS]
    assert main(["compare", *files, "--quiet"]) == 0
    results = compare(files)
    assert [r.name for r in results] == [f"regions-{t}" for t in TAGS]
    gains = {r.name: r.headlines["gdp_gain_pct"].median for r in results}
    assert all(0 < g < 50 for g in gains.values())
    assert len(set(gains.values())) == 3  # the calibrations differ
