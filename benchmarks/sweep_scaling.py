"""Measure a summary sweep end to end: time per point, compute vs store (docs/scaling.md).

    python -m benchmarks.sweep_scaling --points 1000 --draws 1000 --workers 2 [--batch N]

LHS design over ``ai.cost_saving`` of ``scenarios/flanders_central.yaml`` (Flanders, A10
sectors), all variables unless ``--var``; a real dask LocalCluster on loopback with
``--workers`` single-threaded workers (0: in process). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--var", action="append", default=[])
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "flanders_central.yaml"))
    args = ap.parse_args()
    from sim.analysis.sweep import parse_spec, plan_sweep, run_sweep

    t0 = time.perf_counter()
    spec = parse_spec(design="lhs", points=args.points, ranges=["ai.cost_saving=0.14:0.40"],
                      draws=args.draws, seed=1, batch=args.batch, variables=args.var)
    plan = plan_sweep(args.scenario, spec)
    t_plan = time.perf_counter() - t0
    tmp = Path(tempfile.mkdtemp(prefix="aisim-scale-"))
    try:
        t1 = time.perf_counter()
        if args.workers:
            from distributed import Client, LocalCluster

            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None,
                              silence_logs=40) as lc, Client(lc) as client:
                t_cluster = time.perf_counter() - t1
                res = run_sweep(plan, tmp / "s.zarr", client=client)
        else:
            t_cluster = 0.0
            res = run_sweep(plan, tmp / "s.zarr")
        wall = time.perf_counter() - t1
        files = sum(1 for p in (tmp / "s.zarr").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (tmp / "s.zarr").rglob("*") if p.is_file())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = len(plan.points)
    print(json.dumps({
        "points": n, "draws": plan.draws, "workers": args.workers, "batch": plan.batch,
        "batches": len(plan.batches), "variables": len(plan.variables),
        "plan_s": round(t_plan, 2), "cluster_start_s": round(t_cluster, 2),
        "wall_s": round(wall, 2), "sweep_s": round(res.seconds, 2),
        "compute_s_per_point": round(res.compute_seconds / n, 4),
        "store_s_per_point": round(res.store_seconds / n, 5),
        "store_share": round(res.store_seconds / res.compute_seconds, 4),
        "wall_s_per_point": round(res.seconds / n, 4), "failed": len(res.failed),
        "files": files, "store_mb": round(size / 1e6, 1)}))


if __name__ == "__main__":
    main()
