"""Error types that user-facing entry points turn into clear messages: bad input
(:class:`InputError`, exit code 2) and an output the environment refused (:class:`OutputError`,
exit code 4; sim/cli/arguments.py lists every exit code)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem found in user input: where it is, what was expected, what was found."""

    file: str
    line: int | None
    key: str
    expected: str
    got: str
    hint: str = ""

    @classmethod
    def command_line(cls, key: str, expected: str, got: str, hint: str = "") -> Problem:
        """A problem with a command-line argument or option (``key``: e.g. ``--out``)."""
        return cls("command line", None, key, expected, got, hint)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        text = f"{where}: {self.key}: expected {self.expected}, got {self.got}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class InputError(Exception):
    """Bad user input (scenario, override, data file); carries every problem found at once."""

    problems: list[Problem] = field(default_factory=list)

    #: at most this many problems are listed; the rest are counted (a flood of thousands of
    #: unknown keys prints a screenful, not a log file)
    shown = 50

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n:,} problem{'s' if n != 1 else ''} found:"
        lines = [head, *("  - " + str(p) for p in self.problems[:self.shown])]
        if n > self.shown:
            lines.append(f"  ... and {n - self.shown:,} more")
        return "\n".join(lines)


class ScenarioError(InputError):
    """A scenario file or override is invalid."""


class InfeasibleScenarioError(ScenarioError):
    """A scenario whose every value is valid but whose combination the model cannot run (a user
    cost of capital r + delta <= 0). ``aisim validate`` and ``aisim run`` refuse it like any
    invalid file; a sweep records such a point as failed and goes on (failure isolation).
    ``loaded`` is the validated scenario (its sha256 fingerprints the sweep point)."""

    def __init__(self, problems: list[Problem] | None = None, loaded: object = None) -> None:
        super().__init__(list(problems or []))
        self.loaded = loaded


class CalibrationDataError(InputError):
    """A raw calibration data file is malformed (missing column, non-numeric cell, unknown code)."""


@dataclass
class OutputError(Exception):
    """The environment refused to write an output: disk full, read-only file system, no
    permission. Not the user's input and not a bug; the CLI exits with ``EXIT_OUTPUT``.

    ``path`` is the output the tool was writing (its final name), ``reason`` what the operating
    system said, ``errno`` its number when known."""

    path: str
    reason: str
    errno: int | None = None

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"
