"""``aisim compare`` (sim/analysis/compare.py): the table, its CSV/Markdown/PNG outputs, bad
input, and the committed replication table docs/replication.md, which must not drift."""

from __future__ import annotations

import csv

import pytest

from sim.analysis.compare import compare, markdown_document
from sim.cli import main
from sim.errors import InputError
from tests.conftest import ROOT, SCENARIOS

REPLICATION = ROOT / "docs" / "replication.md"
TITLE = "Replication of published studies"


def test_replication_table_is_up_to_date(monkeypatch):
    """Regenerate docs/replication.md exactly as its header says; fail on any drift."""
    monkeypatch.chdir(ROOT)
    files = sorted(p.relative_to(ROOT).as_posix()
                   for p in (SCENARIOS / "published").glob("*.yaml"))
    results = compare(files)
    text = markdown_document(results, TITLE, f" --title '{TITLE}'", "docs/replication.md")
    assert "aisim compare scenarios/published/*.yaml" in text
    assert text == REPLICATION.read_text(encoding="utf-8"), (
        "docs/replication.md is stale: regenerate it with the command in its header")
    assert all(c.ok for r in results for c in r.references)


def test_cli_writes_csv_markdown_png(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    files = ["scenarios/published/acemoglu_2024_baseline.yaml",
             "scenarios/published/oecd_2024_sc1.yaml"]
    out_csv, out_md, out_png = tmp_path / "t.csv", tmp_path / "t.md", tmp_path / "t.png"
    code = main(["compare", *files, "--csv", str(out_csv), "--markdown", str(out_md),
                 "--png", str(out_png), "--strict"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "acemoglu-2024-baseline" in printed and "documented gap" in printed
    rows = list(csv.DictReader(out_csv.open()))
    assert [r["scenario"] for r in rows] == ["acemoglu-2024-baseline"] * 2 + [
        "oecd-2024-sc1"] * 2
    assert rows[0]["published"] == "0.6600" and rows[0]["status"] == "reproduced"
    assert rows[3]["reproduced"] == "false" and rows[3]["expected"] == "0.3030"
    md = out_md.read_text()
    assert md.startswith("# Scenario comparison") and "| scenario | year |" in md
    assert out_png.read_bytes()[:4] == b"\x89PNG"
    # deterministic: a second run gives the same bytes
    main(["compare", *files, "--markdown", str(tmp_path / "u.md"), "--quiet"])
    assert (tmp_path / "u.md").read_text() == md.replace(str(out_md), str(tmp_path / "u.md"))


def test_monte_carlo_shows_an_interval(capsys):
    code = main(["compare", str(SCENARIOS / "flanders_central.yaml"), "--draws", "16",
                 "--seed", "3"])
    assert code == 0
    out = capsys.readouterr().out
    assert "[" in out and "(none)" in out
    res = compare([SCENARIOS / "flanders_central.yaml"], draws=16, seed=3)[0]
    stat = res.headlines["tfp_gain_pct"]
    assert res.draws == 16 and stat.low < stat.median < stat.high


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    good = str(SCENARIOS / "published" / "acemoglu_2024_peng.yaml")
    assert main(["compare", str(tmp_path / "missing.yaml")]) == 2
    assert main(["compare", good, "--csv", str(tmp_path / "t.txt")]) == 2
    assert main(["compare", str(tmp_path / "*.yaml")]) == 2  # a pattern matching nothing
    assert not list(tmp_path.iterdir())
    err = capsys.readouterr().err
    assert "expected" in err


def test_reference_to_an_unknown_or_sector_variable_is_an_input_error(write_yaml):
    from tests.conftest import scenario_dict

    for variable in ("no_such_variable", "sector_tfp_gain_pct"):
        data = scenario_dict(references=[{"variable": variable, "year": 2030, "value": 1.0,
                                          "tolerance": 0.1, "source": "test"}])
        path = write_yaml(data, f"{variable}.yaml")
        with pytest.raises(InputError, match="references.variable"):
            compare([path])


def test_reference_year_outside_the_horizon_is_an_input_error(write_yaml):
    from tests.conftest import scenario_dict

    data = scenario_dict(references=[{"variable": "tfp_gain_pct", "year": 2099,
                                      "statistic": "per_year", "value": 1.0,
                                      "tolerance": 0.1, "source": "test"}])
    with pytest.raises(InputError, match="references.year"):
        compare([write_yaml(data)])
