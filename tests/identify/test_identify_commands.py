"""`seen identify evaluate` prints each method's measures with intervals and prompt counts,
the issue's targets met or not, and the fairness report with any alert, and with --save
stores the report, from which `seen identify transparency` writes the model card and the
transparency record; `seen identify run` explains what it needs first and refuses a date it
cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from seen.cli import app


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {"SEEN_DATA_DIR": str(tmp_path / "data"), "SEEN_DATABASE_URL": "", "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


@pytest.mark.slow
def test_evaluate_prints_measures_and_targets(partnership_dir: Path, tmp_path: Path) -> None:
    code, out, err = run(
        tmp_path,
        "identify",
        "evaluate",
        str(partnership_dir),
        "--need",
        "exploitation",
        "--months",
        "6",
        "--capacity",
        "0.005",
        "--bootstrap",
        "20",
        "--save",
    )
    assert code == 0, err
    assert "Possible exploitation risk" in out
    for method in ("multi-agency", "police"):
        assert method in out
    assert "precision >= 0.5" in out and "recall >= 2x best single agency" in out
    assert "median lead time >= 3 months" in out
    assert "errors by ethnic group" in out and "errors by deprivation quintile" in out
    assert "gap in false positive rate" in out
    assert "FAIRNESS ALERT" in out or "No fairness alert" in out
    assert "Stored as evaluation 1" in out

    code, out, err = run(tmp_path, "identify", "transparency", "--out", str(tmp_path / "docs"))
    assert code == 0, err
    card = (tmp_path / "docs" / "model-card.md").read_text(encoding="utf-8")
    record = (tmp_path / "docs" / "algorithmic-transparency-record.json").read_text("utf-8")
    assert card.startswith("# Model card") and "stored evaluation 1" in card
    assert '"standard_version": "3.0"' in record


def test_transparency_without_a_stored_evaluation_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "identify", "transparency", "--out", str(tmp_path / "docs"))
    assert code != 0
    assert "seen identify evaluate PARTNERSHIP --save" in err
    assert not (tmp_path / "docs").exists()


def test_run_without_linked_people_says_what_to_do(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "identify", "run", "--as-of", "2026-03-01")
    assert code == 0
    assert "seen ingest" in out and "seen link" in out


def test_run_refuses_a_date_it_cannot_read(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "identify", "run", "--as-of", "01/03/2026")
    assert code == 2
    assert "not a date" in err


def test_unknown_need_is_refused(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "identify", "run", "--as-of", "2026-03-01", "--need", "x")
    assert code == 2
    assert "unknown need" in err
