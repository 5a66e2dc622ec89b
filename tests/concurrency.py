"""Concurrent writers for the tests: started together against a row one of them will lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from seen.store import Store, write_transaction


def run_while_row_is_held(
    store: Store, key: Any, value: object, threads: list[threading.Thread]
) -> None:
    """Start the threads while the row whose `key` is `value` is locked (PostgreSQL) or the
    writer's turn is held (SQLite), so that they reach it together when it is let go; then
    wait for them."""
    with write_transaction(store) as conn:
        conn.execute(select(key).where(key == value).with_for_update())
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # time for all to reach the lock; none can pass it meanwhile
    for thread in threads:
        thread.join(30)


T = TypeVar("T")


def all_at_once(work: Callable[[T], object], arguments: Iterable[T]) -> list[BaseException]:
    """Run `work(argument)` for every argument, each on its own thread, all at once; wait for
    them; return what any of them raised."""
    failures: list[BaseException] = []

    def run(argument: T) -> None:
        try:
            work(argument)
        except BaseException as failure:
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def race(
    store: Store, key: Any, value: object, attempts: Sequence[Callable[[], object]]
) -> list[str]:
    """Make the attempts at once, each on its own thread, against the held row (as
    `run_while_row_is_held`): how each ended, sorted: "done", or the name of the exception
    it raised."""
    ended: list[str] = []

    def attempt(work: Callable[[], object]) -> None:
        try:
            work()
            ended.append("done")
        except Exception as error:
            ended.append(type(error).__name__)

    threads = [threading.Thread(target=attempt, args=(work,)) for work in attempts]
    run_while_row_is_held(store, key, value, threads)
    return sorted(ended)


def while_added_uncommitted(
    store: Store, add: Callable[[Connection], object], work: Callable[[], object]
) -> str:
    """Run `work` on its own thread while this one has made `add`'s writes and not yet
    committed them, then commit: how the work ended, "done" or the name of the exception it
    raised. On PostgreSQL the work cannot see the uncommitted rows; on SQLite it waits for
    the writer's turn, and then sees them."""
    ended: list[str] = []

    def attempt() -> None:
        try:
            work()
            ended.append("done")
        except Exception as error:
            ended.append(type(error).__name__)

    thread = threading.Thread(target=attempt)
    with write_transaction(store) as conn:
        add(conn)
        thread.start()
        time.sleep(0.5)  # time for the work to check, and to reach the unique index
    thread.join(30)
    return ended[0]
