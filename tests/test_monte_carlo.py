"""Monte Carlo runs: reproducibility across threads and chunkings, streaming, summaries."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr

import sim
from sim.model.statistics import PILOT
from sim.runner.engine import RunSettings
from sim.runner.stream import run_to_store
from sim.runner.summary import convergence, summarize
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT, SCENARIOS, scenario_dict

UNCERTAIN = {
    "ai": {"cost_saving": {"dist": "triangular", "low": 0.14, "mode": 0.27, "high": 0.4},
           "parkinson_rebound": {"dist": "beta", "ci80": [0.02, 0.25]},
           "exposure": {"ceiling": {"dist": "uniform", "low": 0.5, "high": 0.7},
                        "midpoint": 2032, "steepness": 0.4}},
    "labour": {"reinstatement": {"dist": "uniform", "low": 0.1, "high": 0.5}},
    "correlations": [["ai.cost_saving", "ai.parkinson_rebound", -0.4]],
}


@pytest.fixture
def mc_scenario(write_yaml):
    data = scenario_dict()
    data["ai"].update(UNCERTAIN["ai"])
    data["labour"] = UNCERTAIN["labour"]
    data["correlations"] = UNCERTAIN["correlations"]
    return write_yaml(data, "mc.yaml")


@pytest.mark.parametrize("sampler", ["mc", "lhs", "sobol"])
def test_same_seed_same_numbers_whatever_the_chunk_size(mc_scenario, sampler):
    a = sim.run(mc_scenario, draws=300, seed=7, sampler=sampler, chunk_size=300)
    b = sim.run(mc_scenario, draws=300, seed=7, sampler=sampler, chunk_size=37)
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    c = sim.run(mc_scenario, draws=300, seed=8, sampler=sampler, chunk_size=300)
    assert not np.array_equal(a["tfp_gain_pct"].values, c["tfp_gain_pct"].values)


@pytest.mark.parametrize("summary_only", [False, True], ids=["paths", "summary-only"])
def test_bit_identical_with_one_or_two_numba_threads(mc_scenario, tmp_path, summary_only):
    """Paths, and the summaries of the fused summary-only pass, do not depend on threads."""
    outputs = []
    for threads in ("1", "2"):
        out = tmp_path / f"t{threads}.nc"
        env = {**os.environ, "NUMBA_NUM_THREADS": threads}
        extra = ["--summary-only"] if summary_only else []
        res = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(mc_scenario),
                              "--draws", "400", "--seed", "3", "--out", str(out), "--quiet",
                              "--chunk-size", "150", *extra],
                             env=env, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        outputs.append(xr.load_dataset(out))
    assert len(outputs[0].data_vars) >= 48  # every variable (or its statistics) compared
    for name in outputs[0].data_vars:
        np.testing.assert_array_equal(outputs[0][name].values, outputs[1][name].values,
                                      err_msg=name)


def _per_sector_uncertainty(order: str, network: bool) -> dict:
    """The three-sector scenario with per-sector distributions and a correlation between two
    of them, its sectors listed in ``order`` (and, with ``network``, an input-output table)."""
    data = scenario_dict()
    sectors = data["sectors"]
    sectors["C"]["exposure"] = {"dist": "beta", "a": 5, "b": 15}
    sectors["G"]["employment"] = {"dist": "lognormal", "median": 500, "sigma": 0.2}
    sectors["J"]["exposure"] = {"dist": "uniform", "low": 0.4, "high": 0.8}
    data["ai"]["cost_saving"] = {"dist": "uniform", "low": 0.2, "high": 0.35}
    data["correlations"] = [["sectors.J.exposure", "sectors.C.exposure", 0.5],
                            ["ai.cost_saving", "sectors.G.employment", -0.3]]
    if network:
        for code, go in zip("CGJ", (900.0, 450.0, 220.0), strict=True):
            sectors[code]["gross_output"] = go
        data["network"] = {"enabled": True, "coefficients": {
            "C": {"C": 0.2, "G": 0.1, "J": 0.05}, "G": {"C": 0.15, "J": 0.1},
            "J": {"G": 0.05, "J": 0.2}}}
    data["sectors"] = {code: sectors[code] for code in order}
    return data


@pytest.mark.parametrize("network", [False, True], ids=["plain", "network"])
@pytest.mark.parametrize("sampler", ["mc", "lhs", "sobol"])
def test_reordering_sectors_only_permutes_the_outputs(write_yaml, sampler, network):
    """Draws are keyed by parameter name and the kernel sums over sectors in one order
    (sorted by code), so every per-draw output is bit-identical after aligning ``sector``."""
    a = sim.run(write_yaml(_per_sector_uncertainty("CGJ", network), "a.yaml"), draws=64,
                seed=3, sampler=sampler)
    b = sim.run(write_yaml(_per_sector_uncertainty("JCG", network), "b.yaml"), draws=64,
                seed=3, sampler=sampler)
    assert list(b.sector.values) == ["J", "C", "G"]  # outputs follow the file's order
    b = b.sel(sector=a.sector.values)
    assert a["exposure"].sel(sector="C").std() > 0 and a["employment"].std() > 0
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].transpose(*a[name].dims).values,
                                      err_msg=name)


def test_each_draw_carries_its_own_baseline(mc_scenario):
    ds = sim.run(mc_scenario, draws=50, seed=1)
    gain = 100 * (np.log(ds["gdp"]) - np.log(ds["gdp_baseline"]))
    # the model takes one log of the ratio; the difference of two logs of ~12 loses ~1e-13
    np.testing.assert_allclose(ds["gdp_gain_pct"].values, gain.values, rtol=1e-12, atol=1e-12)
    assert ds["tfp_gain_pct"].sel(year=2040).std() > 0


def test_streamed_netcdf_equals_in_memory_run(mc_scenario, tmp_path):
    loaded = load_scenario(mc_scenario)
    settings = RunSettings(draws=250, seed=5, sampler="sobol", chunk_size=64)
    result = run_to_store(loaded, settings, tmp_path / "s.nc")
    streamed = xr.load_dataset(tmp_path / "s.nc")
    memory = sim.run(loaded, draws=250, seed=5, sampler="sobol", chunk_size=250)
    for name in memory.data_vars:
        np.testing.assert_array_equal(streamed[name].values, memory[name].values, err_msg=name)
        assert streamed[name].attrs["units"] == memory[name].attrs["units"]
    assert streamed.attrs["scenario_sha256"] == memory.attrs["scenario_sha256"]
    # streamed quantiles lie within one histogram bin of the order statistics around p n
    exact = summarize(memory)
    n = 250
    for var in ("tfp_gain_pct", "gdp_gain_pct", "sector_tfp_gain_pct"):
        values = np.sort(memory[var].values, axis=0)
        first = memory[var].values[:PILOT]  # the first PILOT draws set the histogram range
        width = 2 * (first.max(axis=0) - first.min(axis=0)) / 2048
        for p in (0.05, 0.25, 0.5, 0.75, 0.95):
            lo = values[max(0, int(np.floor(p * n)) - 1)] - width - 1e-12
            hi = values[min(n - 1, int(np.ceil(p * n)))] + width + 1e-12
            q = result.summary[var].sel(stat=f"p{round(p * 100):02d}").values
            assert np.all((lo <= q) & (q <= hi)), (var, p)
        np.testing.assert_allclose(result.summary[var].sel(stat="mean").values,
                                   exact[var].sel(stat="mean").values, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(result.summary[var].sel(stat="sd").values,
                                   exact[var].sel(stat="sd").values, rtol=1e-8, atol=1e-12)


def test_zarr_output_and_summary_only(mc_scenario, tmp_path):
    pytest.importorskip("zarr")
    loaded = load_scenario(mc_scenario)
    settings = RunSettings(draws=120, seed=2, sampler="mc", chunk_size=50)
    run_to_store(loaded, settings, tmp_path / "s.zarr")
    z = xr.open_zarr(tmp_path / "s.zarr").load()
    memory = sim.run(loaded, draws=120, seed=2, chunk_size=120)
    np.testing.assert_array_equal(z["gdp_gain_pct"].values, memory["gdp_gain_pct"].values)
    res = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(mc_scenario), "--draws",
                          "100", "--summary-only", "--out", str(tmp_path / "sum.nc")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    summary = xr.load_dataset(tmp_path / "sum.nc")
    assert "draw" not in summary.dims and "gdp_gain_pct_quantile" not in summary
    # the full file's names, draw replaced by stat; units and long names as in the full file
    assert summary["gdp_gain_pct"].dims == ("stat", "year")
    assert summary["sector_tfp_gain_pct"].dims == ("stat", "year", "sector")
    assert summary["gdp_gain_pct"].attrs == memory["gdp_gain_pct"].attrs
    assert set(summary.data_vars) == set(memory.data_vars)
    assert "converged" in res.stdout  # the convergence note is printed


def test_mean_standard_error_and_convergence_note():
    rng = np.random.default_rng(0)
    n = 4000
    ds = xr.Dataset({"x": (("draw", "year"), rng.normal(1.0, 2.0, (n, 2)))},
                    coords={"draw": np.arange(n), "year": [2025, 2026]})
    s = summarize(ds)
    assert list(s["stat"].values) == ["mean", "sd", "mean_se", "p05", "p25", "p50", "p75",
                                      "p95", "p05_se", "p25_se", "p50_se", "p75_se", "p95_se"]
    np.testing.assert_array_equal(s["x"].sel(stat="p50"),
                                  np.quantile(ds["x"].values, 0.5, axis=0))
    assert float(s["x"].sel(year=2026, stat="mean_se")) == pytest.approx(2 / np.sqrt(n),
                                                                         rel=0.05)
    # median SE of a normal: sqrt(pi/2) sd / sqrt(n)
    se_med = float(s["x"].sel(year=2026, stat="p50_se"))
    assert se_med == pytest.approx(np.sqrt(np.pi / 2) * 2 / np.sqrt(n), rel=0.25)
    note = convergence(s, "x", tolerance=0.01)
    assert not note.stable and note.draws_needed > n
    assert convergence(s, "x", tolerance=10.0).stable


def test_interrupted_run_leaves_no_file_under_final_name(write_yaml, tmp_path):
    data = scenario_dict()
    data["ai"].update(UNCERTAIN["ai"])
    path = write_yaml(data, "big.yaml")
    out = tmp_path / "big.nc"
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "run", str(path), "--draws",
                             "3000000", "--chunk-size", "2000", "--out", str(out), "--quiet"],
                            cwd=ROOT)
    deadline = time.time() + 120
    while time.time() < deadline and not list(tmp_path.glob(".big.nc.*")):
        time.sleep(0.2)
    assert list(tmp_path.glob(".big.nc.*")), "the run never started writing"
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not out.exists()
    assert not list(tmp_path.glob(".big.nc.*"))  # the partial file is cleaned up


def test_default_scenario_runs_a_monte_carlo():
    ds = sim.run(SCENARIOS / "flanders_central.yaml", draws=64, seed=1, sampler="sobol")
    q = ds["tfp_gain_pct"].sel(year=2050).quantile([0.05, 0.95]).values
    assert 0 < q[0] < q[1]
