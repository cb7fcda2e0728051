"""``aisim schema``: the scenario JSON Schema (for editors) and the Markdown reference page."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sim.atomic import write_bytes
from sim.scenario.reference import json_schema, markdown


def cmd_schema(args: argparse.Namespace) -> int:
    if args.output:
        write_bytes(Path(args.output), json.dumps(json_schema(), indent=2) + "\n")
        print(f"wrote {args.output}")
    if args.markdown:
        write_bytes(Path(args.markdown), markdown())
        print(f"wrote {args.markdown}")
    if not args.output and not args.markdown:
        print(json.dumps(json_schema(), indent=2))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("schema", help="write the scenario JSON Schema (and reference page)")
    p.add_argument("-o", "--output", help="JSON Schema file (default: print)")
    p.add_argument("--markdown", help="also write the Markdown reference page")
    p.set_defaults(func=cmd_schema)
