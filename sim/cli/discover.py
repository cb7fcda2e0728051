"""``aisim discover``: scenario discovery (PRIM, CART, feature scoring) on a sweep store
(docs/discovery.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.atomic import write_bytes
from sim.cli.analysis_output import save_plot as _save_plot
from sim.cli.arguments import declare_outputs
from sim.errors import InputError, Problem

METHODS = ("prim", "cart", "both")


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1), got {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1), got {text!r}")
    return value


def cmd_discover(args: argparse.Namespace) -> int:
    from sim.analysis import discovery

    if args.method not in METHODS:
        raise InputError([Problem.command_line("--method", "one of: " + ", ".join(METHODS),
                                               repr(args.method))])
    if args.plot and Path(args.plot).suffix.lower() not in {".png", ".pdf", ".svg"}:
        raise InputError([Problem.command_line("--plot", "a .png, .pdf or .svg path",
                                               args.plot)])
    if args.out and Path(args.out).suffix.lower() != ".json":
        raise InputError([Problem.command_line("--out", "a path ending in .json", args.out)])
    declare_outputs(args, ("--out", args.out), ("--plot", args.plot))
    result = discovery.discover(args.store, args.where, method=args.method,
                                threshold=args.threshold, peel_alpha=args.peel_alpha,
                                box=args.box, mass_min=args.mass_min,
                                scores=not args.no_scores, seed=args.seed)
    if args.plot:
        _save_plot(discovery.figure, result, args.plot)
    if args.out:
        write_bytes(args.out, json.dumps(result.as_json(), indent=1) + "\n")
    if not args.quiet:
        print(result.report())
        wrote = [p for p in (args.out, args.plot) if p]
        if wrote:
            print("wrote " + " and ".join(wrote))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "discover", help="scenario discovery (PRIM/CART boxes, feature scores) on a sweep store",
        description="Which combinations of the swept assumptions lead to an outcome? PRIM "
        "boxes with their coverage/density trade-off, CART boxes and extra-trees feature "
        "scores for the points of a sweep store that meet --where (see docs/discovery.md). "
        "Needs pip install 'aisim[discovery]'.")
    p.add_argument("store", help="a finished sweep store (.zarr)")
    p.add_argument("--where", required=True, metavar="EXPR",
                   help="condition on outputs, e.g. 'employment_gain_pct[year=2035] < -1'")
    p.add_argument("--method", default="both", help="prim, cart or both")
    p.add_argument("--threshold", type=_share, default=0.8,
                   help="PRIM: density the chosen box must reach")
    p.add_argument("--peel-alpha", type=_share, default=0.05,
                   help="PRIM: share of points peeled per step")
    p.add_argument("--box", type=int,
                   help="PRIM: show this step of the peeling trajectory (default: the chosen box)")
    p.add_argument("--mass-min", type=_share, default=0.05,
                   help="CART: smallest share of points in a leaf")
    p.add_argument("--no-scores", action="store_true", help="skip the feature scores")
    p.add_argument("--seed", type=int, default=0, help="seed of the extra-trees scores")
    p.add_argument("--plot", help="figure: peeling trajectory, box limits, feature scores "
                   "(default: not written)")
    p.add_argument("--out", "-o", help="the boxes and scores as JSON (default: not written)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    p.set_defaults(func=cmd_discover)
