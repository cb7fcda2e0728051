"""``aisim sensitivity``: Sobol or Morris indices per year (and sector) to netCDF, with an
optional figure (docs/sweeps.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sim.cli.arguments import declare_outputs, positive_int, seed_value
from sim.errors import InputError, Problem

#: the outputs analysed by default: ``sim.analysis.sensitivity.DEFAULT_OUTPUTS``, repeated here
#: so that ``--help`` imports no numpy (tests/test_startup.py checks that they are equal)
DEFAULT_OUTPUTS = ("tfp_gain_pct", "gdp_gain_pct", "employment_gain_pct",
                   "sector_tfp_gain_pct")


def cmd_sensitivity(args: argparse.Namespace) -> int:
    import numpy as np

    from sim.analysis.sensitivity import check_method, index_warnings, sensitivity
    from sim.present.analysis_figures import plot_indices
    from sim.runner.results import write_netcdf
    from sim.scenario.loader import scenario_file

    scenario = scenario_file(args.scenario)  # a path, or aisim:NAME
    if not scenario.is_file():
        raise InputError([Problem.command_line("scenario", "a scenario file", str(scenario))])
    out = Path(args.out) if args.out else Path("out") / f"{scenario.stem}-sensitivity.nc"
    if out.suffix != ".nc":
        raise InputError([Problem.command_line("--out", "a path ending in .nc", str(out))])
    if args.plot and Path(args.plot).suffix.lower() not in {".png", ".pdf", ".svg"}:
        raise InputError([Problem.command_line("--plot", "a .png, .pdf or .svg path", args.plot)])
    check_method(args.method)
    declare_outputs(args, ("--out", out), ("--plot", args.plot))
    ds = sensitivity(scenario, method=args.method, n=args.n, params=args.param,
                     outputs=args.output, years=args.year, seed=args.seed, overrides=args.set,
                     resamples=args.resamples, conf_level=args.conf_level)
    warnings = index_warnings(ds)
    if warnings:  # kept with the indices, so that -q loses nothing
        ds.attrs["index_warnings"] = "\n".join(warnings)
    write_netcdf(ds, out)
    if args.plot:
        plot_indices(ds, args.plot, sector=args.plot_sector)
    if not args.quiet:  # -q prints nothing but errors; the file's attrs keep the warnings
        for text in warnings:
            print(f"aisim sensitivity: warning: {text}", file=sys.stderr)
    if not args.quiet:
        main = "ST" if args.method == "sobol" else "mu_star"
        year = int(ds["year"].values[-1])
        print(f"{args.method} indices, {ds.attrs['model_runs']:,} model runs, "
              f"{ds.sizes['parameter']} parameter(s); {main} in {year}:")
        for out_name in ds["output"].values:
            da = ds[main].sel(output=out_name, year=year)
            if "sector" in da.dims:
                da = da.max("sector") if str(ds["output_kind"].sel(output=out_name).values) \
                    == "sector" else da.isel(sector=0)
            order = np.argsort(-np.nan_to_num(da.values, nan=-1))[:5]
            top = ", ".join(f"{ds['parameter'].values[i]} {float(da.values[i]):.3f}"
                            for i in order)
            print(f"  {out_name}: {top}")
        print(f"wrote {out}" + (f" and {args.plot}" if args.plot else ""))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "sensitivity", help="global sensitivity (Sobol or Morris, SALib) per year and sector",
        description="Sobol first-order/total or Morris indices with confidence intervals of "
        "chosen outputs per year (and sector), written to netCDF (see docs/sweeps.md).")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--method", default="sobol", help="sobol or morris")
    p.add_argument("--n", type=positive_int,
                   help="base samples N (sobol: N (d + 2) runs, default 256; morris: N "
                   "trajectories, N (d + 1) runs, default 50)")
    p.add_argument("--param", action="append", default=[], metavar="PATH=LOW:HIGH",
                   help="analyse this range instead of the scenario's distributions "
                   "(repeatable; default: every uncertain parameter of the scenario)")
    p.add_argument("--output", action="append", default=[], metavar="VAR",
                   help="output variable (repeatable; default: " + ", ".join(DEFAULT_OUTPUTS)
                   + ")")
    p.add_argument("--year", action="append", type=int, default=[],
                   help="only this year (repeatable; default: every year)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value (repeatable; default: none)")
    p.add_argument("--seed", type=seed_value,
                   help="seed of the design (default: the file's monte_carlo.seed)")
    p.add_argument("--resamples", type=positive_int, default=100,
                   help="bootstrap resamples for the confidence intervals")
    p.add_argument("--conf-level", type=float, default=0.95,
                   help="confidence level of the intervals")
    p.add_argument("--out", "-o",
                   help="output .nc (default: out/SCENARIO-sensitivity.nc)")
    p.add_argument("--plot", help="figure of the indices over time, .png/.pdf/.svg (default: "
                   "none)")
    p.add_argument("--plot-sector", help="sector shown for sector outputs in --plot (default: "
                   "the first sector)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print nothing but errors")
    p.set_defaults(func=cmd_sensitivity)
