"""``aisim export``: a results file as IAMC or tidy CSV, or an Excel workbook."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sim.cli.arguments import EXIT_OK, declare_outputs

# sim.present.export's SUMMARY_QUANTILES and TIDY_DRAW_LIMIT, written out so that building the
# parser imports neither pandas nor matplotlib (a test keeps them equal)
SUMMARY_QUANTILES = (0.05, 0.5, 0.95)
TIDY_DRAW_LIMIT = 100


def quantile_list(text: str) -> tuple[float, ...]:
    """argparse type: ``0.05,0.5,0.95``, quantile levels in [0, 1], at least one."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if not values or any(not 0.0 <= q <= 1.0 for q in values):
        raise argparse.ArgumentTypeError(
            f"expected quantile levels in [0, 1] separated by commas, e.g. 0.05,0.5,0.95; "
            f"got {text!r}")
    return values


def cmd_export(args: argparse.Namespace) -> int:
    from sim.present.export import main_export

    declare_outputs(args, ("--output", args.output))
    main_export(args.results, fmt=args.format, out=args.output, quantiles=args.quantiles,
                all_draws=args.all_draws, note=lambda text: print(text, file=sys.stderr))
    print(f"wrote {args.output}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim export``."""
    bands = ",".join(f"{q:g}" for q in SUMMARY_QUANTILES)
    p = sub.add_parser("export", help="export results to IAMC or tidy CSV, or Excel (xlsx)",
                       description="Write a results file (run, summary, comparison or sweep "
                       "store) as an IAMC table, a tidy (long) CSV or an Excel workbook "
                       "(docs/plotting.md).")
    p.add_argument("results", help="results file: netCDF or zarr, full or summary, a "
                   "comparison (aisim compare --out) or a sweep store")
    p.add_argument("--format", choices=["iamc", "tidy", "xlsx"], default="iamc",
                   help="iamc: pyam-readable CSV of medians; tidy: a row per value; xlsx: "
                        "medians and bands, a sheet per group of variables and a README "
                        "(needs aisim[excel])")
    p.add_argument("-o", "--output", required=True, help="file written (.csv, or .xlsx); "
                   "required")
    p.add_argument("--quantiles", type=quantile_list, default=None, metavar="Q,Q,...",
                   help="quantiles over draws: extra IAMC rows (|p05), tidy rows instead of "
                        f"draws, the xlsx bands (default: none; xlsx {bands})")
    p.add_argument("--all-draws", action="store_true",
                   help=f"tidy: every draw even above {TIDY_DRAW_LIMIT} draws (otherwise "
                        f"quantiles {bands})")
    p.set_defaults(func=cmd_export, simulates=False)
