"""Load a scenario: YAML with line numbers, ``extends:`` chains, ``--set`` overrides, validation.

All problems are collected and raised together as one :class:`sim.errors.ScenarioError`, each
with file, line, dotted key path, what was expected, what was found and (for misspelt keys) a
suggestion. Nothing is computed before a scenario passes here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import InfeasibleScenarioError, Problem, ScenarioError
from sim.scenario import library
from sim.scenario.limits import (
    MAX_HINTED,
    MAX_VALUES,
    ExpansionLimitError,
    check_structure,
    read_text,
)
from sim.scenario.schema import Scenario
from sim.suggest import did_you_mean

Location = tuple[str, int | None]
KeyPath = tuple[str, ...]


@dataclass
class Located:
    """Plain data from YAML plus where each key path came from (file, line)."""

    data: Any
    where: dict[KeyPath, Location] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with the resolved document it came from (for provenance)."""

    scenario: Scenario
    resolved: dict[str, Any]
    source: str
    files: tuple[str, ...]

    @property
    def sha256(self) -> str:
        """sha256 of the resolved scenario (after extends and overrides), canonical JSON."""
        text = json.dumps(self.resolved, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- YAML reading
class ScenarioYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with YAML 1.2's floats: an unquoted ``1e308`` or ``5E-3`` is a
    number (YAML 1.1, which PyYAML follows, needs a dot, ``1.0e308``, and reads ``1e308`` as
    text, which the strict schema would then refuse with a confusing "write it without
    quotes")."""


ScenarioYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."))


def load_yaml_value(text: str) -> Any:
    """One YAML value (a ``--set`` right-hand side) with the scenario loader's rules."""
    return yaml.load(text, Loader=ScenarioYamlLoader)  # noqa: S506 (a SafeLoader subclass)


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _construct(node: yaml.Node, file: str, path: KeyPath, out: Located,
               problems: list[Problem], loader: yaml.SafeLoader, budget: list[int]) -> Any:
    """Build plain Python data from a composed node, recording key lines and duplicate keys.
    ``budget``: values still allowed (aliases are expanded, so an alias bomb runs it out and
    raises :class:`~sim.scenario.limits.ExpansionLimitError`)."""
    line = node.start_mark.line + 1
    budget[0] -= 1
    if budget[0] < 0:
        raise ExpansionLimitError(line)
    out.where.setdefault(path, (file, line))
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, f"tag {node.tag!r} is not allowed (plain YAML only)", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                problems.append(Problem(file, key_node.start_mark.line + 1, _dotted(path),
                                        "a scalar key", type(key).__name__))
                continue
            key_line = key_node.start_mark.line + 1
            if key in result:
                first = out.where.get((*path, str(key)), (file, None))[1]
                problems.append(Problem(file, key_line, _dotted((*path, str(key))),
                                        "each key once", "a duplicate key",
                                        f"first defined on line {first}"))
                continue
            child = (*path, str(key))
            out.where[child] = (file, key_line)
            result[key] = _construct(value_node, file, child, out, problems, loader, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, file, (*path, str(i)), out, problems, loader, budget)
                for i, v in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_yaml(text: str, file: str, problems: list[Problem]) -> Located:
    """Parse YAML safely (no object construction) keeping each key's line number; nesting and
    size after alias expansion are bounded (:mod:`sim.scenario.limits`)."""
    out = Located(None)
    too_deep = check_structure(text, file)
    if too_deep is not None:
        problems.append(too_deep)
        out.data = {}
        return out
    loader = None
    try:
        loader = ScenarioYamlLoader(text)  # checks the characters: a NUL is a ReaderError
        node = loader.get_single_node()
        if node is None:
            out.data = {}
        else:
            out.data = _construct(node, file, (), out, problems, loader, [MAX_VALUES])
    except ExpansionLimitError as exc:
        problems.append(Problem(file, exc.line, "(document)",
                                f"at most {MAX_VALUES:,} keys and values after expanding "
                                "aliases (*name)", "more: an alias expands too far"))
        out = Located({})
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if mark is None and isinstance(getattr(exc, "position", None), int):  # reader errors
            line = text.count("\n", 0, exc.position) + 1
        problems.append(Problem(file, line, "(document)", "valid YAML",
                                str(getattr(exc, "problem", None) or exc).splitlines()[0]))
        out.data = {}
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(out.data, dict):
        problems.append(Problem(file, 1, "(document)", "a mapping of scenario keys",
                                type(out.data).__name__))
        out.data = {}
    return out


# --------------------------------------------------------------------------- merging
def deep_merge(base: Located, over: Located) -> Located:
    """Merge ``over`` onto ``base``: mappings merge key by key, anything else is replaced."""

    def merge(a: Any, b: Any, path: KeyPath) -> Any:
        if isinstance(a, dict) and isinstance(b, dict) and not _is_leaf_spec(b):
            merged = dict(a)
            for k, v in b.items():
                merged[k] = merge(a.get(k), v, (*path, str(k))) if k in a else v
            return merged
        return b

    where = dict(base.where)
    # keys replaced wholesale (by a value that is not a mapping) lose the base's sub-locations
    for key in over.where:
        if isinstance(_get(over.data, key), dict):
            continue
        n = len(key)
        head = key[0] if n else None  # a cheap first test: most keys are in other sections
        for old in [k for k in where
                    if len(k) > n and (head is None or k[0] == head) and k[:n] == key]:
            del where[old]
    where.update(over.where)
    return Located(merge(base.data, over.data, ()), where)


def _is_leaf_spec(value: dict) -> bool:
    """A distribution spec replaces, never merges with, what it overrides."""
    return "dist" in value


def _get(data: Any, path: KeyPath) -> Any:
    for key in path:
        if isinstance(data, dict):
            data = data.get(key, data.get(_maybe_int(key)))
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def _maybe_int(key: str) -> Any:
    try:
        return int(key)
    except ValueError:
        return key


def _load_file(path: Path, problems: list[Problem], stack: tuple[Path, ...],
               referrer: Location | None) -> Located:
    """Read one file and, recursively, what it ``extends:`` (a path or a list of paths)."""
    path = path.resolve()
    shown = str(path)
    if path in stack:
        cycle = " -> ".join(str(p.name) for p in (*stack, path))
        file, line = referrer or (shown, None)
        problems.append(Problem(file, line, "extends", "an acyclic chain of files",
                                f"a cycle: {cycle}"))
        return Located({})
    file, line = referrer or (shown, None)
    text, problem = read_text(path, file, line, "extends" if referrer else "(file)")
    if problem is not None:
        problems.append(problem)
        return Located({})
    own = read_yaml(text, shown, problems)
    parents = own.data.pop("extends", None)
    if parents is None:
        return own
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        problems.append(Problem(shown, own.where.get(("extends",), (shown, None))[1], "extends",
                                "a file path or aisim:NAME, or a list of them", repr(parents)))
        return own
    merged = Located({})
    for i, parent in enumerate(parents):
        where = own.where.get(("extends", str(i)), own.where.get(("extends",), (shown, None)))
        if library.is_name(parent):
            found = library.lookup(parent)
            if found is None:
                problems.append(_unknown_name(parent, where))
                continue
            parent_path = found
        else:
            parent_path = path.parent / parent
        base = _load_file(parent_path, problems, (*stack, path), where)
        merged = deep_merge(merged, base)
    return deep_merge(merged, own)


def _unknown_name(name: str, where: Location, key: str = "extends") -> Problem:
    """An ``aisim:NAME`` that the library does not have, with every name it has."""
    return Problem(where[0], where[1], key, library.expected_names(), repr(name),
                   library.suggestion(name))


def scenario_file(source: str | Path) -> Path:
    """The file of a scenario argument: a path as given, or the library file of ``aisim:NAME``
    (:mod:`sim.scenario.library`). Raises :class:`ScenarioError` for an unknown name."""
    if library.is_name(source):
        found = library.lookup(str(source))
        if found is None:
            raise ScenarioError([_unknown_name(str(source), ("command line", None),
                                               "scenario")])
        return found
    return Path(source)


# --------------------------------------------------------------------------- overrides
#: a plain decimal number with a fraction (and exponent), e.g. ``0.2187`` or ``-1.5e-05``: YAML
#: reads it as the float Python's ``float`` gives (no aliases, no nesting), so
#: :func:`parse_override` skips the three YAML passes (~0.15 ms; a sweep point has a few)
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")


def parse_override(text: str) -> tuple[KeyPath, Any]:
    """Parse ``dotted.key=value``; the value is YAML (number, list, ``{dist: ...}``)."""
    if "=" not in text:
        raise ValueError(f"expected dotted.key=value, got {text!r}")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise ValueError(f"expected dotted.key=value, got {text!r}")
    if _DECIMAL.match(raw):  # what a sweep writes (override_text): the float YAML reads
        return tuple(key.split(".")), float(raw)
    try:
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(raw, Loader=yaml.SafeLoader)):
            raise ValueError(f"value of {key}: YAML aliases (*name) are not allowed in --set")
        too_deep = check_structure(raw, "--set")
        if too_deep is not None:
            raise ValueError(f"value of {key}: expected {too_deep.expected}, got {too_deep.got}")
        value = load_yaml_value(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        raise ValueError(f"value of {key} is not valid YAML: {exc}") from exc
    return tuple(key.split(".")), value


def apply_overrides(doc: Located, overrides: list[str], problems: list[Problem]) -> Located:
    """Apply ``--set`` overrides; they are validated exactly like file values afterwards."""
    for text in overrides:
        try:
            path, value = parse_override(text)
        except ValueError as exc:
            problems.append(Problem("--set", None, text, "dotted.key=value", str(exc)))
            continue
        nested: Any = value
        for key in reversed(path):
            nested = {key: nested}
        where = {path[: i + 1]: ("--set " + text, None) for i in range(len(path))}
        doc = deep_merge(doc, Located(nested, where))
    return doc


# --------------------------------------------------------------------------- validation
def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) if path else "(top level)"


def _locate(where: dict[KeyPath, Location], loc: KeyPath, fallback: str) -> Location:
    """The closest recorded location for a pydantic error location."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in where:
            return where[loc[:n]]
    return (fallback, None)


_DIST_TAGS = {"normal", "lognormal", "uniform", "triangular", "beta", "truncnormal", "choice"}


def _clean_loc(loc: tuple[Any, ...]) -> tuple[KeyPath, str]:
    """Drop pydantic's union-branch tags (``float``, ``normal``, ...) from an error location;
    also return the distribution family the error came from inside ("" if none)."""
    out: list[str] = []
    in_dist = ""
    for part in loc:
        text = str(part)
        if text in _DIST_TAGS and not in_dist:
            in_dist = text
            continue
        if text in {"float", "int", "function-after[check(), union[float,tagged-union]]"}:
            continue
        if text.startswith(("function-", "union[", "tagged-union[", "dict[", "nullable[")):
            continue
        out.append(text)
    return tuple(out), in_dist


def _allowed_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    """Field names allowed at ``path`` under ``model`` (for did-you-mean suggestions)."""
    current: Any = model
    for key in path:
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        if key in fields:
            current = _model_in(fields[key].annotation)
        else:
            # dict[str, Model]: a free key (sector code) then the model
            current = current if current is not None else None
            inner = _dict_value_model(current)
            if inner is None:
                return []
            current = inner
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    if typing.get_origin(annotation) is dict:
        return {"__dict_of__": _model_in(typing.get_args(annotation)[1])}
    return None


def _dict_value_model(current: Any) -> Any:
    if isinstance(current, dict):
        return current.get("__dict_of__")
    return None


def _distribution_problem(family: str, kind: str, loc: KeyPath, err: dict,
                          n_hinted: int) -> tuple[str, str, str]:
    """(expected, got, hint) for an error inside a ``{dist: family, ...}`` spec, in the
    family's own terms: its parameters as written (``mean``, not ``mean_``) and shorthands."""
    from sim.scenario.distributions import family_help, family_parameters

    params = family_parameters(family)
    if kind == "extra_forbidden":
        suggestion = did_you_mean(loc[-1], params) if n_hinted < MAX_HINTED else ""
        return (f"a parameter of {family}: " + ", ".join(params), f"unknown key {loc[-1]!r}",
                (suggestion + " " if suggestion else "") + family_help(family))
    message = err["msg"].removeprefix("Value error, ")
    if kind in ("float_type", "float_parsing", "finite_number"):
        message = "a finite number"
    elif kind == "missing":
        message = "this parameter"
    return f"a valid {family} distribution: {message}", _describe(err.get("input")), \
        family_help(family)


def _problems_from_validation(exc: ValidationError, doc: Located, fallback: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        loc, in_dist = _clean_loc(err["loc"])
        file, line = _locate(doc.where, loc, fallback)
        kind = err["type"]
        given = err.get("input")
        if kind in ("float_type", "float_parsing") and isinstance(given, dict) and (
                "dist" in given):
            continue  # the number branch of number | distribution: noise for a {dist: ...}
        got = _describe(given)
        hint = ""
        if in_dist:
            expected, got, hint = _distribution_problem(in_dist, kind, loc, err, len(problems))
        elif kind == "extra_forbidden":
            allowed = _allowed_keys(Scenario, loc[:-1])
            expected = "one of: " + ", ".join(allowed) if allowed else "no such key"
            got = f"unknown key {loc[-1]!r}"
            hint = did_you_mean(loc[-1], allowed) if len(problems) < MAX_HINTED else ""
        elif kind == "missing":
            expected, got = "this required key", "nothing"
        elif kind == "union_tag_invalid":
            tag = str(err.get("ctx", {}).get("tag", ""))
            expected = "a distribution family: " + ", ".join(sorted(_DIST_TAGS))
            got = f"dist: {tag!r}"
            hint = did_you_mean(tag, sorted(_DIST_TAGS))
        elif kind in ("float_type", "int_type") and isinstance(given, str | bool):
            expected = "an integer" if kind == "int_type" else "a number"
            hint = _coercion_hint(given, kind)
        elif kind in ("float_type", "float_parsing") and isinstance(given, dict):
            expected = "a number, or a distribution {dist: <family>, ...} (families: " + \
                ", ".join(sorted(_DIST_TAGS)) + ")"
            hint = "a mapping here needs a dist: key"
        elif kind == "finite_number":
            expected = "a finite number (not .inf or .nan)"
        else:
            expected = err["msg"].removeprefix("Value error, ")
        key = (_dotted(loc), expected)
        if key in seen:  # a union reports each branch; keep the first message per key
            continue
        seen.add(key)
        problems.append(Problem(file, line, _dotted(loc), expected, got, hint))
    return _dedupe_union_noise(problems)


def _dedupe_union_noise(problems: list[Problem]) -> list[Problem]:
    """Keep one problem per key: a union (number | distribution) reports both branches."""
    by_key: dict[str, Problem] = {}
    for p in problems:
        previous = by_key.get(p.key)
        if previous is None or _specificity(p) > _specificity(previous):
            by_key[p.key] = p
    return list(by_key.values())


def _coercion_hint(value: str | bool, kind: str) -> str:
    """What to write instead of a quoted number or a YAML boolean (no silent conversion)."""
    if isinstance(value, bool):
        return "true/false/yes/no are booleans in YAML, not numbers: write 1 or 0"
    try:
        number = int(value) if kind == "int_type" else float(value)
    except ValueError:
        return ""
    return f"write the number without quotes: {value.strip()}" if number == number else ""


def _specificity(p: Problem) -> int:
    generic = ("Input should be a valid number", "Input should be a valid dictionary",
               "Input should be a valid integer")
    return 0 if p.expected.startswith(generic) else 1


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _cross_check(data: dict[str, Any], doc: Located, fallback: str) -> list[Problem]:
    """Checks across sections: sector codes referenced elsewhere must exist."""
    problems: list[Problem] = []
    sectors = data.get("sectors")
    codes = [str(c) for c in sectors] if isinstance(sectors, dict) else []
    if not codes:
        return problems

    def check_codes(path: KeyPath, mapping: Any) -> None:
        if not isinstance(mapping, dict):
            return
        for code in mapping:
            if str(code) not in codes:
                file, line = _locate(doc.where, (*path, str(code)), fallback)
                problems.append(Problem(file, line, _dotted((*path, str(code))),
                                        "a sector code defined under sectors ("
                                        + ", ".join(codes) + ")", f"unknown sector {code!r}",
                                        did_you_mean(code, codes, 0.5, ignore_case=True)))

    ai = data.get("ai") if isinstance(data.get("ai"), dict) else {}
    prof = ai.get("profitable_share") if isinstance(ai.get("profitable_share"), dict) else {}
    check_codes(("ai", "profitable_share", "sector_multiplier"), prof.get("sector_multiplier"))
    diff = data.get("diffusion") if isinstance(data.get("diffusion"), dict) else {}
    check_codes(("diffusion", "sector_midpoint_shift"), diff.get("sector_midpoint_shift"))
    net = data.get("network") if isinstance(data.get("network"), dict) else {}
    coeffs = net.get("coefficients")
    check_codes(("network", "coefficients"), coeffs)
    if isinstance(coeffs, dict):
        for buyer, row in coeffs.items():
            check_codes(("network", "coefficients", str(buyer)), row)
    exposure = ai.get("exposure") if isinstance(ai.get("exposure"), dict) else {}
    measure = exposure.get("measure")
    if isinstance(measure, str) and isinstance(sectors, dict):
        for code, spec in sectors.items():
            known = spec.get("exposure_by_measure", {}) if isinstance(spec, dict) else {}
            if measure not in known:
                file, line = _locate(doc.where, ("ai", "exposure", "measure"), fallback)
                problems.append(Problem(file, line, "ai.exposure.measure",
                                        f"a measure listed in sectors.{code}.exposure_by_measure"
                                        f" ({', '.join(known) or 'none listed'})",
                                        repr(measure)))
                break
    return problems


def _correlation_check(scn: Scenario, doc: Located, fallback: str) -> list[Problem]:
    """Correlations name uncertain parameters and form a valid (PSD) rank-correlation matrix."""
    if not scn.correlations:
        return []
    from sim.scenario.parameters import stochastic_names

    message = _correlation_problem(tuple(stochastic_names(scn)),
                                   tuple(tuple(c) for c in scn.correlations))
    if message is None:
        return []
    file, line = _locate(doc.where, ("correlations",), fallback)
    return [Problem(file, line, "correlations",
                    "pairs of uncertain parameters with rho in [-1, 1] forming a positive "
                    "semi-definite matrix", message)]


@functools.lru_cache(maxsize=64)
def _correlation_problem(names: tuple[str, ...],
                         pairs: tuple[tuple[str, str, float], ...]) -> str | None:
    """What is wrong with the correlations ``pairs`` over the uncertain parameters ``names``
    (None if nothing), memoised: the answer depends on nothing else, and the eigenvalue check
    would otherwise be repeated for every sweep point of a scenario."""
    from sim.scenario.correlations import validate_correlation

    try:
        validate_correlation(names, list(pairs))
    except ValueError as exc:
        return str(exc)
    return None


def _central(value: Any) -> float:
    """A number, or a distribution's mean (what a central run uses)."""
    return float(value) if isinstance(value, int | float) else float(value.mean())


def _sector_sanity(scn: Scenario, doc: Located, fallback: str) -> list[Problem]:
    """A sector's accounts must make sense together: gross output at least its value added
    (value added is gross output less intermediate inputs), and people employed where value
    is added. Distributions are compared at their means (a central run's values)."""
    problems: list[Problem] = []
    for code, sector in scn.sectors.items():
        value_added = _central(sector.value_added)
        if sector.gross_output is not None and _central(sector.gross_output) < value_added:
            file, line = _locate(doc.where, ("sectors", code, "gross_output"), fallback)
            problems.append(Problem(file, line, f"sectors.{code}.gross_output",
                                    f"at least the value added ({value_added:.6g})",
                                    f"{_central(sector.gross_output):.6g}",
                                    "gross output = value added + intermediate inputs"))
        if _central(sector.employment) <= 0.0:
            file, line = _locate(doc.where, ("sectors", code, "employment"), fallback)
            problems.append(Problem(file, line, f"sectors.{code}.employment",
                                    "persons employed > 0 in a sector with value added",
                                    f"{_central(sector.employment):.6g}"))
    if scn.sectors and all(_central(s.labour_share) <= 0.0 for s in scn.sectors.values()):
        code = next(iter(scn.sectors))
        file, line = _locate(doc.where, ("sectors", code, "labour_share"), fallback)
        problems.append(Problem(file, line, f"sectors.{code}.labour_share",
                                "a labour share > 0 in at least one sector (with none, labour "
                                "income and the AI gain on labour tasks are zero: 0 / 0)",
                                "0 in every sector"))
    return problems


def _network_check(scn: Scenario, doc: Located, fallback: str) -> list[Problem]:
    """The production network's inputs, checked at load time so that ``aisim validate``
    refuses what the run would (MODEL.md 3.2): gross output for every sector when the network
    is on, and each buyer's intermediate input shares summing to < 1 (else I - Omega has no
    meaningful inverse). Distributions are taken at their means, as the run does."""
    problems: list[Problem] = []
    if scn.network.enabled:
        for code, sector in scn.sectors.items():
            if sector.gross_output is None:
                file, line = _locate(doc.where, ("sectors", code), fallback)
                problems.append(Problem(file, line, f"sectors.{code}.gross_output",
                                        "gross output for every sector when network.enabled",
                                        "nothing"))
    for buyer, row in scn.network.coefficients.items():
        total = sum(_central(v) for v in row.values())
        if total >= 1.0:
            file, line = _locate(doc.where, ("network", "coefficients", buyer), fallback)
            problems.append(Problem(file, line, f"network.coefficients.{buyer}",
                                    "intermediate input shares summing to < 1 per buyer",
                                    f"row sum {total:.4g}"))
    return problems


def _bounds(value: Any) -> tuple[float, float]:
    """A number twice, or a distribution's support (every value a draw can take)."""
    if isinstance(value, int | float):
        return float(value), float(value)
    low, high = value.support()
    return float(low), float(high)


def _path_bounds(path: Any, years: list[int]) -> tuple[list[float], list[float]]:
    """Lowest and highest value of a rate path in each year: a number, or ``{year: value}``
    interpolated linearly between knots and flat outside (as the run does), so bounds at the
    knots interpolate to bounds in every year."""
    import numpy as np

    if not isinstance(path, dict):
        low, high = _bounds(path)
        return [low] * len(years), [high] * len(years)
    knots = sorted(path)
    lows = np.interp(years, knots, [_bounds(path[k])[0] for k in knots])
    highs = np.interp(years, knots, [_bounds(path[k])[1] for k in knots])
    return list(lows), list(highs)


def _user_cost_check(scn: Scenario, doc: Located, fallback: str) -> list[Problem]:
    """The user cost of capital R = r + delta = policy - inflation + premium + delta must be
    positive in every year and for every value the distributions allow (MODEL.md 3.4): the
    run's check, made at load time so that ``aisim validate`` refuses what ``aisim run`` would.
    """
    years = list(range(scn.horizon.start, scn.horizon.end + 1))
    policy_low, _ = _path_bounds(scn.rates.policy_rate, years)
    _, inflation_high = _path_bounds(scn.rates.inflation, years)
    premium_low = _bounds(scn.rates.premium)[0]
    depreciation_low = _bounds(scn.baseline.depreciation)[0]
    worst = [p - i + premium_low + depreciation_low
             for p, i in zip(policy_low, inflation_high, strict=True)]
    k = min(range(len(years)), key=worst.__getitem__)
    if worst[k] > 0.0:
        return []
    file, line = _locate(doc.where, ("rates",), fallback)
    return [Problem(file, line, "rates",
                    "real rate + depreciation > 0 in every year and draw (policy_rate - "
                    "inflation + premium + baseline.depreciation)",
                    f"{worst[k]:.4g} in {years[k]} (lowest policy rate, highest inflation, "
                    "lowest premium and depreciation the file allows)",
                    "raise baseline.depreciation or the rate path, or narrow its "
                    "distributions")]


def _semantic_check(scn: Scenario, doc: Located, fallback: str) -> list[Problem]:
    """Checks needing the validated model: weights summing to one, correlations."""
    problems: list[Problem] = _correlation_check(scn, doc, fallback)
    problems += _sector_sanity(scn, doc, fallback)
    problems += _network_check(scn, doc, fallback)
    for code, sector in scn.sectors.items():
        weights = sector.size_weights
        if weights is not None:
            values = [getattr(weights, s) for s in ("micro", "small", "medium", "large")]
            if all(isinstance(v, float) for v in values) and abs(sum(values) - 1) > 1e-6:
                file, line = _locate(doc.where, ("sectors", code, "size_weights"), fallback)
                problems.append(Problem(file, line, f"sectors.{code}.size_weights",
                                        "weights summing to 1", f"sum {sum(values):.6g}"))
    return problems


def read_document(path: str | Path) -> Located:
    """Read a scenario file and everything it ``extends:``, merged, with key locations.

    Raises :class:`ScenarioError` for unreadable files, YAML errors, duplicate keys and broken
    ``extends:`` chains.
    """
    problems: list[Problem] = []
    doc = _load_file(scenario_file(path), problems, (), None)
    if problems:
        raise ScenarioError(problems)
    return doc


def validate_document(doc: Located, path: str | Path,
                      overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """Apply ``--set`` overrides to a merged document and validate it into a scenario.

    Raises :class:`ScenarioError` listing every problem found, before anything is computed.
    """
    path = Path(path)
    problems: list[Problem] = []
    doc = apply_overrides(doc, list(overrides), problems)
    if problems:  # malformed overrides: schema errors would be noise
        raise ScenarioError(problems)
    fallback = str(path.resolve())
    data = doc.data if isinstance(doc.data, dict) else {}
    if "name" not in data:
        data = {"name": path.stem, **data}
    problems.extend(_cross_check(data, doc, fallback))
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problems_from_validation(exc, doc, fallback))
    if scenario is not None:
        problems.extend(_semantic_check(scenario, doc, fallback))
    if problems:
        raise ScenarioError(problems)
    assert scenario is not None
    files = tuple(sorted(f for f in {loc[0] for loc in doc.where.values()}
                         if not f.startswith("--")))
    loaded = LoadedScenario(scenario, _jsonable(data), str(path), files)
    infeasible = _user_cost_check(scenario, doc, fallback)
    if infeasible:
        raise InfeasibleScenarioError(infeasible, loaded)
    return loaded


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> LoadedScenario:
    """Load, merge (``extends:``), override (``--set``) and validate a scenario file (a path,
    or ``aisim:NAME`` for a file of the scenario library, :mod:`sim.scenario.library`).

    Raises :class:`ScenarioError` listing every problem found, before anything is computed.
    """
    file = scenario_file(path)
    return validate_document(read_document(file), file, list(overrides or []))


_SCALARS = (float, int, str, bool, type(None))


def _jsonable(data: Any) -> Any:
    """``data`` with string keys and lists for tuples (plain scalars returned as they are)."""
    if isinstance(data, dict):
        return {str(k): v if type(v) in _SCALARS else _jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [v if type(v) in _SCALARS else _jsonable(v) for v in data]
    return data
