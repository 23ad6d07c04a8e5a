"""The suite's own layout: test modules share code through tests/helpers.py only, and every
folder is a package, so two test files of the same name in different folders never collide."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = {"tests.helpers"}


def _test_imports(path: Path) -> set[str]:
    """The modules of the tests package that `path` imports, anywhere in the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "tests":
                names |= {f"tests.{alias.name}" for alias in node.names}
            else:
                names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.add("." * node.level + (node.module or ""))  # relative: never allowed here
    return {name for name in names if name.startswith(("tests.", "."))}


def test_test_modules_import_no_other_test_module_nor_a_conftest() -> None:
    found = {
        f"{path.relative_to(TESTS.parent)} imports {name}"
        for path in TESTS.rglob("*.py")
        for name in _test_imports(path) - SHARED
    }
    assert sorted(found) == []


def test_every_test_folder_is_a_package() -> None:
    folders = {path.parent for path in TESTS.rglob("test_*.py")}
    assert sorted(str(f) for f in folders if not (f / "__init__.py").is_file()) == []
