"""Listings: create and edit them (which starts matching and outreach), pause their campaign."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry import UNSET

from app.activity import repository as activity
from app.activity.events import Stream
from app.conversations.campaigns import campaign_progress
from app.core.db import utcnow
from app.core.tenancy import get_scoped, scoped
from app.core.text import fold
from app.plans import service as plans
from app.properties import service
from app.properties.models import Property as PropertyRow
from app.properties.triggers import schedule_campaign
from app.teams import service as teams
from graphql_schema.activity import decode_after, event_id, follow
from graphql_schema.context import Info
from graphql_schema.live import current_state
from graphql_schema.properties.types import Property, PropertyInput, UpdatePropertyInput
from graphql_schema.relay import Connection, decode_id, paginate


def _fields(input: PropertyInput) -> service.PropertyFields:
    return service.PropertyFields(
        title=input.title,
        location=input.location,
        price=input.price,
        operation=input.operation,
        city=input.city,
        currency=input.currency,
        bedrooms=input.bedrooms,
        bathrooms=input.bathrooms,
        description=input.description,
        parking_spaces=input.parking_spaces,
        built_area_m2=input.built_area_m2,
        lot_area_m2=input.lot_area_m2,
        amenities=input.amenities or [],
        pets_allowed=input.pets_allowed,
        maintenance_fee=input.maintenance_fee,
        deposit=input.deposit,
        available_from=input.available_from,
        photos=input.photos or [],
        listing_url=input.listing_url,
        address=input.address,
    )


@strawberry.type
class CampaignProgress:
    matches: int
    conversations: int
    started: int = strawberry.field(description="Conversations whose first message is written.")
    pending: int
    waiting: int
    qualified: int
    opted_out: int
    event_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The event these figures follow: pass it as `after` when you subscribe "
        "again to hear only of later changes.",
    )

    @classmethod
    def from_payload(cls, payload: dict[str, Any], event: int | None = None) -> CampaignProgress:
        by_status = payload.get("by_status", {})
        return cls(
            event_id=event_id(event),
            matches=payload["matches"],
            conversations=payload["conversations"],
            started=payload["started"],
            pending=payload["pending"],
            waiting=by_status.get("WAITING", 0),
            qualified=by_status.get("QUALIFIED", 0) + by_status.get("HANDED_OFF", 0),
            opted_out=by_status.get("OPTED_OUT", 0),
        )


@strawberry.type
class PropertiesQuery:
    @strawberry.field(
        description="Newest first; `search` finds words of the title, place or city (accents "
        "and case do not matter)."
    )
    async def properties(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
    ) -> Connection[Property]:
        principal = info.context.require("properties:read")
        stmt = scoped(PropertyRow, principal.brokerage_id)
        if search and (folded := fold(search)):
            escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(PropertyRow.search_key.like(f"%{escaped}%", escape="\\"))
        return await paginate(
            info.context.session,
            stmt,
            order=[PropertyRow.id],
            first=first,
            after=after,
            convert=Property.from_row,
        )


@strawberry.type
class PropertiesMutation:
    @strawberry.mutation(
        description="List a property; matching and the outreach campaign start in the background."
    )
    async def create_property(self, info: Info, input: PropertyInput) -> Property:
        principal = info.context.require("properties:write")
        await plans.require_room(
            info.context.session, principal.brokerage_id, "properties", utcnow()
        )
        row = await service.create_property(
            info.context.session, principal.brokerage_id, _fields(input)
        )
        if input.agent_id is not None:
            await teams.set_listing_agent(
                info.context.session, principal, row, decode_id(input.agent_id, "User")
            )
        await info.context.commit()
        return Property.from_row(row)

    @strawberry.mutation(
        description=(
            "Edit a listing: only the fields given change (null clears an optional one); a new"
            " price, place, bedrooms or operation re-matches it."
        )
    )
    async def update_property(
        self, info: Info, id: strawberry.ID, input: UpdatePropertyInput
    ) -> Property:
        principal = info.context.require("properties:write")
        changes = input.changes()
        agent = changes.pop("agent_id", UNSET)
        row = await service.update_property(
            info.context.session, principal.brokerage_id, decode_id(id, "Property"), changes
        )
        if agent is not UNSET:
            agent_id = decode_id(agent, "User") if agent is not None else None
            await teams.set_listing_agent(info.context.session, principal, row, agent_id)
        await info.context.commit()
        return Property.from_row(row)

    @strawberry.mutation(description="Pause or resume the outreach campaign of one listing.")
    async def pause_property_campaign(
        self, info: Info, id: strawberry.ID, paused: bool
    ) -> Property:
        principal = info.context.require("conversations:write")
        principal.require_manager("Pausing a listing's campaign")
        session = info.context.session
        row = await service.set_campaign_paused(
            session, principal.brokerage_id, decode_id(id, "Property"), paused
        )
        if not paused:
            schedule_campaign(session, principal.brokerage_id, row.id)
        await info.context.commit()
        return Property.from_row(row)


@strawberry.type
class PropertiesSubscription:
    @strawberry.subscription(
        description="Campaign figures for one listing, as its conversations start."
    )
    async def campaign_progress(
        self, info: Info, property_id: strawberry.ID, after: strawberry.ID | None = None
    ) -> AsyncGenerator[CampaignProgress, None]:
        principal = info.context.require("conversations:read")
        pid = decode_id(property_id, "Property")
        since = decode_after(after)
        runtime = info.context.runtime
        state = current_state()
        stmt = activity.feed(principal.brokerage_id, Stream.CAMPAIGN, property_id=pid)
        async with runtime.session() as session:
            await get_scoped(session, PropertyRow, principal.brokerage_id, pid, what="Property")
            if state.mode != "live":  # this subscriber's own start: the figures as they are
                # The latest id first: an event stored after it is sent live, never skipped.
                latest = await activity.latest(session, stmt)
                current = await campaign_progress(session, pid)
        if state.mode != "live":
            latest_id = latest.id if latest is not None else 0
            state.last_id = max(state.last_id, since, latest_id)
            if not since or latest_id > since:
                yield CampaignProgress.from_payload(current, latest_id)
            if state.mode == "catch_up":
                return

        def wanted(payload: dict[str, Any]) -> bool:
            return payload["stream"] == Stream.CAMPAIGN.value and payload["property_id"] == pid

        events = follow(runtime, principal.brokerage_id, stmt, wanted, state.last_id)
        try:
            async for payload in events:
                yield CampaignProgress.from_payload(payload["data"], payload["id"])
        finally:
            await events.aclose()
