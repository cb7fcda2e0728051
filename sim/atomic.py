"""Atomic output: write under a temporary sibling name, rename onto the final path on success.

An interrupted or failed write never leaves a half-written file under the final name, and the
temporary file is removed. Files get the usual permissions (0666 minus the umask), not the
0600 of ``mkstemp``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_path(final: Path) -> Path:
    """A new empty temporary sibling of ``final`` (the caller renames it when complete)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    return Path(tmp)


@contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """``with atomic_write(p) as tmp: write(tmp)`` — renamed onto ``p`` only on success."""
    final = Path(path)
    tmp = atomic_path(final)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes atomically."""
    with atomic_write(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
