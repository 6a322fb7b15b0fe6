"""The import direction of docs/architecture.md, enforced.

Data flows one way: files → io → model → rules → grading → analysis → results →
outputs, with the batch executor beside the outputs and the command line on top. A
module may import modules of lower layers and its own package's siblings, never a
higher layer and never a peer: the executor and the outputs do not import each other,
so that results are plain data between them. Every import counts, at module level or
inside a function (that is how heavy libraries are deferred, and how a wrong
dependency hides).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flowgraph"

#: Layers, lowest first. A module is placed by the longest prefix of its dotted name.
LAYERS = (
    ("flowgraph.version", "flowgraph.i18n", "flowgraph.frozen", "flowgraph.gc_paused",
     "flowgraph.files", "flowgraph.paths", "flowgraph.dates"),
    ("flowgraph.errors", "flowgraph.vocabulary", "flowgraph.workers"),
    ("flowgraph.model",),
    ("flowgraph.policy",),
    ("flowgraph.io",),
    ("flowgraph.rules",),
    ("flowgraph.grading",),
    ("flowgraph.config", "flowgraph.roster"),
    ("flowgraph.analysis",),
    ("flowgraph.results",),
    ("flowgraph.fingerprints",),
    ("flowgraph.comparison", "flowgraph.baseline", "flowgraph.rotation",
     "flowgraph.previous"),
    ("flowgraph.batch", "flowgraph.output", "flowgraph.generate", "flowgraph.shapes"),
    ("flowgraph.cli", "flowgraph"),
    ("flowgraph.__main__",),
)
#: Modules that import nothing of flowgraph at all.
STANDALONE = ("flowgraph.version", "flowgraph.files", "flowgraph.i18n", "flowgraph.frozen",
              "flowgraph.gc_paused", "flowgraph.paths", "flowgraph.dates")


def _place(module: str) -> tuple[int, str]:
    """The layer of a module and the name of its group in that layer."""
    best = None
    for number, groups in enumerate(LAYERS):
        for group in groups:
            if (module == group or module.startswith(group + ".")) \
                    and (best is None or len(group) > len(best[1])):
                best = (number, group)
    if best is None:
        raise LookupError(f"{module} is in no layer of docs/architecture.md")
    return best


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every flowgraph module ``module`` imports, with the line, anywhere in it."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from . import x`` and ``from .io import yaml_format`` may name modules
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                names.append((candidate if _is_module(candidate) else target, node.lineno))
    return [(name, line) for name, line in names
            if name == "flowgraph" or name.startswith("flowgraph.")]


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() \
        or (PACKAGE / relative / "__init__.py").is_file()


MODULES = _modules()


def test_every_module_has_a_layer():
    for module, _ in MODULES:
        _place(module)


@pytest.mark.parametrize("module, path", MODULES, ids=[m for m, _ in MODULES])
def test_imports_go_down(module, path):
    layer, group = _place(module)
    wrong = []
    for target, line in _imports(module, path):
        if module in STANDALONE:
            wrong.append(f"{path.name}:{line}: {module} must import nothing of flowgraph, "
                         f"imports {target}")
            continue
        target_layer, target_group = _place(target)
        if target_group == group or target_layer < layer:
            continue
        wrong.append(f"{path.name}:{line}: {module} (layer {layer}) imports {target} "
                     f"(layer {target_layer}{', a peer' if target_layer == layer else ''})")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_function_level_imports(tmp_path):
    """The test itself: an import inside a function is found."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from .output import report\n", "utf-8")
    assert _imports("flowgraph.batch", source) == [("flowgraph.output.report", 2)]
