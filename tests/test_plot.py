"""Plotting (sim.present.plot and the ds.aisim accessor) on synthetic Datasets of the output
contract."""

from __future__ import annotations

import re
import struct

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402

import sim.present.accessor  # noqa: E402, F401  (registers ds.aisim)
from sim.errors import InputError  # noqa: E402
from sim.present import plot, plot_files  # noqa: E402
from sim.runner.results import write_netcdf  # noqa: E402
from sim.testing import make_example_dataset  # noqa: E402

Q = (0.05, 0.25, 0.5, 0.75, 0.95)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def ds() -> xr.Dataset:
    return make_example_dataset(n_draws=40, years=range(2025, 2041), seed=3)


@pytest.fixture(scope="module")
def scenarios_ds() -> xr.Dataset:
    return make_example_dataset(n_draws=30, years=range(2025, 2036), sectors=("C", "J"),
                                scenarios=("slow", "central", "fast"))


def summary_of(ds: xr.Dataset, same_names: bool = False) -> xr.Dataset:
    """A summary like ``aisim run --summary-only``: ``X_quantile`` (or ``X``) with a quantile
    dim, computed here with numpy independently of sim.present.plot."""
    out = {}
    for name, da in ds.data_vars.items():
        values = np.moveaxis(da.values, da.dims.index("draw"), 0)
        rest = [d for d in da.dims if d != "draw"]
        q = xr.DataArray(np.quantile(values, Q, axis=0), dims=["quantile", *rest],
                         attrs=dict(da.attrs))
        out[name if same_names else f"{name}_quantile"] = q
    coords = {k: v for k, v in ds.coords.items() if k != "draw"}
    return xr.Dataset(out, coords={**coords, "quantile": list(Q)}, attrs=dict(ds.attrs))


def band(ax, width: int) -> np.ndarray:
    (coll,) = [c for c in ax.collections if c.get_gid() == f"band-{width}"]
    return np.concatenate([p.vertices for p in coll.get_paths()])


def assert_band_bounds(vertices: np.ndarray, years, lower, upper) -> None:
    for year, lo, hi in zip(years, lower, upper, strict=True):
        ys = vertices[np.isclose(vertices[:, 0], year), 1]
        assert ys.size >= 2, year
        np.testing.assert_allclose([ys.min(), ys.max()], [lo, hi], rtol=1e-12, atol=1e-12)


def median_line(ax):
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "median"]
    return line


# --- fan -----------------------------------------------------------------------------------


def test_fan_bands_are_the_quantiles_over_draws(ds):
    fig, ax = plot.fan(ds, "gdp_gain_pct")
    values = ds["gdp_gain_pct"].values  # (draw, year)
    years = ds["year"].values
    q05, q25, q50, q75, q95 = np.quantile(values, Q, axis=0)
    assert_band_bounds(band(ax, 50), years, q25, q75)
    assert_band_bounds(band(ax, 90), years, q05, q95)
    line = median_line(ax)
    np.testing.assert_array_equal(line.get_xdata(), years)
    np.testing.assert_allclose(line.get_ydata(), q50, rtol=1e-12)
    assert fig is ax.figure


def test_fan_draws_into_the_given_axes(ds):
    fig, (left, right) = plt.subplots(1, 2)
    got_fig, got_ax = plot.fan(ds, "tfp_gain_pct", ax=right)
    assert got_ax is right and got_fig is fig
    assert len(right.collections) == 2 and len(right.lines) == 1
    assert not left.collections and not left.lines


def test_axis_labels_carry_units_and_long_name(ds):
    _, ax = plot.fan(ds, "gdp_gain_pct")
    label = ax.get_ylabel().replace("\n", " ")
    assert label.endswith("[log points]") and "GDP gain" in label and "MODEL.md" not in label
    assert ax.get_xlabel() == "Year"
    _, ax = plot.fan(ds, "gdp")
    assert "[million EUR]" in ax.get_ylabel().replace("\n", " ")
    _, ax = plot.fan(ds, "unemployment_rate")
    assert "[fraction]" in ax.get_ylabel().replace("\n", " ")


def test_source_line_from_attrs(ds):
    fig, _ = plot.fan(ds, "gdp_gain_pct")
    texts = [t.get_text() for t in fig.texts]
    expected = f"aisim {ds.attrs['aisim_version']} · scenario example · seed 3"
    assert texts == [expected]
    plot.fan(ds, "tfp_gain_pct", ax=fig.axes[0])  # drawing again replaces, not duplicates
    assert [t.get_text() for t in fig.texts] == [expected]
    fig, _ = plot.fan(ds, "gdp_gain_pct", source=False)
    assert not fig.texts


def test_fan_of_one_sector(ds):
    _, ax = plot.fan(ds, "adoption", sector="J")
    values = ds["adoption"].sel(sector="J").values
    np.testing.assert_allclose(median_line(ax).get_ydata(), np.median(values, axis=0),
                               rtol=1e-12)
    assert ax.get_title() == "Sector J"


@pytest.mark.parametrize("same_names", [False, True])
def test_fan_accepts_a_summary_with_a_quantile_dim(ds, same_names):
    summ = summary_of(ds, same_names)
    _, ax = plot.fan(summ, "gdp_gain_pct")
    q = np.quantile(ds["gdp_gain_pct"].values, Q, axis=0)
    assert_band_bounds(band(ax, 50), ds["year"].values, q[1], q[3])
    assert_band_bounds(band(ax, 90), ds["year"].values, q[0], q[4])
    np.testing.assert_allclose(median_line(ax).get_ydata(), q[2], rtol=1e-12)
    assert "[log points]" in ax.get_ylabel().replace("\n", " ")


def test_summary_without_the_needed_quantile_is_an_input_error(ds):
    with pytest.raises(InputError) as err:
        plot.fan(summary_of(ds), "gdp_gain_pct", bands=(0.8,))
    (problem,) = err.value.problems
    assert problem.key == "quantile" and "0.1" in problem.expected


def test_fan_of_a_dataarray(ds):
    fig, ax = plot.fan(ds["gdp_gain_pct"])
    assert len(ax.collections) == 2
    assert not fig.texts  # a bare DataArray carries no provenance


def test_unknown_variable_names_the_key_and_suggests(ds):
    with pytest.raises(InputError) as err:
        plot.fan(ds, "gdp_gain")
    (problem,) = err.value.problems
    assert problem.key == "var" and "'gdp_gain'" in problem.got
    assert "gdp_gain_pct" in problem.hint and "tfp_gain_pct" in problem.expected


def test_sector_variable_without_a_sector_is_an_input_error(ds):
    with pytest.raises(InputError, match="sector"):
        plot.fan(ds, "adoption")
    with pytest.raises(InputError) as err:
        plot.fan(ds, "adoption", sector="j")
    assert err.value.problems[0].key == "sector" and "'J'" in err.value.problems[0].hint


# --- scenarios -----------------------------------------------------------------------------


def test_compare_scenarios_on_one_axis(scenarios_ds):
    _, ax = plot.compare(scenarios_ds, "gdp_gain_pct")
    medians = [ln for ln in ax.lines if ln.get_gid() == "median"]
    assert [ln.get_label() for ln in medians] == ["slow", "central", "fast"]
    for line, name in zip(medians, ["slow", "central", "fast"], strict=True):
        values = scenarios_ds["gdp_gain_pct"].sel(scenario=name).values
        np.testing.assert_allclose(line.get_ydata(), np.median(values, axis=0), rtol=1e-12)
    assert len({ln.get_color() for ln in medians}) == 3
    assert set(plot.PALETTE) >= {ln.get_color() for ln in medians}
    assert len(ax.collections) == 3  # one 50 % band each


def test_compare_a_dict_and_fan_delegates(scenarios_ds, ds):
    other = make_example_dataset(n_draws=40, years=range(2025, 2041), seed=4,
                                 diffusion_speed=2.0)
    _, ax = plot.compare({"base": ds, "fast": other}, "unemployment_rate", band=None)
    assert [ln.get_label() for ln in ax.lines] == ["base", "fast"] and not ax.collections
    _, ax = plot.fan(scenarios_ds, "gdp_gain_pct")
    assert len(ax.lines) == 3
    _, ax = plot.fan(scenarios_ds, "gdp_gain_pct", scenario="fast")
    values = scenarios_ds["gdp_gain_pct"].sel(scenario="fast").values
    np.testing.assert_allclose(median_line(ax).get_ydata(), np.median(values, axis=0))


def test_compare_without_scenarios_is_an_input_error(ds):
    with pytest.raises(InputError) as err:
        plot.compare(ds, "gdp_gain_pct")
    assert err.value.problems[0].key == "scenario"


# --- sectors -------------------------------------------------------------------------------


def test_sector_panel_one_axes_per_sector(ds):
    fig, axes = plot.sector_panel(ds, "sector_tfp_gain_pct")
    codes = [str(s) for s in ds["sector"].values]
    assert len(axes) == len(codes) == len(fig.axes) == 5
    assert [a.get_title() for a in axes] == codes
    for a, code in zip(axes, codes, strict=True):
        values = ds["sector_tfp_gain_pct"].sel(sector=code).values
        np.testing.assert_allclose(median_line(a).get_ydata(), np.median(values, axis=0),
                                   rtol=1e-12)
    assert "[log points]" in axes[0].get_ylabel().replace("\n", " ")
    _, axes = plot.sector_panel(ds, "adoption", sectors=["C", "J"])
    assert [a.get_title() for a in axes] == ["C", "J"]


def test_sector_panel_into_given_axes(ds):
    fig, grid = plt.subplots(2, 3)
    got_fig, axes = plot.sector_panel(ds, "exposure", axes=grid)
    assert got_fig is fig and list(axes) == list(grid.ravel()[:5])
    assert not grid.ravel()[5].lines
    with pytest.raises(ValueError, match="need 5 axes"):
        plot.sector_panel(ds, "exposure", axes=grid.ravel()[:2])


def test_sector_panel_rejects_aggregate_variables(ds):
    with pytest.raises(InputError) as err:
        plot.sector_panel(ds, "gdp_gain_pct")
    assert "sector" in err.value.problems[0].expected


def test_heatmap_image_is_the_median_over_draws(ds):
    _, ax = plot.heatmap(ds, "sector_tfp_gain_pct")
    (image,) = ax.images
    expected = np.median(ds["sector_tfp_gain_pct"].transpose("draw", "sector", "year").values,
                         axis=0)
    np.testing.assert_allclose(np.asarray(image.get_array()), expected, rtol=1e-12)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ds["sector"].values)
    assert image.get_cmap().name == "viridis"
    x0, x1, _, _ = image.get_extent()
    assert (x0, x1) == (2024.5, 2040.5)
    colorbar_label = image.colorbar.ax.get_ylabel().replace("\n", " ")
    assert "[log points]" in colorbar_label and "median" in colorbar_label


def test_heatmap_diverging_for_mixed_signs_and_from_summary(ds):
    shifted = ds.assign(sector_tfp_gain_pct=ds["sector_tfp_gain_pct"] - 2.0)
    shifted["sector_tfp_gain_pct"].attrs = ds["sector_tfp_gain_pct"].attrs
    _, ax = plot.heatmap(shifted)
    image = ax.images[0]
    vmin, vmax = image.get_clim()
    assert image.get_cmap().name == "RdBu_r" and vmin == -vmax
    _, ax = plot.heatmap(summary_of(ds), "adoption")
    expected = np.median(ds["adoption"].transpose("draw", "sector", "year").values, axis=0)
    np.testing.assert_allclose(np.asarray(ax.images[0].get_array()), expected, rtol=1e-12)


# --- cohorts -------------------------------------------------------------------------------


def test_cohorts_sum_sectors_per_draw(ds):
    _, ax = plot.cohorts(ds, relative=False)
    medians = [ln for ln in ax.lines if ln.get_gid() == "median"]
    assert [ln.get_label() for ln in medians] == ["junior", "prime", "senior"]
    total = ds["employment_by_cohort"].sum("sector").transpose("draw", "year", "cohort").values
    for k, line in enumerate(medians):
        np.testing.assert_allclose(line.get_ydata(), np.median(total[:, :, k], axis=0),
                                   rtol=1e-12)
    assert "[persons]" in ax.get_ylabel()


def test_cohorts_relative_to_baseline_in_percent(ds):
    _, ax = plot.cohorts(ds, sector="J", relative=True)
    ai = ds["employment_by_cohort"].sel(sector="J", cohort="junior").values
    base = ds["employment_by_cohort_baseline"].sel(sector="J", cohort="junior").values
    expected = np.median(100 * (np.log(ai) - np.log(base)), axis=0)
    np.testing.assert_allclose(median_line_of(ax, "junior").get_ydata(), expected, rtol=1e-10)
    label = ax.get_ylabel().replace("\n", " ")
    assert label.endswith("[log points]") and "sector J" in label


def median_line_of(ax, label):
    (line,) = [ln for ln in ax.lines if ln.get_label() == label]
    return line


# --- sensitivity, tornado, adoption --------------------------------------------------------


def test_tornado_bars_span_low_to_high_largest_on_top():
    low = pd.Series({"cost_saving": 3.0, "midpoint": 4.5, "elasticity": 4.9})
    high = {"cost_saving": 7.0, "midpoint": 5.5, "elasticity": 5.2}
    _, ax = plot.tornado(low, high, base=5.0, xlabel="GDP gain 2040 [%]")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["elasticity", "midpoint", "cost_saving"]  # bottom to top
    lows = [p for p in ax.patches if p.get_gid() == "low"]
    highs = [p for p in ax.patches if p.get_gid() == "high"]
    for name, lo_bar, hi_bar in zip(labels, lows, highs, strict=True):
        assert lo_bar.get_x() + lo_bar.get_width() == pytest.approx(low[name])
        assert hi_bar.get_x() + hi_bar.get_width() == pytest.approx(high[name])
        assert lo_bar.get_x() == hi_bar.get_x() == 5.0
    assert ax.get_xlabel() == "GDP gain 2040 [%]"
    _, ax = plot.tornado(low, high)
    spans = sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    assert spans == sorted((low[k], high[k]) for k in low.index)


def test_sensitivity_bars_with_confidence_intervals():
    idx = xr.DataArray([[0.4, 0.5], [0.1, 0.2], [0.02, 0.05]], dims=("parameter", "index"),
                       coords={"parameter": ["cost_saving", "midpoint", "elasticity"],
                               "index": ["S1", "ST"]}, attrs={"long_name": "Sobol index"})
    fig, ax = plot.sensitivity_bars(idx, conf=idx * 0.1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["elasticity", "midpoint",
                                                            "cost_saving"]
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, sorted(idx.values.ravel()))
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == 2 and all(c.errorbar is not None for c in bars)
    seg = bars[1].errorbar.lines[2][0].get_segments()  # ST bars
    halfwidths = sorted((s[1, 0] - s[0, 0]) / 2 for s in seg)
    np.testing.assert_allclose(halfwidths, sorted(0.1 * idx.sel(index="ST").values))
    assert ax.get_xlabel() == "Sobol index"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["S1", "ST"]
    _, ax = plot.sensitivity_bars(pd.Series({"a": 0.3, "b": -0.6}))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]


def test_adoption_curves_against_points():
    t = np.linspace(2018, 2040, 45)
    curves = {"micro": (t, 0.6 / (1 + np.exp(-0.4 * (t - 2030)))),
              "large": (t, 0.9 / (1 + np.exp(-0.5 * (t - 2026))))}
    points = [("micro", 2023, 0.15, 0.02), ("large", 2023, 0.40, 0.03),
              ("all", 2021, 0.10, None)]
    fig, ax = plt.subplots()
    got_fig, got_ax = plot.adoption_curves(curves, points, ax=ax)
    assert got_ax is ax and got_fig is fig
    lines = {ln.get_label(): ln for ln in ax.lines if not ln.get_label().startswith("_")}
    np.testing.assert_allclose(lines["micro"].get_ydata(), 100 * curves["micro"][1])
    assert ax.get_ylabel() == "Firms using AI [%]"
    containers = {c.get_label(): c for c in ax.containers}
    assert set(containers) == {"micro (data)", "large (data)", "all"}
    marker, _caps, (bars,) = containers["large (data)"].lines
    assert marker.get_color() == lines["large"].get_color()
    (seg,) = bars.get_segments()
    assert seg[1, 1] - seg[0, 1] == pytest.approx(2 * 1.96 * 100 * 0.03)


# --- saving, CLI entry point, accessor -----------------------------------------------------


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_save_figure_writes_a_valid_png_atomically(ds, tmp_path):
    fig, _ = plot.fan(ds, "gdp_gain_pct")
    target = tmp_path / "sub" / "fan.png"
    assert plot.save_figure(fig, target) == target
    assert target.stat().st_size > 1000
    width, height = png_size(target)
    assert (width, height) == (round(7.0 * 150), round(4.2 * 150))  # dpi 150 by default
    assert sorted(p.name for p in target.parent.iterdir()) == ["fan.png"]
    plot.save_figure(fig, target, dpi=50)  # replaces
    assert png_size(target) == (350, 210)
    pdf = plot.save_figure(fig, tmp_path / "fan.pdf")
    assert pdf.read_bytes()[:4] == b"%PDF"


@pytest.fixture(scope="module")
def results_file(tmp_path_factory, ds):
    return write_netcdf(ds, tmp_path_factory.mktemp("res") / "r.nc")


@pytest.mark.parametrize(("kind", "var", "sector"), [
    ("fan", "gdp_gain_pct", None), ("fan", "adoption", "C"), ("sectors", "adoption", None),
    ("heatmap", "sector_tfp_gain_pct", None), ("cohorts", "employment_by_cohort", None),
    ("cohorts", None, "G"),
])
def test_main_plot_writes_png(results_file, tmp_path, kind, var, sector):
    out = tmp_path / f"{kind}.png"
    got = plot_files.main_plot(results_file, kind=kind, var=var, out=str(out), sector=sector)
    assert got == out
    png_size(out)
    assert not plt.get_fignums()  # closed after saving


def test_main_plot_compare(tmp_path, scenarios_ds):
    path = write_netcdf(scenarios_ds, tmp_path / "s.nc")
    out = tmp_path / "c.png"
    plot_files.main_plot(path, "compare", "gdp_gain_pct", str(out))
    png_size(out)
    plot_files.main_plot(path, "fan", "gdp_gain_pct", str(out), scenario="fast")
    with pytest.raises(InputError) as err:
        plot_files.main_plot(path, "heatmap", "adoption", str(out))
    assert err.value.problems[0].key == "--scenario"
    with pytest.raises(InputError) as err:
        plot_files.main_plot(path, "fan", "gdp_gain_pct", str(out), scenario="fats")
    assert "'fast'" in err.value.problems[0].hint


@pytest.mark.parametrize(("kind", "var", "sector", "key", "needle"), [
    ("fan", "gdp_gian_pct", None, "--var", "did you mean 'gdp_gain_pct'?"),
    ("heatmap", "gdp_gain_pct", None, "--var", "sector_tfp_gain_pct"),
    ("sectors", "gdp", None, "--var", "adoption"),
    ("heatmap", "employment_by_cohort", None, "--var", "did you mean 'employment'?"),
    ("cohorts", "employment", None, "--var", "employment_by_cohort"),
    ("fan", "adoption", None, "--sector", "C"),
    ("fan", "adoption", "Q", "--sector", "A, C, G, J, K"),
    ("compare", "gdp_gain_pct", None, "--kind", "scenario"),
    ("fans", "gdp_gain_pct", None, "--kind", "did you mean 'fan'?"),
])
def test_main_plot_bad_input(results_file, tmp_path, kind, var, sector, key, needle):
    out = tmp_path / "x.png"
    with pytest.raises(InputError) as err:
        plot_files.main_plot(results_file, kind=kind, var=var, out=str(out), sector=sector)
    (problem,) = err.value.problems
    assert problem.key == key
    assert problem.file == str(results_file)
    assert needle in str(problem)
    assert not out.exists()


def test_main_plot_missing_and_unknown_lists_variables(tmp_path, results_file):
    with pytest.raises(InputError) as err:
        plot_files.main_plot(tmp_path / "nope.nc", "fan", "gdp_gain_pct", str(tmp_path / "x.png"))
    assert err.value.problems[0].key == "results"
    with pytest.raises(InputError) as err:
        plot_files.main_plot(results_file, "fan", "GDP", str(tmp_path / "x.png"))
    problem = err.value.problems[0]
    assert problem.file == str(results_file)
    for name in ("gdp_gain_pct", "tfp_gain_pct", "employment_by_cohort"):
        assert name in problem.expected
    assert problem.hint == "did you mean 'gdp'?"


def test_accessor_methods(ds, scenarios_ds):
    _, ax = ds.aisim.fan("gdp_gain_pct")
    np.testing.assert_allclose(median_line(ax).get_ydata(),
                               np.median(ds["gdp_gain_pct"].values, axis=0))
    _, axes = ds.aisim.sector_panel("adoption")
    assert len(axes) == ds.sizes["sector"]
    _, ax = ds.aisim.heatmap()
    assert len(ax.images) == 1
    _, ax = ds.aisim.cohorts()
    assert len([ln for ln in ax.lines if ln.get_gid() == "median"]) == 3
    _, ax = scenarios_ds.aisim.compare()
    assert len(ax.lines) == 3
    q = ds.aisim.quantiles("gdp_gain_pct", [0.5])
    np.testing.assert_allclose(q.isel(quantile=0), np.median(ds["gdp_gain_pct"].values, 0))
    from sim.present.export import to_tidy

    pd.testing.assert_frame_equal(ds.aisim.to_tidy(variables=["gdp"]), to_tidy(ds, ["gdp"]))
    assert list(ds.aisim.to_iamc(variables=["gdp"]).columns) == [
        "model", "scenario", "region", "variable", "unit", "year", "value"]


# --- issue 16: every result plottable; readable labels -------------------------------------


def test_cohorts_default_is_the_gain_with_50_and_90_percent_bands(ds):
    """The cohort chart shows the employment gain vs baseline (100 x log difference, summed
    over sectors draw by draw), with both bands, not levels in persons."""
    _, ax = plot.cohorts(ds)
    ai = ds["employment_by_cohort"].sum("sector").sel(cohort="senior").values
    base = ds["employment_by_cohort_baseline"].sum("sector").sel(cohort="senior").values
    gain = 100 * (np.log(ai) - np.log(base))
    np.testing.assert_allclose(median_line_of(ax, "senior").get_ydata(),
                               np.median(gain, axis=0), rtol=1e-10, atol=1e-12)
    years = ds["year"].values
    for width, (lo, hi) in ((90, (0.05, 0.95)), (50, (0.25, 0.75))):
        bands = [c for c in ax.collections if c.get_gid() == f"band-{width}"]
        assert len(bands) == 3  # one per cohort
        senior = np.concatenate([p.vertices for p in bands[2].get_paths()])
        assert_band_bounds(senior, years, np.quantile(gain, lo, axis=0),
                           np.quantile(gain, hi, axis=0))
    assert "vs no-AI baseline" in ax.get_ylabel() and "[log points]" in ax.get_ylabel()
    assert "persons" not in ax.get_ylabel()


def test_cohort_gain_from_a_summary_with_a_fixed_baseline():
    from sim.runner.summary import summarize

    # 41 draws: the median is one draw's value, so the log of the level's median is the
    # median of the gain exactly (between two draws numpy interpolates the level linearly)
    ds = make_example_dataset(n_draws=41, years=range(2025, 2041), seed=3)
    fixed = ds.copy()
    fixed["employment_by_cohort_baseline"] = ds["employment_by_cohort_baseline"].isel(
        draw=0, drop=True).broadcast_like(ds["employment_by_cohort"]).transpose(
        *ds["employment_by_cohort"].dims)
    _, ax = plot.cohorts(summarize(fixed), sector="J")
    ai = fixed["employment_by_cohort"].sel(sector="J", cohort="junior").values
    base = fixed["employment_by_cohort_baseline"].sel(sector="J", cohort="junior").values
    np.testing.assert_allclose(median_line_of(ax, "junior").get_ydata(),
                               np.median(100 * np.log(ai / base), axis=0), rtol=1e-9)
    varying = ds.copy()
    noise = xr.DataArray(1 + 0.01 * np.sin(np.arange(ds.sizes["draw"])), dims="draw")
    varying["employment_by_cohort_baseline"] = ds["employment_by_cohort_baseline"] * noise
    with pytest.raises(InputError) as err:  # quantiles of a ratio are not a ratio of quantiles
        plot.cohorts(summarize(varying), sector="J")
    assert err.value.problems[0].key == "relative"


def test_fan_of_a_stat_layout_summary_is_its_quantiles(ds):
    """A summary (sim.runner.summary.summarize: the full names, a stat dim) draws the same
    fan as the draws it summarises."""
    from sim.runner.summary import summarize

    s = summarize(ds)
    assert set(s.data_vars) == set(ds.data_vars) and s["gdp_gain_pct"].dims == ("stat", "year")
    _, ax = plot.fan(s, "gdp_gain_pct")
    (median,) = [ln for ln in ax.lines if ln.get_gid() == "median"]
    np.testing.assert_allclose(median.get_ydata(),
                               np.median(ds["gdp_gain_pct"].values, axis=0), rtol=1e-12)
    assert_band_bounds(band(ax, 90), ds["year"].values,
                       np.quantile(ds["gdp_gain_pct"].values, 0.05, axis=0),
                       np.quantile(ds["gdp_gain_pct"].values, 0.95, axis=0))
    assert ax.get_ylabel() == plot.axis_label(ds["gdp_gain_pct"])


def test_labels_use_long_names_and_sector_names(ds):
    named = ds.assign_coords(sector_name=("sector", [f"Sector number {i}" for i in
                                                     range(ds.sizes["sector"])]))
    fig, axes = plot.sector_panel(named, "adoption")
    assert [a.get_title().replace("\n", " ") for a in axes] == [
        f"{c} Sector number {i}" for i, c in enumerate(ds["sector"].values)]
    _, ax = plot.heatmap(named, "sector_tfp_gain_pct")
    assert [t.get_text() for t in ax.get_yticklabels()][1] == "C Sector number 1"
    _, ax = plot.fan(named, "adoption", sector="J")
    assert ax.get_title() == "J Sector number 3"
    # no internal symbols (m_j, sL_j, E_j ...) and no MODEL.md references in any label
    from sim.model.variables import VARIABLES

    for name, spec in VARIABLES.items():
        label = plot.axis_label(long_name=spec.long_name, units=spec.units)
        assert "MODEL.md" not in label, name
        assert not re.search(r"\b[A-Za-z]+_j\b", label), (name, label)


def test_run_results_carry_sector_names(tmp_path):
    import sim

    ds = sim.run("scenarios/flanders_central.yaml", draws=2, seed=1)
    assert ds["sector_name"].dims == ("sector",)
    names = dict(zip(ds["sector"].values, ds["sector_name"].values, strict=True))
    assert names["F"] == "Construction"
    assert names["J"] == "Information and communication"


# --- open_results and every kind of file ----------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory, ds, scenarios_ds):
    """One file of every kind the CLI writes, from the synthetic dataset."""
    from sim.runner.results import write_results
    from sim.runner.summary import summarize, to_flat

    folder = tmp_path_factory.mktemp("kinds")
    out = {"full.nc": write_results(ds, folder / "full.nc"),
           "summary.nc": write_results(summarize(ds), folder / "summary.nc"),
           "old-summary.nc": write_results(to_flat(summarize(ds)), folder / "old.nc"),
           "comparison.nc": write_results(summarize(scenarios_ds.transpose("draw", ...)),
                                          folder / "cmp.nc")}
    pytest.importorskip("zarr")
    out["full.zarr"] = write_results(ds, folder / "full.zarr")
    out["summary.zarr"] = write_results(summarize(ds), folder / "summary.zarr")
    return out


@pytest.mark.parametrize(("name", "kind"), [
    ("full.nc", "full"), ("summary.nc", "summary"), ("old-summary.nc", "summary"),
    ("comparison.nc", "comparison"), ("full.zarr", "full"), ("summary.zarr", "summary")])
def test_open_results_recognises_each_kind(files, ds, name, kind):
    from sim.present.results import open_results

    got, opened = open_results(files[name])
    assert got == kind
    if kind == "summary":  # old flat files are read into the stat layout, values unchanged
        assert opened["gdp_gain_pct"].dims == ("stat", "year")
        np.testing.assert_array_equal(opened["gdp_gain_pct"].sel(stat="p95").values,
                                      np.quantile(ds["gdp_gain_pct"].values, 0.95, axis=0))
        assert opened["gdp_gain_pct"].attrs["long_name"] == ds["gdp_gain_pct"].attrs[
            "long_name"]


@pytest.mark.parametrize("name", ["full.nc", "summary.nc", "old-summary.nc", "full.zarr",
                                  "summary.zarr"])
def test_every_file_kind_plots_the_same_fan(files, ds, name, tmp_path):
    out = tmp_path / "fan.png"
    plot_files.main_plot(files[name], "fan", "gdp_gain_pct", str(out))
    png_size(out)
    _, ax = plot.fan(plot.load_results(files[name]), "gdp_gain_pct")
    (median,) = [ln for ln in ax.lines if ln.get_gid() == "median"]
    np.testing.assert_allclose(median.get_ydata(),
                               np.median(ds["gdp_gain_pct"].values, axis=0), rtol=1e-12)


def test_comparison_file_plots_with_kind_compare(files, scenarios_ds, tmp_path):
    out = tmp_path / "cmp.png"
    plot_files.main_plot(files["comparison.nc"], "compare", "gdp_gain_pct", str(out))
    png_size(out)
    _, ax = plot.compare(plot.load_results(files["comparison.nc"]), "gdp_gain_pct")
    for name in scenarios_ds["scenario"].values:
        line = median_line_of(ax, str(name))
        np.testing.assert_allclose(
            line.get_ydata(),
            np.median(scenarios_ds["gdp_gain_pct"].sel(scenario=name).values, axis=0),
            rtol=1e-12)


def test_open_results_refuses_other_files_in_one_line(tmp_path):
    from sim.present.results import open_results

    other = tmp_path / "other.nc"
    xr.Dataset({"t": ("x", np.arange(3.0))}).to_netcdf(other, engine="h5netcdf")
    text = tmp_path / "notes.nc"
    text.write_text("not netCDF")
    for path, needle in ((other, "no aisim result attributes"), (text, "unreadable"),
                         (tmp_path / "missing.nc", "no such file"),
                         (tmp_path, "not a readable zarr store")):
        with pytest.raises(InputError) as err:
            open_results(path)
        (problem,) = err.value.problems
        assert problem.key == "results" and needle in problem.got, (path, problem)
        assert "\n" not in str(problem)


@pytest.mark.parametrize(("kind", "var", "sector"), [
    ("sectors", "adoption", None), ("heatmap", "sector_tfp_gain_pct", None),
    ("cohorts", None, "J"), ("fan", "adoption", "C")])
def test_every_kind_plots_a_summary_file(files, tmp_path, kind, var, sector):
    out = tmp_path / f"{kind}.png"
    assert plot_files.main_plot(files["summary.nc"], kind, var, str(out), sector=sector) == out
    png_size(out)


def test_decomposition_of_a_summary_equals_that_of_the_draws(tmp_path):
    """The bars are means over draws; a summary's stat='mean' gives the same heights."""
    import sim
    from sim.runner.results import write_results
    from sim.runner.summary import summarize

    ds = sim.run("scenarios/flanders_central.yaml", draws=20, seed=1)
    path = write_results(summarize(ds), tmp_path / "s.nc")
    out = tmp_path / "d.png"
    plot_files.main_plot(path, "decomposition", None, str(out))
    png_size(out)
    _, from_draws = plot.decomposition(ds)
    _, from_summary = plot.decomposition(plot.load_results(path))
    heights = [[p.get_height() for p in ax.patches] for ax in (from_draws, from_summary)]
    np.testing.assert_allclose(heights[1], heights[0], rtol=1e-12, atol=1e-12)
    for ax in (from_draws, from_summary):  # the files' unit, not a hard-coded one
        assert ax.get_ylabel() == "GDP gain vs no-AI baseline (mean) [log points]"
    np.testing.assert_allclose(
        heights[0][:ds.sizes["year"]], ds["gdp_from_tfp_pp"].mean("draw").values, rtol=1e-12)
