"""The ``aisim`` command line: run | validate | calibrate | plot | export | schema.

Every sub-command turns bad input into a message naming file, line, key, what was expected and
what was found, and exits with code 2; no output file is left behind on failure.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from sim.errors import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def _milestones(years: np.ndarray) -> list[int]:
    """Years to show: every fifth year after the start, and the horizon."""
    start, end = int(years[0]), int(years[-1])
    picks = [y for y in range(start + 5, end + 1, 5)]
    if end not in picks:
        picks.append(end)
    return picks


def _stat(da: xr.DataArray) -> str:
    """'median [p5, p95]' over draws, or the single value."""
    if da.sizes.get("draw", 1) == 1:
        return f"{float(da.squeeze()):8.3f}"
    q = da.quantile([0.05, 0.5, 0.95], dim="draw").values
    return f"{q[1]:8.3f} [{q[0]:7.3f}, {q[2]:7.3f}]"


def headline_table(ds: xr.Dataset) -> str:
    """A short text table of the headline gains at milestone years and per sector."""
    draws = ds.sizes["draw"]
    label = "value" if draws == 1 else "median [5%, 95%] over draws"
    lines = [f"Scenario {ds.attrs.get('scenario_name', '?')}: {draws} draw(s); gains in % vs "
             f"no-AI baseline ({label})", ""]
    heads = [("TFP", "tfp_gain_pct"), ("GDP", "gdp_gain_pct"),
             ("Labour productivity", "labour_productivity_gain_pct")]
    extra = [("Employment", "employment_gain_pct"), ("Unemployment rate (pp)",
                                                      "unemployment_rate_change_pp")]
    heads += [h for h in extra if h[1] in ds]
    width = max(len(h[0]) for h in heads)
    years = _milestones(ds["year"].values)
    lines.append(" " * (width + 2) + "".join(f"{y:>26d}" for y in years))
    for title, var in heads:
        row = "".join(f"{_stat(ds[var].sel(year=y)):>26s}" for y in years)
        lines.append(f"{title:<{width}}  {row}")
    end = int(ds["year"].values[-1])
    lines += ["", f"By sector in {end}: TFP gain (%), exposure, adoption, affected share"]
    at_end = ds.sel(year=end)
    for code in ds["sector"].values:
        s = at_end.sel(sector=code)
        gain = _stat(s["sector_tfp_gain_pct"])
        lines.append(
            f"  {code:<6s} {gain:>28s}  E={float(s['exposure'].median()):.3f}"
            f"  D={float(s['adoption'].median()):.3f}  a={float(s['affected_share'].median()):.4f}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from sim.engine import run
    from sim.results import write_netcdf
    from sim.scenario import load_scenario

    loaded = load_scenario(args.scenario, args.set)
    out = Path(args.out) if args.out else Path("out") / f"{Path(args.scenario).stem}.nc"
    if out.suffix not in {".nc", ".zarr"}:
        raise InputError([_problem("--out", "a path ending in .nc or .zarr", str(out))])
    ds = run(loaded, draws=args.draws, seed=args.seed, sampler=args.sampler,
             chunk_size=args.chunk_size)
    write_netcdf(ds, out)
    if not args.quiet:
        print(headline_table(ds))
        print(f"\nwrote {out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.params import stochastic_names
    from sim.scenario import load_scenario

    loaded = load_scenario(args.scenario, args.set)
    scn = loaded.scenario
    print(f"{args.scenario}: valid scenario {scn.name!r}: {len(scn.sectors)} sector(s), "
          f"{scn.horizon.start}-{scn.horizon.end}, "
          f"{len(stochastic_names(scn))} uncertain parameter(s)")
    return EXIT_OK


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


def cmd_plot(args: argparse.Namespace) -> int:
    from sim.plot import main_plot

    main_plot(args.results, kind=args.kind, var=args.var, out=args.output,
              sector=args.sector, scenario=args.scenario)
    print(f"wrote {args.output}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from sim.export import main_export

    main_export(args.results, fmt=args.format, out=args.output)
    print(f"wrote {args.output}")
    return EXIT_OK


def _problem(key: str, expected: str, got: str):
    from sim.errors import Problem

    return Problem("command line", None, key, expected, got)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aisim", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="simulate a scenario and write netCDF")
    p.add_argument("scenario")
    p.add_argument("--out", "-o", help="output .nc (default out/<scenario>.nc)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value (validated like the file)")
    p.add_argument("--draws", type=_positive_int)
    p.add_argument("--seed", type=_nonnegative_int)
    p.add_argument("--sampler", choices=["mc", "lhs", "sobol"])
    p.add_argument("--chunk-size", type=_positive_int)
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check a scenario file (exit 0 or 2)")
    p.add_argument("scenario")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("calibrate", help="regenerate calibration/ from the raw data")
    p.add_argument("--data", help="raw data folder (default calibration/data)")
    p.add_argument("--out", help="output folder (default calibration/)")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("plot", help="plot a results file")
    p.add_argument("results")
    p.add_argument("--kind", default="fan",
                   choices=["fan", "sectors", "heatmap", "cohorts", "compare"])
    p.add_argument("--var", default="gdp_gain_pct")
    p.add_argument("--sector")
    p.add_argument("--scenario")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("export", help="export results to IAMC or tidy CSV")
    p.add_argument("results")
    p.add_argument("--format", choices=["iamc", "tidy"], default="iamc")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aisim`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except InputError as exc:
        print(f"aisim {args.command}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"aisim {args.command}: interrupted; no output written", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error, not the user's input
        if args.debug:
            raise
        print(f"aisim {args.command}: internal error: {type(exc).__name__}: {exc}\n"
              "(rerun with --debug for a traceback and please report it)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
