"""Sector structure for Belgium and its regions (A*21 sections and A*10 groups).

Belgium: FPB input-output table 2015 (industry x industry, domestic production, tbl_10bis) for
value added B.1g, output P.1, compensation D.1 and the domestic intermediate matrix Z; hours
worked from tbl_8bis; persons employed from NBB 2019 (A*64). Labour share sL_j (MODEL.md 2.1)
adds the self-employed: sL_j = D.1_j x (LAB/COMP)_j / B.1g_j with LAB/COMP from EU KLEMS 2017
for Belgium, 2015. Omega (MODEL.md 3.2) = Z[seller, buyer] / P.1[buyer] (buyer -> seller).

Regions (Flemish, Brussels-Capital and Walloon Region): each section's Belgian employment and
value added is multiplied by the region's share of that section's Belgian employment in the
census 2011 (place of work), and the results are scaled to the region's 2022 totals (Flanders:
Statistiek Vlaanderen, 296.9 bn EUR GVA, 3,016,334 persons; Brussels and Wallonia: see
sim/calibrate/regions.py). Ratios (output/VA, D.1/VA, hours/person, labour share, IO
coefficients) stay national.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.calibrate import nace, sources
from sim.calibrate.readers import read_grid, read_rows

DOMESTIC_TOTAL_LABEL = "Intermediair/finaal verbruik (binnenlandse output)"
HOURS_LABEL = "Arbeidsvolume (miljoenen uren)"
NOS_MIXED = "B.2n+B3.n"
FPB_ROWS = ("D.1", "B.1g", "P.1", "P.51c", NOS_MIXED)


@dataclass
class FpbTable:
    """The FPB 2015 industry-by-industry table at A*64 (million EUR, 2015)."""

    codes: list[str]
    section: dict[str, str]
    z_domestic: dict[str, dict[str, float]]  # seller code -> buyer code -> million EUR
    rows: dict[str, dict[str, float]]  # D.1, B.1g, P.1, P.51c, domestic total, hours
    column_line: int = 1


@dataclass
class Accounts:
    """One sector set for one region; money in million EUR, hours in million, persons."""

    region: str
    level: str
    base_year_money: int
    codes: tuple[str, ...]
    value_added: dict[str, float]
    gross_output: dict[str, float]
    labour_compensation: dict[str, float]
    labour_share: dict[str, float]
    employment: dict[str, float]
    hours: dict[str, float]
    intermediate_domestic: dict[str, float]
    z_domestic: dict[str, dict[str, float]]
    cfc: dict[str, float]
    notes: dict[str, float] = field(default_factory=dict)

    def omega(self) -> dict[str, dict[str, float]]:
        """Omega[buyer][seller] = Z[seller][buyer] / output[buyer] (MODEL.md 3.2)."""
        return {b: {s: self.z_domestic[s][b] / self.gross_output[b] for s in self.codes}
                for b in self.codes}

    def va_shares(self) -> dict[str, float]:
        total = sum(self.value_added.values())
        return {c: self.value_added[c] / total for c in self.codes}

    def employment_shares(self) -> dict[str, float]:
        total = sum(self.employment.values())
        return {c: self.employment[c] / total for c in self.codes}


def _fpb_grid(data_dir: Path, rel: str, wanted: tuple[str, ...]) -> FpbTable:
    """Parse one FPB IOT sheet (codes on line 1, labels on line 2, row code in column 1)."""
    check = sources.checker(data_dir, rel)
    grid = read_grid(data_dir / rel, check)
    header = grid[0]
    ncol = len(header.cells)
    columns: list[tuple[str, str]] = []  # (position, code)
    for pos in range(2, ncol):
        code = header.cells[str(pos)].strip()
        if not code:
            break
        if code.startswith("P.") or code.startswith("P3"):
            break
        if nace.section_of_a64(code) is None:
            check.add(header.line, f"column {pos + 1}", "a NACE A*64 industry code known to "
                      "the mapping", repr(code))
            continue
        columns.append((str(pos), code))
    codes = [c for _, c in columns]
    z: dict[str, dict[str, float]] = {}
    rows: dict[str, dict[str, float]] = {}
    for row in grid[2:]:
        key = row.cells.get("0", "").strip()
        label = row.cells.get("1", "").strip()
        is_industry = bool(key) and key[0].isdigit()
        name = key if key else label
        if not (is_industry or name in wanted):
            continue
        if is_industry and key not in codes:
            check.add(row.line, "column 1", "a NACE A*64 industry code known to the mapping",
                      repr(key))
            continue
        values = {code: check.number(row, pos, blank=0.0 if is_industry else None,
                                     label=f"column {code!r} (row {name})")
                  for pos, code in columns}
        if is_industry:
            z[key] = values
        else:
            rows[name] = values
    if not z and "D.1" in wanted:
        check.add(None, "rows", "an industry-by-industry block", "no industry rows")
    for name in wanted:
        if name not in rows:
            check.add(None, f"row {name!r}", "a row with this code or label", "missing")
    check.raise_if_any()
    return FpbTable(codes, {c: nace.section_of_a64(c) or "" for c in codes}, z, rows)


def load_fpb(data_dir: Path) -> FpbTable:
    """FPB 2015: domestic Z and accounts rows from tbl_10bis, hours from tbl_8bis."""
    dom = _fpb_grid(data_dir, sources.FPB_DOMESTIC, (*FPB_ROWS, DOMESTIC_TOTAL_LABEL))
    tot = _fpb_grid(data_dir, sources.FPB_TOTAL, (HOURS_LABEL,))
    if tot.codes != dom.codes:
        check = sources.checker(data_dir, sources.FPB_TOTAL)
        check.add(1, "columns", "the same industry columns as " + sources.FPB_DOMESTIC,
                  "different columns")
        check.raise_if_any()
    dom.rows[HOURS_LABEL] = tot.rows[HOURS_LABEL]
    return dom


def load_nbb_employment(data_dir: Path, fpb_codes: list[str]) -> dict[str, float]:
    """NBB 2019 persons employed per A*64 code (sector code = section letter + FPB code)."""
    rel = sources.NBB_EMPLOYMENT
    check = sources.checker(data_dir, rel)
    _, rows = read_rows(data_dir / rel, ["sector", "total_employed"], check)
    known = {}
    for code in fpb_codes:
        base = code.rstrip("_")
        if base.endswith("a"):
            continue  # 68a imputed rents: no employment
        known[nace.section_of_a64(code) + ("97-98" if base == "97" else base)] = code
    out: dict[str, float] = {}
    for row in rows:
        sector = row.cells["sector"].strip()
        value = check.number(row, "total_employed")
        if check.known(row, "sector", sector, known, "NACE A*64 sector code"):
            out[known[sector]] = value
    check.raise_if_any()
    return out


def load_klems(data_dir: Path, var: str) -> dict[str, dict[int, float]]:
    """EU KLEMS 2017 Belgium: code -> year -> value (blank cells skipped)."""
    rel = sources.KLEMS.format(var=var)
    check = sources.checker(data_dir, rel)
    header, rows = read_rows(data_dir / rel, ["code", f"{var}2015"], check)
    years = [(h, int(h[len(var):])) for h in header if h.startswith(var) and
             h[len(var):].isdigit()]
    out: dict[str, dict[int, float]] = {}
    for row in rows:
        series = {}
        for column, year in years:
            if row.cells.get(column, "").strip():
                series[year] = check.number(row, column)
        out[row.cells["code"].strip()] = series
    check.raise_if_any()
    return out


# EU KLEMS 2017 industry whose LAB/COMP ratio adjusts each section's D.1 for the self-employed.
KLEMS_CODE_OF_SECTION: dict[str, str] = {
    "A": "A", "B": "B", "C": "C", "D": "D-E", "E": "D-E", "F": "F", "G": "G", "H": "H",
    "I": "I", "J": "J", "K": "K", "L": "L", "M": "M-N", "N": "M-N", "O": "O", "P": "P",
    "Q": "Q", "R": "R", "S": "S", "T": "T",
}


def self_employed_factor(data_dir: Path, year: int = 2015) -> dict[str, float]:
    """LAB/COMP per section (EU KLEMS 2017, Belgium): labour income incl. self-employed / D.1."""
    lab = load_klems(data_dir, "LAB")
    comp = load_klems(data_dir, "COMP")
    out = {}
    for section, code in KLEMS_CODE_OF_SECTION.items():
        c = comp.get(code, {}).get(year)
        la = lab.get(code, {}).get(year)
        if not c or la is None:
            check = sources.checker(data_dir, sources.KLEMS.format(var="LAB"))
            check.add(None, f"code {code} {year}", "LAB and COMP values", "missing")
            check.raise_if_any()
        out[section] = la / c
    return out


FLEMISH_REGION = "Vlaams Gewest"


def load_census_shares(data_dir: Path) -> dict[str, dict[str, float]]:
    """Each region's share of Belgian employment (place of work) per section, census 2011.

    Keys are the census labels of the regions ("Vlaams Gewest", "Brussels Hoofdstedelijk
    Gewest", "Waals Gewest"); the shares of the regions sum to one in every section.
    """
    rel = sources.CENSUS
    check = sources.checker(data_dir, rel)
    level1 = "Plaats van tewerkstelling niveau 1"
    level2 = "Plaats van tewerkstelling niveau 2"
    sector1, sector2, value = "Bedrijfstak niveau 1", "Bedrijfstak niveau 2", "Werkende bevolking"
    _, rows = read_rows(data_dir / rel, [level1, level2, sector1, sector2, value], check)
    by_region: dict[str, dict[str, float]] = {}
    total: dict[str, float] = dict.fromkeys(nace.SECTIONS, 0.0)
    for row in rows:
        if row.cells[level1].strip() != "In België":
            continue
        label = row.cells[sector2].strip() or row.cells[sector1].strip()
        code = label.split(":")[0].strip()
        if not check.known(row, sector2 if row.cells[sector2].strip() else sector1, code,
                           nace.SECTIONS, "NACE section letter"):
            continue
        persons = check.number(row, value)
        total[code] += persons
        region = by_region.setdefault(row.cells[level2].strip(),
                                      dict.fromkeys(nace.SECTIONS, 0.0))
        region[code] += persons
    check.raise_if_any()
    return {name: {s: persons[s] / total[s] for s in nace.SECTIONS}
            for name, persons in sorted(by_region.items())}


def load_census_flemish_share(data_dir: Path) -> dict[str, float]:
    """Flemish Region share of Belgian employment (place of work) per section, census 2011."""
    return load_census_shares(data_dir)[FLEMISH_REGION]


def imputed_self_employed_income(d1: dict[str, float], nos: dict[str, float],
                                  factor: dict[str, float]) -> dict[str, float]:
    """Self-employed labour income per section from KLEMS LAB/COMP (see module docstring)."""
    groups: dict[str, list[str]] = {}
    for section, code in KLEMS_CODE_OF_SECTION.items():
        groups.setdefault(code, []).append(section)
    out: dict[str, float] = {}
    for members in groups.values():
        extra = (factor[members[0]] - 1.0) * sum(d1[s] for s in members)
        base = sum(max(nos[s], 0.0) for s in members)
        for s in members:
            out[s] = extra * (max(nos[s], 0.0) / base if base > 0 else 1.0 / len(members))
    return out


def belgium_sections(data_dir: Path) -> tuple[Accounts, FpbTable, dict[str, float]]:
    """Belgium at A*21: FPB 2015 money and hours, NBB 2019 persons, KLEMS-adjusted sL."""
    fpb = load_fpb(data_dir)
    emp64 = load_nbb_employment(data_dir, fpb.codes)
    factor = self_employed_factor(data_dir)
    codes = nace.SECTIONS
    zero = dict.fromkeys(codes, 0.0)
    va, go, d1, hours, emp, dom, cfc = (dict(zero) for _ in range(7))
    z = {s: dict(zero) for s in codes}
    for code in fpb.codes:
        s = fpb.section[code]
        va[s] += fpb.rows["B.1g"][code]
        go[s] += fpb.rows["P.1"][code]
        d1[s] += fpb.rows["D.1"][code]
        cfc[s] += fpb.rows["P.51c"][code]
        hours[s] += fpb.rows[HOURS_LABEL][code]
        dom[s] += fpb.rows[DOMESTIC_TOTAL_LABEL][code]
        emp[s] += emp64.get(code, 0.0)
        for seller, buyers in fpb.z_domestic.items():
            z[fpb.section[seller]][s] += buyers[code]
    nos = dict(zero)
    for code in fpb.codes:
        nos[fpb.section[code]] += fpb.rows[NOS_MIXED][code]
    imputed = imputed_self_employed_income(d1, nos, factor)
    share = {s: (d1[s] + imputed[s]) / va[s] for s in codes}
    acc = Accounts("Belgium", "A21", 2015, codes, va, go, d1, share, emp, hours, dom, z, cfc)
    return acc, fpb, factor


def aggregate(acc: Accounts, level: str) -> Accounts:
    """Sum A*21 accounts to ``level``; sL is the VA-weighted mean (sum of labour incomes)."""
    if level == "A21":
        return acc
    codes = nace.sectors_of(level)
    zero = dict.fromkeys(codes, 0.0)
    out = {name: dict(zero) for name in ("va", "go", "d1", "lab", "emp", "hours", "dom", "cfc")}
    z = {s: dict(zero) for s in codes}
    for s in acc.codes:
        g = nace.group_of(level, s)
        out["va"][g] += acc.value_added[s]
        out["go"][g] += acc.gross_output[s]
        out["d1"][g] += acc.labour_compensation[s]
        out["lab"][g] += acc.labour_share[s] * acc.value_added[s]
        out["emp"][g] += acc.employment[s]
        out["hours"][g] += acc.hours[s]
        out["dom"][g] += acc.intermediate_domestic[s]
        out["cfc"][g] += acc.cfc[s]
        for b in acc.codes:
            z[g][nace.group_of(level, b)] += acc.z_domestic[s][b]
    share = {g: out["lab"][g] / out["va"][g] for g in codes}
    return Accounts(acc.region, level, acc.base_year_money, codes, out["va"], out["go"],
                    out["d1"], share, out["emp"], out["hours"], out["dom"], z, out["cfc"],
                    dict(acc.notes))


def regional_sections(be: Accounts, share: dict[str, float], gva_total: float,
                      employment_total: float, name: str, base_year: int = 2022) -> Accounts:
    """A region at A*21: Belgian sections x the region's census share, scaled to its totals.

    Employment_j = Belgian employment_j x share_j and value added_j = Belgian GVA_j x share_j
    (national GVA per worker within a section), each scaled by one factor to the region's
    published totals; output, D.1, intermediate use, CFC and Z keep the Belgian ratios to GVA,
    hours the Belgian hours per person; labour shares stay national.
    """
    codes = be.codes
    raw_emp = {s: be.employment[s] * share[s] for s in codes}
    raw_va = {s: be.value_added[s] * share[s] for s in codes}
    k_emp = employment_total / sum(raw_emp.values())
    k_va = gva_total / sum(raw_va.values())
    emp = {s: raw_emp[s] * k_emp for s in codes}
    va = {s: raw_va[s] * k_va for s in codes}
    ratio = {s: va[s] / be.value_added[s] for s in codes}
    go = {s: be.gross_output[s] * ratio[s] for s in codes}
    d1 = {s: be.labour_compensation[s] * ratio[s] for s in codes}
    dom = {s: be.intermediate_domestic[s] * ratio[s] for s in codes}
    cfc = {s: be.cfc[s] * ratio[s] for s in codes}
    hours = {s: be.hours[s] * (emp[s] / be.employment[s]) if be.employment[s] else 0.0
             for s in codes}
    z = {a: {b: be.z_domestic[a][b] * ratio[b] for b in codes} for a in codes}
    notes = {"scale_employment": k_emp, "scale_value_added": k_va}
    return Accounts(name, "A21", base_year, codes, va, go, d1, dict(be.labour_share),
                    emp, hours, dom, z, cfc, notes)


def flanders_sections(be: Accounts, flemish_share: dict[str, float], gva_total: float,
                      employment_total: float) -> Accounts:
    """Flemish Region at A*21, base year 2022 (see module docstring for the method)."""
    return regional_sections(be, flemish_share, gva_total, employment_total, "Flemish Region")


def column_sums(z: dict[str, dict[str, float]]) -> dict[str, float]:
    """Sum over sellers of each buyer's column of Z."""
    buyers = next(iter(z.values())).keys()
    return {b: float(np.sum([z[a][b] for a in z])) for b in buyers}
