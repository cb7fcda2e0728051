"""Griffe extension for the docs site: the docstrings' reStructuredText roles as Markdown.

The docstrings of ``sim`` cite other objects the Sphinx way (``:func:`sim.run```,
``:class:`~sim.scenario.loader.LoadedScenario```, ``:mod:`sim.present.plot```) and end a
paragraph that introduces a code block with ``::``. mkdocstrings renders Markdown, so each role
becomes an *optional* cross-reference (a link where the target is on the site, plain code where
it is not; ``~`` shows the last name only) and ``::`` a colon. The source stays as it is, so
``help()`` and IDEs show what they showed before.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(func|class|mod|meth|attr|data|exc|obj):`(?P<body>[^`]+)`")
TITLED = re.compile(r"(?P<title>.+?)\s*<(?P<target>[^>]+)>$")
LITERAL_INTRO = re.compile(r"(?<=\S)::$", flags=re.MULTILINE)


def _markdown_role(match: re.Match[str], module: str) -> str:
    body = match.group("body").strip()
    titled = TITLED.match(body)
    if titled:
        title, target = titled.group("title"), titled.group("target")
    else:
        target = body.lstrip("~")
        title = target.rsplit(".", 1)[-1] if body.startswith("~") else target
    target = target.rstrip("()")
    identifier = target if "." in target or not module else f"{module}.{target}"
    return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'


def to_markdown(text: str, module: str = "") -> str:
    """The docstring ``text`` with its roles and ``::`` rewritten (module: for bare names)."""
    text = ROLE.sub(lambda m: _markdown_role(m, module), text)
    return LITERAL_INTRO.sub(":", text)


class RstRoles(griffe.Extension):
    """Rewrite every docstring as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            module = obj.module.path if not obj.is_module else obj.path
            obj.docstring.value = to_markdown(obj.docstring.value, module)
