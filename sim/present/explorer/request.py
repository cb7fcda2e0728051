"""The one door from the browser to the engine: a :class:`Request` (preset name, control values,
free ``key=value`` lines, draws, uncertainty on/off) becomes ``--set``-style overrides of the
preset's file and goes through the scenario loader (:func:`sim.scenario.loader.validate_document`),
exactly like ``aisim run FILE --set ...``. What the loader refuses is refused here with its
message; nothing from the browser is a file path (presets are names, :mod:`.presets`).

The same overrides applied to the same document give the YAML that "Download scenario" writes
(:meth:`Door.yaml_text`), so ``aisim run`` on that file computes the explorer's numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError, Problem
from sim.present.explorer.controls import (
    BY_KEY,
    RATE_LEVEL,
    Control,
    Default,
    defaults,
    rate_level,
)
from sim.present.explorer.presets import Presets
from sim.present.explorer.shift import move, schema_bounds
from sim.scenario.loader import (
    LoadedScenario,
    Located,
    apply_overrides,
    read_document,
    validate_document,
)
from sim.scenario.parameters import is_distribution
from sim.suggest import did_you_mean

#: the most draws the explorer runs per change (the schema allows more; ``aisim run`` does them)
MAX_DRAWS = 20_000
#: free ``key=value`` lines accepted at once
MAX_EXTRA = 50


@dataclass(frozen=True)
class Request:
    """What the page asks for. ``values``: control key -> value (sorted pairs, hashable)."""

    preset: str
    values: tuple[tuple[str, Any], ...] = ()
    extra: tuple[str, ...] = ()
    draws: int = 1024
    uncertainty: bool = True

    @classmethod
    def make(cls, preset: str, values: Mapping[str, Any] | None = None,
             extra: Sequence[str] = (), draws: int = 1024, uncertainty: bool = True) -> Request:
        return cls(preset, tuple(sorted((values or {}).items())), tuple(extra), draws,
                   uncertainty)

    @property
    def key(self) -> str:
        """A stable text of the request (cache key)."""
        return json.dumps([self.preset, [[k, yaml_scalar(v)] for k, v in self.values],
                           list(self.extra), self.draws, self.uncertainty])


def yaml_scalar(value: Any) -> str:
    """A value as the YAML text of a ``--set`` right-hand side: numbers exactly (``repr``),
    non-finite numbers as YAML's ``.nan``/``.inf`` (which the loader then refuses), strings
    quoted (a string is never read as a number or a path)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    try:
        return json.dumps(value, allow_nan=False)  # JSON is YAML: the loader judges it
    except (TypeError, ValueError):
        return json.dumps(str(value))


def _problem(key: str, expected: str, got: Any, hint: str = "") -> Problem:
    return Problem("explorer", None, key, expected, repr(got)[:80], hint)


def _draws_problem(draws: Any) -> Problem | None:
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        return _problem("draws", f"a whole number of draws from 1 to {MAX_DRAWS:,}", draws,
                        "for more, download the scenario and use aisim run")
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _spec_text(spec: Any) -> str:
    """A number or a ``{dist: ...}`` mapping as ``--set`` text (JSON is YAML; numbers exact)."""
    return json.dumps(spec) if isinstance(spec, dict) else yaml_scalar(spec)


def control_line(control: Control, value: Any, stated: Default,
                 start: int) -> tuple[str, tuple[str, ...], str]:
    """A control's value as a ``--set`` line, the parameters the file gives a distribution
    that the line fixes at a number (their correlation pairs are then dropped), and what the
    line does, in words.

    A number for a parameter the file gives a distribution moves the distribution to that mean
    (:func:`sim.present.explorer.shift.move`); the policy-rate level shifts every knot of the
    path (:func:`_rate_path`); anything else is set as it is, and the loader judges it."""
    if control.key == RATE_LEVEL:
        if _is_number(value) and math.isfinite(value):
            return _rate_path(float(value), stated.stated, start)
        return (f"rates.policy_rate={yaml_scalar(value)}",
                ("rates.policy_rate",) if stated.uncertain else (), "set")
    key = control.scenario_key
    if stated.uncertain and _is_number(value):
        moved = move(stated.stated, float(value), *schema_bounds(key))
        return (f"{key}={_spec_text(moved.spec)}", () if moved.uncertain else (key,),
                moved.text)
    text = "unset" if value is None else f"set to {yaml_scalar(value)} in every draw"
    return f"{key}={yaml_scalar(value)}", (key,) if stated.uncertain else (), text


def _rate_path(level: float, path: Any, start: int) -> tuple[str, tuple[str, ...], str]:
    """``rates.policy_rate=...``: the file's path with every knot shifted by ``level`` minus
    the path's start-year level (a distribution knot moved by :func:`move`, its spread kept);
    a flat number is the level itself."""
    low, high = schema_bounds("rates.policy_rate")
    if not isinstance(path, dict):
        moved = move(path, level, low, high)
        fixes = ("rates.policy_rate",) if is_distribution(path) and not moved.uncertain else ()
        return (f"rates.policy_rate={_spec_text(moved.spec)}", fixes,
                f"flat path at {level:.4g}" + (f" ({moved.text})" if moved.uncertain else ""))
    shift = level - rate_level(path, start)
    knots = {}
    for year in sorted(path):
        knot = path[year]
        if is_distribution(knot):
            knots[year] = move(knot, knot.mean() + shift, low, high).spec
        else:
            knots[year] = float(knot) + shift
    body = ", ".join(f"{y}: {_spec_text(v)}" for y, v in knots.items())
    fixes = tuple(f"rates.policy_rate.{y}" for y, v in knots.items()
                  if is_distribution(path[y]) and not isinstance(v, dict))
    return ("rates.policy_rate={" + body + "}", fixes,
            f"every knot shifted by {shift:+.4g}")


def overrides(request: Request, base: LoadedScenario,
              stated: dict[str, Default] | None = None) -> list[str]:
    """The request as ``--set`` lines on the preset's file (``base``: the preset as loaded;
    ``stated``: its controls' defaults, :func:`~.controls.defaults`, computed when omitted).

    Raises :class:`InputError` for what is not a scenario value at all (an unknown control,
    too many lines, a bad draw count); everything else is the loader's to judge.
    """
    stated = stated if stated is not None else defaults(base)
    problems: list[Problem] = []
    lines: list[str] = []
    fixed: set[str] = set()
    start = base.scenario.horizon.start
    for key, value in request.values:
        control = BY_KEY.get(key) if isinstance(key, str) else None
        if control is None:
            problems.append(_problem(str(key)[:80], "a control of the explorer",
                                     key, did_you_mean(str(key), list(BY_KEY))))
            continue
        line, fixes, _ = control_line(control, value, stated[key], start)
        lines.append(line)
        fixed.update(fixes)
    correlations = _correlations_without(base, fixed)
    if correlations is not None:
        lines.append(correlations)
    extra = [line for line in request.extra if not isinstance(line, str) or line.strip()]
    if len(extra) > MAX_EXTRA:
        problems.append(_problem("key=value lines", f"at most {MAX_EXTRA}", len(extra)))
    for line in extra[:MAX_EXTRA]:
        if not isinstance(line, str):
            problems.append(_problem("key=value lines", "text lines key=value", line))
        else:
            lines.append(line.strip())
    bad_draws = _draws_problem(request.draws)
    if bad_draws is not None:
        problems.append(bad_draws)
    if problems:
        raise InputError(problems)
    lines.append(f"monte_carlo.draws={request.draws if request.uncertainty is True else 1}")
    return lines


def _correlations_without(base: LoadedScenario, fixed: set[str]) -> str | None:
    """``correlations=[...]`` without the pairs naming a parameter a control now fixes (a
    correlation needs two distributions); None when no pair is affected."""
    pairs = [list(c) for c in base.scenario.correlations]
    kept = [p for p in pairs
            if not any(str(name) == key or str(name).startswith(key + ".")
                       for name in p[:2] for key in fixed)]
    if len(kept) == len(pairs):
        return None
    return "correlations=" + json.dumps(kept)


@dataclass
class Door:
    """Validates requests against the presets' files, each read once (``read_document``)."""

    presets: Presets
    _documents: dict[str, Located] = field(default_factory=dict)
    _bases: dict[str, LoadedScenario] = field(default_factory=dict)
    _defaults: dict[str, dict[str, Default]] = field(default_factory=dict)

    def path(self, preset: str) -> Path:
        return self.presets.path(preset)

    def document(self, preset: str) -> Located:
        """The preset's merged document (``extends:`` resolved), read once."""
        path = self.path(preset)
        if preset not in self._documents:
            self._documents[preset] = read_document(path)
        return self._documents[preset]

    def base(self, preset: str) -> LoadedScenario:
        """The preset as its file states it (the controls' defaults)."""
        if preset not in self._bases:
            self._bases[preset] = validate_document(self.document(preset), self.path(preset))
        return self._bases[preset]

    def defaults(self, preset: str) -> dict[str, Default]:
        """The preset's controls' defaults (:func:`~.controls.defaults`), computed once."""
        if preset not in self._defaults:
            self._defaults[preset] = defaults(self.base(preset))
        return self._defaults[preset]

    def overrides(self, request: Request) -> list[str]:
        return overrides(request, self.base(request.preset), self.defaults(request.preset))

    def load(self, request: Request) -> LoadedScenario:
        """The request's scenario, validated by the loader (raises its :class:`InputError`)."""
        return validate_document(self.document(request.preset), self.path(request.preset),
                                 self.overrides(request))

    def resolved_document(self, request: Request) -> dict[str, Any]:
        """The scenario the request runs, as one self-contained document (no ``extends:``)."""
        loaded = self.load(request)  # refuse what the loader refuses
        problems: list[Problem] = []
        doc = apply_overrides(self.document(request.preset), self.overrides(request), problems)
        data = dict(doc.data)
        data.setdefault("name", loaded.scenario.name)
        return data

    def yaml_text(self, request: Request) -> str:
        """The YAML "Download scenario" writes: ``aisim validate`` accepts it and ``aisim run``
        computes from it exactly the explorer's numbers (same seed, sampler and draws)."""
        data = self.resolved_document(request)
        lines = "\n".join(f"#   {line}" for line in self.overrides(request))
        head = (f"# Written by aisim explore from preset {request.preset}, with:\n{lines}\n"
                "# Run it: aisim run THIS.yaml (same seed, sampler and draws: the same numbers)\n")
        return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
