"""Numba kernels, one module per block of MODEL.md (docs/model.md).

Kernels see plain float64 arrays and scalars only: no Python objects, no I/O, no random numbers.

Numba's on-disk cache only notices edits to the file of the cached function, not to functions
inlined from sibling modules. The cache therefore lives in a directory named after a hash of
every module here, so any edit to a kernel module starts a fresh cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numba


def _cache_dir() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(here.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    root = os.environ.get("NUMBA_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "aisim-numba")
    return os.path.join(root, f"{numba.__version__}-{digest.hexdigest()[:16]}")


numba.config.CACHE_DIR = _cache_dir()
