"""Where numba keeps its compiled kernels: set by the entry points, not by importing a module.

Numba's on-disk cache only notices edits to the file of the cached function, not to functions
inlined from sibling modules. The cache therefore lives in a directory named after a hash of
every module of :mod:`sim.model`, so any edit to a kernel module starts a fresh cache.

:func:`configure_numba_cache` is called by the entry points (``sim.run``, the ``aisim``
command line, ``python -m sim.calibrate``, the test and benchmark suites) before the kernels are
imported: numba fixes a function's cache location when its ``@njit`` decorator runs. It also
exports the location in ``NUMBA_CACHE_DIR``, so dask worker processes started afterwards use it
too. ``AISIM_NUMBA_CACHE_DIR`` (an exact folder) or ``NUMBA_CACHE_DIR`` (a root under which the
hashed folder is made) choose another place.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

EXACT_VARIABLE = "AISIM_NUMBA_CACHE_DIR"
KERNEL_MODULE = "sim.model.kernel"


def numba_cache_dir() -> str:
    """The cache folder for the current kernel sources and numba version."""
    exact = os.environ.get(EXACT_VARIABLE)
    if exact:
        return exact
    import numba

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(here.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    root = os.environ.get("NUMBA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "aisim-numba")
    return os.path.join(root, f"{numba.__version__}-{digest.hexdigest()[:16]}")


def configure_numba_cache() -> str:
    """Point numba's cache at :func:`numba_cache_dir` (idempotent) and return the folder.

    Has no effect on kernels imported before the first call (they keep the location they were
    decorated with), so entry points call it first."""
    import numba

    folder = numba_cache_dir()
    if KERNEL_MODULE not in sys.modules:
        numba.config.CACHE_DIR = folder
    os.environ[EXACT_VARIABLE] = folder
    os.environ["NUMBA_CACHE_DIR"] = folder  # inherited by worker processes started later
    return folder


def kernels_not_compiled() -> bool:
    """True when the cache folder holds no compiled kernel yet (the first run will compile:
    the command line says so once)."""
    folder = Path(os.environ.get(EXACT_VARIABLE) or numba_cache_dir())
    # numba keeps <module>.<function>-<line>.py<ver>.nbi under a folder per source tree
    return not any(folder.glob("*/kernel.simulate-*.nbi")) if folder.is_dir() else True
