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
    p = sub.add_parser("plot", help="plot a results file")
    p.add_argument("results")
    p.add_argument("--kind", default="fan",
                   choices=["fan", "sectors", "heatmap", "cohorts", "compare", "decomposition"])
    p.add_argument("--var", default=None, help="variable (default depends on --kind)")
    p.add_argument("--sector")
    p.add_argument("--scenario")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_plot)
