"""Streamed, bounded-memory runs: chunks of draws written to netCDF or zarr, plus summaries.

A :class:`~sim.runner.plan.RunPlan` plus a :class:`~sim.runner.sinks.SummarySink` and, unless
summary-only, a file sink (:func:`sim.runner.sinks.store_sink`) through the one loop
(:func:`sim.runner.loop.execute`). Each chunk's paths are written as soon as they are computed
(netCDF through h5netcdf slices, zarr by appending along ``draw``) into a temporary name that is
renamed onto the final path only when the run completes, so an interrupted run never leaves a
half-written file under the final name. Summaries (:mod:`sim.runner.summary`) are accumulated
on the way. Before every draw's paths are written their size is estimated
(:mod:`sim.runner.size`): refused when it exceeds the free space (unless ``force``), announced
when it is large.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from sim.progress import Progress
from sim.runner.loop import execute
from sim.runner.plan import RunPlan, RunSettings
from sim.runner.results import COHORTS, provenance, sector_coords
from sim.runner.sinks import Sink, SummarySink, store_sink
from sim.runner.size import check_output_size, full_output_size
from sim.scenario.loader import LoadedScenario


@dataclass(frozen=True)
class StreamResult:
    summary: xr.Dataset
    path: Path | None


def _coords(loaded: LoadedScenario, draws: int) -> dict[str, Any]:
    scn = loaded.scenario
    return {"draw": np.arange(draws), "year": np.arange(scn.horizon.start, scn.horizon.end + 1),
            **sector_coords(scn),
            "cohort": np.array(COHORTS, dtype=object)}


def output_size_note(loaded: LoadedScenario, settings: RunSettings, out: Path,
                     force: bool = False) -> str | None:
    """:func:`sim.runner.size.check_output_size` for this run's full paths in ``out``: the
    note to show, or None; :class:`~sim.errors.OutputError` when they do not fit."""
    scn = loaded.scenario
    size = full_output_size(settings.draws, scn.horizon.end - scn.horizon.start + 1,
                            len(scn.sector_codes))
    return check_output_size(Path(out), size, force)


def run_to_store(loaded: LoadedScenario, settings: RunSettings, out: Path | None = None,
                 summary_only: bool = False, quiet: bool = True, force: bool = False,
                 announce: bool = True) -> StreamResult:
    """Run chunk by chunk; write every draw's paths to ``out`` (.nc or .zarr) unless
    ``summary_only``; always return the summaries. Peak memory is a few chunks.

    Full paths whose estimated size exceeds the free space on ``out``'s file system are
    refused (:class:`~sim.errors.OutputError`) unless ``force``; a large one is announced as a
    warning of the ``aisim`` logger unless not ``announce`` (:func:`output_size_note`)."""
    scn = loaded.scenario
    if out is not None and not summary_only:
        note = output_size_note(loaded, settings, out, force)
        if note and announce:
            logging.getLogger("aisim").warning(note)
    coords = _coords(loaded, settings.draws)
    attrs = provenance(scn.name, loaded.sha256, settings.seed, settings.sampler,
                       settings.draws, loaded.source)
    summary = SummarySink(coords={k: v for k, v in coords.items() if k != "draw"}, attrs=attrs)
    sinks: list[Sink] = [summary]
    if out is not None and not summary_only:
        sinks.append(store_sink(out, coords, attrs, settings.chunk_size))
    progress = Progress(settings.draws, enabled=None if not quiet else False)
    try:
        execute(RunPlan(scn, settings), sinks, progress=progress)
    finally:
        progress.close()
    return StreamResult(summary.result(), out if not summary_only else None)
