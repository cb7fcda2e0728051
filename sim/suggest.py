"""One "did you mean ...?" for every message about an unknown name (keys, sectors, variables,
methods, parameter paths). Imports nothing from ``sim``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(got: object, options: Iterable[object], cutoff: float = 0.6, *,
            ignore_case: bool = False, last_component: bool = False) -> str | None:
    """The option closest to ``got`` (difflib ratio >= ``cutoff``), or None.

    ``ignore_case``: an option equal but for case wins, and matching ignores case.
    ``last_component``: for dotted paths, when nothing is close, match the last component
    (``cost_saving`` finds ``ai.cost_saving``)."""
    opts = [str(o) for o in options]
    text = str(got)
    if ignore_case:
        lowered = {o.lower(): o for o in opts}
        if text.lower() in lowered:
            return lowered[text.lower()]
        hit = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=cutoff)
        return lowered[hit[0]] if hit else None
    hit = difflib.get_close_matches(text, opts, n=1, cutoff=cutoff)
    if hit:
        return hit[0]
    if last_component:
        tails = {o.rsplit(".", 1)[-1]: o for o in opts}
        tail = difflib.get_close_matches(text.rsplit(".", 1)[-1], list(tails), n=1, cutoff=0.7)
        return tails[tail[0]] if tail else None
    return None


def did_you_mean(got: object, options: Iterable[object], cutoff: float = 0.6, *,
                 ignore_case: bool = False, last_component: bool = False) -> str:
    """``"did you mean 'x'?"`` for the closest option (see :func:`closest`), or ``""``."""
    match = closest(got, options, cutoff, ignore_case=ignore_case,
                    last_component=last_component)
    return f"did you mean {match!r}?" if match is not None else ""
