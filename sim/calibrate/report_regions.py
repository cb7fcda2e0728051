"""Section 6 of ``calibration/REPORT.md`` and ``figures/regions.png``: Belgium's three regions.

Totals against their sources, the check that the regions add up to Belgium, the regions'
industry shares against published ones, exposure by region (sector x occupation mix) beside the
OECD's regional generative-AI exposure, and the adoption the Flemish curves imply for each
region's sector mix, with the band of the regional shift (docs/calibration.md, section 4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.calibrate import exposure, nace, regional_adoption, regional_exposure, regions
from sim.calibrate.fmt import dec, num
from sim.calibrate.report_tables import sector_table, table

if TYPE_CHECKING:
    from sim.calibrate.pipeline import Calibration

ADOPTION_YEARS = (2027, 2030)


def _pct(x: float) -> str:
    return f"{100 * x:+.2f} %"


def belgium_frame_gap(cal: Calibration) -> dict[str, float]:
    """Largest |sum over regions - Belgium| per section in the Belgian frame (2015 money, 2019
    persons): each region's accounts divided by its scale factors. Zero up to rounding when
    the census shares partition Belgium."""
    be = cal.sections["belgium"]
    out = {"value_added": 0.0, "employment": 0.0}
    for s in nace.SECTIONS:
        va = sum(cal.sections[r.tag].value_added[s] / cal.sections[r.tag].notes[
            "scale_value_added"] for r in regions.REGIONS)
        emp = sum(cal.sections[r.tag].employment[s] / cal.sections[r.tag].notes[
            "scale_employment"] for r in regions.REGIONS)
        out["value_added"] = max(out["value_added"], abs(va - be.value_added[s]))
        out["employment"] = max(out["employment"], abs(emp - be.employment[s]))
    return out


def belgium_2022_employment(cal: Calibration) -> dict[str, float]:
    """Section employment of Belgium 2022 as the sum of the three regions."""
    return {s: sum(cal.sections[r.tag].employment[s] for r in regions.REGIONS)
            for s in nace.SECTIONS}


def exposure_rows(cal: Calibration) -> dict[str, dict[str, float]]:
    """Economy-wide exposure per region (and Belgium = the three regions) per measure, plus
    the share of workers in high-exposure occupations (``high``)."""
    frames = {r.tag: cal.sections[r.tag].employment for r in regions.REGIONS}
    frames["belgium"] = belgium_2022_employment(cal)
    out = {}
    for tag, emp in frames.items():
        row = regional_exposure.economy_wide(cal.exposure, emp)
        row["high"] = regional_exposure.high_exposure_share(cal.exposure, emp)
        out[tag] = row
    return out


def markdown(cal: Calibration) -> list[str]:
    """The lines of section 6."""
    fig = cal.figures
    tot = cal.region_totals
    check = regions.belgium_check(fig, tot)
    L = ["## 6. Belgium's three regions", "",
         "Each region: Belgian sections x the region's census-2011 share of the section's "
         "employment (place of work), national GVA per worker within a section, scaled to the "
         "region's 2022 totals (docs/calibration.md, section 4). Brussels and Wallonia have no "
         "published 2022 GVA level in the data: Flemish GVA 2022 x the IWEPS ratio of the "
         "region's GDP to Flanders' (geometric mean of 2021 and 2023); their employment is the "
         "IWEPS 2022 change x (1 + 1/growth rate).", ""]
    rows = []
    for r in regions.REGIONS:
        s = cal.sections[r.tag]
        k_va, k_emp = s.notes["scale_value_added"], s.notes["scale_employment"]
        rows.append([r.name, dec(tot[r.tag].gva), num(tot[r.tag].gdp_ratio_to_flanders, 4),
                     str(int(round(tot[r.tag].employment))), num(k_va, 4), num(k_emp, 4),
                     num(k_va / k_emp, 4)])
    rows.append(["sum (Belgium 2022)", dec(check["gva"]), "",
                 str(int(round(check["employment"]))), "", "", ""])
    L += table(["region", "GVA 2022 (M EUR)", "GDP ratio to Flanders", "employment 2022",
                "scale on VA", "scale on employment", "VA per worker vs national sector mean"],
               rows)
    gap = belgium_frame_gap(cal)
    share_w = tot["wallonia"].gva / check["gva"]
    L += ["The regions add up to Belgium:", ""]
    L += table(["check", "calibrated", "target", "gap"], [
        ["employment 2022, sum of the regions (persons)", str(int(round(check["employment"]))),
         f"{int(check['belgium_employment'])} (NBB, 2022 Q3)", _pct(check["employment_gap"])],
        ["GVA 2022, sum of the regions (M EUR)", dec(check["gva"]),
         f"{dec(check['belgium_gva'])} (Walloon GVA / its published 22.8 % share)",
         _pct(check["gva_gap"])],
        ["Walloon share of the three regions' GVA 2022", num(share_w, 3),
         num(fig["wallonia_gdp_share_2022"]) + " (Parlement de Wallonie)",
         _pct(share_w / fig["wallonia_gdp_share_2022"] - 1)],
        ["Belgian frame: max abs(sum of regions - Belgium) per section, VA (M EUR)",
         dec(gap["value_added"], 6), "0", ""],
        ["Belgian frame: max abs(sum of regions - Belgium) per section, persons",
         dec(gap["employment"], 6), "0", ""],
    ])
    rows = []
    for r in regions.REGIONS:
        a10 = cal.accounts[(r.tag, "A10")]
        rows.append([r.name, num(a10.va_shares()["B-E"], 3),
                     num(fig[f"{r.tag}_industry_gva_share_2017"]),
                     num(a10.employment_shares()["B-E"], 3),
                     num(fig[f"{r.tag}_industry_employment_share_2017"])])
    L += ["Industry (B-E) against the published 2017 shares (Statistiek Vlaanderen, by region). "
          "The 2015 structure and national productivity within sections overstate industry "
          "everywhere; in Brussels the census counts head-office staff of energy and "
          "manufacturing firms at their Brussels place of work:", ""]
    L += table(["region", "B-E share of GVA", "published 2017", "B-E share of employment",
                "published 2017"], rows)
    for r in regions.REGIONS:
        L += [f"Census 2011 {r.adjective} share of Belgian employment by section: " +
              ", ".join(f"{s} {cal.region_share[r.tag][s]:.3f}" for s in nace.SECTIONS), ""]
    ex = exposure_rows(cal)
    groups = "-".join((regional_exposure.high_exposure_groups(cal.exposure)[0],
                       regional_exposure.high_exposure_groups(cal.exposure)[-1]))
    rows = []
    for tag in (*(r.tag for r in regions.REGIONS), "belgium"):
        name = regions.BY_TAG[tag].name if tag in regions.BY_TAG else "Belgium (sum)"
        oecd = fig.get(f"oecd_genai_exposure_{tag}")
        rows.append([name, *(num(ex[tag][m], 3) for m in exposure.MEASURES),
                     num(ex[tag]["high"], 3), num(oecd) if oecd is not None else ""])
    L += ["### Exposure by region", "",
          "Employment-weighted E0 over the sections (the Belgian occupation mix of each "
          f"section; regions differ only by sector mix) and the share of workers in {groups} "
          f"(ILO 2025 score >= {regional_exposure.HIGH_SCORE}); last column the OECD's "
          "regional generative-AI exposure, a different measure (share of workers for whom "
          "about 20 % of tasks could be done in half the time):", ""]
    L += table(["region", *exposure.MEASURES, f"workers in {groups}", "OECD"], rows)
    order = sorted((r.tag for r in regions.REGIONS), key=lambda t: -ex[t]["ilo2025"])
    ratio = ex["brussels"]["ilo2025"] / ex["belgium"]["ilo2025"]
    ratio_high = ex["brussels"]["high"] / ex["belgium"]["high"]
    ratio_oecd = fig["oecd_genai_exposure_brussels"] / fig["oecd_genai_exposure_belgium"]
    L += ["Ranking by E0 (ILO 2025): " + " > ".join(regions.BY_TAG[t].name for t in order) +
          f". Brussels / Belgium: {ratio:.3f} (E0), {ratio_high:.3f} (workers in {groups}), "
          f"{ratio_oecd:.3f} (OECD).", ""]
    L += ["### Adoption by region", "",
          "Central curves are the Flemish fit for every region (no Brussels or Walloon survey); "
          "the share of workers in adopting firms differs only through the sector mix. The band "
          "is the 10-90 % range of the regional shift of all midpoints (sd "
          f"{cal.assumptions['regional_adoption_shift_sd']:g} year), the fit held central:", ""]
    rows = []
    shift = cal.assumptions["regional_adoption_shift_sd"]
    for r in regions.REGIONS:
        emp = cal.sections[r.tag].employment
        cells = [r.name]
        for year in ADOPTION_YEARS:
            mid = regional_adoption.economy_adoption(cal.fit, cal.size, emp, year)
            if r.tag == "flanders":
                cells.append(f"{num(100 * mid, 3)} (own survey)")
            else:
                lo, hi = regional_adoption.adoption_band(cal.fit, cal.size, emp, year, shift)
                cells.append(f"{num(100 * mid, 3)} [{num(100 * lo, 3)}, {num(100 * hi, 3)}]")
        rows.append(cells)
    L += table(["region", *(f"{y} (%)" for y in ADOPTION_YEARS)], rows)
    for r in regions.REGIONS[1:]:
        for level in ("A10", "A21"):
            L += [f"### {r.tag} {level}", ""]
            L += sector_table(cal.accounts[(r.tag, level)], cal.inputs[(r.tag, level)])
    L += ["![regions](figures/regions.png)", ""]
    return L


def figure(cal: Calibration) -> object:
    """Employment shares by A*10 sector and exposure measures, by region (a matplotlib figure)."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5),
                                      gridspec_kw={"width_ratios": [2, 1]})
    x = np.arange(len(nace.A10))
    for i, r in enumerate(regions.REGIONS):
        shares = cal.accounts[(r.tag, "A10")].employment_shares()
        left.bar(x + (i - 1) * 0.27, [100 * shares[s] for s in nace.A10], 0.27, label=r.name)
    left.set_xticks(x, nace.A10)
    left.set_ylabel("% of the region's employment (2022)")
    left.set_title("Employment by A*10 sector", fontsize=10)
    left.legend(fontsize=8)
    left.grid(axis="y", alpha=0.3)
    ex = exposure_rows(cal)
    tags = (*(r.tag for r in regions.REGIONS), "belgium")
    labels = ("Flanders", "Brussels", "Wallonia", "Belgium")
    y = np.arange(len(tags))
    right.bar(y - 0.27, [100 * ex[t]["ilo2025"] for t in tags], 0.27, label="E0 (ILO 2025)")
    groups = regional_exposure.high_exposure_groups(cal.exposure)
    right.bar(y, [100 * ex[t]["high"] for t in tags], 0.27,
              label=f"workers in {groups[0]}-{groups[-1]}")
    right.bar(y + 0.27, [100 * cal.figures.get(f"oecd_genai_exposure_{t}", np.nan)
                         for t in tags], 0.27, label="OECD GenAI exposure")
    right.set_xticks(y, labels)
    right.set_ylabel("%")
    right.set_ylim(0, 90)
    right.set_title("Exposure by region (different measures)", fontsize=10)
    right.legend(fontsize=8, loc="upper left")
    right.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig
