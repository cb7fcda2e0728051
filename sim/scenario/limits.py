"""Bounds on what a scenario file may cost before it is parsed: size, file type, text encoding,
nesting depth and values after alias expansion.

A scenario is a few kB of YAML (the largest shipped file, a 21-sector calibration, is 33 kB).
Anything far beyond that is a mistake or an attack (a "billion laughs" alias bomb, ``extends:
/dev/zero``, a FIFO that never ends), and is refused with a located message before it can take
memory or time. Every limit is a module constant, named in the message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from sim.errors import Problem

MAX_FILE_BYTES = 2 * 1024 * 1024  # 2 MiB: 60 times the largest shipped scenario file
MAX_DEPTH = 64  # nested mappings and lists; shipped files nest at most 6 deep
MAX_VALUES = 200_000  # keys and values after expanding aliases; shipped files: < 5,000
MAX_HINTED = 200  # "did you mean" is worked out for this many problems; a flood gets none


class ExpansionLimitError(Exception):
    """Raised while building a document that expands past :data:`MAX_VALUES`."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_text(path: Path, file: str, line: int | None,
              key: str) -> tuple[str | None, Problem | None]:
    """The UTF-8 text of a regular file of at most :data:`MAX_FILE_BYTES`, or the problem.

    ``file``, ``line`` and ``key`` locate the reference (the command line, or the ``extends:``
    entry that names ``path``). The file type is checked with ``stat`` before opening, so a FIFO
    or a device is refused without blocking or reading it."""
    shown = str(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        return None, Problem(file, line, key, "a readable scenario file",
                             f"{shown} ({exc.strerror or exc})")
    if not stat.S_ISREG(info.st_mode):
        return None, Problem(file, line, key, "a regular scenario file",
                             f"{shown}: {_kind(info.st_mode)}")
    if info.st_size > MAX_FILE_BYTES:
        return None, Problem(file, line, key, f"a scenario file of at most {MAX_FILE_BYTES:,} "
                             "bytes", f"{shown}: {info.st_size:,} bytes")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, Problem(file, line, key, "a readable scenario file",
                             f"{shown} ({exc.strerror or exc})")
    if len(data) > MAX_FILE_BYTES:  # grew while being read, or a file that reports no size
        return None, Problem(file, line, key, f"a scenario file of at most {MAX_FILE_BYTES:,} "
                             "bytes", f"{shown}: more")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(shown, bad_line, "(file)", "UTF-8 text",
                             f"byte 0x{data[exc.start]:02x} that is not UTF-8",
                             "save the file as UTF-8")


def check_structure(text: str, file: str) -> Problem | None:
    """Walk the YAML event stream (no document is built) and refuse nesting deeper than
    :data:`MAX_DEPTH` or more than :data:`MAX_VALUES` events, with the line where it happens.
    Syntax errors are left to the parser that follows."""
    depth = 0
    events = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            events += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(file, event.start_mark.line + 1, "(document)",
                                   f"mappings and lists nested at most {MAX_DEPTH} deep",
                                   f"more than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if events > MAX_VALUES:
                return Problem(file, event.start_mark.line + 1, "(document)",
                               f"at most {MAX_VALUES:,} keys and values", "more")
    except yaml.YAMLError:
        return None
    return None
