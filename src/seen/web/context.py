"""What every request handler needs from the app, built once by `create_app`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from seen.settings import Settings
from seen.store import Store
from seen.store.accounts import Passwords


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class WebContext:
    settings: Settings
    store: Store
    passwords: Passwords
    now: Callable[[], dt.datetime] = utc_now
