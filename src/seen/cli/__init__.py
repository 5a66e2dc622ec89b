"""The `seen` command: agency-side commands (synth, validate, keys, encode), hub-side
commands (ingest, summary, link, review, audit, agreements, practitioners, relationships),
the policy simulator, the partnership report, the web app (serve, accounts) and the demo."""

from seen.cli import (  # noqa: F401 - registers the commands
    agency,
    agreements,
    audit,
    demo,
    hub,
    identify,
    policy,
    practitioners,
    report,
    review,
    web,
)
from seen.cli.app import app


def main() -> None:
    """Entry point of the `seen` command."""
    app()


__all__ = ["app", "main"]
