"""Hostile and broken scenario files are refused before they cost memory or time (issue 15,
item 1): alias bombs, devices, FIFOs, oversized files, bad bytes, deep nesting, floods of
problems. Each is exit 2 with a located message, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.errors import InputError, Problem
from sim.scenario import limits
from sim.scenario.loader import load_scenario, parse_override
from tests.conftest import ROOT

CENTRAL = ROOT / "scenarios" / "flanders_central.yaml"


def validate(path: Path | str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``aisim validate`` in a child process; the timeout turns a hang into a failure."""
    return subprocess.run([sys.executable, "-m", "sim.cli", "validate", str(path), *extra],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def refused(res: subprocess.CompletedProcess[str], *words: str) -> None:
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    for word in words:
        assert word in res.stderr, res.stderr


def alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghijk"[:levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\nname: bomb\n"


def test_a_billion_laughs_is_refused_at_the_alias(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    refused(validate(path), "bomb.yaml:", "after expanding aliases")


def test_a_few_legitimate_aliases_still_load(tmp_path: Path) -> None:
    """The bound is on expansion, not on aliases: a shared value used twice is fine."""
    path = tmp_path / "alias.yaml"
    path.write_text(f"extends: {CENTRAL}\nname: alias\nai:\n  cost_saving: &c 0.3\n"
                    "  cost_saving_cap: *c\n", encoding="utf-8")
    assert load_scenario(path).scenario.ai.cost_saving_cap == 0.3


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_without_reading(tmp_path: Path, target: str) -> None:
    path = tmp_path / "dev.yaml"
    path.write_text(f"extends: {target}\nname: dev\n", encoding="utf-8")
    refused(validate(path), "dev.yaml:1", "a character device")
    refused(validate(target), "a character device")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    path = tmp_path / "extends_pipe.yaml"
    path.write_text("extends: pipe.yaml\nname: pipe\n", encoding="utf-8")
    refused(validate(path), "extends_pipe.yaml:1", "FIFO")
    refused(validate(fifo), "FIFO")
    refused(validate(tmp_path), "a directory")


def test_an_oversized_file_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("name: big\n# " + "x" * (limits.MAX_FILE_BYTES + 10) + "\n",
                    encoding="utf-8")
    refused(validate(path), f"at most {limits.MAX_FILE_BYTES:,} bytes")


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: x\n# caf\xe9\n")
    refused(validate(path), "latin1.yaml:2", "UTF-8", "0xe9")


def test_a_nul_character_is_located(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"name: x\nai: \x00\n")
    refused(validate(path), "nul.yaml:2", "valid YAML")


def test_deep_nesting_is_refused_before_the_parser_recurses(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nai: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    refused(validate(path), "deep.yaml:2", f"nested at most {limits.MAX_DEPTH} deep")


def test_a_flood_of_unknown_keys_is_counted_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "flood.yaml"
    path.write_text(f"extends: {CENTRAL}\n" + "".join(f"k{i}: 1\n" for i in range(3000)),
                    encoding="utf-8")
    res = validate(path)
    refused(res, "3,000 problems found", f"... and {3000 - InputError.shown:,} more")
    assert res.stderr.count("\n") < InputError.shown + 10


def test_input_error_lists_at_most_its_share() -> None:
    error = InputError([Problem("f", i, "k", "x", "y") for i in range(1, 61)])
    text = str(error)
    assert text.startswith("60 problems found:") and "f:50:" in text and "f:51:" not in text
    assert text.endswith("... and 10 more")


def test_aliases_are_not_accepted_in_set_values() -> None:
    with pytest.raises(ValueError, match="aliases"):
        parse_override("ai.cost_saving=[&a [1, 1], *a]")
    assert parse_override("ai.cost_saving=0.3") == (("ai", "cost_saving"), 0.3)


def test_shipped_files_are_far_inside_the_limits() -> None:
    """The limits refuse nothing real: every shipped scenario and calibration file is at most a
    fiftieth of the size limit."""
    files = [*ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("calibration/*.yaml")]
    assert files and max(f.stat().st_size for f in files) < limits.MAX_FILE_BYTES / 50


# ---- item 2 (part): every number finite, accounts that make sense --------------------------
@pytest.mark.parametrize("text", [".inf", "-.inf", ".nan", ".NaN"])
def test_infinite_or_nan_numbers_are_refused_in_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "inf.yaml"
    path.write_text(f"extends: {CENTRAL}\nbaseline:\n  gdp: {text}\n", encoding="utf-8")
    refused(validate(path), "inf.yaml:3", "baseline.gdp", "a finite number")


@pytest.mark.parametrize("key", ["jcurve.intangible_drag", "feedback.hiring_sensitivity",
                                 "sectors.F.value_added", "ai.exposure.steepness"])
def test_infinite_numbers_are_refused_in_set(key: str) -> None:
    refused(validate(CENTRAL, "--set", f"{key}=.inf"), key, "a finite number")


def test_gross_output_below_value_added_and_zero_employment_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(f"extends: {CENTRAL}\nsectors:\n  F:\n    gross_output: 1.0\n"
                    "    employment: 0\n", encoding="utf-8")
    refused(validate(path), "accounts.yaml:4: sectors.F.gross_output", "at least the value added",
            "accounts.yaml:5: sectors.F.employment", "> 0")


def test_every_shipped_scenario_passes_the_new_checks() -> None:
    for path in sorted(ROOT.glob("scenarios/**/*.yaml")):
        if "sweeps" not in path.parts:
            load_scenario(path)


# ---- strict types: no silent coercion ---------------------------------------------------------
@pytest.mark.parametrize(("value", "words"), [
    ('"0.3"', "write the number without quotes: 0.3"),
    ("true", "booleans in YAML"),
    ("yes", "booleans in YAML"),
])
def test_quoted_numbers_and_booleans_are_not_numbers(tmp_path: Path, value: str,
                                                     words: str) -> None:
    path = tmp_path / "coerce.yaml"
    path.write_text(f"extends: {CENTRAL}\nai:\n  cost_saving: {value}\n", encoding="utf-8")
    refused(validate(path), "coerce.yaml:3: ai.cost_saving: expected a number", words)


def test_a_quoted_year_is_not_a_year(tmp_path: Path) -> None:
    path = tmp_path / "year.yaml"
    path.write_text(f"extends: {CENTRAL}\nhorizon:\n  end: '2040'\n", encoding="utf-8")
    refused(validate(path), "year.yaml:3: horizon.end: expected an integer",
            "without quotes: 2040")


def test_integers_stay_numbers_and_set_is_strict_too() -> None:
    assert load_scenario(CENTRAL, ["ai.cost_saving=1"]).scenario.ai.cost_saving == 1.0
    refused(validate(CENTRAL, "--set", 'ai.cost_saving="0.3"'), "expected a number")


# ---- item 3 (part): what the run refuses, validate refuses, with a location -----------------
def test_the_network_needs_gross_output_and_shares_below_one(write_yaml) -> None:
    from tests.conftest import scenario_dict

    data = scenario_dict()
    codes = list(data["sectors"])
    for code in codes:
        data["sectors"][code].pop("gross_output", None)
    data["network"] = {"enabled": True, "coefficients": {codes[0]: {codes[1]: 0.7,
                                                                    codes[2]: 0.4}}}
    res = validate(write_yaml(data))
    refused(res, f"sectors.{codes[0]}.gross_output", "when network.enabled",
            f"network.coefficients.{codes[0]}", "row sum 1.1")
