"""``aisim init DIR``: write a starter scenario that runs as it is, from any folder.

``DIR/scenario.yaml`` extends the Flemish calibration shipped with aisim
(``aisim:flanders_A10``) and spells out the default scenario's central AI assumptions, each
with its source; ``DIR/scenario.schema.json`` is the editor schema its first line points to
(:mod:`sim.scenario.starter`). An existing file is left alone unless ``--force``.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from sim.atomic import write_bytes
from sim.cli.arguments import EXIT_OK, declare_outputs
from sim.errors import InputError, Problem


def cmd_init(args: argparse.Namespace) -> int:
    from sim.scenario.starter import SCENARIO_FILE, starter_files

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise InputError([Problem.command_line("DIR", "a folder (new or existing)",
                                               f"{folder} (a file)")])
    files = starter_files()
    targets = [folder / name for name in files]
    existing = [str(p) for p in targets if p.exists() or p.is_symlink()]
    if existing and not args.force:
        raise InputError([Problem.command_line(
            "DIR", "a folder without " + " or ".join(files),
            f"{', '.join(existing)} (already there)",
            "pass --force to overwrite, or choose another folder")])
    declare_outputs(args, *(("DIR", p) for p in targets))
    for path, text in zip(targets, files.values(), strict=True):
        write_bytes(path, text)
        print(f"wrote {path}")
    scenario = shlex.quote(str(folder / SCENARIO_FILE))
    print(f"next: aisim validate {scenario} && aisim run {scenario}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``aisim init``."""
    p = sub.add_parser("init", help="write a starter scenario (runs as is) into a folder",
                       description="Write DIR/scenario.yaml, a commented starter scenario on "
                       "the Flemish calibration shipped with aisim (extends: aisim:flanders_A10"
                       "), and DIR/scenario.schema.json for your editor.")
    p.add_argument("dir", metavar="DIR", help="folder to write into (created if missing)")
    p.add_argument("--force", action="store_true",
                   help="overwrite scenario.yaml and scenario.schema.json if they exist "
                        "(default: refuse)")
    p.set_defaults(func=cmd_init)
