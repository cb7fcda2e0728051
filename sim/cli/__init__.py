"""The ``aisim`` command line: run | validate | calibrate | plot | export | schema.

Every sub-command turns bad input into a message naming file, line, key, what was expected and
what was found, and exits with code 2; no output file is left behind on failure.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from sim.errors import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2

# modules that add sub-commands: each has add_cli(subparsers); handlers import heavy deps lazily
PLUGINS = ("sim.analysis.compare", "sim.analysis.sweep", "sim.analysis.sensitivity",
           "sim.scenario.reference")


def _milestones(years: np.ndarray) -> list[int]:
    """Years to show: every fifth year after the start, and the horizon."""
    start, end = int(years[0]), int(years[-1])
    picks = [y for y in range(start + 5, end + 1, 5)]
    if end not in picks:
        picks.append(end)
    return picks


def _stat(summary: xr.Dataset, var: str, **sel: object) -> str:
    """'median [p5, p95]' over draws, or the single value for one draw."""
    q = summary[f"{var}_quantile"].sel(**sel)
    if int(summary.attrs.get("summary_of_draws", 1)) == 1:
        return f"{float(q.sel(quantile=0.5)):8.3f}"
    lo, mid, hi = (float(q.sel(quantile=p)) for p in (0.05, 0.5, 0.95))
    return f"{mid:7.3f} [{lo:6.2f}, {hi:6.2f}]"


def headline_table(summary: xr.Dataset) -> str:
    """A short text table of the headline gains at milestone years and per sector."""
    draws = int(summary.attrs.get("summary_of_draws", 1))
    label = "value" if draws == 1 else "median [5 %, 95 %] over draws"
    lines = [f"Scenario {summary.attrs.get('scenario_name', '?')}: {draws:,} draw(s); "
             f"gains in % vs the no-AI baseline ({label})", ""]
    heads = [("TFP", "tfp_gain_pct"), ("GDP", "gdp_gain_pct"),
             ("Labour productivity", "labour_productivity_gain_pct"),
             ("Employment", "employment_gain_pct"),
             ("Unemployment rate (pp)", "unemployment_rate_change_pp")]
    width = max(len(h[0]) for h in heads)
    years = _milestones(summary["year"].values)
    col = 10 if draws == 1 else 24
    lines.append(" " * (width + 2) + "".join(f"{y:>{col}d}" for y in years))
    for title, var in heads:
        row = "".join(f"{_stat(summary, var, year=y):>{col}s}" for y in years)
        lines.append(f"{title:<{width}}  {row}")
    end = int(summary["year"].values[-1])
    lines += ["", f"By sector in {end} (medians): TFP gain %, value added gain %, "
              "employment gain %, exposure, adoption, affected share"]
    med = summary.sel(year=end, quantile=0.5)
    for code in summary["sector"].values:
        s = med.sel(sector=code)
        lines.append(
            f"  {str(code):<6s} {float(s['sector_tfp_gain_pct_quantile']):8.3f}"
            f" {float(s['sector_value_added_gain_pct_quantile']):8.3f}"
            f" {float(s['sector_employment_gain_pct_quantile']):8.3f}"
            f"   E={float(s['exposure_quantile']):.3f}  D={float(s['adoption_quantile']):.3f}"
            f"  a={float(s['affected_share_quantile']):.4f}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from sim.runner.engine import RunSettings, run
    from sim.runner.results import write_netcdf
    from sim.runner.stream import run_to_store
    from sim.runner.summary import convergence, summarize
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario, args.set)
    out = Path(args.out) if args.out else Path("out") / f"{Path(args.scenario).stem}.nc"
    if out.suffix not in {".nc", ".zarr"}:
        raise InputError([_problem("--out", "a path ending in .nc or .zarr", str(out))])
    settings = RunSettings.from_scenario(loaded.scenario, args.draws, args.seed, args.sampler,
                                         args.chunk_size)
    if settings.draws == 1 and out.suffix == ".nc" and not args.summary_only:
        ds = run(loaded, draws=1, seed=settings.seed, sampler=settings.sampler)
        write_netcdf(ds, out)
        summary = summarize(ds)
    else:
        result = run_to_store(loaded, settings, out, summary_only=args.summary_only,
                              quiet=args.quiet)
        summary = result.summary
        if args.summary_only:
            write_netcdf(summary, out)
    if not args.quiet:
        print(headline_table(summary))
        if settings.draws > 1:
            for var in ("tfp_gain_pct", "gdp_gain_pct"):
                print(convergence(summary, var, args.tolerance).message())
        print(f"\nwrote {out}" + (" (summary statistics only)" if args.summary_only else ""))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.scenario.loader import load_scenario
    from sim.scenario.parameters import stochastic_names

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
    from sim.present.plot import main_plot

    main_plot(args.results, kind=args.kind, var=args.var, out=args.output,
              sector=args.sector, scenario=args.scenario)
    print(f"wrote {args.output}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from sim.present.export import main_export

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
    p.add_argument("--draws", type=_draw_count)
    p.add_argument("--seed", type=_nonnegative_int)
    p.add_argument("--sampler", choices=["mc", "lhs", "sobol"])
    p.add_argument("--chunk-size", type=_positive_int)
    p.add_argument("--summary-only", action="store_true",
                   help="keep only statistics over draws (bounded memory and disk)")
    p.add_argument("--tolerance", type=float, default=0.01,
                   help="convergence tolerance for headline quantiles, in pp (default 0.01)")
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
    p.add_argument("--var", default=None, help="variable (default depends on --kind)")
    p.add_argument("--sector")
    p.add_argument("--scenario")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("export", help="export results to IAMC or tidy CSV")
    p.add_argument("results")
    p.add_argument("--format", choices=["iamc", "tidy"], default="iamc")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export)

    for module in PLUGINS:
        try:
            plugin = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        plugin.add_cli(sub)
    return parser


def _int_at_least(minimum: int, words: str, maximum: int | None = None,
                  ) -> Callable[[str], int]:
    """argparse type: an integer >= ``minimum`` (and <= ``maximum``), with a clear message
    otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {words}, got {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1, "a positive integer")
# the scenario schema's bound on monte_carlo.draws, for --draws too
_draw_count = _int_at_least(1, "a number of draws from 1 to 100,000,000", 100_000_000)
_nonnegative_int = _int_at_least(0, "an integer >= 0")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aisim`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    from sim.progress import Interrupt

    Interrupt.install()
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
