"""``python -m sim.calibrate [--data DIR] [--out DIR]``: regenerate calibration/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.errors import CalibrationDataError
from sim.model.cache import configure_numba_cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.calibrate", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="raw data folder")
    parser.add_argument("--out", type=Path, default=None, help="output folder")
    args = parser.parse_args(argv)
    configure_numba_cache()
    from sim.calibrate import run_calibration

    try:
        written = run_calibration(args.data, args.out)
    except CalibrationDataError as err:
        print(err, file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
