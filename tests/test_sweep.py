"""Sweeps: grid / one-at-a-time / sampled designs, validation, store layout, failures, resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sim.analysis.sweep import (
    draw_table,
    load_point,
    load_spec,
    open_sweep,
    parse_spec,
    part_path,
    plan_sweep,
    run_sweep,
)
from sim.cli import main
from sim.errors import InputError, ScenarioError
from sim.runner.engine import RunSettings, parameter_chunks, run
from sim.runner.summary import summarize, to_flat
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT, scenario_dict

UNCERTAIN_AI = {"exposure": {"ceiling": 0.6, "midpoint": 2032, "steepness": 0.4},
                "profitable_share": {"start": 0.23, "growth": 0.05, "ceiling": 0.6},
                "cost_saving": {"dist": "uniform", "low": 0.2, "high": 0.34},
                "parkinson_rebound": {"dist": "uniform", "low": 0.0, "high": 0.2}}
VARS = ["tfp_gain_pct", "gdp_gain_pct", "sector_tfp_gain_pct", "employment_by_cohort"]


@pytest.fixture
def scenario(write_yaml) -> Path:
    return write_yaml(scenario_dict(ai=UNCERTAIN_AI))


def test_grid_matches_single_runs_exactly(scenario: Path, tmp_path: Path) -> None:
    spec = parse_spec(grid=["ai.cost_saving=0.2,0.3", "jcurve.lag=1,2,3"], draws=7, seed=5,
                      chunk=3, keep_draws=True, variables=VARS)
    plan = plan_sweep(scenario, spec)
    assert len(plan.chunks) == 6 * 3  # 6 points x ceil(7 / 3) draw chunks
    res = run_sweep(plan, tmp_path / "g.zarr")
    assert res.failed == [] and res.computed == 18
    ds = open_sweep(res.path)
    assert ds["tfp_gain_pct"].dims == ("ai.cost_saving", "jcurve.lag", "draw", "year")
    assert list(ds["jcurve.lag"].values) == [1.0, 2.0, 3.0]
    assert ds["employment_by_cohort"].dims[-3:] == ("year", "sector", "cohort")
    ref = run(scenario, draws=7, seed=5, overrides=["ai.cost_saving=0.3", "jcurve.lag=2"])
    for var in VARS:
        got = ds[var].sel({"ai.cost_saving": 0.3, "jcurve.lag": 2.0}).values
        np.testing.assert_array_equal(got, ref[var].values)  # bit-identical
    assert int(ds["chunk_status"].min()) == 1 and int(ds["point_ok"].min()) == 1
    # the swept value does change the result
    assert not np.array_equal(ds["tfp_gain_pct"].isel({"jcurve.lag": 0}).values,
                              ds["tfp_gain_pct"].isel({"jcurve.lag": 2}).values)


def test_summary_store_equals_summarize(scenario: Path, tmp_path: Path) -> None:
    plan = plan_sweep(scenario, parse_spec(grid=["ai.cost_saving=0.25"], draws=30, seed=2,
                                           variables=VARS[:3]))
    ds = open_sweep(run_sweep(plan, tmp_path / "s.zarr").path)
    ref = to_flat(summarize(run(scenario, draws=30, seed=2, overrides=["ai.cost_saving=0.25"])))
    for var in VARS[:3]:
        for stat in ("mean", "sd", "quantile"):
            np.testing.assert_array_equal(ds[f"{var}_{stat}"].isel({"ai.cost_saving": 0}),
                                          ref[f"{var}_{stat}"].values)
    assert "employment_by_cohort_mean" not in ds and ds.attrs["sweep_contents"] == "summaries"


def test_streamed_summary_when_draws_exceed_chunk(scenario: Path, tmp_path: Path) -> None:
    from sim.runner.results import VARIABLES
    from sim.runner.summary import StreamingSummary

    plan = plan_sweep(scenario, parse_spec(oat=["ai.cost_saving=0.25"], draws=40, chunk=16,
                                           variables=["tfp_gain_pct"]))
    ds = open_sweep(run_sweep(plan, tmp_path / "s.zarr").path)
    full = run(scenario, draws=40, overrides=["ai.cost_saving=0.25"])
    ref = summarize(full)
    np.testing.assert_allclose(ds["tfp_gain_pct_mean"].isel(point=1),
                               ref["tfp_gain_pct"].sel(stat="mean"),
                               rtol=1e-12)
    streamed = StreamingSummary(dims={k: v.dims for k, v in VARIABLES.items()}, coords={})
    for start in (0, 16, 32):  # the same chunks of 16 draws, fed in order
        streamed.update({"tfp_gain_pct": full["tfp_gain_pct"].values[start:start + 16]})
    q, _ = streamed.state.quantiles("tfp_gain_pct", (0.05, 0.25, 0.5, 0.75, 0.95))
    np.testing.assert_array_equal(ds["tfp_gain_pct_quantile"].isel(point=1), q)


def test_oat_and_design_layout(scenario: Path, tmp_path: Path) -> None:
    plan = plan_sweep(scenario, parse_spec(oat=["ai.cost_saving=0.2,0.3", "jcurve.lag=2"],
                                           draws=1, variables=["tfp_gain_pct"]))
    ds = open_sweep(run_sweep(plan, tmp_path / "o.zarr").path)
    assert ds.sizes["point"] == 4
    assert list(ds["varied"].values) == ["", "ai.cost_saving", "ai.cost_saving", "jcurve.lag"]
    # unchanged parameters sit at the central value (a distribution's mean)
    np.testing.assert_allclose(ds["ai.cost_saving"].values, [0.27, 0.2, 0.3, 0.27])
    np.testing.assert_array_equal(ds["jcurve.lag"].values, [1.0, 1.0, 1.0, 2.0])
    central = run(scenario, draws=1)
    np.testing.assert_array_equal(ds["tfp_gain_pct_mean"].isel(point=0),
                                  central["tfp_gain_pct"].isel(draw=0))

    spec = parse_spec(design="sobol", points=8, ranges=["ai.cost_saving=0.2:0.4",
                                                        "jcurve.lag=1:4"], draws=1)
    a, b = plan_sweep(scenario, spec), plan_sweep(scenario, spec)
    assert a.points == b.points and a.fingerprint == b.fingerprint  # reproducible
    values = np.array([[p["ai.cost_saving"], p["jcurve.lag"]] for p in a.points])
    assert values.shape == (8, 2) and (values[:, 0] >= 0.2).all() and (values[:, 0] < 0.4).all()
    assert len(set(values[:, 1])) == 8
    lhs = plan_sweep(scenario, parse_spec(design="lhs", points=5,
                                          ranges=["ai.cost_saving=0.2:0.4"], draws=1))
    strata = np.sort(np.floor((np.array([p["ai.cost_saving"] for p in lhs.points]) - 0.2)
                              / 0.04))
    np.testing.assert_array_equal(strata, np.arange(5))


def test_spec_file_and_cli_override(scenario: Path, write_yaml) -> None:
    path = write_yaml("grid:\n  ai.cost_saving: [0.2, 0.3]\ndraws: 4\nseed: 9\n", "sw.yaml")
    spec = load_spec(path)
    assert spec.kind == "grid" and spec.values == ((0.2, 0.3),) and spec.draws == 4
    spec = load_spec(path, oat=["jcurve.lag=2"], draws=2)
    assert spec.kind == "oat" and spec.draws == 2 and spec.seed == 9
    bad = write_yaml("grid:\n  ai.cost_saving: [0.2, x]\ndrawz: 4\n", "bad.yaml")
    with pytest.raises(InputError) as err:
        load_spec(bad)
    text = str(err.value)
    assert "bad.yaml:3: drawz" in text and "did you mean 'draws'" in text
    assert "bad.yaml:2: grid.ai.cost_saving" in text
    design = write_yaml("design: {method: sobl, points: 4, ranges: {ai.cost_saving: [0.4, 0.2]}}"
                        "\n", "d.yaml")
    with pytest.raises(InputError) as err:
        load_spec(design)
    assert "did you mean 'sobol'" in str(err.value) and "low < high" in str(err.value)


@pytest.mark.parametrize("kwargs, needle", [
    ({"grid": ["ai.cost_savings=0.2"]}, "did you mean 'ai.cost_saving'"),
    ({"grid": ["cost_saving=0.2"]}, "did you mean 'ai.cost_saving'"),
    ({"grid": ["ai.cost_saving"]}, "dotted.path=v1,v2"),
    ({"grid": ["ai.cost_saving=0.2,,0.3"]}, "finite numbers"),
    ({"grid": ["ai.cost_saving=0.2,0.2"]}, "distinct grid values"),
    ({"design": "sobol", "points": 4, "ranges": ["ai.cost_saving=0.4:0.2"]}, "low < high"),
    ({"design": "halton", "points": 4, "ranges": ["ai.cost_saving=0.2:0.4"]}, "lhs, sobol"),
    ({"grid": ["ai.cost_saving=0.2"], "oat": ["jcurve.lag=2"]}, "one of --grid"),
    ({}, "one of grid, oat or design"),
    ({"grid": ["ai.cost_saving=0.2"], "variables": ["tfp_gain"]}, "tfp_gain_pct"),
])
def test_bad_sweep_input(scenario: Path, kwargs: dict, needle: str) -> None:
    with pytest.raises(InputError) as err:
        plan_sweep(scenario, parse_spec(**kwargs))
    assert needle in str(err.value)


def test_invalid_point_refused_before_any_store(scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "bad.zarr"
    code = main(["sweep", str(scenario), "--grid", "ai.cost_saving=0.3,1.5", "--grid",
                 "jcurve.lag=1,2", "-o", str(out), "-q"])
    assert code == 2
    assert not out.exists() and not part_path(out).exists()
    with pytest.raises(InputError) as err:
        plan_sweep(scenario, parse_spec(grid=["ai.cost_saving=0.3,1.5"]))
    assert "ai.cost_saving" in str(err.value) and "sweep point 1" in str(err.value)


def test_load_point_is_load_scenario(scenario: Path) -> None:
    ov = ("ai.cost_saving=0.31", "rates.policy_rate={2025: 0.01, 2030: 0.03}")
    assert load_point(scenario, ov).sha256 == load_scenario(scenario, list(ov)).sha256
    with pytest.raises(ScenarioError) as a:
        load_point(scenario, ("ai.parkinson_rebound=2",))
    with pytest.raises(ScenarioError) as b:
        load_scenario(scenario, ["ai.parkinson_rebound=2"])
    assert a.value.problems == b.value.problems


def test_draw_table_matches_parameter_chunks(scenario: Path) -> None:
    scn = load_scenario(scenario).scenario
    settings = RunSettings(draws=50, seed=3, sampler="lhs", chunk_size=20)
    for start, table in parameter_chunks(scn, settings):
        mine = draw_table(scn, 50, 3, "lhs", start, table.n)
        for k, v in table.sampled.items():
            np.testing.assert_array_equal(mine.sampled[k], v)


def test_failed_point_recorded_and_sweep_completes(scenario: Path, tmp_path: Path,
                                                   capsys) -> None:
    out = tmp_path / "f.zarr"
    code = main(["sweep", str(scenario), "--grid", "rates.premium=0.02,-0.2", "--draws", "3",
                 "--var", "tfp_gain_pct", "-o", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "1 failed point(s)" in printed and "real rate + depreciation" in printed
    ds = open_sweep(out)
    assert list(ds["point_ok"].values) == [1, 0]
    assert list(ds["chunk_status"].values) == [1, 2]
    assert "InfeasibleScenarioError" in str(ds["chunk_error"].values[1])
    assert np.isnan(ds["tfp_gain_pct_mean"].isel({"rates.premium": 1})).all()
    assert np.isfinite(ds["tfp_gain_pct_mean"].isel({"rates.premium": 0})).all()


def test_fingerprint_refuses_other_sweep_and_reruns_are_noops(scenario: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "fp.zarr"
    spec = parse_spec(grid=["ai.cost_saving=0.2,0.3"], draws=2, variables=["tfp_gain_pct"])
    first = run_sweep(plan_sweep(scenario, spec), out)
    assert first.computed == 2
    again = run_sweep(plan_sweep(scenario, spec), out)
    assert again.computed == 0
    other = parse_spec(grid=["ai.cost_saving=0.2,0.3"], draws=2, seed=1,
                       variables=["tfp_gain_pct"])
    before = open_sweep(out).attrs["sweep_fingerprint"]
    with pytest.raises(InputError) as err:
        run_sweep(plan_sweep(scenario, other), out)
    assert "different sweep" in str(err.value)
    assert open_sweep(out).attrs["sweep_fingerprint"] == before
    replaced = run_sweep(plan_sweep(scenario, other), out, overwrite=True)
    assert replaced.computed == 2


def _store_arrays(path: Path) -> xr.Dataset:
    ds = xr.open_zarr(path).load()
    ds.attrs.pop("created", None)
    return ds.drop_vars("chunk_seconds")


def test_resume_after_sigkill(scenario: Path, tmp_path: Path) -> None:
    """Killed between batches of 3 points (one zarr chunk each), resumed: the store equals an
    uninterrupted run's, and only the batches not recorded as done are recomputed."""
    import zarr

    out, ref_out = tmp_path / "k.zarr", tmp_path / "ref.zarr"
    cmd = [sys.executable, "-m", "sim.cli", "sweep", str(scenario), "--grid",
           "ai.cost_saving=" + ",".join(f"{x:.2f}" for x in np.linspace(0.2, 0.4, 14)),
           "--draws", "3000", "--seed", "4", "--var", "tfp_gain_pct", "--var",
           "sector_tfp_gain_pct", "--batch", "3", "-o", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    part = part_path(out)
    done = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if (part / "zarr.json").exists():
            try:
                done = int((zarr.open_group(part, mode="r")["chunk_status"][:] == 1).sum())
            except Exception:  # being created
                done = 0
            if done >= 2:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists() and part.exists()
    status = zarr.open_group(part, mode="r")["chunk_status"][:]
    assert 3 <= (status == 1).sum() < 14
    assert (status == 1).sum() % 3 == 0  # whole batches (the last one has 2 points)
    resumed = subprocess.run(cmd[:-1], cwd=ROOT, env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert "in 5 batch(es) of 3 point(s)" in resumed.stdout
    computed = int(resumed.stdout.split(" point(s), ")[1].split(" computed")[0])
    assert computed == 14 - int((status == 1).sum()) and "(resumed)" in resumed.stdout
    full = subprocess.run([*cmd[:-2], str(ref_out), "-q"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert full.returncode == 0, full.stderr
    xr.testing.assert_identical(_store_arrays(out), _store_arrays(ref_out))


def test_sigterm_during_batch_writes_then_resume(scenario: Path, tmp_path: Path) -> None:
    """SIGTERM while batches write every variable's summaries (174 arrays, written together
    in one zarr IO call, sim.runner.zarr_blocks): one line, the part store kept, nothing
    written after the process ended, and the resumed store equals an uninterrupted run's."""
    import zarr

    out, ref_out = tmp_path / "t.zarr", tmp_path / "ref.zarr"
    cmd = [sys.executable, "-m", "sim.cli", "sweep", str(scenario), "--grid",
           "ai.cost_saving=" + ",".join(f"{x:.3f}" for x in np.linspace(0.2, 0.4, 40)),
           "--draws", "20", "--seed", "4", "--batch", "2", "-o", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    part = part_path(out)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if (zarr.open_group(part, mode="r")["chunk_status"][:] == 1).sum() >= 2:
                break
        except Exception:  # not created yet
            pass
        time.sleep(0.02)
    assert proc.poll() is None, "the sweep finished before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert len(err.strip().splitlines()) == 1 and "SIGTERM" in err, err
    assert "partial results kept" in err and part.exists() and not out.exists()
    files = sorted(str(p) for p in part.rglob("*"))
    time.sleep(0.5)
    assert sorted(str(p) for p in part.rglob("*")) == files  # no write after the exit
    resumed = subprocess.run(cmd[:-1], cwd=ROOT, env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert "(resumed)" in resumed.stdout
    full = subprocess.run([*cmd[:-2], str(ref_out), "-q"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert full.returncode == 0, full.stderr
    xr.testing.assert_identical(_store_arrays(out), _store_arrays(ref_out))


def test_example_sweep_files_are_valid() -> None:
    files = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))
    assert files
    for path in files:
        spec = load_spec(path)
        plan_sweep(ROOT / "scenarios" / "flanders_central.yaml", spec)


def test_batched_layout_same_values_for_any_batch(scenario: Path, tmp_path: Path) -> None:
    """Points are batched per zarr chunk along the sweep dimensions (one task and one write
    per array and batch); the values are bit-identical whatever the batch, a failed point in a
    batch fails alone, and the batch is part of the fingerprint."""
    import zarr

    grid = ["ai.cost_saving=0.2,0.25,0.3", "rates.premium=0.02,-0.2,0.03,0.01,0.0"]
    stores = {}
    for batch in (1, 4, 15):
        spec = parse_spec(grid=grid, draws=5, seed=3, batch=batch,
                          variables=["tfp_gain_pct", "sector_tfp_gain_pct"])
        plan = plan_sweep(scenario, spec)
        assert plan.batch == int(np.prod(plan.lead_chunks)) <= batch
        assert sorted(p for b in plan.batches for p in b.points) == list(range(15))
        res = run_sweep(plan, tmp_path / f"b{batch}.zarr")
        assert res.batches == len(plan.batches) and res.computed == 15
        stores[batch] = res.path
        lead = zarr.open_group(res.path, mode="r")["tfp_gain_pct_mean"].chunks[:2]
        assert lead == {1: (1, 1), 4: (1, 4), 15: (3, 5)}[batch]
        assert len(plan.batches) == {1: 15, 4: 6, 15: 1}[batch]
        assert [f["point"] for f in res.failed] == [1, 6, 11]  # premium -0.2: infeasible
    ref = _store_arrays(stores[1]).drop_vars("chunk_batch")
    for batch in (4, 15):
        got = _store_arrays(stores[batch])
        assert got["chunk_batch"].max() == {4: 5, 15: 0}[batch]
        xr.testing.assert_equal(ref, got.drop_vars("chunk_batch"))  # attrs: batch, fingerprint
    ds = open_sweep(stores[15])
    assert ds["point_ok"].values.tolist() == [[1, 0, 1, 1, 1]] * 3
    assert np.isnan(ds["tfp_gain_pct_mean"].isel({"rates.premium": 1})).all()
    assert np.isfinite(ds["tfp_gain_pct_mean"].isel({"rates.premium": 0})).all()
    a = plan_sweep(scenario, parse_spec(grid=grid, draws=5, batch=4))
    b = plan_sweep(scenario, parse_spec(grid=grid, draws=5, batch=5))
    assert a.fingerprint != b.fingerprint
    with pytest.raises(InputError, match="different sweep"):
        run_sweep(plan_sweep(scenario, parse_spec(grid=grid, draws=5, seed=3, batch=4,
                                                  variables=["tfp_gain_pct",
                                                             "sector_tfp_gain_pct"])),
                  stores[15])


def test_keep_draws_batched_over_points(scenario: Path, tmp_path: Path) -> None:
    spec = dict(oat=["ai.cost_saving=0.2,0.3,0.35"], draws=7, chunk=3, seed=2, keep_draws=True,
                variables=["tfp_gain_pct", "employment_by_cohort"])
    one = run_sweep(plan_sweep(scenario, parse_spec(**spec)), tmp_path / "one.zarr")
    plan = plan_sweep(scenario, parse_spec(**spec, batch=2))
    assert len(plan.batches) == 2 * 3  # 2 blocks of points x 3 draw ranges
    two = run_sweep(plan, tmp_path / "two.zarr")
    xr.testing.assert_equal(_store_arrays(one.path).drop_vars("chunk_batch"),
                            _store_arrays(two.path).drop_vars("chunk_batch"))


def test_auto_batch_rule() -> None:
    from sim.analysis.sweep import MAX_BATCH, auto_batch, lead_chunk_shape

    assert auto_batch(14, 3000, 2, False) == 1           # few points: one task each
    assert auto_batch(10_000, 1000, 48, False) == 35     # all variables: writes ~5 %
    assert auto_batch(10_000, 1, 48, False) == MAX_BATCH  # cheap points: big batches
    assert auto_batch(200, 1, 48, False) == 13           # at least ~16 tasks
    assert auto_batch(10**6, 1, 48, False) == MAX_BATCH
    assert auto_batch(10_000, 1000, 48, True) == 1
    assert lead_chunk_shape((3, 5), 7) == (1, 5)
    assert lead_chunk_shape((3, 5), 10) == (2, 5)
    assert lead_chunk_shape((4, 2, 3), 12) == (2, 2, 3)
    assert lead_chunk_shape((100,), 35) == (35,)
