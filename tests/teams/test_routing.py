"""Lead routing: round-robin fairness, reassignment, and leads going back to routing when
their agent is removed."""

from __future__ import annotations

from app.core.runtime import Runtime
from app.plans.rules import Plan
from tests.conftest import Api, error_codes
from tests.leads.uploads import import_ok
from tests.support.jobs import drain_jobs
from tests.teams.support import create_lead, join, on_plan

COUNT = "{ leads { totalCount } }"


async def test_round_robin_gives_each_of_n_agents_100_over_n_leads(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    agents = [await join(api, runtime, f"agent{i}@example.com", f"Agent {i}") for i in range(3)]
    routing = await api.ok("{ brokerage { leadRouting } }")
    assert routing["brokerage"]["leadRouting"] == "ROUND_ROBIN"  # the default
    for i in range(100):
        await create_lead(api, f"Lead {i}", f"lead{i}@example.com")
    counts = [(await api.ok(COUNT, token=a["token"]))["leads"]["totalCount"] for a in agents]
    assert sum(counts) == 100
    assert all(abs(count - 100 / 3) <= 1 for count in counts), counts


async def test_removing_an_agent_sends_their_leads_back_to_routing(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    luis = await join(api, runtime, "luis@example.com", "Luis")
    eva = await join(api, runtime, "eva@example.com", "Eva")
    for i in range(4):
        await create_lead(api, f"Lead {i}", f"lead{i}@example.com")
    assert (await api.ok(COUNT, token=luis["token"]))["leads"]["totalCount"] == 2
    assert (await api.ok(COUNT, token=eva["token"]))["leads"]["totalCount"] == 2

    removed = await api.ok(
        "mutation($u: ID!) { removeUser(userId: $u) { removedId leadsRerouted } }",
        {"u": luis["id"]},
    )
    assert removed["removeUser"] == {"removedId": luis["id"], "leadsRerouted": 2}
    assert (await api.ok(COUNT, token=eva["token"]))["leads"]["totalCount"] == 4
    gone = await api(COUNT, token=luis["token"])
    assert error_codes(gone) == ["UNAUTHENTICATED"]
    team = await api.ok("{ users { email } }")
    assert [u["email"] for u in team["users"]] == ["owner@example.com", "eva@example.com"]
    audit = await api.ok(
        "{ auditLog(action: USER_REMOVED) { edges { node { actorName detail } } } }"
    )
    (entry,) = audit["auditLog"]["edges"]
    assert entry["node"]["actorName"] == "Ana"
    assert entry["node"]["detail"]["email"] == "luis@example.com"


async def test_manual_routing_leaves_leads_unassigned_until_assigned(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    await api.ok("mutation { updateBrokerage(input: {leadRouting: MANUAL}) { leadRouting } }")
    luis = await join(api, runtime, "luis@example.com", "Luis")
    lead = await create_lead(api, "Lead", "lead@example.com")
    assert (await api.ok(COUNT, token=luis["token"]))["leads"]["totalCount"] == 0
    assigned = await api.ok(
        "mutation($l: ID!, $u: ID) { assignLead(leadId: $l, userId: $u) { assignee { name } } }",
        {"l": lead, "u": luis["id"]},
    )
    assert assigned["assignLead"]["assignee"] == {"name": "Luis"}
    assert (await api.ok(COUNT, token=luis["token"]))["leads"]["totalCount"] == 1
    audit = await api.ok("{ auditLog { edges { node { action } } } }")
    actions = [e["node"]["action"] for e in audit["auditLog"]["edges"]]
    assert actions[0] == "LEAD_ASSIGNED" and "ROUTING_CHANGED" in actions


async def test_imported_leads_are_dealt_to_the_agents_as_they_arrive(
    api: Api, runtime: Runtime
) -> None:
    """Under ROUND_ROBIN, an imported CSV's leads each have an agent once the import is done,
    before any listing matches them; a lead the owner gave someone keeps that agent."""
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    agents = [await join(api, runtime, f"agent{i}@example.com", f"Agent {i}") for i in range(3)]
    kept = await create_lead(api, "Lead 0", "lead0@example.com")  # dealt to the first agent
    await api.ok(
        "mutation($l: ID!, $u: ID) { assignLead(leadId: $l, userId: $u) { id } }",
        {"l": kept, "u": agents[2]["id"]},
    )
    rows = "".join(f"Lead {i},lead{i}@example.com\n" for i in range(31))
    imported = await import_ok(api, f"name,email\n{rows}".encode())
    assert (imported["imported"], imported["updated"]) == (30, 0)
    await drain_jobs(runtime)

    counts = [(await api.ok(COUNT, token=a["token"]))["leads"]["totalCount"] for a in agents]
    assert sum(counts) == 31, counts  # nobody's lead is left unassigned
    assert all(10 <= count <= 11 for count in counts), counts
    everyone = await api.ok("{ leads(first: 100) { edges { node { id assignee { email } } } } }")
    assignees = {e["node"]["id"]: e["node"]["assignee"] for e in everyone["leads"]["edges"]}
    assert None not in assignees.values()
    assert assignees[kept] == {"email": "agent2@example.com"}


async def test_imported_leads_wait_under_manual_routing(api: Api, runtime: Runtime) -> None:
    await api.sign_up("owner@example.com")
    await on_plan(runtime, Plan.ENTERPRISE)
    await api.ok("mutation { updateBrokerage(input: {leadRouting: MANUAL}) { leadRouting } }")
    luis = await join(api, runtime, "luis@example.com", "Luis")
    await import_ok(api, b"name,email\nAna,ana@example.com\nBea,bea@example.com\n")
    await drain_jobs(runtime)
    assert (await api.ok(COUNT, token=luis["token"]))["leads"]["totalCount"] == 0
