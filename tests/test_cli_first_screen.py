"""The first screen a new user sees (issue 16, item 1): the README's main command runs a Monte
Carlo and prints medians with 90 % bands in at most 100 columns, says once when it compiles,
and ends with the file written and a next command."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

from sim.cli import main
from sim.cli.run import WIDTH, milestones
from sim.model.cache import EXACT_VARIABLE
from sim.scenario.loader import load_scenario


def test_the_default_scenario_is_a_monte_carlo():
    assert load_scenario(SCENARIOS / "flanders_central.yaml").scenario.monte_carlo.draws >= 1000


def test_the_run_prints_bands_in_100_columns_and_a_next_command(tmp_path, capsys):
    out = tmp_path / "fc.nc"
    assert main(["run", str(SCENARIOS / "flanders_central.yaml"), "--draws", "64",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert max(len(line) for line in printed.err.splitlines() or [""]) <= WIDTH
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("2030"))
    assert lines[header].split() == ["2030", "2035", "2040", "2045", "2050"]
    gdp = next(i for i, line in enumerate(lines) if line.startswith("GDP"))
    bands = lines[gdp + 1].split()
    assert len(bands) == 5 and all(b.startswith("[") and b.endswith("]") for b in bands)
    low, high = (float(x) for x in bands[-1].strip("[]").split(","))
    median = float(lines[gdp].split()[-1])
    assert low < median < high  # the band is the 5 % and 95 % quantiles around the median
    wrote = lines.index(f"wrote {out}")
    assert " ".join(lines[wrote + 1:]).startswith(f"next: aisim plot {out} --kind fan")


def test_a_cold_cache_is_announced_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(EXACT_VARIABLE, str(tmp_path / "empty-cache"))
    assert main(["run", str(SCENARIOS / "acemoglu_2024.yaml"), "--out",
                 str(tmp_path / "a.nc")]) == 0
    assert capsys.readouterr().err.count("compiling the model's numba kernels") == 1


def test_a_warm_cache_says_nothing(tmp_path, capsys):
    assert main(["run", str(SCENARIOS / "acemoglu_2024.yaml"), "--out",
                 str(tmp_path / "a.nc")]) == 0  # compiled by now in this process's cache
    assert main(["run", str(SCENARIOS / "acemoglu_2024.yaml"), "--out",
                 str(tmp_path / "b.nc")]) == 0
    assert "compiling" not in capsys.readouterr().err.split("wrote")[-1]


@pytest.mark.parametrize("start, end, expected", [
    (2025, 2050, [2030, 2035, 2040, 2045, 2050]), (2025, 2035, [2030, 2035]),
    (2023, 2070, [2033, 2043, 2053, 2063, 2070]), (2025, 2025, [2025])])
def test_milestones_fit_five_columns(start, end, expected):
    assert milestones(np.arange(start, end + 1)) == expected
