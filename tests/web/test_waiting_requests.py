"""A request waiting on the database holds up no other request: the store is called from the
thread pool, never from the event loop that serves every request of a worker."""

from __future__ import annotations

import inspect
import threading
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy import event, update

from seen.store import Store, write_transaction
from seen.store.tables import web_sessions
from web.accounts import add_accounts, sign_in
from web.clock import Clock
from web.test_route_inventory import all_routes

# Generous: only a blocked event loop takes this long to answer for a stylesheet.
WAIT_SECONDS = 20


def test_every_route_is_a_plain_function_so_its_store_calls_run_in_the_thread_pool(
    app: Any,
) -> None:
    coroutines = [
        f"{sorted(route.methods)} {route.path}"
        for route in all_routes(app.routes)
        if isinstance(route, APIRoute) and inspect.iscoroutinefunction(route.endpoint)
    ]
    assert not coroutines, "routes that would call the store on the event loop:\n" + "\n".join(
        coroutines
    )


def test_a_sign_in_check_waiting_to_write_does_not_hold_up_other_requests(
    client: Any, store: Store, clock: Clock
) -> None:
    add_accounts(store)
    sign_in(client, "sw-amara")
    clock.advance(minutes=5)  # the session's last use is now old enough to be written again

    looked_up = threading.Event()

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "web_sessions" in statement:
            looked_up.set()

    answers: dict[str, int] = {}

    def get(name: str, path: str) -> None:
        answers[name] = client.get(path).status_code

    event.listen(store.engine, "before_cursor_execute", on_statement)
    try:
        # Hold the writer's turn (SQLite) and the session's row (PostgreSQL): the signed-in
        # request reads its session, then waits to record its use.
        with write_transaction(store) as conn:
            conn.execute(update(web_sessions).values(last_seen_at=clock()))
            signed_in = threading.Thread(target=get, args=("signed in", "/"))
            signed_in.start()
            assert looked_up.wait(WAIT_SECONDS), "the signed-in request never read its session"
            other = threading.Thread(target=get, args=("other", "/static/seen/seen.css"))
            other.start()
            other.join(WAIT_SECONDS)
            answered_while_waiting = not other.is_alive()
            waiting = signed_in.is_alive()
        signed_in.join(WAIT_SECONDS)
        other.join(WAIT_SECONDS)
    finally:
        event.remove(store.engine, "before_cursor_execute", on_statement)

    assert waiting, "the signed-in request did not wait for the writer it was meant to wait for"
    assert answered_while_waiting, "a request waiting on the database held up another request"
    assert answers == {"signed in": 200, "other": 200}
