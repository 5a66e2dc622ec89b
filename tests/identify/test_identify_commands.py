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
from seen.cli.app import out as cli_out


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    # Rich fixes a console's width from COLUMNS when the console is made, at import: under
    # pytest-xdist a worker may have imported the CLI with COLUMNS=80, so set it here too.
    cli_out.width = 200
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


def test_monitor_prints_agreement_speed_outcomes_and_warnings(tmp_path: Path) -> None:
    import datetime as dt

    from identify.factories import (
        YOUNG_CARERS,
        YOUNG_CARERS_WORKER,
        prompt_for,
        prompted_partnership,
    )
    from seen.identify.labels import Need
    from seen.identify.review import decide, record_outcome, reviewer_for
    from seen.store import open_store
    from store.factories import make_settings

    code, out, _ = run(tmp_path, "identify", "monitor")
    assert code == 0 and "No decisions on prompts yet" in out
    now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with open_store(make_settings(tmp_path / "data")) as store:
        prompted_partnership(store)
        yara = reviewer_for(store, YOUNG_CARERS_WORKER, YOUNG_CARERS)
        assert yara is not None
        decided = decide(
            store,
            yara,
            prompt_for(store, Need.YOUNG_CARER, "P0001").id,
            decision="no_action",
            reason="Support already in place",
            now=now,
        )
        record_outcome(
            store,
            yara,
            decided.id,
            outcome="came_to_light_later",
            note="",
            on=now.date(),
            now=now,
        )
    code, out, err = run(tmp_path, "identify", "monitor")
    assert code == 0, err
    flat = " ".join(out.replace("│", " ").split())  # the table's rows, without its rules
    assert "young_carer northshire-young-carers 1 0 (0%, 0%-79%) 1 32 1 (100%)" in flat
    assert "no_action came_to_light_later 1" in flat
    assert "1 overridden prompt(s) had the need come to light later" in flat
    assert "Support already" not in out  # counts and codes, never their words
    code, out, _ = run(tmp_path, "identify", "monitor", "--agency", "northshire-council")
    assert "No decisions on prompts yet by northshire-council" in out
