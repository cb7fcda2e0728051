"""The explorer's controls: which scenario key each one sets, its unit, its range in the page and
its default (the scenario's own value). No web library here: the page (:mod:`.app`) draws these,
:mod:`.request` turns their values into ``--set``-style overrides for the scenario loader.

A control's range in the page is a convenient window inside the schema's bounds (a test loads
every control at both ends); the loader, not this table, decides what is valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from sim.scenario.loader import LoadedScenario
from sim.scenario.parameters import is_distribution, numeric_leaves
from sim.scenario.schema import SIZE_CLASSES

Kind = Literal["number", "switch", "optional"]

#: the policy-rate control: the path's level in the start year; moving it shifts the whole
#: path (every knot) by the same amount (see :func:`rate_level` and docs/explorer.md)
RATE_LEVEL = "rates.policy_rate.level"


@dataclass(frozen=True)
class Control:
    """One control: ``key`` is the scenario's dotted key (what ``--set`` takes), except the
    policy-rate level (:data:`RATE_LEVEL`), which shifts the whole ``rates.policy_rate`` path."""

    key: str
    label: str
    unit: str
    low: float
    high: float
    step: float
    group: str
    kind: Kind = "number"
    #: the value shown when the scenario leaves the key unset (``null``)
    unset: float | None = None
    #: what leaving an optional key unset means
    unset_means: str = ""

    @property
    def scenario_key(self) -> str:
        """The scenario key the control changes."""
        return "rates.policy_rate" if self.key == RATE_LEVEL else self.key


def _size_controls() -> list[Control]:
    out = []
    for size in SIZE_CLASSES:
        base = f"diffusion.size_classes.{size}"
        out.append(Control(f"{base}.ceiling", f"Adoption ceiling, {size} firms", "share of firms",
                           0.0, 1.0, 0.01, "Adoption by firm size"))
        out.append(Control(f"{base}.midpoint", f"Adoption midpoint, {size} firms", "year",
                           2015.0, 2060.0, 0.5, "Adoption by firm size"))
        out.append(Control(f"{base}.steepness", f"Adoption speed, {size} firms",
                           "slope of the S-curve, 1/year", 0.05, 4.0, 0.01,
                           "Adoption by firm size"))
    return out


#: every control, in page order (groups in the order they first appear)
CONTROLS: tuple[Control, ...] = (
    Control("ai.exposure.ceiling", "Exposure ceiling", "share of tasks", 0.0, 1.0, 0.01,
            "Tasks and AI", "optional", unset=0.5,
            unset_means="unset: each sector's exposure stays at its E0"),
    Control("ai.exposure.midpoint", "Exposure midpoint", "year", 2020.0, 2060.0, 0.5,
            "Tasks and AI"),
    Control("ai.profitable_share.start", "Profitable share", "share of exposed tasks", 0.0, 1.0,
            0.01, "Tasks and AI"),
    Control("ai.cost_saving", "Cost saving", "share of a task's labour cost", 0.0, 1.0, 0.01,
            "Tasks and AI"),
    Control("ai.parkinson_rebound", "Parkinson rebound", "share of saved time", 0.0, 1.0, 0.01,
            "Tasks and AI"),
    *_size_controls(),
    Control("diffusion.intensity.start", "Intensity of use, first year",
            "share of tasks moved to AI", 0.0, 1.0, 0.01, "Adoption by firm size"),
    Control("diffusion.intensity.ceiling", "Intensity of use, long run",
            "share of tasks moved to AI", 0.0, 1.0, 0.01, "Adoption by firm size"),
    Control("jcurve.lag", "J-curve lag", "years", 1.0, 15.0, 0.5, "J-curve"),
    Control("jcurve.intangible_drag", "J-curve drag", "output dip per unit of new adoption",
            0.0, 2.0, 0.05, "J-curve"),
    Control("labour.automation_share", "Automation share psi", "share of affected tasks",
            0.0, 1.0, 0.01, "Labour"),
    Control("labour.reinstatement", "Reinstatement rho", "new tasks per automated task",
            0.0, 1.0, 0.01, "Labour"),
    Control(RATE_LEVEL, "Policy rate in the start year, whole path shifted", "annual rate",
            -0.02, 0.10, 0.0025, "Rates and capital"),
    Control("rates.premium", "Risk and term premium", "annual rate", -0.02, 0.10, 0.0025,
            "Rates and capital"),
    Control("rates.capital_supply_elasticity", "Capital supply elasticity",
            "elasticity to the user cost", 0.5, 10.0, 0.1, "Rates and capital", "optional",
            unset=3.0, unset_means="unset: the user cost follows the rate path"),
    Control("feedback.enabled", "Demand feedback", "on/off", 0.0, 1.0, 1.0, "Demand", "switch"),
    Control("policy.sme_support.ceiling_uplift", "SME support: adoption ceiling uplift",
            "share", 0.0, 0.5, 0.01, "Policy levers"),
    Control("policy.sme_support.midpoint_advance", "SME support: midpoint advance", "years",
            0.0, 10.0, 0.5, "Policy levers"),
    Control("policy.training.extra_spending_pp", "Training: extra spending", "pp of GDP",
            0.0, 2.0, 0.05, "Policy levers"),
    Control("labour.cohorts.traineeship_offset", "Traineeships: junior penalty offset",
            "share of the penalty", 0.0, 1.0, 0.01, "Policy levers"),
    Control("policy.rd.intensity", "R&D intensity", "R&D / GDP", 0.0, 0.1, 0.0025,
            "Policy levers"),
)

BY_KEY: dict[str, Control] = {c.key: c for c in CONTROLS}


def groups() -> list[tuple[str, list[Control]]]:
    """The controls by group, in page order."""
    out: dict[str, list[Control]] = {}
    for c in CONTROLS:
        out.setdefault(c.group, []).append(c)
    return list(out.items())


@dataclass(frozen=True)
class Default:
    """A control's default from a scenario: the value shown, and how the file states it
    (a number, a distribution, a path, or unset). ``stated`` is the file's value itself (a
    number, a distribution, a rate path or None), from which a moved control is built
    (:func:`sim.present.explorer.shift.move`)."""

    value: float | bool | None
    note: str
    stated: Any = None

    @property
    def uncertain(self) -> bool:
        """Whether the file gives the parameter a distribution (any knot of a rate path)."""
        if isinstance(self.stated, dict):
            return any(is_distribution(v) for v in self.stated.values())
        return is_distribution(self.stated)


def _resolved(loaded: LoadedScenario, key: str) -> Any:
    data: Any = loaded.resolved
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def rate_level(path: Any, start: int) -> float:
    """The policy-rate path's value in the start year, as the run interpolates it (linear
    between knots, flat outside; a distribution at its mean)."""
    if not isinstance(path, dict):
        return _central(path)
    knots = sorted(path)
    return float(np.interp(start, knots, [_central(path[k]) for k in knots]))


def _rate_default(loaded: LoadedScenario) -> Default:
    path = loaded.scenario.rates.policy_rate
    start = loaded.scenario.horizon.start
    level = rate_level(path, start)
    if isinstance(path, dict):
        note = f"path {_path_text(path)}; the slider shifts every knot by the same amount"
    elif is_distribution(path):
        note = f"flat, uncertain: {path.describe()}; shown at its mean"
    else:
        note = f"flat {_fmt(level)}"
    return Default(level, note, path)


def _path_text(path: dict[int, Any]) -> str:
    return ", ".join(f"{y}: {_fmt(_central(v))}" for y, v in sorted(path.items()))


def _central(value: Any) -> float:
    return float(value.mean()) if is_distribution(value) else float(value)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _number_default(value: Any, note: str = "") -> Default:
    if is_distribution(value):
        return Default(float(value.mean()), f"uncertain: {value.describe()}; shown at its "
                       "mean, the slider moves the mean and keeps the spread", value)
    return Default(float(value), note, value)


def default(loaded: LoadedScenario, control: Control) -> Default:
    """The scenario's value of ``control`` (a distribution at its mean, noted)."""
    if control.key == RATE_LEVEL:
        return _rate_default(loaded)
    if control.kind == "switch":
        return Default(bool(_resolved(loaded, control.key)), "")
    leaves = numeric_leaves(loaded.scenario)
    if control.key in leaves:
        return _number_default(leaves[control.key])
    if control.kind == "optional":
        return Default(None, "not set in the scenario")
    raise KeyError(f"{control.key} is not a numeric key of scenario {loaded.scenario.name}")


def defaults(loaded: LoadedScenario) -> dict[str, Default]:
    """Every control's default in a scenario."""
    return {c.key: default(loaded, c) for c in CONTROLS}


def slider_value(control: Control, value: float | bool | None) -> float:
    """Where the slider sits for a value (an unset optional at its ``unset`` value; a value
    outside the page's range at the nearest end)."""
    if value is None or isinstance(value, bool):
        return float(control.unset if control.unset is not None else control.low)
    if not math.isfinite(value):
        return control.low
    return min(max(float(value), control.low), control.high)
