"""The shape of the core, read from its source with ``ast`` (nothing is imported).

- no import cycle between the core's modules, counting imports made inside
  functions too (a function-level import that breaks a loop only hides it), and the
  package ``__init__`` each import runs first;
- no module over 400 lines;
- never ``import odoo`` / ``from odoo``: the core is host-free;
- no underscore-prefixed module beside the public ones: a private part of a
  package is a module of that package (test helpers excepted).
"""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
PACKAGE = CORE.name
MAX_LINES = 400


def _module_name(path):
    parts = [PACKAGE, *path.relative_to(CORE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    """{dotted name: (path, parsed tree)} of every Python module of the core."""
    return {_module_name(path): (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
            for path in sorted(CORE.rglob("*.py"))}


def _is_package(path):
    return path.name == "__init__.py"


def _imports(name, path, tree):
    """(line, imported dotted name) of every import of ``tree``, at any depth."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if not _is_package(path):
                    base = base[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _ancestors(name):
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _graph(modules):
    """{module: {imported core module: first line}}, including the packages whose
    ``__init__`` an import runs (those that are not already the importer's own)."""
    graph = {}
    for name, (path, tree) in modules.items():
        edges = graph.setdefault(name, {})
        own = _ancestors(name) | ({name} if _is_package(path) else set())
        for line, imported in _imports(name, path, tree):
            if imported not in modules:
                continue
            for target in ({imported} | _ancestors(imported)) - own:
                if target in modules and target != name:
                    edges.setdefault(target, line)
    return graph


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
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
            visit(node)
    return found


def test_the_graph_sees_relative_and_function_level_imports():
    source = "from ..syntax import to_cii\n\ndef f():\n    from . import data\n"
    modules = {
        f"{PACKAGE}.lifecycle.statuses": (CORE / "lifecycle/statuses.py", ast.parse(source)),
        f"{PACKAGE}.lifecycle": (CORE / "lifecycle/__init__.py", ast.parse("")),
        f"{PACKAGE}.lifecycle.data": (CORE / "lifecycle/data.py", ast.parse("")),
        f"{PACKAGE}.syntax": (CORE / "syntax/__init__.py", ast.parse("")),
    }
    assert set(_graph(modules)[f"{PACKAGE}.lifecycle.statuses"]) == {
        f"{PACKAGE}.syntax", f"{PACKAGE}.lifecycle.data"}
    assert _cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [
        ["a", "b", "c"]]


def test_no_import_cycle():
    graph = _graph(_modules())
    assert len(graph) > 50, "the walk found too few modules"
    problems = []
    for component in _cycles(graph):
        members = set(component)
        edges = [f"{source}:{line} -> {target}" for source in component
                 for target, line in sorted(graph[source].items()) if target in members]
        problems.append("; ".join(edges))
    assert not problems, "import cycles in the core:\n" + "\n".join(problems)


def test_no_module_over_400_lines():
    too_long = {}
    for name, (path, _tree) in _modules().items():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES:
            too_long[name] = count
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_the_core_never_imports_odoo():
    found = [f"{path.relative_to(CORE)}:{line}"
             for name, (path, tree) in _modules().items()
             for line, imported in _imports(name, path, tree)
             if imported == "odoo" or imported.startswith("odoo.")]
    assert not found, f"the core imports odoo: {found}"


def test_private_parts_are_modules_of_a_package():
    private = [str(path.relative_to(CORE)) for path, _tree in _modules().values()
               if path.name.startswith("_") and path.name not in ("__init__.py", "__main__.py")
               and path.relative_to(CORE).parts[0] != "tests"]
    assert not private, f"underscore-prefixed modules (make them modules of a package): {private}"
