"""Scenario discovery on a sweep store: which combinations of the swept assumptions lead to an
outcome of interest (``aisim discover STORE --where EXPR``, docs/discovery.md).

The cases are the sweep's points (failed points left out), the inputs the swept scenario keys
(the sweep's coordinates), the outcome of interest ``y`` the ``--where`` expression
(:mod:`sim.analysis.expression`). Three methods, as in RAND's robust decision making and the
EMA Workbench (Kwakkel 2017):

- **PRIM** (Friedman & Fisher 1999; the EMA Workbench's implementation): peels the input box
  in steps of ``peel_alpha`` towards higher density; every step of the peeling trajectory has a
  *coverage* (share of all cases of interest inside the box) and a *density* (share of the cases
  inside the box that are of interest). The box shown is the one with the highest coverage
  among those with density >= ``threshold`` (else the densest), or ``box=N``.
- **CART** (Breiman et al. 1984; the Workbench's wrapper of scikit-learn's tree): the leaves
  whose majority is of interest, each a box.
- **Feature scoring**: extra-trees (Geurts et al. 2006) impurity importances of each input for
  ``y`` (classification) and for the first variable of the expression (regression).

Needs the optional extra ``discovery`` (ema-workbench, scikit-learn).
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import InputError, Problem

INSTALL_HINT = "pip install 'aisim[discovery]' (ema-workbench and scikit-learn)"


def require_discovery() -> None:
    """Raise a one-line :class:`InputError` when the ``discovery`` extra is missing."""
    try:
        import sklearn  # noqa: F401
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import ema_workbench.analysis.prim  # noqa: F401
    except ImportError as exc:
        raise InputError([Problem.command_line(
            "discover", "the optional packages ema-workbench and scikit-learn",
            f"missing ({exc.name})", INSTALL_HINT)]) from None


# ------------------------------------------------------------------------------ the cases
@dataclass
class Cases:
    """The sweep's points as cases: inputs ``x`` (one column per swept key), the condition
    ``y``, the expression's first variable ``value`` and the points kept."""

    x: Any                        # pandas.DataFrame
    y: np.ndarray                 # bool
    value: np.ndarray             # float
    value_name: str
    points: np.ndarray            # flat indices of the kept points
    dropped: int                  # failed points or NaN outcomes
    ranges: dict[str, tuple[float, float]]


def sweep_inputs(ds: Any) -> tuple[tuple[str, ...], dict[str, np.ndarray]]:
    """The sweep dimensions and, per swept key, its value at every point (flattened, C order)."""
    dims = tuple(json.loads(ds.attrs.get("sweep_dims", "[]")))
    if not dims:
        raise InputError([Problem.command_line("STORE", "a sweep store (aisim sweep)",
                                               "a store without sweep_dims")])
    spec = json.loads(ds.attrs.get("sweep_spec", "{}"))
    params = list(spec.get("params") or [])
    if dims != ("point",):  # a grid: the dimensions are the keys
        mesh = np.meshgrid(*[ds[d].values for d in dims], indexing="ij")
        return dims, {d: m.ravel().astype(float) for d, m in zip(dims, mesh, strict=True)}
    return dims, {p: np.asarray(ds[p].values, dtype=float) for p in params if p in ds.coords}


def cases(ds: Any, where: str) -> Cases:
    """The points of the store ``ds`` with ``y`` = the expression ``where``."""
    import pandas as pd

    from sim.analysis.expression import evaluate, parse, resolve, variables

    dims, inputs = sweep_inputs(ds)
    y = evaluate(ds, where, dims)
    first = variables(parse(where))[0]
    value = resolve(ds, first, dims, where).transpose(*dims).values.ravel().astype(float)
    yv = np.asarray(y.transpose(*dims).values).ravel().astype(bool)
    ok = np.isfinite(value)
    if "point_ok" in ds:
        ok &= np.asarray(ds["point_ok"].transpose(*dims).values).ravel() == 1
    varying = {k: v for k, v in inputs.items() if np.ptp(v) > 0}
    if not varying:
        raise InputError([Problem.command_line("STORE", "a sweep that varies at least one "
                                               "scenario key", "none varied")])
    x = pd.DataFrame({k: v[ok] for k, v in varying.items()})
    points = np.flatnonzero(ok)
    return Cases(x, yv[ok], value[ok], first.label(), points, int((~ok).sum()),
                 {k: (float(v.min()), float(v.max())) for k, v in varying.items()})


# ------------------------------------------------------------------------------ results
@dataclass
class Box:
    """A box of inputs: ``limits`` {key: (low, high)} of its restricted keys, and its stats."""

    coverage: float
    density: float
    mass: float
    limits: dict[str, tuple[float, float]]
    index: int = -1               # PRIM: the step of the peeling trajectory

    def describe(self, ranges: dict[str, tuple[float, float]]) -> list[str]:
        lines = []
        for key, (lo, hi) in self.limits.items():
            flo, fhi = ranges[key]
            if lo <= flo and hi >= fhi:
                continue
            if lo <= flo:
                text = f"{key} <= {hi:.4g}"
            elif hi >= fhi:
                text = f"{key} >= {lo:.4g}"
            else:
                text = f"{lo:.4g} <= {key} <= {hi:.4g}"
            lines.append(f"{text}   (swept {flo:.4g} .. {fhi:.4g})")
        return lines or ["(no restriction: every point)"]


@dataclass
class Discovery:
    where: str
    cases: Cases
    trajectory: Any = None        # pandas.DataFrame: coverage, density, mass, res_dim per step
    box: Box | None = None
    cart: list[Box] = field(default_factory=list)
    scores: Any = None            # pandas.DataFrame: input x [meets condition, value]
    threshold: float = 0.8
    chosen: bool = False          # the box was chosen with box=N

    def report(self) -> str:
        c = self.cases
        n, k = len(c.y), int(c.y.sum())
        lines = [f"{n} point(s), {k} meet {self.where!r} ({k / max(n, 1):.1%})"
                 + (f"; {c.dropped} failed point(s) left out" if c.dropped else "")]
        if k in (0, n):
            lines.append(("every point meets the condition" if k else "no point meets the "
                          "condition") + ": no box separates them (change the --where "
                          "threshold or widen the sweep)")
        if self.trajectory is not None:
            t = self.trajectory
            lines.append("PRIM peeling trajectory (coverage / density trade-off):")
            lines.append("   box  coverage  density   mass  restricted keys")
            step = max(1, math.ceil(len(t) / 12))
            shown = sorted(set(range(0, len(t), step)) | {len(t) - 1}
                           | ({self.box.index} if self.box else set()))
            for i in shown:
                row = t.iloc[i]
                mark = " <" if self.box is not None and i == self.box.index else ""
                lines.append(f"  {i:4d}  {row['coverage']:8.3f} {row['density']:8.3f} "
                             f"{row['mass']:6.3f}  {int(row['res_dim'])}{mark}")
        if self.box is not None:
            b = self.box
            lines.append(f"PRIM box {b.index}: coverage {b.coverage:.3f}, density "
                         f"{b.density:.3f}, mass {b.mass:.3f}"
                         + (":" if b.density >= self.threshold or self.chosen else
                            f" (no step reaches density {self.threshold:g}: the densest):"))
            lines += ["  " + s for s in b.describe(c.ranges)]
        for i, b in enumerate(self.cart):
            lines.append(f"CART box {i}: coverage {b.coverage:.3f}, density {b.density:.3f}, "
                         f"mass {b.mass:.3f}:")
            lines += ["  " + s for s in b.describe(c.ranges)]
        if self.scores is not None:
            lines.append("feature scores (extra trees; share of importance) for meeting the "
                         f"condition and for the value of {c.value_name}:")
            cols = list(self.scores.columns)
            lines.append("  " + f"{'input':<32s}" + "".join(f"{col:>18s}" for col in cols))
            for key, row in self.scores.iterrows():
                lines.append(f"  {key:<32s}" + "".join(f"{row[col]:18.3f}" for col in cols))
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        def box(b: Box) -> dict[str, Any]:
            return {"coverage": b.coverage, "density": b.density, "mass": b.mass,
                    "limits": {k: list(v) for k, v in b.limits.items()}}

        return {"where": self.where, "points": int(len(self.cases.y)),
                "of_interest": int(self.cases.y.sum()), "dropped": self.cases.dropped,
                "prim": None if self.box is None else {
                    **box(self.box), "index": self.box.index,
                    "trajectory": self.trajectory[["coverage", "density", "mass", "res_dim"]]
                    .astype(float).to_dict("list")},
                "cart": [box(b) for b in self.cart],
                "scores": None if self.scores is None else self.scores.to_dict()}


# ------------------------------------------------------------------------------ methods
def _quiet() -> Any:
    import logging

    logging.getLogger("EMA").setLevel(logging.ERROR)
    ctx = warnings.catch_warnings()
    ctx.__enter__()
    warnings.simplefilter("ignore")
    return ctx


def prim_box(c: Cases, threshold: float = 0.8, peel_alpha: float = 0.05,
             box: int | None = None) -> tuple[Any, Box]:
    """PRIM's peeling trajectory and the chosen box (see the module docstring)."""
    ctx = _quiet()
    try:
        from ema_workbench.analysis import prim

        # the Workbench returns a "dump box" when the last box misses its threshold; a tiny
        # one keeps the whole trajectory (for 0/1 cases it only counts y >= it as of
        # interest), and the box is chosen below with ``threshold``
        p = prim.Prim(c.x, c.y.astype(int), threshold=1e-9, peel_alpha=peel_alpha)
        found = p.find_box()
    finally:
        ctx.__exit__(None, None, None)
    t = found.peeling_trajectory.reset_index(drop=True)
    if box is None:
        ok = t.index[t["density"] >= threshold]
        index = int(t.loc[ok, "coverage"].idxmax()) if len(ok) else int(t["density"].idxmax())
    elif not 0 <= box < len(t):
        raise InputError([Problem.command_line("--box", f"a step of the peeling trajectory "
                                               f"(0..{len(t) - 1})", str(box))])
    else:
        index = box
    lims = found.box_lims[index]
    limits = {k: (float(lims[k].iloc[0]), float(lims[k].iloc[1])) for k in c.x.columns}
    row = t.iloc[index]
    return t, Box(float(row["coverage"]), float(row["density"]), float(row["mass"]), limits,
                  index)


def cart_boxes(c: Cases, mass_min: float = 0.05) -> list[Box]:
    """CART's leaves whose cases are mostly of interest, densest first."""
    ctx = _quiet()
    try:
        from ema_workbench.analysis import cart

        tree = cart.CART(c.x, c.y.astype(int), mass_min=mass_min)
        tree.build_tree()
        boxes, stats = tree.boxes, tree.stats
    finally:
        ctx.__exit__(None, None, None)
    out = []
    for lims, st in zip(boxes, stats, strict=True):
        if st["density"] <= 0.5:
            continue
        out.append(Box(float(st["coverage"]), float(st["density"]), float(st["mass"]),
                       {k: (float(lims[k].iloc[0]), float(lims[k].iloc[1]))
                        for k in c.x.columns}))
    return sorted(out, key=lambda b: (-b.density, -b.coverage))


def feature_scores(c: Cases, trees: int = 200, seed: int = 0) -> Any:
    """Extra-trees importances of each input for ``y`` and for the expression's first
    variable (each column sums to 1), sorted by the first."""
    import pandas as pd
    from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor

    cols = {}
    if 0 < c.y.sum() < len(c.y):
        clf = ExtraTreesClassifier(n_estimators=trees, random_state=seed, n_jobs=1,
                                   max_features="sqrt").fit(c.x.values, c.y)
        cols["meets condition"] = clf.feature_importances_
    if np.ptp(c.value) > 0:
        reg = ExtraTreesRegressor(n_estimators=trees, random_state=seed, n_jobs=1,
                                  max_features=0.5).fit(c.x.values, c.value)
        cols["value"] = reg.feature_importances_
    if not cols:
        return None
    df = pd.DataFrame(cols, index=list(c.x.columns))
    return df.sort_values(df.columns[0], ascending=False)


def discover(store: str | Path, where: str, *, method: str = "both", threshold: float = 0.8,
             peel_alpha: float = 0.05, box: int | None = None, mass_min: float = 0.05,
             scores: bool = True, seed: int = 0) -> Discovery:
    """Scenario discovery on a sweep store (module docstring)."""
    from sim.analysis.sweep import open_sweep

    require_discovery()
    ds = open_sweep_checked(store, open_sweep)
    c = cases(ds, where)
    result = Discovery(where, c, threshold=threshold, chosen=box is not None)
    k = int(c.y.sum())
    if k == 0 or k == len(c.y):
        result.scores = feature_scores(c, seed=seed) if scores else None
        return result  # nothing to separate: report says so
    if method in ("prim", "both"):
        result.trajectory, result.box = prim_box(c, threshold, peel_alpha, box)
    if method in ("cart", "both"):
        result.cart = cart_boxes(c, mass_min)
    if scores:
        result.scores = feature_scores(c, seed=seed)
    return result


def open_sweep_checked(store: str | Path, opener: Any) -> Any:
    """Open a sweep store; a missing or unreadable one is an :class:`InputError`."""
    path = Path(store)
    if not (path / "zarr.json").is_file():
        raise InputError([Problem.command_line("STORE", "a sweep store (.zarr directory "
                                               "written by aisim sweep)", str(path))])
    ds = opener(path)
    if "sweep_fingerprint" not in ds.attrs:
        raise InputError([Problem.command_line("STORE", "a sweep store (aisim sweep)",
                                               f"{path} (no sweep_fingerprint attribute)")])
    if not int(ds.attrs.get("sweep_complete", 0)):
        raise InputError([Problem.command_line("STORE", "a finished sweep", f"{path} is "
                                               "unfinished", "rerun aisim sweep to resume")])
    return ds


# ------------------------------------------------------------------------------ plots

def figure(result: Discovery) -> Any:
    """Peeling trajectory (coverage vs density, colour = restricted keys, the chosen box
    ringed), the chosen box's limits on each key's swept range, and the feature scores."""
    import matplotlib.pyplot as plt

    c = result.cases
    panels = [p for p, ok in (("trajectory", result.trajectory is not None),
                              ("limits", result.box is not None or bool(result.cart)),
                              ("scores", result.scores is not None)) if ok]
    if not panels:
        raise InputError([Problem.command_line("--plot", "points both meeting and not meeting "
                                               "the condition", "nothing to plot")])
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.4),
                             squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        if panel == "trajectory":
            t = result.trajectory
            sc = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=22)
            ax.plot(t["coverage"], t["density"], color="0.7", lw=0.8, zorder=0)
            if result.box is not None:
                ax.scatter([result.box.coverage], [result.box.density], s=140,
                           facecolors="none", edgecolors="crimson", lw=1.6,
                           label=f"box {result.box.index}")
                ax.legend(loc="lower left", fontsize=8)
            fig.colorbar(sc, ax=ax, label="restricted keys")
            ax.set_xlabel("coverage (share of cases of interest in the box)")
            ax.set_ylabel("density (share of the box of interest)")
            ax.set_title("PRIM peeling trajectory", fontsize=10)
            ax.set_xlim(0, 1.02)
            ax.set_ylim(0, 1.02)
        elif panel == "limits":
            b = result.box or result.cart[0]
            keys = [k for k, (lo, hi) in b.limits.items()
                    if lo > c.ranges[k][0] or hi < c.ranges[k][1]] or list(b.limits)
            for i, k in enumerate(keys):
                flo, fhi = c.ranges[k]
                lo, hi = b.limits[k]
                span = fhi - flo
                u0, u1 = (max(lo, flo) - flo) / span, (min(hi, fhi) - flo) / span
                ax.plot([0, 1], [i, i], color="0.85", lw=8, solid_capstyle="butt")
                ax.plot([u0, u1], [i, i], color="tab:blue", lw=8, solid_capstyle="butt")
                ax.text(u0, i + 0.28, f"{max(lo, flo):.3g}", ha="center", fontsize=8)
                ax.text(u1, i + 0.28, f"{min(hi, fhi):.3g}", ha="center", fontsize=8)
                ax.text(1.02, i, f"{flo:.3g}..{fhi:.3g}", va="center", fontsize=7,
                        color="0.4")
            ax.set_yticks(range(len(keys)), keys, fontsize=8)
            ax.set_ylim(-0.6, len(keys) - 0.3)
            ax.set_xlim(-0.02, 1.25)
            ax.set_xticks([0, 0.5, 1], ["low", "mid", "high"])
            ax.set_xlabel("position in the swept range")
            which = f"PRIM box {b.index}" if result.box is not None else "CART box 0"
            ax.set_title(f"{which}: coverage {b.coverage:.2f}, density {b.density:.2f}",
                         fontsize=10)
            ax.invert_yaxis()
        else:
            s = result.scores.iloc[:12]
            col = s.columns[0]
            ax.barh(range(len(s)), s[col].values, color="tab:gray")
            ax.set_yticks(range(len(s)), list(s.index), fontsize=8)
            ax.invert_yaxis()
            ax.set_xlabel("extra-trees importance")
            ax.set_title("feature scores (extra trees)\n"
                         + (result.where if col == "meets condition" else c.value_name),
                         fontsize=9)
    fig.suptitle(f"scenario discovery: {result.where}", fontsize=11)
    fig.tight_layout()
    return fig
