"""``aisim schema``: the scenario JSON Schema (for editors), the Markdown reference page of the
scenario keys and the page of output variables."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.atomic import write_bytes
from sim.cli.arguments import declare_outputs


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.model import variables
    from sim.scenario.reference import json_schema, markdown

    declare_outputs(args, ("--output", args.output), ("--markdown", args.markdown),
                    ("--variables", args.variables))
    if args.output:
        write_bytes(Path(args.output), json.dumps(json_schema(), indent=2) + "\n")
        print(f"wrote {args.output}")
    if args.markdown:
        write_bytes(Path(args.markdown), markdown())
        print(f"wrote {args.markdown}")
    if args.variables:
        write_bytes(Path(args.variables), variables.markdown())
        print(f"wrote {args.variables}")
    if not (args.output or args.markdown or args.variables):
        print(json.dumps(json_schema(), indent=2))
    return 0


def register(sub: Any) -> None:
    """Add ``aisim schema``."""
    p = sub.add_parser("schema", help="write the scenario JSON Schema (and reference pages)",
                       description="Write the JSON Schema of scenario files (for editors: "
                       "docs/howto-write-a-scenario.md), the Markdown reference of scenario "
                       "keys or the page of output variables.")
    p.add_argument("-o", "--output", help="JSON Schema file (default: printed, unless "
                   "--markdown or --variables is given)")
    p.add_argument("--markdown", help="also write the Markdown reference page of scenario keys "
                   "(default: not written)")
    p.add_argument("--variables", help="also write the Markdown page of output variables "
                   "(default: not written)")
    p.set_defaults(func=cmd_schema, simulates=False)
