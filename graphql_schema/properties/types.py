"""GraphQL types of listings and their matches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import strawberry
from strawberry import UNSET, relay
from strawberry.dataloader import DataLoader

from app.conversations import repository as conversations_repository
from app.conversations.models import Conversation as ConversationRow
from app.core.db import utcnow
from app.dashboard import service as dashboard
from app.dashboard.service import ConversationCounts
from app.leads.models import Lead as LeadRow
from app.matching import models as matching
from app.matching.scoring import MatchReason as MatchReasonValue
from app.properties import models
from graphql_schema.accounts.types import User
from graphql_schema.context import Info
from graphql_schema.conversations.types import Conversation, ConversationStatus
from graphql_schema.leads.types import Lead
from graphql_schema.loaders import batched, nested_page, rows_of
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection
from graphql_schema.scalars import Money

ListingOperation = strawberry.enum(models.ListingOperation, name="ListingOperation")
MatchTier = strawberry.enum(
    matching.Tier, name="MatchTier", description="HOT > 70, MEDIUM > 50, LOW > 30."
)


MatchReason = strawberry.enum(
    MatchReasonValue,
    name="MatchReason",
    description=(
        "Which gate let a match through: the listing is in a wanted PLACE, its price fits the "
        "BUDGET of its kind and currency of a lead who named no place, PLACE_AND_BUDGET, or "
        "none of these (RELAXED: only the brokerage's matchGate NONE lets it through)."
    ),
)


@strawberry.type(description="Why a lead matches: the points each rule gave and its gate.")
class ScoreBreakdown:
    location: float
    price: float = strawberry.field(
        description="Above 0 only when the price fits the lead's budget of the listing's kind "
        "(purchase for SALE, monthly rent for RENT) in the listing's currency."
    )
    bedrooms: float
    recency: float
    quality: float
    gate: MatchReason | None = strawberry.field(  # type: ignore[valid-type]
        description="Null on matches scored before gates existed."
    )


@strawberry.type
class Match:
    score: float
    tier: MatchTier  # type: ignore[valid-type]
    breakdown: ScoreBreakdown
    lead_id: strawberry.Private[int]
    property_id: strawberry.Private[int]

    @strawberry.field
    async def lead(self, info: Info) -> Lead:
        return Lead.from_row(await rows_of(info, LeadRow).load(self.lead_id))

    @strawberry.field(description="The listing the lead matches.")
    async def property(self, info: Info) -> Property:
        info.context.require("properties:read")
        return Property.from_row(await rows_of(info, models.Property).load(self.property_id))

    @classmethod
    def from_row(cls, row: matching.Match) -> Match:
        parts = row.breakdown or {}
        return cls(
            score=row.score,
            tier=row.tier,
            breakdown=ScoreBreakdown(
                **{
                    k: float(parts.get(k, 0))
                    for k in ("location", "price", "bedrooms", "recency", "quality")
                },
                gate=MatchReasonValue(row.gate) if row.gate else None,
            ),
            lead_id=row.lead_id,
            property_id=row.property_id,
        )


@strawberry.type(description="How one first-message template does: leads it went to, replies.")
class VariantStats:
    variant: str
    sent: int
    replied: int
    reply_rate: float = strawberry.field(description="replied / sent, 0 when nothing was sent.")


@strawberry.type
class ConversationStats:
    total_conversations: int = strawberry.field(description="Every conversation, open or over.")
    responding: int = strawberry.field(
        description="Open conversations whose lead has replied at least once (an answer from "
        "the agent does not change that), unless cold."
    )
    waiting: int = strawberry.field(
        description="Open conversations whose lead never replied, unless cold."
    )
    cold: int = strawberry.field(
        description="Open conversations with no reply 7+ days after our last message (or "
        "marked COLD after the follow-ups)."
    )
    qualified: int = strawberry.field(description="Qualification score above 75.")
    awaiting_approval: int = strawberry.field(
        description="Open ones with a draft waiting for the broker (also counted above)."
    )
    opted_out: int
    property_id: strawberry.Private[int]
    brokerage_id: strawberry.Private[int]

    @strawberry.field(
        description="First-message variants (A/B testing): sent and replied, per variant."
    )
    async def variants(self, info: Info) -> list[VariantStats]:
        loader: DataLoader[int, list[tuple[str, int, int]]] = batched(
            info, "variants", conversations_repository.variant_reply_rates, list
        )
        rows = await loader.load(self.property_id)
        return [
            VariantStats(
                variant=variant,
                sent=sent,
                replied=replied,
                reply_rate=replied / sent if sent else 0.0,
            )
            for variant, sent, replied in rows
        ]


@strawberry.type
class Property(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.Property
    scope: ClassVar[str] = "properties:read"
    id: relay.NodeID[int]
    title: str
    location: str
    city: str
    price: Money  # type: ignore[valid-type]
    currency: str
    bedrooms: int | None
    bathrooms: float | None
    operation: ListingOperation  # type: ignore[valid-type]
    description: str = strawberry.field(
        description="Context for the agent; facts are only ever quoted from the fields below."
    )
    parking_spaces: int | None
    built_area_m2: float | None
    lot_area_m2: float | None
    amenities: list[str]
    pets_allowed: bool | None
    maintenance_fee: Money | None = strawberry.field(  # type: ignore[valid-type]
        description="Monthly, in `currency`."
    )
    deposit: Money | None  # type: ignore[valid-type]
    available_from: date | None
    photos: list[str] = strawberry.field(description="Photo URLs, the cover first.")
    listing_url: str | None
    address: str | None
    active: bool
    campaign_paused: bool
    created_at: datetime
    agent_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The agent who holds the listing (LISTING_AGENT routing).")
    async def agent(self, info: Info) -> User | None:
        return await User.by_id(info, self.agent_id)

    @strawberry.field(description="Leads scoring above 30, best first, each with why.")
    async def matches(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Match]:
        info.context.require("leads:read")
        return await nested_page(
            info,
            model=matching.Match,
            parent_column="property_id",
            parent_id=self.id,
            order=[matching.Match.score, matching.Match.id],
            first=first,
            after=after,
            convert=Match.from_row,
        )

    @strawberry.field
    async def conversations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: ConversationStatus | None = None,  # type: ignore[valid-type]
    ) -> Connection[Conversation]:
        info.context.require("conversations:read")
        return await nested_page(
            info,
            model=ConversationRow,
            parent_column="property_id",
            parent_id=self.id,
            order=[ConversationRow.id],
            first=first,
            after=after,
            convert=Conversation.from_row,
            filters=[ConversationRow.status == status] if status is not None else [],
            filter_key=status,
        )

    @strawberry.field(
        description="Its conversations; the open ones (all but CLOSED and OPTED_OUT) are each "
        "in exactly one of responding, waiting and cold."
    )
    async def stats(self, info: Info) -> ConversationStats:
        principal = info.context.require("conversations:read")
        c = await stats_of(info).load(self.id)
        return ConversationStats(
            total_conversations=c.total,
            responding=c.responding,
            waiting=c.waiting,
            cold=c.cold,
            qualified=c.qualified,
            awaiting_approval=c.awaiting_approval,
            opted_out=c.opted_out,
            property_id=self.id,
            brokerage_id=principal.brokerage_id,
        )

    @classmethod
    def from_row(cls, row: models.Property) -> Property:
        return cls(
            id=row.id,
            title=row.title,
            location=row.location,
            city=row.city,
            price=row.price,
            currency=row.currency,
            bedrooms=row.bedrooms,
            bathrooms=row.bathrooms,
            operation=row.operation,
            description=row.description,
            parking_spaces=row.parking_spaces,
            built_area_m2=row.built_area_m2,
            lot_area_m2=row.lot_area_m2,
            amenities=list(row.amenities or []),
            pets_allowed=row.pets_allowed,
            maintenance_fee=row.maintenance_fee,
            deposit=row.deposit,
            available_from=row.available_from,
            photos=list(row.photos or []),
            listing_url=row.listing_url,
            address=row.address,
            active=row.active,
            campaign_paused=row.campaign_paused,
            created_at=row.created_at,
            agent_id=row.agent_id,
        )


@strawberry.input
class PropertyInput:
    title: str
    location: str = strawberry.field(
        description="Neighbourhood (colonia); matched accent- and case-insensitively."
    )
    price: Money  # type: ignore[valid-type]
    operation: ListingOperation  # type: ignore[valid-type]
    city: str = ""
    currency: str = "MXN"
    bedrooms: int | None = None
    bathrooms: float | None = strawberry.field(
        default=None, description="2.5 means two and a half bathrooms."
    )
    description: str = ""
    parking_spaces: int | None = None
    built_area_m2: float | None = None
    lot_area_m2: float | None = None
    amenities: list[str] | None = None
    pets_allowed: bool | None = None
    maintenance_fee: Money | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Monthly, in `currency`."
    )
    deposit: Money | None = None  # type: ignore[valid-type]
    available_from: date | None = None
    photos: list[str] | None = strawberry.field(default=None, description="Photo URLs.")
    listing_url: str | None = None
    address: str | None = None
    agent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The agent who holds the listing (a User id)."
    )


@strawberry.input(
    description="Only the fields given change; an explicit null clears an optional one."
)
class UpdatePropertyInput:
    title: str | None = UNSET
    location: str | None = UNSET
    price: Money | None = UNSET  # type: ignore[valid-type]
    operation: ListingOperation | None = UNSET  # type: ignore[valid-type]
    city: str | None = UNSET
    currency: str | None = UNSET
    bedrooms: int | None = UNSET
    bathrooms: float | None = UNSET
    description: str | None = UNSET
    parking_spaces: int | None = UNSET
    built_area_m2: float | None = UNSET
    lot_area_m2: float | None = UNSET
    amenities: list[str] | None = UNSET
    pets_allowed: bool | None = UNSET
    maintenance_fee: Money | None = UNSET  # type: ignore[valid-type]
    deposit: Money | None = UNSET  # type: ignore[valid-type]
    available_from: date | None = UNSET
    photos: list[str] | None = UNSET
    listing_url: str | None = UNSET
    address: str | None = UNSET
    agent_id: strawberry.ID | None = UNSET

    def changes(self) -> dict[str, Any]:
        """The fields the caller gave, by their model names (None: clear it)."""
        changed = {
            name: value
            for name, value in vars(self).items()
            if value is not UNSET and not name.startswith("_")
        }
        for listed in ("amenities", "photos"):
            if listed in changed and changed[listed] is None:
                changed[listed] = []
        return changed


def stats_of(info: Info) -> DataLoader[int, ConversationCounts]:
    """Per request: every listing's stats asked for, in one grouped statement."""
    loader: DataLoader[int, ConversationCounts] | None = info.context.loaders.get("stats")
    if loader is None:
        brokerage_id = info.context.caller().brokerage_id
        session = info.context.session

        async def load(ids: list[int]) -> list[ConversationCounts]:
            counts = await dashboard.conversation_counts(session, brokerage_id, ids, utcnow())
            return [counts.get(i, ConversationCounts()) for i in ids]

        loader = info.context.loaders["stats"] = DataLoader(load_fn=load)
    return loader
