"""Comparison table for the benchmark suite.

    python benchmarks/compare.py                 # run the suite, then print the table
    python benchmarks/compare.py results.json    # table from a pytest-benchmark JSON file
    python benchmarks/compare.py -- -k scale     # run part of the suite (args after --)

Columns: best time of each benchmark, throughput in sector-years per second (draws x years x
sectors / best time) and nanoseconds per sector-year; then the implementation ratios (numba vs
numpy vs plain Python, targets >= 5x and >= 100x), the end-to-end 100k-draw wall time against
its 5 s target with a per-stage breakdown, compile and cached start-up times, peak memory, and
the start-up of ``aisim --help`` and ``import sim`` as ratios to ``python -c pass``.
The same table is printed at the end of ``pytest benchmarks/ --benchmark-only``
(benchmarks/conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _best(bench: dict) -> float:
    return float(bench["stats"]["min"])


def table(benchmarks: list[dict]) -> str:
    """Render benchmark records (pytest-benchmark JSON ``benchmarks`` entries) as text."""
    lines: list[str] = []
    by_group: dict[str, list[dict]] = {}
    for bench in benchmarks:
        by_group.setdefault(bench.get("group") or "", []).append(bench)

    lines.append(f"{'group':<16} {'benchmark':<44} {'best':>10} {'sector-yr/s':>12} "
                 f"{'ns/sector-yr':>12}")
    for group in sorted(by_group):
        for bench in by_group[group]:
            info = bench.get("extra_info", {})
            best = _best(bench)
            sy = info.get("sector_years")
            rate = f"{sy / best:12.3g}" if sy else " " * 12
            ns = f"{1e9 * best / sy:12.1f}" if sy else " " * 12
            lines.append(f"{group:<16} {bench['name'][:44]:<44} {best:9.4f}s {rate} {ns}")

    impl = {b["extra_info"].get("implementation"): _best(b)
            for b in by_group.get("implementations", [])}
    if "numba" in impl:
        lines.append("")
        small = by_group["implementations"][0]["extra_info"]
        lines.append(f"implementations ({small['draws']} draws x {small['years']} years x "
                     f"{small['sectors']} sectors, {small.get('threads', '?')} numba threads):")
        for other, target in (("numpy", 5.0), ("python", 100.0)):
            if other in impl:
                ratio = impl[other] / impl["numba"]
                verdict = "meets" if ratio >= target else "MISSES"
                lines.append(f"  numba is {ratio:7.1f}x faster than {other:<6} "
                             f"(target >= {target:g}x: {verdict})")
        if "numpy" in impl and "python" in impl:
            lines.append(f"  numpy is {impl['python'] / impl['numpy']:7.1f}x faster than python")

    for group, key in (("scale-draws", "draws"), ("scale-sectors", "sectors"),
                       ("scale-years", "years")):
        benches = sorted(by_group.get(group, []), key=lambda b: b["extra_info"][key])
        if len(benches) > 1:
            first = benches[0]
            steps = ", ".join(
                f"x{b['extra_info'][key] / first['extra_info'][key]:g} {key} -> "
                f"x{_best(b) / _best(first):.2f} time" for b in benches[1:])
            lines.append(f"{group}: {steps} (linear: time ratio = size ratio)")

    for bench in by_group.get("end-to-end", []):
        info = bench["extra_info"]
        best = _best(bench)
        verdict = "meets" if best < info.get("target_s", 5.0) else "MISSES"
        lines.append("")
        lines.append(f"end-to-end: {info['draws']:,} draws x {info['years']} years x "
                     f"{info['sectors']} sectors, sampling + kernel + summaries: {best:.2f} s "
                     f"(target < {info.get('target_s', 5.0):g} s: {verdict})")
        stages = info.get("breakdown_s")
        if stages:
            scale = info["draws"] / info["breakdown_draws"]
            total = sum(stages.values())
            parts = ", ".join(f"{k} {v * scale:.2f} s ({100 * v / total:.0f} %)"
                              for k, v in stages.items())
            lines.append(f"  per stage, scaled from {info['breakdown_draws']:,} draws: {parts}")

    for bench in by_group.get("startup", []):
        info = bench["extra_info"]
        lines.append("")
        lines.append(f"start-up: compile (empty cache) {info['compile_s']:.2f} s "
                     f"(child process {info['compile_process_wall_s']:.2f} s); cached "
                     f"{info['cached_s']:.3f} s (child process "
                     f"{info['cached_process_wall_s']:.2f} s, of which imports and scenario "
                     f"{info['import_and_setup_s']:.2f} s)")

    for bench in by_group.get("memory", []):
        info = bench["extra_info"]
        verdict = "meets" if info["peak_rss_mb"] < info.get("target_rss_mb", 4096) else "MISSES"
        lines.append("")
        lines.append(f"memory: aisim run --summary-only, {info['draws']:,} draws x "
                     f"{info['years']} years x {info['sectors']} sectors: {info['wall_s']:.1f} s,"
                     f" peak RSS {info['peak_rss_mb']:.0f} MB (target < 4096 MB: {verdict})")

    launches = {b["extra_info"]["command"]: _best(b) for b in by_group.get("start-up", [])}
    if "python -c pass" in launches:
        ref = launches["python -c pass"]
        lines.append("")
        lines.append(f"start-up (child processes, best times; ratio to python -c pass, "
                     f"{ref:.3f} s):")
        for command, best in launches.items():
            lines.append(f"  {command:<34} {best:7.3f} s {best / ref:6.1f}x")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv and argv[0] != "--":
        data = json.loads(Path(argv[0]).read_text())
    else:
        extra = argv[1:] if argv else []
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "bench.json"
            env = {**os.environ, "AISIM_BENCH_NO_TABLE": "1"}
            code = subprocess.call([sys.executable, "-m", "pytest", str(ROOT / "benchmarks"),
                                    "--benchmark-only", f"--benchmark-json={out}", "-q",
                                    "-p", "no:cacheprovider", *extra], cwd=ROOT, env=env)
            if code != 0 or not out.exists():
                return code or 1
            data = json.loads(out.read_text())
    machine = data.get("machine_info", {})
    print(f"\n{data.get('datetime', '')}  python {machine.get('python_version', '?')}  "
          f"cpu {machine.get('cpu', {}).get('brand_raw', '?')}")
    print(table(data["benchmarks"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
