"""Argument types and messages shared by the subcommands (bounded integers, command-line
problems, output paths), the parser class every subcommand gets (help with defaults,
:class:`Parser`) and the exit codes. Subcommand modules import these public names; nothing here
runs a model, and importing this module loads nothing beyond the standard library and
:mod:`sim.errors` (``aisim --help`` stays fast, tests/test_startup.py).

Exit codes of every ``aisim`` subcommand (the one place they are defined; docs/reliability.md):

====  ======================================================================================
0     success
1     internal error: a bug, reported with "rerun with --debug" (never for bad input)
2     bad input: scenario, options, an output path that cannot be one (a parent that is a
      file, a directory under a file's name), a seed outside 0 .. 2**64 - 1
3     ``aisim compare --strict``: a published reference neither reproduced nor a known gap
4     the environment refused an output: disk full, read-only file system, no permission;
      or ``aisim run``'s full paths estimated larger than the free space (without --force)
130   interrupted by SIGINT (Ctrl-C); 143: by SIGTERM (128 + the signal's number)
====  ======================================================================================

In every failure the message is one line (``aisim <command>: ...``), the temporary file is
removed and a previous file under the output's name is left as it was.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from sim.errors import Problem

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_REFERENCES, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_SIGNAL_BASE = 128  # + the signal number: 130 for SIGINT, 143 for SIGTERM
MAX_DRAWS = 100_000_000  # the scenario schema's bound on monte_carlo.draws, for --draws too
#: the scenario schema's bound on monte_carlo.seed (``sim.scenario.schema.MAX_SEED``, equal:
#: tests/test_startup.py), for --seed too; not imported from there, which would load pydantic
MAX_SEED = 2**64 - 1


class HelpFormatter(argparse.HelpFormatter):
    """Help that shows every option's default: ``(default: X)`` is appended where the default
    is a value (a number, a word); where it is None, off or an empty list the help text says
    itself what happens by default (tests/test_startup.py checks every option of every
    subcommand). Descriptions and epilogs are filled paragraph by paragraph (a blank line
    separates them)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        return "\n\n".join(textwrap.fill(" ".join(part.split()), width, initial_indent=indent,
                                         subsequent_indent=indent, break_on_hyphens=False)
                           for part in text.split("\n\n"))

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if ("default" in text or default is None or default is False or default == []
                or default is argparse.SUPPRESS):
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return f"{text} (default: %(default)s)"
        return text


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` with :class:`HelpFormatter`; the subcommands' parsers are
    of this class too (``add_subparsers(parser_class=Parser)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def version_text() -> str:
    """``aisim 0.2.0 (Python 3.11.7; numpy 2.4.6, numba 0.62.1, xarray 2026.1.0)``: the
    package version and those of the libraries that decide the numbers, read from the
    installed metadata (nothing is imported)."""
    from importlib import metadata

    from sim.version import __version__

    def installed(name: str) -> str:
        try:
            return f"{name} {metadata.version(name)}"
        except metadata.PackageNotFoundError:
            return f"{name} not installed"

    python = ".".join(map(str, sys.version_info[:3]))
    libraries = ", ".join(installed(n) for n in ("numpy", "numba", "scipy", "xarray"))
    return f"aisim {__version__} (Python {python}; {libraries})"


class VersionAction(argparse.Action):
    """``--version``: print :func:`version_text` and exit 0 (computed only when asked)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


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
