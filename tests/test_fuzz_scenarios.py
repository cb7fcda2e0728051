"""Fuzzing the scenario door (issue 15, item 8): hypothesis mutates every shipped scenario, in
its structure (values of the wrong type or range, non-finite numbers, distributions with odd
parameters, deleted and unknown keys) and in its text (tags, aliases, stray bytes, truncation).

Every mutant must be either accepted or refused with the project's error type and a location
(file, and a key or a line); an accepted one must run (two draws) to finite outputs, or be
stopped by the engine with the project's error type. Nothing else: no traceback of another
type, no NaN in a result. CI runs a fixed, derandomized sequence (tests/conftest.py profile
"ci"); locally every run explores new examples.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.errors import InputError
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml") if "sweeps" not in p.parts)
EXAMPLES = 520

LEAF_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 0.0, 1e308, -1e308, 1e-320, 2**64, 2026, 1900, 2200]),
    st.text(max_size=8), st.booleans(), st.none(),
    st.lists(st.floats(allow_nan=False), max_size=3),
    st.fixed_dictionaries({"dist": st.sampled_from(
        ["normal", "lognormal", "uniform", "triangular", "beta", "truncnormal", "gamma", "x"])},
        optional={"mean": st.floats(-2, 3000), "sd": st.floats(-1, 5),
                  "low": st.floats(-2, 3000), "high": st.floats(-2, 3000),
                  "mode": st.floats(-2, 3000), "median": st.floats(-1, 5),
                  "sigma": st.floats(-1, 3), "ci80": st.lists(st.floats(-1, 3000), max_size=3),
                  "alpha": st.floats(-1, 10), "beta": st.floats(-1, 10)}),
)


def _with_absolute_extends(data: Any, origin: Path) -> Any:
    """The mutant is written elsewhere: point its ``extends:`` at the original targets."""
    if isinstance(data, dict) and isinstance(data.get("extends"), str):
        data = dict(data)
        data["extends"] = str((origin.parent / data["extends"]).resolve())
    return data


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path of a nested mapping/list (leaves and inner nodes)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _get(node: Any, path: tuple) -> Any:
    for k in path:
        node = node[k]
    return node


def _set(node: Any, path: tuple, value: Any, delete: bool = False) -> None:
    for k in path[:-1]:
        node = node[k]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value


@st.composite
def structural_mutant(draw, plausible: bool = False) -> tuple[Path, str]:
    """1-3 edits of a shipped scenario's structure; ``plausible``: only numbers scaled by
    modest factors (mostly accepted, so the engine is exercised on odd but valid inputs)."""
    origin = draw(st.sampled_from(SHIPPED))
    data = _with_absolute_extends(yaml.safe_load(origin.read_text()), origin)
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p != ("extends",)]
        kind = "scale" if plausible else draw(st.sampled_from(
            ["scale", "scale", "value", "value", "delete", "unknown"]))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        current = _get(data, path)
        if kind == "scale" and isinstance(current, int | float) and not isinstance(current,
                                                                                  bool):
            # a plausible edit: the same number scaled, mostly accepted, so the engine runs
            factor = draw(st.sampled_from([0.0, 0.5, 0.9, 1.1, 1.5] if plausible else
                                          [0.0, 0.1, 0.5, 0.9, 1.1, 2.0, 10.0, -1.0, 1e3]))
            _set(data, path, type(current)(current * factor) if isinstance(current, float)
                 else int(current * factor))
        elif kind == "scale" and plausible:
            continue
        elif kind in ("value", "scale"):
            _set(data, path, draw(LEAF_VALUES))
        elif kind == "delete":
            _set(data, path, None, delete=True)
        else:
            parent = path[:-1]
            node = data
            for k in parent:
                node = node[k]
            if isinstance(node, dict):
                node[draw(st.text(min_size=1, max_size=12))] = draw(LEAF_VALUES)
    return origin, yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


TEXT_SNIPPETS = st.sampled_from([
    "!!python/object/apply:os.system ['true']", "&a [1, 2]", "*a", "*undefined", "\x00",
    "\xff\xfe", "\t", ": :", "- - -", "{", "]", "!!binary aGVsbG8=", "!custom 1", "<<: *a",
    "? complex key", "\u202e", "1e308", ".nan", ".inf", "0x1F", "0o17", "2026-12-01", "~",
    "'''", '"unterminated', "%YAML 1.2\n---\n", "---\n...\n---\n",
])


@st.composite
def text_mutant(draw) -> tuple[Path, bytes]:
    origin = draw(st.sampled_from(SHIPPED))
    data = _with_absolute_extends(yaml.safe_load(origin.read_text()), origin)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["snippet", "bytes", "truncate"]))
        if kind == "snippet":
            text = text[:at] + draw(TEXT_SNIPPETS).encode("utf-8", "surrogatepass") + text[at:]
        elif kind == "bytes":
            text = text[:at] + draw(st.binary(min_size=1, max_size=4)) + text[at:]
        else:
            text = text[:at]
    return origin, text


def _located(error: InputError) -> bool:
    return bool(error.problems) and all(
        p.file and (p.line is not None or p.key) for p in error.problems)


def check_mutant(path: Path) -> None:
    """Accepted and finite, or refused with InputError and a location."""
    try:
        loaded = load_scenario(path)
    except InputError as exc:
        assert _located(exc), str(exc)
        return
    try:
        ds = sim.run(loaded, draws=2, seed=1)
    except InputError as exc:  # refused by the engine (infeasible, or non-finite outputs)
        assert _located(exc), str(exc)
        return
    for name, da in ds.data_vars.items():
        values = np.asarray(da.values, dtype=float)
        assert np.all(np.isfinite(values)), f"{name} not finite for an accepted scenario"


def check_written(content: str | bytes, factory) -> None:
    """Write a mutant (text or raw bytes) to a fresh folder and check it."""
    path = factory.mktemp("fuzz") / "mutant.yaml"
    raw = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(raw)
    check_mutant(path)


SETTINGS = settings(max_examples=EXAMPLES // 3, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@SETTINGS
@given(mutant=structural_mutant())
def test_structural_mutants_are_accepted_and_finite_or_refused_with_a_location(
        mutant, tmp_path_factory):
    check_written(mutant[1], tmp_path_factory)


@SETTINGS
@given(mutant=structural_mutant(plausible=True))
def test_plausible_edits_run_to_finite_outputs_or_are_refused_with_a_location(
        mutant, tmp_path_factory):
    check_written(mutant[1], tmp_path_factory)


@SETTINGS
@given(mutant=text_mutant())
def test_text_mutants_are_accepted_and_finite_or_refused_with_a_location(
        mutant, tmp_path_factory):
    check_written(mutant[1], tmp_path_factory)


def test_the_fuzz_covers_every_shipped_scenario():
    assert len(SHIPPED) >= 25 and all(p.exists() for p in SHIPPED)
    assert 3 * (EXAMPLES // 3) >= 500


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_runs_to_finite_outputs(path):
    check_mutant(path)
