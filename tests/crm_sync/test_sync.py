"""Webhooks, OAuth, token refresh, expired logins and write-back, against the CRM stand-ins."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from arq.worker import func
from sqlalchemy import func as sql_func
from sqlalchemy import select

from app.conversations.models import BrokerTask, ConversationStatus, TaskKind
from app.core.jobs import MAIN_QUEUE, MAX_TRIES, TASKS
from app.core.runtime import Runtime
from app.core.uow import commit
from app.crm_sync.credentials import OAuthCredential, seal, unseal
from app.crm_sync.models import CrmConnection
from app.crm_sync.tasks import resume_interrupted_syncs
from app.inbox.models import WebhookEvent
from app.leads.models import Lead, LeadChange
from integrations.oauth import OAuthToken
from tests.conftest import Api
from tests.crm_sync.conftest import (
    CONNECTIONS,
    FUB_KEY,
    connect_fub,
    connect_hubspot,
    run_jobs,
    start_oauth,
)
from tests.support import factories
from tests.support.fub_standin import FubStandIn
from tests.support.hubspot_standin import HubSpotStandIn
from workers.settings import worker_for

RUNS = """{ crmConnections { syncRuns(first: 10) { edges { node {
  kind finishedAt imported errors error } } } } }"""


async def _lead(runtime: Runtime, email: str) -> Lead:
    async with runtime.session() as session:
        return await factories.lead_by_email(session, email)


async def _count(runtime: Runtime, model: Any) -> int:
    async with runtime.session() as session:
        n: int = (await session.execute(select(sql_func.count()).select_from(model))).scalar_one()
        return n


async def test_fub_webhook_updates_the_lead_once_and_a_tampered_one_is_refused(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    for n in (1, 2, 3):
        fub_in.add_person(n)
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)
    fub_in.people[2]["firstName"] = "Renamed"
    fub_in.people[2]["stage"] = "Hot Prospect"
    body, headers = fub_in.signed_webhook("peopleUpdated", [2])

    tampered = body.replace(b"peopleUpdated", b"peopleCreated")
    refused = await api.client.post("/webhooks/followupboss", content=tampered, headers=headers)
    stale_body, stale_headers = fub_in.signed_webhook(
        "peopleUpdated", [2], created=datetime.now(UTC) - timedelta(days=1)
    )
    stale = await api.client.post(
        "/webhooks/followupboss", content=stale_body, headers=stale_headers
    )
    assert (refused.status_code, stale.status_code) == (401, 401)
    assert await _count(runtime, WebhookEvent) == 0

    first = await api.client.post("/webhooks/followupboss", content=body, headers=headers)
    replay = await api.client.post("/webhooks/followupboss", content=body, headers=headers)
    assert (first.status_code, first.json()) == (200, {"received": 1, "new": 1})
    assert (replay.status_code, replay.json()) == (200, {"received": 1, "new": 0})
    people_calls = len([r for r in fub_in.requests if r[1] == "/v1/people"])
    await run_jobs(runtime)

    lead = await _lead(runtime, "person2@example.com")
    assert (lead.name, lead.crm_status) == ("Renamed Last2", "Hot Prospect")
    assert await _count(runtime, WebhookEvent) == 1
    assert len([r for r in fub_in.requests if r[1] == "/v1/people"]) == people_calls + 1


async def test_hubspot_oauth_round_trip_webhook_and_tampered_state(
    api: Api, runtime: Runtime, hubspot: tuple[HubSpotStandIn, str]
) -> None:
    hs_in, hs_url = hubspot
    hs_in.add_contact(7)
    await api.sign_up()
    url = await start_oauth(api, "HUBSPOT")
    assert url.startswith(f"{hs_url}/oauth/authorize?")
    assert parse_qs(urlparse(url).query)["redirect_uri"] == [
        "http://testserver/oauth/hubspot/callback"
    ]
    params = hs_in.approve(url)

    forged = await api.client.get(
        "/oauth/hubspot/callback", params={**params, "state": params["state"] + "x"}
    )
    assert forged.status_code == 400
    assert "no longer valid" in forged.text and "click Connect again" in forged.text
    assert (await api.ok(CONNECTIONS))["crmConnections"] == []

    response = await api.client.get("/oauth/hubspot/callback", params=params)
    assert (response.status_code, response.headers["location"]) == (303, "/app/?crm=connected")
    replayed = await api.client.get("/oauth/hubspot/callback", params=params)
    assert replayed.status_code == 400
    await run_jobs(runtime)
    assert (await _lead(runtime, "contact7@example.com")).external_id == "7"

    hs_in.contacts[7]["firstname"] = "Ana"
    target = "http://testserver/webhooks/hubspot"
    event = {
        "eventId": 99,
        "subscriptionId": 5,
        "portalId": 4242,
        "occurredAt": int(time.time() * 1000),
        "subscriptionType": "contact.propertyChange",
        "objectId": 7,
        "propertyName": "firstname",
        "propertyValue": "Ana",
    }
    body, headers = hs_in.signed_delivery(target, [event])
    bad = dict(headers, **{"X-HubSpot-Signature-v3": "AAAA"})
    assert (
        await api.client.post("/webhooks/hubspot", content=body, headers=bad)
    ).status_code == 401
    ok = await api.client.post("/webhooks/hubspot", content=body, headers=headers)
    assert ok.json() == {"received": 1, "new": 1}
    await run_jobs(runtime)
    assert (await _lead(runtime, "contact7@example.com")).name == "Ana Last7"
    async with runtime.session() as session:
        account = (await session.execute(select(CrmConnection.account_id))).scalar_one()
    assert account == "4242"


async def test_follow_up_boss_oauth_connects_with_tokens_stored_encrypted(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(1)
    await api.sign_up()
    url = await start_oauth(api, "FOLLOWUPBOSS")
    query = parse_qs(urlparse(url).query)
    assert query["response_type"] == ["auth_code"]
    code = fub_in.issue_code(query["redirect_uri"][0])
    response = await api.client.get(
        "/oauth/followupboss/callback",
        params={"code": code, "state": query["state"][0], "response": "approved"},
    )
    assert response.status_code == 303
    await run_jobs(runtime)
    async with runtime.session() as session:
        row = (await session.execute(select(CrmConnection))).scalar_one()
    credential = unseal(runtime.secrets, row.credentials or "")
    assert isinstance(credential, OAuthCredential)
    assert credential.token.access_token in fub_in.access_tokens
    assert credential.token.access_token not in (row.credentials or "")
    assert (await _lead(runtime, "person1@example.com")).external_source == "FOLLOWUPBOSS"


async def test_token_refreshed_mid_sync_is_stored_encrypted(
    api: Api, runtime: Runtime, hubspot: tuple[HubSpotStandIn, str]
) -> None:
    hs_in = hubspot[0]
    for n in range(1, 251):
        hs_in.add_contact(n)
    await api.sign_up()
    await connect_hubspot(api, hs_in)
    async with runtime.session() as session:
        row = (await session.execute(select(CrmConnection))).scalar_one()
        old = unseal(runtime.secrets, row.credentials or "")
        assert isinstance(old, OAuthCredential)
        # A token with 61 s left: fine for the first page, due for refresh a second later.
        soon = datetime.now(UTC) + timedelta(seconds=61)
        row.credentials = seal(
            runtime.secrets,
            OAuthCredential(OAuthToken(old.token.access_token, old.token.refresh_token, soon)),
        )
        await commit(session)
    hs_in.throttle_next(retry_after=1)  # the first page waits a second: the token ages
    await run_jobs(runtime)

    page_tokens = [t for m, p, t in hs_in.requests if p == "/crm/v3/objects/contacts"]
    assert hs_in.token_grants == ["authorization_code", "refresh_token"]
    assert page_tokens[:2] == [old.token.access_token, old.token.access_token]
    assert len(set(page_tokens[2:])) == 1 and page_tokens[2] != old.token.access_token
    async with runtime.session() as session:
        row = (await session.execute(select(CrmConnection))).scalar_one()
    stored = unseal(runtime.secrets, row.credentials or "")
    assert isinstance(stored, OAuthCredential)
    assert stored.token.access_token == page_tokens[-1]
    assert page_tokens[-1] not in (row.credentials or "")
    assert await _count(runtime, Lead) == 250


async def test_revoked_key_puts_the_connection_in_error_and_keeps_the_position(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    for n in range(1, 251):
        fub_in.add_person(n)
    original = fub_in._list_people

    def revoke_after_first_page(request: Any) -> Any:
        response = original(request)
        fub_in.revoked_keys.add(FUB_KEY)
        return response

    fub_in._list_people = revoke_after_first_page  # type: ignore[method-assign]
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)

    [connection] = (await api.ok(CONNECTIONS))["crmConnections"]
    assert connection["status"] == "ERROR"
    assert connection["lastError"].startswith("Follow Up Boss no longer accepts BR SCALE's access")
    assert (connection["leadsImported"], await _count(runtime, Lead)) == (100, 100)
    async with runtime.session() as session:
        cursor = (await session.execute(select(CrmConnection.sync_cursor))).scalar_one()
    assert cursor["import_cursor"] and "imported" not in cursor

    fub_in._list_people = original  # type: ignore[method-assign]
    fub_in.revoked_keys.clear()
    await connect_fub(api)  # the broker reconnects: the import resumes where it stopped
    await run_jobs(runtime)
    [connection] = (await api.ok(CONNECTIONS))["crmConnections"]
    assert (connection["status"], connection["lastError"]) == ("CONNECTED", None)
    assert (connection["leadsImported"], await _count(runtime, Lead)) == (250, 250)


async def test_a_sync_cut_off_by_its_job_timeout_while_waiting_out_a_429_resumes(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    """A CRM answering 429 with a long `Retry-After` mid-import: the sync's job waits it out
    until the job timeout cuts it off, leaving the connection SYNCING, which the catch-up
    skipped (the import stopped for good). The minute's sweep queues it again from its cursor:
    every person imported once."""
    fub_in = fub[0]
    fub_in.max_page = 10
    for n in range(1, 31):
        fub_in.add_person(n, phones=[{"value": f"+1202555{n:04d}"}])
    original = fub_in._list_people

    def outage_after_first_page(request: Any) -> Any:
        fub_in.outage(seconds=3600, retry_after=30)
        return original(request)

    fub_in._list_people = outage_after_first_page  # type: ignore[method-assign]
    await api.sign_up()
    await connect_fub(api)
    # The job timeout (600 s in production) at 2 s: the sync is cut off waiting out the 429.
    short = [
        func(fn, name=name, max_tries=MAX_TRIES, timeout=2)  # type: ignore[arg-type]
        for name, fn in TASKS.items()
    ]
    worker = worker_for(
        MAIN_QUEUE, runtime, burst=True, poll_delay=0.01, cron_jobs=[], functions=short
    )
    await worker.main()
    [connection] = (await api.ok(CONNECTIONS))["crmConnections"]
    assert (connection["status"], await _count(runtime, Lead)) == ("SYNCING", 10)

    fub_in._list_people = original  # type: ignore[method-assign]
    fub_in.end_outage()
    assert await resume_interrupted_syncs({"runtime": runtime}) == 1
    await run_jobs(runtime)
    [connection] = (await api.ok(CONNECTIONS))["crmConnections"]
    assert (connection["status"], connection["lastError"]) == ("CONNECTED", None)
    assert (connection["leadsImported"], await _count(runtime, Lead)) == (30, 30)
    assert fub_in.early_requests() == 0
    # The broker sees the run that was cut off as ended, failed, with the reason.
    runs = [edge["node"] for edge in (await api.ok(RUNS))["crmConnections"][0]["syncRuns"]["edges"]]
    assert [run["finishedAt"] is not None for run in runs] == [True, True]
    [cut_off] = [run for run in runs if run["error"]]
    assert (cut_off["imported"], cut_off["errors"]) == (10, 1)
    assert "next run continued" in cut_off["error"]


async def _qualified_conversation(runtime: Runtime, lead_id: int) -> int:
    async with runtime.session() as session:
        listing = await factories.listing(
            session, title="Casa en Coyoacán", location="Coyoacán", location_key="coyoacan",
            price=5_000_000,
        )  # fmt: skip
        conversation = await factories.conversation(
            session,
            lead_id,
            listing,
            ConversationStatus.QUALIFIED,
            qualification_score=85,
            next_action="Call to confirm the viewing tomorrow",
        )
        await factories.message(session, conversation, "Quiero verla mañana")
        session.add(
            BrokerTask(
                brokerage_id=1,
                conversation_id=conversation.id,
                lead_id=lead_id,
                kind=TaskKind.VIEWING,
                title="Viewing tomorrow at 11:00",
            )
        )
        await commit(session)
        return conversation.id


async def test_write_back_after_qualification_writes_one_note_per_crm(
    api: Api,
    runtime: Runtime,
    fub: tuple[FubStandIn, str],
    hubspot: tuple[HubSpotStandIn, str],
) -> None:
    fub_in, hs_in = fub[0], hubspot[0]
    fub_in.add_person(1, tags=["Buyer"])
    hs_in.add_contact(2)
    await api.sign_up()
    await connect_fub(api)
    await connect_hubspot(api, hs_in)
    await run_jobs(runtime)
    fub_lead = await _lead(runtime, "person1@example.com")
    hs_lead = await _lead(runtime, "contact2@example.com")
    fub_conversation = await _qualified_conversation(runtime, fub_lead.id)
    hs_conversation = await _qualified_conversation(runtime, hs_lead.id)

    for _ in range(2):  # the engine may queue it twice (a retry, a second hand-off signal)
        await runtime.jobs.enqueue("crm_write_back", 1, fub_lead.id, fub_conversation)
        await runtime.jobs.enqueue("crm_write_back", 1, hs_lead.id, hs_conversation)
        await run_jobs(runtime)

    [note] = fub_in.notes
    assert note["personId"] == 1
    # A Spanish brokerage (the default) reads Spanish in its CRM.
    assert note["subject"] == "BR SCALE: calificación 85, Calificado por la IA"
    assert note["body"].startswith(
        "First1 Last1: calificado por la IA sobre Casa en Coyoacán. Calificación 85/100.\n"
        'El cliente dijo: "Quiero verla mañana"\n'
        "Siguiente paso: Call to confirm the viewing tomorrow\n"
        "Tarea del asesor: Viewing tomorrow at 11:00"
    )
    assert fub_in.people[1]["tags"] == [
        "Buyer",
        "BR SCALE: Calificado por la IA",
        "BR SCALE calificación: 85",
    ]
    assert fub_in.people[1]["stage"] == "Lead"  # the broker's stage is left alone
    [hs_note] = hs_in.notes.values()
    assert hs_note["hs_note_body"].startswith(
        "BR SCALE: calificación 85, Calificado por la IA\n\nFirst2"
    )
    assert hs_in.contacts[2]["hs_lead_status"] == "OPEN_DEAL"
    async with runtime.session() as session:
        logged = list(
            (
                await session.execute(
                    select(LeadChange.field)
                    .where(LeadChange.source == "BRSCALE")
                    .order_by(LeadChange.id)
                )
            ).scalars()
        )
    assert sorted(logged) == ["crm_note:FOLLOWUPBOSS", "crm_note:HUBSPOT"]


async def test_a_lead_in_both_crms_lists_both_records_and_is_written_back_to_both(
    api: Api,
    runtime: Runtime,
    fub: tuple[FubStandIn, str],
    hubspot: tuple[HubSpotStandIn, str],
) -> None:
    fub_in, hs_in = fub[0], hubspot[0]
    fub_in.add_person(1, emails=[{"value": "same@example.com", "type": "home"}])
    hs_in.add_contact(77, email="same@example.com", phone="")
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)
    await connect_hubspot(api, hs_in)
    await run_jobs(runtime)
    lead = await _lead(runtime, "same@example.com")
    conversation = await _qualified_conversation(runtime, lead.id)

    for _ in range(2):  # a retried job writes nothing twice to either CRM
        await runtime.jobs.enqueue("crm_write_back", 1, lead.id, conversation)
        await run_jobs(runtime)

    data = await api.ok("{ leads { edges { node { email externalIds { provider id } } } } }")
    (node,) = [e["node"] for e in data["leads"]["edges"]]
    assert node["externalIds"] == [
        {"provider": "FOLLOWUPBOSS", "id": "1"},
        {"provider": "HUBSPOT", "id": "77"},
    ]
    assert [n["personId"] for n in fub_in.notes] == [1]
    (hs_note,) = hs_in.notes.values()
    assert hs_note["hs_note_body"].startswith("BR SCALE: calificación 85, Calificado por la IA")
    assert hs_in.contacts[77]["hs_lead_status"] == "OPEN_DEAL"


async def test_an_english_brokerage_writes_back_in_english(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(1, tags=["Buyer", "BR SCALE: Calificado por la IA"])
    await api.sign_up()
    await api.ok('mutation { updateBrokerage(input: {language: "en"}) { language } }')
    await connect_fub(api)
    await run_jobs(runtime)
    lead = await _lead(runtime, "person1@example.com")
    conversation = await _qualified_conversation(runtime, lead.id)

    await runtime.jobs.enqueue("crm_write_back", 1, lead.id, conversation)
    await run_jobs(runtime)

    [note] = fub_in.notes
    assert note["subject"] == "BR SCALE: score 85, Qualified by AI"
    assert note["body"].startswith(
        "First1 Last1: qualified by AI about Casa en Coyoacán. Score 85/100.\n"
        'Lead said: "Quiero verla mañana"\n'
    )
    # BR SCALE's tags from before (in Spanish) are replaced, the broker's kept.
    assert fub_in.people[1]["tags"] == ["Buyer", "BR SCALE: Qualified by AI", "BR SCALE score: 85"]


async def test_disconnecting_mid_sync_closes_its_run_with_the_reason_and_stops_the_sync(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str], monkeypatch: Any
) -> None:
    """The broker disconnects Follow Up Boss while its import runs (its second page of three
    on the way). The run is closed at once, failed, with the reason: before, it stayed open
    for good (only the connection's next sync closed runs, and a disconnected one never syncs
    again). The sync stops at that page: nothing more imported, and the connection stays
    DISCONNECTED (before, the sync's end wrote CONNECTED over it)."""
    import asyncio

    from integrations.followupboss.client import FollowUpBossClient

    fub_in = fub[0]
    fub_in.max_page = 10
    for n in range(1, 31):
        fub_in.add_person(n, phones=[{"value": f"+1202555{n:04d}"}])
    listed = FollowUpBossClient.list_contacts
    second_page, go_on = asyncio.Event(), asyncio.Event()
    pages: list[str | None] = []

    async def list_contacts(self: Any, cursor: str | None = None) -> Any:
        pages.append(cursor)
        if len(pages) == 2:
            second_page.set()
            await go_on.wait()
        return await listed(self, cursor)

    monkeypatch.setattr(FollowUpBossClient, "list_contacts", list_contacts)
    await api.sign_up()
    connection = await connect_fub(api)
    sync = asyncio.create_task(run_jobs(runtime))
    await asyncio.wait_for(second_page.wait(), 60)
    await api.ok("mutation($id: ID!) { disconnectCrm(id: $id) { id } }", {"id": connection["id"]})

    [run] = [e["node"] for e in (await api.ok(RUNS))["crmConnections"][0]["syncRuns"]["edges"]]
    assert run["finishedAt"] is not None  # at disconnect time, while the sync still runs
    assert (run["imported"], run["errors"]) == (10, 1)
    assert run["error"].startswith("Stopped: the CRM was disconnected while this sync ran")
    go_on.set()
    await asyncio.wait_for(sync, 60)

    [after] = (await api.ok(CONNECTIONS))["crmConnections"]
    assert (after["status"], await _count(runtime, Lead)) == ("DISCONNECTED", 10)
    assert len(pages) == 2
    runs = [e["node"] for e in (await api.ok(RUNS))["crmConnections"][0]["syncRuns"]["edges"]]
    assert runs == [run]  # the sync's end changed nothing of it
