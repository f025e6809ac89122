"""The package's shape: no import cycle in ``src/extract`` and no module importing another's private names.

Imports inside functions count (a cycle hidden in a function is still a cycle); imports under
``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "extract"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` reads from."""
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def import_graph() -> tuple[dict[str, set[str]], list[str]]:
    """Edges between the package's modules, and the cross-module imports of private names."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    private: list[str] = []
    for name, path in known.items():
        for node in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [(alias.name, None) for alias in node.names]
            else:
                base = resolve(name, path, node)
                # ``from extract import keys`` imports the module extract.claims.keys, not a name of extract
                targets = [
                    (f"{base}.{a.name}", None) if f"{base}.{a.name}" in known else (base, a.name) for a in node.names
                ]
            for target, imported in targets:
                if target not in known or target == name:
                    continue
                graph[name].add(target)
                leaf = target.rpartition(".")[2]
                if imported and imported.startswith("_") and not imported.startswith("__"):
                    private.append(f"{name} imports {target}.{imported}")
                elif leaf.startswith("_") and not leaf.startswith("__"):
                    private.append(f"{name} imports the private module {target}")
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycles():
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_no_private_names_imported_across_modules():
    _, private = import_graph()
    assert private == []


def test_the_checks_see_cycles_and_private_imports(tmp_path):
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("from extract.x import _hidden\nif TYPE_CHECKING:\n    import extract.y\n")
    assert [type(n).__name__ for n in imports(tree)] == ["ImportFrom"]


def test_package_data_ships_every_resource():
    import tomllib
    from fnmatch import fnmatch

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["extract"]
    resources = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert any(name.endswith(".sql") for name in resources) and any(name.startswith("lang/") for name in resources)
    assert [name for name in resources if not any(fnmatch(name, pattern) for pattern in patterns)] == []


# Where the environment may be read: the edges (the command line, ``extract.open``) and two readers that are
# named for it and called while configuration is read (proxies of a fetch policy; the transformer NER model,
# still looked up when a language's pipeline is loaded).
ENVIRONMENT_READERS = {
    "extract",
    "extract.cli",
    "extract.acquire.fetch",  # proxies_from_env
    "extract.nlp.ner_transformers",  # backend_from_env, and the offline switches it sets for transformers
}


def test_the_environment_is_read_at_the_edges_only():
    readers = set()
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                readers.add(name)
    assert readers <= ENVIRONMENT_READERS, sorted(readers - ENVIRONMENT_READERS)


def test_only_the_store_touches_its_connection():
    touching = {
        name
        for name, path in modules().items()
        if not name.startswith("extract.store")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "con"
    }
    assert touching == set()
