"""The audit log at the hub: sign checkpoints, prove an entry is in the log, verify the whole
log; and, for other agencies, countersign a checkpoint. Entries themselves are written by
the code that makes decisions (seen.audit.append), never from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from seen.cli.app import app, err, out, progress, settings
from seen.errors import InvalidInput, VerificationFailed

if TYPE_CHECKING:
    from seen.audit.note import NoteVerifier
    from seen.settings import Settings

audit = typer.Typer(
    help="The tamper-evident audit log: checkpoints, proofs, verification.",
    no_args_is_help=True,
)
app.add_typer(audit, name="audit")

VerifierKeys = Annotated[
    list[str] | None,
    typer.Option(
        "--verifier-key",
        help="A known key (name+keyid+base64), e.g. an agency that countersigns; repeatable. "
        "The hub's own key is known when its key file is present.",
    ),
]


@audit.command("keygen")
def keygen_command(
    origin: Annotated[
        str,
        typer.Option(
            "--origin",
            help="The key's name: for the hub, the log's origin (e.g. seen.example/north/audit); "
            "for an agency that countersigns, its own (e.g. northshire-police.example/audit).",
        ),
    ],
    key_out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Where to write the key [default: SEEN_AUDIT_KEY, or the data folder]."
        ),
    ] = None,
) -> None:
    """Create an Ed25519 signing key (file mode 0600, never overwritten) and print its public
    verifier key, which is what others need to check signatures. The key itself is never shown.

    Example: seen audit keygen --origin seen.example/northshire/audit
    """
    from seen.audit.keys import write_log_key
    from seen.audit.note import NoteSigner

    path = key_out if key_out is not None else settings().resolved_audit_key()
    signer = NoteSigner.generate(origin.strip())
    write_log_key(path, signer)
    out.print(f"Signing key written to {path} (mode 0600). Its verifier key, to share:")
    typer.echo(str(signer.verifier()))


@audit.command("checkpoint")
def checkpoint_command() -> None:
    """Sign the log as it stands (a C2SP tlog-checkpoint in a signed note, Ed25519), store the
    checkpoint and print its note. The whole log is recomputed from the entries first, and the
    hub never signs a log that does not extend its last checkpoint.

    Example: seen audit checkpoint > checkpoint.txt
    """
    from seen.audit.keys import read_log_key
    from seen.audit.log import make_checkpoint
    from seen.store import open_store

    loaded = settings()
    signer = read_log_key(loaded.resolved_audit_key())
    with open_store(loaded) as store:
        stored = make_checkpoint(store, signer)
    err.print(f"Checkpoint {stored.number}: {stored.tree_size:,} entries.", highlight=False)
    typer.echo(stored.note, nl=False)


@audit.command("prove")
def prove_command(
    index: Annotated[int, typer.Argument(metavar="INDEX", help="The entry's index, from 0.")],
    verifier_keys: VerifierKeys = None,
) -> None:
    """Prove that entry INDEX is in the log: its RFC 9162 inclusion proof against the latest
    checkpoint, checked here before it is printed, as JSON (the entry, its leaf hash, the
    proof, and the signed checkpoint note).

    Example: seen audit prove 1234 > proof.json
    """
    from seen.audit.prove import prove_entry
    from seen.store import open_store

    if index < 0:
        raise InvalidInput("an entry's index is 0 or more")
    loaded = settings()
    verifiers = _verifiers(loaded, verifier_keys)
    with open_store(loaded) as store:
        document = prove_entry(store, index, verifiers).document()
    typer.echo(json.dumps(document, indent=2))


@audit.command("verify")
def verify_command(verifier_keys: VerifierKeys = None) -> None:
    """Recompute the whole tree from the stored entries, check every checkpoint's signatures
    and the consistency between successive checkpoints, and name the first entry that does
    not match. Exit status 0 when the log is intact, 6 when it is not.

    Example: seen audit verify --verifier-key northshire-police.example/audit+1a2b3c4d+AQ...
    """
    from seen.audit.log import checkpoints
    from seen.audit.verify import verify_log
    from seen.store import open_store

    loaded = settings()
    with open_store(loaded) as store:
        verifiers = _verifiers(loaded, verifier_keys, required=bool(checkpoints(store)))
        with progress("Verifying the audit log") as update:
            report = verify_log(store, verifiers, progress=update)
    if not report.ok:
        for problem in report.problems[1:]:
            err.print(Text(f"  - {problem}"))
        raise VerificationFailed(f"the audit log does not verify: {report.problems[0]}")
    signed = f"{report.latest_size:,}" if report.latest_size is not None else "no"
    out.print(
        Text(
            f"The audit log verifies: {report.entries:,} entries, {report.checkpoints:,} "
            f"checkpoints, signed by {', '.join(sorted(report.signers)) or 'nobody'}; the "
            f"latest checkpoint covers {signed} entries."
        )
    )
    if report.unsigned:
        out.print(
            f"{report.unsigned:,} newer entries are not yet in a checkpoint "
            "(`seen audit checkpoint` signs them).",
            highlight=False,
        )
    if report.unknown_signers:
        names = ", ".join(sorted(report.unknown_signers))
        out.print(Text(f"Signatures from keys not known here were not checked: {names}."))


@audit.command("cosign")
def cosign_command(
    note_file: Annotated[Path, typer.Argument(help="The checkpoint note to countersign.")],
    key: Annotated[Path, typer.Option("--key", help="Your agency's signing key file.")],
    log_key: Annotated[
        str, typer.Option("--log-key", help="The hub's verifier key (name+keyid+base64).")
    ],
) -> None:
    """Countersign a checkpoint for your agency: check the hub's signature on it, then add
    your own signature line and print the note. Keep the note; send it back to the hub.

    Example: seen audit cosign checkpoint.txt --key police-audit.key
    --log-key seen.example/north/audit+1a2b3c4d+AQ... > cosigned.txt
    """
    from seen.audit.keys import read_log_key
    from seen.audit.note import NoteVerifier, cosign, open_note

    signer = read_log_key(key)
    note = _read_note(note_file)
    open_note(note, [NoteVerifier.parse(log_key)])
    typer.echo(cosign(note, signer), nl=False)


@audit.command("add-cosigned")
def add_cosigned_command(
    note_file: Annotated[Path, typer.Argument(help="A countersigned checkpoint note.")],
) -> None:
    """Keep a checkpoint note that agencies have countersigned, beside the original: its text
    must be a stored checkpoint's, and the hub's own signature on it must verify.

    Example: seen audit add-cosigned cosigned.txt
    """
    from seen.audit.keys import read_log_key
    from seen.audit.log import store_cosigned
    from seen.store import open_store

    loaded = settings()
    signer = read_log_key(loaded.resolved_audit_key())
    note = _read_note(note_file)
    with open_store(loaded) as store:
        stored = store_cosigned(store, note, signer.verifier())
    out.print(f"Stored as checkpoint {stored.number} ({stored.tree_size:,} entries).")


def _verifiers(
    loaded: Settings, given: list[str] | None, required: bool = True
) -> list[NoteVerifier]:
    from seen.audit.prove import hub_verifiers

    return hub_verifiers(loaded, given or [], required=required)


def _read_note(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"the note file {path} does not exist") from None
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"the note file {path} could not be read as text") from None
