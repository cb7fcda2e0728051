"""``aisim plot``: a figure from any results file: fan, sectors, heatmap, cohorts, compare,
decomposition; response and tornado for sweep stores."""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import EXIT_OK, declare_outputs

KINDS = ("fan", "sectors", "heatmap", "cohorts", "compare", "decomposition", "response",
         "tornado")


def cmd_plot(args: argparse.Namespace) -> int:
    from sim.present.plot_files import main_plot

    declare_outputs(args, ("--output", args.output))
    main_plot(args.results, kind=args.kind, var=args.var, out=args.output,
              sector=args.sector, scenario=args.scenario, param=args.param,
              years=args.year or None)
    print(f"wrote {args.output}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim plot``."""
    p = sub.add_parser("plot", help="plot a results file (run, summary, compare --out, sweep)",
                       description="Draw a figure from a results file, netCDF or zarr: a run's "
                       "full or summary file, a comparison (aisim compare --out) or a sweep "
                       "store (docs/plotting.md).")
    p.add_argument("results", help="results file: netCDF or zarr, full or summary, a "
                   "comparison (aisim compare --out) or a sweep store")
    p.add_argument("--kind", default="fan", choices=KINDS,
                   help="the figure; response and tornado for sweep stores")
    p.add_argument("--var", default=None,
                   help="output variable shown (default: gdp_gain_pct for fan, compare and "
                   "decomposition; sector_tfp_gain_pct for sectors and heatmap; "
                   "employment_by_cohort for cohorts)")
    p.add_argument("--sector", help="sector code, needed for a fan of a sector variable "
                   "(default: none)")
    p.add_argument("--scenario", help="one scenario of a file with a scenario dimension "
                   "(default: all; --kind compare draws them on one axis)")
    p.add_argument("--param", help="swept parameter on the x axis of --kind response "
                   "(default: the first)")
    p.add_argument("--year", type=int, action="append", default=[],
                   help="year(s) of a response curve, or the year of a tornado (repeatable; "
                   "default: three years for a response curve, the horizon for a tornado)")
    p.add_argument("-o", "--output", required=True,
                   help="figure file (.png, .pdf, .svg); required")
    p.set_defaults(func=cmd_plot, simulates=False)
