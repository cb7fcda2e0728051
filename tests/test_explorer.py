"""The explorer without a browser (issue 17): controls, the one door to the loader, the round
trip to YAML, downloads, the worker process, the server's pages and the command line.

The browser itself is tested in tests/test_explorer_browser.py.
"""

from __future__ import annotations

import math
import threading
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.present import explorer
from sim.present.explorer import controls, views
from sim.present.explorer.compute import compute, summarise
from sim.present.explorer.presets import find_presets
from sim.present.explorer.request import MAX_DRAWS, Door, Request
from sim.present.explorer.worker import Engine, download_job, run_job
from sim.runner.results import open_results
from sim.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

CENTRAL = "flanders/central"


@pytest.fixture(scope="module")
def door() -> Door:
    return Door(find_presets())


def test_presets_are_every_published_and_flanders_file(door: Door) -> None:
    names = door.presets.names
    expected = {f"{folder}/{p.stem}" for folder in ("published", "flanders")
                for p in (SCENARIOS / folder).glob("*.yaml")}
    assert set(names) == expected
    assert door.presets.first == CENTRAL
    given = find_presets(SCENARIOS / "flanders_central.yaml")
    assert given.first == "flanders_central" and given.names[0] == "flanders_central"


def test_every_preset_gives_every_control_a_default(door: Door) -> None:
    for name in door.presets.names:
        base = door.base(name)
        for key, d in controls.defaults(base).items():
            c = controls.BY_KEY[key]
            assert c.low <= controls.slider_value(c, d.value) <= c.high, (name, key)


def test_central_defaults_are_the_files_values(door: Door) -> None:
    d = controls.defaults(door.base(CENTRAL))
    assert d["ai.profitable_share.start"].value == 0.23
    assert d["jcurve.lag"].value == 3.0
    assert math.isclose(d["ai.exposure.ceiling"].value, 0.65)  # uniform(0.55, 0.75): mean
    assert "uniform" in d["ai.exposure.ceiling"].note
    assert d["feedback.enabled"].value is False
    assert d["rates.capital_supply_elasticity"].value is None


@pytest.mark.parametrize("control", controls.CONTROLS, ids=lambda c: c.key)
def test_every_control_at_both_ends_of_its_range_is_a_valid_scenario(door: Door,
                                                                     control) -> None:
    values = [True, False] if control.kind == "switch" else [control.low, control.high]
    for value in values:
        loaded = door.load(Request.make(CENTRAL, {control.key: value}, draws=8))
        assert loaded.scenario.monte_carlo.draws == 8


def test_a_control_sets_its_scenario_key(door: Door) -> None:
    loaded = door.load(Request.make(CENTRAL, {"jcurve.lag": 4.5,
                                              "rates.policy_rate.level": 0.035,
                                              "feedback.enabled": True,
                                              "rates.capital_supply_elasticity": 3.0,
                                              "diffusion.size_classes.micro.steepness": 0.9}))
    scn = loaded.scenario
    assert scn.jcurve.lag == 4.5 and scn.feedback.enabled is True
    assert door.base(CENTRAL).scenario.rates.policy_rate == {2025: 0.02, 2030: 0.02}
    assert scn.rates.policy_rate == {2025: 0.035, 2030: 0.035}
    assert scn.rates.capital_supply_elasticity == 3.0
    # calibrated as lognormal(ci80=[0.5376, 0.673]): scaled to mean 0.9, its sigma kept
    steepness = scn.diffusion.size_classes.micro.steepness
    assert steepness.dist == "lognormal" and math.isclose(steepness.mean(), 0.9, rel_tol=1e-12)
    assert steepness.sigma == door.base(CENTRAL).scenario.diffusion.size_classes.micro \
        .steepness._p[1]
    off = door.load(Request.make(CENTRAL, uncertainty=False))
    assert off.scenario.monte_carlo.draws == 1


CRAFTED = [
    ({"ai.cost_saving": 1.5}, (), 1024, "ai.cost_saving: expected a share in [0, 1], got 1.5"),
    ({"ai.cost_saving": float("nan")}, (), 1024, "expected a finite number"),
    ({"jcurve.lag": float("inf")}, (), 1024, "expected a finite number"),
    ({"ai.cost_saving": "0.3; rm -rf /"}, (), 1024, "ai.cost_saving: expected a number"),
    ({"ai.cost_saving": [1, 2]}, (), 1024, "ai.cost_saving"),
    ({"feedback.enabled": 3.0}, (), 1024, "feedback.enabled"),
    ({"ai.not_a_control": 1.0}, (), 1024, "expected a control of the explorer"),
    ({"rates.policy_rate.level": -0.10}, (), 1024, "real rate + depreciation > 0"),
    ({"rates.policy_rate.level": float("nan")}, (), 1024, "rates.policy_rate"),
    ({}, ("ai.bogus=1",), 1024, "unknown key 'bogus'"),
    ({}, ("extends=/etc/passwd",), 1024, "unknown key 'extends'"),
    ({}, ("no equals sign",), 1024, "expected dotted.key=value"),
    ({}, (), 0, f"a whole number of draws from 1 to {MAX_DRAWS:,}"),
    ({}, (), MAX_DRAWS + 1, "draws"),
    ({}, (), "1000", "draws"),
]


@pytest.mark.parametrize(("values", "extra", "draws", "message"), CRAFTED)
def test_a_crafted_request_is_refused_with_a_message(door: Door, values, extra, draws,
                                                    message) -> None:
    with pytest.raises(InputError) as info:
        door.load(Request.make(CENTRAL, values, extra, draws))
    assert message in str(info.value)
    assert "Traceback" not in str(info.value)


def test_the_page_gets_the_same_message_as_the_command_line(door: Door) -> None:
    with pytest.raises(InputError) as page:
        door.load(Request.make(CENTRAL, {"ai.cost_saving": 1.5}))
    with pytest.raises(InputError) as cli:
        load_scenario(door.path(CENTRAL), ["ai.cost_saving=1.5"])
    assert str(page.value) == str(cli.value)


@pytest.mark.parametrize("name", ["../flanders_central", "/etc/passwd",
                                  str(SCENARIOS / "flanders_central.yaml"), 3])
def test_no_file_path_is_taken_from_the_browser(door: Door, name) -> None:
    with pytest.raises(InputError, match="expected one of the 26 presets"):
        door.load(Request.make(name))


def test_downloaded_yaml_runs_to_exactly_the_numbers_shown(door: Door, tmp_path: Path,
                                                           capsys) -> None:
    request = Request.make(CENTRAL, {"ai.cost_saving": 0.33, "jcurve.lag": 4.5,
                                     "rates.policy_rate.level": 0.03,
                                     "ai.exposure.midpoint": 2038.0,
                                     "ai.parkinson_rebound": 0.2},
                           ("ai.cost_saving_growth=0.006",), draws=64)
    shown = run_job(str(door.path(CENTRAL)), door.overrides(request), request.key)
    path = tmp_path / "explored.yaml"
    path.write_text(door.yaml_text(request))
    assert main(["validate", str(path)]) == 0
    out = tmp_path / "explored.nc"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    from_file = load_scenario(path)
    assert from_file.sha256 == shown.sha256
    # the moved uncertain parameters are in the file as distributions, moved to the slider's
    # mean with their spread: triangular(0.14, 0.27, 0.40) shifted by +0.06
    ai = from_file.scenario.ai
    assert ai.cost_saving.describe() == "triangular(low=0.2, mode=0.33, high=0.46)"
    assert math.isclose(ai.exposure.midpoint.mean(), 2038.0, rel_tol=1e-12)
    assert math.isclose(ai.parkinson_rebound.mean(), 0.2, rel_tol=1e-12)
    assert from_file.scenario.rates.policy_rate == {2025: 0.03, 2030: 0.03}
    again = summarise(from_file, open_results(out))
    assert again.draws == shown.draws == 64 and again.seed == shown.seed
    for var, q in shown.headlines.items():
        assert np.array_equal(q, again.headlines[var]), var
    for var, q in shown.sectors.items():
        assert np.array_equal(q, again.sectors[var]), var
    assert np.array_equal(shown.cohorts, again.cohorts)
    for var, m in shown.decomposition.items():
        assert np.array_equal(m, again.decomposition[var]), var


def test_downloads_are_netcdf_and_csv(door: Door, tmp_path: Path) -> None:
    request = Request.make(CENTRAL, {"ai.cost_saving": 0.2}, draws=16)
    args = (str(door.path(CENTRAL)), door.overrides(request), request.key)
    nc = tmp_path / "r.nc"
    nc.write_bytes(download_job(*args, "netcdf"))
    ds = open_results(nc)
    assert ds.sizes["draw"] == 16 and "gdp_gain_pct" in ds
    from sim.model.variables import VARIABLES  # every variable, though the page keeps 14

    assert set(ds.data_vars) == set(VARIABLES)
    csv = download_job(*args, "csv").decode().splitlines()
    assert csv[0].startswith("stat,year,sector,cohort,variable,value,unit")
    assert any(line.startswith("p50,") and ",gdp_gain_pct," in line for line in csv)
    assert {line.split(",")[0] for line in csv[1:]} == {"mean", "p05", "p25", "p50", "p75",
                                                        "p95"}


def test_chart_data_is_what_the_result_says(door: Door) -> None:
    result, _ = compute(door.load(Request.make(CENTRAL, draws=32)))
    data = views.all_sources(result, None, 2035, "sector_tfp_gain_pct")
    fan = data["fan:gdp_gain_pct"]
    assert np.all(fan["p05"] <= fan["p25"]) and np.all(fan["p25"] <= fan["p50"])
    assert np.all(fan["p50"] <= fan["p75"]) and np.all(fan["p75"] <= fan["p95"])
    parts = sum(data["decomposition"][v] for v in ("gdp_from_tfp_pp", "gdp_from_capital_pp",
                                                   "gdp_from_employment_pp",
                                                   "gdp_from_demand_pp"))
    np.testing.assert_allclose(parts, data["decomposition"]["gdp"], atol=1e-9)
    sectors = data["sectors"]
    assert len(sectors["name"]) == 10 and "Information and communication (J)" in sectors["name"]
    assert list(sectors["p50"]) == sorted(sectors["p50"], reverse=True)
    assert data["compare:gdp_gain_pct"]["p50"].size == 0
    assert data["compare:decomposition"]["gdp"].size == 0
    other, _ = compute(door.load(Request.make("published/oecd_2024_sc1", uncertainty=False)))
    with_compare = views.all_sources(result, other, 2035, "sector_tfp_gain_pct")
    assert np.array_equal(with_compare["compare:decomposition"]["gdp"],
                          other.decomposition["gdp_gain_pct"])
    assert np.array_equal(with_compare["compare:gdp_gain_pct"]["p50"],
                          other.headlines["gdp_gain_pct"][2])


def test_published_references_are_marked(door: Door) -> None:
    result, _ = compute(door.load(Request.make("published/oecd_2024_sc1", uncertainty=False)))
    marks = result.references
    assert marks and all(m.status in ("reproduced", "documented gap") for m in marks)
    refs = views.references(result, marks[0].variable)
    assert refs["published"] and refs["scenario"][0] == result.name


def test_the_worker_process_runs_and_serves_downloads(door: Door) -> None:
    engine = Engine("process")
    try:
        request = Request.make(CENTRAL, draws=8)
        args = (door.path(CENTRAL), door.overrides(request), request.key)
        result = engine.result(*args).result(timeout=300)
        local = run_job(str(args[0]), args[1], "local")
        assert np.array_equal(result.headlines["gdp_gain_pct"], local.headlines["gdp_gain_pct"])
        assert engine.download(*args, "csv").result(timeout=60).startswith(b"stat,")
    finally:
        engine.close()


# ------------------------------------------------------------------ command line and server
def test_explore_without_bokeh_says_how_to_install(monkeypatch, capsys) -> None:
    monkeypatch.setattr(explorer, "available", lambda: False)
    assert main(["explore", "--no-browser"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "pip install -e '.[explore]'" in err


def test_explore_refuses_a_remote_address_without_the_flag(capsys) -> None:
    pytest.importorskip("bokeh")
    assert main(["explore", "--address", "0.0.0.0", "--no-browser"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_explore_refuses_a_bad_scenario_with_its_message(write_yaml, capsys) -> None:
    pytest.importorskip("bokeh")
    path = write_yaml("name: x\nai: {cost_saving: 2}\n")
    assert main(["explore", str(path), "--no-browser", "--port", "0"]) == 2
    assert "expected" in capsys.readouterr().err


@pytest.fixture(scope="module")
def served():
    """An explorer served from a thread (its own event loop), stopped afterwards."""
    pytest.importorskip("bokeh")
    import asyncio

    from sim.present.explorer.server import start

    box: dict = {}
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        from tornado.ioloop import IOLoop

        box["explorer"] = start(port=0, mode="thread", io_loop=IOLoop.current())
        box["loop"] = IOLoop.current()
        ready.set()
        box["loop"].start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(120)
    yield box["explorer"]
    box["loop"].add_callback(box["loop"].stop)
    thread.join(10)
    box["explorer"].shared.engine.close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_the_page_loads_everything_from_the_server(served) -> None:
    status, body = _get(served.url)
    assert status == 200
    text = body.decode()
    assert "cdn." not in text and "https://" not in text.split("<body")[0]
    import re

    scripts = re.findall(r'src="([^"]+)"', text)
    assert scripts and all(s.startswith("/static/") for s in scripts)
    status, js = _get(served.url + scripts[0].lstrip("/"))
    assert status == 200 and len(js) > 100_000


def test_downloads_need_a_live_session_and_a_known_file(served) -> None:
    assert _get(served.url + "download/not-a-session/scenario.yaml")[0] == 404
    assert _get(served.url + "download/x/..%2F..%2Fetc%2Fpasswd")[0] == 404


def test_the_notebook_call_serves_the_page_in_the_kernels_loop() -> None:
    """``show(...)`` (docs/explorer.md) starts the server in the running loop (a Jupyter
    kernel's) and returns an IFrame of the page."""
    pytest.importorskip("bokeh")
    pytest.importorskip("IPython")
    import asyncio

    from tornado.ioloop import IOLoop

    from sim.present.explorer import server

    box: dict = {}
    ready = threading.Event()

    def kernel() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        box["frame"] = explorer.show(SCENARIOS / "flanders_central.yaml")
        box["loop"] = IOLoop.current()
        ready.set()
        box["loop"].start()

    thread = threading.Thread(target=kernel, daemon=True)
    thread.start()
    assert ready.wait(120)
    try:
        frame = box["frame"]
        assert frame.src.startswith("http://127.0.0.1:") and frame.width >= 1000
        status, body = _get(frame.src)
        assert status == 200 and b"/static/js/bokeh" in body
    finally:
        box["loop"].add_callback(server.stop_notebook_servers)
        box["loop"].add_callback(box["loop"].stop)
        thread.join(10)


def test_every_preset_runs_and_draws(door: Door) -> None:
    """Each preset's central path, as the page shows it with uncertainty off."""
    for name in door.presets.names:
        result, _ = compute(door.load(Request.make(name, uncertainty=False)))
        data = views.all_sources(result, result, int(result.years[-1]), "sector_tfp_gain_pct")
        assert np.isfinite(data["fan:gdp_gain_pct"]["p50"]).all(), name
        assert len(data["sectors"]["name"]) == len(result.sector_codes), name


# ------------------------------------------------------------------ what makes a change fast
def test_the_page_keeps_only_its_variables_with_the_full_runs_numbers(door: Door) -> None:
    from sim.present.explorer.compute import page_variables, simulate
    from sim.runner.engine import run

    loaded = door.load(Request.make("published/oecd_2024_sc1", draws=16))
    wanted = page_variables(loaded)
    assert len(wanted) < 20 and {"gdp_gain_pct", "employment_by_cohort"} <= set(wanted)
    assert {r.variable for r in loaded.scenario.references} <= set(wanted)
    part, full = simulate(loaded, wanted), run(loaded)
    assert sorted(part.data_vars) == sorted(wanted) and len(full.data_vars) > 50
    for name in wanted:
        assert np.array_equal(part[name].values, full[name].values), name
    with pytest.raises(ValueError, match="unknown output variable"):
        run(loaded, variables=["gdp_gain_pct", "not_a_variable"])


@pytest.mark.parametrize("draws", [2, 3, 64, 101, 1000, 1024])
def test_the_bands_are_numpys_quantiles_bit_for_bit(draws: int) -> None:
    from sim.present.explorer.compute import QUANTILES, _quantiles

    rng = np.random.default_rng(draws)
    values = rng.lognormal(0.0, 1.5, (draws, 26, 10)) - 1.0
    values[:, 0] = 0.25  # ties
    assert np.array_equal(_quantiles(values), np.quantile(values, QUANTILES, axis=0))
    values[0, 1, 1] = np.inf  # not finite: numpy's own result
    with np.errstate(invalid="ignore"):
        expected = np.quantile(values, QUANTILES, axis=0)
    np.testing.assert_array_equal(_quantiles(values), expected)


def test_fan_axes_say_the_units_of_the_output_table() -> None:
    """A gain's fan chart is labelled in the unit the files carry (log points, not %)."""
    from sim.model.variables import VARIABLES
    from sim.present.explorer import figures
    from sim.present.explorer.compute import HEADLINES

    for title, var, unit in HEADLINES:
        fig = figures.fan_figure({}, title, var, unit)
        label = fig.yaxis[0].axis_label
        assert label == unit and "%" not in label, var
        if var.endswith("_gain_pct"):
            assert label.startswith(VARIABLES[var].attrs["display_units"]), var
