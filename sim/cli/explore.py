"""``aisim explore [SCENARIO]``: the scenario explorer in the browser (docs/explorer.md).

Serves on 127.0.0.1 by default; another address needs ``--allow-remote`` (anyone who reaches
it can run the model on this machine) and prints a warning. Without the optional ``explore``
extra it says how to install it and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sim.cli.arguments import EXIT_INPUT, EXIT_OK, int_at_least

LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
port_number = int_at_least(0, "a port number from 0 to 65535", 65535)


def cmd_explore(args: argparse.Namespace) -> int:
    from sim.present import explorer

    if not explorer.available():
        print(f"aisim explore: {explorer.INSTALL_HINT}", file=sys.stderr)
        return EXIT_INPUT
    if args.address not in LOCAL_ADDRESSES:
        if not args.allow_remote:
            print(f"aisim explore: --address {args.address} serves the explorer beyond this "
                  "machine; add --allow-remote to do so", file=sys.stderr)
            return EXIT_INPUT
        print(f"aisim explore: warning: serving on {args.address}: anyone who reaches it can "
              "run the model here and read the scenarios offered", file=sys.stderr)
    explorer.serve(args.scenario, address=args.address, port=args.port,
                   open_browser=not args.no_browser)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim explore``."""
    p = sub.add_parser("explore", help="explore scenarios interactively in the browser",
                       description="Serve the scenario explorer on this machine and open it "
                       "in the browser (docs/explorer.md; needs the explore extra).")
    p.add_argument("scenario", nargs="?", help="scenario file shown first (default: the "
                   "Flanders central preset)")
    p.add_argument("--port", type=port_number, default=5006, help="port; 0: any free one")
    p.add_argument("--address", default="127.0.0.1",
                   help="address to bind; others than this machine's need --allow-remote")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow an address other than this machine's loopback")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_explore)
