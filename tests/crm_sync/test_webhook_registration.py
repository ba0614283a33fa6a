"""One click to connect: the CRM's webhooks are registered for the connection, repaired on every
catch-up and removed on disconnect; each brokerage gets only its own deliveries; every sync leaves
a run a broker can read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.runtime import Runtime
from app.leads.models import Lead
from tests.conftest import Api
from tests.crm_sync.conftest import FUB_KEY, connect_fub, connect_hubspot, run_jobs
from tests.support.fub_standin import FubStandIn
from tests.support.hubspot_standin import HubSpotStandIn

CONNECTION = """{ crmConnections { id provider webhooksRegistered webhookError
  syncRuns(first: 10) { totalCount edges { node {
    kind startedAt finishedAt imported updated errors error lagSeconds } } } } }"""
PEOPLE_EVENTS = ["peopleCreated", "peopleStageUpdated", "peopleTagsCreated", "peopleUpdated"]


async def _connection(api: Api, token: str | None = None) -> dict[str, Any]:
    data = await api.ok(CONNECTION, token=token)
    (connection,) = data["crmConnections"]
    result: dict[str, Any] = connection
    return result


def _urls(fub: FubStandIn) -> set[str]:
    return {w["url"] for w in fub.webhooks.values()}


async def _leads(runtime: Runtime, brokerage_id: int) -> list[str]:
    async with runtime.session() as session:
        rows = await session.execute(
            select(Lead.email).where(Lead.brokerage_id == brokerage_id).order_by(Lead.email)
        )
        return [email for email in rows.scalars() if email]


async def test_connect_registers_one_webhook_per_event_on_the_connections_own_url(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(1)
    await api.sign_up()
    await connect_fub(api)
    assert (await _connection(api))["webhooksRegistered"] is False  # not before the first sync

    await run_jobs(runtime)

    connection = await _connection(api)
    assert connection["webhooksRegistered"] is True
    assert connection["webhookError"] is None
    assert sorted(w["event"] for w in fub_in.webhooks.values()) == PEOPLE_EVENTS
    (url,) = _urls(fub_in)
    assert url.startswith("http://testserver/webhooks/followupboss/")
    assert len(url.rsplit("/", 1)[1]) >= 32  # an unguessable token, not an account id
    assert {w["system"] for w in fub_in.webhooks.values()} == {fub_in.system}


async def test_a_catch_up_recreates_a_webhook_deleted_in_the_crm_and_adds_no_duplicates(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    await api.sign_up()
    connection = await connect_fub(api)
    await run_jobs(runtime)
    first_ids = set(fub_in.webhooks)
    deleted = min(fub_in.webhooks)
    del fub_in.webhooks[deleted]

    await api.ok("mutation($id: ID!) { syncCrm(id: $id) { id } }", {"id": connection["id"]})
    await run_jobs(runtime)

    assert sorted(w["event"] for w in fub_in.webhooks.values()) == PEOPLE_EVENTS
    assert set(fub_in.webhooks) == (first_ids - {deleted}) | {max(fub_in.webhooks)}
    assert (await _connection(api))["webhooksRegistered"] is True


async def test_disconnect_removes_the_webhooks_and_a_late_delivery_is_gone(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(1)
    await api.sign_up()
    connection = await connect_fub(api)
    await run_jobs(runtime)
    (url,) = _urls(fub_in)

    await api.ok("mutation($id: ID!) { disconnectCrm(id: $id) { id } }", {"id": connection["id"]})

    assert fub_in.webhooks == {}
    assert (await _connection(api))["webhooksRegistered"] is False
    body, headers = fub_in.signed_webhook("peopleUpdated", [1])
    late = await api.client.post(
        url.removeprefix("http://testserver"), content=body, headers=headers
    )
    assert late.status_code == 410  # FUB deletes a webhook answered 410 Gone


async def test_two_brokerages_on_follow_up_boss_each_receive_only_their_own_events(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.api_keys.add("fub-key-other")
    token_a = await api.sign_up("ana@example.com", "Casa Ana")
    await connect_fub(api, FUB_KEY)
    token_b = await api.sign_up("beto@example.com", "Casa Beto")
    await connect_fub(api, "fub-key-other")
    await run_jobs(runtime)
    url_a = {w["url"] for w in fub_in.webhooks.values() if w["account_key"] == FUB_KEY}
    (url_b,) = {w["url"] for w in fub_in.webhooks.values() if w["account_key"] != FUB_KEY}
    assert len(url_a) == 1
    assert url_b not in url_a

    fub_in.add_person(7, emails=[{"value": "siete@example.com", "type": "home"}])
    body, headers = fub_in.signed_webhook("peopleCreated", [7])
    delivered = await api.client.post(
        url_b.removeprefix("http://testserver"), content=body, headers=headers
    )
    assert delivered.json() == {"received": 1, "new": 1}
    await run_jobs(runtime)

    assert await _leads(runtime, 2) == ["siete@example.com"]
    assert await _leads(runtime, 1) == []
    runs_b = (await _connection(api, token_b))["syncRuns"]["edges"]
    assert runs_b[0]["node"]["kind"] == "WEBHOOK"
    assert runs_b[0]["node"]["imported"] == 1
    assert runs_b[0]["node"]["lagSeconds"] >= 0
    runs_a = (await _connection(api, token_a))["syncRuns"]["edges"]
    assert [r["node"]["kind"] for r in runs_a] == ["IMPORT"]


async def test_a_key_that_may_not_manage_webhooks_still_syncs_and_says_why(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.non_owner_keys.add(FUB_KEY)
    fub_in.add_person(1)
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)

    connection = await _connection(api)
    assert connection["webhooksRegistered"] is False
    assert "owner" in connection["webhookError"]
    assert connection["syncRuns"]["edges"][0]["node"]["imported"] == 1
    assert await _leads(runtime, 1) == ["person1@example.com"]


async def test_sync_runs_list_the_import_then_the_catch_up_with_their_counts(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    for n in (1, 2, 3):
        fub_in.add_person(n)
    await api.sign_up()
    connection = await connect_fub(api)
    await run_jobs(runtime)
    fub_in.people[2]["firstName"] = "Renamed"
    fub_in.people[2]["updated"] = "2030-01-01T00:00:00Z"
    fub_in.add_person(4, updated="2030-01-01T00:00:00Z")

    await api.ok("mutation($id: ID!) { syncCrm(id: $id) { id } }", {"id": connection["id"]})
    await run_jobs(runtime)

    runs = [e["node"] for e in (await _connection(api))["syncRuns"]["edges"]]
    assert [(r["kind"], r["imported"], r["updated"], r["errors"]) for r in runs] == [
        ("CATCH_UP", 1, 1, 0),
        ("IMPORT", 3, 0, 0),
    ]
    assert all(r["finishedAt"] >= r["startedAt"] for r in runs)


async def test_a_sync_stopped_by_the_crm_is_listed_with_its_error(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(1)
    await api.sign_up()
    await connect_fub(api)
    fub_in.revoked_keys.add(FUB_KEY)

    await run_jobs(runtime)

    (run,) = [e["node"] for e in (await _connection(api))["syncRuns"]["edges"]]
    assert (run["kind"], run["errors"]) == ("IMPORT", 1)
    assert "reconnect" in run["error"].lower()
    assert run["finishedAt"] is not None


async def test_hubspot_subscriptions_are_the_apps_and_count_as_registered(
    api: Api, runtime: Runtime, hubspot: tuple[HubSpotStandIn, str]
) -> None:
    await api.sign_up()
    await connect_hubspot(api, hubspot[0])
    await run_jobs(runtime)

    connection = await _connection(api)
    assert (connection["provider"], connection["webhooksRegistered"]) == ("HUBSPOT", True)
