from __future__ import annotations

import seen.encode


def test_all_names_exactly_what_the_package_exports() -> None:
    public = {name for name in vars(seen.encode) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(seen.encode, name)).__name__ == "module"}
    assert set(seen.encode.__all__) == public - modules
    assert {
        "PartnershipKey",
        "encode_records",
        "write_package",
        "read_package",
        "Package",
        "read_mapped_extract",
        "parse_mapping",
    } <= set(seen.encode.__all__)


def test_the_encoder_does_not_import_the_synthetic_generator() -> None:
    import ast
    from pathlib import Path

    package = Path(seen.encode.__file__).parent
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.startswith("seen.synth") for name in names), path
