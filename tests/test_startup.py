"""A lazy start-up and a self-explaining command line (issue 16, item 7).

Invariants, not timings (the times are measured in benchmarks/test_startup_bench.py): importing
``sim`` and printing ``aisim --help`` load none of the scientific stack; ``aisim validate`` loads
no numba and no dask; every option of every subcommand has help that shows its default; the
description names every command; ``--version`` names the versions that decide the numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib import metadata

import pytest

from sim.cli import COMMANDS, build_parser, command_names
from sim.cli.arguments import HelpFormatter
from tests.conftest import ROOT, SCENARIOS

#: what ``import sim`` and ``aisim --help`` must not load
HEAVY = ("numba", "llvmlite", "dask", "distributed", "numpy", "scipy", "pandas", "xarray",
         "pydantic", "matplotlib", "zarr", "h5py", "h5netcdf", "SALib", "bokeh", "tqdm")


def loaded_after(code: str) -> list[str]:
    """The modules of :data:`HEAVY` in ``sys.modules`` after running ``code`` in a fresh
    interpreter (``SystemExit`` from ``--help`` ignored)."""
    probe = (f"import sys, json\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
             f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stderr.strip().splitlines()[-1])


def test_importing_sim_loads_nothing_heavy() -> None:
    assert loaded_after("import sim") == []


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["sweep", "--help"],
                                  ["explore", "--help"], ["--version"]])
def test_help_and_version_load_nothing_heavy(argv: list[str]) -> None:
    assert loaded_after(f"import sim.cli; sim.cli.main({argv!r})") == []


def test_validate_loads_no_numba_and_no_dask() -> None:
    scenario = SCENARIOS / "flanders_central.yaml"
    loaded = loaded_after(f"import sim.cli; sim.cli.main(['validate', {str(scenario)!r}])")
    assert not {"numba", "llvmlite", "dask", "distributed"} & set(loaded), loaded


@pytest.mark.parametrize("first", ["sim", "xarray"])
def test_the_accessor_is_registered_whichever_is_imported_first(first: str) -> None:
    second = "xarray" if first == "sim" else "sim"
    code = (f"import {first}, {second}, sys\nimport xarray as xr\n"
            "import importlib.resources as resources\n"
            "ds = xr.Dataset({'gdp_gain_pct': (('draw', 'year'), [[1.0, 2.0]])}, "
            "coords={'year': [2025, 2026]})\n"
            "assert type(ds.aisim).__name__ == 'AisimAccessor'\n"
            # xarray's own loader is back in place: its package data is still found
            "assert type(xr.__loader__).__name__ == 'SourceFileLoader', xr.__loader__\n"
            "assert resources.files('xarray').joinpath('__init__.py').is_file()\n"
            "import sim as s; assert s.load_scenario.__module__ == 'sim.scenario.loader'\n"
            "print('ok')")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_lazy_names_of_sim() -> None:
    import sim
    from sim.scenario import LoadedScenario, Scenario, load_scenario

    assert (sim.load_scenario, sim.Scenario, sim.LoadedScenario) == (
        load_scenario, Scenario, LoadedScenario)
    assert {"load_scenario", "Scenario", "LoadedScenario", "run"} <= set(dir(sim))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        sim.nothing  # noqa: B018


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"aisim": parser, **{f"aisim {name}": p for name, p in sub.choices.items()}}


def options() -> list[tuple[str, argparse.Action]]:
    return [(prog, action) for prog, parser in subparsers().items()
            for action in parser._actions
            if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)]


@pytest.mark.parametrize("prog, action", options(),
                         ids=[f"{p}:{a.dest}" for p, a in options()])
def test_every_option_has_help_that_shows_its_default(prog: str,
                                                      action: argparse.Action) -> None:
    assert action.help, f"{prog} {action.option_strings or action.dest}: no help"
    switch = isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction) or \
        action.nargs == 0
    takes_value = (bool(action.option_strings) and not action.required) or action.nargs == "?"
    if takes_value and not switch:
        shown = HelpFormatter(prog)._get_help_string(action)
        assert "default" in shown, f"{prog} {action.option_strings}: {shown!r}"


def test_help_pages_have_no_backticks_and_name_every_command() -> None:
    pages = {prog: parser.format_help() for prog, parser in subparsers().items()}
    for prog, text in pages.items():
        assert "`" not in text, prog
        assert "(default: None)" not in text and "(default: [])" not in text, prog
    top = " ".join(pages["aisim"].split())
    names = command_names()
    assert names == [m.rsplit(".", 1)[1] for m in COMMANDS]
    assert f"Commands: {', '.join(names[:-1])} and {names[-1]}." in top
    for name in names:
        assert f"aisim {name}" in pages


def test_defaults_written_in_help_are_the_real_ones() -> None:
    from sim.analysis.sensitivity import DEFAULT_OUTPUTS
    from sim.cli import sensitivity
    from sim.cli.arguments import MAX_SEED
    from sim.runner.plan import DEFAULT_CHUNK
    from sim.scenario.schema import MAX_SEED as SCHEMA_MAX_SEED

    assert sensitivity.DEFAULT_OUTPUTS == DEFAULT_OUTPUTS
    assert MAX_SEED == SCHEMA_MAX_SEED
    run_help = " ".join(subparsers()["aisim run"].format_help().split())
    assert f"else {DEFAULT_CHUNK})" in run_help


def test_version_names_the_package_and_the_libraries(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    from sim.cli import main
    from sim.version import __version__

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"aisim {__version__} (Python {sys.version_info.major}.")
    for name in ("numpy", "numba", "scipy", "xarray"):
        assert f"{name} {metadata.version(name)}" in line
