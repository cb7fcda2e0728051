"""Streamed, bounded-memory runs: chunks of draws written to netCDF or zarr, plus summaries.

Each chunk's paths are written as soon as they are computed (netCDF through h5netcdf slices,
zarr by appending along ``draw``) into a temporary name that is renamed onto the final path
only when the run completes, so an interrupted run never leaves a half-written file under the
final name. Summaries (:mod:`sim.runner.summary`) are accumulated on the way.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from sim.atomic import atomic_path
from sim.errors import InputError, Problem
from sim.progress import Interrupt, Progress
from sim.runner.engine import RunSettings, chunk_outputs, parameter_chunks
from sim.runner.results import COHORTS, VARIABLES, describe, provenance
from sim.runner.summary import StreamingSummary
from sim.scenario.loader import LoadedScenario


@dataclass(frozen=True)
class StreamResult:
    summary: xr.Dataset
    path: Path | None


def _coords(loaded: LoadedScenario, draws: int) -> dict[str, np.ndarray]:
    scn = loaded.scenario
    return {"draw": np.arange(draws), "year": np.arange(scn.horizon.start, scn.horizon.end + 1),
            "sector": np.array(scn.sector_codes, dtype=object),
            "cohort": np.array(COHORTS, dtype=object)}


class _NetCDFWriter:
    """Create every variable up front with its full shape, then fill draw slices."""

    def __init__(self, path: Path, coords: dict[str, np.ndarray], attrs: dict) -> None:
        import h5netcdf

        # coordinates and attributes through xarray (string coordinates handled there), then
        # data variables are added and filled slice by slice with h5netcdf
        skeleton = xr.Dataset(coords={k: (k, v.astype(str) if v.dtype == object else v)
                                      for k, v in coords.items()}, attrs=attrs)
        describe(skeleton).to_netcdf(path, engine="h5netcdf")
        self.file = h5netcdf.File(path, "a")
        self.created: set[str] = set()

    def write(self, start: int, chunk: dict[str, np.ndarray], chunk_rows: int) -> None:
        for name, values in chunk.items():
            spec = VARIABLES[name]
            if name not in self.created:
                shape = [self.file.dimensions[d].size for d in spec.dims]
                chunks = tuple(min(chunk_rows, s) if d == "draw" else s
                               for d, s in zip(spec.dims, shape, strict=True))
                var = self.file.create_variable(name, spec.dims, dtype="f8", chunks=chunks,
                                                compression="gzip", compression_opts=4)
                var.attrs.update(units=spec.units, long_name=spec.long_name)
                self.created.add(name)
            self.file.variables[name][start:start + values.shape[0]] = values

    def close(self) -> None:
        self.file.close()


def _chunk_dataset(chunk: dict[str, np.ndarray], coords: dict[str, np.ndarray],
                   start: int) -> xr.Dataset:
    n = next(iter(chunk.values())).shape[0]
    ds = xr.Dataset({k: (VARIABLES[k].dims, v) for k, v in chunk.items()},
                    coords={**{k: v for k, v in coords.items() if k != "draw"},
                            "draw": np.arange(start, start + n)})
    return describe(ds)


def _replace_dir(tmp: Path, final: Path) -> None:
    backup = None
    if final.exists():
        backup = final.with_name(f".{final.name}.old")
        if backup.exists():
            shutil.rmtree(backup)
        os.replace(final, backup)
    os.replace(tmp, final)
    if backup is not None:
        shutil.rmtree(backup)


def run_to_store(loaded: LoadedScenario, settings: RunSettings, out: Path | None = None,
                 summary_only: bool = False, quiet: bool = True) -> StreamResult:
    """Run chunk by chunk; write every draw's paths to ``out`` (.nc or .zarr) unless
    ``summary_only``; always return the summaries. Peak memory is a few chunks."""
    scn = loaded.scenario
    coords = _coords(loaded, settings.draws)
    attrs = provenance(scn.name, loaded.sha256, settings.seed, settings.sampler,
                       settings.draws, loaded.source)
    summary = StreamingSummary(dims={k: v.dims for k, v in VARIABLES.items()},
                               coords={k: v for k, v in coords.items() if k != "draw"},
                               attrs=attrs)
    writer = None
    tmp: Path | None = None
    if out is not None and not summary_only:
        if out.suffix == ".nc":
            tmp = atomic_path(out)
            writer = _NetCDFWriter(tmp, coords, attrs)
        elif out.suffix == ".zarr":
            try:
                import zarr  # noqa: F401
            except ImportError:
                raise InputError([Problem("command line", None, "--out",
                                          "zarr installed for a .zarr output",
                                          "zarr missing",
                                          "pip install 'aisim[distributed]'")]) from None
            tmp = out.with_name(f".{out.name}.part-{os.getpid()}")
            if tmp.exists():
                shutil.rmtree(tmp)
        else:
            raise InputError([Problem("command line", None, "--out",
                                      "a path ending in .nc or .zarr", str(out))])
    progress = Progress(settings.draws, enabled=None if not quiet else False)
    buffers: dict[str, np.ndarray] = {}
    try:
        for start, table in parameter_chunks(scn, settings):
            Interrupt.check()
            chunk = chunk_outputs(scn, table, paths=tmp is not None, summary=summary,
                                  buffers=buffers)
            if writer is not None:
                writer.write(start, chunk, settings.chunk_size)
            elif tmp is not None:
                ds = _chunk_dataset(chunk, coords, start)
                if start == 0:
                    ds.attrs.update(attrs)
                    ds.to_zarr(tmp, mode="w-", consolidated=True)
                else:
                    ds.to_zarr(tmp, append_dim="draw", consolidated=True)
            progress.update(table.n)
        Interrupt.check()
        if writer is not None:
            writer.close()
            writer = None
            os.replace(tmp, out)
        elif tmp is not None:
            _replace_dir(tmp, out)
        tmp = None
    finally:
        progress.close()
        if writer is not None:
            writer.close()
        if tmp is not None and tmp.exists():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink()
    var_attrs = {k: {"units": v.units, "long_name": v.long_name} for k, v in VARIABLES.items()}
    return StreamResult(summary.result(var_attrs), out if not summary_only else None)
