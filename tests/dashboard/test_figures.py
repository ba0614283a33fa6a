"""Every dashboard figure on a brokerage whose truth is known by construction (figures.py), and
a conversation answered by the agent through the whole stack still counting as responding."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.dashboard.figures import NOW, build
from tests.support.jobs import drain_jobs

STATS = """query($w: StatsWindow) { crmSyncStats(window: $w) {
  window connected provider totalLeadsImported leadsImported lastSyncAt
  sources { provider connected totalLeadsImported leadsImported lastSyncAt }
  breakdown { hot warm cold }
  aiActivity { messagesSent conversationsActive leadsQualified meetingsScheduled }
  funnel { leadsContacted leadsReplied leadsQualified leadsWithViewing }
  performance { responseRate qualificationRate conversionRate }
  roi { qualifiedLeads viewings
        listings { property { title } qualifiedLeads viewings value currency }
        listingValue { currency operation listings amount }
        aiMessages { firstMessages followUps replies viewingMessages total } } } }"""
LISTINGS = """{ properties(first: 10) { edges { node { title stats {
  totalConversations responding waiting cold qualified awaitingApproval optedOut
  variants { variant } } } } } }"""


@pytest.fixture
def at_noon() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


async def test_listing_stats_partition_the_open_conversations(
    api: Api, runtime: Runtime, at_noon: Any, backend: str
) -> None:
    await api.sign_up()
    await build(runtime, brokerage_id=1)

    edges = (await api.ok(LISTINGS))["properties"]["edges"]
    stats = {e["node"]["title"]: e["node"]["stats"] for e in edges}

    # c1 (answered by the agent, status WAITING), c2 and c10 replied; c3 and c7 never did;
    # c4 and c5 silent 7+ days after our last message, c6 marked COLD; c8 and c9 are over.
    assert stats["Casa en Polanco"] == {
        "totalConversations": 10,
        "responding": 3,
        "waiting": 2,
        "cold": 3,
        "qualified": 1,
        "awaitingApproval": 1,
        "optedOut": 1,
        "variants": [],
    }
    assert stats["Depa en Roma"]["responding"] == 1
    assert stats["Casa en Coyoacán"]["totalConversations"] == 0


async def test_crm_sync_stats_per_window(
    api: Api, runtime: Runtime, at_noon: Any, backend: str
) -> None:
    await api.sign_up()
    await build(runtime, brokerage_id=1)

    week = (await api.ok(STATS))["crmSyncStats"]  # the default window
    assert week["window"] == "LAST_7_DAYS"
    # CSV imports are a source: 2 leads today and 5 three days ago are in the week; the 7
    # from 20 days ago are not; the dry run and the preview never count.
    assert (week["connected"], week["provider"]) == (False, "CSV")
    assert (week["totalLeadsImported"], week["leadsImported"]) == (14, 7)
    assert week["lastSyncAt"] == "2026-12-07T17:02:00+00:00"
    assert week["sources"] == [
        {
            "provider": "CSV",
            "connected": False,
            "totalLeadsImported": 14,
            "leadsImported": 7,
            "lastSyncAt": "2026-12-07T17:02:00+00:00",
        }
    ]
    assert week["breakdown"] == {"hot": 1, "warm": 1, "cold": 9}
    # Sent by the agent in the week: c1 x2, c2 x2, c3, c8, c10 x2; the draft never, nor the
    # broker's own answer relayed to c2 (the broker's work).
    # Active: c1, c2, c3, c10 (c8 was written in the week but opted out: finished). Qualified: c10 yesterday. Meetings: c10's confirmed viewing;
    # c2's proposed one is not a meeting, c11's was confirmed 20 days ago.
    assert week["aiActivity"] == {
        "messagesSent": 8,
        "conversationsActive": 4,
        "leadsQualified": 1,
        "meetingsScheduled": 1,
    }
    # Contacted in the week: c1, c2, c3, c8, c10; replied: c1, c2, c8, c10; qualified: c10;
    # with a confirmed viewing: c10 (c2's viewing is only proposed).
    assert week["funnel"] == {
        "leadsContacted": 5,
        "leadsReplied": 4,
        "leadsQualified": 1,
        "leadsWithViewing": 1,
    }
    assert week["performance"] == {
        "responseRate": 0.8,
        "qualificationRate": 0.2,
        "conversionRate": 0.2,
    }
    assert week["roi"] == {
        "qualifiedLeads": 1,
        "viewings": 1,
        "listings": [
            {
                "property": {"title": "Casa en Polanco"},
                "qualifiedLeads": 1,
                "viewings": 1,
                "value": 5_000_000,
                "currency": "MXN",
            }
        ],
        "listingValue": [
            {"currency": "MXN", "operation": "SALE", "listings": 1, "amount": 5_000_000}
        ],
        # first messages of c1, c2, c3, c8, c10; c1's and c2's replies; c10's viewing
        # confirmation; the broker's answer relayed to c2 is the broker's work.
        "aiMessages": {
            "firstMessages": 5,
            "followUps": 0,
            "replies": 2,
            "viewingMessages": 1,
            "total": 8,
        },
    }

    month = (await api.ok(STATS, {"w": "LAST_30_DAYS"}))["crmSyncStats"]
    assert month["leadsImported"] == 14
    assert month["aiActivity"]["leadsQualified"] == 2
    assert month["aiActivity"]["meetingsScheduled"] == 2
    assert [
        (r["property"]["title"], r["qualifiedLeads"], r["viewings"])
        for r in month["roi"]["listings"]
    ] == [
        ("Casa en Polanco", 1, 1),
        ("Depa en Roma", 1, 1),
    ]
    assert month["roi"]["listingValue"] == [
        {"currency": "MXN", "operation": "RENT", "listings": 1, "amount": 25_000},
        {"currency": "MXN", "operation": "SALE", "listings": 1, "amount": 5_000_000},
    ]

    # Today began at midnight in Mexico City (06:00 UTC): the import of an hour ago and the
    # agent's answer sent six hours ago, at the window's first instant, are today's.
    today = (await api.ok(STATS, {"w": "TODAY"}))["crmSyncStats"]
    assert today["leadsImported"] == 2
    assert today["aiActivity"]["messagesSent"] == 1
    assert today["aiActivity"]["meetingsScheduled"] == 0

    ever = (await api.ok(STATS, {"w": "ALL_TIME"}))["crmSyncStats"]
    assert ever["leadsImported"] == ever["totalLeadsImported"] == 14
    # Every message the agent sent (c1 2, c2 2, c3, c4, c5 2, c6, c8, c9, c10 2, c11).
    assert ever["aiActivity"]["messagesSent"] == 14
    assert ever["aiActivity"]["meetingsScheduled"] == 2


async def test_a_conversation_answered_by_the_agent_still_counts_as_responding(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    await api.ok(
        "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
        {
            "i": {
                "name": "Ana",
                "email": "ana@example.com",
                "phone": "+52 55 1234 5678",
                "locations": ["Polanco"],
                "maxBudget": 6_000_000,
                "bedrooms": 3,
            }
        },
    )
    await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }",
        {
            "i": {
                "title": "Casa en Polanco",
                "location": "Polanco",
                "city": "CDMX",
                "price": 5_200_000,
                "currency": "MXN",
                "bedrooms": 3,
                "bathrooms": 2,
                "operation": "SALE",
                "description": "Con jardín.",
            }
        },
    )
    await drain_jobs(runtime)
    before = (await api.ok(LISTINGS))["properties"]["edges"][0]["node"]["stats"]
    assert (before["responding"], before["waiting"]) == (0, 1)

    conversation = (await api.ok("{ conversations(first: 1) { edges { node { id } } } }"))[
        "conversations"
    ]["edges"][0]["node"]["id"]
    answered = await api.ok(
        """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
          status messages { direction } } }""",
        {
            "i": {
                "conversationId": conversation,
                "channel": "SMS",
                "body": "¿Tiene estacionamiento?",
            }
        },
    )
    await drain_jobs(runtime)
    directions = [m["direction"] for m in answered["receiveLeadMessage"]["messages"]]
    assert directions[-2:] == ["INBOUND", "OUTBOUND"]  # the agent answered

    after = (await api.ok(LISTINGS))["properties"]["edges"][0]["node"]["stats"]
    assert (after["responding"], after["waiting"], after["cold"]) == (1, 0, 0)
