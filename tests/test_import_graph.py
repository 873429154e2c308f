"""The package's modules import each other without a cycle, lazy (function-level) imports included:
a cycle hidden behind an import inside a function is still a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

ROOT = Path(bot.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The package modules `path` imports when it runs (imports under `if TYPE_CHECKING:` are for the
    type checker only and are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for top in ast.walk(tree) if _type_checking_only(top) for n in ast.walk(top)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name in known)
    return found


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
    known = set(paths)
    edges: dict[str, set[str]] = {}
    for name, path in paths.items():
        edges[name] = {m for m in imports_of(path, known) if m != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

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
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return groups


def test_the_store_families_are_in_the_graph() -> None:
    edges = graph()
    assert "bot.store.base" in edges["bot.store.chats"]  # the scan reads real imports
    assert not edges["bot.store.base"] & {
        "bot.store.chats",
        "bot.store.feeds",
        "bot.store.articles",
        "bot.store.outbox",
        "bot.store.broadcasts",
        "bot.store.stats",
        "bot.store.leases",
        "bot.store.audit",
        "bot.store.store",
    }  # the shared module is a leaf under the families


def test_no_import_cycles_even_through_lazy_imports() -> None:
    assert cycles(graph()) == []


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
