"""The AI speaks for the lead's agent: with LISTING_AGENT routing, a listing's leads go to its
agent, whose name and signature are in the messages, and whose tasks and notices follow."""

from __future__ import annotations

from app.core.runtime import Runtime
from app.plans.rules import Plan
from tests.conftest import Api
from tests.support.jobs import drain_jobs
from tests.teams.support import ACCEPT, create_lead, invitation_token, notices, on_plan

LISTING = {
    "title": "Depa en Polanco",
    "location": "Polanco",
    "price": 5_000_000,
    "operation": "SALE",
    "bedrooms": 2,
}


async def test_the_listing_agents_name_is_in_their_leads_messages_and_tasks_reach_them(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    await api.ok(
        'mutation { updateBrokerage(input: {leadRouting: LISTING_AGENT, agentName: "Ana"}) '
        "{ leadRouting } }"
    )
    owner = api.token
    token = await invitation_token(api, runtime, "jorge@example.com")
    joined = await api.ok(
        ACCEPT,
        {
            "i": {
                "token": token,
                "name": "Jorge Ramírez",
                "password": "agent password 1",
                "phone": "+52 55 1234 5678",
            }
        },
    )
    jorge = joined["acceptInvitation"]
    api.token = owner
    lead_id = await create_lead(
        api, "Lucía", "lucia@example.com", phone="+525598765432", maxBudget=6_000_000, bedrooms=2
    )
    unassigned = await api.ok(
        "query($id: ID!) { node(id: $id) { ... on Lead { assignee { id } } } }", {"id": lead_id}
    )
    assert unassigned["node"]["assignee"] is None  # no listing yet to take its agent from

    listing = await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id agent { name } } }",
        {"i": {**LISTING, "agentId": jorge["user"]["id"]}},
    )
    assert listing["createProperty"]["agent"] == {"name": "Jorge Ramírez"}
    await drain_jobs(runtime)

    mine = await api.ok(
        "{ conversations { edges { node { id lead { name assignee { name } } "
        "messages { channel body } } } } }",
        token=jorge["token"],
    )
    (edge,) = mine["conversations"]["edges"]
    conversation = edge["node"]
    assert conversation["lead"] == {"name": "Lucía", "assignee": {"name": "Jorge Ramírez"}}
    email = next(m for m in conversation["messages"] if m["channel"] == "EMAIL")
    assert "Jorge Ramírez" in email["body"]
    assert "Ana" not in email["body"].replace("Casa Ana", "")  # not the brokerage's agentName

    # A question only the agent can answer: the task is Jorge's; he hears of it by e-mail and SMS.
    await api.ok(
        "mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) { id } }",
        {
            "i": {
                "conversationId": conversation["id"],
                "channel": "EMAIL",
                "body": "Me interesa. ¿Se aceptan mascotas?",
            }
        },
    )
    await drain_jobs(runtime)
    tasks = await api.ok(
        "{ brokerTasks { edges { node { kind title assignee { name } } } } }",
        token=jorge["token"],
    )
    kinds = {e["node"]["kind"]: e["node"] for e in tasks["brokerTasks"]["edges"]}
    assert "QUESTION" in kinds, tasks
    assert all(t["assignee"] == {"name": "Jorge Ramírez"} for t in kinds.values())
    told = [n for n in notices(runtime) if n["user_id"] is not None]
    channels = {(n["channel"], n["to"]) for n in told}
    assert ("EMAIL", "jorge@example.com") in channels
    assert ("SMS", "+525512345678") in channels
    titles = {t["title"] for t in kinds.values()}
    assert {n["subject"] for n in told if n["channel"] == "EMAIL"} <= titles
