"""Policy robustness over an ensemble of futures (``aisim robustness``, docs/discovery.md).

Each policy scenario (e.g. ``scenarios/flanders/{central,training_push,sme_support,
traineeships,rd_5pct}.yaml``) is swept over the **same** design of futures (one sweep spec:
the uncertain assumptions and their ranges, the same points and seed for every policy; common
random numbers within points). For an outcome ``o`` (a term of :mod:`sim.analysis.expression`,
e.g. ``employment_gain_pct[year=2035]``), with policies ``i`` and futures ``j``:

- the **distribution** of ``o_ij`` over futures per policy (mean, 5/50/95 % quantiles);
- the **regret** ``R_ij = max_k o_kj - o_ij`` (or ``o_ij - min_k o_kj`` when lower is better):
  how much worse policy ``i`` does in future ``j`` than the best policy in that future
  (Savage 1951; the minimax-regret criterion of robust decision making, Lempert et al. 2003);
  its mean and maximum over futures;
- the **share of futures** in which a condition holds (``--threshold``, an expression such as
  ``unemployment_rate[year=2035] < 0.06``): a satisficing criterion.

Futures in which any policy's point failed are left out for all policies (and counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError, Problem


@dataclass
class Robustness:
    policies: list[str]
    outcome: str
    lower_is_better: bool
    values: np.ndarray          # (policy, future)
    meets: np.ndarray | None    # (policy, future) bool
    threshold: str | None
    futures: int
    dropped: int
    stores: list[Path]

    @property
    def regret(self) -> np.ndarray:
        v = self.values
        return v - v.min(axis=0) if self.lower_is_better else v.max(axis=0) - v

    def table(self) -> Any:
        """One row per policy: the outcome's distribution, regret, share meeting the
        threshold, and rank by maximum regret (1 = most robust)."""
        import pandas as pd

        v, r = self.values, self.regret
        df = pd.DataFrame({
            "mean": v.mean(axis=1), "p05": np.quantile(v, 0.05, axis=1),
            "median": np.median(v, axis=1), "p95": np.quantile(v, 0.95, axis=1),
            "mean_regret": r.mean(axis=1), "max_regret": r.max(axis=1),
            "best_in": (r == 0).mean(axis=1)}, index=self.policies)
        if self.meets is not None:
            df["meets_threshold"] = self.meets.mean(axis=1)
        df["rank_max_regret"] = df["max_regret"].rank(method="min").astype(int)
        df.index.name = "policy"
        return df

    def report(self) -> str:
        df = self.table()
        better = "lower" if self.lower_is_better else "higher"
        lines = [f"{len(self.policies)} policies x {self.futures} futures"
                 + (f" ({self.dropped} left out: a point failed)" if self.dropped else "")
                 + f"; outcome {self.outcome} ({better} is better)"]
        head = (f"  {'policy':<28s}{'mean':>9s}{'p05':>9s}{'median':>9s}{'p95':>9s}"
                f"{'regret':>9s}{'max reg':>9s}{'best in':>9s}")
        if self.meets is not None:
            head += f"{'meets':>9s}"
        lines.append(head)
        for name, row in df.iterrows():
            line = (f"  {name:<28s}{row['mean']:9.3f}{row['p05']:9.3f}{row['median']:9.3f}"
                    f"{row['p95']:9.3f}{row['mean_regret']:9.3f}{row['max_regret']:9.3f}"
                    f"{row['best_in']:9.0%}")
            if self.meets is not None:
                line += f"{row['meets_threshold']:9.0%}"
            lines.append(line)
        if self.meets is not None:
            lines.append(f"meets: share of futures with {self.threshold}")
        best = df.sort_values(["max_regret", "mean_regret"]).index[0]
        lines.append(f"most robust (smallest maximum regret): {best}")
        return "\n".join(lines)


def _policy_name(path: Path) -> str:
    return path.stem


def robustness(policies: list[str | Path], spec: Any, outcome: str, *,
               threshold: str | None = None, lower_is_better: bool = False,
               out_dir: str | Path = "out/robustness", scheduler: str | None = None,
               workers: int | None = None, quiet: bool = True) -> Robustness:
    """Sweep every policy scenario over the futures of ``spec`` (a
    :class:`~sim.analysis.sweep_spec.SweepSpec`; stores in ``out_dir``, resumed or reused when
    they exist) and compare them (module docstring)."""
    from sim.analysis.expression import evaluate, parse, parse_term, resolve
    from sim.analysis.sweep import open_sweep, plan_sweep, run_sweep

    if len(policies) < 2:
        raise InputError([Problem.command_line("POLICY", "at least two policy scenarios",
                                               str(len(policies)))])
    refs = [parse_term(outcome, "--outcome")]
    if threshold is not None:
        parse(threshold, "--threshold")
    paths = [Path(p) for p in policies]
    for p in paths:
        if not p.is_file():
            raise InputError([Problem.command_line("POLICY", "a scenario file", str(p))])
    names = [_policy_name(p) for p in paths]
    if len(set(names)) != len(names):
        raise InputError([Problem.command_line("POLICY", "scenario files with distinct names",
                                               ", ".join(names))])
    plans = [plan_sweep(p, spec) for p in paths]
    for p, plan in zip(paths[1:], plans[1:], strict=True):
        if plan.points != plans[0].points or plan.seed != plans[0].seed \
                or plan.draws != plans[0].draws:
            raise InputError([Problem(str(p), None, "futures", "the same sweep points, seed and"
                                      f" draws as {paths[0]}", "different ones",
                                      "give the sweep a seed: (--seed or seed: in the spec)")])
    out = Path(out_dir)
    stores = []
    for name, plan in zip(names, plans, strict=True):
        res = run_sweep(plan, out / f"{name}.zarr", scheduler=scheduler, workers=workers,
                        quiet=quiet)
        stores.append(res.path)
    values, meets = [], []
    for store in stores:
        ds = open_sweep(store)
        lead = tuple(plans[0].dims)
        values.append(resolve(ds, refs[0], lead, outcome, "--outcome")
                      .transpose(*lead).values.ravel().astype(float))
        if threshold is not None:
            meets.append(np.asarray(evaluate(ds, threshold, lead, "--threshold")
                                    .transpose(*lead).values).ravel().astype(bool))
    v = np.array(values)
    ok = np.isfinite(v).all(axis=0)
    if not ok.any():
        raise InputError([Problem.command_line("--outcome", "futures where every policy ran",
                                               "none (every future failed for some policy)")])
    return Robustness(names, refs[0].label(), lower_is_better, v[:, ok],
                      np.array(meets)[:, ok] if meets else None, threshold, int(ok.sum()),
                      int((~ok).sum()), stores)



def figure(result: Robustness) -> Any:
    """Outcome distribution per policy (box plots over futures), regret per policy, and the
    share of futures meeting the threshold."""
    import matplotlib.pyplot as plt

    n = 3 if result.meets is not None else 2
    fig, axes = plt.subplots(1, n, figsize=(4.8 * n, 0.5 * len(result.policies) + 2.6),
                             sharey=True)
    y = np.arange(len(result.policies))
    for ax, data, title in ((axes[0], result.values, f"{result.outcome}\nover futures"),
                            (axes[1], result.regret, "regret vs the best policy\nin each "
                             "future")):
        ax.boxplot(list(data), orientation="horizontal", positions=y, widths=0.6, whis=(5, 95),
                   showmeans=True, meanprops={"marker": "d", "markerfacecolor": "white",
                                               "markeredgecolor": "black"})
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[1].set_xlabel("0 = best in that future")
    axes[0].set_yticks(y, result.policies)
    axes[0].invert_yaxis()
    if result.meets is not None:
        share = result.meets.mean(axis=1)
        axes[2].barh(y, share, color="tab:green")
        for yi, s in zip(y, share, strict=True):
            axes[2].text(min(s + 0.02, 0.9), yi, f"{s:.0%}", va="center", fontsize=9)
        axes[2].set_xlim(0, 1)
        axes[2].set_title(f"share of futures with\n{result.threshold}", fontsize=10)
    fig.suptitle(f"policy robustness over {result.futures} futures (whiskers 5-95 %, "
                 "diamond = mean)", fontsize=11)
    fig.tight_layout()
    return fig
