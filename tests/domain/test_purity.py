"""The domain core imports no framework, database, dataframe or IO library."""

from __future__ import annotations

import ast
from pathlib import Path

import seen.domain

ALLOWED = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "hashlib",
    "itertools",
    "math",
    "re",
    "types",
    "typing",
    "unicodedata",
    "seen",
}


def test_domain_modules_import_only_the_standard_library_core_and_each_other() -> None:
    package = Path(seen.domain.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in ALLOWED or (top == "seen" and not name.startswith("seen.domain")):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
