"""Run the whole calibration: read raw data, compute, write every generated file atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.calibrate import (
    adoption,
    baseline,
    exposure,
    outputs,
    regions,
    report,
    sectors,
    size_weights,
    sources,
    wording,
)
from sim.calibrate.fmt import write_atomic
from sim.calibrate.paths import default_data_dir, default_out_dir

REGIONS = ("flanders", "belgium", "brussels", "wallonia")
OTHER_REGIONS = (regions.BRUSSELS, regions.WALLONIA)  # calibrated beside Flanders (issue 20)
LEVELS = ("A10", "A21")


@dataclass
class Calibration:
    """All computed pieces, kept for the report and for tests."""

    accounts: dict[tuple[str, str], sectors.Accounts]
    exposure: exposure.Exposure
    size: dict[str, dict[str, float]]
    flemish_share: dict[str, float]
    region_share: dict[str, dict[str, float]]  # region tag -> section -> census-2011 share
    region_totals: dict[str, regions.Totals]
    sections: dict[str, sectors.Accounts]  # region tag (and "belgium") -> A*21 accounts
    self_employed_factor: dict[str, float]
    fpb: sectors.FpbTable
    fit: adoption.FitResult
    base: baseline.Baseline
    figures: dict[str, float]
    assumptions: dict[str, float]
    inputs: dict[tuple[str, str], outputs.RegionInputs]


def compute(data_dir: Path) -> Calibration:
    figures = sources.key_values(data_dir, sources.FIGURES)
    assumptions = sources.key_values(data_dir, sources.ASSUMPTIONS)
    be21, fpb, factor = sectors.belgium_sections(data_dir)
    census = sectors.load_census_shares(data_dir)
    shares = {r.tag: census[r.census] for r in regions.REGIONS}
    share = shares["flanders"]
    fl21 = sectors.flanders_sections(be21, share, figures["flanders_gva"],
                                     figures["flanders_employment"])
    region_totals = regions.totals(figures)
    sections = {"flanders": fl21, "belgium": be21}
    for region in OTHER_REGIONS:
        tot = region_totals[region.tag]
        sections[region.tag] = sectors.regional_sections(be21, shares[region.tag], tot.gva,
                                                         tot.employment, region.name)
    acc = {}
    for region in REGIONS:
        for level in LEVELS:
            acc[(region, level)] = sectors.aggregate(sections[region], level)
    exp = exposure.compute(data_dir)
    mean_size = {s: assumptions[f"size_mean_employment_{s}"] for s in size_weights.SIZE_CLASSES}
    size = size_weights.section_weights(data_dir, mean_size)
    fit = adoption.fit(data_dir, assumptions)
    base = baseline.compute(data_dir, be21, figures, assumptions)
    horizon = (int(assumptions["horizon_start"]), int(assumptions["horizon_end"]))
    prior = (assumptions["diffusion_ceiling_low"], assumptions["diffusion_ceiling_high"])
    inputs = {}
    shift = assumptions["regional_adoption_shift_sd"]
    for (region, level), a in acc.items():
        emp21 = sections[region].employment
        if region == "belgium":
            totals = (sum(be21.value_added.values()), sum(be21.employment.values()))
        else:
            totals = (region_totals[region].gva, region_totals[region].employment)
        inputs[(region, level)] = outputs.RegionInputs(
            region, a, exposure.by_sector(exp, level, emp21),
            size_weights.by_sector(size, level, emp21), fit, base, totals[0], totals[1],
            horizon, prior, wording.of(region, *totals),
            0.0 if region in ("flanders", "belgium") else shift)
    return Calibration(acc, exp, size, share, shares, region_totals, sections, factor, fpb,
                       fit, base, figures, assumptions, inputs)


def run_calibration(data_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Regenerate every fitted file under ``out_dir`` from the raw files in ``data_dir``.

    Returns the written paths (YAML fragments, adoption_fit.yaml, REPORT.md, figures/*.png).
    Raises :class:`sim.errors.CalibrationDataError` naming file, line and column when a raw
    file is malformed; nothing is written in that case.
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir()
    cal = compute(data_dir)
    texts: dict[Path, str | bytes] = {}
    for (region, level), inp in sorted(cal.inputs.items()):
        texts[out_dir / f"{region}_{level}.yaml"] = outputs.region_document(inp)
        texts[out_dir / f"{region}_{level}_uncertainty.yaml"] = outputs.uncertainty_document(inp)
    texts[out_dir / "adoption_fit.yaml"] = outputs.fit_document(cal.fit)
    figures = report.figures(cal)
    for name, data in figures.items():
        texts[out_dir / "figures" / name] = data
    texts[out_dir / "REPORT.md"] = report.markdown(cal, sorted(figures))
    written = []
    for path, data in texts.items():
        written.append(write_atomic(path, data))
    # the default scenario's headline, run on the files just written (issue 6, item 7)
    from sim.calibrate.headline import headline_markdown

    report_path = out_dir / "REPORT.md"
    text = str(texts[report_path]) + "\n" + headline_markdown(out_dir)
    write_atomic(report_path, text)
    return written
