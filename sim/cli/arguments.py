"""Argument types and messages shared by the subcommands (bounded integers, command-line
problems, output paths) and the exit codes. Subcommand modules import these public names;
nothing here runs a model.

Exit codes of every ``aisim`` subcommand (the one place they are defined; docs/reliability.md):

====  ======================================================================================
0     success
1     internal error: a bug, reported with "rerun with --debug" (never for bad input)
2     bad input: scenario, options, an output path that cannot be one (a parent that is a
      file, a directory under a file's name), a seed outside 0 .. 2**64 - 1
3     ``aisim compare --strict``: a published reference neither reproduced nor a known gap
4     the environment refused an output: disk full, read-only file system, no permission
130   interrupted by SIGINT (Ctrl-C); 143: by SIGTERM (128 + the signal's number)
====  ======================================================================================

In every failure the message is one line (``aisim <command>: ...``), the temporary file is
removed and a previous file under the output's name is left as it was.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sim.errors import Problem
from sim.scenario.schema import MAX_SEED  # the bound on monte_carlo.seed, for --seed too

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_REFERENCES, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_SIGNAL_BASE = 128  # + the signal number: 130 for SIGINT, 143 for SIGTERM
MAX_DRAWS = 100_000_000  # the scenario schema's bound on monte_carlo.draws, for --draws too


def int_at_least(minimum: int, words: str, maximum: int | None = None) -> Callable[[str], int]:
    """argparse type: an integer >= ``minimum`` (and <= ``maximum``), with a clear message
    otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {words}, got {text!r}")
        return value

    return parse


positive_int = int_at_least(1, "a positive integer")
draw_count = int_at_least(1, "a number of draws from 1 to 100,000,000", MAX_DRAWS)
nonnegative_int = int_at_least(0, "an integer >= 0")
seed_value = int_at_least(0, "a seed from 0 to 2**64 - 1", MAX_SEED)


def suffix_problem(option: str, path: str, *suffixes: str) -> Problem | None:
    """A problem when ``path`` does not end in one of ``suffixes`` (case-insensitive)."""
    from pathlib import Path

    if Path(path).suffix.lower() in suffixes:
        return None
    return Problem.command_line(option, "a path ending in " + " or ".join(suffixes), path)


def declare_outputs(args: argparse.Namespace, *options: tuple[str, object]) -> None:
    """Record the command's output paths in ``args.outputs`` (what a failure or an interrupt
    reports as not written) and check them (:func:`check_outputs`)."""
    from pathlib import Path

    args.outputs = [str(Path(str(path))) for _, path in options if path]
    check_outputs(*((option, str(path)) for option, path in options if path))


def check_outputs(*options: tuple[str, str | None]) -> None:
    """Refuse bad output paths before any work: ``(option, path)`` pairs (None: not asked
    for). A parent that is a file or a directory under a file's name is bad input
    (:class:`~sim.errors.InputError`); a folder that cannot be written to (read-only, no
    permission) raises :class:`~sim.errors.OutputError` from
    :func:`sim.atomic.probe_writable`. Stale temporaries of the same paths are removed."""
    from pathlib import Path

    from sim.atomic import probe_writable
    from sim.errors import InputError
    from sim.runner.sinks import output_problem

    wanted = [(option, Path(path)) for option, path in options if path]
    problems = [p for option, path in wanted for p in [output_problem(path, option)] if p]
    if problems:
        raise InputError(problems)
    for _, path in wanted:
        probe_writable(path)
