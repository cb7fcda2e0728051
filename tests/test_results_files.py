"""Every result is plottable and exportable (issue 16, item 3): sweep stores get response-curve
and tornado plots whose drawn data are the store's statistics; ``aisim compare --out`` writes a
comparison that ``aisim plot --kind compare`` draws; ``aisim plot`` / ``aisim export`` read
every kind of file through the CLI, with one-line messages for the rest."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402

from sim.analysis.sweep import parse_spec, plan_sweep, run_sweep  # noqa: E402
from sim.cli import main  # noqa: E402
from sim.errors import InputError  # noqa: E402
from sim.present.plot_sweep import response_curve, sweep_tornado  # noqa: E402
from sim.present.results import open_results  # noqa: E402
from sim.runner.engine import run  # noqa: E402
from sim.runner.summary import summarize  # noqa: E402
from tests.conftest import scenario_dict  # noqa: E402

pytest.importorskip("zarr")

UNCERTAIN_AI = {"exposure": {"ceiling": 0.6, "midpoint": 2032, "steepness": 0.4},
                "profitable_share": {"start": 0.23, "growth": 0.05, "ceiling": 0.6},
                "cost_saving": {"dist": "uniform", "low": 0.2, "high": 0.34},
                "parkinson_rebound": {"dist": "uniform", "low": 0.0, "high": 0.2}}
VARS = ["tfp_gain_pct", "gdp_gain_pct", "sector_tfp_gain_pct"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, Path]:
    """A grid (summaries), an OAT (summaries) and a grid keeping every draw, of the
    three-sector test scenario, plus the scenario file."""
    import yaml

    folder = tmp_path_factory.mktemp("sweeps")
    scenario = folder / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict(ai=UNCERTAIN_AI), sort_keys=False))
    out = {"scenario": scenario}
    specs = {
        "grid": parse_spec(grid=["ai.cost_saving=0.36,0.2,0.27", "jcurve.lag=1,2,3"],
                           draws=9, seed=4, variables=VARS),
        "oat": parse_spec(oat=["ai.cost_saving=0.2,0.36", "jcurve.lag=1,4"], draws=9, seed=4,
                          variables=VARS),
        "draws": parse_spec(grid=["ai.cost_saving=0.2,0.3"], draws=5, seed=4, keep_draws=True,
                            variables=VARS),
        "design": parse_spec(design="lhs", points=4, ranges=["ai.cost_saving=0.2:0.4"],
                             draws=3, variables=VARS),
    }
    for name, spec in specs.items():
        out[name] = run_sweep(plan_sweep(scenario, spec), folder / f"{name}.zarr").path
    return out


def lines(ax, gid_prefix: str) -> dict[str, np.ndarray]:
    return {ln.get_gid(): np.asarray(ln.get_ydata()) for ln in ax.lines
            if str(ln.get_gid()).startswith(gid_prefix)}


def test_sweep_stores_open_in_the_stat_layout(stores):
    kind, ds = open_results(stores["grid"])
    assert kind == "sweep"
    assert ds["gdp_gain_pct"].dims == ("ai.cost_saving", "jcurve.lag", "stat", "year")
    raw = xr.open_zarr(stores["grid"])
    np.testing.assert_array_equal(ds["gdp_gain_pct"].sel(stat="p95").values,
                                  raw["gdp_gain_pct_quantile"].sel(quantile=0.95).values)
    np.testing.assert_array_equal(ds["gdp_gain_pct"].sel(stat="mean").values,
                                  raw["gdp_gain_pct_mean"].values)
    kind, full = open_results(stores["draws"])
    assert kind == "sweep" and "draw" in full["gdp_gain_pct"].dims


def test_response_curve_of_a_grid_is_the_point_medians(stores):
    scenario = stores["scenario"]
    _, ds = open_results(stores["grid"])
    fig, ax = response_curve(ds, "gdp_gain_pct", param="ai.cost_saving", years=[2030, 2040])
    medians = lines(ax, "median-")
    assert set(medians) == {"median-2030", "median-2040"}
    (xs,) = {tuple(ln.get_xdata()) for ln in ax.lines}
    assert xs == (0.2, 0.27, 0.36)  # sorted, whatever the order in the sweep
    for k, cost in enumerate(xs):  # jcurve.lag held at its middle value, 2
        ref = run(scenario, draws=9, seed=4,
                  overrides=[f"ai.cost_saving={cost}", "jcurve.lag=2"])
        for year in (2030, 2040):
            draws = ref["gdp_gain_pct"].sel(year=year).values
            assert medians[f"median-{year}"][k] == pytest.approx(np.median(draws), rel=1e-12)
    (band,) = [c for c in ax.collections if c.get_gid() == "band-2040"]
    assert "jcurve.lag = 2" in ax.get_title()
    assert ax.get_xlabel().startswith("ai.cost_saving")
    assert ax.get_ylabel() == "GDP gain vs no-AI baseline [log points]"
    assert band.get_paths()


def test_response_curve_of_an_oat_sweep_and_of_kept_draws(stores):
    _, oat = open_results(stores["oat"])
    _, ax = response_curve(oat, "tfp_gain_pct", param="jcurve.lag", years=[2040])
    (line,) = ax.lines
    assert list(line.get_xdata()) == [1.0, 1.0, 4.0]  # the central point (lag 1) and lag 1, 4
    want = oat["tfp_gain_pct"].sel(stat="p50", year=2040).values
    varied = list(oat["varied"].values)
    picks = [0, varied.index("jcurve.lag"), varied.index("jcurve.lag") + 1]
    np.testing.assert_array_equal(line.get_ydata(), want[picks])
    _, draws = open_results(stores["draws"])
    _, ax = response_curve(draws, "gdp_gain_pct", years=[2040])
    np.testing.assert_allclose(
        lines(ax, "median-")["median-2040"],
        xr.open_zarr(stores["draws"])["gdp_gain_pct"].sel(year=2040).median("draw").values,
        rtol=1e-12)


def test_tornado_of_oat_and_grid(stores):
    _, oat = open_results(stores["oat"])
    _, ax = sweep_tornado(oat, "gdp_gain_pct", year=2040)
    med = oat["gdp_gain_pct"].sel(stat="p50", year=2040).values
    base = med[0]
    low = {p.get_y(): p.get_width() for p in ax.patches if p.get_gid() == "low"}
    high = {p.get_y(): p.get_width() for p in ax.patches if p.get_gid() == "high"}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    by_label = dict(zip(labels, sorted(low), strict=True))
    varied = list(oat["varied"].values)
    for param, (lo_value, hi_value) in (("ai.cost_saving", (0.2, 0.36)),
                                        ("jcurve.lag", (1, 4))):
        label = f"{param} ({lo_value:g} to {hi_value:g})"
        i = varied.index(param)
        assert low[by_label[label]] == pytest.approx(med[i] - base, abs=1e-12)
        assert high[by_label[label]] == pytest.approx(med[i + 1] - base, abs=1e-12)
    _, grid = open_results(stores["grid"])
    _, ax = sweep_tornado(grid, "gdp_gain_pct")
    g = grid["gdp_gain_pct"].sel(stat="p50", year=2040)
    centre = float(g.sel({"ai.cost_saving": 0.27, "jcurve.lag": 2.0}))
    (axis_line,) = [ln for ln in ax.lines if list(ln.get_xdata()) == [centre, centre]]
    assert axis_line is not None
    widths = sorted(p.get_width() for p in ax.patches if p.get_gid() == "high")
    want = sorted([float(g.sel({"ai.cost_saving": 0.36, "jcurve.lag": 2.0})) - centre,
                   float(g.sel({"ai.cost_saving": 0.27, "jcurve.lag": 3.0})) - centre])
    np.testing.assert_allclose(widths, want, atol=1e-12)


def test_design_sweep_has_no_tornado(stores):
    _, ds = open_results(stores["design"])
    with pytest.raises(InputError) as err:
        sweep_tornado(ds, "gdp_gain_pct")
    assert err.value.problems[0].key == "--kind"
    fig, ax = response_curve(ds, "gdp_gain_pct", years=[2040])  # dots with error bars
    assert ax.lines


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize(("store", "kind", "extra"), [
    ("grid", "response", ["--param", "jcurve.lag", "--year", "2040"]),
    ("grid", "tornado", []), ("oat", "tornado", ["--year", "2040"]),
    ("oat", "response", ["--var", "sector_tfp_gain_pct", "--sector", "J"]),
    ("design", "response", [])])
def test_cli_plots_sweep_stores(stores, tmp_path, capsys, store, kind, extra):
    out = tmp_path / f"{store}-{kind}.png"
    code, text = run_cli(["plot", str(stores[store]), "--kind", kind, *extra, "-o", str(out)],
                         capsys)
    assert code == 0, text
    assert out.read_bytes()[:8] == PNG_MAGIC


@pytest.mark.parametrize(("store", "argv", "needle"), [
    ("grid", ["--kind", "fan"], "response or tornado for a sweep store"),
    ("grid", ["--kind", "response", "--param", "ai.cost_savng"], "did you mean"),
    ("design", ["--kind", "tornado"], "an OAT or grid sweep"),
    ("grid", ["--kind", "response", "--year", "1999"], "a simulated year"),
])
def test_cli_sweep_plot_bad_input_is_one_line(stores, tmp_path, capsys, store, argv, needle):
    code, text = run_cli(["plot", str(stores[store]), *argv, "-o", str(tmp_path / "x.png")],
                         capsys)
    assert code == 2
    assert needle in text and "Traceback" not in text
    assert not (tmp_path / "x.png").exists()


def test_cli_exports_a_sweep_one_scenario_per_point(stores, tmp_path, capsys):
    out = tmp_path / "grid.csv"
    code, text = run_cli(["export", str(stores["grid"]), "--format", "iamc", "-o", str(out)],
                         capsys)
    assert code == 0, text
    table = pd.read_csv(out)
    assert table["scenario"].nunique() == 9
    row = table[(table["scenario"] == "ai.cost_saving=0.2, jcurve.lag=3")
                & (table["variable"] == "GDP|Gain") & (table["year"] == 2040)]
    raw = xr.open_zarr(stores["grid"])["gdp_gain_pct_quantile"]
    want = float(raw.sel({"ai.cost_saving": 0.2, "jcurve.lag": 3.0, "quantile": 0.5,
                          "year": 2040}))
    assert float(row["value"].iloc[0]) == want
    tidy = tmp_path / "oat.csv"
    code, text = run_cli(["export", str(stores["oat"]), "--format", "tidy", "-o", str(tidy)],
                         capsys)
    assert code == 0, text
    columns = pd.read_csv(tidy, nrows=2).columns
    assert list(columns[:3]) == ["point", "stat", "year"]


def test_compare_out_writes_a_comparison_that_plots(stores, tmp_path, capsys, write_yaml):
    import yaml

    fast = tmp_path / "fast.yaml"
    data = scenario_dict(ai=UNCERTAIN_AI)
    data["name"] = "fast"
    data["ai"]["cost_saving"] = 0.36
    fast.write_text(yaml.safe_dump(data, sort_keys=False))
    cmp = tmp_path / "cmp.nc"
    code, text = run_cli(["compare", str(stores["scenario"]), str(fast), "--draws", "11",
                          "--seed", "3", "--out", str(cmp), "-q"], capsys)
    assert code == 0, text
    kind, ds = open_results(cmp)
    assert kind == "comparison"
    assert ds["gdp_gain_pct"].dims == ("scenario", "stat", "year")
    assert json.dumps(list(map(str, ds["scenario"].values))) == json.dumps(
        [yaml.safe_load(stores["scenario"].read_text())["name"], "fast"])
    ref = summarize(run(fast, draws=11, seed=3))
    np.testing.assert_array_equal(ds["gdp_gain_pct"].sel(scenario="fast").values,
                                  ref["gdp_gain_pct"].values)
    png = tmp_path / "cmp.png"
    code, text = run_cli(["plot", str(cmp), "--kind", "compare", "-o", str(png)], capsys)
    assert code == 0, text
    assert png.read_bytes()[:8] == PNG_MAGIC
    code, text = run_cli(["compare", str(fast), "--out", str(tmp_path / "c.csv")], capsys)
    assert code == 2 and "--out" in text and ".nc or .zarr" in text
