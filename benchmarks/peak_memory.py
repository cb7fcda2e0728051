"""Wall time and peak resident memory of one ``aisim run`` in a child process.

Usage: ``python benchmarks/peak_memory.py [--draws N] [--chunk-size C] [--workdir DIR]``.
Writes the 21-sector benchmark scenario (:func:`benchmarks.cases.flanders_a21`: the Flemish
A*21 calibration with its uncertainty file, one extra section, the central scenario's
distributions) to the work directory, runs
``aisim run <scenario> --draws N --summary-only --out x.nc --quiet`` and prints one JSON line:
``{"draws", "sectors", "years", "wall_s", "peak_rss_mb", "returncode"}``. Peak memory is the
child's ``ru_maxrss`` (``resource.getrusage(RUSAGE_CHILDREN)`` in an intermediate process, so
only this run counts), kB on Linux.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import cases  # noqa: E402


def measure(draws: int, workdir: Path, chunk_size: int | None = None,
            timeout: float | None = None) -> dict[str, float | int]:
    scenario = cases.write(cases.flanders_a21(), workdir, "bench_a21.yaml")
    out = workdir / "x.nc"
    aisim = Path(sys.executable).with_name("aisim")
    command = [str(aisim) if aisim.exists() else sys.executable, *(
        [] if aisim.exists() else ["-m", "sim.cli"]),
        "run", str(scenario), "--draws", str(draws), "--summary-only", "--out", str(out),
        "--quiet"]
    if chunk_size:
        command += ["--chunk-size", str(chunk_size)]
    # measure in a fresh grandchild so that ru_maxrss of RUSAGE_CHILDREN is this run's alone
    code = ("import resource, subprocess, sys, time, json\n"
            "t = time.perf_counter()\n"
            f"rc = subprocess.run({command!r}).returncode\n"
            "wall = time.perf_counter() - t\n"
            "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(json.dumps({'wall_s': wall, 'peak_rss_mb': rss / 1024, 'returncode': rc}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=timeout, env={**os.environ}, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    record = json.loads(result.stdout.strip().splitlines()[-1])
    if record["returncode"] != 0:
        raise RuntimeError(f"aisim run failed: {result.stderr[-2000:]}")
    scn = cases.load(scenario).scenario
    record.update(draws=draws, sectors=len(scn.sectors),
                  years=scn.horizon.end - scn.horizon.start + 1)
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aisim-rss-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(json.dumps(measure(args.draws, workdir, args.chunk_size)))


if __name__ == "__main__":
    main()
