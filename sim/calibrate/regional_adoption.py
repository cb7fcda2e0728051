"""Diffusion for a region without its own survey (Brussels, Wallonia): the Flemish fit, wider.

The AI-Barometer samples Flemish firms only, and no Brussels or Walloon series of the same
question exists in the data (Statbel's ICT survey is national, firms with 10+ employees and a
different question). The regions therefore keep the Flemish size-class curves (central values
unchanged) and the Flemish within-sector size weights, so their aggregate adoption differs from
Flanders' only through their sector mix. Their uncertainty adds one common shift delta of all
class midpoints, delta ~ N(0, shift_sd^2) (assumptions.csv ``regional_adoption_shift_sd``): the
region may be ahead of or behind Flanders as a whole. With m_s = fit_s + e_s + delta:

* sd(m_s) = sqrt(sd_s^2 + shift_sd^2), sd_s the bootstrap sd of the Flemish midpoint;
* corr(m_s, steepness_s) = corr_s x sd_s / sd(m_s) (delta is independent of the fit);
* corr(m_s, m_t) = shift_sd^2 / (sd(m_s) sd(m_t)) (the shared shift; the Flemish file, like the
  sampler, ignores the bootstrap's between-class midpoint correlations).
"""

from __future__ import annotations

import math

from sim.calibrate import adoption


def midpoint_sd(fit_sd: float, shift_sd: float) -> float:
    """sd of a class midpoint with the regional shift added."""
    return math.sqrt(fit_sd * fit_sd + shift_sd * shift_sd)


def correlation_pairs(fit: adoption.FitResult,
                      shift_sd: float) -> list[tuple[str, str, float]]:
    """Rank-correlation pairs of the diffusion leaves (dotted paths) with the regional shift."""
    summ = adoption.summary(fit)
    corr = adoption.correlations(fit)
    sd = {s: summ[f"midpoint_{s}"]["sd"] for s in adoption.SIZE_CLASSES}
    wide = {s: midpoint_sd(sd[s], shift_sd) for s in adoption.SIZE_CLASSES}
    pairs: list[tuple[str, str, float]] = []
    for i, s in enumerate(adoption.SIZE_CLASSES, start=1):
        rho = float(corr[0, i]) * sd[s] / wide[s]
        pairs.append((f"diffusion.size_classes.{s}.midpoint",
                      f"diffusion.size_classes.{s}.steepness", rho))
    if shift_sd > 0:
        for i, s in enumerate(adoption.SIZE_CLASSES):
            for t in adoption.SIZE_CLASSES[i + 1:]:
                rho = shift_sd * shift_sd / (wide[s] * wide[t])
                pairs.append((f"diffusion.size_classes.{s}.midpoint",
                              f"diffusion.size_classes.{t}.midpoint", rho))
    return pairs


def economy_adoption(fit: adoption.FitResult, size: dict[str, dict[str, float]],
                     employment: dict[str, float], year: float) -> float:
    """Employment-weighted share of workers in adopting firms: sum_j e_j sum_s w_js D_s(t)."""
    total = sum(employment.values())
    return float(sum(employment[j] * sum(size[j][s] * fit.curve(s, year)
                                         for s in adoption.SIZE_CLASSES)
                     for j in employment) / total)


def adoption_band(fit: adoption.FitResult, size: dict[str, dict[str, float]],
                  employment: dict[str, float], year: float,
                  shift_sd: float) -> tuple[float, float]:
    """Economy-wide adoption in ``year`` with every midpoint shifted by -/+ 1.2816 shift_sd
    (the 10-90 % range of the regional shift alone, the fit held at its central values)."""
    z = 1.2816 * shift_sd
    out = []
    for delta in (z, -z):  # a later midpoint means less adoption
        out.append(economy_adoption(fit, size, employment, year - delta))
    return out[0], out[1]

