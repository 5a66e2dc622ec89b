"""The `seen` command: agency-side commands (synth, validate, keys, encode), hub-side
commands (ingest, summary, link, review, audit, agreements), the policy simulator and the
demo."""

from seen.cli import agency, agreements, audit, demo, hub, policy, review  # noqa: F401 - registers
from seen.cli.app import app


def main() -> None:
    """Entry point of the `seen` command."""
    app()


__all__ = ["app", "main"]
