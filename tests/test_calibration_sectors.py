"""Sector structure of the generated calibration files (issue 6, item 2)."""

from __future__ import annotations

import csv

import pytest

from sim.calibrate import nace
from sim.calibrate.pipeline import compute
from sim.calibrate.sectors import DOMESTIC_TOTAL_LABEL, column_sums
from tests.calibration_common import CAL, DATA, FILES, ROOT, load  # noqa: F401


@pytest.fixture(scope="module")
def cal():
    return compute(DATA)


@pytest.mark.parametrize("name", FILES)
def test_shares_sum_to_one(name: str) -> None:
    sectors = load(name)["sectors"]
    va = sum(s["value_added"] for s in sectors.values())
    emp = sum(s["employment"] for s in sectors.values())
    assert sum(s["value_added"] / va for s in sectors.values()) == pytest.approx(1.0, abs=1e-12)
    assert sum(s["employment"] / emp for s in sectors.values()) == pytest.approx(1.0, abs=1e-12)
    for code, s in sectors.items():
        assert sum(s["size_weights"].values()) == pytest.approx(1.0, abs=1e-9), code
        assert 0.0 <= s["labour_share"] <= 1.0, code
        assert s["gross_output"] >= s["value_added"] > 0, code  # T: GO = VA


def test_sector_codes_and_order() -> None:
    assert list(load("flanders_A21")["sectors"]) == list("ABCDEFGHIJKLMNOPQRST")
    assert list(load("belgium_A10")["sectors"]) == [
        "A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


def test_belgium_totals_match_sources() -> None:
    sectors = load("belgium_A21")["sectors"]
    gva = sum(s["value_added"] for s in sectors.values())
    assert round(gva / 1000, 1) == 373.3  # FPB 2015 GVA, bn EUR
    assert sum(s["employment"] for s in sectors.values()) == 4_895_100  # NBB 2019
    a10 = load("belgium_A10")["sectors"]
    assert sum(s["value_added"] for s in a10.values()) == pytest.approx(gva, abs=1.0)
    assert load("belgium_A10")["baseline"]["employment"] == 4_895_100


def test_flanders_totals_scaled_to_statistiek_vlaanderen() -> None:
    for name in ("flanders_A10", "flanders_A21"):
        doc = load(name)
        sectors = doc["sectors"]
        assert sum(s["value_added"] for s in sectors.values()) == pytest.approx(296_900, abs=1.0)
        assert sum(s["employment"] for s in sectors.values()) == pytest.approx(3_016_334, abs=10)
        assert doc["baseline"]["gdp"] == 296_900.0
        assert doc["baseline"]["employment"] == 3_016_334


def test_a10_is_the_sum_of_its_sections() -> None:
    a21, a10 = load("flanders_A21")["sectors"], load("flanders_A10")["sectors"]
    for group in nace.A10:
        members = [s for s in nace.SECTIONS if nace.A10_OF_SECTION[s] == group]
        assert a10[group]["value_added"] == pytest.approx(
            sum(a21[s]["value_added"] for s in members), abs=0.1 * len(members))
        assert a10[group]["employment"] == pytest.approx(
            sum(a21[s]["employment"] for s in members), abs=len(members))


def _fpb_domestic_totals_by_section() -> dict[str, float]:
    """Read the source row 'intermediate use of domestic output' directly from the FPB CSV."""
    with (DATA / "fpb_io2015/vR64_nl_20191213__tbl_10bis.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    codes = rows[0]
    out = dict.fromkeys(nace.SECTIONS, 0.0)
    for row in rows:
        if row[1] == DOMESTIC_TOTAL_LABEL:
            for j, code in enumerate(codes):
                section = nace.section_of_a64(code) if j >= 2 and code else None
                if section and not code.startswith("P"):
                    out[section] += float(row[j])
    return out


def test_io_column_sums_match_source_table(cal) -> None:
    source = _fpb_domestic_totals_by_section()
    z = column_sums(cal.accounts[("belgium", "A21")].z_domestic)
    for s in nace.SECTIONS:
        assert z[s] == pytest.approx(source[s], rel=1e-9, abs=1e-6), s
    # the written coefficients reproduce them too (buyer row x gross output of the buyer)
    sectors = load("belgium_A21")["sectors"]
    omega = load("belgium_A21")["network"]["coefficients"]
    for buyer, row in omega.items():
        implied = sum(row.values()) * sectors[buyer]["gross_output"]
        assert implied == pytest.approx(source[buyer], rel=1e-4), buyer


def test_io_coefficients_are_shares_below_one() -> None:
    for name in FILES:
        for buyer, row in load(name)["network"]["coefficients"].items():
            assert all(v > 0 for v in row.values()), buyer
            assert sum(row.values()) < 1.0, buyer


def test_labour_share_adds_self_employed(cal) -> None:
    be = cal.accounts[("belgium", "A21")]
    for s in nace.SECTIONS:
        assert be.labour_share[s] >= be.labour_compensation[s] / be.value_added[s] - 1e-12
    total = sum(be.labour_share[s] * be.value_added[s] for s in be.codes)
    assert total / sum(be.value_added.values()) == pytest.approx(0.62, abs=0.01)  # KLEMS LAB/VA
