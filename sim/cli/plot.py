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
    p = sub.add_parser("plot", help="plot a results file (.nc or .zarr: run, summary, "
                       "compare --out, sweep)")
    p.add_argument("results", help="results file: netCDF or zarr, full or summary, a "
                   "comparison (aisim compare --out) or a sweep store")
    p.add_argument("--kind", default="fan", choices=KINDS,
                   help="figure; response and tornado for sweep stores (default: fan)")
    p.add_argument("--var", default=None, help="variable (default depends on --kind)")
    p.add_argument("--sector", help="sector code, for sector variables")
    p.add_argument("--scenario", help="scenario of a comparison file")
    p.add_argument("--param", help="swept parameter on the x axis of --kind response "
                   "(default: the first)")
    p.add_argument("--year", type=int, action="append", default=[],
                   help="year(s) of a response curve, or the year of a tornado "
                   "(repeatable; default: three years / the horizon)")
    p.add_argument("-o", "--output", required=True, help="image file (.png, .pdf, .svg)")
    p.set_defaults(func=cmd_plot)
