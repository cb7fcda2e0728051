"""Employment weights omega_js of firm-size classes within each sector (MODEL.md 1.3).

The seeds give firm counts by size class x sector (AI-Barometer 2021, Tabel 1, Flemish firms
with >= 5 employees), not employment. Approximation: employment_js = firms_js x mean size of the
class (assumptions.csv: 7, 20, 100, 1000 persons), normalised within the sector. Barometer
groups map to sections: 10-33 -> C; 35-39 -> D, E; 41-43 -> F; 45-47 -> G; 49-53 -> H;
55-56 -> I; 58-63 -> J; 68-75 -> L, M; 77-82 & 95.1 -> N. Sections the Barometer does not
cover (A, B, K, O-T) use the all-sector size distribution. Employment in firms with fewer than
5 employees and self-employed without staff is outside the Barometer and is not represented.
A*10 weights are employment-weighted means of the member sections.
"""

from __future__ import annotations

from pathlib import Path

from sim.calibrate import nace, sources
from sim.calibrate.readers import read_rows

SIZE_CLASSES = ("micro", "small", "medium", "large")
GROUP_SECTIONS: dict[str, tuple[str, ...]] = {
    "10-33": ("C",), "35-39": ("D", "E"), "41-43": ("F",), "45-47": ("G",), "49-53": ("H",),
    "55-56": ("I",), "58-63": ("J",), "68-75": ("L", "M"), "77-82; 95.1": ("N",),
}


def load_firms(data_dir: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """Barometer group (or 'all') -> size class -> (population firms, usable responses)."""
    rel = sources.FIRMS
    check = sources.checker(data_dir, rel)
    cols = ["size_class", "nace_code", "population_firms", "usable_responses"]
    _, rows = read_rows(data_dir / rel, cols, check)
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for row in rows:
        size = row.cells["size_class"].split("(")[0].strip()
        group = row.cells["nace_code"].strip()
        if size == "all sizes":
            continue
        if not check.known(row, "size_class", size, SIZE_CLASSES, "firm-size class"):
            continue
        if not check.known(row, "nace_code", group, (*GROUP_SECTIONS, "all"),
                           "AI-Barometer NACE group"):
            continue
        out.setdefault(group, {})[size] = (check.number(row, "population_firms"),
                                           check.number(row, "usable_responses"))
    check.raise_if_any()
    return out


def section_weights(data_dir: Path, mean_size: dict[str, float]) -> dict[str, dict[str, float]]:
    """omega_js per section: firms x class mean size, normalised."""
    firms = load_firms(data_dir)

    def norm(counts: dict[str, tuple[float, float]]) -> dict[str, float]:
        emp = {s: counts[s][0] * mean_size[s] for s in SIZE_CLASSES}
        total = sum(emp.values())
        return {s: emp[s] / total for s in SIZE_CLASSES}

    default = norm(firms["all"])
    out = {s: dict(default) for s in nace.SECTIONS}
    for group, members in GROUP_SECTIONS.items():
        for section in members:
            out[section] = norm(firms[group])
    return out


def by_sector(weights: dict[str, dict[str, float]], level: str,
              employment: dict[str, float]) -> dict[str, dict[str, float]]:
    if level == "A21":
        return weights
    out = {}
    for group in nace.sectors_of(level):
        members = [s for s in nace.SECTIONS if nace.group_of(level, s) == group]
        total = sum(employment[s] for s in members)
        out[group] = {c: sum(employment[s] * weights[s][c] for s in members) / total
                      for c in SIZE_CLASSES}
    return out


def firm_shares(data_dir: Path) -> dict[str, float]:
    """Firm-count shares of the size classes (the Barometer's own weights)."""
    firms = load_firms(data_dir)["all"]
    total = sum(v[0] for v in firms.values())
    return {s: firms[s][0] / total for s in SIZE_CLASSES}


def kish_design_effect(data_dir: Path) -> float:
    """Kish deff = n sum(n_h w_h^2) / (sum n_h w_h)^2 with w_h = population/responses by stratum."""
    firms = load_firms(data_dir)
    n_w = [(n, pop / n) for g, d in firms.items() if g != "all" for pop, n in d.values() if n]
    n = sum(x for x, _ in n_w)
    return n * sum(x * w * w for x, w in n_w) / sum(x * w for x, w in n_w) ** 2
