"""`seen agreements`: import a register from YAML, list it, and move an agreement's status,
with clear messages and nothing changed when the input is wrong."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from seen.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {"SEEN_DATA_DIR": str(tmp_path / "data"), "SEEN_DATABASE_URL": ""}
    result = CliRunner().invoke(app, list(args), env=env)
    # Rich wraps long messages: compare words, not lines.
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def listed(tmp_path: Path) -> list[dict[str, object]]:
    code, out, _ = run(tmp_path, "agreements", "list", "--json")
    assert code == 0
    found: list[dict[str, object]] = json.loads(out)
    return found


def test_import_list_and_suspend(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "agreements", "import", str(EXAMPLE), "--by", "manager")
    assert code == 0 and "Imported 2 agreement(s)" in out
    code, _, _ = run(
        tmp_path,
        "agreements",
        "suspend",
        "ISA-NS-POLICE-SCHOOLS",
        "--reason",
        "breach",
        "--by",
        "dpo",
    )
    assert code == 0
    register = {entry["ref"]: entry for entry in listed(tmp_path)}
    suspended = register["ISA-NS-POLICE-SCHOOLS"]
    assert suspended["status"] == "suspended" and suspended["in_force"] is False
    assert [h["reason"] for h in suspended["history"]] == [
        "imported from agreements.yaml",
        "breach",
    ]  # type: ignore[union-attr, index]
    code, out, _ = run(tmp_path, "agreements", "list")
    assert code == 0 and "ISA-NS-SAFEGUARDING" in out


def test_a_bad_file_imports_nothing_and_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("release: automatic", "release: whenever"))
    code, _, err = run(tmp_path, "agreements", "import", str(bad), "--by", "manager")
    assert code == 2
    assert "bad.yaml, agreements[0], release: 'whenever' is not one of" in err
    assert listed(tmp_path) == []


def test_not_yaml_and_unknown_agreements_get_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("agreements: [unclosed")
    code, _, err = run(tmp_path, "agreements", "import", str(bad), "--by", "manager")
    assert code == 2 and "not a YAML or JSON document" in err
    code, _, err = run(
        tmp_path, "agreements", "expire", "ISA-NONE", "--reason", "gone", "--by", "dpo"
    )
    assert code == 3 and "no agreement 'ISA-NONE'" in err
