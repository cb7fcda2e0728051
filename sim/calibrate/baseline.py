"""No-AI baseline (MODEL.md 3.4 and 5): TFP trend, labour-force path, capital parameters.

* TFP trend g: 0.4 %/yr, the seed concept note's recent Belgian productivity growth (MODEL.md 5).
  Range for the Monte Carlo: triangular from the EU KLEMS 2017 value-added TFP growth of the
  Belgian total economy, first year with data (1999) to 2015 (low), to the NPB reference
  labour-productivity growth of the ageing projections, 1.2 %/yr, times (1 - alpha) (high; the
  TFP growth that yields that labour-productivity growth at a constant K/Y).
* alpha = CAP / VA of the total economy, EU KLEMS 2017, 2015 (VA = LAB + CAP in KLEMS; LAB
  includes the self-employed's imputed labour income).
* K/Y and delta from alpha = (r + delta) K/Y and the FPB 2015 consumption of fixed capital,
  CFC / GVA = delta K/Y, with an assumed real required return r (assumptions.csv):
  K/Y = (alpha - CFC/GVA) / r, delta = (CFC/GVA) / (K/Y).
* Labour-force growth path: assumption (no projection file; assumptions.csv).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.calibrate import sectors


@dataclass
class Baseline:
    tfp_growth: float
    tfp_low: float
    tfp_high: float
    klems_tfp_first_2015: float
    klems_tfp_2005_2015: float
    klems_lp_1995_2015: float
    klems_lp_2005_2015: float
    capital_share: float
    cfc_over_gva: float
    required_return: float
    capital_output_ratio: float
    depreciation: float
    labour_force_growth: dict[int, float]
    tfp_first_year: int
    sector_tfp: dict[str, float]  # KLEMS industry -> mean log growth, first year-2015 (report)


def log_growth(series: dict[int, float], start: int, end: int) -> float:
    """Mean annual log growth of an index from ``start`` (or its first year) to ``end``."""
    start = max(start, min(series))
    return float(np.log(series[end] / series[start]) / (end - start))


def compute(data_dir: Path, be: sectors.Accounts, figures: dict[str, float],
            assumptions: dict[str, float]) -> Baseline:
    tfp = sectors.load_klems(data_dir, "TFPva_I")
    lp = sectors.load_klems(data_dir, "LP_I")
    cap = sectors.load_klems(data_dir, "CAP")
    va = sectors.load_klems(data_dir, "VA")
    alpha = cap["TOT"][2015] / va["TOT"][2015]
    cfc = sum(be.cfc.values()) / sum(be.value_added.values())
    r = assumptions["required_real_return"]
    ky = (alpha - cfc) / r
    lf = {int(k.rsplit("_", 1)[1]): v for k, v in sorted(assumptions.items())
          if k.startswith("labour_force_growth_")}
    sector_tfp = {code: log_growth(s, 1995, 2015) for code, s in tfp.items()
                  if s and 2015 in s}
    first_tfp = min(tfp["TOT"])
    return Baseline(
        tfp_growth=figures["productivity_growth_recent"],
        tfp_low=log_growth(tfp["TOT"], 1995, 2015),
        tfp_high=figures["productivity_growth_ageing_reference"] * (1 - alpha),
        klems_tfp_first_2015=log_growth(tfp["TOT"], 1995, 2015),
        klems_tfp_2005_2015=log_growth(tfp["TOT"], 2005, 2015),
        klems_lp_1995_2015=log_growth(lp["TOT"], 1995, 2015),
        klems_lp_2005_2015=log_growth(lp["TOT"], 2005, 2015),
        capital_share=alpha, cfc_over_gva=cfc, required_return=r,
        capital_output_ratio=ky, depreciation=cfc / ky, labour_force_growth=lf,
        sector_tfp=sector_tfp, tfp_first_year=first_tfp)
