"""``aisim plot``: a figure (fan, sectors, heatmap, cohorts, compare, decomposition) from a results
file."""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import EXIT_OK, declare_outputs


def cmd_plot(args: argparse.Namespace) -> int:
    from sim.present.plot import main_plot

    declare_outputs(args, ("--output", args.output))
    main_plot(args.results, kind=args.kind, var=args.var, out=args.output,
              sector=args.sector, scenario=args.scenario)
    print(f"wrote {args.output}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim plot``."""
    p = sub.add_parser("plot", help="plot a results file",
                       description="Draw a figure from a results file (docs/plotting.md).")
    p.add_argument("results", help="results file written by aisim run")
    p.add_argument("--kind", default="fan",
                   choices=["fan", "sectors", "heatmap", "cohorts", "compare", "decomposition"],
                   help="the figure")
    p.add_argument("--var", default=None,
                   help="output variable shown (default: gdp_gain_pct for fan, compare and "
                   "decomposition; sector_tfp_gain_pct for sectors and heatmap; "
                   "employment_by_cohort for cohorts)")
    p.add_argument("--sector", help="sector code, needed for a fan of a sector variable "
                   "(default: none)")
    p.add_argument("--scenario", help="one scenario of a file with a scenario dimension "
                   "(default: all; --kind compare draws them on one axis)")
    p.add_argument("-o", "--output", required=True,
                   help="figure file (.png, .pdf, .svg); required")
    p.set_defaults(func=cmd_plot, simulates=False)
