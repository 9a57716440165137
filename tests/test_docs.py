"""The shape of core/, read from its source with `ast`: every public function, class and method
documented; no Streamlit; imports only go downwards (pages -> ui -> query/corpus -> extract ->
schema/model/vocab/errors/data)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "core"
MODULES = sorted(CORE.rglob("*.py"))
# What each part of core/ must not import (module name prefixes).
FORBIDDEN = {
    "extract": ("core.corpus", "core.query"),
    "corpus": ("core.query",),
    "query": (),
    # The bottom floor: the vocabulary, table and record definitions, errors and data files.
    **{floor: ("core.extract", "core.corpus", "core.query", "core.cli")
       for floor in ("schema", "model", "vocab", "errors", "data")},
}
ABOVE_CORE = ("ui", "pages", "pages", "dashboard")


def module_name(path: Path) -> str:
    """`core/extract/dates.py` -> "core.extract.dates"."""
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def undocumented(tree: ast.Module) -> list[str]:
    """Qualified names of the public functions, classes and methods of `tree` without a docstring.

    Public: not starting with "_", at module level or in a public class; functions nested in
    functions are private to them."""
    missing = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    or child.name.startswith("_"):
                continue
            if ast.get_docstring(child) is None:
                missing.append(f"{prefix}{child.name} (line {child.lineno})")
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")

    visit(tree, "")
    return missing


def imported_modules(tree: ast.Module, package: str) -> set[str]:
    """Every module `tree` imports, anywhere in it, relative imports resolved against `package`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


def test_docs_every_public_function_class_and_method_in_core_has_a_docstring():
    missing = {module_name(p): names for p in MODULES if (names := undocumented(parsed(p)))}
    assert missing == {}


def test_docs_undocumented_finds_public_names_only():
    tree = ast.parse("def f():\n    def inner(): pass\nclass C:\n    '''doc'''\n    def m(self): pass\n"
                     "    def _p(self): pass\nclass _Hidden:\n    def m(self): pass\n")
    assert undocumented(tree) == ["f (line 1)", "C.m (line 5)"]


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_docs_core_never_imports_streamlit(path):
    imports = imported_modules(parsed(path), package_of(path))
    assert not {m for m in imports if m == "streamlit" or m.startswith("streamlit.")}


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_docs_core_imports_only_go_downwards(path):
    imports = imported_modules(parsed(path), package_of(path))
    part = path.relative_to(CORE).with_suffix("").parts[0]
    forbidden = ABOVE_CORE + FORBIDDEN.get(part, ())
    upward = {m for m in imports for f in forbidden if m == f or m.startswith(f + ".")}
    assert upward == set()


def test_docs_imported_modules_resolves_relative_imports():
    tree = ast.parse("import streamlit as st\nfrom . import stories\nfrom ..query.views import x\n")
    assert imported_modules(tree, "core.corpus") == {"streamlit", "core.corpus", "core.corpus.stories",
                                                     "core.query.views", "core.query.views.x"}
