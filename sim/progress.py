"""A minimal progress bar (draws/s and ETA) for long runs; silent when not a TTY or quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class Progress:
    """Report ``done`` of ``total`` items with rate and ETA on one rewritten line."""

    def __init__(self, total: int, unit: str = "draws", enabled: bool | None = None,
                 stream: TextIO | None = None) -> None:
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.done = 0

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/"
                          f"{self.total:,} {self.unit}  {rate:,.0f} {self.unit}/s  "
                          f"ETA {eta:,.0f} s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


class Interrupt:
    """SIGINT/SIGTERM turned into KeyboardInterrupt, with a flag that survives the exception
    being swallowed somewhere (e.g. in a finaliser), checked between chunks.

    ``signum`` is the signal received (the CLI exits with 128 + it). While :meth:`shielded`
    (removing temporaries after a failure) a signal only sets the flag, so that a second
    Ctrl-C cannot stop the clean-up half-way. A KeyboardInterrupt that Python can only report
    as "Exception ignored in ..." (raised inside a weakref callback or ``__del__``) is not
    reported: the flag re-raises it at the next check."""

    requested = False
    signum: int | None = None
    _shield = 0

    @classmethod
    def install(cls) -> None:
        """Handle SIGINT and SIGTERM from now on (and forget an earlier request)."""
        import signal

        cls.requested, cls.signum = False, None

        def handler(signum: int, frame: object) -> None:
            cls.requested = True
            cls.signum = cls.signum or signum
            if cls._shield == 0:
                raise KeyboardInterrupt

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)
        if not getattr(sys.unraisablehook, "aisim_interrupt", False):
            sys.unraisablehook = cls._unraisable_hook(sys.unraisablehook)

    @classmethod
    def _unraisable_hook(cls, previous: Callable[[Any], object]) -> Callable[[Any], None]:
        """``sys.unraisablehook`` that drops our own KeyboardInterrupt (the flag carries it)
        and passes everything else to ``previous``."""

        def hook(info: Any) -> None:
            if cls.requested and isinstance(getattr(info, "exc_value", None), KeyboardInterrupt):
                return
            previous(info)

        hook.aisim_interrupt = True  # type: ignore[attr-defined]
        return hook

    @classmethod
    def check(cls) -> None:
        if cls.requested:
            raise KeyboardInterrupt

    @classmethod
    @contextmanager
    def shielded(cls) -> Iterator[None]:
        """Signals received inside only set the flag (for clean-up that must finish)."""
        cls._shield += 1
        try:
            yield
        finally:
            cls._shield -= 1
