"""The package's shape, kept true: layers point down, no cycles, small functions and modules.

Imports are read with ``ast`` from the source, function-local and ``TYPE_CHECKING`` imports
included, so an edge cannot hide inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "mentoring"

LAYERS = (
    "mentoring.model",
    "mentoring.reading",
    "mentoring.engine",
    "mentoring.checks",
    "mentoring.outputs",
    "mentoring.pipeline",
    "mentoring.lifecycle",
    "mentoring.store",
    "mentoring.services",
    "mentoring.cli",
)
"""Lowest first: a module may import its own layer and any layer before it, never one after."""

MAX_FUNCTION_LINES = 150
MAX_MODULE_LINES = 1000


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {
        _module_name(path): ast.parse(path.read_text(), str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imported(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """Every ``mentoring`` module the tree imports, anywhere in it."""
    package = name if name in known and (PACKAGE / "/".join(name.split(".")[1:])).is_dir() else ""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (package or name.rsplit(".", 1)[0]).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t in known}
    return out - {name}


def _layer(module: str) -> int | None:
    for rank, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    trees = _modules()
    known = set(trees)
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for name, tree in trees.items():
        for target in _imported(name, tree, known):
            g.add_edge(name, target)
    return g


def test_every_module_belongs_to_a_layer(graph: nx.DiGraph) -> None:
    homeless = sorted(m for m in graph if m != "mentoring" and _layer(m) is None)
    assert not homeless, f"modules outside every layer: {homeless}"


def test_every_import_points_down(graph: nx.DiGraph) -> None:
    upward = [
        f"{a} -> {b}"
        for a, b in graph.edges
        if a != "mentoring" and (_layer(b) or 0) > (_layer(a) or 0)
    ]
    assert not upward, "imports that point up a layer:\n" + "\n".join(sorted(upward))


def test_no_import_cycle(graph: nx.DiGraph) -> None:
    # The package's own __init__ only re-exports lazily; it is the top, never imported below.
    below = graph.subgraph(m for m in graph if m != "mentoring")
    cycles = list(nx.simple_cycles(below))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_subpackage_inits_import_nothing_eagerly() -> None:
    """Importing a layer's package must not load its modules (start-up time, issue 15)."""
    for init in PACKAGE.glob("*/__init__.py"):
        if init.parent.name == "model":
            continue
        tree = ast.parse(init.read_text())
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        assert not imports, f"{init.relative_to(SRC)} imports at load time"


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_no_function_over_150_lines() -> None:
    long = [
        f"{name}.{fn.name}: {fn.end_lineno - fn.lineno + 1} lines"
        for name, tree in _modules().items()
        for fn in _functions(tree)
        if fn.end_lineno - fn.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, "functions over 150 lines:\n" + "\n".join(long)


def test_no_module_over_1000_lines() -> None:
    long = [
        f"{path.relative_to(SRC)}: {n} lines"
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "modules over 1,000 lines:\n" + "\n".join(long)


def test_the_checker_sees_an_upward_edge(tmp_path: Path) -> None:
    """The rule itself can fail: an engine module importing the store is caught."""
    tree = ast.parse("def f():\n    from mentoring.store.db import Store\n")
    edges = _imported("mentoring.engine.scoring", tree, {"mentoring.store.db"})
    assert edges == {"mentoring.store.db"}
    assert _layer("mentoring.store.db") > _layer("mentoring.engine.scoring")
