"""Connecting both CRMs imports every contact once, merged with what the broker already had."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.core.runtime import Runtime
from app.core.uow import commit
from app.crm_sync.models import CrmConnection
from app.leads.models import Lead, LeadChange
from app.leads.service import upsert_leads
from tests.conftest import Api
from tests.crm_sync.conftest import (
    CONNECTIONS,
    FUB_KEY,
    connect_fub,
    connect_hubspot,
    run_jobs,
)
from tests.support.fub_standin import FubStandIn, iso
from tests.support.hubspot_standin import HubSpotStandIn

SHARED = 20  # people 1..20 are in Follow Up Boss, in HubSpot and in a spreadsheet


def phone(n: int) -> str:
    return f"+1202555{n:04d}"  # valid US numbers, unlike the stand-ins' 555 defaults


async def test_full_import_of_both_crms_merges_the_same_person_into_one_lead(
    api: Api,
    runtime: Runtime,
    fub: tuple[FubStandIn, str],
    hubspot: tuple[HubSpotStandIn, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fub_in, hs_in = fub[0], hubspot[0]
    recent = iso(datetime.now(UTC) - timedelta(days=5))
    for n in range(1, 151):
        fub_in.add_person(
            n,
            emails=[{"value": f"Person{n}@Example.com"}],
            phones=[{"value": phone(n)}],
            lastActivity=recent if n <= 10 else None,
            background="Busca 3 recámaras" if n == 1 else None,
        )
    for n in range(1, 151):
        hs_n = n if n <= SHARED else 1000 + n
        hs_in.add_contact(hs_n, email=f"person{hs_n}@example.com", phone="")
    fub_in.throttle_next(retry_after=1)  # the first page is answered 429, then served
    await api.sign_up()
    brokerage_id = 1
    async with runtime.session() as session:
        # The spreadsheet had person 3 already, opted out; an import must not undo that.
        await upsert_leads(
            session,
            brokerage_id,
            [{"name": "Tres", "email": "person3@example.com", "phone": phone(3), "source": "CSV"}],
            source="CSV",
        )
        lead = (await session.execute(select(Lead))).scalar_one()
        lead.opted_out = True
        await commit(session)

    await connect_fub(api)
    await run_jobs(runtime)  # FUB first: which CRM renames person 3 must not be a race
    await connect_hubspot(api, hs_in)
    await run_jobs(runtime)

    async with runtime.session() as session:
        total = (await session.execute(select(func.count()).select_from(Lead))).scalar_one()
        three = (
            await session.execute(select(Lead).where(Lead.email == "person3@example.com"))
        ).scalar_one()
        one = (
            await session.execute(select(Lead).where(Lead.email == "person1@example.com"))
        ).scalar_one()
        renamed = [
            (c.source, c.old_value, c.new_value)
            for c in (
                await session.execute(
                    select(LeadChange).where(
                        LeadChange.lead_id == three.id, LeadChange.field == "name"
                    )
                )
            ).scalars()
        ]
        stored = list((await session.execute(select(CrmConnection.credentials))).scalars())
    assert total == 150 + 150 - SHARED
    # The CRM owns contact fields: its name wins, and the change is logged with its source.
    assert three.opted_out is True and three.name == "First3 Last3"
    assert renamed == [("FOLLOWUPBOSS", "Tres", "First3 Last3")]
    assert three.external_source == "FOLLOWUPBOSS" and three.external_id == "3"
    assert one.bedrooms == 3 and one.phone == phone(1)

    connections = (await api.ok(CONNECTIONS))["crmConnections"]
    assert [(c["provider"], c["status"], c["leadsImported"]) for c in connections] == [
        ("FOLLOWUPBOSS", "CONNECTED", 150),
        ("HUBSPOT", "CONNECTED", 150),
    ]
    assert all(c["lastSyncAt"] and c["lastError"] is None for c in connections)

    stats = await api.ok(
        "{ crmSyncStats { connected provider totalLeadsImported lastSyncAt "
        "breakdown { hot warm cold } aiActivity { messagesSent conversationsActive "
        "leadsQualified meetingsScheduled } performance { responseRate qualificationRate "
        "conversionRate } } }"
    )
    s = stats["crmSyncStats"]
    assert (s["connected"], s["provider"], s["totalLeadsImported"]) == (True, "FOLLOWUPBOSS", 300)
    assert s["breakdown"] == {"hot": 10, "warm": 0, "cold": 270}
    assert s["aiActivity"] == {
        "messagesSent": 0,
        "conversationsActive": 0,
        "leadsQualified": 0,
        "meetingsScheduled": 0,
    }
    assert s["performance"] == {
        "responseRate": 0.0,
        "qualificationRate": 0.0,
        "conversionRate": 0.0,
    }

    # No credential anywhere a person or a log collector could read it.
    secrets = {FUB_KEY, *hs_in.access_tokens, *hs_in.refresh_tokens}
    visible = str(connections) + str(stats) + caplog.text + "".join(s or "" for s in stored)
    assert [secret for secret in secrets if secret in visible] == []
