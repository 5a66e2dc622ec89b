"""`seen audit` as a user meets it: keygen, checkpoint, prove, verify, and countersigning by
another agency, end to end through the command line."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from typer.testing import CliRunner

from audit.factories import decision, env, one_of_each_kind
from seen.audit import append, verify_inclusion
from seen.audit.note import NoteVerifier, open_note
from seen.cli import app
from seen.settings import Settings
from seen.store import open_store
from store.factories import make_settings


def _run(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["audit", *args], env=env(settings))
    return result.exit_code, result.stdout, result.stderr


def test_keygen_checkpoint_prove_and_verify(store_settings: Settings) -> None:
    code, out, _ = _run(store_settings, "keygen", "--origin", "seen.example/north/audit")
    assert code == 0, out
    verifier = NoteVerifier.parse(out.strip().splitlines()[-1])
    assert verifier.name == "seen.example/north/audit"
    key_text = store_settings.resolved_audit_key().read_text().strip()
    # PRIVATE+KEY+name+hash+secret; the secret is base64 and may itself hold "+".
    secret = key_text.split("+", 4)[-1]
    assert len(secret) >= 40 and secret not in out  # the secret is never printed
    with open_store(store_settings) as store:
        append(store, one_of_each_kind())
        append(store, [decision(n) for n in range(10, 30)])

    code, note, err = _run(store_settings, "checkpoint")
    assert code == 0, err
    assert note.startswith("seen.example/north/audit\n27\n")
    opened = open_note(note, [verifier])
    assert opened.verified_by == ("seen.example/north/audit",)

    code, out, err = _run(store_settings, "prove", "11")
    assert code == 0, err
    proof = json.loads(out)
    assert proof["verified"] is True and proof["tree_size"] == 27
    assert proof["entry"]["index"] == 11 and proof["entry"]["request"] == "req-14"
    assert proof["checkpoint_note"] == note
    verify_inclusion(
        base64.b64decode(proof["leaf_hash"]),
        11,
        27,
        [base64.b64decode(p) for p in proof["inclusion_proof"]],
        base64.b64decode(proof["root_hash"]),
    )

    code, out, err = _run(store_settings, "verify")
    assert code == 0, err
    assert "27 entries, 1 checkpoints" in " ".join(out.split())


def test_errors_are_messages_with_exit_codes(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    code, _, err = _run(settings, "checkpoint")
    assert code == 2 and "seen audit keygen" in err and "Traceback" not in err
    _run(settings, "keygen", "--origin", "seen.example/log")
    code, _, err = _run(settings, "keygen", "--origin", "seen.example/log")
    assert code == 2 and "never overwritten" in err
    code, _, err = _run(settings, "prove", "0")
    assert code == 3 and "no checkpoint yet" in err
    _run(settings, "checkpoint")
    code, _, err = _run(settings, "prove", "5")
    assert code == 3 and "not covered by the latest checkpoint" in " ".join(err.split())
    settings.resolved_audit_key().unlink()
    code, _, err = _run(settings, "verify")
    assert code == 4 and "--verifier-key" in err


def test_another_agency_countersigns_and_the_hub_keeps_it(tmp_path: Path) -> None:
    hub = make_settings(tmp_path / "hub")
    code, out, _ = _run(hub, "keygen", "--origin", "seen.example/north/audit")
    hub_key = out.strip().splitlines()[-1]
    police_key_file = tmp_path / "police" / "audit.key"
    code, out, _ = _run(
        hub, "keygen", "--origin", "police.example/audit", "--out", str(police_key_file)
    )
    police_key = out.strip().splitlines()[-1]
    with open_store(hub) as store:
        append(store, [decision(n) for n in range(12)])
    _, note, _ = _run(hub, "checkpoint")
    note_file = tmp_path / "checkpoint.txt"
    note_file.write_text(note)

    # The police force checks the hub's signature, then adds its own line.
    code, cosigned, err = _run(
        hub, "cosign", str(note_file), "--key", str(police_key_file), "--log-key", hub_key
    )
    assert code == 0, err
    assert cosigned.startswith(note) and cosigned.count("\n— ") == 2
    cosigned_file = tmp_path / "cosigned.txt"
    cosigned_file.write_text(cosigned)
    # It refuses to countersign a note the hub did not sign.
    code, _, err = _run(
        hub, "cosign", str(note_file), "--key", str(police_key_file), "--log-key", police_key
    )
    assert code == 6 and "no signature from a known key" in err

    code, out, err = _run(hub, "add-cosigned", str(cosigned_file))
    assert code == 0, err
    assert "checkpoint 2" in out
    code, out, _ = _run(hub, "verify")
    assert code == 0
    assert "not known here were not checked: police.example/audit" in " ".join(out.split())
    code, out, _ = _run(hub, "verify", "--verifier-key", police_key)
    assert code == 0
    assert "seen.example/north/audit" in out and "police.example/audit" in out

    # A countersignature that does not match fails verification by a key that knows it.
    bad = cosigned[:-6] + ("A" if cosigned[-6] != "A" else "B") + cosigned[-5:]
    bad_file = tmp_path / "bad.txt"
    bad_file.write_text(bad)
    code, _, _ = _run(hub, "add-cosigned", str(bad_file))
    assert code == 0  # the hub's own line is intact; the police line is checked by verify
    code, _, err = _run(hub, "verify", "--verifier-key", police_key)
    assert code == 6
    assert (
        "checkpoint 3 (size 12): the signature by police.example/audit does not match"
        in " ".join(err.split())
    )


def test_the_hub_keeps_only_cosigned_notes_of_its_own_checkpoints(tmp_path: Path) -> None:
    from seen.audit import Checkpoint, NoteSigner, sign_note
    from seen.audit.hashing import root_of

    hub = make_settings(tmp_path / "hub")
    _run(hub, "keygen", "--origin", "seen.example/north/audit")
    with open_store(hub) as store:
        append(store, [decision(n) for n in range(3)])
    _, note, _ = _run(hub, "checkpoint")
    stranger = NoteSigner.generate("seen.example/north/audit")
    unknown = tmp_path / "unknown.txt"
    unknown.write_text(sign_note(Checkpoint(stranger.name, 9, root_of([b"x"])).body(), [stranger]))
    code, _, err = _run(hub, "add-cosigned", str(unknown))
    assert code == 3 and "not the text of any stored checkpoint" in err
    resigned = tmp_path / "resigned.txt"
    resigned.write_text(sign_note(note.split("\n\n")[0] + "\n", [stranger]))
    code, _, err = _run(hub, "add-cosigned", str(resigned))
    assert code == 6 and "fails the log key" in err
