"""The `seen` command: agency-side commands (synth, validate, keys, encode), hub-side
commands (ingest, summary, link, review, audit) and the demo."""

from seen.cli import agency, audit, demo, hub, review  # noqa: F401 - importing registers the commands
from seen.cli.app import app


def main() -> None:
    """Entry point of the `seen` command."""
    app()


__all__ = ["app", "main"]
