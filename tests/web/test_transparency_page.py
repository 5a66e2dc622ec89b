"""The public transparency page and its API, for anyone without signing in: the agreements in
force (not drafts or suspended ones), the latest signed checkpoint with the hub's verifier
key, and the headline figures as published, c where confidential; nothing about a child."""

from __future__ import annotations

import datetime as dt

from audit.factories import decision, log_key
from seen.audit import append, make_checkpoint
from seen.report.partnership import produce
from seen.settings import Settings
from seen.sharing.register import move_agreement
from seen.store import Store
from seen.store.published_reports import save_report
from web.conftest import CheckedClient
from web.governance import governed_partnership

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_anyone_reads_the_agreements_checkpoint_and_figures(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    governed_partnership(store)
    page = client.get("/transparency")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "No figures have been published yet." in text
    assert "No checkpoint has been signed yet." in text
    assert "Northshire multi-agency safeguarding information sharing" in text
    assert "From northshire-police to northshire-council" in text
    assert "Operation Encompass" in text
    move_agreement(
        store, "ISA-NS-POLICE-SCHOOLS", "suspend", "Under review", by="admin-rosa", now=NOW
    )
    assert "Operation Encompass" not in client.get("/transparency").text  # not in force
    append(store, [decision()])
    signer = log_key(web_settings)
    checkpoint = make_checkpoint(store, signer)
    save_report(store, produce(store, NOW), NOW)
    page = client.get("/transparency")
    text = " ".join(page.text.split())
    assert checkpoint.note.splitlines()[0] in page.text
    assert str(signer.verifier()) in page.text
    assert "Requests for a joined-up chronology" in text
    # The API says the same, to anyone.
    answer = client.get("/api/v1/transparency").json()
    assert answer["checkpoint"]["note"] == checkpoint.note
    assert answer["checkpoint"]["verifier_keys"] == [str(signer.verifier())]
    assert {a["ref"] for a in answer["agreements"]} >= {"ISA-NS-SAFEGUARDING"}
    for headline in answer["headlines"]:
        assert headline["marker"] in {"", "c"}
        assert headline["value"] is None or headline["value"] == 0 or headline["value"] > 5
    assert "P0001" not in page.text and "P0001" not in str(answer)
