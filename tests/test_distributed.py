"""Sweeps on dask.distributed: a real LocalCluster on loopback gives bit-identical stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

from sim.analysis.sweep import open_sweep, parse_spec, plan_sweep, run_sweep
from tests.conftest import scenario_dict
from tests.test_sweep import UNCERTAIN_AI

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as lc, Client(lc) as client:
        yield lc, client


def _arrays(path: Path) -> xr.Dataset:
    ds = xr.open_zarr(path).load()
    ds.attrs.pop("created", None)
    return ds.drop_vars("chunk_seconds")


@pytest.mark.parametrize("keep_draws, batch", [(True, None), (False, None), (False, 2),
                                              (True, 2)])
def test_bit_identical_in_process_one_and_two_workers(cluster, write_yaml, tmp_path: Path,
                                                      keep_draws: bool,
                                                      batch: int | None) -> None:
    lc, client = cluster
    scenario = write_yaml(scenario_dict(ai=UNCERTAIN_AI))
    spec = parse_spec(grid=["ai.cost_saving=0.2,0.3", "rates.premium=0.02,-0.2"], draws=9,
                      chunk=4, seed=11, keep_draws=keep_draws, batch=batch,
                      variables=["tfp_gain_pct", "sector_tfp_gain_pct", "employment_by_cohort"])
    plan = plan_sweep(scenario, spec)
    local = run_sweep(plan, tmp_path / "inproc.zarr")
    two = run_sweep(plan, tmp_path / "two.zarr", client=client)
    via_tcp = run_sweep(plan, tmp_path / "tcp.zarr", scheduler=lc.scheduler_address)
    assert local.computed == two.computed == via_tcp.computed == len(plan.chunks)
    assert len(plan.batches) == len(plan.chunks) // (batch or 1)  # batch 2: a row a task
    ref = _arrays(local.path)
    xr.testing.assert_identical(ref, _arrays(two.path))
    xr.testing.assert_identical(ref, _arrays(via_tcp.path))
    # the infeasible points (real rate + depreciation <= 0) failed on the workers too
    assert [f["point"] for f in two.failed] == [1, 3]
    assert open_sweep(two.path)["point_ok"].values.tolist() == [[1, 0], [1, 0]]
    if keep_draws and batch is None:  # a fresh 1-worker LocalCluster via --scheduler local
        one = run_sweep(plan, tmp_path / "one.zarr", scheduler="local", workers=1)
        xr.testing.assert_identical(ref, _arrays(one.path))


def test_workers_wrote_the_data(cluster, write_yaml, tmp_path: Path) -> None:
    _, client = cluster
    scenario = write_yaml(scenario_dict(ai=UNCERTAIN_AI))
    plan = plan_sweep(scenario, parse_spec(oat=["jcurve.lag=2,3"], draws=3,
                                           variables=["tfp_gain_pct"]))
    res = run_sweep(plan, tmp_path / "w.zarr", client=client)
    ds = open_sweep(res.path)
    assert int(ds["chunk_status"].min()) == 1
    assert float(ds["chunk_seconds"].min()) > 0
    assert ds["tfp_gain_pct_mean"].notnull().all()


def test_unreachable_scheduler_is_input_error(write_yaml, tmp_path: Path, monkeypatch) -> None:
    from sim.cli import main

    monkeypatch.setattr("sim.runner.executors.CONNECT_TIMEOUT", "1s")
    scenario = write_yaml(scenario_dict())
    code = main(["sweep", str(scenario), "--grid", "ai.cost_saving=0.2", "--scheduler",
                 "tcp://127.0.0.1:1", "-o", str(tmp_path / "x.zarr"), "-q"])
    assert code == 2
    code = main(["sweep", str(scenario), "--grid", "ai.cost_saving=0.2", "--scheduler",
                 "slurm", "-o", str(tmp_path / "x.zarr"), "-q"])
    assert code == 2 and not (tmp_path / "x.zarr").exists()


def test_dask_executor_runs_any_callable(cluster) -> None:
    """The executor knows nothing of sweeps: any picklable callable, outcomes by index."""
    import math

    from sim.runner.executors import DaskExecutor

    _, client = cluster
    done, errors = {}, {}
    with DaskExecutor(client=client) as executor:
        executor.map(math.sqrt, [4.0, -1.0, 9.0], on_done=done.__setitem__,
                     on_error=errors.__setitem__)
        with pytest.raises(ValueError):
            executor.map(math.sqrt, [-4.0], on_done=done.__setitem__)
    assert done == {0: 2.0, 2: 3.0} and list(errors) == [1]
    assert isinstance(errors[1], ValueError)
    assert client.status == "running"  # a given client is left open


def test_run_through_dask_equals_in_process(cluster, write_yaml) -> None:
    """A run's chunks on dask workers reach the sinks in order, bit-identical to the
    in-process loop (paths, and summaries merged from the returned paths)."""
    import numpy as np

    from sim.runner.executors import DaskExecutor
    from sim.runner.loop import execute
    from sim.runner.plan import RunPlan, RunSettings
    from sim.runner.sinks import MemorySink, SummarySink
    from sim.scenario.loader import load_scenario

    _, client = cluster
    scn = load_scenario(write_yaml(scenario_dict(ai=UNCERTAIN_AI))).scenario
    plan = RunPlan(scn, RunSettings(draws=17, seed=6, sampler="sobol", chunk_size=4))
    here, there = (MemorySink(), SummarySink()), (MemorySink(), SummarySink())
    execute(plan, here)
    with DaskExecutor(client=client) as executor:
        execute(plan, there, executor=executor)
    assert set(here[0].arrays) == set(there[0].arrays)
    for name, values in here[0].arrays.items():
        np.testing.assert_array_equal(values, there[0].arrays[name], err_msg=name)
    for a, b in zip(here[1].streaming.state.arrays(), there[1].streaming.state.arrays(),
                    strict=True):
        np.testing.assert_array_equal(a, b)
    # and the summaries equal those of the fused pass in one chunk, bit for bit
    whole = SummarySink()
    execute(RunPlan(scn, RunSettings(draws=17, seed=6, sampler="sobol", chunk_size=17)),
            [whole])
    ref, got = whole.result(), there[1].result()
    for name in ref.data_vars:
        assert ref[name].values.tobytes() == got[name].values.tobytes(), name
