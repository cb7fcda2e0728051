"""Exposure E0_j per sector (MODEL.md 1.1) from occupation-level AI exposure.

E0_j = sum_o w_jo x e_o, where w_jo is occupation o's share of sector j's employment in Belgium
(Eurostat LFS lfsa_eisn2, 2024, ISCO-08 major groups OC1..OC9, thousand persons) and e_o the
major group's exposure score. Measures:

* ``ilo2025`` (default): ILO Gmyrek et al. (2025) ``mean_score_2025`` per ISCO-08 4-digit
  occupation, averaged without weights within each major group (no Belgian 4-digit weights).
* ``ilo2025_usweighted``: the same with US OEWS 2021 employment weights (derived table).
* ``eloundou_beta`` / ``eloundou_human_beta``: Eloundou et al. (2024) beta (E1 + 0.5 E2), GPT-4
  and human ratings, mapped O*NET-SOC -> ISCO-08 with US weights (derived table).
* ``felten_aioe``: Felten, Raj & Seamans AIOE is a z-score; it is mapped to [0, 1] by min-max
  over the ISCO-08 4-digit occupations of the derived table. Its level is therefore arbitrary:
  it ranks sectors but is left out of the uncertainty range of E0.

Armed forces (OC0) have no ILO or Felten score and are dropped from every measure's weights.
Section B (all Belgian cells confidential) uses the pooled 2024 mix of the Netherlands, France
and Germany. Cells that are blank in the extract (":" not available/confidential) are skipped.
A*10 values are employment-weighted means of the member sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.calibrate import nace, sources
from sim.calibrate.readers import read_rows

MAJOR_GROUPS = tuple(f"OC{i}" for i in range(1, 10))
MEASURES = ("ilo2025", "ilo2025_usweighted", "eloundou_beta", "eloundou_human_beta",
            "felten_aioe")
RANGE_MEASURES = ("ilo2025", "ilo2025_usweighted", "eloundou_beta", "eloundou_human_beta")
LFS_YEAR = "2024"
FALLBACK_GEOS = ("Netherlands", "France", "Germany")
_ISCO1_COLUMNS = {"ilo2025_usweighted": "ilo_gmyrek2025_usweighted",
                  "eloundou_beta": "eloundou_gpt4_beta",
                  "eloundou_human_beta": "eloundou_human_beta",
                  "felten_aioe": "felten_aioe"}


@dataclass
class Exposure:
    """Scores per ISCO major group, occupation mix per section and the sector results."""

    scores: dict[str, dict[str, float]]  # measure -> OCx -> score in [0, 1]
    mix: dict[str, dict[str, float]]  # section -> OCx -> thousand persons
    mix_source: dict[str, str]  # section -> "Belgium" or the fallback
    by_section: dict[str, dict[str, float]]  # section -> measure -> E0
    felten_min: float
    felten_max: float


def load_ilo_isco1(data_dir: Path) -> dict[str, float]:
    """Unweighted mean of ILO 2025 4-digit scores per major group."""
    rel = sources.ILO_ISCO4
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["ISCO_08", "mean_score_2025"], check)
    acc: dict[str, list[float]] = {}
    for row in rows:
        code = row.cells["ISCO_08"].strip().zfill(4)
        score = check.number(row, "mean_score_2025")
        acc.setdefault("OC" + code[0], []).append(score)
    check.raise_if_any()
    return {g: sum(v) / len(v) for g, v in sorted(acc.items()) if g in MAJOR_GROUPS}


def felten_range(data_dir: Path) -> tuple[float, float]:
    """Min and max of Felten AIOE over ISCO-08 4-digit occupations (derived table)."""
    rel = sources.EXPOSURE_ISCO4
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["isco08", "felten_aioe_wmean"], check)
    values = [check.number(r, "felten_aioe_wmean") for r in rows
              if r.cells["felten_aioe_wmean"].strip()]
    check.raise_if_any()
    return min(values), max(values)


def load_scores(data_dir: Path) -> tuple[dict[str, dict[str, float]], float, float]:
    """All measures per major group, each in [0, 1]."""
    rel = sources.EXPOSURE_ISCO1
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["isco08_major", *_ISCO1_COLUMNS.values()], check)
    lo, hi = felten_range(data_dir)
    scores: dict[str, dict[str, float]] = {m: {} for m in MEASURES}
    scores["ilo2025"] = load_ilo_isco1(data_dir)
    for row in rows:
        group = row.cells["isco08_major"].strip()
        if group == "OC0":
            continue
        if not check.known(row, "isco08_major", group, MAJOR_GROUPS, "ISCO-08 major group"):
            continue
        for measure, column in _ISCO1_COLUMNS.items():
            value = check.number(row, column)
            scores[measure][group] = (value - lo) / (hi - lo) if measure == "felten_aioe" \
                else value
    check.raise_if_any()
    return scores, lo, hi


def load_mix(data_dir: Path) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Employment by section x ISCO major group, Belgium 2024 (fallback pool for empty sections)."""
    rel = sources.LFS
    check = sources.checker(data_dir, rel)
    columns = ["geo", "nace_r2", "isco08", "year", "value_thousand_persons"]
    _, rows = read_rows(data_dir / rel, columns, check)
    allowed = (*nace.SECTIONS, "U")
    by_geo: dict[str, dict[str, dict[str, float]]] = {}
    for row in rows:
        section = row.cells["nace_r2"].strip()
        if not check.known(row, "nace_r2", section, allowed, "NACE section letter"):
            continue
        group = row.cells["isco08"].strip()
        if not check.known(row, "isco08", group, (*MAJOR_GROUPS, "OC0"), "ISCO-08 major group"):
            continue
        if not row.cells["value_thousand_persons"].strip():
            continue
        value = check.number(row, "value_thousand_persons")
        if row.cells["year"].strip() != LFS_YEAR or group == "OC0":
            continue
        geo = by_geo.setdefault(row.cells["geo"].strip(), {})
        cell = geo.setdefault(section, {})
        cell[group] = cell.get(group, 0.0) + value
    check.raise_if_any()
    mix: dict[str, dict[str, float]] = {}
    origin: dict[str, str] = {}
    belgium = by_geo.get("Belgium", {})
    for section in nace.SECTIONS:
        if belgium.get(section):
            mix[section], origin[section] = dict(belgium[section]), "Belgium"
            continue
        pooled: dict[str, float] = {}
        for geo in FALLBACK_GEOS:
            for group, value in by_geo.get(geo, {}).get(section, {}).items():
                pooled[group] = pooled.get(group, 0.0) + value
        mix[section], origin[section] = pooled, "+".join(FALLBACK_GEOS)
    return mix, origin


def weighted(mix: dict[str, float], score: dict[str, float]) -> float:
    """sum_o w_o e_o / sum_o w_o over the major groups that have both (MODEL.md 1.1, E0_j)."""
    num = sum(v * score[g] for g, v in mix.items() if g in score)
    den = sum(v for g, v in mix.items() if g in score)
    return num / den


def compute(data_dir: Path) -> Exposure:
    scores, lo, hi = load_scores(data_dir)
    mix, origin = load_mix(data_dir)
    by_section = {s: {m: weighted(mix[s], scores[m]) for m in MEASURES} for s in nace.SECTIONS}
    return Exposure(scores, mix, origin, by_section, lo, hi)


def by_sector(exp: Exposure, level: str,
              employment: dict[str, float]) -> dict[str, dict[str, float]]:
    """E0 per sector of ``level``; A*10 = employment-weighted mean of member sections."""
    if level == "A21":
        return exp.by_section
    out: dict[str, dict[str, float]] = {}
    for group in nace.sectors_of(level):
        members = [s for s in nace.SECTIONS if nace.group_of(level, s) == group]
        total = sum(employment[s] for s in members)
        out[group] = {m: sum(employment[s] * exp.by_section[s][m] for s in members) / total
                      for m in MEASURES}
    return out


def triangular(values: dict[str, float]) -> dict[str, float]:
    """Spread across measures as a triangular distribution with the ILO 2025 value as mode."""
    spread = [values[m] for m in RANGE_MEASURES]
    return {"low": min(spread), "mode": values["ilo2025"], "high": max(spread)}
