"""CRM-Enhanced milestones: a qualified lead or a confirmed viewing becomes a HubSpot deal in the
pipeline and stage the broker chose (created once, then moved), and a call task for the agent in
Follow Up Boss, whose stages stay the broker's."""

from __future__ import annotations

from typing import Any

from app.core.runtime import Runtime
from tests.conftest import Api, error_codes
from tests.crm_sync.conftest import connect_fub, connect_hubspot, run_jobs
from tests.crm_sync.test_sync import _lead, _qualified_conversation
from tests.support.fub_standin import FubStandIn
from tests.support.hubspot_standin import HubSpotStandIn

DEALS = """{ crmConnections { id provider dealPipeline qualifiedDealStage viewingDealStage
  dealPipelines { id label stages { id label } } } }"""
UPDATE = """mutation($id: ID!, $i: UpdateCrmConnectionInput!) {
  updateCrmConnection(id: $id, input: $i) { dealPipeline qualifiedDealStage viewingDealStage } }"""


async def _hubspot_connection(api: Api) -> dict[str, Any]:
    data = await api.ok(DEALS)
    (connection,) = [c for c in data["crmConnections"] if c["provider"] == "HUBSPOT"]
    result: dict[str, Any] = connection
    return result


async def test_a_qualified_lead_becomes_one_deal_and_one_agent_task(
    api: Api,
    runtime: Runtime,
    fub: tuple[FubStandIn, str],
    hubspot: tuple[HubSpotStandIn, str],
) -> None:
    fub_in, hs_in = fub[0], hubspot[0]
    fub_in.add_person(1, stage="Nurture")
    hs_in.add_contact(2)
    await api.sign_up()
    await connect_fub(api)
    await connect_hubspot(api, hs_in)
    await run_jobs(runtime)
    fub_lead = await _lead(runtime, "person1@example.com")
    hs_lead = await _lead(runtime, "contact2@example.com")
    fub_conversation = await _qualified_conversation(runtime, fub_lead.id)
    hs_conversation = await _qualified_conversation(runtime, hs_lead.id)

    for _ in range(2):  # a second signal or a retry: still one deal, one task
        await runtime.jobs.enqueue("crm_write_back", 1, fub_lead.id, fub_conversation)
        await runtime.jobs.enqueue("crm_write_back", 1, hs_lead.id, hs_conversation)
        await run_jobs(runtime)

    (deal,) = hs_in.deals.values()
    assert deal["dealname"] == "Casa en Coyoacán · First2 Last2"
    assert (deal["pipeline"], deal["dealstage"], deal["amount"]) == (
        "default",
        "qualifiedtobuy",
        "5000000",
    )
    assert hs_in.deal_links == {2: [1]}
    (task,) = fub_in.tasks
    assert task["name"] == "Llamar a First1 Last1: calificado por BR SCALE (Casa en Coyoacán)"
    assert (task["personId"], task["type"]) == (1, "Call")
    assert fub_in.people[1]["stage"] == "Nurture"  # the broker's stage is left alone


async def test_the_broker_chooses_pipeline_and_stages_and_a_viewing_moves_the_deal(
    api: Api, runtime: Runtime, hubspot: tuple[HubSpotStandIn, str]
) -> None:
    hs_in = hubspot[0]
    hs_in.add_contact(2)
    await api.sign_up()
    await connect_hubspot(api, hs_in)
    await run_jobs(runtime)
    connection = await _hubspot_connection(api)
    assert [p["id"] for p in connection["dealPipelines"]] == ["default", "rentals"]
    assert connection["dealPipelines"][1]["stages"] == [
        {"id": "r-visita", "label": "Visita"},
        {"id": "r-calificado", "label": "Calificado"},
    ]

    wrong = await api(
        UPDATE,
        {"id": connection["id"], "i": {"dealPipeline": "rentals", "qualifiedDealStage": "nope"}},
    )
    assert error_codes(wrong) == ["BAD_USER_INPUT"]
    assert "r-calificado" in wrong["errors"][0]["message"]
    assert (await _hubspot_connection(api))["dealPipeline"] == "default"  # nothing changed
    chosen = await api.ok(
        UPDATE,
        {
            "id": connection["id"],
            "i": {
                "dealPipeline": "rentals",
                "qualifiedDealStage": "r-calificado",
                "viewingDealStage": "r-visita",
            },
        },
    )
    assert chosen["updateCrmConnection"] == {
        "dealPipeline": "rentals",
        "qualifiedDealStage": "r-calificado",
        "viewingDealStage": "r-visita",
    }

    lead = await _lead(runtime, "contact2@example.com")
    conversation = await _qualified_conversation(runtime, lead.id)
    await runtime.jobs.enqueue("crm_write_back", 1, lead.id, conversation)
    await run_jobs(runtime)
    assert [(d["pipeline"], d["dealstage"]) for d in hs_in.deals.values()] == [
        ("rentals", "r-calificado")
    ]
    await runtime.jobs.enqueue("crm_record_milestone", 1, lead.id, conversation, "VIEWING")
    await run_jobs(runtime)
    assert [(d["pipeline"], d["dealstage"]) for d in hs_in.deals.values()] == [
        ("rentals", "r-visita")
    ]
