"""What to compute: a plan is a list of chunks of draws (rows) and, per chunk, its ParamTable.

Three kinds of plan, all computed by the one loop (:func:`sim.runner.loop.execute`):

- :class:`RunPlan` — a scenario run (:class:`RunSettings`: draws, seed, sampler, chunk size),
  sampled, or central (one draw, or no distributions). A sweep point is a :class:`RunPlan` of
  the point's scenario (the base scenario with ``--set``-style overrides), optionally over a
  window of its draws (:func:`point_plan`).
- :class:`DesignPlan` — explicit parameter rows (e.g. a sensitivity analysis's matrix), every
  parameter not in the design at its central value.

Sampling is chunk-invariant (:func:`sim.sampling.designs.sample` draws rows [start, start +
count) of the whole run), so a plan's results never depend on its chunk size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from sim.errors import InputError, Problem
from sim.scenario.parameters import ParamTable, central_table, numeric_leaves, stochastic_names
from sim.scenario.schema import MAX_SEED, Scenario

if TYPE_CHECKING:
    from sim.sampling.designs import SamplingPlan

# draws per chunk: ~140 kB per draw for 21 sectors x 26 years. 2048 was the fastest end to end
# on the 2-core machine (docs/performance.md): smaller chunks keep the kernel's arrays closer to
# cache, larger ones touch the summary histograms less often.
DEFAULT_CHUNK = 2048
#: rows per chunk of a design (sensitivity matrices are rows of one engine run)
DESIGN_CHUNK = 20_000


@dataclass(frozen=True)
class RunSettings:
    """What a run does beyond the scenario file: draws, seed, sampler, chunk size."""

    draws: int
    seed: int
    sampler: str
    chunk_size: int

    @classmethod
    def from_scenario(cls, scn: Scenario, draws: int | None = None, seed: int | None = None,
                      sampler: str | None = None, chunk_size: int | None = None) -> RunSettings:
        mc = scn.monte_carlo
        seed = int(seed if seed is not None else mc.seed)
        if not 0 <= seed <= MAX_SEED:  # provenance keeps it as an unsigned 64-bit integer
            raise InputError([Problem("arguments", None, "seed", "a seed from 0 to 2**64 - 1",
                                      str(seed))])
        return cls(
            draws=int(draws if draws is not None else mc.draws),
            seed=seed,
            sampler=sampler or mc.sampler,
            chunk_size=int(chunk_size or mc.chunk_size or DEFAULT_CHUNK),
        )


@dataclass(frozen=True)
class Chunk:
    """One unit of work of a plan: rows (draws) [start, start + count); ``index`` is its
    position in the plan (0, 1, ...), the order in which sinks receive chunks."""

    index: int
    start: int
    count: int


class Plan(Protocol):
    """What the loop needs of a plan: the scenario, its rows, its chunks and their tables."""

    scenario: Scenario

    @property
    def first(self) -> int:
        """First row (global draw index) of the plan."""

    @property
    def total(self) -> int:
        """Number of rows (draws) in the plan."""

    def chunks(self) -> list[Chunk]:
        """The chunks, in order, covering rows [first, first + total)."""

    def table(self, chunk: Chunk) -> ParamTable:
        """The parameter values of the chunk's rows."""


def split(first: int, total: int, size: int) -> list[Chunk]:
    """Rows [first, first + total) cut into chunks of at most ``size`` rows."""
    stop = first + total
    return [Chunk(i, start, min(size, stop - start))
            for i, start in enumerate(range(first, stop, size))]


def sampling_plan(scn: Scenario, settings: RunSettings) -> SamplingPlan | None:
    """The sampling plan of the scenario's uncertain parameters, or None when the run is
    central (one draw, or no distributions: every distribution at its mean)."""
    names = stochastic_names(scn)
    if settings.draws == 1 or not names:
        return None
    from sim.sampling.designs import SamplingPlan, validate_correlation

    leaves = numeric_leaves(scn)
    correlation = (validate_correlation(names, [tuple(c) for c in scn.correlations])
                   if scn.correlations else None)
    return SamplingPlan(names=tuple(names), dists=tuple(leaves[k] for k in names),
                        correlation=correlation, sampler=settings.sampler, seed=settings.seed,
                        total=settings.draws)


def parameter_table(scn: Scenario, settings: RunSettings, start: int, count: int,
                    plan: SamplingPlan | None = None, fixed: dict | None = None) -> ParamTable:
    """Parameter values of global draws [start, start + count) of the run: sampled columns for
    distributions (chunk-invariant), fixed values otherwise (``fixed``: those values, when the
    caller has them from an earlier chunk; walking the scenario again costs ~2 ms a chunk)."""
    plan = plan if plan is not None else sampling_plan(scn, settings)
    if plan is None:
        return ParamTable(count, central_table(scn, 1).fixed, {})
    from sim.sampling.designs import sample

    if fixed is None:
        fixed = {k: v for k, v in numeric_leaves(scn).items() if k not in plan.names}
    values = sample(plan, start, count)
    return ParamTable(count, fixed, {k: values[:, c] for c, k in enumerate(plan.names)})


@dataclass(frozen=True, eq=False)
class RunPlan:
    """A scenario run: draws [first, first + count) of a ``settings.draws``-draw run (default:
    all of them), in chunks of ``settings.chunk_size``."""

    scenario: Scenario
    settings: RunSettings
    start: int = 0
    count: int | None = None

    @property
    def first(self) -> int:
        return self.start

    @property
    def total(self) -> int:
        return self.settings.draws - self.start if self.count is None else self.count

    @cached_property
    def sampling(self) -> tuple[SamplingPlan | None, dict | None]:
        """(sampling plan, fixed values), worked out once per plan (pickled with it)."""
        plan = sampling_plan(self.scenario, self.settings)
        fixed = (None if plan is None else
                 {k: v for k, v in numeric_leaves(self.scenario).items() if k not in plan.names})
        return plan, fixed

    def chunks(self) -> list[Chunk]:
        return split(self.first, self.total, self.settings.chunk_size)

    def table(self, chunk: Chunk) -> ParamTable:
        plan, fixed = self.sampling
        return parameter_table(self.scenario, self.settings, chunk.start, chunk.count, plan,
                               fixed)


def point_plan(scn: Scenario, settings: RunSettings, start: int = 0,
               count: int | None = None) -> RunPlan:
    """A sweep point: the run of the point's scenario (``scn``, the base scenario with the
    point's overrides), over draws [start, start + count) of it."""
    return RunPlan(scn, settings, start, count)


@dataclass(frozen=True, eq=False)
class DesignPlan:
    """Explicit parameter rows: ``columns`` holds one value per row for each varied parameter
    (dotted path); every other parameter takes its value from ``fixed``."""

    scenario: Scenario
    fixed: dict[str, Any]
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    chunk_size: int = DESIGN_CHUNK

    @classmethod
    def at_central(cls, scn: Scenario, columns: dict[str, np.ndarray],
                   chunk_size: int = DESIGN_CHUNK) -> DesignPlan:
        """The rows ``columns``, everything else at its central value (distributions at their
        means)."""
        central = central_table(scn, 1).fixed
        fixed = {k: v for k, v in central.items() if k not in columns}
        return cls(scn, fixed, dict(columns), chunk_size)

    @property
    def first(self) -> int:
        return 0

    @property
    def total(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def chunks(self) -> list[Chunk]:
        return split(0, self.total, self.chunk_size)

    def table(self, chunk: Chunk) -> ParamTable:
        stop = chunk.start + chunk.count
        return ParamTable(chunk.count, self.fixed,
                          {k: np.ascontiguousarray(v[chunk.start:stop])
                           for k, v in self.columns.items()})


def parameter_chunks(scn: Scenario, settings: RunSettings) -> Iterator[tuple[int, ParamTable]]:
    """Yield (first draw, ParamTable) per chunk of the run. One draw without distributions, or
    with ``draws: 1``, is the central run (distributions at their means)."""
    plan = RunPlan(scn, settings)
    for chunk in plan.chunks():
        yield chunk.start, plan.table(chunk)
