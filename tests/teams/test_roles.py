"""Roles: an AGENT sees and acts on what is assigned to them, by id, list or subscription;
OWNER-only and manager-only mutations answer FORBIDDEN and change nothing."""

from __future__ import annotations

import asyncio
import base64

from app.accounts.models import Role
from app.accounts.principal import AGENT_SCOPES, Principal
from app.activity.events import ActivityType, record_activity
from app.core.runtime import Runtime
from app.core.uow import commit
from app.plans.rules import Plan
from graphql_schema.context import Context
from graphql_schema.schema import schema
from tests.conftest import Api, error_codes
from tests.teams.support import create_lead, join, on_plan

ASSIGN = "mutation($l: ID!, $u: ID) { assignLead(leadId: $l, userId: $u) { id assignee { id } } }"
LEAD = "query($id: ID!) { node(id: $id) { ... on Lead { id name } } }"
LEADS = "{ leads { totalCount edges { node { id name } } } }"


def _db_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def _two_agents_with_a_lead_each(api: Api, runtime: Runtime) -> dict[str, dict[str, str]]:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    await api.ok("mutation { updateBrokerage(input: {leadRouting: MANUAL}) { leadRouting } }")
    luis = await join(api, runtime, "luis@example.com", "Luis")
    eva = await join(api, runtime, "eva@example.com", "Eva")
    luis["lead"] = await create_lead(api, "Lead de Luis", "l1@example.com")
    eva["lead"] = await create_lead(api, "Lead de Eva", "l2@example.com")
    await api.ok(ASSIGN, {"l": luis["lead"], "u": luis["id"]})
    await api.ok(ASSIGN, {"l": eva["lead"], "u": eva["id"]})
    return {"luis": luis, "eva": eva}


async def test_an_agent_reads_only_their_own_leads_by_id_and_by_list(
    api: Api, runtime: Runtime
) -> None:
    team = await _two_agents_with_a_lead_each(api, runtime)
    luis, eva = team["luis"], team["eva"]

    mine = await api.ok(LEAD, {"id": luis["lead"]}, token=luis["token"])
    assert mine["node"]["name"] == "Lead de Luis"
    theirs = await api(LEAD, {"id": eva["lead"]}, token=luis["token"])
    assert error_codes(theirs) == ["NOT_FOUND"]  # as if it were another brokerage's
    listed = await api.ok(LEADS, token=luis["token"])
    assert listed["leads"]["totalCount"] == 1
    assert [e["node"]["name"] for e in listed["leads"]["edges"]] == ["Lead de Luis"]
    searched = await api.ok('{ leads(search: "Eva") { totalCount } }', token=luis["token"])
    assert searched["leads"]["totalCount"] == 0
    # The owner sees both.
    everyone = await api.ok(LEADS)
    assert everyone["leads"]["totalCount"] == 2


async def test_an_agent_cannot_act_on_another_agents_lead_nor_do_owner_mutations(
    api: Api, runtime: Runtime
) -> None:
    team = await _two_agents_with_a_lead_each(api, runtime)
    luis, eva = team["luis"], team["eva"]
    token = luis["token"]

    grab = await api(ASSIGN, {"l": eva["lead"], "u": luis["id"]}, token=token)
    assert error_codes(grab) == ["FORBIDDEN"]
    erase = await api(
        "mutation($id: ID!) { eraseLead(id: $id) { erasedId } }", {"id": eva["lead"]}, token=token
    )
    assert error_codes(erase) == ["FORBIDDEN"]
    for mutation in (
        'mutation { updateBrokerage(input: {name: "Mía"}) { name } }',
        "mutation { updateBrokerage(input: {leadRouting: ROUND_ROBIN}) { name } }",
        'mutation { inviteUser(input: {email: "x@example.com"}) { id } }',
        "mutation { pauseBrokerage(paused: true) { paused } }",
        "mutation { rotateCaptureKey { id } }",
        'mutation { createApiKey(input: {name: "k", scopes: ["leads:read"]}) { secret } }',
        "mutation { reactivateLeads { leadsQueued } }",
        'mutation { createProperty(input: {title: "T", location: "Polanco", price: 1, '
        "operation: SALE}) { id } }",
        f'mutation {{ removeUser(userId: "{eva["id"]}") {{ removedId }} }}',
        f'mutation {{ updateUserRole(userId: "{eva["id"]}", role: ADMIN) {{ id }} }}',
        "{ auditLog { totalCount } }",
    ):
        answer = await api(mutation, token=token)
        assert error_codes(answer) == ["FORBIDDEN"], mutation
    # Nothing changed.
    brokerage = await api.ok("{ brokerage { name paused leadRouting } users { email role } }")
    assert brokerage["brokerage"] == {"name": "Casa Ana", "paused": False, "leadRouting": "MANUAL"}
    assert [u["role"] for u in brokerage["users"]] == ["OWNER", "AGENT", "AGENT"]
    still = await api.ok(
        "query($id: ID!) { node(id: $id) { ... on Lead { assignee { id } } } }",
        {"id": eva["lead"]},
    )
    assert still["node"]["assignee"]["id"] == eva["id"]
    # An admin may do what managers do, not what only the owner does.
    promoted = await api.ok(
        f'mutation {{ updateUserRole(userId: "{luis["id"]}", role: ADMIN) {{ role }} }}'
    )
    assert promoted["updateUserRole"]["role"] == "ADMIN"
    assert (await api.ok(LEADS, token=token))["leads"]["totalCount"] == 2
    owner_only = await api(
        'mutation { updateBrokerage(input: {name: "Mía"}) { name } }', token=token
    )
    assert error_codes(owner_only) == ["FORBIDDEN"]


async def test_an_agents_subscription_hears_only_about_their_leads(
    api: Api, runtime: Runtime
) -> None:
    """Two agents subscribed at once to the same document on one API process: live results are
    shared per audience, and each agent is an audience of their own."""
    team = await _two_agents_with_a_lead_each(api, runtime)
    luis, eva = team["luis"], team["eva"]
    feed = "subscription { agentActivity { type lead { name } } }"
    streams = []
    for agent in (luis, eva):
        principal = Principal(1, _db_id(agent["id"]), None, AGENT_SCOPES, Role.AGENT)
        context = Context(runtime=runtime, request=None, principal=principal)  # type: ignore[arg-type]
        streams.append(await schema.subscribe(feed, context_value=context))
    heard = [asyncio.ensure_future(anext(stream)) for stream in streams]  # type: ignore[arg-type]
    for _ in range(40):  # pub/sub keeps nothing for late subscribers: publish until heard
        async with runtime.session() as session:
            record_activity(session, 1, ActivityType.LEAD_OPTED_OUT, lead_id=_db_id(eva["lead"]))
            record_activity(session, 1, ActivityType.LEAD_REPLIED, lead_id=_db_id(luis["lead"]))
            await commit(session)
        done, _ = await asyncio.wait(heard, timeout=0.25)
        if len(done) == 2:
            break
    for_luis, for_eva = [await h for h in heard]
    assert for_luis.errors is None and for_eva.errors is None
    assert for_luis.data["agentActivity"] == {
        "type": "LEAD_REPLIED",
        "lead": {"name": "Lead de Luis"},
    }
    assert for_eva.data["agentActivity"] == {
        "type": "LEAD_OPTED_OUT",
        "lead": {"name": "Lead de Eva"},
    }
    for stream in streams:
        await stream.aclose()  # type: ignore[union-attr]
