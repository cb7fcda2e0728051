"""pyam reads ``aisim export --format iamc`` (issue 16, item 10): the optional extra ``iamc``
(``pip install -e '.[iamc]'``; .ci/run installs it in a venv of its own). Skipped without
pyam."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.present.export import main_export
from sim.runner.results import write_netcdf
from sim.scenario.schema import Scenario
from tests.conftest import scenario_dict

pyam = pytest.importorskip("pyam")
# pyam 4.0.0 on pandas 3.1: hundreds of "The inplace keyword ... is deprecated" warnings
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:Warning")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory):
    ds = sim.run(Scenario.model_validate(scenario_dict()), draws=9, seed=3)
    return ds, write_netcdf(ds, tmp_path_factory.mktemp("iamc") / "r.nc")


def test_pyam_reads_medians_and_quantiles(results, tmp_path) -> None:
    ds, path = results
    out = main_export(path, "iamc", tmp_path / "x.csv", quantiles=(0.05, 0.95))
    df = pyam.IamDataFrame(str(out))
    assert df.model == ["aisim"] and df.region == ["Flanders"]
    assert df.scenario == [ds.attrs["scenario_name"]]
    assert df.year == [int(y) for y in ds["year"].values]
    for variable, values in {
        "GDP|Gain": ds["gdp_gain_pct"].median("draw"),
        "GDP|Gain|p05": ds["gdp_gain_pct"].quantile(0.05, "draw"),
        "GDP|Gain|p95": ds["gdp_gain_pct"].quantile(0.95, "draw"),
        "Employment|J": ds["employment"].sel(sector="J").median("draw"),
        "GDP": ds["gdp"].median("draw"),
    }.items():
        ts = df.filter(variable=variable).timeseries()
        assert len(ts) == 1, variable
        np.testing.assert_allclose(ts.iloc[0].to_numpy(dtype=float), values.values,
                                   rtol=1e-12, err_msg=variable)
    units = dict(zip(df.variable, (df.filter(variable=v).unit[0] for v in df.variable),
                     strict=True))
    assert units["GDP|Gain"] == "log points" and units["GDP"] == "million EUR"
    assert units["Employment|J"] == "persons"


def test_pyam_finds_the_sector_hierarchy_consistent(results, tmp_path) -> None:
    """With means (which add up, unlike medians) total employment is the sum of the sectors'
    in pyam's own aggregate check, and the value added of the sectors sums to GDP's baseline."""
    ds, path = results
    out = main_export(path, "iamc", tmp_path / "m.csv", stat="mean")
    df = pyam.IamDataFrame(str(out))
    sectors = [str(s) for s in ds["sector"].values]
    assert df.check_aggregate("Employment",
                              components=[f"Employment|{s}" for s in sectors]) is None
    assert df.check_aggregate("GDP|Baseline",
                              components=[f"Value Added|Baseline|{s}" for s in sectors]) is None
    # and the check can fail: one sector fewer is flagged
    assert df.check_aggregate("Employment",
                              components=[f"Employment|{s}" for s in sectors[1:]]) is not None
