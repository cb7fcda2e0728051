"""Export to IAMC and tidy CSV: the numbers read back equal the Dataset's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.errors import InputError
from sim.present import export
from sim.runner.results import write_netcdf
from sim.testing import make_example_dataset

IAMC = ["model", "scenario", "region", "variable", "unit", "year", "value"]


@pytest.fixture(scope="module")
def ds() -> xr.Dataset:
    return make_example_dataset(n_draws=30, years=range(2025, 2036), seed=7)


def roundtrip(df: pd.DataFrame, tmp_path, name: str = "out.csv") -> pd.DataFrame:
    path = export.write_csv(df, tmp_path / name)
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def iamc_table(df: pd.DataFrame) -> pd.DataFrame:
    """variable x year -> value (one model/scenario/region)."""
    return df.pivot(index="variable", columns="year", values="value")


def test_iamc_columns_and_round_trip_of_medians(ds, tmp_path):
    df = export.to_iamc(ds)
    assert list(df.columns) == IAMC
    back = roundtrip(df, tmp_path)
    assert list(back.columns) == IAMC
    assert set(back["model"]) == {"aisim"} and set(back["region"]) == {"Flanders"}
    assert set(back["scenario"]) == {"example"}
    table = iamc_table(back)
    years = list(ds["year"].values)
    assert list(table.columns) == years
    median = ds.median("draw")  # numpy's median, independent of sim.present.plot.quantiles
    np.testing.assert_allclose(table.loc["GDP|Gain"], median["gdp_gain_pct"], rtol=1e-12)
    np.testing.assert_allclose(table.loc["TFP|Gain"], median["tfp_gain_pct"], rtol=1e-12)
    np.testing.assert_allclose(table.loc["GDP"], median["gdp"], rtol=1e-12)
    np.testing.assert_allclose(table.loc["Unemployment Rate"], median["unemployment_rate"],
                               rtol=1e-12)
    for code in ds["sector"].values:
        np.testing.assert_allclose(table.loc[f"Employment|{code}"],
                                   median["employment"].sel(sector=code), rtol=1e-12)
        np.testing.assert_allclose(table.loc[f"TFP|Gain|{code}"],
                                   median["sector_tfp_gain_pct"].sel(sector=code), rtol=1e-12)
        for cohort in ds["cohort"].values:
            np.testing.assert_allclose(
                table.loc[f"Employment|{code}|{cohort}"],
                median["employment_by_cohort"].sel(sector=code, cohort=cohort), rtol=1e-12)
    units = back.drop_duplicates("variable").set_index("variable")["unit"]
    assert units["GDP"] == "million EUR" and units["GDP|Gain"] == "log points"
    assert units["Employment|C"] == "persons" and units["AI|Adoption|C"] == "1"
    # every year of every variable exactly once
    assert not back.duplicated(["variable", "year"]).any()
    assert len(back) == len(table) * len(years)


def test_iamc_quantile_rows_and_mean(ds, tmp_path):
    df = export.to_iamc(ds, variables=["gdp_gain_pct", "adoption"], quantiles=(0.05, 0.95),
                        model="m", scenario="s", region="Belgium")
    back = roundtrip(df, tmp_path)
    assert set(back["scenario"]) == {"s"} and set(back["region"]) == {"Belgium"}
    table = iamc_table(back)
    values = ds["gdp_gain_pct"].values
    np.testing.assert_allclose(table.loc["GDP|Gain|p05"], np.quantile(values, 0.05, axis=0),
                               rtol=1e-12)
    np.testing.assert_allclose(table.loc["GDP|Gain|p95"], np.quantile(values, 0.95, axis=0),
                               rtol=1e-12)
    adoption_j = ds["adoption"].sel(sector="J").values
    np.testing.assert_allclose(table.loc["AI|Adoption|J|p05"],
                               np.quantile(adoption_j, 0.05, axis=0), rtol=1e-12)
    assert len(table) == 3 * (1 + ds.sizes["sector"])
    mean = iamc_table(export.to_iamc(ds, variables=["gdp"], stat="mean"))
    np.testing.assert_allclose(mean.loc["GDP"], ds["gdp"].values.mean(axis=0), rtol=1e-12)


def test_iamc_of_scenarios_and_of_a_summary(tmp_path):
    multi = make_example_dataset(n_draws=20, years=range(2025, 2031), sectors=("C", "J"),
                                 scenarios=("low", "high"))
    back = roundtrip(export.to_iamc(multi, variables=["gdp_gain_pct", "employment"]), tmp_path)
    assert sorted(set(back["scenario"])) == ["high", "low"]
    for name in ("low", "high"):
        table = iamc_table(back[back["scenario"] == name])
        sel = multi.sel(scenario=name)
        np.testing.assert_allclose(table.loc["GDP|Gain"],
                                   np.median(sel["gdp_gain_pct"].values, axis=0), rtol=1e-12)
        np.testing.assert_allclose(table.loc["Employment|J"],
                                   np.median(sel["employment"].sel(sector="J").values, axis=0),
                                   rtol=1e-12)
    # a summary (X_quantile over a quantile dim) exports the same medians and quantiles
    one = multi.sel(scenario="low", drop=True)
    q = (0.05, 0.25, 0.5, 0.75, 0.95)
    summary = xr.Dataset(
        {f"{v}_quantile": one[v].quantile(q, dim="draw").assign_attrs(one[v].attrs)
         for v in ("gdp_gain_pct", "employment")},
        attrs=one.attrs)
    from_draws = export.to_iamc(one, variables=["gdp_gain_pct", "employment"], quantiles=(0.05,))
    from_summary = export.to_iamc(summary, quantiles=(0.05,))
    pd.testing.assert_frame_equal(from_draws, from_summary, rtol=1e-12)


def test_tidy_round_trip_every_value(ds, tmp_path):
    variables = ["gdp_gain_pct", "adoption", "employment_by_cohort"]
    df = export.to_tidy(ds, variables)
    assert list(df.columns) == ["draw", "year", "sector", "cohort", "variable", "value", "unit"]
    back = roundtrip(df, tmp_path)
    assert len(back) == sum(ds[v].size for v in variables)
    agg = back[back["variable"] == "gdp_gain_pct"]
    assert agg["sector"].isna().all() and agg["cohort"].isna().all()
    assert set(agg["unit"]) == {"log points"}
    got = agg.set_index(["draw", "year"])["value"].to_xarray()
    np.testing.assert_allclose(got.transpose("draw", "year").values,
                               ds["gdp_gain_pct"].values, rtol=1e-12)
    sec = back[back["variable"] == "adoption"].set_index(["draw", "year", "sector"])["value"]
    np.testing.assert_allclose(sec.to_xarray().transpose("draw", "year", "sector").values,
                               ds["adoption"].values, rtol=1e-12)
    coh = back[back["variable"] == "employment_by_cohort"]
    coh = coh.set_index(["draw", "year", "sector", "cohort"])["value"].to_xarray()
    expected = ds["employment_by_cohort"]
    np.testing.assert_allclose(coh.sel(sector=expected["sector"], cohort=expected["cohort"])
                               .transpose(*expected.dims).values, expected.values, rtol=1e-12)


def test_tidy_defaults_to_all_variables(ds):
    df = export.to_tidy(ds)
    assert set(df["variable"]) == set(map(str, ds.data_vars))
    assert len(df) == sum(ds[v].size for v in ds.data_vars)
    assert df["draw"].dtype == "int64" and df["year"].dtype == "int64"


def test_write_csv_is_atomic_and_replaces(tmp_path, ds):
    target = tmp_path / "deep" / "x.csv"
    export.write_csv(pd.DataFrame({"a": [1.0]}), target)
    export.write_csv(export.to_iamc(ds, variables=["gdp"]), target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.csv"]
    assert pd.read_csv(target).columns.tolist() == IAMC


def test_unknown_variable_is_an_input_error_with_suggestion(ds):
    with pytest.raises(InputError) as err:
        export.to_iamc(ds, variables=["gdp_gain"])
    (problem,) = err.value.problems
    assert problem.key == "variables" and problem.hint == "did you mean 'gdp_gain_pct'?"
    with pytest.raises(InputError) as err:
        export.to_tidy(ds, variables=["Adoption"])
    assert err.value.problems[0].hint == "did you mean 'adoption'?"
    with pytest.raises(InputError, match="stat"):
        export.to_iamc(ds, stat="mode")


def test_main_export(tmp_path, ds):
    path = write_netcdf(ds, tmp_path / "r.nc")
    out = export.main_export(path, "iamc", tmp_path / "o.csv")
    back = pd.read_csv(out)
    assert list(back.columns) == IAMC and "GDP|Gain" in set(back["variable"])
    out = export.main_export(path, "tidy", tmp_path / "t.csv", variables=["gdp"])
    assert len(pd.read_csv(out)) == ds["gdp"].size
    with pytest.raises(InputError) as err:
        export.main_export(path, "iamx", tmp_path / "o.csv")
    assert err.value.problems[0].key == "--format" and "'iamc'" in err.value.problems[0].hint
    with pytest.raises(InputError) as err:
        export.main_export(path, "iamc", tmp_path / "o.csv", variables=["gpd"])
    assert err.value.problems[0].file == str(path)
    with pytest.raises(InputError) as err:
        export.main_export(tmp_path / "missing.nc", "iamc", tmp_path / "o.csv")
    assert err.value.problems[0].key == "results"


def test_a_stat_layout_summary_exports_like_its_draws(ds, tmp_path):
    """aisim run --summary-only files (the full names, a stat dim): the same IAMC medians,
    quantile rows and means as the draws; the tidy table has a stat column."""
    from sim.runner.results import write_results
    from sim.runner.summary import summarize

    names = ["gdp_gain_pct", "employment"]
    summary = summarize(ds[names])
    for stat in ("median", "mean"):
        from_draws = export.to_iamc(ds, variables=names, stat=stat, quantiles=(0.05, 0.95))
        from_summary = export.to_iamc(summary, stat=stat, quantiles=(0.05, 0.95))
        pd.testing.assert_frame_equal(from_draws, from_summary, rtol=1e-12)
    path = write_results(summary, tmp_path / "s.nc")
    out = export.main_export(path, "tidy", tmp_path / "s.csv")
    table = pd.read_csv(out)
    assert list(table.columns[:2]) == ["stat", "year"]
    row = table[(table["stat"] == "p95") & (table["variable"] == "gdp_gain_pct")
                & (table["year"] == 2035)]
    assert float(row["value"].iloc[0]) == float(
        np.quantile(ds["gdp_gain_pct"].sel(year=2035).values, 0.95))


# ------------------------------------------------------------------ quantiles, summaries, xlsx
def test_tidy_with_quantiles_replaces_draws(ds, tmp_path):
    df = export.to_tidy(ds, ["gdp_gain_pct", "adoption"], quantiles=(0.05, 0.5, 0.95))
    assert list(df.columns) == ["quantile", "year", "sector", "variable", "value", "unit"]
    back = roundtrip(df, tmp_path)
    agg = back[back["variable"] == "gdp_gain_pct"].set_index(["quantile", "year"])["value"]
    np.testing.assert_allclose(agg.to_xarray().values,
                               np.quantile(ds["gdp_gain_pct"].values, [0.05, 0.5, 0.95], axis=0),
                               rtol=1e-12)
    assert len(back) == 3 * ds.sizes["year"] * (1 + ds.sizes["sector"])


def test_big_tidy_exports_default_to_quantiles(tmp_path):
    big = make_example_dataset(n_draws=export.TIDY_DRAW_LIMIT + 1, years=range(2025, 2028),
                               sectors=("C", "J"), seed=3)
    path = write_netcdf(big, tmp_path / "big.nc")
    notes: list[str] = []
    out = export.main_export(path, "tidy", tmp_path / "t.csv", note=notes.append)
    back = pd.read_csv(out)
    assert "draw" not in back and sorted(set(back["quantile"])) == [0.05, 0.5, 0.95]
    (note,) = notes
    assert f"{export.TIDY_DRAW_LIMIT + 1} draws" in note and "--all-draws" in note
    out = export.main_export(path, "tidy", tmp_path / "all.csv", all_draws=True,
                             note=notes.append)
    assert len(pd.read_csv(out)) == sum(big[v].size for v in big.data_vars) and len(notes) == 1
    # at the limit, every draw as before
    small = write_netcdf(make_example_dataset(n_draws=export.TIDY_DRAW_LIMIT,
                                              years=range(2025, 2027), sectors=("C",)),
                         tmp_path / "small.nc")
    assert "draw" in pd.read_csv(export.main_export(small, "tidy", tmp_path / "s.csv"))
    with pytest.raises(InputError) as err:
        export.main_export(path, "iamc", tmp_path / "x.csv", all_draws=True)
    assert err.value.problems[0].key == "--all-draws"


def test_cli_constants_match_the_writer():
    from sim.cli import export as cli_export

    assert cli_export.SUMMARY_QUANTILES == export.SUMMARY_QUANTILES
    assert cli_export.TIDY_DRAW_LIMIT == export.TIDY_DRAW_LIMIT
    assert cli_export.quantile_list("0.05,0.5,0.95") == (0.05, 0.5, 0.95)
    import argparse

    for bad in ("", "0.5,x", "1.5", "-0.1"):
        with pytest.raises(argparse.ArgumentTypeError, match="quantile levels in"):
            cli_export.quantile_list(bad)


def test_xlsx_medians_and_bands_per_group(ds, tmp_path):
    pytest.importorskip("openpyxl")
    path = write_netcdf(ds, tmp_path / "r.nc")
    out = export.main_export(path, "xlsx", tmp_path / "r.xlsx", quantiles=(0.05, 0.5, 0.95))
    book = pd.read_excel(out, sheet_name=None)
    assert list(book) == ["README", "aggregate", "sector", "cohort"]
    years = [int(y) for y in ds["year"].values]
    agg = book["aggregate"]
    assert list(agg.columns) == ["variable", "description", "unit", "statistic", *years]
    gain = agg[agg["variable"] == "gdp_gain_pct"].set_index("statistic")
    assert list(gain.index) == ["p05", "median", "p95"]
    assert set(gain["unit"]) == {"log points"}
    np.testing.assert_allclose(gain.loc["median", years].to_numpy(float),
                               np.median(ds["gdp_gain_pct"].values, axis=0), rtol=1e-12)
    np.testing.assert_allclose(gain.loc["p95", years].to_numpy(float),
                               np.quantile(ds["gdp_gain_pct"].values, 0.95, axis=0), rtol=1e-12)
    sec = book["sector"]
    row = sec[(sec["variable"] == "adoption") & (sec["sector"] == "J")
              & (sec["statistic"] == "p05")]
    np.testing.assert_allclose(row[years].to_numpy(float)[0],
                               np.quantile(ds["adoption"].sel(sector="J").values, 0.05, axis=0),
                               rtol=1e-12)
    coh = book["cohort"]
    assert set(coh["cohort"]) == set(ds["cohort"].values)
    assert len(coh) == 2 * ds.sizes["sector"] * ds.sizes["cohort"] * 3
    readme = book["README"].set_index("key")["value"]
    assert readme["scenario_sha256"] == ds.attrs["scenario_sha256"]
    assert "log points" in readme["units"] and "over 30 draws" in readme["statistics"]
    assert readme["gdp_gain_pct"].startswith("aggregate | log points | 1e-2 |")
    # every variable with a year dim is in exactly one sheet
    exported = [v for name, df in book.items() if name != "README" for v in set(df["variable"])]
    assert sorted(exported) == sorted(v for v in map(str, ds.data_vars)
                                      if "year" in ds[v].dims)


def test_xlsx_without_openpyxl_is_one_line(ds, tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_openpyxl(name, *args, **kwargs):
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(InputError) as err:
        export.main_export(write_netcdf(ds, tmp_path / "r.nc"), "xlsx", tmp_path / "r.xlsx")
    (problem,) = err.value.problems
    assert problem.key == "--format" and problem.hint == "pip install 'aisim[excel]'"
    assert "\n" not in str(problem) and not (tmp_path / "r.xlsx").exists()
