"""The scenario reference, generated from the schema: JSON Schema and a Markdown key table.

``aisim schema -o scenario.schema.json`` writes a JSON Schema that editors (VS Code's YAML
extension, PyCharm) use to validate and complete scenario files; ``aisim schema --markdown
docs/scenario-reference.md`` regenerates the reference page. A test keeps the page in step.
"""

from __future__ import annotations

import math
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.scenario import library
from sim.scenario.schema import Scenario

HEADER = """# Scenario reference

Generated from `sim/scenario/schema.py` by `aisim schema --markdown docs/scenario-reference.md`;
do not edit by hand. Every numeric parameter marked *param* accepts a number or a distribution
(`{dist: normal, mean: 0.27, sd: 0.05}`, `{dist: beta, ci80: [0.2, 0.4]}`, ... see
`docs/sampling.md`); its bounds apply to the distribution's support. `<code>` stands for a
sector code defined under `sectors`, `<year>` for a calendar year. The equations are in
`docs/model.md`. Unknown keys are errors.

| key | type | bounds | default | description |
|---|---|---|---|---|
"""


def _find_bounds(annotation: Any) -> tuple[float, float] | None:
    for meta in getattr(annotation, "__metadata__", ()):
        bounds = getattr(getattr(meta, "func", None), "bounds", None)
        if bounds:
            return bounds[0], bounds[1]
    for arg in typing.get_args(annotation):
        found = _find_bounds(arg)
        if found:
            return found
    return None


def _bounds(info: FieldInfo) -> str:
    found = None
    for meta in info.metadata:
        bounds = getattr(getattr(meta, "func", None), "bounds", None)
        if bounds:
            found = bounds[0], bounds[1]
    found = found or _find_bounds(info.annotation)
    if found:
        low, high = found
        return f"[{low:g}, {'∞' if math.isinf(high) else f'{high:g}'}]"
    ge = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    le = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if ge is not None or le is not None:
        return f"[{'' if ge is None else ge}, {'' if le is None else le}]"
    return ""


KEY_PLACEHOLDERS = {
    "sectors": ".<code>", "coefficients": ".<buyer>.<seller>", "sector_multiplier": ".<code>",
    "sector_midpoint_shift": ".<code>", "exposure_by_measure": ".<measure>",
    "policy_rate": "[.<year>]", "inflation": "[.<year>]", "labour_force_growth": "[.<year>]",
}


def _strip_annotated(annotation: Any) -> Any:
    """``Annotated[T, ...]`` -> ``T``, also inside ``list[...]`` (the metadata is validation)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is list:
        return list[_strip_annotated(typing.get_args(annotation)[0])]
    return annotation


def _type_name(annotation: Any) -> str:
    text = repr(_strip_annotated(annotation))
    if "Distribution" in text or "tagged-union" in text or "Normal" in text:
        return "param"
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(repr(a) for a in typing.get_args(annotation))
    if isinstance(annotation, type):
        return annotation.__name__
    return text.replace("typing.", "").replace("|", "\\|")


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "(section)"
    if value in ({}, []):
        return "empty"
    return f"`{value}`" if value is not None else "none"


def _submodels(annotation: Any) -> tuple[str, type[BaseModel]] | None:
    """(key suffix, model) for a nested model, a dict of models, or an optional model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "", annotation
    origin = typing.get_origin(annotation)
    if origin is dict:
        inner = _submodels(typing.get_args(annotation)[1])
        if inner is not None:
            return ".<key>" + inner[0], inner[1]
        return None
    if origin is list:
        inner = _submodels(typing.get_args(annotation)[0])
        if inner is not None:
            return "[]" + inner[0], inner[1]
        return None
    for arg in typing.get_args(annotation):
        if "Distribution" in repr(arg):
            return None
        inner = _submodels(arg)
        if inner is not None:
            return inner
    return None


def rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}" + KEY_PLACEHOLDERS.get(name, "")
        typ = _type_name(info.annotation)
        nested = _submodels(info.annotation)
        if nested is not None and typ != "param" and name != "correlations":
            sub = nested[1]
            suffix = "[]" if nested[0].startswith("[]") else ""
            doc = info.description or ((sub.__doc__ or "").strip().splitlines() or [""])[0]
            out.append(f"| `{key}{suffix}` | section | | {_default(info)} | {doc} |")
            out.extend(rows(sub, f"{key}{suffix}."))
            continue
        if name in KEY_PLACEHOLDERS:
            typ = "param"
        description = (info.description or "").replace("|", "\\|")
        out.append(f"| `{key}` | {typ} | {_bounds(info)} | {_default(info)} | {description} |")
    return out


def markdown() -> str:
    """The scenario reference page."""
    return HEADER + "\n".join(rows(Scenario)) + "\n"


def _optional_everywhere(node: Any) -> None:
    """Drop every ``required`` list except a distribution's ``dist`` (it selects the family):
    a scenario *file* may be partial, the rest coming from the files it ``extends:``."""
    if isinstance(node, dict):
        if "required" in node:
            keep = [r for r in node["required"] if r == "dist"]
            if keep:
                node["required"] = keep
            else:
                del node["required"]
        for value in node.values():
            _optional_everywhere(value)
    elif isinstance(node, list):
        for value in node:
            _optional_everywhere(value)


def json_schema() -> dict[str, Any]:
    """JSON Schema of a scenario *file* for editors (``extends`` added: it is resolved before
    validation; every key optional, since a file may inherit the rest). Unknown keys, types
    and bounds are still checked; ``aisim validate`` checks the merged whole."""
    schema = Scenario.model_json_schema()
    parent = {"anyOf": [
        {"type": "string", "pattern": f"^(?!{library.PREFIX})",
         "description": "A file, relative to this one."},
        {"enum": [library.PREFIX + name for name in library.names()],
         "description": "A calibration fragment or scenario shipped with aisim."}]}
    schema.setdefault("properties", {})["extends"] = {
        "description": "File(s) this scenario inherits from: a path relative to this file, "
                       "or aisim:NAME for one shipped with aisim (later ones win).",
        "anyOf": [parent, {"type": "array", "items": parent}]}
    _optional_everywhere(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "aisim scenario"
    return schema
