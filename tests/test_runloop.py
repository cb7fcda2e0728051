"""The one run loop (sim.runner.loop): plans, sinks and executors as seams.

A custom sink sees every chunk in plan order; sinks combine; Ctrl-C aborts every sink; an
executor runs any callable; a remote executor (chunks finishing out of order, summaries merged
from paths) gives the same numbers bit for bit as the in-process fused pass.
"""

from __future__ import annotations

import ast
import math
import pickle
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import sim
from sim.progress import Interrupt
from sim.runner.executors import InProcessExecutor
from sim.runner.loop import ChunkJob, execute, run_tasks
from sim.runner.plan import Chunk, DesignPlan, RunPlan, RunSettings, point_plan
from sim.runner.results import VARIABLES
from sim.runner.sinks import ChunkResult, MemorySink, NetCDFSink, Sink, SummarySink
from sim.scenario.loader import load_scenario
from sim.scenario.parameters import central_table
from tests.conftest import ROOT, scenario_dict
from tests.test_sweep import UNCERTAIN_AI


@pytest.fixture
def loaded(write_yaml):
    return load_scenario(write_yaml(scenario_dict(ai=UNCERTAIN_AI)))


class Recorder(Sink):
    """Remembers what it was given."""

    def __init__(self, needs_paths: bool = True) -> None:
        self.needs_paths = needs_paths
        self.events: list[tuple] = []

    def open(self, plan) -> None:
        self.events.append(("open", plan.first, plan.total))

    def write(self, result: ChunkResult) -> None:
        self.events.append(("write", result.chunk, sorted(result.outputs)))

    def close(self) -> None:
        self.events.append(("close",))

    def abort(self) -> None:
        self.events.append(("abort",))


class Reversed:
    """A 'remote' executor in process: tasks pickled, run last to first."""

    remote = True

    def map(self, fn, tasks, *, on_done, on_error=None) -> None:
        fn = pickle.loads(pickle.dumps(fn))
        for i in reversed(range(len(tasks))):
            on_done(i, fn(tasks[i]))


def test_custom_sink_receives_every_chunk_in_order(loaded) -> None:
    settings = RunSettings(draws=23, seed=3, sampler="sobol", chunk_size=5)
    paths, no_paths, memory = Recorder(), Recorder(needs_paths=False), MemorySink()
    execute(RunPlan(loaded.scenario, settings), [paths, no_paths, memory])
    chunks = [Chunk(i, s, min(5, 23 - s)) for i, s in enumerate(range(0, 23, 5))]
    assert paths.events == [("open", 0, 23), *(("write", c, sorted(VARIABLES)) for c in chunks),
                            ("close",)]
    assert [e[1] for e in no_paths.events[1:-1]] == chunks
    ref = sim.run(loaded, draws=23, seed=3, sampler="sobol")
    for name in VARIABLES:
        np.testing.assert_array_equal(memory.arrays[name], ref[name].values, err_msg=name)


def test_a_sink_that_needs_nothing_gets_no_paths(loaded) -> None:
    quiet = Recorder(needs_paths=False)
    execute(RunPlan(loaded.scenario, RunSettings(6, 1, "mc", 4)), [quiet])
    assert [e[2] for e in quiet.events if e[0] == "write"] == [[], []]


def test_remote_executor_out_of_order_is_bit_identical(loaded) -> None:
    """Chunks finishing last to first still reach the sinks in order; summaries merged from
    the returned paths equal the fused in-process pass bit for bit."""
    plan = RunPlan(loaded.scenario, RunSettings(draws=30, seed=9, sampler="lhs", chunk_size=7))
    here, there = (MemorySink(), SummarySink()), (MemorySink(), SummarySink())
    order = Recorder()
    execute(plan, here)
    execute(plan, [*there, order], executor=Reversed())
    assert [e[1].index for e in order.events if e[0] == "write"] == [0, 1, 2, 3, 4]
    for name in VARIABLES:
        np.testing.assert_array_equal(here[0].arrays[name], there[0].arrays[name])
    for a, b in zip(here[1].streaming.state.arrays(), there[1].streaming.state.arrays(),
                    strict=True):
        np.testing.assert_array_equal(a, b)
    xr.testing.assert_identical(here[1].result(), there[1].result())


def test_netcdf_sink_and_summaries_combine(loaded, tmp_path: Path) -> None:
    settings = RunSettings(draws=12, seed=2, sampler="mc", chunk_size=5)
    out = tmp_path / "paths.nc"
    summary, memory = SummarySink(), MemorySink()
    execute(RunPlan(loaded.scenario, settings), [summary, NetCDFSink(out, _coords(loaded, 12),
                                                                     {"x": 1}, 5), memory])
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        for name in ("tfp_gain_pct", "employment_by_cohort"):
            np.testing.assert_array_equal(ds[name].values, memory.arrays[name])
        assert ds.attrs["x"] == 1
    assert summary.streaming.state.count == 12
    assert not list(tmp_path.glob(".*part"))


def _coords(loaded, draws: int) -> dict[str, np.ndarray]:
    scn = loaded.scenario
    return {"draw": np.arange(draws), "year": np.arange(scn.horizon.start, scn.horizon.end + 1),
            "sector": np.array(scn.sector_codes, dtype=object),
            "cohort": np.array(["junior", "prime", "senior"], dtype=object)}


def test_interrupt_aborts_every_sink(loaded, tmp_path: Path) -> None:
    class Stop(Recorder):
        def write(self, result: ChunkResult) -> None:
            super().write(result)
            Interrupt.requested = True  # as the SIGINT handler does

    out = tmp_path / "out" / "x.nc"
    stop = Stop()
    try:
        with pytest.raises(KeyboardInterrupt):
            execute(RunPlan(loaded.scenario, RunSettings(9, 1, "mc", 3)),
                    [NetCDFSink(out, _coords(loaded, 9), {}, 3), stop])
    finally:
        Interrupt.requested = False
    assert [e[0] for e in stop.events] == ["open", "write", "abort"]  # one chunk, then stop
    assert not out.exists() and list(out.parent.iterdir()) == []  # no temporary left


def test_in_process_executor_runs_any_callable() -> None:
    done, errors = {}, {}
    run_tasks(InProcessExecutor(), math.sqrt, [4.0, -1.0, 9.0], on_done=done.__setitem__,
              on_error=errors.__setitem__)
    assert done == {0: 2.0, 2: 3.0} and list(errors) == [1]
    assert isinstance(errors[1], ValueError)
    with pytest.raises(ValueError):
        run_tasks(InProcessExecutor(), math.sqrt, [-1.0])


def test_design_plan_rows_and_central_values(loaded) -> None:
    scn = loaded.scenario
    column = np.linspace(0.2, 0.3, 7)
    plan = DesignPlan.at_central(scn, {"ai.cost_saving": column}, chunk_size=3)
    assert [(c.start, c.count) for c in plan.chunks()] == [(0, 3), (3, 3), (6, 1)]
    table = plan.table(plan.chunks()[1])
    np.testing.assert_array_equal(table.sampled["ai.cost_saving"], column[3:6])
    central = central_table(scn, 1).fixed
    assert "ai.cost_saving" not in table.fixed
    assert table.fixed["ai.parkinson_rebound"] == central["ai.parkinson_rebound"]
    sink = MemorySink(["tfp_gain_pct"])
    execute(plan, [sink])
    assert list(sink.arrays) == ["tfp_gain_pct"] and sink.arrays["tfp_gain_pct"].shape[0] == 7


def test_point_plan_window_is_those_draws_of_the_run(loaded) -> None:
    settings = RunSettings(draws=20, seed=4, sampler="sobol", chunk_size=8)
    window = MemorySink(["gdp_gain_pct"])
    execute(point_plan(loaded.scenario, settings, 8, 8), [window])
    full = sim.run(loaded, draws=20, seed=4, sampler="sobol")
    np.testing.assert_array_equal(window.arrays["gdp_gain_pct"],
                                  full["gdp_gain_pct"].values[8:16])


def test_chunk_job_pickles_with_its_plan(loaded) -> None:
    plan = RunPlan(loaded.scenario, RunSettings(5, 1, "mc", 5))
    job = pickle.loads(pickle.dumps(ChunkJob(plan)))
    np.testing.assert_array_equal(job(plan.chunks()[0])["tfp_gain_pct"],
                                  sim.run(loaded, draws=5, seed=1, sampler="mc")
                                  ["tfp_gain_pct"].values)


def test_runner_imports_no_later_stage() -> None:
    """sim/runner/* imports earlier stages only (no cycle with sim.analysis)."""
    later = ("sim.analysis", "sim.present", "sim.calibrate", "sim.cli")
    for path in sorted((ROOT / "sim" / "runner").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad = [n for n in names if n.startswith(later)]
            assert not bad, f"{path.name} imports {bad}"


def test_summary_of_some_variables_equals_the_full_one(loaded) -> None:
    """All variables: merged by the fused pass; some: from their paths. Same numbers."""
    plan = RunPlan(loaded.scenario, RunSettings(draws=20, seed=5, sampler="sobol", chunk_size=6))
    full, some = SummarySink(), SummarySink(variables=["gdp_gain_pct", "exposure"])
    execute(plan, [full, some])
    assert full.summary is full.streaming and not full.needs_paths
    assert some.summary is None and some.needs_paths
    assert list(some.streaming.state.shapes) == ["gdp_gain_pct", "exposure"]
    for name in some.variables:
        for stat, values in full.statistics(name).items():
            np.testing.assert_array_equal(values, some.statistics(name)[stat], err_msg=stat)
