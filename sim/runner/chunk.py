"""One chunk of draws: compile the kernel inputs, run the numba kernel, then the fused output
pass (paths and/or streamed summaries). What every plan's chunk costs; the run loop
(:mod:`sim.runner.loop`) calls it, in process or on a dask worker."""

from __future__ import annotations

import numpy as np

from sim.model import layout as L
from sim.model.inputs import KernelInputs, compile_inputs
from sim.model.kernel import simulate
from sim.model.outputs import (
    KernelArrays,
    OutputInputs,
    empty_paths,
    new_paths,
    paths_by_name,
)
from sim.model.outputs import chunk_outputs as fused_outputs
from sim.model.variables import output_shapes
from sim.runner.finite import check_finite
from sim.runner.summary import StreamingSummary, SummaryState
from sim.scenario.parameters import ParamTable
from sim.scenario.schema import Scenario


def kernel_outputs(inputs: KernelInputs, n_sectors: int,
                   buffers: dict[str, np.ndarray] | None = None,
                   not_finite: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """Run the kernel on one chunk; return the packed, year-major (agg, sec, cohort) arrays
    (:mod:`sim.model.layout`). ``not_finite`` ((n,) bool, optional) receives the kernel's flag
    of draws with a NaN or infinite value.

    With ``buffers`` (a dict kept across the chunks of one run), the packed arrays are reused
    instead of allocated afresh: touching new memory costs more than the kernel itself. The
    caller must copy what it keeps before the next chunk.
    """
    n, T, J = inputs.n, len(inputs.years), n_sectors
    shapes = {"agg": (T, n, L.N_AGG_COLUMNS), "sec": (T, n, J, L.N_SEC_COLUMNS),
              "cohort": (T, n, J, L.N_COHORTS)}
    arrays = {}
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        held = buffers.get(name) if buffers is not None else None
        if held is None or held.size < size:
            held = np.empty(size)
            if buffers is not None:
                buffers[name] = held
        # a shorter last chunk uses the front of the buffer (contiguous, so one specialisation)
        arrays[name] = held[:size].reshape(shape)
    flags = not_finite if not_finite is not None else np.empty(n, dtype=np.bool_)
    simulate(inputs.years, inputs.scalars, inputs.sector, inputs.size_class, inputs.user_cost,
             inputs.employment_base, inputs.leontief, inputs.network, arrays["agg"],
             arrays["sec"], arrays["cohort"], flags)
    return arrays["agg"], arrays["sec"], arrays["cohort"]


def chunk_outputs(scn: Scenario, table: ParamTable, *, paths: bool = True,
                  summary: StreamingSummary | None = None,
                  buffers: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Simulate one chunk of draws and produce its outputs in one fused pass
    (:func:`sim.model.outputs.chunk_outputs`): the paths of every variable of
    :data:`sim.model.variables.VARIABLES` (``paths``; new arrays, safe to keep when ``buffers`` are
    reused), and/or merged into the running ``summary``. With ``paths=False`` nothing per draw
    is materialised beyond the kernel's own arrays, which is what keeps summary-only runs fast.
    """
    inputs = compile_inputs(scn, table)
    not_finite = np.empty(inputs.n, dtype=np.bool_)
    agg, sec, cohort = kernel_outputs(inputs, len(scn.sectors), buffers, not_finite)
    check_finite(not_finite, table, scn.name)
    T, n, J = sec.shape[0], sec.shape[1], sec.shape[2]
    state = summary.prepare(output_shapes(T, J)) if summary is not None else None
    count = state.reserve(n) if state is not None else 0
    stats = state.arrays() if state is not None else SummaryState.no_arrays()
    written = new_paths(n, T, J) if paths else empty_paths()
    cohort_shares = np.ascontiguousarray(
        inputs.sector[:, :, L.SECTOR_JUNIOR_SHARE:L.SECTOR_SENIOR_SHARE + 1].transpose(1, 2, 0))
    context = OutputInputs(inputs.scalars[:, L.NATURAL_UNEMPLOYMENT].copy(), inputs.real_rate,
                           cohort_shares, inputs.sector_position)
    fused_outputs(KernelArrays(agg, sec, cohort), context, summary is not None, count, stats,
                  paths, written)
    if state is not None:
        state.advance(n)
    return paths_by_name(written) if paths else {}


def chunk_variables(scn: Scenario, table: ParamTable,
                    buffers: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Output variables (names of :data:`sim.model.variables.VARIABLES`) for one chunk of draws;
    every array returned is new (safe to keep when ``buffers`` are reused for the next chunk)."""
    return chunk_outputs(scn, table, buffers=buffers)
