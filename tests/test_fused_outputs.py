"""The fused output pass (sim.model.outputs) and the streaming summary state (sim.runner.summary).

A summary-only run computes every output cell by cell and merges it into the summaries without
materialising paths; these tests pin it to the paths it would have written and to exact
statistics computed independently with numpy.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.outputs import AGG_OUTPUTS, COHORT_OUTPUTS, SECTOR_OUTPUTS, output_shapes
from sim.model.statistics import PILOT, SUMMARY_BLOCK
from sim.runner.engine import RunSettings, chunk_outputs, parameter_chunks
from sim.runner.results import AGG, COH, SEC, VARIABLES
from sim.runner.summary import BINS, MAX_DRAWS, QUANTILES, StreamingSummary, SummaryState
from sim.scenario.loader import load_scenario
from sim.testing import three_sector_scenario
from tests.test_monte_carlo import UNCERTAIN


@pytest.fixture
def uncertain(write_yaml):
    data = three_sector_scenario()
    data["ai"].update(UNCERTAIN["ai"])
    data["labour"] = UNCERTAIN["labour"]
    data["feedback"] = {"enabled": True}  # demand gap and hiring paths are not all zero
    return load_scenario(write_yaml(data, "uncertain.yaml")).scenario


def _dims() -> dict[str, tuple[str, ...]]:
    return {k: v.dims for k, v in VARIABLES.items()}


def test_output_tuples_cover_the_output_contract_in_order() -> None:
    names = (*AGG_OUTPUTS, *SECTOR_OUTPUTS, *COHORT_OUTPUTS)
    assert list(names) == list(VARIABLES)
    assert all(VARIABLES[k].dims == AGG for k in AGG_OUTPUTS)
    assert all(VARIABLES[k].dims == SEC for k in SECTOR_OUTPUTS)
    assert all(VARIABLES[k].dims == COH for k in COHORT_OUTPUTS)
    shapes = output_shapes(4, 3)
    assert shapes["gdp"] == (4,) and shapes["exposure"] == (4, 3)
    assert shapes["employment_by_cohort"] == (4, 3, 3)


def test_summary_only_pass_equals_summaries_of_the_written_paths(uncertain) -> None:
    """Fused (no paths) and generic (from the paths) summaries agree bit for bit, and the
    paths of the pass that also writes are the paths of the pass that only writes."""
    settings = RunSettings(draws=300, seed=4, sampler="sobol", chunk_size=128)
    fused = StreamingSummary(dims=_dims(), coords={})
    generic = StreamingSummary(dims=_dims(), coords={})
    both = StreamingSummary(dims=_dims(), coords={})
    for _, table in parameter_chunks(uncertain, settings):
        assert chunk_outputs(uncertain, table, paths=False, summary=fused) == {}
        paths = chunk_outputs(uncertain, table)
        generic.update(paths)
        again = chunk_outputs(uncertain, table, summary=both)
        for name in VARIABLES:
            np.testing.assert_array_equal(again[name], paths[name], err_msg=name)
    assert fused.state.count == generic.state.count == both.state.count == 300
    for a, b, c in zip(fused.state.arrays(), generic.state.arrays(), both.state.arrays(),
                       strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_paths_follow_their_definitions(uncertain) -> None:
    """Spot checks of the derived outputs against their definitions (docs/model.md)."""
    settings = RunSettings(draws=40, seed=2, sampler="mc", chunk_size=40)
    (_, table), = list(parameter_chunks(uncertain, settings))
    out = chunk_outputs(uncertain, table)
    gain = 100 * (np.log(out["gdp"]) - np.log(out["gdp_baseline"]))
    np.testing.assert_allclose(out["gdp_gain_pct"], gain, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["capital_income"], out["gdp"] - out["labour_income"],
                               rtol=1e-14)
    wage = 100 * (out["labour_income"] / out["employment_total"]) / (
        out["labour_income_baseline"] / out["employment_total_baseline"])
    np.testing.assert_allclose(out["wage_index"], wage, rtol=1e-14)
    np.testing.assert_allclose(out["employment_by_cohort"].sum(axis=-1), out["employment"],
                               rtol=1e-12)
    np.testing.assert_allclose(out["employment_by_cohort_baseline"].sum(axis=-1),
                               out["employment_baseline"], rtol=1e-12)
    np.testing.assert_allclose(out["sector_labour_productivity"],
                               1e6 * out["sector_value_added"] / out["employment"], rtol=1e-14)


def test_streamed_statistics_match_numpy_within_one_bin() -> None:
    """Mean and sd to rounding; each quantile within one bin of numpy's order statistics;
    constant cells (the fast path) exact."""
    rng = np.random.default_rng(11)
    chunks = [rng.lognormal(0.0, 0.7, size=(500, 6)) for _ in range(4)]
    for c in chunks:
        c[:, 0] = 3.25  # constant in every draw
        c[:, 1] = np.round(c[:, 1])  # heavy ties
    summary = StreamingSummary(dims={"x": ("draw", "year")}, coords={})
    for c in chunks:
        summary.update({"x": c})
    every = np.concatenate(chunks)
    stats = summary.state.statistics("x", QUANTILES)
    np.testing.assert_allclose(stats["mean"], every.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(stats["sd"], every.std(axis=0, ddof=1), rtol=1e-10, atol=1e-15)
    assert stats["sd"][0] == 0.0 and np.all(stats["quantile"][:, 0] == 3.25)
    first = every[:PILOT]  # the first PILOT draws set the histogram range
    span = first.max(axis=0) - first.min(axis=0)
    width = 2 * span / BINS
    ordered = np.sort(every, axis=0)
    n = every.shape[0]
    for k, p in enumerate(QUANTILES):
        lo = ordered[max(0, int(np.floor(p * n)) - 1)] - width - 1e-12
        hi = ordered[min(n - 1, int(np.ceil(p * n)))] + width + 1e-12
        assert np.all((lo <= stats["quantile"][k]) & (stats["quantile"][k] <= hi)), p
    # quantiles in any order of probabilities are the same numbers
    q_rev, _ = summary.state.quantiles("x", tuple(reversed(QUANTILES)))
    np.testing.assert_array_equal(q_rev[::-1], stats["quantile"])


def _cut(n: int, sizes: list[int]) -> list[slice]:
    """Consecutive slices of ``sizes`` rows, the last one up to ``n``."""
    stops = [*np.cumsum(sizes)[np.cumsum(sizes) < n].tolist(), n]
    return [slice(a, b) for a, b in zip([0, *stops[:-1]], stops, strict=True)]


def test_streamed_statistics_do_not_depend_on_the_chunking() -> None:
    """Any cut of the same draws into chunks gives the same statistics bit for bit: chunks of
    one draw, chunks straddling the pilot and block boundaries, random cuts; with constant,
    tied, signed-zero, nan and infinite cells."""
    rng = np.random.default_rng(5)
    n = 2 * SUMMARY_BLOCK + 777
    values = rng.normal(3.0, 2.0, size=(n, 7))
    values[:, 1] = 1.5  # constant: the fast path
    values[:, 2] = np.round(values[:, 2])  # ties
    values[:, 3] = np.where(rng.random(n) < 0.5, 0.0, -0.0)  # zeros of both signs
    values[SUMMARY_BLOCK + 5, 4] = np.nan
    values[:, 5] = np.where(np.arange(n) < SUMMARY_BLOCK + 100, 2.0, 7.0)  # constant runs
    values[9, 6] = np.inf
    cuts = np.sort(rng.choice(np.arange(1, n), size=40, replace=False))
    chunkings = [[n], [1] * 50 + [PILOT - 51, 2, SUMMARY_BLOCK - 3], [128], [2048], [777],
                 [PILOT - 1, SUMMARY_BLOCK, 1], np.diff([0, *cuts, n]).tolist()]

    def streamed(sizes: list[int]) -> dict[str, np.ndarray]:
        summary = StreamingSummary(dims={"x": ("draw", "year")}, coords={})
        for part in _cut(n, sizes):
            summary.update({"x": values[part]})
        stats = summary.state.statistics("x", QUANTILES)
        return {**stats, "min": summary.state.vmin, "max": summary.state.vmax}

    whole = streamed(chunkings[0])
    for sizes in chunkings[1:]:
        for key, got in streamed(sizes).items():
            assert got.tobytes() == whole[key].tobytes(), (key, sizes[:3])
    np.testing.assert_allclose(whole["mean"][[0, 2, 5]], values[:, [0, 2, 5]].mean(axis=0),
                               rtol=1e-14)
    np.testing.assert_allclose(whole["sd"][[0, 2, 5]],
                               values[:, [0, 2, 5]].std(axis=0, ddof=1), rtol=1e-12)
    assert whole["mean"][1] == 1.5 and whole["sd"][1] == 0.0
    assert whole["mean"][3] == 0.0 and whole["sd"][3] == 0.0
    assert np.isnan(whole["mean"][4]) and whole["max"][6] == np.inf


def test_summary_only_run_does_not_depend_on_the_chunk_size(uncertain) -> None:
    """The fused pass of a summary-only run: the same statistics for any chunk size (the
    histogram range from the first PILOT draws, moments per fixed block)."""
    from sim.runner.loop import execute
    from sim.runner.plan import RunPlan
    from sim.runner.sinks import SummarySink

    results = []
    for chunk in (1_300, 500, 97):
        sink = SummarySink()
        execute(RunPlan(uncertain, RunSettings(draws=1_300, seed=3, sampler="mc",
                                               chunk_size=chunk)), [sink])
        assert sink.summary is sink.streaming  # merged by the fused pass
        results.append(sink.result())
    for other in results[1:]:
        for name in results[0].data_vars:
            assert results[0][name].values.tobytes() == other[name].values.tobytes(), name


def test_nan_values_do_not_break_the_histogram() -> None:
    values = np.linspace(0.0, 1.0, 64).reshape(64, 1).repeat(3, axis=1)
    values[::7, 1] = np.nan
    values[:, 2] = 2.0  # constant apart from nan: not the constant fast path
    values[5, 2] = np.nan
    summary = StreamingSummary(dims={"x": ("draw", "year")}, coords={})
    summary.update({"x": values})
    summary.update({"x": values})
    _, _, hist = summary.state.histograms()  # fewer than PILOT draws: from the waiting ones
    assert hist.sum() == 2 * values.size  # every value counted in some bin
    mean = summary.state.statistics("x")["mean"]
    assert mean[0] == pytest.approx(0.5) and np.isnan(mean[1]) and np.isnan(mean[2])
    rounds = PILOT // values.shape[0]  # past the pilot: binned as they come
    for _ in range(rounds):
        summary.update({"x": values})
    assert summary.state.hist.sum() == (2 + rounds) * values.size
    assert summary.state.histograms()[2] is summary.state.hist


def test_summary_refuses_a_changed_variable_set_and_too_many_draws() -> None:
    summary = StreamingSummary(dims={"x": ("draw",), "y": ("draw",)}, coords={})
    summary.update({"x": np.ones(3)})
    with pytest.raises(ValueError, match="same variables"):
        summary.update({"y": np.ones(3)})
    state = SummaryState({"x": ()})
    state.count = MAX_DRAWS - 2
    with pytest.raises(ValueError, match="at most"):
        state.reserve(3)
    assert state.reserve(2) == MAX_DRAWS - 2
