"""The shape of the code: no import circles, no import from a lower layer to
a higher one, no module too long to read at once. Read from the source
(every import, those inside functions too), so a circle hidden behind a
late import counts as well."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("captcha", "classifiers", "moderation")
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The modules of ours that ``path`` imports (a package counts as its ``__init__``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            if name in known:
                found.add(name)
            elif name.rsplit(".", 1)[0] in known and name.split(".")[0] in PACKAGES:
                found.add(name.rsplit(".", 1)[0])
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    known = modules()
    graph = {name: imports(path, set(known)) - {name} for name, path in known.items()}
    # A package's __init__ importing its own modules is how a package is made, not a circle.
    for name in graph:
        graph[name] = {other for other in graph[name] if not name.startswith(f"{other}.")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles(graph):
    assert cycles(graph) == []


def test_captcha_and_classifiers_know_nothing_of_moderation(graph):
    wrong = [(a, b) for a, targets in graph.items() for b in targets
             if a.split(".")[0] in {"captcha", "classifiers"} and b.startswith("moderation")]
    assert wrong == []


def test_only_the_edges_import_the_edges(graph):
    """The web layer and the CLI import the domain, never the other way round."""
    edges = ("moderation.web", "moderation.cli", "moderation.app")

    def edge(name: str) -> bool:
        return any(name == e or name.startswith(e + ".") for e in edges)

    # The package itself hands out create_app lazily (moderation/__init__.py).
    wrong = [(a, b) for a, targets in graph.items() for b in targets
             if edge(b) and not edge(a) and a != "moderation"]
    assert wrong == []


def test_the_store_and_the_queue_need_no_web_framework():
    lower = [path for name, path in modules().items()
             if name.startswith(("moderation.store", "moderation.queue", "moderation.keys"))]
    for path in lower:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.Import | ast.ImportFrom)
                 for alias in getattr(node, "names", [])}
        roots = {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
        assert not ({"flask", "flask_babel", "wtforms", "flask_wtf"} & (names | roots)), path


def test_no_module_is_too_long_to_read():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
