"""`seen review`: the clerical review queue at the hub. Each uncertain pair is explained
comparison by comparison without plaintext, tokens or filters; reviewers' decisions leave
the queue and are honoured by the next `seen link`.

A small synthetic partnership is encoded once for the module (with a fixed key, so runs
repeat); the end-to-end test links it on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from partnerships import Partnership, encoded_partnership
from seen.cli import app
from seen.domain.records import Identity
from seen.encode import PartnershipKey
from seen.encode.keys import KEY_BYTES
from seen.hub_link import link_store
from seen.link.model import COMPARISON_NAMES, Level, comparison_by_name, gamma_levels
from seen.package_ingest import ingest_package
from seen.settings import Settings
from seen.store import open_store
from seen.store.linkage import current_people
from store.factories import make_settings

NOW = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)
TOKEN = re.compile(r"\b[0-9a-f]{32}\b")  # a keyed token is 32 lower-case hex characters

RecordKey = tuple[str, str]


@pytest.fixture(scope="module")
def partnership(tmp_path_factory: pytest.TempPathFactory) -> Partnership:
    key = PartnershipKey(bytes(range(KEY_BYTES)), created=NOW)
    return encoded_partnership(tmp_path_factory.mktemp("partnership"), key, children=300, seed=15)


@pytest.fixture(scope="module")
def linked_template(tmp_path_factory: pytest.TempPathFactory, partnership: Partnership) -> Path:
    """A SQLite hub that has ingested the partnership and linked it once."""
    data = tmp_path_factory.mktemp("linked") / "data"
    with open_store(make_settings(data)) as store:
        for package in partnership.packages:
            ingest_package(store, package)
        summary = link_store(store)
    assert summary.review_pairs >= 3, "the partnership should leave pairs for review"
    return data


@pytest.fixture
def linked(linked_template: Path, tmp_path: Path) -> Settings:
    """A copy of the linked hub for one test."""
    data = tmp_path / "data"
    shutil.copytree(linked_template, data)
    return make_settings(data)


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Settings]:
    yield make_settings(tmp_path / "data")


def _env(settings: Settings) -> dict[str, str]:
    return {
        "SEEN_DATA_DIR": str(settings.data_dir),
        "SEEN_DATABASE_URL": settings.resolved_database_url(),
    }


def _run(args: list[str], settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env=_env(settings))
    return result.exit_code, " ".join(result.output.split())


def _queue(settings: Settings, *options: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["review", "list", "--json", *options], env=_env(settings))
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def _people(settings: Settings) -> dict[RecordKey, str]:
    with open_store(settings) as store:
        return {(agency, ref): person for agency, ref, person in current_people(store)}


def _records(pair: dict[str, Any]) -> tuple[RecordKey, RecordKey]:
    left, right = pair["left"], pair["right"]
    return (left["agency"], left["record_id"]), (right["agency"], right["record_id"])


def _level(comparison: str, key: str) -> Level:
    return next(lv for lv in comparison_by_name(comparison).levels if lv.key == key)


def _plaintext(identity: Identity) -> list[str]:
    values = [
        identity.given_name,
        identity.middle_names,
        identity.family_name,
        identity.postcode,
        identity.nhs_number,
        identity.upn,
        identity.date_of_birth.isoformat() if identity.date_of_birth else None,
        identity.date_of_birth.strftime("%d/%m/%Y") if identity.date_of_birth else None,
    ]
    return [v for v in values if v and len(v) >= 3]


@pytest.mark.parametrize("command", ["review list", "review decide"])
def test_review_commands_have_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Example: seen review" in result.output


def test_listing_before_any_link_run_says_so(empty: Settings) -> None:
    code, output = _run(["review", "list"], empty)
    assert code == 0 and "no link run yet" in output
    assert _queue(empty) == {"link_run": None, "queued": 0, "open": 0, "shown": 0, "pairs": []}


def test_deciding_before_any_link_run_is_an_input_error(empty: Settings) -> None:
    code, output = _run(["review", "decide", "1-2", "match", "--reviewer", "A. Analyst"], empty)
    assert code == 2 and "no link run yet" in output and "Traceback" not in output


def test_each_open_pair_is_explained_comparison_by_comparison(linked: Settings) -> None:
    queue = _queue(linked, "--limit", "100")
    assert queue["open"] == queue["queued"] == queue["shown"] >= 3
    probabilities = [pair["match_probability"] for pair in queue["pairs"]]
    assert probabilities == sorted(probabilities, reverse=True)
    low, high = queue["link_run"]["review_band"]
    for pair in queue["pairs"]:
        assert re.fullmatch(r"\d+-\d+", pair["pair_id"])
        assert low <= pair["match_probability"] < high
        comparisons = pair["comparisons"]
        assert {c["comparison"] for c in comparisons} == set(COMPARISON_NAMES)
        for c in comparisons:
            assert c["level"] in gamma_levels(c["comparison"]).values()
            level = _level(c["comparison"], c["level"])
            if level.condition is None:  # Splink's "all other comparisons"
                assert c["label"].startswith("disagree")
            else:  # the model's words, with the Dice threshold's value where there is one
                assert c["label"].startswith(level.label)
        # The explanation adds up: the prior's weight and each comparison's give the total.
        total = pair["prior_weight"] + sum(c["weight"] for c in comparisons)
        assert total == pytest.approx(pair["match_weight"], abs=0.02)
    levels = {c["level"] for pair in queue["pairs"] for c in pair["comparisons"]}
    assert {"exact", "null", "else"} <= levels  # agreed, missing, disagreed all explained


def test_the_review_list_shows_no_plaintext_and_no_tokens(
    linked: Settings, partnership: Partnership
) -> None:
    code, text = _run(["review", "list", "--limit", "100"], linked)
    assert code == 0
    as_json = json.dumps(_queue(linked, "--limit", "100"))
    pairs = _queue(linked, "--limit", "100")["pairs"]
    for pair in pairs:
        assert f"Pair {pair['pair_id']}" in text
        for record in _records(pair):
            for value in _plaintext(partnership.identities[record]):
                pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])", re.IGNORECASE)
                assert not pattern.search(text), f"{record} shows {value!r}"
                assert not pattern.search(as_json), f"{record} shows {value!r}"
    assert not TOKEN.search(text) and not TOKEN.search(as_json)
    for name in COMPARISON_NAMES:
        assert name in text


def test_the_list_is_limited_and_says_how_many_more_are_open(linked: Settings) -> None:
    code, output = _run(["review", "list", "--limit", "1"], linked)
    assert code == 0
    assert output.count("Pair ") == 1 and "--limit N shows more" in output
    assert _queue(linked, "--limit", "2")["shown"] == 2


def test_a_decided_pair_leaves_the_open_list(linked: Settings) -> None:
    before = _queue(linked, "--limit", "100")
    pair = before["pairs"][0]["pair_id"]
    code, output = _run(
        ["review", "decide", pair, "non-match", "--reviewer", "A. Analyst", "--note", "why"],
        linked,
    )
    assert code == 0, output
    assert f"pair {pair}" in output and "not a match" in output
    after = _queue(linked, "--limit", "100")
    assert after["open"] == before["open"] - 1
    assert pair not in {p["pair_id"] for p in after["pairs"]}
    code, output = _run(["review", "list", "--limit", "100"], linked)
    assert f"Pair {pair}:" not in output


def test_a_pair_id_works_either_way_round(linked: Settings) -> None:
    pair = _queue(linked)["pairs"][0]["pair_id"]
    left, right = pair.split("-")
    code, output = _run(["review", "decide", f"{right}-{left}", "match", "--reviewer", "B"], linked)
    assert code == 0, output
    assert pair not in {p["pair_id"] for p in _queue(linked, "--limit", "100")["pairs"]}


@pytest.mark.parametrize(
    ("pair", "decision", "reviewer", "message"),
    [
        ("999998-999999", "match", "A. Analyst", "no pair 999998-999999 in the review queue"),
        ("PX7", "match", "A. Analyst", "'PX7' is not a pair id"),
        (None, "maybe", "A. Analyst", "must be 'match' or 'non-match', not 'maybe'"),
        (None, "match", "  ", "--reviewer needs the name"),
    ],
    ids=["unknown pair", "malformed pair id", "bad decision", "blank reviewer"],
)
def test_a_wrong_decision_is_refused_naming_what_was_wrong(
    linked: Settings, pair: str | None, decision: str, reviewer: str, message: str
) -> None:
    before = _queue(linked, "--limit", "100")
    pair = pair or before["pairs"][0]["pair_id"]
    code, output = _run(["review", "decide", pair, decision, "--reviewer", reviewer], linked)
    assert code == 2
    assert message in output and "Traceback" not in output
    assert _queue(linked, "--limit", "100") == before


def test_reviewers_decisions_are_honoured_by_the_next_link_run(
    store_settings: Settings, partnership: Partnership
) -> None:
    code, output = _run(["ingest", *map(str, partnership.packages)], store_settings)
    assert code == 0, output
    code, output = _run(["link"], store_settings)
    assert code == 0, output
    before = _people(store_settings)
    queue = _queue(store_settings, "--limit", "100")
    apart = [p for p in queue["pairs"] if len({before[r] for r in _records(p)}) == 2]
    together = [p for p in queue["pairs"] if len({before[r] for r in _records(p)}) == 1]
    match = apart[0]
    non_match = (together or apart[1:])[0]
    for pair, decision in ((match, "match"), (non_match, "non-match")):
        code, output = _run(
            ["review", "decide", pair["pair_id"], decision, "--reviewer", "A. Analyst"],
            store_settings,
        )
        assert code == 0, output

    code, output = _run(["link"], store_settings)
    assert code == 0, output
    after = _people(store_settings)
    left, right = _records(match)
    assert after[left] == after[right]  # apart before; the reviewer's match joins them
    left, right = _records(non_match)
    assert after[left] != after[right]
    requeued = _queue(store_settings, "--limit", "100")
    assert requeued["link_run"]["id"] == queue["link_run"]["id"] + 1
    assert requeued["open"] == requeued["queued"]  # a new run queues only undecided pairs
    decided = {match["pair_id"], non_match["pair_id"]}
    assert not decided & {p["pair_id"] for p in requeued["pairs"]}
