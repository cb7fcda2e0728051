"""``aisim compare``: run several scenarios and set their headline results side by side.

For each scenario file the command runs the central path (``draws: 1``, or no distributions) or
a Monte Carlo (``--draws N`` > 1 on a scenario with distributions) and reports, at the
scenario's horizon, the TFP, GDP and labour-productivity gains (median and 5-95 % interval over
draws), the employment gain and the change in the unemployment rate. Each entry of the
scenario's ``references:`` list (:class:`sim.scenario.schema.Reference`) adds a row with the
published number, the model's number, their difference and whether it is within the stated
tolerance; ``reproduced: false`` rows are checked against the documented model number
(``expected``).

``aisim compare scenarios/published/*.yaml --markdown docs/replication.md`` is the project's
replication table (tests/test_compare.py regenerates it and fails when it drifts). Output is
deterministic: fixed rounding, no timestamps, rows in the order of the files given.
"""

from __future__ import annotations

import csv
import glob
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import InputError, Problem
from sim.scenario import library

#: headline columns: (label, variable); gains in log points vs the same draw's no-AI baseline
HEADLINES: tuple[tuple[str, str], ...] = (
    ("TFP %", "tfp_gain_pct"),
    ("GDP %", "gdp_gain_pct"),
    ("Labour productivity %", "labour_productivity_gain_pct"),
    ("Employment %", "employment_gain_pct"),
    ("Unemployment pp", "unemployment_rate_change_pp"),
)
#: above this many draws, runs stream through bounded-memory summaries (sim.runner.stream)
STREAM_ABOVE = 2000
LOW, MID, HIGH = 0.05, 0.5, 0.95

_SHORT = {
    "tfp_gain_pct": "TFP",
    "tfp_direct_gain_pct": "TFP direct",
    "gdp_gain_pct": "GDP",
    "labour_productivity_gain_pct": "labour productivity",
    "employment_gain_pct": "employment",
    "unemployment_rate_change_pp": "unemployment (pp)",
    "automated_work_share": "automated work share",
}


@dataclass(frozen=True)
class Stat:
    """Median and 5-95 % interval over draws (equal when there is one draw)."""

    median: float
    low: float
    high: float

    def text(self, digits: int = 2, interval: bool = True) -> str:
        mid = _num(self.median, digits)
        if not interval or (self.low == self.high == self.median):
            return mid
        return f"{mid} [{_num(self.low, digits)}, {_num(self.high, digits)}]"


@dataclass(frozen=True)
class RefCheck:
    """One published number against the model."""

    label: str
    published: float
    model: float
    tolerance: float
    reproduced: bool
    expected: float | None
    status: str
    source: str
    note: str
    statistic: str
    model_low: float = math.nan
    model_high: float = math.nan

    @property
    def difference(self) -> float:
        return self.model - self.published

    @property
    def ok(self) -> bool:
        return self.status in ("reproduced", "documented gap")


@dataclass
class ScenarioResult:
    """Headline statistics of one scenario at its horizon and its reference checks."""

    file: str
    name: str
    horizon: int
    draws: int
    headlines: dict[str, Stat]
    references: list[RefCheck] = field(default_factory=list)
    #: the run's summary Dataset (``stat`` layout, :mod:`sim.runner.summary`)
    summary: Any = field(default=None, repr=False, compare=False)


def _num(x: float, digits: int) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    text = f"{x:.{digits}f}"
    return "0." + "0" * digits if text in ("-0." + "0" * digits,) else text


def expand_files(files: Sequence[str]) -> list[Path]:
    """Paths as given; an unexpanded glob pattern (no shell) is expanded, sorted."""
    out: list[Path] = []
    problems: list[Problem] = []
    for f in files:
        if any(ch in f for ch in "*?[") and not Path(f).exists():
            matches = sorted(glob.glob(f))
            if not matches:
                problems.append(Problem("command line", None, "FILES",
                                        "a pattern matching scenario files", repr(f)))
            out.extend(Path(m) for m in matches)
        elif library.is_name(f):  # aisim:NAME, a shipped scenario
            found = library.lookup(f)
            if found is None:
                problems.append(Problem("command line", None, "FILES", library.expected_names(),
                                        repr(f), library.suggestion(f)))
            else:
                out.append(found)
        else:
            out.append(Path(f))
    for p in out:
        if not p.is_file():
            problems.append(Problem("command line", None, "FILES", "an existing scenario file",
                                    str(p)))
    if problems:
        raise InputError(problems)
    return out


def _display(path: Path) -> str:
    """The path relative to the working directory when below it (stable output), else as is."""
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix() \
            if path.resolve().is_relative_to(Path.cwd().resolve()) else path.as_posix()
    except ValueError:
        return path.as_posix()


def _summary(loaded: Any, draws: int | None, seed: int | None) -> Any:
    """Summary statistics over draws (exact in memory, or streamed for many draws)."""
    from sim.runner.engine import RunSettings, run
    from sim.runner.stream import run_to_store
    from sim.runner.summary import summarize

    settings = RunSettings.from_scenario(loaded.scenario, draws, seed)
    if settings.draws <= STREAM_ABOVE:
        return summarize(run(loaded, draws=settings.draws, seed=settings.seed))
    return run_to_store(loaded, settings, None, summary_only=True, quiet=True).summary


def _median_path(summary: Any, var: str, where: str) -> Any:
    if var not in summary.data_vars:
        raise InputError([Problem(where, None, "references.variable",
                                  "an output variable (see sim/model/variables.py)", var)])
    from sim.runner.summary import summary_quantiles

    da = summary_quantiles(summary[var])
    extra = [d for d in da.dims if d not in ("quantile", "year")]
    if extra:
        raise InputError([Problem(where, None, "references.variable",
                                  "an economy-wide variable with dims (draw, year)",
                                  f"{var} with dims {tuple(da.dims)}")])
    return da


def check_reference(ref: Any, summary: Any, start: int, where: str) -> RefCheck:
    """Evaluate one :class:`sim.scenario.schema.Reference` on a run's summary."""
    da = _median_path(summary, ref.variable, where)
    years = [int(y) for y in summary["year"].values]
    short = _SHORT.get(ref.variable, ref.variable)
    if ref.statistic == "year_reached":
        path = da.sel(quantile=MID).values
        hits = [y for y, v in zip(years, path, strict=True) if v >= ref.threshold]
        model = float(hits[0]) if hits else math.nan
        low = high = model
        label = f"{short} reaches {ref.threshold:g}: year"
    else:
        if ref.year not in years:
            raise InputError([Problem(where, None, "references.year",
                                      f"a simulated year ({years[0]}-{years[-1]})",
                                      str(ref.year))])
        model, low, high = (float(da.sel(quantile=q, year=ref.year)) for q in (MID, LOW, HIGH))
        if ref.statistic == "per_year":
            if ref.year == start:
                raise InputError([Problem(where, None, "references.year",
                                          "a year after the horizon start for per_year",
                                          str(ref.year))])
            model, low, high = (x / (ref.year - start) for x in (model, low, high))
            label = f"{short}, pp a year {start}-{ref.year}"
        else:
            label = f"{short} in {ref.year}"
    target = ref.value if ref.reproduced else ref.expected
    within = not math.isnan(model) and abs(model - target) <= ref.tolerance + 1e-9
    if ref.reproduced:
        status = "reproduced" if within else "NOT REPRODUCED"
    else:
        status = "documented gap" if within else "GAP DRIFTED"
    return RefCheck(label=label, published=float(ref.value), model=model,
                    tolerance=float(ref.tolerance), reproduced=bool(ref.reproduced),
                    expected=ref.expected, status=status, source=ref.source,
                    note=" ".join(ref.note.split()), statistic=ref.statistic,
                    model_low=low, model_high=high)


def compare(files: Sequence[str | os.PathLike[str]], draws: int | None = None,
            seed: int | None = None) -> list[ScenarioResult]:
    """Load every file first (all input validated before any run), then run and summarise."""
    from sim.scenario.loader import load_scenario

    paths = expand_files([str(f) for f in files])
    loaded, problems = [], []
    for p in paths:
        try:
            loaded.append(load_scenario(p))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    results = []
    for path, item in zip(paths, loaded, strict=True):
        scn = item.scenario
        summary = _summary(item, draws, seed)
        end = scn.horizon.end
        heads = {}
        from sim.runner.summary import summary_quantiles

        for _, var in HEADLINES:
            q = summary_quantiles(summary[var]).sel(year=end)
            heads[var] = Stat(*(float(q.sel(quantile=p)) for p in (MID, LOW, HIGH)))
        where = _display(path)
        refs = [check_reference(r, summary, scn.horizon.start, where) for r in scn.references]
        results.append(ScenarioResult(file=where, name=scn.name, horizon=end,
                                      draws=int(summary.attrs.get("summary_of_draws", 1)),
                                      headlines=heads, references=refs, summary=summary))
    return results


def comparison_dataset(results: Sequence[ScenarioResult]) -> Any:
    """The scenarios' summaries side by side along a leading ``scenario`` dim (coordinate:
    scenario names, made unique by the file stem when two share a name; ``scenario_file``
    along it), what ``aisim compare --out`` writes and ``aisim plot --kind compare`` draws.
    Years or sectors that only some scenarios have are NaN for the others."""
    import xarray as xr

    names: list[str] = []
    for r in results:
        name = r.name if r.name not in names else f"{r.name} ({Path(r.file).stem})"
        names.append(name)
    parts = [r.summary.expand_dims(scenario=[n]) for r, n in zip(results, names, strict=True)]
    ds = xr.concat(parts, dim="scenario", join="outer", combine_attrs="override",
                   data_vars="all", coords="minimal", compat="override")
    ds.attrs = {}
    ds = ds.assign_coords(scenario_file=("scenario", [r.file for r in results]))
    ds["scenario"].attrs.update(long_name="Scenario")
    first = results[0].summary.attrs if results else {}
    ds.attrs.update({k: v for k, v in first.items()
                     if k in ("aisim_version", "conventions", "Conventions")})
    ds.attrs.update(title="aisim scenario comparison: " + ", ".join(names),
                    scenario_name=", ".join(names), comparison_of=len(names),
                    summary_of_draws=min(int(r.summary.attrs.get("summary_of_draws", 1))
                                         for r in results) if results else 0,
                    scenario_sha256=" ".join(str(r.summary.attrs.get("scenario_sha256", ""))
                                             for r in results),
                    seed=" ".join(dict.fromkeys(str(r.summary.attrs.get("seed", ""))
                                                for r in results)))
    return ds


# --------------------------------------------------------------------------- tables
COLUMNS = ("scenario", "year", "draws", *(h[0] for h in HEADLINES), "reference", "published",
           "model", "difference", "tolerance", "status")


def _ref_digits(r: RefCheck) -> int:
    return 0 if r.statistic == "year_reached" else 3 if r.statistic == "per_year" else 2


def table_rows(results: Sequence[ScenarioResult], interval: bool = True) -> list[list[str]]:
    """Text cells, one row per reference (one row for a scenario without references);
    the scenario's headline cells are left empty on its continuation rows."""
    rows = []
    for res in results:
        head = [res.name, str(res.horizon), str(res.draws),
                *(res.headlines[v].text(2, interval) for _, v in HEADLINES)]
        refs = res.references or [None]
        for i, r in enumerate(refs):
            left = head if i == 0 else [""] * len(head)
            if r is None:
                rows.append([*left, "(none)", "", "", "", "", ""])
                continue
            d = _ref_digits(r)
            status = r.status if r.reproduced or r.status != "documented gap" else \
                f"documented gap (model {_num(r.expected, d)})"
            rows.append([*left, r.label, _num(r.published, d), _num(r.model, d),
                         _num(r.difference, d), _num(r.tolerance, d), status])
    return rows


def text_table(results: Sequence[ScenarioResult]) -> str:
    rows = table_rows(results)
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    line = "  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]
    return "\n".join(out)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(results: Sequence[ScenarioResult]) -> str:
    rows = table_rows(results)
    left = {"scenario", "reference", "status"}
    out = ["| " + " | ".join(COLUMNS) + " |",
           "|" + "|".join("---" if c in left else "---:" for c in COLUMNS) + "|"]
    out += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def _files_text(files: Sequence[str]) -> str:
    """``dir/*.yaml`` when the files are exactly that folder's YAML files, else the list."""
    folders = {Path(f).parent.as_posix() for f in files}
    if len(folders) == 1 and len(files) > 1:
        folder = folders.pop()
        every = sorted(Path(p).as_posix() for p in glob.glob(f"{folder}/*.yaml"))
        if sorted(files) == every:
            return f"{folder}/*.yaml"
    return " ".join(files)


def markdown_document(results: Sequence[ScenarioResult], title: str, options: str = "",
                      out: str = "OUT.md") -> str:
    """The Markdown page: title, column guide, how to regenerate, the table, notes."""
    files = [r.file for r in results]
    command = f"aisim compare {_files_text(files)}{options} --markdown {out}"
    draws = sorted({r.draws for r in results})
    lines = [
        f"# {title}", "",
        "Generated by `aisim compare` (sim/analysis/compare.py); do not edit by hand. Regenerate "
        "from the repository root with", "", "```", command, "```", "",
        "Columns: **scenario** (the file's `name`), **year** (the horizon at which the "
        "headline columns are read), **draws** (1 = the central run with every distribution "
        "at its mean; otherwise a Monte Carlo, shown as median [5 %, 95 %]), **TFP % / GDP % / "
        "Labour productivity % / Employment %** (gains in the horizon year, 100 x log "
        "difference from the same draw's no-AI baseline), **Unemployment pp** (unemployment "
        "rate minus the natural rate, percentage points). Then one row per published number "
        "in the file's `references:` list: **reference** (what is compared: a level in a "
        "year, an average in pp a year since the horizon start, or the first year a share "
        "is reached), **published** (the study's number), **model** (this model's median), "
        "**difference** (model - published), **tolerance** (stated in the file), "
        "**status**: *reproduced* (within tolerance), *documented gap* (the file says the "
        "model cannot reproduce the study and records its own number, shown in brackets; the "
        "model is within tolerance of that), *NOT REPRODUCED* or *GAP DRIFTED* (a failure). "
        "Each file's header comment gives the source table or page and every assumption "
        "added; docs/scenarios.md describes the files.", "",
        f"Draws per scenario: {', '.join(str(d) for d in draws)}.", "",
        markdown_table(results), "",
    ]
    notes = [(r_.name, c) for r_ in results for c in r_.references if c.note]
    if notes:
        lines += ["Notes from the files' `references:` entries:", ""]
        lines += [f"- **{name}**, {c.label}: {c.note} (source: {c.source})" for name, c in notes]
        lines.append("")
    return "\n".join(lines)


def write_csv(results: Sequence[ScenarioResult], path: str | os.PathLike[str]) -> None:
    from sim.atomic import atomic_write

    header = ["file", "scenario", "year", "draws"]
    for _, var in HEADLINES:
        header += [f"{var}_median", f"{var}_p5", f"{var}_p95"]
    header += ["reference", "statistic", "published", "model", "difference", "tolerance",
               "reproduced", "expected", "status", "source", "note"]
    with atomic_write(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for res in results:
            base = [res.file, res.name, res.horizon, res.draws]
            for _, var in HEADLINES:
                s = res.headlines[var]
                base += [_num(s.median, 4), _num(s.low, 4), _num(s.high, 4)]
            for r in res.references or [None]:
                if r is None:
                    w.writerow([*base, *[""] * 11])
                    continue
                w.writerow([*base, r.label, r.statistic, _num(r.published, 4),
                            _num(r.model, 4), _num(r.difference, 4), _num(r.tolerance, 4),
                            str(r.reproduced).lower(),
                            "" if r.expected is None else _num(r.expected, 4), r.status,
                            r.source, r.note])


def write_markdown(text: str, path: str | os.PathLike[str]) -> None:
    from sim.atomic import atomic_write

    with atomic_write(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
