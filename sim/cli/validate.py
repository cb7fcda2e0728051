"""``aisim validate``: load and check a scenario file (exit 0, or 2 with located messages)."""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from sim.scenario.loader import load_scenario
    from sim.scenario.parameters import stochastic_names

    loaded = load_scenario(args.scenario, args.set)
    scn = loaded.scenario
    print(f"{args.scenario}: valid scenario {scn.name!r}: {len(scn.sectors)} sector(s), "
          f"{scn.horizon.start}-{scn.horizon.end}, "
          f"{len(stochastic_names(scn))} uncertain parameter(s)")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim validate``."""
    p = sub.add_parser("validate", help="check a scenario file (exit 0 or 2)")
    p.add_argument("scenario")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.set_defaults(func=cmd_validate)
