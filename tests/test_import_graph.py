"""The stage rule of docs/architecture.md, checked on the source: every ``sim`` import points to
the same or an earlier stage, no module imports a private name of another, and the module graph
has no cycle. Read with ``ast`` (nothing is imported), so a violation fails before it runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"

#: stage of each top-level part of ``sim``; a module may import only stages <= its own
STAGES: dict[str, int] = {
    "errors": 0, "atomic": 0, "progress": 0, "suggest": 0, "aliases": 0, "version": 0,
    "portable": 0,
    "scenario": 1, "sampling": 2, "model": 3, "runner": 4, "analysis": 5, "present": 6,
    "calibrate": 7, "cli": 8,
    "__init__": 9, "testing": 9,  # the facade (sim.run, sim.load_scenario) and test helpers
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # the package itself: sim/__init__.py
        return STAGES["__init__"]
    return STAGES[parts[1]]


def typing_only_lines(tree: ast.AST) -> set[int]:
    """Lines inside ``if TYPE_CHECKING:`` blocks (imports for annotations, never executed)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def imports_of(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names) for every ``sim`` import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names
                      if a.name == "sim" or a.name.startswith("sim.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                node.module == "sim" or node.module.startswith("sim.")):
            found.append((node.lineno, node.module, [a.name for a in node.names]))
    return found


def resolve(module: str, name: str, known: set[str]) -> tuple[str, bool]:
    """``from module import name``: (the module depended on, whether ``name`` is a module)."""
    candidate = f"{module}.{name}"
    return (candidate, True) if candidate in known else (module, False)


def graph() -> tuple[dict[str, set[str]], list[str]]:
    files = sorted(SIM.rglob("*.py"))
    typing_only = {f: typing_only_lines(ast.parse(f.read_text(encoding="utf-8"))) for f in files}
    known = {module_name(f) for f in files}
    edges: dict[str, set[str]] = {module_name(f): set() for f in files}
    problems: list[str] = []
    for path in files:
        here = module_name(path)
        where = path.relative_to(SIM.parent)
        for line, module, names in imports_of(path):
            targets = [(module, False)] if not names else [resolve(module, n, known)
                                                           for n in names]
            for name, (target, is_module) in zip(names or [""], targets, strict=True):
                if target not in known:
                    problems.append(f"{where}:{line}: imports {target}, which does not exist")
                    continue
                if target != here and line not in typing_only[path]:  # runtime dependencies
                    edges[here].add(target)
                if stage_of(target) > stage_of(here):
                    problems.append(f"{where}:{line}: {here} (stage {stage_of(here)}) imports "
                                    f"{target} (stage {stage_of(target)}), a later stage")
                private = name.startswith("_") and not (name.startswith("__")
                                                        and name.endswith("__"))
                if private and not is_module and target != here:
                    problems.append(f"{where}:{line}: imports the private name {name} of "
                                    f"{target}")
                if is_module and private:
                    problems.append(f"{where}:{line}: imports the private module {target}")
    return edges, problems


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def without_packages(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop edges into package ``__init__`` modules that only re-export their children: a
    package and its modules are one unit for cycles."""
    packages = {m for m in edges if (SIM.parent / m.replace(".", "/") / "__init__.py").exists()}
    return {m: {t for t in targets if t not in packages or not m.startswith(t + ".")}
            for m, targets in edges.items()}


def test_every_top_level_part_has_a_stage() -> None:
    parts = {p.stem if p.is_file() else p.name for p in SIM.iterdir()
             if (p.suffix == ".py") or (p.is_dir() and (p / "__init__.py").exists())}
    assert parts <= set(STAGES), f"give these a stage: {sorted(parts - set(STAGES))}"


def test_imports_point_to_earlier_stages_and_no_private_names() -> None:
    _, problems = graph()
    assert not problems, "\n".join(problems)


def test_no_import_cycles() -> None:
    edges, _ = graph()
    found = cycles(without_packages(edges))
    assert not found, "\n".join(" <-> ".join(c) for c in found)


# the checker itself must be able to fail ------------------------------------------------------
def test_the_checker_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize(("source", "words"), [
    ("from sim.cli import main\n", "a later stage"),
    ("from sim.runner.engine import _as_loaded\n", "private name"),
    ("import sim.nowhere\n", "does not exist"),
])
def test_the_checker_finds_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      source: str, words: str) -> None:
    """A scenario-stage module with a bad import, in a copy of the tree, is reported."""
    import shutil

    copy = tmp_path / "sim"
    shutil.copytree(SIM, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "scenario" / "bad.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "SIM", copy)
    _, problems = graph()
    assert any("scenario/bad.py" in p and words in p for p in problems), problems
