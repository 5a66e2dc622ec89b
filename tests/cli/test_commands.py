"""The `seen` command as a user meets it: help with examples, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seen.cli import app

runner = CliRunner()
COMMANDS = [
    "synth",
    "validate",
    "keys new",
    "encode",
    "ingest",
    "summary",
    "demo",
    "audit keygen",
    "audit checkpoint",
    "audit prove",
    "audit verify",
    "audit cosign",
    "audit add-cosigned",
    "serve",
    "accounts add",
    "accounts reset-password",
    "practitioners add",
    "relationships add",
    "identify evaluate",
    "identify run",
    "report",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example: seen " in result.output


def test_importing_the_cli_does_no_work() -> None:
    # No settings read, no database opened, no heavy imports at import time.
    code = (
        "import sys, seen.cli; "
        "mods = ('sqlalchemy', 'numpy', 'pyarrow', 'seen.store', 'seen.synth', 'seen.encode'); "
        "heavy = [m for m in mods if m in sys.modules]; "
        "print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_validate_lists_every_problem_of_the_public_cin_sample(testdata: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seen", "validate", str(testdata / "cin" / "CIN_Census_2024.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "CIN_Census_2024.xml" in result.stderr
    assert "'RB'" in result.stderr  # the unknown assessment factor, named
    assert "Traceback" not in result.stderr


def test_validate_passes_a_clean_synthetic_extract(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--children", "150", "--out", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    police = tmp_path / "p" / "agencies" / "northshire-police"
    result = subprocess.run(
        [sys.executable, "-m", "seen", "validate", str(police)], capture_output=True, text=True
    )
    # Synthetic police identities carry errors, but nothing that makes a row unreadable.
    assert "Files read" in result.stdout
    assert "Traceback" not in result.stderr
