"""Brokerage B can neither read nor change anything of brokerage A: every node type, every list,
every mutation that takes an id."""

from __future__ import annotations

import base64
from typing import Any

from app.core.runtime import Runtime
from app.core.uow import commit
from app.crm_sync.models import ConnectionStatus, CrmConnection, CrmProviderName
from app.leads.importer import create_import
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from graphql_schema.schema import schema
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs

LEAD = {
    "name": "Ana",
    "email": "ana@example.com",
    "phone": "+525512345678",
    "locations": ["Polanco"],
    "maxBudget": 6_000_000,
}
LISTING = {"title": "Depa", "location": "Polanco", "price": 5_000_000, "operation": "SALE"}
A_OBJECTS = """{
  me { id }
  brokerage { id }
  apiKeys { id }
  crmConnections { id }
  leads { edges { node { id } } }
  properties { edges { node { id } } }
  conversations { edges { node { id messages { id } tasks { id } viewing { id } } } }
  activity { edges { node { id } } }
  webhookSubscriptions { id deliveries { edges { node { id } } } }
  invitations { id }
  auditLog { edges { node { id } } }
}"""


def gid(type_name: str, node_id: int) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


async def _brokerage_a(api: Api, runtime: Runtime) -> dict[str, list[str]]:
    """Sign A up and give it one object of every node type; their global ids by type."""
    token = await api.sign_up("a@example.com", "A")
    await api.ok('mutation { createApiKey(input: {name: "k", scopes: ["leads:read"]}) { secret } }')
    await api.ok("mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }", {"i": LEAD})
    await api.ok('mutation { inviteUser(input: {email: "agent@example.com"}) { id } }')
    await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    await drain_jobs(runtime)
    await api.ok(
        """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) { id } }""",
        {
            "i": {
                "conversationId": gid("Conversation", 1),
                "channel": "SMS",
                "body": "¿La puedo ver mañana?",
            }
        },
    )
    async with runtime.session() as session:
        record = await create_import(session, 1, "leads.csv")
        session.add(
            CrmConnection(
                brokerage_id=1, provider=CrmProviderName.HUBSPOT, status=ConnectionStatus.CONNECTED
            )
        )
        await commit(session)
    await api.ok(
        'mutation { createWebhookSubscription(input: {url: "https://example.com/h", '
        "events: [LEAD_REPLIED]}) { secret } }"
    )
    async with runtime.session() as session:
        session.add(
            WebhookDelivery(
                brokerage_id=1,
                subscription_id=1,
                event_id=1,
                type="LEAD_REPLIED",
                body="{}",
                status=DeliveryStatus.DELIVERED,
            )
        )
        await commit(session)
    data = await api.ok(A_OBJECTS, token=token)
    conversation = data["conversations"]["edges"][0]["node"]
    return {
        "User": [data["me"]["id"]],
        "Brokerage": [data["brokerage"]["id"]],
        "ApiKey": [k["id"] for k in data["apiKeys"]],
        "CrmConnection": [c["id"] for c in data["crmConnections"]],
        "Lead": [e["node"]["id"] for e in data["leads"]["edges"]],
        "Property": [e["node"]["id"] for e in data["properties"]["edges"]],
        "Conversation": [conversation["id"]],
        "Message": [m["id"] for m in conversation["messages"]],
        "BrokerTask": [t["id"] for t in conversation["tasks"]],
        "Viewing": [conversation["viewing"]["id"]],
        "LeadImport": [gid("LeadImport", record.id)],
        "ActivityEvent": [e["node"]["id"] for e in data["activity"]["edges"]],
        "WebhookSubscription": [w["id"] for w in data["webhookSubscriptions"]],
        "WebhookDelivery": [
            e["node"]["id"] for w in data["webhookSubscriptions"] for e in w["deliveries"]["edges"]
        ],
        "Invitation": [i["id"] for i in data["invitations"]],
        "AuditEntry": [e["node"]["id"] for e in data["auditLog"]["edges"]],
    }


def node_types() -> set[str]:
    return {
        t.name
        for t in schema._schema.type_map.values()
        if "Node" in [i.name for i in getattr(t, "interfaces", [])]
    }


async def test_brokerage_b_sees_nothing_of_brokerage_a(api: Api, runtime: Runtime) -> None:
    owned = await _brokerage_a(api, runtime)
    assert set(owned) == node_types(), "a node type is missing from this test"
    assert all(owned.values()), owned

    token_b = await api.sign_up("b@example.com", "B")
    for type_name, ids in owned.items():
        for node_id in ids:
            body = await api(
                "query($id: ID!) { node(id: $id) { id } }", {"id": node_id}, token=token_b
            )
            assert body["data"] is None and error_codes(body) == ["NOT_FOUND"], (type_name, body)

    lists = await api.ok(A_OBJECTS, token=token_b)
    assert lists["apiKeys"] == [] and lists["crmConnections"] == []
    assert lists["webhookSubscriptions"] == []
    assert lists["invitations"] == [] and lists["auditLog"]["edges"] == []
    for name in ("leads", "properties", "conversations", "activity"):
        assert lists[name]["edges"] == [], name
    assert lists["brokerage"]["id"] != owned["Brokerage"][0]


MUTATIONS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "cancelViewing",
        "mutation($id: ID!) { cancelViewing(id: $id) { id } }",
        {"id": ("Viewing", 0)},
    ),
    (
        "rescheduleViewing",
        'mutation($id: ID!) { rescheduleViewing(id: $id, startsAt: "2030-01-08T17:00:00Z") { id } }',
        {"id": ("Viewing", 0)},
    ),
    ("revokeApiKey", "mutation($id: ID!) { revokeApiKey(id: $id) { id } }", {"id": ("ApiKey", 0)}),
    (
        "updateProperty",
        "mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) { id } }",
        {"id": ("Property", 0), "i": LISTING},
    ),
    (
        "pausePropertyCampaign",
        "mutation($id: ID!) { pausePropertyCampaign(id: $id, paused: true) { id } }",
        {"id": ("Property", 0)},
    ),
    (
        "receiveLeadMessage",
        "mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) { id } }",
        {"i": {"conversationId": ("Conversation", 0), "channel": "SMS", "body": "hola"}},
    ),
    (
        "approveMessage",
        "mutation($id: ID!) { approveMessage(id: $id) { id } }",
        {"id": ("Message", 0)},
    ),
    (
        "rejectMessage",
        "mutation($id: ID!) { rejectMessage(id: $id) { id } }",
        {"id": ("Message", 0)},
    ),
    (
        "takeOverConversation",
        "mutation($id: ID!) { takeOverConversation(id: $id) { id } }",
        {"id": ("Conversation", 0)},
    ),
    (
        "handBackConversation",
        "mutation($id: ID!) { handBackConversation(id: $id) { id } }",
        {"id": ("Conversation", 0)},
    ),
    ("syncCrm", "mutation($id: ID!) { syncCrm(id: $id) { id } }", {"id": ("CrmConnection", 0)}),
    (
        "disconnectCrm",
        "mutation($id: ID!) { disconnectCrm(id: $id) { id } }",
        {"id": ("CrmConnection", 0)},
    ),
    (
        "assignLead",
        "mutation($l: ID!, $u: ID) { assignLead(leadId: $l, userId: $u) { id } }",
        {"l": ("Lead", 0), "u": None},
    ),
    (
        "assignLead to a user of A",
        "mutation($l: ID!, $u: ID) { assignLead(leadId: $l, userId: $u) { id } }",
        {"l": ("Lead", 0), "u": ("User", 0)},
    ),
    (
        "removeUser",
        "mutation($u: ID!) { removeUser(userId: $u) { removedId } }",
        {"u": ("User", 0)},
    ),
    (
        "updateUserRole",
        "mutation($u: ID!) { updateUserRole(userId: $u, role: AGENT) { id } }",
        {"u": ("User", 0)},
    ),
    (
        "completeBrokerTask",
        "mutation($id: ID!) { completeBrokerTask(id: $id) { id } }",
        {"id": ("BrokerTask", 0)},
    ),
]


def _resolve(value: Any, owned: dict[str, list[str]]) -> Any:
    if isinstance(value, tuple):
        return owned[value[0]][value[1]]
    if isinstance(value, dict):
        return {k: _resolve(v, owned) for k, v in value.items()}
    return value


async def test_brokerage_b_cannot_change_anything_of_brokerage_a(
    api: Api, runtime: Runtime
) -> None:
    owned = await _brokerage_a(api, runtime)
    token_a = api.token
    before = await api.ok(A_OBJECTS, token=token_a)

    await api.sign_up("b@example.com", "B")
    for name, mutation, variables in MUTATIONS:
        body = await api(mutation, _resolve(variables, owned))
        assert body["data"] is None and error_codes(body) == ["NOT_FOUND"], (name, body)

    assert await api.ok(A_OBJECTS, token=token_a) == before
    keys = await api.ok("{ apiKeys { revoked } }", token=token_a)
    assert keys["apiKeys"] == [{"revoked": False}]
