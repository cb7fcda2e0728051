"""Global sensitivity: SALib machinery on known cases (Ishigami, a product through the model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sim.analysis.sensitivity import analyze, sensitivity, to_quantiles, unit_sample
from sim.cli import main
from sim.errors import InputError
from tests.conftest import scenario_dict

pytest.importorskip("SALib")

C_LO, C_HI, T_LO, T_HI = 0.2, 0.4, 0.0, 0.3
RANGES = [f"ai.cost_saving={C_LO}:{C_HI}", f"ai.parkinson_rebound={T_LO}:{T_HI}"]


def test_ishigami_indices() -> None:
    names = ["x1", "x2", "x3"]
    u = unit_sample("sobol", names, 2048, seed=7)
    x = -np.pi + 2 * np.pi * to_quantiles("sobol", u)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    res = analyze("sobol", names, u, y[:, None], seed=7)
    s1, st = res["S1"][:, 0], res["ST"][:, 0]
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=0.03)
    for est, conf, exact in ((s1, res["S1_conf"][:, 0], [0.3139, 0.4424, 0.0]),
                             (st, res["ST_conf"][:, 0], [0.5576, 0.4424, 0.2437])):
        assert (np.abs(est - exact) <= conf).all()
    # a constant output gives NaN, not a crash
    assert np.isnan(analyze("sobol", names, u, np.ones((len(u), 1)))["S1"]).all()


def _product_indices() -> tuple[np.ndarray, np.ndarray]:
    """f = k c (1 - theta), c ~ U(C_LO, C_HI), theta ~ U(T_LO, T_HI) independent."""
    mx, vx = (C_LO + C_HI) / 2, (C_HI - C_LO) ** 2 / 12
    my, vy = 1 - (T_LO + T_HI) / 2, (T_HI - T_LO) ** 2 / 12
    v1, v2, v12 = vx * my**2, vy * mx**2, vx * vy
    total = v1 + v2 + v12
    return np.array([v1, v2]) / total, np.array([v1 + v12, v2 + v12]) / total


def test_product_case_through_the_model(write_yaml) -> None:
    # no J-curve lag or drag and a constant saving: the direct TFP gain is
    # sum_j v_j sL_j (a_j(t) - a_j(t0)) x c0 (1 - theta), a product of the two parameters
    scenario = write_yaml(scenario_dict())
    ds = sensitivity(scenario, method="sobol", n=1024, params=RANGES,
                     outputs=["tfp_direct_gain_pct", "sector_tfp_gain_pct"],
                     years=[2035, 2040], seed=3)
    assert ds["S1"].dims == ("parameter", "output", "year", "sector")
    assert list(ds["parameter"].values) == ["ai.cost_saving", "ai.parkinson_rebound"]
    s1_exact, st_exact = _product_indices()
    for out in ("tfp_direct_gain_pct", "sector_tfp_gain_pct"):
        for sector in ds["sector"].values:
            cell = ds.sel(output=out, year=2040, sector=sector)
            assert (np.abs(cell["S1"].values - s1_exact) <= cell["S1_conf"].values).all()
            assert (np.abs(cell["ST"].values - st_exact) <= cell["ST_conf"].values).all()
    # aggregate outputs are repeated along sector
    agg = ds["ST"].sel(output="tfp_direct_gain_pct")
    assert (agg == agg.isel(sector=0)).all()
    assert ds["output_kind"].values.tolist() == ["aggregate", "sector"]


def test_product_structure_holds(write_yaml) -> None:
    from sim.analysis.sensitivity import choose_params, evaluate
    from sim.analysis.sweep import load_point

    scenario = write_yaml(scenario_dict())
    loaded = load_point(scenario)
    params = choose_params(str(scenario), loaded, RANGES)
    q = np.random.default_rng(0).uniform(size=(50, 2))
    y = evaluate(loaded.scenario, params, q, ["tfp_direct_gain_pct"])["tfp_direct_gain_pct"]
    c, theta = C_LO + q[:, 0] * (C_HI - C_LO), T_LO + q[:, 1] * (T_HI - T_LO)
    ratio = y[:, -1] / (c * (1 - theta))
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-10)


def test_morris_and_default_parameters(write_yaml, tmp_path: Path) -> None:
    uncertain = scenario_dict()
    uncertain["ai"]["cost_saving"] = {"dist": "uniform", "low": 0.2, "high": 0.34}
    uncertain["labour"] = {"job_finding_rate": {"dist": "uniform", "low": 0.3, "high": 0.7}}
    scenario = write_yaml(uncertain)
    ds = sensitivity(scenario, method="morris", n=10, outputs=["tfp_direct_gain_pct"], seed=1)
    assert set(ds.data_vars) == {"mu_star", "mu_star_conf", "sigma", "mu"}
    assert ds["mu_star"].dims == ("parameter", "output", "year")
    assert list(ds["parameter"].values) == ["ai.cost_saving", "labour.job_finding_rate"]
    last = ds["mu_star"].isel(output=0, year=-1).values
    assert last[0] > 0 and last[1] == 0  # job finding does not touch the direct TFP gain
    assert ds.attrs["model_runs"] == 10 * 3


def test_cli_writes_netcdf_and_plot(write_yaml, tmp_path: Path) -> None:
    scenario = write_yaml(scenario_dict())
    out, fig = tmp_path / "s.nc", tmp_path / "s.png"
    code = main(["sensitivity", str(scenario), "--n", "64", "--param", RANGES[0], "--param",
                 RANGES[1], "--output", "tfp_gain_pct", "--output", "sector_tfp_gain_pct",
                 "-o", str(out), "--plot", str(fig), "-q"])
    assert code == 0 and fig.stat().st_size > 1000
    ds = xr.load_dataset(out)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(ds.data_vars)
    assert ds["ST"].sizes == {"parameter": 2, "output": 2, "year": 16, "sector": 3}


@pytest.mark.parametrize("args, needle", [
    (["--method", "fast"], "sobol, morris"),
    (["--param", "ai.cost_savng=0.2:0.4"], "did you mean 'ai.cost_saving'"),
    (["--param", "ai.cost_saving=0.4:0.2"], "low < high"),
    (["--param", "ai.cost_saving=0.2:1.5"], "end point of --param"),
    (["--param", "ai.cost_saving=0.2"], "dotted.path=low:high"),
    (["--output", "tfp_gain"], "did you mean 'tfp_gain_pct'"),
    (["--year", "1990"], "years in 2025-2040"),
    ([], "uncertain parameters"),
])
def test_bad_sensitivity_input(write_yaml, tmp_path: Path, capsys, args, needle) -> None:
    scenario = write_yaml(scenario_dict())
    base = ["--param", RANGES[0]] if args and args[0] in ("--output", "--year", "--method") \
        else []
    out = tmp_path / "bad.nc"
    code = main(["sensitivity", str(scenario), *base, *args, "-o", str(out), "-q"])
    assert code == 2
    assert needle in capsys.readouterr().err
    assert not out.exists()


def test_unknown_method_api() -> None:
    with pytest.raises(InputError):
        unit_sample("fast", ["a"], 8, 0)


def test_index_warnings_flag_noise_and_suggest_n() -> None:
    """S1 > ST beyond both intervals and negative indices beyond theirs are flagged with a
    sample size that brings the widest half-width to ~0.05 (1 / sqrt(N) scaling)."""
    import xarray as xr

    from sim.analysis.sensitivity import index_warnings

    def ds(s1, c1, st, ct):
        dims = ("parameter", "output", "year")
        shape = (2, 1, 2)
        return xr.Dataset({k: (dims, np.asarray(v, float).reshape(shape)) for k, v in
                           (("S1", s1), ("S1_conf", c1), ("ST", st), ("ST_conf", ct))},
                          coords={"parameter": ["a", "b"], "output": ["y"],
                                  "year": [2030, 2040]},
                          attrs={"method": "sobol", "base_samples": 64})

    clean = ds([0.3, 0.3, 0.1, 0.0], [0.05] * 4, [0.4, 0.35, 0.12, 0.01], [0.05] * 4)
    assert index_warnings(clean) == []
    # S1 - conf = 0.5 > ST + conf = 0.3 in one cell; S1 + conf = -0.1 < 0 in another
    bad = ds([0.6, 0.3, -0.3, 0.0], [0.1, 0.05, 0.2, 0.05], [0.2, 0.35, 0.1, 0.01],
             [0.1, 0.05, 0.05, 0.05])
    texts = index_warnings(bad)
    assert len(texts) == 2
    assert texts[0].startswith("1 cell(s) with S1 > ST") and "parameter=a" in texts[0]
    assert "year=2030" in texts[0]
    # widest half-width 0.1 -> factor (0.1 / 0.05)^2 = 4 -> 256
    assert "try --n 256" in texts[0]
    assert texts[1].startswith("1 cell(s) with S1 < 0") and "parameter=b" in texts[1]
    assert "try --n 1024" in texts[1]  # 0.2 -> factor 16
    assert index_warnings(bad.assign_attrs(method="morris")) == []


def test_quiet_keeps_the_index_warnings_in_the_file(tmp_path: Path, capsys) -> None:
    """-q prints nothing but errors; a sample too small for its indices is still flagged, in
    the file's ``index_warnings`` attribute (the same texts the command prints without -q)."""
    from sim.analysis.sensitivity import index_warnings

    central = Path(__file__).resolve().parents[1] / "scenarios" / "flanders_central.yaml"
    out = tmp_path / "s.nc"
    args = ["sensitivity", str(central), "--n", "4", "--output", "gdp_gain_pct", "-o", str(out)]
    assert main([*args, "-q"]) == 0
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
    with xr.open_dataset(out) as ds:
        stored = ds.attrs["index_warnings"].split("\n")
        assert stored == index_warnings(ds) and stored  # n = 4 is far too small
    assert main(args) == 0
    printed = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    assert printed == [f"aisim sensitivity: warning: {text}" for text in stored]
