"""``aisim export``: a results file as IAMC or tidy CSV."""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import EXIT_OK, declare_outputs


def cmd_export(args: argparse.Namespace) -> int:
    from sim.present.export import main_export

    declare_outputs(args, ("--output", args.output))
    main_export(args.results, fmt=args.format, out=args.output)
    print(f"wrote {args.output}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim export``."""
    p = sub.add_parser("export", help="export results to IAMC or tidy CSV",
                       description="Write a results file as an IAMC table or a tidy (long) "
                       "CSV (docs/plotting.md).")
    p.add_argument("results", help="results file written by aisim run")
    p.add_argument("--format", choices=["iamc", "tidy"], default="iamc",
                   help="IAMC (model, scenario, region, variable, unit, years) or tidy rows")
    p.add_argument("-o", "--output", required=True, help="CSV file written; required")
    p.set_defaults(func=cmd_export, simulates=False)
