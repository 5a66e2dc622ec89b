"""The `seen` application object and what every command shares: errors become messages and
exit codes here and only here, settings are read once, long work shows a progress bar.

Command modules import their heavy dependencies inside the command, so that `seen --help`
and the test suite's imports do no work.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from seen.errors import InvalidInput, SeenError
from seen.settings import Settings, load_settings

if TYPE_CHECKING:
    from seen.domain.records import Problem

PROBLEMS_SHOWN = 20

out = Console()
# Errors are never folded by Rich: they name files, rows and fields, which a reader copies,
# and a fold in the middle of a path breaks it (the terminal wraps long lines itself).
err = Console(stderr=True, soft_wrap=True)


class _SeenGroup(TyperGroup):
    """Turns Seen's own errors into a message and an exit code, however the app is run."""

    def invoke(self, ctx: Any) -> Any:  # a click Context, which typer vendors privately
        try:
            return super().invoke(ctx)
        except SeenError as error:
            report_error(error)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=_SeenGroup,
    name="seen",
    help="Seen: safe, accountable information sharing for children's safeguarding partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def report_error(error: SeenError) -> None:
    err.print(f"[bold red]Error:[/] {error.message}", highlight=False)
    if isinstance(error, InvalidInput) and error.problems:
        print_problems(error.problems)


def print_problems(problems: Sequence[Problem]) -> None:
    from seen.formats.reports import tally

    if len(problems) > PROBLEMS_SHOWN:
        err.print("Where the problems are:", highlight=False)
        for file, field, count in tally(problems)[:PROBLEMS_SHOWN]:
            err.print(f"  {count:>7,}  {file}, {field}", highlight=False, markup=False)
        err.print(f"The first {PROBLEMS_SHOWN}:", highlight=False)
    for problem in problems[:PROBLEMS_SHOWN]:
        err.print(f"  - {problem}", highlight=False, markup=False)
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        err.print(
            f"  ... and {more:,} more: --report FILE writes every problem to a CSV file",
            highlight=False,
        )


def settings() -> Settings:
    loaded = load_settings()
    level = logging.getLevelName(loaded.log_level.upper())
    logging.basicConfig(level=level, format="%(levelname)s %(name)s %(message)s")
    # Splink warns about every level small data cannot train, which is expected here;
    # its warnings show when Seen's own logging is set to INFO or below.
    if not isinstance(level, int) or level > logging.INFO:
        logging.getLogger("splink").setLevel(logging.ERROR)
    return loaded


def output_folder(path: Path, option: str = "--out") -> Path:
    """The folder a command writes to, made if missing, checked before any work is done."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(
            f"{option} {path}: cannot make that folder ({error.strerror or error})"
        ) from None
    if not os.access(path, os.W_OK):
        raise InvalidInput(f"{option} {path}: the folder cannot be written to")
    return path


@contextmanager
def progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar for long work; the callback takes (done, total)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
