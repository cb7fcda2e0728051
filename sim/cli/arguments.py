"""Argument types and messages shared by the subcommands (bounded integers, command-line
problems). Subcommand modules import these public names; nothing here runs a model."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sim.errors import Problem

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2
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


def suffix_problem(option: str, path: str, *suffixes: str) -> Problem | None:
    """A problem when ``path`` does not end in one of ``suffixes`` (case-insensitive)."""
    from pathlib import Path

    if Path(path).suffix.lower() in suffixes:
        return None
    return Problem.command_line(option, "a path ending in " + " or ".join(suffixes), path)
