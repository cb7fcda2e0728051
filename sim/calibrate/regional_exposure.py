"""A region's exposure from its sector mix and the occupation mix of each sector (MODEL.md 1.1).

The occupation mix of a section is Belgian (Eurostat lfsa_eisn2 has no regional breakdown), so
a region's exposure differs from Belgium's only through its sector mix:

* ``economy_wide``: E0 of the region = sum_j e_j E0_j / sum_j e_j (e_j the region's employment
  in section j), per exposure measure; the mean share of tasks exposed.
* ``occupation_shares``: share of the region's workers in each ISCO-08 major group,
  sum_j e_j w_jo / sum_j e_j.
* ``high_exposure_share``: share of workers in the major groups whose ILO 2025 score is at least
  ``HIGH_SCORE`` (managers, professionals, technicians, clerks). This is the closest analogue
  here of the OECD's regional measure (share of workers for whom about 20 % of tasks could be
  done in half the time), which counts workers above a threshold rather than averaging tasks.
"""

from __future__ import annotations

from sim.calibrate import exposure

HIGH_SCORE = 0.3  # ILO 2025 ISCO-1 score: OC1-OC4 are above, OC5-OC9 below


def economy_wide(exp: exposure.Exposure, employment: dict[str, float]) -> dict[str, float]:
    """Employment-weighted mean E0 over the sections, per measure."""
    total = sum(employment.values())
    return {m: sum(employment[s] * exp.by_section[s][m] for s in employment) / total
            for m in exposure.MEASURES}


def occupation_shares(exp: exposure.Exposure, employment: dict[str, float]) -> dict[str, float]:
    """Share of workers per ISCO-08 major group (OC1-OC9) given the section employment."""
    total = sum(employment.values())
    out = dict.fromkeys(exposure.MAJOR_GROUPS, 0.0)
    for section, persons in employment.items():
        mix = {g: v for g, v in exp.mix[section].items() if g in out}
        weight = sum(mix.values())
        for group, value in mix.items():
            out[group] += persons * value / weight / total
    return out


def high_exposure_groups(exp: exposure.Exposure) -> tuple[str, ...]:
    """Major groups with an ILO 2025 score of at least ``HIGH_SCORE``."""
    return tuple(g for g, v in exp.scores["ilo2025"].items() if v >= HIGH_SCORE)


def high_exposure_share(exp: exposure.Exposure, employment: dict[str, float]) -> float:
    """Share of workers in the high-exposure major groups."""
    shares = occupation_shares(exp, employment)
    return sum(shares[g] for g in high_exposure_groups(exp))
