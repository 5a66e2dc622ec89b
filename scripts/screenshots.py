"""Screenshots of the web app's main pages for the README: docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py            # every page in SHOTS
    .venv/bin/python scripts/screenshots.py start-dpo  # just these
    .venv/bin/python scripts/screenshots.py --demo data  # DEMO_SHOTS, from `seen demo`'s store

Serves the app (uvicorn, in a thread, on a free loopback port) over a fresh SQLite store
holding the small linked partnership of the tests with the demo's web set-up (an account per
role: seen.web_demo), signs in as each page's user with Playwright driving Debian's Chromium
(/usr/bin/chromium), and saves each page whole. Synthetic data only.

To add a page, add a line to SHOTS: (file name, user name or None for signed out, path).

Pages whose point is the numbers (the dashboard, the public page, the prompt queues) are shot
from the demo's store instead (`--demo DATA_DIR`, after `seen demo --no-serve`: 5,000
synthetic children), where the figures are big enough to show past disclosure control; the
demo's accounts get new passwords, as on every demo run.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1100, 800

# (file name, who is signed in, path). A path may name a seeded chronology request:
# {amara} (the social worker's, with a record waiting on the young person) or {ben} (the
# school's, with a police record waiting on the police's approval); see _seed.
SHOTS: list[tuple[str, str | None, str]] = [
    ("start", None, "/"),
    ("sign-in", None, "/sign-in"),
    ("start-practitioner", "sw-amara", "/"),
    ("start-dpo", "dpo-council", "/"),
    ("start-administrator", "admin-rosa", "/"),
    ("start-analyst", "analyst-gus", "/"),
    ("start-young-person", "yp-p0001", "/"),
    # A practitioner's journeys
    ("find-a-child", "sw-amara", "/children"),
    ("child", "sw-amara", "/children/P0001"),
    ("chronology-social-worker", "sw-amara", "/requests/{amara}"),
    ("chronology-school", "dsl-ben", "/requests/{ben}"),
    ("inbox-police", "dpo-police", "/inbox"),
    # The young person's journeys
    ("what-is-held", "yp-p0001", "/me"),
    ("who-has-looked", "yp-p0001", "/me/access"),
    ("choices", "yp-p0001", "/me/choices"),
    ("their-words", "yp-p0001", "/me/voice"),
    ("young-carer", "yp-p0001", "/me/young-carer"),
    # Governance
    ("agreements", "admin-rosa", "/governance/agreements"),
    ("break-glass", "admin-rosa", "/governance/break-glass"),
    ("audit-log", "admin-rosa", "/governance/audit"),
    ("linkage-review", "analyst-gus", "/linkage/review"),
]
# (file name, who is signed in, path), from the demo's store (--demo).
DEMO_SHOTS: list[tuple[str, str | None, str]] = [
    ("dashboard", "analyst-gus", "/dashboard"),
    ("transparency", None, "/transparency"),
    ("prompts-young-carers", "ycw-yara", "/prompts"),
    ("prompt-monitoring", "admin-rosa", "/governance/prompts"),
]
EMERGENCY = "She told her teacher she is frightened to go home tonight."


def _seed(store: Any, now: dt.datetime) -> dict[str, str]:
    """What the journeys' pages show: two chronologies asked and viewed (the social worker's,
    with school attendance waiting on the young person's ask-first wish that set_up_web_demo
    records; the school's, with the police incident waiting on the police), a break-glass
    request by the police officer, the young person's own words and young carer statement.
    The request ids, by the names the paths in SHOTS use."""
    from sqlalchemy import select

    from seen.sharing import chronology
    from seen.sharing.voice import add_voice, state_young_carer
    from seen.store.tables import events, records

    def looked(who: str, agency: str, basis: str, justification: str | None) -> str:
        request = chronology.ask(
            store,
            practitioner=who,
            agency=agency,
            person_id="P0001",
            purpose="safeguarding",
            lawful_basis=basis,
            justification=justification,
            now=now,
        )
        chronology.view(store, request, now)
        return request.id

    asked = {
        "amara": looked("sw-amara", "northshire-council", "uk-gdpr-6-1-e", None),
        "ben": looked("dsl-ben", "northshire-schools", "uk-gdpr-6-1-e", None),
    }
    looked("pc-cara", "northshire-police", "dpa-2018-sch1-para18", EMERGENCY)
    with store.engine.connect() as conn:
        incident = conn.execute(
            select(events.c.id)
            .join(records, records.c.id == events.c.record_id)
            .where(records.c.record_ref == "N-3001")
        ).scalar_one()
    add_voice(
        store,
        "P0001",
        "I was only there when the police came, I didn't do anything.",
        incident,
        now,
    )
    add_voice(store, "P0001", "I'd like my social worker to know I'm OK at my nan's.", None, now)
    state_young_carer(store, "P0001", True, ["school", "young_carers_service"], now)
    return asked


def main(wanted: list[str]) -> None:
    from store.factories import make_settings

    demo_data = None
    if wanted[:1] == ["--demo"]:
        if len(wanted) < 2:
            raise SystemExit("--demo needs the demo's data folder (SEEN_DATA_DIR of `seen demo`)")
        demo_data, wanted = Path(wanted[1]), wanted[2:]
        if not (demo_data / "seen.db").exists():
            raise SystemExit(f"no demo store at {demo_data / 'seen.db'}: run `seen demo` first")
    if not CHROMIUM.exists():
        raise SystemExit(f"Debian's Chromium is not at {CHROMIUM}: `make test` installs it")
    with tempfile.TemporaryDirectory(prefix="seen-screenshots-") as folder:
        data = demo_data or Path(folder) / "data"
        settings = make_settings(data).model_copy(update={"password_hash_profile": "cheapest"})
        listed = DEMO_SHOTS if demo_data else SHOTS
        _serve_and_shoot(settings, [s for s in listed if not wanted or s[0] in wanted], demo_data)


def _serve_and_shoot(settings: Any, shots: list[tuple[str, str | None, str]], demo: Any) -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from seen.store import open_store
    from seen.web import create_app
    from seen.web_demo import set_up_web_demo
    from sharing.factories import linked_partnership

    store = open_store(settings)
    now = dt.datetime.now(dt.UTC)
    if demo is None:
        linked_partnership(store)
    accounts = set_up_web_demo(store, settings, now)
    requests = _seed(store, now) if demo is None else {}
    passwords = {account.username: account.password for account in accounts.accounts}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for name, username, path in shots:
                _shoot(browser, base, name, username, passwords, path.format(**requests))
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


def _shoot(
    browser: Any, base: str, name: str, username: str | None, passwords: dict[str, str], path: str
) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        if username is not None:
            page.goto(f"{base}/sign-in")
            page.get_by_label("User name").fill(username)
            page.get_by_label("Password", exact=True).fill(passwords[username])
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        target = OUT / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        print(f"{target.relative_to(ROOT)}: {page.locator('h1').first.inner_text()}")
    finally:
        context.close()


if __name__ == "__main__":
    main(sys.argv[1:])
