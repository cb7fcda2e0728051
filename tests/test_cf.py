"""CF-1.10 metadata and honest units (issue 16, items 9 and 10): every ``units`` is UDUNITS-2,
``year`` is the T axis and stays an integer, ``draw`` the realization, cf_xarray finds them in
the netCDF file ``aisim run`` writes, and every gain is log points: 100 ln(level / baseline)
of the levels in the same file, adding up in the GDP decomposition."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml

from sim.cli import main
from sim.model.variables import LOG_POINTS, TABLE, VARIABLES
from sim.runner.results import COORD_ATTRS
from tests.conftest import scenario_dict

#: every CF units string the output table uses; a new one must be added here, and the cf_units
#: test below checks each against UDUNITS-2 itself where cf_units is installed
UDUNITS_USED = {"1", "1e-2", "1e6", "percent", "year-1"}
#: gain -> (level on the AI path, level it is compared with), all in the same file
GAINS = {
    "gdp_gain_pct": ("gdp", "gdp_baseline"),
    "potential_gdp_gain_pct": ("gdp_potential", "gdp_baseline"),
    "employment_gain_pct": ("employment_total", "employment_total_baseline"),
    "labour_income_gain_pct": ("labour_income", "labour_income_baseline"),
    "user_cost_gain_pct": ("user_cost", "user_cost_baseline"),
    "output_gap_pct": ("gdp", "gdp_potential"),
    "sector_employment_gain_pct": ("employment", "employment_baseline"),
    "sector_value_added_gain_pct": ("sector_value_added", "sector_value_added_baseline"),
}
DECOMPOSITION = ("gdp_from_tfp_pp", "gdp_from_capital_pp", "gdp_from_employment_pp",
                 "gdp_from_demand_pp")


@pytest.fixture(scope="module")
def run_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The files ``aisim run`` writes for a small scenario: full netCDF (two chunks) and a
    summary."""
    folder = tmp_path_factory.mktemp("cf")
    scenario = folder / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict(), sort_keys=False), encoding="utf-8")
    files = {"full": folder / "full.nc", "summary": folder / "summary.nc"}
    assert main(["run", str(scenario), "-q", "--draws", "6", "--chunk-size", "4",
                 "--out", str(files["full"])]) == 0
    assert main(["run", str(scenario), "-q", "--draws", "6", "--summary-only",
                 "--out", str(files["summary"])]) == 0
    return files


@pytest.fixture(scope="module")
def full(run_files: dict[str, Path]) -> xr.Dataset:
    return xr.load_dataset(run_files["full"], engine="h5netcdf")


def test_every_units_string_is_in_the_checked_list() -> None:
    assert {v.units for v in TABLE} <= UDUNITS_USED
    for v in TABLE:  # the words beside them: no empty label, none of the old non-units
        assert v.display_units and v.units not in ("%", "pp", "persons", "million EUR"), v.name


def test_udunits_parses_every_units_attribute(run_files: dict[str, Path]) -> None:
    cf_units = pytest.importorskip("cf_units")
    for text in UDUNITS_USED:
        cf_units.Unit(text)  # raises ValueError on a string UDUNITS-2 does not know
    for path in run_files.values():
        ds = xr.open_dataset(path, engine="h5netcdf")
        for name in [*ds.data_vars, *ds.coords]:
            if "units" in ds[name].attrs:
                cf_units.Unit(ds[name].attrs["units"])
    # what the units say, in UDUNITS' own terms: a log point is a hundredth, a million EUR
    # a million (of euros), a rate per year per 365.2422 days
    assert cf_units.Unit("1e-2").convert(1.0, "1") == pytest.approx(0.01)
    assert cf_units.Unit("1e6").convert(1.0, "1") == pytest.approx(1e6)
    assert cf_units.Unit("year-1").is_convertible("s-1")


def test_log_difference_variables_are_log_points() -> None:
    for v in TABLE:
        if v.definition.startswith("100 ln(") or v.name in GAINS or v.name in DECOMPOSITION:
            assert v.unit == LOG_POINTS, v.name
    assert VARIABLES["unemployment_rate_change_pp"].display_units == "percentage points"
    assert VARIABLES["gdp"].display_units == "million EUR"


def test_the_file_is_cf_1_10_with_a_year_axis(full: xr.Dataset,
                                              run_files: dict[str, Path]) -> None:
    assert full.attrs["Conventions"] == "CF-1.10"
    assert "log points" in full.attrs["gain_definition"]
    # year is read back as the integer calendar year (no "since" units for xarray to decode)
    assert full["year"].dtype.kind == "i" and int(full["year"][0]) == 2025
    assert full.sel(year=2030)["gdp"].sizes == {"draw": 6}
    for coord, attrs in COORD_ATTRS.items():
        if coord in full.coords:
            assert {k: full[coord].attrs.get(k) for k in attrs} == attrs, coord
    for name in full.data_vars:
        spec = VARIABLES[name]
        assert full[name].attrs["units"] == spec.units, name
        assert full[name].attrs["display_units"] == spec.display_units, name
        assert full[name].attrs["long_name"] == spec.long_name, name
    summary = xr.open_dataset(run_files["summary"], engine="h5netcdf")
    assert summary.attrs["Conventions"] == "CF-1.10"
    quantile = next(v for v in summary.data_vars if str(v).startswith("gdp_gain_pct"))
    assert summary[quantile].attrs["units"] == "1e-2"
    assert summary[quantile].attrs["display_units"] == "log points"


def test_cf_xarray_finds_the_axes(run_files: dict[str, Path]) -> None:
    pytest.importorskip("cf_xarray")
    ds = xr.open_dataset(run_files["full"], engine="h5netcdf")
    assert ds.cf.axes == {"T": ["year"]}
    assert ds.cf.coordinates == {"time": ["year"]}
    assert ds.cf.standard_names == {"realization": ["draw"]}
    np.testing.assert_array_equal(ds.cf["T"].values, ds["year"].values)
    assert ds.cf["gdp_gain_pct"].cf["T"].name == "year"
    assert ds["gdp_gain_pct"].cf.mean("T").dims == ("draw",)
    summary = xr.open_dataset(run_files["summary"], engine="h5netcdf")
    assert summary.cf.axes == {"T": ["year"]}
    assert summary["quantile"].attrs["long_name"] == "quantile level over draws"


def test_gains_are_log_points_of_the_levels_in_the_same_file(full: xr.Dataset) -> None:
    for gain, (level, baseline) in GAINS.items():
        expected = 100.0 * np.log(full[level] / full[baseline])
        np.testing.assert_allclose(full[gain], expected, rtol=1e-12, atol=1e-12,
                                   err_msg=gain)
    # additive in log points: the decomposition sums to the GDP gain, labour productivity and
    # ghost GDP are differences of gains (in percent changes neither would hold)
    total = sum(full[name] for name in DECOMPOSITION)
    np.testing.assert_allclose(total, full["gdp_gain_pct"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(full["labour_productivity_gain_pct"],
                               full["gdp_gain_pct"] - full["employment_gain_pct"], atol=1e-12)
    np.testing.assert_allclose(full["ghost_gdp_pp"],
                               full["gdp_gain_pct"] - full["labour_income_gain_pct"],
                               atol=1e-12)
    # the conversion docs/variables.md states: a gain g is a change of 100 (exp(g / 100) - 1) %
    change = 100.0 * (full["gdp"] / full["gdp_baseline"] - 1.0)
    np.testing.assert_allclose(100.0 * np.expm1(full["gdp_gain_pct"] / 100.0), change,
                               rtol=1e-10, atol=1e-12)
    assert float(abs(full["gdp_gain_pct"]).max()) > 0.01  # the test sees a real AI effect
    # percentage points are 100 x a difference of rates (the base year is at u*)
    u = full["unemployment_rate"]
    np.testing.assert_allclose(full["unemployment_rate_change_pp"],
                               100.0 * (u - u.isel(year=0)), atol=1e-10)
