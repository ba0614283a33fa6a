"""Plans as configuration: what each includes and holds, enforced with codes that name the plan
that would do it, the usage a broker sees, and the operator's `brscale plan` command."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from app.core.config import Settings
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.plans.rules import PLANS, Plan, PlanSpec
from tests.conftest import Api, error_codes
from tests.leads.uploads import upload_csv
from tests.support.jobs import drain_jobs

ROOT = Path(__file__).resolve().parents[2]
PLAN = """{ brokerage { plan { name label features
  limits { leads properties users messagesPerMonth }
  usage { leads properties users messagesThisMonth } } } }"""
LISTING = {"title": "Depa", "location": "Polanco", "price": 5_000_000, "operation": "SALE"}
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"


async def _set_plan(settings: Settings, brokerage: str, plan: str) -> str:
    """`brscale plan` as an operator runs it, against the same database."""
    env = {**os.environ, "BRSCALE_DATA_DIR": str(settings.data_dir)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "plan", brokerage, plan,
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_new_brokerage_is_on_crm_enhanced_and_sees_its_usage(
    api: Api, backend: str
) -> None:
    await api.sign_up()
    await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await api.ok(CREATE_LEAD, {"i": {"name": "Ana", "email": "ana@lead.mx"}})

    plan = (await api.ok(PLAN))["brokerage"]["plan"]

    assert (plan["name"], plan["label"]) == ("CRM_ENHANCED", "CRM-Enhanced")
    assert plan["features"] == [
        "connecting a CRM",
        "importing leads from a file",
        "reactivating old leads",
    ]
    assert plan["limits"] == {
        "leads": 250_000,
        "properties": 100,
        "users": 3,
        "messagesPerMonth": 50_000,
    }
    assert plan["usage"] == {"leads": 1, "properties": 1, "users": 1, "messagesThisMonth": 0}


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_standalone_gates_answer_forbidden_naming_the_plan_that_includes_it(
    api: Api, runtime: Runtime, settings: Settings, backend: str
) -> None:
    await api.sign_up(brokerage="Casa Sola")
    said = await _set_plan(settings, "Casa Sola", "standalone")
    assert said.startswith("Casa Sola (id 1): CRM_ENHANCED -> STANDALONE.")

    crm = await api('mutation { connectFollowUpBoss(input: {apiKey: "k"}) { id } }')
    upload = await upload_csv(api, b"name,email\nAna,ana@lead.mx\n")
    reactivate = await api("mutation { reactivateLeads { leadsQueued } }")

    for body in (crm, upload, reactivate):
        assert error_codes(body) == ["FORBIDDEN"]
    assert crm["errors"][0]["message"] == (
        "Connecting a CRM is part of the CRM-Enhanced plan; this brokerage is on Standalone."
    )
    assert "importing leads from a file" in upload["errors"][0]["message"].lower()
    assert (await api.ok(PLAN))["brokerage"]["plan"]["usage"]["leads"] == 0


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_limits_answer_conflict_with_the_figures_and_nothing_changes(
    api: Api, runtime: Runtime, settings: Settings, backend: str
) -> None:
    await api.sign_up()
    await _set_plan(settings, "1", "STANDALONE")
    for n in range(10):
        await api.ok(CREATE_PROPERTY, {"i": {**LISTING, "title": f"Depa {n}"}})
    async with runtime.session() as session:
        await session.execute(
            insert(Lead),
            [{"brokerage_id": 1, "name": f"L{n}", "email": f"l{n}@x.mx"} for n in range(1000)],
        )
        await commit(session)

    listing = await api(CREATE_PROPERTY, {"i": LISTING})
    lead = await api(CREATE_LEAD, {"i": {"name": "Uno más", "email": "otro@x.mx"}})
    key = (await api.ok("{ brokerage { captureKey } }"))["brokerage"]["captureKey"]
    captured = await api.client.post(f"/capture/{key}", json={"email": "form@x.mx"})

    assert error_codes(listing) == ["CONFLICT"]
    assert listing["errors"][0]["message"] == (
        "The Standalone plan holds 10 properties; this brokerage has 10. "
        "The CRM-Enhanced plan holds 100."
    )
    assert error_codes(lead) == ["CONFLICT"]
    assert captured.status_code == 409
    usage = (await api.ok(PLAN))["brokerage"]["plan"]["usage"]
    assert (usage["leads"], usage["properties"]) == (1000, 10)
    await _set_plan(settings, "1", "ENTERPRISE")
    assert (await api(CREATE_PROPERTY, {"i": LISTING})).get("errors") is None


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_new_outreach_waits_when_the_months_messages_are_used_up(
    api: Api, runtime: Runtime, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = PlanSpec(Plan.CRM_ENHANCED, "CRM-Enhanced", PLANS[Plan.CRM_ENHANCED].features,
                     1000, 10, 3, 1)  # fmt: skip
    monkeypatch.setitem(PLANS, Plan.CRM_ENHANCED, small)
    await api.sign_up()
    await api.ok(
        CREATE_LEAD,
        {"i": {"name": "Ana", "email": "ana@lead.mx", "locations": ["Polanco"]}},
    )
    first = await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)
    second = await api.ok(CREATE_PROPERTY, {"i": {**LISTING, "title": "Otro depa"}})
    await drain_jobs(runtime)

    counts = []
    for listing in (first, second):
        data = await api.ok(
            "query($id: ID!) { node(id: $id) { ... on Property { conversations { totalCount } } } }",
            {"id": listing["createProperty"]["id"]},
        )
        counts.append(data["node"]["conversations"]["totalCount"])
    assert counts == [1, 0]
    usage = (await api.ok(PLAN))["brokerage"]["plan"]["usage"]
    assert usage["messagesThisMonth"] == 1
