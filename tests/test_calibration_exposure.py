"""Exposure E0 by sector (issue 6, item 3)."""

from __future__ import annotations

import csv

import pytest
import yaml

from tests.calibration_common import CAL, DATA, FILES, ROOT, load  # noqa: F401


@pytest.mark.parametrize("name", FILES)
def test_exposures_in_unit_interval(name: str) -> None:
    for code, s in load(name)["sectors"].items():
        assert 0.0 <= s["exposure"] <= 1.0, code
        assert s["exposure"] == s["exposure_by_measure"]["ilo2025"], code
        for measure, value in s["exposure_by_measure"].items():
            assert 0.0 <= value <= 1.0, (code, measure)


def test_ilo_default_reproduces_hand_check_for_manufacturing() -> None:
    """E0_C = sum_o w_o e_o with Belgian LFS 2024 weights and unweighted ILO ISCO-1 means."""
    scores: dict[str, list[float]] = {}
    with (DATA / "exposure/gmyrek2025_isco4_occupation_scores.csv").open() as f:
        for row in csv.DictReader(f):
            scores.setdefault("OC" + row["ISCO_08"].zfill(4)[0], []).append(
                float(row["mean_score_2025"]))
    score = {g: sum(v) / len(v) for g, v in scores.items()}
    num = den = 0.0
    with (DATA / "lfs/lfsa_eisn2_2023_2024_BE_NL_FR_DE.csv").open() as f:
        for row in csv.DictReader(f):
            if (row["geo"], row["nace_r2"], row["year"]) == ("Belgium", "C", "2024") \
                    and row["value_thousand_persons"] and row["isco08"] != "OC0":
                num += float(row["value_thousand_persons"]) * score[row["isco08"]]
                den += float(row["value_thousand_persons"])
    hand = num / den
    assert hand == pytest.approx(0.292824, abs=1e-6)  # shared derived table, same method
    assert load("belgium_A21")["sectors"]["C"]["exposure"] == pytest.approx(hand, abs=1e-6)
    assert load("flanders_A21")["sectors"]["C"]["exposure"] == pytest.approx(hand, abs=1e-6)


def test_exposure_ranking_is_plausible() -> None:
    s = load("belgium_A21")["sectors"]
    assert s["K"]["exposure"] > s["C"]["exposure"] > s["A"]["exposure"]
    assert s["J"]["exposure"] > s["F"]["exposure"]


@pytest.mark.parametrize("name", FILES)
def test_uncertainty_is_a_valid_triangular_across_measures(name: str) -> None:
    unc = yaml.safe_load((CAL / f"{name}_uncertainty.yaml").read_text())
    point = load(name)["sectors"]
    assert set(unc["sectors"]) == set(point)
    for code, spec in unc["sectors"].items():
        tri = spec["exposure"]
        assert tri["dist"] == "triangular"
        assert 0.0 <= tri["low"] <= tri["mode"] <= tri["high"] <= 1.0, code
        assert tri["low"] < tri["high"], code
        assert tri["mode"] == point[code]["exposure"], code
