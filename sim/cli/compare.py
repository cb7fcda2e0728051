"""``aisim compare``: several scenarios side by side, with their published references
(the replication table, docs/replication.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.cli.arguments import (
    EXIT_OK,
    EXIT_REFERENCES,
    declare_outputs,
    draw_count,
    seed_value,
    suffix_problem,
)
from sim.errors import InputError, Problem


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.analysis.compare import (
        compare,
        comparison_dataset,
        markdown_document,
        text_table,
        write_csv,
        write_markdown,
    )
    from sim.present.analysis_figures import plot_comparison

    checks = [(args.csv, "--csv", ".csv"), (args.markdown, "--markdown", ".md"),
              (args.png, "--png", ".png")]
    problems = [p for path, opt, suf in checks if path
                for p in [suffix_problem(opt, path, suf)] if p]
    if args.out and Path(args.out).suffix not in (".nc", ".zarr"):
        problems.append(Problem.command_line("--out", "a path ending in .nc or .zarr", args.out))
    if problems:
        raise InputError(problems)
    declare_outputs(args, *((opt, path) for path, opt, _ in checks), ("--out", args.out))
    results = compare(args.files, draws=args.draws, seed=args.seed)
    options = "".join(f" {flag} {value}" for flag, value in (
        ("--draws", args.draws), ("--seed", args.seed)) if value is not None)
    if args.title != DEFAULT_TITLE:
        options += f" --title '{args.title}'"
    if not args.quiet:
        print(text_table(results))
    if args.csv:
        write_csv(results, args.csv)
    if args.markdown:
        out = Path(args.markdown).as_posix()
        write_markdown(markdown_document(results, args.title, options, out), args.markdown)
    if args.png:
        plot_comparison(results, args.png)
    if args.out:
        from sim.runner.results import write_results

        write_results(comparison_dataset(results), args.out)
    if not args.quiet:
        for path in (args.csv, args.markdown, args.png, args.out):
            if path:
                print(f"wrote {path}")
    failed = [c for r in results for c in r.references if not c.ok]
    return EXIT_REFERENCES if failed and args.strict else EXIT_OK


DEFAULT_TITLE = "Scenario comparison"


def register(subparsers: Any) -> None:
    """Add ``aisim compare``."""
    p = subparsers.add_parser(
        "compare", help="run several scenarios and compare headline results and references",
        description="Run several scenarios and print their headline results side by side "
        "with the published numbers each reproduces (docs/replication.md).")
    p.add_argument("files", nargs="+", metavar="FILES", help="scenario YAML files")
    p.add_argument("--draws", type=draw_count,
                   help="Monte Carlo draws per scenario (default: each file's "
                   "monte_carlo.draws)")
    p.add_argument("--seed", type=seed_value,
                   help="root seed (default: each file's monte_carlo.seed)")
    p.add_argument("--csv", help="write the table as CSV (default: not written)")
    p.add_argument("--markdown", help="write the table as a Markdown page (default: not "
                   "written)")
    p.add_argument("--png", help="write a comparison chart (default: not written)")
    p.add_argument("--out", "-o", help="write the scenarios' summaries along a scenario dim "
                   "(.nc or .zarr), for aisim plot --kind compare and aisim export (default: "
                   "not written)")
    p.add_argument("--title", default=DEFAULT_TITLE, help="title of the Markdown page")
    p.add_argument("--strict", action="store_true",
                   help="exit 3 when a reference is neither reproduced nor a documented gap")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print nothing but errors (no table)")
    p.set_defaults(func=cmd_compare)
