"""``aisim sweep``: a scenario over a grid, one-at-a-time values or a sampled design, into a
resumable zarr store (docs/sweeps.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.cli.arguments import check_outputs, draw_count, positive_int, seed_value
from sim.errors import InputError, OutputError, Problem


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--spec", help="sweep YAML file (grid/oat/design/draws/seed/chunk/...); "
                   "the options below override it (default: none)")
    p.add_argument("--grid", action="append", default=[], metavar="PATH=V1,V2,...",
                   help="grid values of a parameter (repeatable: the full grid; default: none)")
    p.add_argument("--oat", action="append", default=[], metavar="PATH=V1,V2,...",
                   help="one-at-a-time values around the central case (repeatable; default: "
                   "none)")
    p.add_argument("--design", metavar="METHOD", help="sampled design: lhs or sobol (default: "
                   "none)")
    p.add_argument("--points", type=positive_int,
                   help="points of a sampled design (default: the spec's)")
    p.add_argument("--range", action="append", default=[], metavar="PATH=LOW:HIGH",
                   help="range of a parameter in a sampled design (repeatable; default: none)")
    p.add_argument("--draws", type=draw_count,
                   help="Monte Carlo draws per point (default: the spec's, else the "
                   "scenario's monte_carlo.draws)")
    p.add_argument("--seed", type=seed_value,
                   help="root seed (default: the spec's, else the scenario's)")
    p.add_argument("--sampler", help="mc, lhs or sobol, for the draws within a point "
                   "(default: the spec's, else the scenario's)")
    p.add_argument("--chunk", type=positive_int,
                   help="draws per chunk, the unit of work and of resuming (default: the "
                   "spec's, else all draws of a point in one chunk)")
    p.add_argument("--batch", type=positive_int,
                   help="points per store chunk and per task (default: automatic, store "
                   "writes about 5 %% of compute)")
    p.add_argument("--keep-draws", action="store_true",
                   help="store every draw's paths (large) instead of statistics per point")
    p.add_argument("--var", action="append", default=[],
                   help="keep only this output (repeatable; default: every output)")


def cmd_sweep(args: argparse.Namespace) -> int:
    from sim.analysis.sweep import load_spec, part_path, plan_sweep, run_sweep, summary_table
    from sim.scenario.loader import scenario_file

    spec = load_spec(args.spec, grid=args.grid, oat=args.oat, design=args.design,
                     points=args.points, ranges=args.range, draws=args.draws, seed=args.seed,
                     chunk=args.chunk, batch=args.batch, keep_draws=args.keep_draws,
                     variables=args.var,
                     sampler=args.sampler)
    scenario = scenario_file(args.scenario)  # a path, or aisim:NAME
    if not scenario.is_file():
        raise InputError([Problem.command_line("scenario", "a scenario file", str(scenario))])
    plan = plan_sweep(scenario, spec)
    out = Path(args.out) if args.out else Path("out") / f"{scenario.stem}-sweep.zarr"
    scheduler = args.scheduler
    if scheduler not in (None, "local") and not str(scheduler).startswith("tcp://"):
        raise InputError([Problem.command_line("--scheduler", "local or tcp://HOST:PORT",
                                               repr(scheduler))])
    args.outputs = [str(out)]
    check_outputs(("--out", str(out)))
    try:
        result = run_sweep(plan, out, scheduler=scheduler, workers=args.workers,
                           quiet=args.quiet, overwrite=args.overwrite,
                           retry_failed=args.retry_failed)
    except (KeyboardInterrupt, OutputError):
        if part_path(out).exists():  # the one line main prints says where the results are
            args.kept = (f"partial results kept in {part_path(out)}; rerun the same command "
                         "to resume")
        raise
    if not args.quiet:
        print(summary_table(plan, result))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "sweep", help="sweep parameters (grid, one at a time, LHS/Sobol) into a zarr store",
        description="Run a scenario over a grid, one-at-a-time variations or a sampled design "
        "of parameter values (see docs/sweeps.md).")
    _add_common(p)
    p.add_argument("--out", "-o", help="output .zarr (default: out/SCENARIO-sweep.zarr)")
    p.add_argument("--scheduler", help="local (a dask LocalCluster) or tcp://HOST:PORT "
                   "(default: in this process)")
    p.add_argument("--workers", type=positive_int,
                   help="LocalCluster worker processes (default: one per core, at most one "
                   "per chunk)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace a store made by a different sweep")
    p.add_argument("--retry-failed", action="store_true",
                   help="on resume, recompute chunks recorded as failed")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print nothing but errors (no table, no progress bar)")
    p.set_defaults(func=cmd_sweep)
