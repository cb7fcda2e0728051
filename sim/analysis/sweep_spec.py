"""The definition of a sweep: grids, one-at-a-time variations and sampled designs.

Parsed from a YAML file (``aisim sweep --spec sweep.yaml``) and/or the command line (``--grid``,
``--oat``, ``--design/--points/--range``); every problem is reported with file, line, key,
expected and found. What a sweep computes is in :mod:`sim.analysis.sweep`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sim.errors import InputError, Problem
from sim.scenario.schema import MAX_SEED
from sim.suggest import did_you_mean

KINDS = ("grid", "oat", "design")
DESIGNS = ("lhs", "sobol")
SPEC_KEYS = ("grid", "oat", "design", "draws", "seed", "sampler", "chunk", "batch",
             "keep_draws", "variables")


# ------------------------------------------------------------------------------ definition
@dataclass(frozen=True)
class SweepSpec:
    """What to sweep: ``kind`` grid | oat | design, the parameters and their values."""

    kind: str
    params: tuple[str, ...]
    values: tuple[tuple[float, ...], ...] = ()       # grid, oat
    method: str = ""                                  # design: lhs | sobol
    points: int = 0                                   # design
    ranges: tuple[tuple[float, float], ...] = ()      # design
    draws: int | None = None
    seed: int | None = None
    sampler: str | None = None
    chunk: int | None = None
    batch: int | None = None                          # points per store chunk (None: auto)
    keep_draws: bool = False
    variables: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _number(text: Any) -> float | None:
    """A finite number from YAML text or a YAML value; None when it is not one."""
    import yaml

    value = text
    if isinstance(text, str):
        try:
            value = yaml.safe_load(text.strip())
        except yaml.YAMLError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def parse_values_arg(text: str, flag: str, problems: list[Problem]) -> tuple[str, list[float]]:
    """``dotted.path=v1,v2,...`` from --grid / --oat."""
    if "=" not in text:
        problems.append(Problem.command_line(flag, "dotted.path=v1,v2,...", repr(text)))
        return "", []
    key, raw = text.split("=", 1)
    key = key.strip()
    parts = [p for p in raw.split(",")]
    values = [_number(p) for p in parts]
    if not key or any(not k for k in key.split(".")) or not raw.strip() \
            or any(v is None for v in values):
        problems.append(Problem.command_line(flag, "dotted.path=v1,v2,... with finite numbers",
                                     repr(text)))
        return "", []
    return key, [float(v) for v in values]  # type: ignore[arg-type]


def parse_range_arg(text: str, flag: str, problems: list[Problem]) -> tuple[str, float, float]:
    """``dotted.path=low:high`` with low < high."""
    if "=" not in text or ":" not in text.split("=", 1)[1]:
        problems.append(Problem.command_line(flag, "dotted.path=low:high", repr(text)))
        return "", 0.0, 0.0
    key, raw = text.split("=", 1)
    key = key.strip()
    lo_text, hi_text = raw.split(":", 1)
    lo, hi = _number(lo_text), _number(hi_text)
    if not key or any(not k for k in key.split(".")) or lo is None or hi is None:
        problems.append(Problem.command_line(flag, "dotted.path=low:high with finite numbers",
                                     repr(text)))
        return "", 0.0, 0.0
    if lo >= hi:
        problems.append(Problem.command_line(f"{flag} {key}", "low < high", f"{lo:g}:{hi:g}"))
        return "", 0.0, 0.0
    return key, lo, hi


def _read_spec_file(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], Any]:
    from sim.scenario.limits import read_text
    from sim.scenario.loader import read_yaml

    text, problem = read_text(path, str(path), None, "(file)")
    if problem is not None:
        problems.append(problem)
        return {}, None
    doc = read_yaml(text, str(path), problems)
    return doc.data, doc.where


def _spec_values(value: Any, file: str, line: int | None, key: str,
                 problems: list[Problem]) -> list[float]:
    items = value if isinstance(value, list) else [value]
    out = [_number(v) for v in items]
    if not items or any(v is None for v in out):
        problems.append(Problem(file, line, key, "a number or a list of finite numbers",
                                repr(value)))
        return []
    return [float(v) for v in out]  # type: ignore[arg-type]


def parse_spec(data: dict[str, Any] | None = None, *, file: str = "sweep spec",
               where: dict | None = None, grid: list[str] | None = None,
               oat: list[str] | None = None, design: str | None = None,
               points: int | None = None, ranges: list[str] | None = None,
               draws: int | None = None, seed: int | None = None, chunk: int | None = None,
               batch: int | None = None, keep_draws: bool | None = None,
               variables: list[str] | None = None,
               sampler: str | None = None) -> SweepSpec:
    """Build a :class:`SweepSpec` from a spec mapping (a sweep YAML file) and command-line
    values; a sweep definition given on the command line replaces the file's. Raises
    :class:`InputError` listing every problem."""
    data = dict(data or {})
    where = where or {}
    problems: list[Problem] = []

    def line(*key: str) -> int | None:
        return where.get(tuple(key), (file, None))[1]

    for key in data:
        if key not in SPEC_KEYS:
            problems.append(Problem(file, line(str(key)), str(key),
                                    "one of: " + ", ".join(SPEC_KEYS), f"unknown key {key!r}",
                                    did_you_mean(key, SPEC_KEYS)))
    # the sweep definition: command line first, else the file
    kind, params, values, method, npoints, rngs = "", [], [], "", 0, []
    cli_kinds = [k for k, v in (("grid", grid), ("oat", oat), ("design", design)) if v]
    file_kinds = [k for k in KINDS if data.get(k) is not None]
    if len(cli_kinds) > 1:
        problems.append(Problem.command_line("--" + "/--".join(cli_kinds),
                                     "one of --grid, --oat, --design", "several"))
    elif cli_kinds:
        kind = cli_kinds[0]
        if kind in ("grid", "oat"):
            for text in (grid if kind == "grid" else oat) or []:
                key, vals = parse_values_arg(text, "--" + kind, problems)
                if key:
                    params.append(key)
                    values.append(tuple(vals))
        else:
            method, npoints = str(design), int(points or 0)
            for text in ranges or []:
                key, lo, hi = parse_range_arg(text, "--range", problems)
                if key:
                    params.append(key)
                    rngs.append((lo, hi))
            if not ranges:
                problems.append(Problem.command_line("--range", "at least one dotted.path=low:high "
                                             "for --design", "none"))
    elif len(file_kinds) > 1:
        problems.append(Problem(file, line(file_kinds[1]), file_kinds[1],
                                "one of grid, oat, design", "several: " + ", ".join(file_kinds)))
    elif file_kinds:
        kind = file_kinds[0]
        body = data[kind]
        if kind in ("grid", "oat"):
            if not isinstance(body, dict) or not body:
                problems.append(Problem(file, line(kind), kind,
                                        "a mapping of dotted.path: [values]", repr(body)))
            else:
                for key, val in body.items():
                    vals = _spec_values(val, file, line(kind, str(key)), f"{kind}.{key}",
                                        problems)
                    if vals:
                        params.append(str(key))
                        values.append(tuple(vals))
        else:
            if not isinstance(body, dict):
                problems.append(Problem(file, line(kind), kind,
                                        "a mapping with method, points, ranges", repr(body)))
                body = {}
            for key in body:
                if key not in ("method", "points", "ranges"):
                    problems.append(Problem(file, line(kind, str(key)), f"design.{key}",
                                            "one of: method, points, ranges",
                                            f"unknown key {key!r}"))
            method = str(body.get("method", "sobol"))
            raw_points = body.get("points", points)
            if isinstance(raw_points, bool) or not isinstance(raw_points, int):
                problems.append(Problem(file, line(kind, "points"), "design.points",
                                        "a positive integer", repr(raw_points)))
                raw_points = 0
            npoints = int(points or raw_points)
            rbody = body.get("ranges")
            if not isinstance(rbody, dict) or not rbody:
                problems.append(Problem(file, line(kind, "ranges"), "design.ranges",
                                        "a mapping of dotted.path: [low, high]", repr(rbody)))
                rbody = {}
            for key, val in rbody.items():
                pair = [_number(v) for v in val] if isinstance(val, list) else []
                where_line = line(kind, "ranges", str(key))
                if len(pair) != 2 or any(v is None for v in pair):
                    problems.append(Problem(file, where_line, f"design.ranges.{key}",
                                            "[low, high] with finite numbers", repr(val)))
                elif pair[0] >= pair[1]:  # type: ignore[operator]
                    problems.append(Problem(file, where_line, f"design.ranges.{key}",
                                            "low < high", repr(val)))
                else:
                    params.append(str(key))
                    rngs.append((float(pair[0]), float(pair[1])))  # type: ignore[arg-type]
    elif not problems:
        problems.append(Problem(file if data else "command line", None, "sweep definition",
                                "one of grid, oat or design (in --spec FILE, or --grid/--oat/"
                                "--design on the command line)", "none"))
    if kind == "design":
        if method not in DESIGNS:
            problems.append(Problem(file if not design else "command line",
                                    line("design", "method") if not design else None,
                                    "--design" if design else "design.method",
                                    "one of: " + ", ".join(DESIGNS), repr(method),
                                    did_you_mean(method, DESIGNS, 0.5)))
        if npoints < 1:
            problems.append(Problem("command line" if design else file, None,
                                    "--points" if design else "design.points",
                                    "a positive number of points", str(npoints)))
    duplicated = sorted({p for p in params if params.count(p) > 1})
    if duplicated:
        problems.append(Problem(file if not cli_kinds else "command line", None,
                                ", ".join(duplicated), "each parameter once", "repeated"))
    if kind == "grid":
        for p, vals in zip(params, values, strict=True):
            if len(set(vals)) != len(vals):
                problems.append(Problem(file if not cli_kinds else "command line", None,
                                        p, "distinct grid values", repr(list(vals))))

    def scalar(key: str, cli: Any, positive: bool, maximum: int | None = None,
               words: str | None = None) -> int | None:
        if cli is not None:
            return int(cli)
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if positive
                                                                             else 0) \
                or (maximum is not None and value > maximum):
            problems.append(Problem(file, line(key), key, words or (
                "a positive integer" if positive else "an integer >= 0"), repr(value)))
            return None
        return int(value)

    n_draws = scalar("draws", draws, True)
    n_seed = scalar("seed", seed, False, MAX_SEED, "a seed from 0 to 2**64 - 1")
    n_chunk = scalar("chunk", chunk, True)
    n_batch = scalar("batch", batch, True)
    keep = keep_draws if keep_draws else data.get("keep_draws", False)
    if not isinstance(keep, bool):
        problems.append(Problem(file, line("keep_draws"), "keep_draws", "true or false",
                                repr(keep)))
        keep = False
    samp = sampler if sampler is not None else data.get("sampler")
    if samp is not None and samp not in ("mc", "lhs", "sobol"):
        problems.append(Problem(file if sampler is None else "command line", line("sampler"),
                                "sampler", "one of: mc, lhs, sobol", repr(samp)))
    var_list = list(variables) if variables else data.get("variables") or []
    if isinstance(var_list, str):
        var_list = [var_list]
    from sim.runner.results import VARIABLES

    for name in var_list:
        if name not in VARIABLES:
            problems.append(Problem(file if not variables else "command line",
                                    line("variables") if not variables else None,
                                    "variables" if not variables else "--var",
                                    "an output variable of sim.model.variables.VARIABLES",
                                    repr(name), did_you_mean(name, VARIABLES)))
    if problems:
        raise InputError(problems)
    return SweepSpec(kind=kind, params=tuple(params), values=tuple(values), method=method,
                     points=npoints, ranges=tuple(rngs), draws=n_draws, seed=n_seed,
                     sampler=samp, chunk=n_chunk, batch=n_batch, keep_draws=bool(keep),
                     variables=tuple(dict.fromkeys(var_list)))


def load_spec(path: str | Path | None, **cli: Any) -> SweepSpec:
    """Read a sweep YAML file (optional) and merge command-line values over it."""
    if path is None:
        return parse_spec(None, **cli)
    problems: list[Problem] = []
    data, where = _read_spec_file(Path(path), problems)
    if problems:
        raise InputError(problems)
    return parse_spec(data, file=str(path), where=where, **cli)
