"""The aisim command line: simulate, validate, calibrate, plot, export, compare, sweep, explore.

One thin module per subcommand: parse, call a public function, report.

Every subcommand turns bad input into a message naming file, line, key, what was expected and
what was found, and exits with code 2; no output file is left behind on failure.

The public seam: a subcommand is a module with ``register(subparsers)`` that adds its parser and
sets ``func`` (``args -> exit code``). :data:`COMMANDS` lists them; a new subcommand is a new
module plus one entry there (docs/architecture.md, "Where to change it").
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from sim.cli.arguments import EXIT_INPUT, EXIT_INTERNAL
from sim.errors import InputError

#: subcommand modules, in the order ``aisim --help`` lists them
COMMANDS: tuple[str, ...] = (
    "sim.cli.run", "sim.cli.validate", "sim.cli.calibrate", "sim.cli.plot", "sim.cli.export",
    "sim.cli.compare", "sim.cli.sweep", "sim.cli.sensitivity", "sim.cli.schema",
    "sim.cli.explore",
)


def build_parser() -> argparse.ArgumentParser:
    """The ``aisim`` parser with every subcommand of :data:`COMMANDS` registered."""
    parser = argparse.ArgumentParser(prog="aisim", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aisim`` console script."""
    from sim.model.cache import configure_numba_cache

    configure_numba_cache()
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
