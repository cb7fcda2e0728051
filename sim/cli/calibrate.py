"""``aisim calibrate``: regenerate the calibration files from the raw data."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.cli.arguments import EXIT_OK


def cmd_calibrate(args: argparse.Namespace) -> int:
    from sim.calibrate import run_calibration

    kwargs = {}
    if args.data:
        kwargs["data_dir"] = Path(args.data)
    if args.out:
        kwargs["out_dir"] = Path(args.out)
    written = run_calibration(**kwargs)
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim calibrate``."""
    p = sub.add_parser("calibrate", help="regenerate calibration/ from the raw data",
                       description="Regenerate the calibration files (sectors, exposure, "
                       "adoption, baseline) from the raw data files (docs/calibration.md).")
    p.add_argument("--data", help="raw data folder (default: calibration/data of the checkout)")
    p.add_argument("--out", help="output folder (default: calibration/ of the checkout)")
    p.set_defaults(func=cmd_calibrate)
