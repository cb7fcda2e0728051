"""How much disk a run's full paths take, said before they are written (issue 16, item 11).

Every output variable of :mod:`sim.model.variables` is one float64 per draw and year (and
sector, and age cohort): an aggregate variable takes ``draws x years`` values, a sector variable
``draws x years x sectors``, a cohort variable ``draws x years x sectors x 3``. The files are
compressed (netCDF: gzip level 4, :class:`~sim.runner.sinks.NetCDFSink`; zarr: its default
compressor), which keeps about :data:`COMPRESSED_SHARE` of the bytes of a Monte Carlo over
uncertain parameters; the estimate on disk is that share of the raw size
(tests/test_output_size.py compares it with real files).

Before a run writes every draw's paths (:func:`sim.runner.stream.run_to_store`, ``aisim run
--out`` without ``--summary-only``) it checks the estimate (:func:`check_output_size`):

- more than the free space on the output's file system: refused with
  :class:`~sim.errors.OutputError` (``aisim run`` exits 4) unless ``force``;
- at least :data:`BIG_OUTPUT_BYTES` (1 GB): one line saying so and suggesting
  ``--summary-only``, whose file does not grow with the number of draws.
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass
from pathlib import Path

from sim.errors import OutputError
from sim.model.variables import AGG, COH, COHORTS, SEC, TABLE

#: bytes of one stored value (every output is float64)
BYTES_PER_VALUE = 8
#: share of the raw bytes left after compression, measured on ``flanders_central`` (28
#: uncertain parameters, 10 sectors, 26 years) with 1,000 and 2,000 draws: 0.710 and 0.707 in
#: netCDF, 0.709 in zarr; ``global_intelligence_crisis_2028`` 0.686. Draws that are all alike
#: (a scenario without uncertain parameters) compress to a few percent: for them the estimate
#: is an upper bound.
COMPRESSED_SHARE = 0.71
#: a full output at least this large (on disk, estimated) is announced before it is written
BIG_OUTPUT_BYTES = 1_000_000_000


@dataclass(frozen=True)
class OutputSize:
    """The full paths of ``draws`` draws: how many values, raw bytes and bytes on disk."""

    draws: int
    values: int

    @property
    def raw_bytes(self) -> int:
        return self.values * BYTES_PER_VALUE

    @property
    def disk_bytes(self) -> int:
        """The estimate on disk, compressed."""
        return int(self.raw_bytes * COMPRESSED_SHARE)


def values_per_draw(years: int, sectors: int) -> int:
    """Values one draw adds to a full output: every variable's cells."""
    cells = {AGG: years, SEC: years * sectors, COH: years * sectors * len(COHORTS)}
    return sum(cells[v.dims] for v in TABLE)


def full_output_size(draws: int, years: int, sectors: int) -> OutputSize:
    """The size of every draw's paths of every output variable (:data:`TABLE`)."""
    return OutputSize(draws, draws * values_per_draw(years, sectors))


def human(n: float) -> str:
    """``1.7 GB``, ``340 MB``, ``12 kB`` (powers of 1,000, like ``df -H``)."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            value = n / scale
            return f"{value:.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    return f"{int(n)} B"


def free_bytes(path: Path) -> int | None:
    """Free bytes (for this user) on the file system that will hold ``path``: that of its
    nearest existing ancestor; None when it cannot be told."""
    here = Path(path).absolute().parent
    while not here.exists() and here != here.parent:
        here = here.parent
    try:
        return shutil.disk_usage(here).free
    except OSError:
        return None


def check_output_size(out: Path, size: OutputSize, force: bool = False,
                      free: int | None = None) -> str | None:
    """Refuse or announce a full output (module docstring). Returns the one-line note to show
    (None for an ordinary size); raises :class:`~sim.errors.OutputError` when the estimate
    exceeds the free space and not ``force``. ``free``: the free bytes (default: measured,
    :func:`free_bytes`)."""
    free = free_bytes(out) if free is None else free
    need = size.disk_bytes
    room = f"{human(free)} free there" if free is not None else "free space unknown"
    what = f"the full paths of {size.draws:,} draws take about {human(need)}"
    if free is not None and need > free:
        if not force:
            raise OutputError(str(out), f"{what}, and only {human(free)} are free on its file "
                              "system; add --summary-only to write only the statistics over "
                              "draws, or --force to try anyway", errno.ENOSPC)
        return f"{what} in {out} ({room}): writing anyway (--force)"
    if need >= BIG_OUTPUT_BYTES:
        return f"{what} in {out} ({room}); --summary-only writes only statistics over draws"
    return None
