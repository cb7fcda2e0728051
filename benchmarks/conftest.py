"""Print the comparison table (benchmarks/compare.py) after ``pytest benchmarks/``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sim.model.cache import configure_numba_cache  # noqa: E402

configure_numba_cache()  # before any kernel is imported


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if os.environ.get("AISIM_BENCH_NO_TABLE"):  # compare.py prints it itself
        return
    session = getattr(config, "_benchmarksession", None)
    records = [b.as_dict(include_data=False) for b in getattr(session, "benchmarks", [])
               if getattr(b, "has_error", False) is False]
    if not records:
        return
    from benchmarks.compare import table

    terminalreporter.write_sep("-", "aisim benchmark comparison (benchmarks/compare.py)")
    terminalreporter.write_line(table(records))
