"""Matching jobs: a property against every lead, or changed leads against every property."""

from __future__ import annotations

from typing import Any

from app.core.jobs import task
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.triggers import FEW_LEADS
from app.matching.repository import active_properties
from app.matching.service import match_properties
from app.matching.triggers import new_leads_matched
from app.properties.triggers import schedule_campaign


@task
async def match_property(ctx: dict[str, Any], brokerage_id: int, property_id: int) -> int:
    """Score every lead against a listing, then start (or top up) its outreach campaign."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        listings = await active_properties(session, brokerage_id, [property_id])
        counts = await match_properties(session, brokerage_id, listings)
        for listing in listings:
            schedule_campaign(session, brokerage_id, listing.id)
        await commit(session)
    return counts.get(property_id, 0)


@task
async def match_leads(ctx: dict[str, Any], brokerage_id: int, lead_ids: list[int] | None) -> int:
    """Score new or changed leads (None: all of them) against every active listing and reach
    the new matches."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        listings = await active_properties(session, brokerage_id)
        counts = await match_properties(session, brokerage_id, listings, lead_ids=lead_ids)
        few = lead_ids is not None and len(lead_ids) <= FEW_LEADS
        for property_id, count in counts.items():
            if count and few:
                assert lead_ids is not None
                new_leads_matched(session, brokerage_id, property_id, lead_ids)
            elif count:
                schedule_campaign(session, brokerage_id, property_id)
        await commit(session)
    return sum(counts.values())
