"""Benchmark suite and harness (benchmarks/README.md).

Importing the package points numba at the project's cache folder before any kernel is imported
(:func:`sim.model.cache.configure_numba_cache`), as the entry points do: a script that imports
``benchmarks.cases`` directly would otherwise get numba's default per-module cache, which does not
notice edits to inlined sibling modules and once made a harness measure stale kernels
(docs/performance.md, issue 19 third pass).
"""

from sim.model.cache import configure_numba_cache

configure_numba_cache()
