"""The golden set: hashes of every output of every shipped scenario, one sweep, one sensitivity
run and one streamed summary, at a few dozen draws with fixed seeds.

It pins the numbers bit for bit, so a refactoring that claims to leave results unchanged can
prove it (``tests/test_golden.py``). Regenerate it only when the economics changes on purpose,
and say why in the commit:

    python tests/golden_results.py --write     # rewrite tests/golden/golden.json
    python tests/golden_results.py             # compare, print what differs (exit 1 if any)

Only the public surface is used (``sim.run`` and the ``aisim`` command line), so the golden set
outlives any rearrangement of the modules behind it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden" / "golden.json"
DRAWS = 24
SEED = 20261201
NOT_RESULTS = {"chunk_seconds"}  # wall-clock times, not results


def scenario_files() -> list[Path]:
    """Every shipped scenario file (sweep specifications excluded), in a stable order."""
    files = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml") if "sweeps" not in p.parts)
    return files


def array_hash(values: Any) -> str:
    """sha256 (first 20 hex digits) of the float64 bytes of an array, in C order."""
    array = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
    digest = hashlib.sha256(str(array.shape).encode())
    digest.update(array.tobytes())
    return digest.hexdigest()[:20]


def dataset_record(ds: Any) -> dict[str, Any]:
    """Hash of every data variable, and one readable check number (the mean over all its
    values) so that a mismatch says how far off it is."""
    record: dict[str, Any] = {}
    for name in sorted(ds.data_vars):
        values = np.asarray(ds[name].values)
        if name in NOT_RESULTS or not np.issubdtype(values.dtype, np.number):
            continue
        finite = values[np.isfinite(values)]
        record[name] = {"sha": array_hash(values),
                        "mean": float(finite.mean()) if finite.size else None}
    return record


def _cli(argv: list[str]) -> None:
    from sim.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    if code != 0:
        raise RuntimeError(f"aisim {' '.join(argv)} exited {code}")


def compute() -> dict[str, dict[str, Any]]:
    """Every golden case: {case name: {variable: {sha, mean}}}."""
    import xarray as xr

    import sim
    from sim.runner.summary import to_flat

    cases: dict[str, dict[str, Any]] = {}
    for path in scenario_files():
        ds = sim.run(path, draws=DRAWS, seed=SEED)
        cases[f"run:{path.relative_to(ROOT).as_posix()}"] = dataset_record(ds)
    with tempfile.TemporaryDirectory() as tmp:
        central = str(ROOT / "scenarios" / "flanders_central.yaml")
        summary = Path(tmp) / "summary.nc"
        _cli(["run", central, "--draws", "300", "--seed", str(SEED), "--chunk-size", "128",
              "--summary-only", "--out", str(summary), "--quiet"])
        with xr.open_dataset(summary, engine="h5netcdf") as ds:
            # kept under the flat names of aisim up to 0.4 (X_mean, X_quantile, ...): the
            # summary's arrays byte for byte, so the golden set did not change with the layout
            cases["run-summary-only:flanders_central"] = dataset_record(to_flat(ds.load()))
        store = Path(tmp) / "sweep.zarr"
        _cli(["sweep", central, "--spec", str(ROOT / "scenarios/sweeps/cost_saving_grid.yaml"),
              "--draws", "16", "--chunk", "8", "--out", str(store), "--quiet"])
        with xr.open_zarr(store) as ds:
            cases["sweep:cost_saving_grid"] = dataset_record(ds.load())
        indices = Path(tmp) / "sensitivity.nc"
        _cli(["sensitivity", central, "--method", "sobol", "--n", "16", "--seed", str(SEED),
              "--resamples", "20", "--year", "2030", "--year", "2050", "--out", str(indices),
              "--quiet"])
        with xr.open_dataset(indices, engine="h5netcdf") as ds:
            cases["sensitivity:sobol"] = dataset_record(ds.load())
    return cases


def differences(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Human-readable lines for every case or variable that is missing, new or different."""
    lines: list[str] = []
    for case in sorted(set(expected) | set(got)):
        if case not in got:
            lines.append(f"{case}: missing")
            continue
        if case not in expected:
            lines.append(f"{case}: new case (not in the golden set)")
            continue
        want, have = expected[case], got[case]
        for var in sorted(set(want) | set(have)):
            if var not in have:
                lines.append(f"{case} {var}: missing")
            elif var not in want:
                lines.append(f"{case} {var}: new variable")
            elif want[var]["sha"] != have[var]["sha"]:
                lines.append(f"{case} {var}: differs (mean {want[var]['mean']!r} -> "
                             f"{have[var]['mean']!r})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite tests/golden/golden.json")
    args = parser.parse_args(argv)
    got = compute()
    if args.write:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        meta = {"draws": DRAWS, "seed": SEED,
                "regenerate": "python tests/golden_results.py --write"}
        GOLDEN.write_text(json.dumps({"meta": meta, "cases": got}, indent=1, sort_keys=True)
                          + "\n")
        print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(got)} cases")
        return 0
    expected = json.loads(GOLDEN.read_text())["cases"]
    lines = differences(expected, got)
    print("\n".join(lines) if lines else f"all {len(got)} golden cases bit-identical")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
