"""The aisim command line: run, validate, calibrate, plot, export, compare, sweep, sensitivity,
schema, explore.

One thin module per subcommand: parse, call a public function, report. Start-up is lazy: the
subcommand modules import only the standard library and :mod:`sim.cli.arguments` at the top, and
the numba cache is chosen only for a subcommand that simulates, after the arguments are parsed,
so ``aisim --help`` and ``aisim run --help`` load no numba, numpy, xarray or pydantic
(tests/test_startup.py; the times are in benchmarks/README.md).

Every subcommand turns bad input into a message naming file, line, key, what was expected and
what was found, and exits with code 2; an output the environment refuses (disk full, read-only,
no permission) into one line and exit code 4; SIGINT and SIGTERM into one line and 130 / 143
(:mod:`sim.cli.arguments` lists the codes). No output file is left behind on failure, and a
previous file under the output's name is left as it was.

The public seam: a subcommand is a module with ``register(subparsers)`` that adds its parser and
sets ``func`` (``args -> exit code``). :data:`COMMANDS` lists them; a new subcommand is a new
module plus one entry there (docs/architecture.md, "Where to change it").
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sim.atomic import as_output_error
from sim.cli.arguments import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OUTPUT,
    EXIT_SIGNAL_BASE,
    Parser,
    VersionAction,
)
from sim.errors import InputError, OutputError
from sim.progress import Interrupt

#: subcommand modules, in the order ``aisim --help`` lists them
COMMANDS: tuple[str, ...] = (
    "sim.cli.run", "sim.cli.validate", "sim.cli.init", "sim.cli.calibrate", "sim.cli.plot",
    "sim.cli.export", "sim.cli.compare", "sim.cli.sweep", "sim.cli.discover",
    "sim.cli.robustness", "sim.cli.sensitivity", "sim.cli.schema",
    "sim.cli.explore",
)


#: the top of ``aisim --help``; the command list is appended from :data:`COMMANDS`
DESCRIPTION = ("aisim simulates how AI changes productivity, GDP and employment, sector by "
               "sector, as a Monte Carlo over a scenario's uncertain assumptions.")
EPILOG = """\
'aisim COMMAND --help' shows a command's options and their defaults. Documentation: docs/ in the
repository (getting-started.md first).

Exit codes: 0 success; 1 internal error (a bug: rerun with --debug); 2 bad input; 3 compare
--strict found a reference not reproduced; 4 the environment refused an output (disk full,
read-only, no permission, not enough free space); 130 / 143 interrupted (Ctrl-C / SIGTERM)."""


def command_names() -> list[str]:
    """The subcommands, in the order ``aisim --help`` lists them."""
    return [module.rsplit(".", 1)[1] for module in COMMANDS]


def build_parser() -> argparse.ArgumentParser:
    """The ``aisim`` parser with every subcommand of :data:`COMMANDS` registered."""
    names = command_names()
    description = f"{DESCRIPTION}\n\nCommands: {', '.join(names[:-1])} and {names[-1]}."
    parser = Parser(prog="aisim", description=description, epilog=EPILOG)
    parser.add_argument("--version", action=VersionAction,
                        help="print the version of aisim and of numpy, numba, scipy, xarray")
    parser.add_argument("--debug", action="store_true",
                        help="show a traceback for an internal error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=Parser)
    for module in COMMANDS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aisim`` console script: the subcommand's exit code, or one of
    :mod:`sim.cli.arguments`'s for a failure, reported in one line (no traceback)."""
    Interrupt.install()  # first: a signal while the kernels load is reported like any other
    parser = build_parser()
    args = parser.parse_args(argv)  # --help, --version and usage errors exit here
    if getattr(args, "simulates", True):  # validate, schema, plot, export never load a kernel
        from sim.model.cache import configure_numba_cache

        configure_numba_cache()  # before any kernel is imported (docs/architecture.md)
    func: Callable[[argparse.Namespace], int] = args.func
    started = time.time()
    with reported_log(args.command):
        try:
            return func(args)
        except InputError as exc:
            return fail(args, f"{exc}", EXIT_INPUT)
        except OutputError as exc:
            return fail(args, f"{exc}; {not_written(args, started, exc.path)}", EXIT_OUTPUT)
        except KeyboardInterrupt:
            with Interrupt.shielded():  # a second Ctrl-C does not break the one line
                signum = Interrupt.signum or signal.SIGINT
                code = fail(args, f"interrupted by {signal.Signals(signum).name}; "
                            f"{not_written(args, started)}", EXIT_SIGNAL_BASE + signum)
                if argv is None:  # the console script: nothing may print or re-raise after
                    # the one line (a late KeyboardInterrupt at interpreter shutdown made
                    # Python kill itself with the signal: exit -2 instead of 130, seen under load)
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
                return code
        except Exception as exc:  # an internal error, not the user's input
            where = getattr(exc, "filename", None) or next(iter(getattr(args, "outputs", [])),
                                                             "the output")
            output = as_output_error(exc, where)
            if output is not None:  # a refusal outside the writers' seams: still the disk's
                return fail(args, f"{output}; {not_written(args, started, output.path)}",
                            EXIT_OUTPUT)
            if args.debug:
                raise
            return fail(args, f"internal error: {type(exc).__name__}: {exc}\n"
                        "(rerun with --debug for a traceback and please report it)",
                        EXIT_INTERNAL)


def fail(args: argparse.Namespace, message: str, code: int) -> int:
    """Print ``aisim <command>: message`` on stderr and return ``code``."""
    print(f"aisim {args.command}: {message}", file=sys.stderr)
    return code


def not_written(args: argparse.Namespace, since: float, failed: str | None = None) -> str:
    """What a failed or interrupted command left: the note it set (``args.kept``, e.g. a
    sweep's resumable store), else which of its outputs (``args.outputs``) it wrote (modified
    since ``since``) and which not, and that a previous file there is unchanged. ``failed``:
    the output the message already names."""
    kept = getattr(args, "kept", None)
    if kept:
        return kept
    outputs = list(getattr(args, "outputs", None) or [])
    done = [p for p in outputs if _modified_since(Path(p), since)]
    todo = [p for p in outputs if p not in done]
    previous = [p for p in todo if Path(p).exists()]
    named = todo if todo != [failed] else []
    text = "nothing written" + (f" to {', '.join(named)}" if named else "")
    if previous:
        text += f" (the previous {', '.join(previous)} left as it was)"
    if done:
        text = f"wrote {', '.join(done)}" + (f"; {text}" if todo else "")
    return text


def _modified_since(path: Path, since: float) -> bool:
    try:
        return path.stat().st_mtime >= since
    except OSError:
        return False


@contextmanager
def reported_log(command: str) -> Iterator[None]:
    """Show the ``aisim`` logger's notes (e.g. stale temporaries removed) on stderr as
    ``aisim <command>: ...`` lines while the command runs."""
    log = logging.getLogger("aisim")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"aisim {command}: %(message)s"))
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
