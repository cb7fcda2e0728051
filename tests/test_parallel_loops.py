"""Every ``parallel=True`` numba function of the engine really runs its loop in parallel.

numba silently runs a ``prange`` loop serially when its body can leave the loop in more than one
way, e.g. through a ``raise`` in a function inlined into it: it only emits a
``NumbaPerformanceWarning`` at compile time, and with ``cache=True`` that warning is not seen again.
This happened once (docs/performance.md, issue 19): an inlined check put the fused output pass on
one thread whatever ``NUMBA_NUM_THREADS``, half the end-to-end time of a run. Here each function is
compiled afresh from its Python source (no cache) for the signatures a real run gives it, and any
such warning fails the test.
"""

from __future__ import annotations

import warnings

import numba
import pytest
import yaml
from numba.core.errors import NumbaPerformanceWarning

from sim.model import kernel, outputs, statistics
from sim.runner.engine import RunSettings, chunk_outputs, parameter_chunks
from sim.runner.results import VARIABLES
from sim.runner.summary import StreamingSummary
from sim.scenario.loader import load_scenario
from sim.testing import three_sector_scenario
from tests.test_monte_carlo import UNCERTAIN

PARALLEL = [kernel.simulate, outputs.chunk_outputs, statistics.update_rows,
            statistics.finish_moments, statistics.pilot_histograms,
            statistics.histogram_quantiles]


def test_the_list_names_every_parallel_function() -> None:
    """A new parallel function is checked too: the list is every dispatcher of the model
    package compiled with ``parallel=True``."""
    found = {f for m in (kernel, outputs, statistics) for f in vars(m).values()
             if isinstance(f, numba.core.registry.CPUDispatcher)
             and f.targetoptions.get("parallel")}
    assert found == set(PARALLEL)


@pytest.fixture(scope="module")
def signatures(tmp_path_factory) -> dict:
    """The signatures a small run with summaries (fused and from paths) compiles."""
    data = three_sector_scenario()
    data["ai"].update(UNCERTAIN["ai"])
    data["labour"] = UNCERTAIN["labour"]
    path = tmp_path_factory.mktemp("scn") / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    scenario = load_scenario(path).scenario
    dims = {k: v.dims for k, v in VARIABLES.items()}
    fused, generic = StreamingSummary(dims=dims, coords={}), StreamingSummary(dims=dims, coords={})
    settings = RunSettings(draws=64, seed=1, sampler="sobol", chunk_size=32)
    for _, table in parameter_chunks(scenario, settings):
        chunk_outputs(scenario, table, paths=False, summary=fused)
        generic.update(chunk_outputs(scenario, table))
    fused.result({})
    generic.result({})
    return {f: list(f.signatures) for f in PARALLEL}


@pytest.mark.parametrize("function", PARALLEL, ids=lambda f: f.__name__)
def test_parallel_loop_is_not_serialised(function, signatures) -> None:
    assert signatures[function], f"{function.__name__} was not called by the run"
    for signature in signatures[function]:
        fresh = numba.njit(parallel=True, **{k: v for k, v in function.targetoptions.items()
                                             if k not in ("parallel", "cache", "nopython")})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fresh(function.py_func).compile(signature)
        serial = [str(w.message) for w in caught if issubclass(w.category, NumbaPerformanceWarning)
                  and "not be executed in parallel" in str(w.message)]
        assert not serial, f"{function.__name__}{signature}: {serial[0]}"
