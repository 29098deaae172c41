"""The code is laid out as the README says: its "Code layout" table names every module of every
subpackage and nothing else, and subpackages import only the stages below them."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

PACKAGE = ROOT / "generator"
#: The README's order of the stages: a subpackage imports only those before it.
LAYERS = ("core", "config", "content", "site", "build", "commands")


def layout_table() -> dict[str, set[str]]:
    """Subpackage → the modules its row of the README's "Code layout" table names."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Code layout", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `generator/(\w+)/` \| ([^|]+) \|", section, re.MULTILINE)
    return {package: set(re.findall(r"`(\w+)`", modules)) for package, modules in rows}


def subpackages() -> dict[str, set[str]]:
    return {
        folder.name: {m.stem for m in folder.glob("*.py") if m.stem != "__init__"}
        for folder in sorted(PACKAGE.iterdir())
        if (folder / "__init__.py").is_file()
    }


def imported(path: str) -> set[str]:
    """The generator subpackages a module imports (at any depth of its code)."""
    tree = ast.parse((PACKAGE / path).read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n.split(".")[1] for n in names if n.startswith("generator.") and n.count(".") >= 1}


def test_the_code_layout_names_every_module_of_every_subpackage() -> None:
    actual = subpackages()
    assert len(actual) >= 5, actual
    assert layout_table() == actual


def test_subpackages_import_only_the_stages_below_them() -> None:
    assert set(subpackages()) == set(LAYERS)
    upward = []
    for package, modules in subpackages().items():
        allowed = set(LAYERS[: LAYERS.index(package) + 1])
        for module in sorted(modules):
            wrong = imported(f"{package}/{module}.py") - allowed
            upward.extend(f"{package}/{module}.py imports generator.{w}" for w in sorted(wrong))
    assert upward == []
