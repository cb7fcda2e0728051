"""``aisim robustness``: policy scenarios over the same ensemble of futures - outcome
distributions, regret against the best policy per future, share of futures meeting a threshold
(docs/discovery.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.atomic import write_bytes
from sim.cli.analysis_output import save_plot as _save_plot
from sim.cli.arguments import declare_outputs, draw_count, positive_int, seed_value
from sim.errors import InputError, Problem


def cmd_robustness(args: argparse.Namespace) -> int:
    from sim.analysis import robustness
    from sim.analysis.sweep import load_spec

    if args.plot and Path(args.plot).suffix.lower() not in {".png", ".pdf", ".svg"}:
        raise InputError([Problem.command_line("--plot", "a .png, .pdf or .svg path",
                                               args.plot)])
    if args.out and Path(args.out).suffix.lower() != ".csv":
        raise InputError([Problem.command_line("--out", "a path ending in .csv", args.out)])
    spec = load_spec(args.spec, design=args.design, points=args.points, ranges=args.range,
                     draws=args.draws, seed=args.seed, batch=args.batch)
    declare_outputs(args, ("--out", args.out), ("--plot", args.plot))
    result = robustness.robustness(args.policy, spec, args.outcome, threshold=args.threshold,
                                   lower_is_better=args.lower_is_better,
                                   out_dir=args.store_dir, scheduler=args.scheduler,
                                   workers=args.workers, quiet=args.quiet)
    if args.plot:
        _save_plot(robustness.figure, result, args.plot)
    if args.out:
        write_bytes(args.out, result.table().to_csv())
    if not args.quiet:
        print(result.report())
        print(f"stores in {args.store_dir}" + "".join(f"; wrote {p}" for p in (args.out,
                                                                                 args.plot) if p))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "robustness", help="policy scenarios over the same futures: outcomes, regret, "
        "share meeting a threshold",
        description="Sweep each policy scenario over the same design of futures (--spec or "
        "--design/--points/--range) and compare them: each policy's outcome distribution, "
        "its regret against the best policy in each future, and the share of futures meeting "
        "--threshold (see docs/discovery.md).")
    p.add_argument("policy", nargs="+", help="policy scenario files (two or more)")
    p.add_argument("--outcome", required=True, metavar="TERM",
                   help="e.g. 'employment_gain_pct[year=2035]'")
    p.add_argument("--lower-is-better", action="store_true",
                   help="the outcome is a cost (e.g. an unemployment rate)")
    p.add_argument("--threshold", metavar="EXPR",
                   help="condition counted per policy, e.g. 'unemployment_rate[year=2035] < "
                   "0.06' (default: none)")
    p.add_argument("--spec", help="sweep YAML file of the futures (a design; default: none, "
                   "then --design, --points and --range)")
    p.add_argument("--design", metavar="METHOD", help="lhs or sobol (default: the spec's)")
    p.add_argument("--points", type=positive_int,
                   help="futures in the design (default: the spec's)")
    p.add_argument("--range", action="append", default=[], metavar="PATH=LOW:HIGH",
                   help="range of an uncertain assumption (repeatable; default: none)")
    p.add_argument("--draws", type=draw_count,
                   help="Monte Carlo draws per future (default: the spec's, else the "
                   "scenario's monte_carlo.draws)")
    p.add_argument("--seed", type=seed_value,
                   help="root seed, the same for every policy (default: the spec's, else the "
                   "scenario's)")
    p.add_argument("--batch", type=positive_int, help="points per store chunk (default: automatic)")
    p.add_argument("--store-dir", default="out/robustness",
                   help="where the policies' sweep stores go (reused when they exist)")
    p.add_argument("--scheduler",
                   help="local (dask LocalCluster) or tcp://HOST:PORT (default: in process)")
    p.add_argument("--workers", type=positive_int,
                   help="workers of --scheduler local (default: dask's choice)")
    p.add_argument("--plot", help="figure (.png/.pdf/.svg; default: not written)")
    p.add_argument("--out", "-o", help="the table as CSV (default: not written)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    p.set_defaults(func=cmd_robustness)
