"""Golden results: every shipped scenario, a sweep, a sensitivity run and a streamed summary are
bit-identical to tests/golden/golden.json (see tests/golden_results.py for how to regenerate it,
deliberately, when the economics changes)."""

from __future__ import annotations

import json

import golden_results


def test_golden_set_is_complete_and_small() -> None:
    """Every shipped scenario has a golden case, and the set stays compact (<= 2 MB)."""
    cases = json.loads(golden_results.GOLDEN.read_text())["cases"]
    runs = {c for c in cases if c.startswith("run:")}
    shipped = {f"run:{p.relative_to(golden_results.ROOT).as_posix()}"
               for p in golden_results.scenario_files()}
    assert runs == shipped
    assert golden_results.GOLDEN.stat().st_size <= 2_000_000


def test_results_are_bit_identical_to_the_golden_set() -> None:
    expected = json.loads(golden_results.GOLDEN.read_text())["cases"]
    lines = golden_results.differences(expected, golden_results.compute())
    assert not lines, "\n".join(lines[:40])


def test_differences_names_what_changed() -> None:
    """The comparison itself can fail: a changed hash, a lost case and a new variable show."""
    want = {"a": {"x": {"sha": "1", "mean": 1.0}}, "b": {}}
    got = {"a": {"x": {"sha": "2", "mean": 1.5}, "y": {"sha": "3", "mean": 0.0}}}
    lines = golden_results.differences(want, got)
    assert any("a x: differs" in line for line in lines)
    assert any("a y: new variable" in line for line in lines)
    assert "b: missing" in lines
