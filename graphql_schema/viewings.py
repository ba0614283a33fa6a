"""Viewings: list them, and the broker's cancel and reschedule (the lead is told either way)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from app.conversations.models import Conversation as ConversationRow
from app.core.tenancy import get_scoped, scoped
from app.leads.models import Lead as LeadRow
from app.properties.models import Property as PropertyRow
from app.viewings import models, service
from graphql_schema.context import Info
from graphql_schema.leads.types import Lead
from graphql_schema.loaders import rows_of
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection, decode_id, paginate

if TYPE_CHECKING:
    from graphql_schema.conversations.types import Conversation
    from graphql_schema.properties.types import Property

ViewingStatus = strawberry.enum(
    models.ViewingStatus,
    name="ViewingStatus",
    description="PROPOSED: times offered to the lead; CONFIRMED: booked; CANCELLED; DONE.",
)


@strawberry.type(description="A visit of a listing with a lead, in the brokerage's time zone.")
class Viewing(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.Viewing
    scope: ClassVar[str] = "conversations:read"
    id: relay.NodeID[int]
    status: ViewingStatus  # type: ignore[valid-type]
    starts_at: datetime = strawberry.field(
        description="The booked time; while PROPOSED, the first of the times offered."
    )
    ends_at: datetime
    offered_slots: list[datetime] = strawberry.field(
        description="The times offered to the lead (the booked one once CONFIRMED)."
    )
    created_at: datetime
    lead_id: strawberry.Private[int]
    property_id: strawberry.Private[int]
    conversation_id: strawberry.Private[int]

    @strawberry.field
    async def lead(self, info: Info) -> Lead:
        return Lead.from_row(await rows_of(info, LeadRow).load(self.lead_id))

    @strawberry.field
    async def property(
        self, info: Info
    ) -> Annotated[Property, strawberry.lazy("graphql_schema.properties.types")]:
        from graphql_schema.properties.types import Property

        return Property.from_row(await rows_of(info, PropertyRow).load(self.property_id))

    @strawberry.field
    async def conversation(
        self, info: Info
    ) -> Annotated[Conversation, strawberry.lazy("graphql_schema.conversations.types")]:
        from graphql_schema.conversations.types import Conversation

        return Conversation.from_row(
            await rows_of(info, ConversationRow).load(self.conversation_id)
        )

    @classmethod
    def from_row(cls, row: models.Viewing) -> Viewing:
        return cls(
            id=row.id,
            status=row.status,
            starts_at=row.starts_at.astimezone(UTC),
            ends_at=row.ends_at.astimezone(UTC),
            offered_slots=[datetime.fromisoformat(at).astimezone(UTC) for at in row.offered],
            created_at=row.created_at,
            lead_id=row.lead_id,
            property_id=row.property_id,
            conversation_id=row.conversation_id,
        )


@strawberry.type
class ViewingsQuery:
    @strawberry.field(description="Viewings, newest first; filter by listing and status.")
    async def viewings(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        property_id: strawberry.ID | None = None,
        status: ViewingStatus | None = None,  # type: ignore[valid-type]
    ) -> Connection[Viewing]:
        principal = info.context.require("conversations:read")
        stmt = scoped(models.Viewing, principal.brokerage_id)
        if status is not None:
            stmt = stmt.where(models.Viewing.status == status)
        if property_id is not None:
            listing = decode_id(property_id, "Property")
            await get_scoped(
                info.context.session, PropertyRow, principal.brokerage_id, listing, what="Property"
            )
            stmt = stmt.where(models.Viewing.property_id == listing)
        return await paginate(
            info.context.session,
            stmt,
            order=[models.Viewing.id],
            first=first,
            after=after,
            convert=Viewing.from_row,
        )


@strawberry.type
class ViewingsMutation:
    @strawberry.mutation(
        description="Cancel a viewing; a lead with a booked time is told, and their invite "
        "withdrawn."
    )
    async def cancel_viewing(self, info: Info, id: strawberry.ID) -> Viewing:
        principal = info.context.require("conversations:write")
        row = await service.cancel_viewing(
            info.context.session, principal.brokerage_id, decode_id(id, "Viewing")
        )
        await info.context.commit()
        return Viewing.from_row(row)

    @strawberry.mutation(
        description="Book or move a viewing to `startsAt` (without an offset: the brokerage's "
        "local time); the lead gets the new time with an updated invite."
    )
    async def reschedule_viewing(
        self, info: Info, id: strawberry.ID, starts_at: datetime
    ) -> Viewing:
        principal = info.context.require("conversations:write")
        row = await service.reschedule_viewing(
            info.context.session, principal.brokerage_id, decode_id(id, "Viewing"), starts_at
        )
        await info.context.commit()
        return Viewing.from_row(row)
