"""``aisim run``: simulate a scenario, write netCDF or zarr (paths or summaries only), print the
headline gains at milestone years and per sector."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.arguments import EXIT_OK, declare_outputs, draw_count, positive_int, seed_value
from sim.errors import InputError, Problem

if TYPE_CHECKING:
    import numpy as np
    import xarray as xr

#: the printed tables fit a terminal of this width (tests/test_cli.py checks it)
WIDTH = 100
MAX_YEAR_COLUMNS = 5
HEADLINES = (("TFP", "tfp_gain_pct"), ("GDP", "gdp_gain_pct"),
             ("Labour productivity", "labour_productivity_gain_pct"),
             ("Employment", "employment_gain_pct"),
             ("Unemployment rate, pp", "unemployment_rate_change_pp"))


def milestones(years: np.ndarray, most: int = MAX_YEAR_COLUMNS) -> list[int]:
    """Years to show: every fifth year after the start (every tenth, ... when that gives more
    than ``most`` columns), and the horizon."""
    start, end = int(years[0]), int(years[-1])

    def columns(step: int) -> list[int]:
        picks = list(range(start + step, end + 1, step))
        return picks if end in picks else [*picks, end]

    step = 5
    while len(columns(step)) > most:
        step += 5
    return columns(step)


def _cell(summary: xr.Dataset, var: str, year: int, single: bool) -> tuple[str, str]:
    """(median, "[p5,p95]") of a variable in a year; the band empty for one draw."""
    q = summary[var].sel(year=year)
    mid = float(q.sel(stat="p50"))
    if single:
        return f"{mid:.3f}", ""
    lo, hi = (float(q.sel(stat=p)) for p in ("p05", "p95"))
    return f"{mid:.2f}", f"[{lo:.2f},{hi:.2f}]"


def headline_table(summary: xr.Dataset) -> str:
    """The headline gains at milestone years (median and 90 % band over draws, one line each),
    why GDP moves, and the sectors in the horizon year; at most :data:`WIDTH` columns."""
    draws = int(summary.attrs.get("summary_of_draws", 1))
    single = draws == 1
    label = "one draw: the central values" if single else (
        "median, and below it the 90 % band [5 %, 95 %] over draws")
    lines = [f"Scenario {summary.attrs.get('scenario_name', '?')}: {draws:,} draw(s). "
             "Gains vs the same draw's no-AI baseline, in log points", f"({label})", ""]
    years = milestones(summary["year"].values)
    width = max(len(h[0]) for h in HEADLINES) + 1
    col = 14
    lines.append(" " * width + "".join(f"{y:>{col}d}" for y in years))
    for title, var in HEADLINES:
        cells = [_cell(summary, var, y, single) for y in years]
        lines.append(f"{title:<{width}}" + "".join(f"{m:>{col}s}" for m, _ in cells))
        if not single:
            lines.append(" " * width + "".join(f"{b:>{col}s}" for _, b in cells))
    lines += ["", "Why GDP moves, log points (means over draws): GDP = TFP + capital + "
              "employment + demand gap"]
    for y in years:
        parts = [float(summary[f"gdp_from_{p}_pp"].sel(year=y, stat="mean"))
                 for p in ("tfp", "capital", "employment", "demand")]
        lines.append(f"  {y}: {float(summary['gdp_gain_pct'].sel(year=y, stat='mean')):7.3f} = "
                     + " ".join(f"{x:+.3f}" for x in parts))
    end = int(summary["year"].values[-1])
    lines += ["", f"By sector in {end} (medians): gains in log points of TFP, value added, "
              "employment;", "exposure E, adoption D, affected task share a"]
    med = summary.sel(year=end, stat="p50")
    for code in summary["sector"].values:
        s = med.sel(sector=code)
        lines.append(
            f"  {str(code):<6s} TFP {float(s['sector_tfp_gain_pct']):7.3f}"
            f"  VA {float(s['sector_value_added_gain_pct']):7.3f}"
            f"  emp {float(s['sector_employment_gain_pct']):7.3f}"
            f"   E={float(s['exposure']):.3f}  D={float(s['adoption']):.3f}"
            f"  a={float(s['affected_share']):.4f}")
    return "\n".join(lines)


def wrapped(text: str) -> str:
    """A message folded to :data:`WIDTH` columns, continuation lines indented."""
    return textwrap.fill(text, WIDTH, subsequent_indent="  ", break_on_hyphens=False)


def next_command(out: Path) -> str:
    """One next step for the user: a plot of what was just written."""
    return wrapped(f"next: aisim plot {out} --kind fan -o gdp_fan.png (other kinds: "
                   "decomposition, sectors, heatmap, cohorts)")


def cmd_run(args: argparse.Namespace) -> int:
    from sim.model.cache import kernels_not_compiled
    from sim.runner.engine import RunSettings, run
    from sim.runner.results import write_netcdf, write_results
    from sim.runner.stream import output_size_note, run_to_store
    from sim.runner.summary import convergence, summarize
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(args.scenario, args.set)
    out = Path(args.out) if args.out else Path("out") / f"{Path(loaded.source).stem}.nc"
    if out.suffix not in {".nc", ".zarr"}:
        raise InputError([Problem.command_line("--out", "a path ending in .nc or .zarr", str(out))])
    declare_outputs(args, ("--out", out))
    settings = RunSettings.from_scenario(loaded.scenario, args.draws, args.seed, args.sampler,
                                         args.chunk_size)
    if not args.summary_only:  # refused here (exit 4) when the paths cannot fit
        note = output_size_note(loaded, settings, out, args.force)
        if note and not args.quiet:
            print(f"aisim run: {note}", file=sys.stderr, flush=True)
    if not args.quiet and kernels_not_compiled():
        print("compiling the model's numba kernels: the first run takes about a minute",
              file=sys.stderr, flush=True)
    if settings.draws == 1 and out.suffix == ".nc" and not args.summary_only:
        ds = run(loaded, draws=1, seed=settings.seed, sampler=settings.sampler)
        write_netcdf(ds, out)
        summary = summarize(ds)
    else:
        result = run_to_store(loaded, settings, out, summary_only=args.summary_only,
                              quiet=args.quiet, force=args.force, announce=False)
        summary = result.summary
        if args.summary_only:
            write_results(summary, out)
    if not args.quiet:
        print(headline_table(summary))
        if settings.draws > 1:
            for var in ("tfp_gain_pct", "gdp_gain_pct"):
                print(wrapped(convergence(summary, var, args.tolerance).message()))
        print(f"\nwrote {out}" + (" (summary statistics only)" if args.summary_only else ""))
        print(next_command(out))
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim run``."""
    p = sub.add_parser(
        "run", help="simulate a scenario's Monte Carlo and write netCDF or zarr",
        description="Simulate a scenario's Monte Carlo draws, write every draw's paths (or "
        "only statistics over draws) to netCDF or zarr, and print the headline gains at "
        "milestone years with their 90 % band, why GDP moves and the sectors.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--out", "-o", help="output file, .nc or .zarr (default: out/SCENARIO.nc)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value, e.g. ai.cost_saving=0.36, validated like "
                   "the file (repeatable; default: none)")
    p.add_argument("--draws", type=draw_count,
                   help="Monte Carlo draws (default: the file's monte_carlo.draws)")
    p.add_argument("--seed", type=seed_value,
                   help="root seed, 0 to 2**64 - 1 (default: the file's monte_carlo.seed)")
    p.add_argument("--sampler", choices=["mc", "lhs", "sobol"],
                   help="plain Monte Carlo, Latin hypercube or Sobol (default: the file's "
                   "monte_carlo.sampler)")
    p.add_argument("--chunk-size", type=positive_int,
                   help="draws computed and written at a time; bounds memory, never changes "
                   "the numbers (default: the file's monte_carlo.chunk_size, else 2048)")
    p.add_argument("--summary-only", action="store_true",
                   help="write only statistics over draws (mean, sd, quantiles): bounded "
                   "memory and a small file")
    p.add_argument("--force", action="store_true",
                   help="write the full paths even when they need more than the free space "
                   "on the output's file system")
    p.add_argument("--tolerance", type=float, default=0.01,
                   help="convergence tolerance for the headline quantiles, in pp")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print nothing but errors (no table, no progress bar)")
    p.set_defaults(func=cmd_run)
