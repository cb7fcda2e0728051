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
    p = sub.add_parser(
        "validate", help="check a scenario file (exit 0, or 2 with located messages)",
        description="Load and check a scenario file without running it: exit 0, or 2 with "
        "every problem's file, line, key, what was expected and what was found.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value, checked like the file (repeatable; "
                   "default: none)")
    p.set_defaults(func=cmd_validate, simulates=False)
