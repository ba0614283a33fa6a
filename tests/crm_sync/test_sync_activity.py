"""A CRM sync in the activity feed: the broker sees the first import start and finish with its
counts, and each later pass that changed leads, but not the quiet catch-ups in between."""

from __future__ import annotations

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.crm_sync.conftest import connect_fub, run_jobs
from tests.support.fub_standin import FubStandIn

FEED = """{ activity(first: 20) { edges { node { type lead { id }
  syncRun { provider kind imported updated error finishedAt } } } } }"""


async def _sync_events(api: Api) -> list[dict]:
    edges = (await api.ok(FEED))["activity"]["edges"]
    return [e["node"] for e in edges if e["node"]["type"].startswith("CRM_SYNC")]


async def test_the_feed_shows_the_crm_import_and_the_passes_that_changed_leads(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    for n in (1, 2, 3):
        fub_in.add_person(n)
    await api.sign_up()
    connection = await connect_fub(api)
    await run_jobs(runtime)

    finished, started = await _sync_events(api)  # newest first
    assert started["type"] == "CRM_SYNC_STARTED"
    assert finished["type"] == "CRM_SYNC_FINISHED"
    run = finished["syncRun"]
    assert (run["provider"], run["kind"], run["imported"], run["updated"]) == (
        "FOLLOWUPBOSS",
        "IMPORT",
        3,
        0,
    )
    assert run["error"] is None and run["finishedAt"] is not None
    assert started["syncRun"]["kind"] == "IMPORT" and started["lead"] is None

    # A catch-up that finds nothing new stays out of the feed...
    await api.ok("mutation($id: ID!) { syncCrm(id: $id) { id } }", {"id": connection["id"]})
    await run_jobs(runtime)
    assert len(await _sync_events(api)) == 2

    # ...and a live update that changed a lead is in it.
    fub_in.people[2]["firstName"] = "Renamed"
    body, headers = fub_in.signed_webhook("peopleUpdated", [2])
    assert (
        await api.client.post("/webhooks/followupboss", content=body, headers=headers)
    ).is_success
    await run_jobs(runtime)
    newest = (await _sync_events(api))[0]
    assert newest["type"] == "CRM_SYNC_FINISHED"
    assert (newest["syncRun"]["kind"], newest["syncRun"]["updated"]) == ("WEBHOOK", 1)
