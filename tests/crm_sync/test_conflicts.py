"""A field changed both here and in the CRM settles by its rule and leaves a record a broker can
read: the CRM keeps contact data and its stage, BR SCALE its own tags; a sync run counts them."""

from __future__ import annotations

from typing import Any

from app.core.runtime import Runtime
from app.crm_sync.conflicts import settle
from tests.conftest import Api
from tests.crm_sync.conftest import connect_fub, run_jobs
from tests.support.fub_standin import FubStandIn

LEAD = """query($id: ID!) { node(id: $id) { ... on Lead { name crmStatus tags
  history(first: 20) { edges { node { source field before after
    conflict { crmValue localValue kept } } } } } } }"""
RUNS = """{ crmConnections { syncRuns(first: 10) { edges { node {
  kind imported updated conflicts } } } } }"""
CREATE = """mutation($i: CreateLeadInput!) { createLead(input: $i) { id name
  capture { merged } } }"""


async def _lead(api: Api, lead_id: str) -> dict[str, Any]:
    node: dict[str, Any] = (await api.ok(LEAD, {"id": lead_id}))["node"]
    return node


async def _deliver(api: Api, fub_in: FubStandIn, person_id: int) -> None:
    body, headers = fub_in.signed_webhook("peopleUpdated", [person_id])
    response = await api.client.post("/webhooks/followupboss", content=body, headers=headers)
    assert response.status_code == 200, response.text


async def test_a_field_changed_on_both_sides_keeps_the_crms_value_and_both_are_on_record(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(7, firstName="Ana", lastName="Pérez", tags=["Comprador"])
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)

    # Here: a website form names her more fully (the merge rules take the fuller name).
    form = await api.ok(
        CREATE, {"i": {"name": "Ana María Pérez López", "email": "person7@example.com"}}
    )
    lead_id = form["createLead"]["id"]
    assert form["createLead"]["capture"]["merged"] is True
    assert (await _lead(api, lead_id))["name"] == "Ana María Pérez López"

    # The CRM record comes back unchanged (a catch-up, another field's webhook): ours stays.
    await _deliver(api, fub_in, 7)
    await run_jobs(runtime)
    assert (await _lead(api, lead_id))["name"] == "Ana María Pérez López"

    # In Follow Up Boss, the broker renames her and moves her stage; BR SCALE's own tag, which
    # write-back put there, is removed by hand.
    fub_in.people[7].update(
        firstName="Anita",
        lastName="Pérez",
        stage="Hot Prospect",
        tags=["Comprador", "VIP", "BR SCALE: Calificado por la IA"],
    )
    await _deliver(api, fub_in, 7)
    await run_jobs(runtime)

    lead = await _lead(api, lead_id)
    assert (lead["name"], lead["crmStatus"]) == ("Anita Pérez", "Hot Prospect")
    assert lead["tags"] == ["Comprador", "VIP"]  # the CRM's copy of BR SCALE's tag is not read
    changes: dict[str, Any] = {}  # the newest change of each field (history is newest first)
    for edge in lead["history"]["edges"]:
        changes.setdefault(edge["node"]["field"], edge["node"])
    assert changes["name"] == {
        "source": "FOLLOWUPBOSS",
        "field": "name",
        "before": "Ana María Pérez López",
        "after": "Anita Pérez",
        "conflict": {
            "crmValue": "Anita Pérez",
            "localValue": "Ana María Pérez López",
            "kept": "CRM",
        },
    }
    # Only the CRM changed the stage: taken as the broker's edit, no conflict.
    assert changes["crm_status"]["after"] == "Hot Prospect"
    assert changes["crm_status"]["conflict"] is None

    runs = (await api.ok(RUNS))["crmConnections"][0]["syncRuns"]["edges"]
    webhook_runs = [r["node"] for r in runs if r["node"]["kind"] == "WEBHOOK"]
    assert sorted(r["conflicts"] for r in webhook_runs) == [0, 1]
    assert all(r["conflicts"] == 0 for r in (r["node"] for r in runs) if r["kind"] == "IMPORT")


def test_rules_per_field_on_the_pure_settlement() -> None:
    synced = {
        "name": "Ana Pérez",
        "email": "ana@a.mx",
        "phone": "+5215512345678",
        "crm_status": "Lead",
    }
    current = {**synced, "email": "ana@b.mx", "other_emails": ["ana@a.mx"], "crm_status": "Lead"}
    # The CRM changed the email and nothing else; we changed it too: a conflict, the CRM wins and
    # our address is kept as another one.
    incoming = {**synced, "email": "ana@c.mx"}
    settled = settle(current, current, incoming, synced)
    assert settled.set == {"email": "ana@c.mx", "other_emails": ["ana@b.mx", "ana@a.mx"]}
    assert settled.conflicts == {"email": {"crm": "ana@c.mx", "local": "ana@b.mx", "kept": "CRM"}}
    # The CRM sent what it sent last time while we changed the email: ours stays, no conflict.
    stale = settle(current, {**current, "email": "ana@a.mx"}, dict(synced), synced)
    assert (stale.set, stale.keep, stale.conflicts) == ({}, ["email"], {})
    # A first sight has no baseline: the import's merge rules alone.
    assert settle(current, current, incoming, None).set == {}
    # Only the CRM changed a field: taken, even a shorter name.
    only_crm = settle(synced, synced, {**synced, "name": "Ana"}, synced)
    assert (only_crm.set, only_crm.conflicts) == ({"name": "Ana"}, {})
