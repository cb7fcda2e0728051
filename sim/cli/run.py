"""``aisim run``: simulate a scenario, write netCDF or zarr (paths or summaries only), print the
headline gains at milestone years and per sector."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from sim.cli.arguments import EXIT_OK, declare_outputs, draw_count, positive_int, seed_value
from sim.errors import InputError, Problem


def milestones(years: np.ndarray) -> list[int]:
    """Years to show: every fifth year after the start, and the horizon."""
    start, end = int(years[0]), int(years[-1])
    picks = [y for y in range(start + 5, end + 1, 5)]
    if end not in picks:
        picks.append(end)
    return picks


def median_interval(summary: xr.Dataset, var: str, **sel: object) -> str:
    """'median [p5, p95]' over draws, or the single value for one draw."""
    q = summary[f"{var}_quantile"].sel(**sel)
    if int(summary.attrs.get("summary_of_draws", 1)) == 1:
        return f"{float(q.sel(quantile=0.5)):8.3f}"
    lo, mid, hi = (float(q.sel(quantile=p)) for p in (0.05, 0.5, 0.95))
    return f"{mid:7.3f} [{lo:6.2f}, {hi:6.2f}]"


def headline_table(summary: xr.Dataset) -> str:
    """A short text table of the headline gains at milestone years and per sector."""
    draws = int(summary.attrs.get("summary_of_draws", 1))
    label = "value" if draws == 1 else "median [5 %, 95 %] over draws"
    lines = [f"Scenario {summary.attrs.get('scenario_name', '?')}: {draws:,} draw(s); "
             f"gains in % vs the no-AI baseline ({label})", ""]
    heads = [("TFP", "tfp_gain_pct"), ("GDP", "gdp_gain_pct"),
             ("Labour productivity", "labour_productivity_gain_pct"),
             ("Employment", "employment_gain_pct"),
             ("Unemployment rate (pp)", "unemployment_rate_change_pp")]
    width = max(len(h[0]) for h in heads)
    years = milestones(summary["year"].values)
    col = 10 if draws == 1 else 24
    lines.append(" " * (width + 2) + "".join(f"{y:>{col}d}" for y in years))
    for title, var in heads:
        row = "".join(f"{median_interval(summary, var, year=y):>{col}s}" for y in years)
        lines.append(f"{title:<{width}}  {row}")
    lines += ["", "Why GDP moves (pp of the GDP gain, means over draws): TFP + capital "
              "deepening + employment + demand gap"]
    for y in years:
        parts = [float(summary[f"gdp_from_{p}_pp_mean"].sel(year=y))
                 for p in ("tfp", "capital", "employment", "demand")]
        lines.append(f"  {y}: {float(summary['gdp_gain_pct_mean'].sel(year=y)):7.3f} = "
                     + " ".join(f"{x:+.3f}" for x in parts))
    end = int(summary["year"].values[-1])
    lines += ["", f"By sector in {end} (medians): TFP gain %, value added gain %, "
              "employment gain %, exposure, adoption, affected share"]
    med = summary.sel(year=end, quantile=0.5)
    for code in summary["sector"].values:
        s = med.sel(sector=code)
        lines.append(
            f"  {str(code):<6s} {float(s['sector_tfp_gain_pct_quantile']):8.3f}"
            f" {float(s['sector_value_added_gain_pct_quantile']):8.3f}"
            f" {float(s['sector_employment_gain_pct_quantile']):8.3f}"
            f"   E={float(s['exposure_quantile']):.3f}  D={float(s['adoption_quantile']):.3f}"
            f"  a={float(s['affected_share_quantile']):.4f}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from sim.runner.engine import RunSettings, run
    from sim.runner.results import write_netcdf, write_results
    from sim.runner.stream import run_to_store
    from sim.runner.summary import convergence, summarize
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario, args.set)
    out = Path(args.out) if args.out else Path("out") / f"{Path(args.scenario).stem}.nc"
    if out.suffix not in {".nc", ".zarr"}:
        raise InputError([Problem.command_line("--out", "a path ending in .nc or .zarr", str(out))])
    declare_outputs(args, ("--out", out))
    settings = RunSettings.from_scenario(loaded.scenario, args.draws, args.seed, args.sampler,
                                         args.chunk_size)
    if settings.draws == 1 and out.suffix == ".nc" and not args.summary_only:
        ds = run(loaded, draws=1, seed=settings.seed, sampler=settings.sampler)
        write_netcdf(ds, out)
        summary = summarize(ds)
    else:
        result = run_to_store(loaded, settings, out, summary_only=args.summary_only,
                              quiet=args.quiet)
        summary = result.summary
        if args.summary_only:
            write_results(summary, out)
    if not args.quiet:
        print(headline_table(summary))
        if settings.draws > 1:
            for var in ("tfp_gain_pct", "gdp_gain_pct"):
                print(convergence(summary, var, args.tolerance).message())
        print(f"\nwrote {out}" + (" (summary statistics only)" if args.summary_only else ""))
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim run``."""
    p = sub.add_parser("run", help="simulate a scenario and write netCDF")
    p.add_argument("scenario")
    p.add_argument("--out", "-o", help="output .nc or .zarr (default out/<scenario>.nc)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value (validated like the file)")
    p.add_argument("--draws", type=draw_count)
    p.add_argument("--seed", type=seed_value)
    p.add_argument("--sampler", choices=["mc", "lhs", "sobol"])
    p.add_argument("--chunk-size", type=positive_int)
    p.add_argument("--summary-only", action="store_true",
                   help="keep only statistics over draws (bounded memory and disk)")
    p.add_argument("--tolerance", type=float, default=0.01,
                   help="convergence tolerance for headline quantiles, in pp (default 0.01)")
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(func=cmd_run)
