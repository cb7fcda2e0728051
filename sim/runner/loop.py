"""The one run loop: a plan's chunks, computed by an executor, fed to sinks in plan order.

``sim.run``, ``aisim run --out``, sweep points and sensitivity designs are each a plan
(:mod:`sim.runner.plan`) plus sinks (:mod:`sim.runner.sinks`) given to :func:`execute`; a sweep
runs its chunk tasks through :func:`run_tasks`. Progress and Ctrl-C
(:class:`sim.progress.Interrupt`) are handled here and nowhere else: the flag is checked before
the first task, after every task and before the sinks commit.

Per chunk the work is :func:`sim.runner.chunk.chunk_outputs` (kernel and fused output pass).
In process, the kernel's packed arrays are reused across chunks and a sink's streaming summary
is merged by the fused pass itself; on a remote executor each chunk's paths come back and the
sinks merge them (the same numba routine, bit for bit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.progress import Interrupt, Progress
from sim.runner.chunk import chunk_outputs
from sim.runner.executors import Done, Executor, Failed, InProcessExecutor
from sim.runner.plan import Chunk, Plan
from sim.runner.sinks import ChunkResult, Sink


def run_tasks(executor: Executor, fn: Callable[[Any], Any], tasks: Sequence[Any], *,
              on_done: Done | None = None, on_error: Failed | None = None,
              progress: Progress | None = None,
              weight: Callable[[Any], int] | None = None) -> None:
    """``fn`` over ``tasks`` on ``executor``; outcomes go to ``on_done`` / ``on_error`` (no
    ``on_error``: a failure is raised). ``progress`` advances by ``weight(task)`` (default 1)
    per finished task; a Ctrl-C request stops the run between tasks."""

    def advance(i: int) -> None:
        if progress is not None:
            progress.update(weight(tasks[i]) if weight is not None else 1)
        Interrupt.check()

    def done(i: int, value: Any) -> None:
        if on_done is not None:
            on_done(i, value)
        advance(i)

    def failed(i: int, exc: BaseException) -> None:
        on_error(i, exc)
        advance(i)

    Interrupt.check()
    executor.map(fn, tasks, on_done=done, on_error=failed if on_error is not None else None)
    Interrupt.check()


@dataclass(frozen=True, eq=False)
class ChunkJob:
    """The picklable per-chunk computation for a remote executor: ``plan``'s chunk → its
    outputs (every variable's paths when ``paths``)."""

    plan: Plan
    paths: bool = True

    def __call__(self, chunk: Chunk) -> dict[str, np.ndarray]:
        return chunk_outputs(self.plan.scenario, self.plan.table(chunk), paths=self.paths)


def execute(plan: Plan, sinks: Sequence[Sink], *, executor: Executor | None = None,
            progress: Progress | None = None) -> None:
    """Compute every chunk of ``plan`` on ``executor`` (default: in process) and feed each
    chunk to every sink, in plan order. The sinks are opened first and closed (committed)
    after the last chunk; on any failure or Ctrl-C every sink opened (or being opened) is
    aborted and the error raised.
    ``progress`` advances by each chunk's draws."""
    executor = executor if executor is not None else InProcessExecutor()
    chunks = plan.chunks()
    opened: list[Sink] = []
    try:
        for sink in sinks:
            opened.append(sink)  # before open: a sink that fails half-opened is aborted too
            sink.open(plan)
        wanted = [s.summary for s in sinks if s.summary is not None]
        fused = wanted[0] if wanted and not executor.remote else None
        paths = any(s.needs_paths for s in sinks) or any(w is not fused for w in wanted)
        if executor.remote:
            compute: Callable[[Chunk], dict[str, np.ndarray]] = ChunkJob(plan, paths)
        else:
            buffers: dict[str, np.ndarray] = {}

            def compute(chunk: Chunk) -> dict[str, np.ndarray]:
                return chunk_outputs(plan.scenario, plan.table(chunk), paths=paths,
                                     summary=fused, buffers=buffers)

        pending: dict[int, dict[str, np.ndarray]] = {}
        following = 0

        def feed(i: int, outputs: dict[str, np.ndarray]) -> None:
            nonlocal following
            pending[i] = outputs  # a remote executor finishes chunks in any order
            while following in pending:
                result = ChunkResult(chunks[following], pending.pop(following), fused)
                for sink in sinks:
                    sink.write(result)
                following += 1

        run_tasks(executor, compute, chunks, on_done=feed, progress=progress,
                  weight=lambda chunk: chunk.count)
        for sink in sinks:
            sink.close()
            opened.remove(sink)
    except BaseException:
        abort_all(reversed(opened))
        raise


def abort_all(sinks: Iterable[Sink]) -> None:
    """Abort every sink, signals deferred meanwhile; a sink whose abort fails does not keep
    the others from removing their temporaries (the run's own error is what is reported)."""
    with Interrupt.shielded():
        for sink in sinks:
            with suppress(Exception):
                sink.abort()
