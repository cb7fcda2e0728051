"""A minimal progress bar (draws/s and ETA) for long runs; silent when not a TTY or quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


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
    being swallowed somewhere (e.g. in a finaliser), checked between chunks."""

    requested = False

    @classmethod
    def install(cls) -> None:
        import signal

        def handler(signum: int, frame: object) -> None:
            cls.requested = True
            raise KeyboardInterrupt

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    @classmethod
    def check(cls) -> None:
        if cls.requested:
            raise KeyboardInterrupt
