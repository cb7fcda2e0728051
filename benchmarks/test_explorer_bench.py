"""The explorer's recompute after a control changes (issue 17, target < 0.3 s warm on the
2-core machine): 1,000 draws x 26 years x the 10 A10 sectors of ``flanders/central``.

``explorer-recompute`` measures what one change costs on the server side, in order: the
request through the scenario loader (``Door.load``, the preset's file read once before), the
run (:func:`sim.present.explorer.compute.simulate`, the public run function, keeping the 14
variables the page draws), the summary the charts draw
(:func:`~sim.present.explorer.compute.summarise`), the charts' column data
(:func:`sim.present.explorer.views.all_sources`) and its serialisation by Bokeh as it goes to
the browser. Each round moves the cost saving to a new value, as a slider does. Not included:
the hop to the worker process (pickling a few kilobytes) and the browser's redraw.

``explorer-stages`` stores the split per stage in ``extra_info``.
"""

from __future__ import annotations

import itertools
import time

import numba
import pytest

pytest.importorskip("bokeh")

from bokeh.core.serialization import Serializer  # noqa: E402

from sim.present.explorer import views  # noqa: E402
from sim.present.explorer.compute import page_variables, simulate, summarise  # noqa: E402
from sim.present.explorer.presets import find_presets  # noqa: E402
from sim.present.explorer.request import Door, Request  # noqa: E402

DRAWS = 1000
PRESET = "flanders/central"


def recompute(door: Door, cost_saving: float) -> bytes | dict:
    """One change of a control, from the request to the bytes sent to the browser."""
    request = Request.make(PRESET, {"ai.cost_saving": cost_saving}, draws=DRAWS)
    loaded = door.load(request)
    result = summarise(loaded, simulate(loaded, page_variables(loaded)))
    data = views.all_sources(result, None, 2035, "sector_tfp_gain_pct")
    return Serializer().encode(data)


@pytest.fixture(scope="module")
def door() -> Door:
    door = Door(find_presets())
    recompute(door, 0.27)  # the kernels loaded, the preset's file read
    return door


@pytest.mark.benchmark(group="explorer-recompute")
def test_explorer_recompute_1000_draws(benchmark, door: Door) -> None:
    values = itertools.cycle([0.20 + 0.01 * i for i in range(15)])
    benchmark.pedantic(lambda: recompute(door, next(values)), rounds=15, warmup_rounds=2)
    years = door.base(PRESET).scenario.horizon
    sectors = len(door.base(PRESET).scenario.sectors)
    benchmark.extra_info.update(draws=DRAWS, years=years.end - years.start + 1, sectors=sectors,
                                sector_years=DRAWS * (years.end - years.start + 1) * sectors,
                                threads=numba.get_num_threads(), target_s=0.3)


@pytest.mark.benchmark(group="explorer-stages")
def test_explorer_recompute_stages(benchmark, door: Door) -> None:
    stages: dict[str, list[float]] = {"load": [], "run": [], "summarise": [], "serialise": []}

    def once(cost_saving: float) -> None:
        t0 = time.perf_counter()
        loaded = door.load(Request.make(PRESET, {"ai.cost_saving": cost_saving}, draws=DRAWS))
        t1 = time.perf_counter()
        ds = simulate(loaded, page_variables(loaded))
        t2 = time.perf_counter()
        result = summarise(loaded, ds)
        t3 = time.perf_counter()
        Serializer().encode(views.all_sources(result, None, 2035, "sector_tfp_gain_pct"))
        t4 = time.perf_counter()
        for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[name].append(seconds)

    values = itertools.cycle([0.21 + 0.01 * i for i in range(10)])
    benchmark.pedantic(lambda: once(next(values)), rounds=10, warmup_rounds=1)
    benchmark.extra_info.update({f"{k}_best_s": min(v) for k, v in stages.items()})
    benchmark.extra_info.update(draws=DRAWS, sector_years=DRAWS * 26 * 10)
