"""Progress bars (draws/s and ETA) for long runs, and the Ctrl-C flag (:class:`Interrupt`).

A bar is shown in a terminal (stderr is a TTY) and in a notebook (a running Jupyter kernel), and
nowhere else (pipes, log files, CI) nor when disabled (``-q``). With tqdm installed (the
``progress`` extra, also in ``dev``) it is ``tqdm.auto``'s: in a notebook tqdm's widget when
ipywidgets is installed, else its text bar, which Jupyter redraws in place; in a terminal its
one-line bar. A run shorter than :data:`DELAY` seconds shows none. Without tqdm the built-in
one-line bar (:class:`PlainBar`) is used, in a terminal and in a notebook alike.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

#: seconds before a bar appears (a quick run prints none)
DELAY = 1.0


def in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython's kernel app is running), as ``tqdm.auto`` tells."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
        return shell is not None and "IPKernelApp" in shell.config
    except Exception:  # an IPython too old or half set up: no notebook
        return False


def tqdm_class() -> type | None:
    """``tqdm.auto.tqdm`` (the notebook widget or the terminal bar), or None without tqdm.

    Without ipywidgets ``tqdm.auto`` warns once ("IProgress not found") and uses its text bar;
    the warning is silenced, the text bar is what a notebook then shows."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


class Progress:
    """Report ``done`` of ``total`` items (``unit``) with rate and ETA.

    ``enabled``: None (default) shows the bar in a terminal or a notebook only (module
    docstring); True or False force it on or off. ``stream``: where a text bar is written
    (default ``sys.stderr``; a notebook widget is displayed in the cell instead)."""

    def __init__(self, total: int, unit: str = "draws", enabled: bool | None = None,
                 stream: TextIO | None = None) -> None:
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = _isatty(self.stream) or in_notebook()
        self.enabled = enabled
        self.done = 0
        self.bar: Any = None
        if enabled:
            tqdm = tqdm_class()
            if tqdm is not None:
                # no monitor thread (it would outlive a run interrupted by Ctrl-C)
                width = _columns(self.stream)  # 0 (a terminal that says no size): tqdm
                # would print an empty bar, so a fixed width then
                self.bar = type("AisimBar", (tqdm,), {"monitor_interval": 0})(
                    total=total, unit=f" {unit}", file=self.stream, delay=DELAY,
                    dynamic_ncols=bool(width), ncols=None if width else 80, mininterval=0.2,
                    leave=True)
            else:
                self.bar = PlainBar(total, unit, self.stream)

    def update(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            bar, self.bar = self.bar, None
            bar.close()


def _columns(stream: TextIO) -> int | None:
    """The terminal's width for ``stream``; None when it is not a terminal."""
    import os

    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class PlainBar:
    """The built-in bar without tqdm: one line rewritten with ``\\r``, shown after
    :data:`DELAY` seconds."""

    def __init__(self, total: int, unit: str, stream: TextIO) -> None:
        self.total, self.unit, self.stream = total, unit, stream
        self.start = time.perf_counter()
        self.done = 0
        self.shown = False

    def update(self, n: int) -> None:
        self.done += n
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        if elapsed < DELAY and not self.shown:
            return
        self.shown = True
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/"
                          f"{self.total:,} {self.unit}  {rate:,.0f} {self.unit}/s  "
                          f"ETA {eta:,.0f} s ")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
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
