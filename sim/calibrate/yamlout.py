"""A small YAML emitter for the generated calibration files.

PyYAML cannot write comments, and every number here must carry its source, so the files are
written with this emitter: block mappings, inline (flow) mappings for small records, ``>``
folded text, and an optional ``# comment`` after any key. Numbers arrive as strings already
formatted by :mod:`sim.calibrate.fmt` so that the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


@dataclass
class Raw:
    """A scalar already formatted as YAML text (a number), with an optional comment."""

    text: str
    comment: str = ""


@dataclass
class Flow:
    """A mapping written inline: ``{a: 1, b: 2}``; values are Raw, str or Flow."""

    items: dict[str, Any]
    comment: str = ""


@dataclass
class Block:
    """A block mapping; ``comment`` goes after the key line."""

    items: dict[str, Any] = field(default_factory=dict)
    comment: str = ""


@dataclass
class Items:
    """A block sequence of flow scalars (``- [a, b, 0.3]``)."""

    items: list[Any]
    comment: str = ""


@dataclass
class Folded:
    """Folded text (``>``)."""

    text: str


def key(k: Any) -> str:
    text = str(k)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    if isinstance(k, int):
        return text
    return json.dumps(text)


def scalar(v: Any) -> str:
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, Flow):
        return "{" + ", ".join(f"{key(k)}: {scalar(x)}" for k, x in v.items.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    raise TypeError(f"cannot write {type(v).__name__} as YAML here")


def _comment(c: str) -> str:
    return f"  # {c}" if c else ""


def emit(block: Block, indent: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for k, v in block.items.items():
        if isinstance(v, Block):
            lines.append(f"{pad}{key(k)}:{_comment(v.comment)}")
            lines.extend(emit(v, indent + 2))
        elif isinstance(v, Items):
            lines.append(f"{pad}{key(k)}:{_comment(v.comment)}")
            lines.extend(f"{pad}  - {scalar(x)}" for x in v.items)
        elif isinstance(v, Folded):
            lines.append(f"{pad}{key(k)}: >")
            for para in v.text.strip().split("\n\n"):
                wrapped = textwrap.wrap(" ".join(para.split()), width=96 - indent)
                lines.extend(f"{pad}  {w}" for w in wrapped)
        else:
            comment = v.comment if isinstance(v, Raw | Flow) else ""
            lines.append(f"{pad}{key(k)}: {scalar(v)}{_comment(comment)}")
    return lines


def document(header: list[str], body: Block) -> str:
    """Header comment lines (without ``#``) followed by the body."""
    head = [("# " + h).rstrip() for h in header]
    return "\n".join(head + emit(body)) + "\n"
