"""The web app from the command line: `seen serve` runs it, `seen accounts` manages who signs
in (docs/web.md, "Accounts and sessions").

Passwords never appear on the command line (where the shell history and `ps` would keep them):
they are typed at a prompt, or read from a file with `--password-file`.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from seen.cli.app import app, err, out, settings
from seen.errors import InvalidInput

if TYPE_CHECKING:
    from seen.settings import Settings

# The import string uvicorn loads in each worker: the app built from the environment.
APP_FACTORY = "seen.web.app:app_from_environment"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_warning(config: Settings, host: str, tls: bool) -> str | None:
    """What to tell whoever serves the app where browsers will not send its cookies."""
    if tls or is_loopback(host):
        return None
    if config.cookie_secure:
        return (
            f"Serving plain HTTP on {host}: session cookies are Secure, so browsers send them "
            "only over HTTPS or to a loopback address, and nobody will stay signed in. Put "
            "the app behind a proxy that terminates HTTPS, or give --ssl-certfile and "
            "--ssl-keyfile."
        )
    return (
        f"Serving plain HTTP on {host} with SEEN_COOKIE_SECURE=false: session cookies and "
        "passwords cross the network unencrypted. Use HTTPS."
    )


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: SEEN_HOST, else 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to listen on (default: SEEN_PORT, else 8000)."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (one per core is plenty).")
    ] = 1,
    ssl_certfile: Annotated[
        Path | None, typer.Option(help="Serve HTTPS with this certificate (PEM).")
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(help="The certificate's private key (PEM).")
    ] = None,
) -> None:
    """Run the web app and its JSON API (/api/v1) until Ctrl-C.

    Example: seen serve --port 8000
    """
    import uvicorn

    from seen.store import open_store

    config = settings()
    bind_host = host if host is not None else config.host
    bind_port = port if port is not None else config.port
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise InvalidInput("HTTPS needs both --ssl-certfile and --ssl-keyfile")
    # Open (and migrate) the store once here, so a bad database URL fails before serving.
    open_store(config).close()
    warning = plain_http_warning(config, bind_host, tls=ssl_certfile is not None)
    if warning:
        err.print(f"[bold yellow]Warning:[/] {warning}", highlight=False)
    scheme = "https" if ssl_certfile else "http"
    shown = f"[{bind_host}]" if ":" in bind_host else bind_host
    out.print(f"Serving Seen at {scheme}://{shown}:{bind_port}/ (Ctrl-C stops)", highlight=False)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        log_level=config.log_level.lower(),
        server_header=False,
        proxy_headers=False,
    )


accounts = typer.Typer(
    help="Accounts for the web app: add one, reset a password.", no_args_is_help=True
)
app.add_typer(accounts, name="accounts")

PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the password from the first line of this file instead of a prompt.",
    ),
]


def read_password(password_file: Path | None) -> str:
    if password_file is None:
        entered: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return entered
    try:
        lines = password_file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"{password_file}: no such file") from None
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"{password_file}: could not be read as text") from None
    if not lines or not lines[0]:
        raise InvalidInput(f"{password_file}: the first line should be the password")
    return lines[0]


@accounts.command("add")
def add_command(
    username: Annotated[str, typer.Argument(help="The user name, e.g. sw-amara or yp-0042.")],
    role: Annotated[
        str,
        typer.Option(help="practitioner, dpo, administrator, analyst or young_person."),
    ],
    practitioner: Annotated[
        str | None, typer.Option(help="For a practitioner: their practitioner reference.")
    ] = None,
    agency: Annotated[str | None, typer.Option(help="For a DPO: their agency.")] = None,
    person: Annotated[
        str | None, typer.Option(help="For a young person: their person id (e.g. P0001).")
    ] = None,
    password_file: PasswordFile = None,
) -> None:
    """Add an account that signs in to the web app. A practitioner's account names their
    practitioner entry (`seen practitioners add`), a DPO's their agency, a young person's
    their person id; the administrator and the analyst name none.

    Example: seen accounts add sw-amara --role practitioner --practitioner sw-amara
    """
    import datetime as dt

    from seen.domain.accounts import AccountRole
    from seen.errors import NotFound
    from seen.sharing.world_slice import agencies_holding
    from seen.store import open_store
    from seen.store.accounts import Passwords, create_account

    roles = [r.value for r in AccountRole]
    if role not in roles:
        raise InvalidInput(f"unknown role {role!r}: choose one of {', '.join(roles)}")
    config = settings()
    password = read_password(password_file)
    with open_store(config) as store:
        if person is not None and not agencies_holding(store, person):
            raise NotFound(f"no person {person!r} in the hub's latest linkage")
        account = create_account(
            store,
            Passwords(config.password_hash_profile),
            username=username,
            password=password,
            role=AccountRole(role),
            now=dt.datetime.now(dt.UTC),
            practitioner=practitioner,
            agency=agency,
            person_id=person,
        )
    out.print(f"Added {account.role.label.lower()} account {account.username}.", highlight=False)


@accounts.command("reset-password")
def reset_password_command(
    username: Annotated[str, typer.Argument(help="The account's user name.")],
    password_file: PasswordFile = None,
) -> None:
    """Give an account a new password; it opens the account if failed sign-ins closed it,
    and ends every session it had.

    Example: seen accounts reset-password sw-amara --password-file new-password.txt
    """
    from seen.store import open_store
    from seen.store.accounts import Passwords, set_password

    config = settings()
    password = read_password(password_file)
    with open_store(config) as store:
        set_password(store, Passwords(config.password_hash_profile), username, password)
    out.print(f"New password set for {username}; its sessions have ended.", highlight=False)
