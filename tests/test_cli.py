"""The aisim command line: exit codes, messages, atomic output (real subprocesses)."""

from __future__ import annotations

import subprocess
import sys

import xarray as xr

from tests.conftest import SCENARIOS, scenario_dict


def aisim(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_run_writes_netcdf_and_prints_headline(tmp_path):
    out = tmp_path / "acemoglu.nc"
    res = aisim("run", SCENARIOS / "acemoglu_2024.yaml", "--out", out)
    assert res.returncode == 0, res.stderr
    assert "TFP" in res.stdout and "0.664" in res.stdout
    ds = xr.load_dataset(out)
    assert round(float(ds["tfp_gain_pct"].isel(year=-1, draw=0)), 2) == 0.66
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_run_with_set_override(tmp_path):
    out = tmp_path / "peng.nc"
    res = aisim("run", SCENARIOS / "acemoglu_2024.yaml", "--set", "ai.cost_saving=0.36",
                "--out", out, "--quiet")
    assert res.returncode == 0, res.stderr
    assert round(float(xr.load_dataset(out)["tfp_gain_pct"].isel(year=-1, draw=0)), 2) == 0.89


def test_validate_ok_and_bad(write_yaml, tmp_path):
    good = write_yaml(scenario_dict(), "good.yaml")
    res = aisim("validate", good)
    assert res.returncode == 0 and "valid scenario" in res.stdout
    data = scenario_dict()
    data["ai"]["cost_saving"] = 3
    bad = write_yaml(data, "bad.yaml")
    res = aisim("validate", bad)
    assert res.returncode == 2
    assert "bad.yaml:" in res.stderr and "ai.cost_saving" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_input_writes_nothing(write_yaml, tmp_path):
    data = scenario_dict()
    data["horizon"] = {"start": 2030, "end": 2020}
    out = tmp_path / "never.nc"
    res = aisim("run", write_yaml(data), "--out", out)
    assert res.returncode == 2 and "horizon" in res.stderr
    assert not out.exists() and not any(tmp_path.glob(".never*"))


def test_each_bad_input_class_exits_2(write_yaml, tmp_path):
    text = write_yaml(scenario_dict()).read_text()
    cases = {
        "share": text.replace("cost_saving: 0.27", "cost_saving: 1.5"),
        "negative": text.replace("tfp_growth: 0.005", "tfp_growth: -0.9"),
        "duplicate": text.replace("  cost_saving: 0.27\n",
                                  "  cost_saving: 0.27\n  cost_saving: 0.2\n"),
        "unknown_key": text.replace("cost_saving: 0.27", "cost_savings: 0.27"),
        "missing_extends": "extends: missing.yaml\n" + text,
    }
    for label, body in cases.items():
        res = aisim("run", write_yaml(body, f"{label}.yaml"), "--out", tmp_path / "x.nc")
        assert res.returncode == 2, (label, res.stderr)
        assert f"{label}.yaml" in res.stderr, label
        assert "Traceback" not in res.stderr, label
    assert not (tmp_path / "x.nc").exists()


def test_missing_file_and_bad_arguments(tmp_path):
    res = aisim("run", tmp_path / "nope.yaml")
    assert res.returncode == 2 and "nope.yaml" in res.stderr
    res = aisim("run", SCENARIOS / "acemoglu_2024.yaml", "--draws", "0")
    assert res.returncode == 2 and "number of draws from 1 to 100,000,000" in res.stderr
    res = aisim("run", SCENARIOS / "acemoglu_2024.yaml", "--draws", "100000001")
    assert res.returncode == 2 and "got '100000001'" in res.stderr
