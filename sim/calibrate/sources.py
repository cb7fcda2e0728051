"""Paths of the raw files (relative to ``calibration/data``) and small key-value tables."""

from __future__ import annotations

from pathlib import Path

from sim.calibrate.readers import Checker, read_rows

FPB_DOMESTIC = "fpb_io2015/vR64_nl_20191213__tbl_10bis.csv"
FPB_TOTAL = "fpb_io2015/vR64_nl_20191213__tbl_8bis.csv"
NBB_EMPLOYMENT = "nbb/employment_NACE64_2019.csv"
CENSUS = "census2011/sector_structure_by_work_BE_raw.csv"
KLEMS = "euklems2017/BE_output_17ii__{var}.csv"
LFS = "lfs/lfsa_eisn2_2023_2024_BE_NL_FR_DE.csv"
EXPOSURE_ISCO1 = "exposure/exposure_by_isco08_1digit.csv"
EXPOSURE_ISCO4 = "exposure/exposure_by_isco08_4digit.csv"
ILO_ISCO4 = "exposure/gmyrek2025_isco4_occupation_scores.csv"
FIRMS = "barometer/firm_population.csv"
BAROMETER_2021_OVERALL = "barometer/adoption_overall.csv"
BAROMETER_2021_SIZE = "barometer/adoption_by_size.csv"
BAROMETER_LATER = "barometer/barometer_2023_2025.csv"
FIGURES = "figures_and_assumptions/published_figures.csv"
ASSUMPTIONS = "figures_and_assumptions/assumptions.csv"

KLEMS_VARS = ("VA", "LAB", "COMP", "CAP", "EMP", "TFPva_I", "LP_I")


def checker(data_dir: Path, rel: str) -> Checker:
    """A problem collector naming the file relative to the data folder's parent."""
    return Checker(data_dir / rel, data_dir.parent)


def key_values(data_dir: Path, rel: str) -> dict[str, float]:
    """``key -> value`` of a two-column table (published figures, assumptions)."""
    check = checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["key", "value"], check)
    out = {row.cells["key"]: check.number(row, "value") for row in rows}
    check.raise_if_any()
    return out
