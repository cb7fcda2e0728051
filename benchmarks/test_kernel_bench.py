"""Benchmarks (pytest-benchmark): ``pytest benchmarks/ --benchmark-only``.

Not part of the normal test run (pyproject sets ``testpaths = ["tests"]``). Groups:

- ``implementations``: the numba kernel, the numpy reference and the plain-Python reference on
  the same inputs (200 draws x 26 years x 10 sectors); targets numba >= 5x numpy, >= 100x Python.
- ``scale-draws`` / ``scale-sectors`` / ``scale-years``: the kernel alone; throughput in
  sector-years per second should be flat (cost linear in draws, sectors and years).
- ``end-to-end``: ``sim.runner.stream.run_to_store(summary_only=True)`` for 100,000 draws x 26
  years x 21 sectors with sampling and summaries, compilation excluded (target < 5 s), and a
  per-stage breakdown on 20,000 draws (in ``extra_info``).
- ``startup``: numba compile time (fresh ``NUMBA_CACHE_DIR``, child process) and the cached
  start-up of a second child process.
- ``memory``: wall time and peak RSS of ``aisim run ... --summary-only`` in a child process
  (``AISIM_BENCH_RSS_DRAWS`` draws, default 100,000; the 1,000,000-draw figure in
  benchmarks/README.md comes from ``python benchmarks/peak_memory.py --draws 1000000``).

Every benchmark stores ``sector_years`` (draws x years x sectors) in ``extra_info``;
``benchmarks/compare.py`` turns the JSON into a table of times, throughputs and ratios.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numba
import pytest

from benchmarks import cases
from benchmarks.peak_memory import measure
from benchmarks.reference_numpy import simulate_numpy
from benchmarks.reference_python import simulate_python

SMALL = {"draws": 200, "years": 26, "sectors": 10}
_INPUTS: dict[tuple, object] = {}


def inputs(draws: int, years: int, sectors: int):
    """Kernel inputs of the synthetic scenario (network, Baumol, J-curve, distributions)."""
    key = (draws, years, sectors)
    if key not in _INPUTS:
        _INPUTS[key] = cases.inputs_for(cases.synthetic(sectors, years), draws)
    return _INPUTS[key]


def _info(benchmark, draws: int, years: int, sectors: int, **extra) -> None:
    benchmark.extra_info.update(draws=draws, years=years, sectors=sectors,
                                sector_years=draws * years * sectors,
                                threads=numba.get_num_threads(), **extra)


# ---------------------------------------------------------------- implementations
@pytest.mark.benchmark(group="implementations")
def test_numba_small(benchmark) -> None:
    inp = inputs(**SMALL)
    out = cases.allocate(inp)
    cases.run_numba(inp, out)  # compile (or load from cache) and touch the pages
    benchmark(cases.run_numba, inp, out)
    _info(benchmark, **SMALL, implementation="numba")


@pytest.mark.benchmark(group="implementations")
def test_numpy_small(benchmark) -> None:
    inp = inputs(**SMALL)
    benchmark.pedantic(simulate_numpy, args=(inp,), rounds=10, warmup_rounds=1)
    _info(benchmark, **SMALL, implementation="numpy")


@pytest.mark.benchmark(group="implementations")
def test_python_small(benchmark) -> None:
    inp = inputs(**SMALL)
    benchmark.pedantic(simulate_python, args=(inp,), rounds=3, warmup_rounds=0)
    _info(benchmark, **SMALL, implementation="python")


# ---------------------------------------------------------------- scaling (kernel alone)
def _kernel(benchmark, draws: int, years: int, sectors: int, rounds: int) -> None:
    inp = inputs(draws, years, sectors)
    out = cases.allocate(inp)
    benchmark.pedantic(cases.run_numba, args=(inp, out), rounds=rounds, warmup_rounds=1)
    _info(benchmark, draws, years, sectors, implementation="numba")


@pytest.mark.benchmark(group="scale-draws")
@pytest.mark.parametrize("draws", [1_000, 10_000, 100_000])
def test_scale_draws(benchmark, draws: int) -> None:
    _kernel(benchmark, draws, 26, 10, rounds=3 if draws >= 100_000 else 10)


@pytest.mark.benchmark(group="scale-sectors")
@pytest.mark.parametrize("sectors", [5, 10, 21])
def test_scale_sectors(benchmark, sectors: int) -> None:
    _kernel(benchmark, 10_000, 26, sectors, rounds=5)


@pytest.mark.benchmark(group="scale-years")
@pytest.mark.parametrize("years", [10, 26, 50])
def test_scale_years(benchmark, years: int) -> None:
    _kernel(benchmark, 10_000, years, 10, rounds=5)


# ---------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def a21(tmp_path_factory):
    loaded = cases.load(cases.flanders_a21(), tmp_path_factory.mktemp("a21"))
    assert len(loaded.scenario.sectors) == 21
    return loaded


def _stages(loaded, draws: int) -> dict[str, float]:
    """Seconds per stage of a streamed summary-only run (the loop of run_to_store)."""
    from sim.model.inputs import compile_inputs
    from sim.runner.engine import (
        DEFAULT_CHUNK,
        RunSettings,
        chunk_outputs,
        kernel_outputs,
        parameter_chunks,
    )
    from sim.runner.results import VARIABLES
    from sim.runner.summary import StreamingSummary

    scn = loaded.scenario
    settings = RunSettings(draws=draws, seed=1, sampler="sobol", chunk_size=DEFAULT_CHUNK)
    summary = StreamingSummary(dims={k: v.dims for k, v in VARIABLES.items()}, coords={})
    seconds = dict.fromkeys(("sampling", "compile_inputs", "kernel", "outputs_and_summary"),
                            0.0)
    buffers: dict = {}
    chunks = parameter_chunks(scn, settings)
    while True:
        t = time.perf_counter()
        try:
            _, table = next(chunks)
        except StopIteration:
            break
        t1 = time.perf_counter()
        inp = compile_inputs(scn, table)
        t2 = time.perf_counter()
        kernel_outputs(inp, len(scn.sectors), buffers)
        t3 = time.perf_counter()
        # chunk_outputs = compile_inputs + kernel + the fused output pass; subtract the first two
        chunk_outputs(scn, table, paths=False, summary=summary, buffers=buffers)
        t4 = time.perf_counter()
        seconds["sampling"] += t1 - t
        seconds["compile_inputs"] += t2 - t1
        seconds["kernel"] += t3 - t2
        seconds["outputs_and_summary"] += max(0.0, (t4 - t3) - (t3 - t1))
    return seconds


@pytest.mark.benchmark(group="end-to-end")
def test_end_to_end_100k(benchmark, a21) -> None:
    from sim.runner.engine import DEFAULT_CHUNK, RunSettings
    from sim.runner.stream import run_to_store

    draws = 100_000
    run_to_store(a21, RunSettings(64, 1, "sobol", 64), None, summary_only=True)  # compile
    settings = RunSettings(draws=draws, seed=1, sampler="sobol", chunk_size=DEFAULT_CHUNK)
    # three rounds: the machine is a shared VM (±15 % between runs); min, mean and max are kept
    result = benchmark.pedantic(run_to_store, args=(a21, settings, None),
                                kwargs={"summary_only": True}, rounds=3, warmup_rounds=0)
    assert result.summary.attrs["summary_of_draws"] == draws
    breakdown_draws = 20_000
    stages = _stages(a21, breakdown_draws)
    _info(benchmark, draws, 26, 21, target_s=5.0,
          breakdown_draws=breakdown_draws, breakdown_s=stages)


# ---------------------------------------------------------------- start-up
_CHILD = textwrap.dedent("""
    import json, sys, time
    t = time.perf_counter()
    sys.path.insert(0, {root!r})
    from benchmarks import cases
    inp = cases.inputs_for(cases.THREE_SECTORS, 2)
    t_ready = time.perf_counter()
    from sim.model.kernel import simulate
    cases.run_numba(inp)
    t_done = time.perf_counter()
    print(json.dumps({{"setup_s": t_ready - t, "kernel_first_call_s": t_done - t_ready}}))
""")


def _child(cache: Path) -> dict[str, float]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(cases.ROOT))],
                         capture_output=True, text=True, env=env, check=True)
    record = json.loads(out.stdout.strip().splitlines()[-1])
    record["process_wall_s"] = time.perf_counter() - t
    return record


@pytest.mark.benchmark(group="startup")
def test_startup_compile_then_cached(benchmark, tmp_path: Path) -> None:
    """First child compiles into an empty cache; the second loads it (the benchmark's time)."""
    fresh = _child(tmp_path / "numba-cache")
    cached = benchmark.pedantic(_child, args=(tmp_path / "numba-cache",), rounds=1,
                                warmup_rounds=0)
    assert cached["kernel_first_call_s"] < fresh["kernel_first_call_s"]
    benchmark.extra_info.update(compile_s=fresh["kernel_first_call_s"],
                                compile_process_wall_s=fresh["process_wall_s"],
                                cached_s=cached["kernel_first_call_s"],
                                cached_process_wall_s=cached["process_wall_s"],
                                import_and_setup_s=cached["setup_s"])


# ---------------------------------------------------------------- memory
@pytest.mark.benchmark(group="memory")
def test_peak_memory_cli(benchmark, tmp_path: Path) -> None:
    draws = int(os.environ.get("AISIM_BENCH_RSS_DRAWS", "100000"))
    record = benchmark.pedantic(measure, args=(draws, tmp_path), rounds=1, warmup_rounds=0)
    assert record["returncode"] == 0
    _info(benchmark, draws, record["years"], record["sectors"], wall_s=record["wall_s"],
          peak_rss_mb=record["peak_rss_mb"], target_rss_mb=4096)
