"""Atomic output: write under a temporary sibling name, rename onto the final path on success.

An interrupted or failed write never leaves a half-written file under the final name, and the
temporary file is removed. Files get the usual permissions (0666 minus the umask), not the
0600 of ``mkstemp``.

Temporaries are named after the final name and their owner, ``.<name>.<host>-<pid>[.<random>]
.<kind>`` (kind ``part``: being written; ``old``: the previous store while a directory is
swapped; ``init``: a sweep store being created), so that the next write to the same path can
tell which ones an earlier run left behind: those of this host whose process is gone
(:func:`remove_stale`, reported through the ``aisim`` logger). A sweep's resumable
``.<name>.part`` store carries no owner and is never removed here.

The environment's refusals (disk full, read-only, no permission) are turned into
:class:`sim.errors.OutputError` by :func:`writing`, for the CLI to report in one line.
"""

from __future__ import annotations

import errno as errnos
import logging
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sim.errors import OutputError
from sim.progress import Interrupt

log = logging.getLogger("aisim")

#: kinds of temporaries this module names (the last part of the name)
KINDS = ("part", "old", "init")

#: errno values that mean "the environment refused the write", not a bug
ENVIRONMENT_ERRNOS = frozenset(
    getattr(errnos, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EFBIG",
                                       "EIO", "ENOTDIR", "EISDIR", "ENAMETOOLONG", "EMLINK",
                                       "ETXTBSY", "EXDEV")
    if hasattr(errnos, name))

_HDF5_ERRNO = re.compile(r"errno = (\d+)")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------ naming
def host_tag() -> str:
    """This host's name as letters and digits only (at most 24), part of temporary names."""
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24] or "host"


def owner_tag() -> str:
    """``<host>-<pid>``: who owns a temporary (computed per call: a forked worker differs)."""
    return f"{host_tag()}-{os.getpid()}"


def temporary_sibling(final: Path, kind: str) -> Path:
    """The temporary sibling of ``final`` of ``kind`` owned by this process (not created)."""
    return final.with_name(f".{final.name}.{owner_tag()}.{kind}")


def _owner_pattern(final: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(final.name)}\.(?P<host>[A-Za-z0-9]+)-(?P<pid>\d+)"
                      rf"(?:\.[A-Za-z0-9_]+)?\.(?:{'|'.join(KINDS)})$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def stale_temporaries(final: Path) -> list[Path]:
    """Temporaries of ``final`` left by a process of this host that is no longer running."""
    pattern, host = _owner_pattern(final), host_tag()
    try:
        entries = list(final.parent.iterdir())
    except OSError:  # no folder yet, or not readable: nothing of ours there
        return []
    stale = []
    for entry in entries:
        match = pattern.match(entry.name)
        if match and match["host"] == host and int(match["pid"]) != os.getpid() \
                and not _alive(int(match["pid"])):
            stale.append(entry)
    return sorted(stale)


def remove_path(path: Path) -> None:
    """Remove a file, link or directory tree (nothing if absent)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def remove_stale(final: Path) -> list[Path]:
    """Remove :func:`stale_temporaries` of ``final``; say what was removed in one log line."""
    removed = []
    for path in stale_temporaries(final):
        try:
            remove_path(path)
        except OSError:  # not ours to fight over: left for the user
            continue
        removed.append(path)
    if removed:
        log.info("removed %d stale temporar%s of an interrupted earlier run: %s", len(removed),
                 "y" if len(removed) == 1 else "ies", ", ".join(p.name for p in removed))
    return removed


# ------------------------------------------------------------------------------ faults
def environment_errno(exc: BaseException) -> int | None:
    """The errno of an environment refusal carried by ``exc`` (an OSError, or HDF5's
    RuntimeError/OSError whose message says ``errno = N``), else None."""
    number = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
    if number is None and isinstance(exc, (OSError, RuntimeError)):
        found = _HDF5_ERRNO.search(str(exc))
        number = int(found.group(1)) if found else None
    return number if number in ENVIRONMENT_ERRNOS else None


def as_output_error(exc: BaseException, path: str | os.PathLike[str]) -> OutputError | None:
    """``exc`` as an :class:`OutputError` for ``path`` when it is an environment refusal."""
    number = environment_errno(exc)
    if number is None:
        return None
    name = errnos.errorcode.get(number, str(number))
    return OutputError(str(path), f"{os.strerror(number)} ({name})", number)


@contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[None]:
    """Inside, an environment refusal (disk full, read-only, permission) raises
    :class:`OutputError` naming ``path``; anything else passes unchanged."""
    try:
        yield
    except OutputError:
        raise
    except (OSError, RuntimeError) as exc:
        error = as_output_error(exc, path)
        if error is None:
            raise
        raise error from exc


def target_problem(final: Path, folder: bool = False) -> str | None:
    """Why ``final`` cannot be an output path, in words, or None: a parent that is a file, or
    (for a file output, ``folder`` False) an existing directory of that name."""
    for parent in final.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                return f"{final} ({parent} is a file, not a folder)"
            break
    if not folder and final.is_dir():
        return f"{final} (an existing directory)"
    return None


def probe_writable(final: Path) -> None:
    """Create the folder of ``final`` and a temporary in it (removed at once), so that a
    read-only or forbidden folder is refused before any work: raises :class:`OutputError`."""
    probe = atomic_path(final)
    with writing(final):
        os.unlink(probe)


# ------------------------------------------------------------------------------ writing
def atomic_path(final: Path) -> Path:
    """A new empty temporary sibling of ``final`` (the caller renames it when complete);
    stale temporaries of ``final`` are removed first."""
    with writing(final):
        remove_stale(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.{owner_tag()}.", suffix=".part",
                                   dir=final.parent)
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())
    return Path(tmp)


def discard(tmp: Path | None) -> None:
    """Remove a temporary (file or folder) whatever happens, signals deferred meanwhile."""
    if tmp is None:
        return
    with Interrupt.shielded(), suppress(OSError):
        remove_path(tmp)


@contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """``with atomic_write(p) as tmp: write(tmp)`` — renamed onto ``p`` only on success.
    An environment refusal raises :class:`OutputError`."""
    final = Path(path)
    tmp = atomic_path(final)
    try:
        with writing(final):
            yield tmp
            os.replace(tmp, final)
    finally:
        discard(tmp)


def replace_dir(tmp: Path, final: Path) -> None:
    """Move the directory ``tmp`` onto ``final``, replacing an existing directory or file
    (kept under a temporary ``.old`` name until the move succeeded, then removed)."""
    backup = None
    if final.exists() or final.is_symlink():
        backup = temporary_sibling(final, "old")
        discard(backup)
        os.replace(final, backup)
    try:
        os.replace(tmp, final)
    except BaseException:
        if backup is not None:
            os.replace(backup, final)
        raise
    discard(backup)


def write_bytes(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes atomically."""
    with atomic_write(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
