"""The package's import graph keeps the architecture: no circle, no edge up a layer.

Read from the source (every ``import`` statement, those inside functions and under
TYPE_CHECKING included: a lazy import is still a dependency), so a new edge fails
here before anyone walks the code. The layers, lowest first:

- ``settings`` and ``errors``: import nothing but each other's leaf (settings nothing);
- ``local_server/``: imports nothing else of the package (it runs as a process of its
  own, and is the only part that imports moto);
- ``aws/``: the services' plumbing, over settings, errors and local_server;
- ``data/``: the tutorial's data and its bucket, over aws/;
- ``model/``: training, hosting, prediction, evaluation, over data/ and aws/;
- everything else (pipeline, cli, tutorial, state, cleanup, ...) on top.

And no module outside ``local_server/`` imports moto or werkzeug; none imports pytest.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "sagemaker_tutorial"
ROOT = Path(__file__).resolve().parent.parent / "src" / PACKAGE
# Each layer may import its own modules and those of the layers listed before it.
LAYERS = ("settings", "errors", "local_server", "aws", "data", "model")
SERVER_ONLY = ("moto", "werkzeug")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imports(module: str) -> tuple[set[str], set[str]]:
    """The package's modules ``module`` imports, and the top-level names of all others."""
    path, known = _modules()[module], _modules()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from pkg import sub` imports the submodule; `from mod import name`, the module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                while target not in known:
                    target = target.rpartition(".")[0]
                if target != module:
                    inside.add(target)
            else:
                outside.add(target.split(".")[0])
    return inside, outside


@cache
def _graph() -> dict[str, set[str]]:
    return {module: _imports(module)[0] for module in _modules()}


def _layer(module: str) -> int:
    """The index of the module's layer in LAYERS; len(LAYERS) for the top."""
    first = module.removeprefix(PACKAGE + ".").split(".")[0]
    return LAYERS.index(first) if first in LAYERS else len(LAYERS)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle (Tarjan's strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_edges_it_judges() -> None:
    """The reader of the graph is itself checked on edges known to be there."""
    graph = _graph()
    assert f"{PACKAGE}.aws.backends" in graph[f"{PACKAGE}.model.training"]
    assert f"{PACKAGE}.local_server.container_versions" in graph[f"{PACKAGE}.model.training"]
    assert f"{PACKAGE}.data.schema" in graph[f"{PACKAGE}.data.synthetic"]
    # A lazy import inside a function counts.
    assert f"{PACKAGE}.local_server" in graph[f"{PACKAGE}.aws.backends"]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_package_has_no_import_circle() -> None:
    assert _circles(_graph()) == []


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_imports_up_a_layer(module: str) -> None:
    upward = sorted(other for other in _graph()[module] if _layer(other) > _layer(module))
    assert upward == [], f"{module} imports a higher layer: {upward}"


def test_the_local_server_imports_nothing_else_of_the_package() -> None:
    for module in _modules():
        if _layer(module) == LAYERS.index("local_server"):
            others = sorted(o for o in _graph()[module] if _layer(o) != _layer(module))
            assert others == [], f"{module} imports {others}"


@pytest.mark.parametrize("module", sorted(_modules()))
def test_only_the_local_server_imports_moto_and_nothing_imports_pytest(module: str) -> None:
    outside = _imports(module)[1]
    assert "pytest" not in outside
    if _layer(module) != LAYERS.index("local_server"):
        assert sorted(outside & set(SERVER_ONLY)) == [], module


def test_importing_every_client_module_loads_no_moto() -> None:
    """What the client imports of local_server (container_versions) pulls in no server."""
    clients = [m for m in _modules() if _layer(m) != LAYERS.index("local_server")]
    code = (
        "import importlib, sys\n"
        f"for name in {clients!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(SERVER_ONLY)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
