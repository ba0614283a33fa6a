"""GraphQL types of the leads domain."""

from __future__ import annotations

import enum
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy.orm import Bundle
from strawberry import relay
from strawberry.dataloader import DataLoader

from app.core.db import ColumnDict, utcnow
from app.crm_sync import repository as crm_repository
from app.crm_sync.models import CrmLink
from app.leads import models
from app.leads.temperature import Temperature as TemperatureValue
from app.leads.temperature import lead_temperature
from app.messaging import models as messaging
from app.messaging.optout import stopped_channels
from graphql_schema.accounts.types import User
from graphql_schema.context import Info
from graphql_schema.crm.types import CrmProviderEnum
from graphql_schema.loaders import batched, nested_page
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection
from graphql_schema.scalars import Money

if TYPE_CHECKING:
    from graphql_schema.conversations.types import Conversation, ConversationStatus
    from graphql_schema.properties.types import Match

Temperature = strawberry.enum(
    TemperatureValue,
    name="Temperature",
    description="HOT < 30 days since last contact, WARM 30-59, COLD 60+ or never.",
)
Channel = strawberry.enum(messaging.Channel, name="Channel")
LeadStatus = strawberry.enum(
    models.LeadStatus,
    name="LeadStatus",
    description="ACTIVE: in the market. BOUGHT_ELSEWHERE (bought or rented elsewhere) and "
    "STOPPED_LOOKING leave matching and campaigns until the broker sets ACTIVE again (or the "
    "lead writes again wanting something). REFERRED: someone another lead referred, never "
    "messaged until the broker has their consent and sets ACTIVE.",
)
LeadOperation = strawberry.enum(
    models.Operation, name="LeadOperation", description="Whether the lead buys, rents, or either."
)


@strawberry.type(description="A lead's record in one CRM.")
class ExternalId:
    provider: CrmProviderEnum  # type: ignore[valid-type]
    id: str = strawberry.field(description="The CRM's own id of the person or contact.")


@strawberry.type(
    description="minBudget/maxBudget are a purchase budget and rentMinBudget/rentMaxBudget a "
    "monthly rent, both in `currency`: one never stands for the other."
)
class Preferences:
    locations: list[str]
    min_budget: Money | None  # type: ignore[valid-type]
    max_budget: Money | None  # type: ignore[valid-type]
    rent_min_budget: Money | None  # type: ignore[valid-type]
    rent_max_budget: Money | None  # type: ignore[valid-type]
    currency: str | None
    bedrooms: int | None
    operation: LeadOperation  # type: ignore[valid-type]


@strawberry.enum(description="Which side's value a settled conflict kept.")
class ConflictWinner(enum.Enum):
    CRM = "CRM"
    BRSCALE = "BRSCALE"


@strawberry.type(description="A field changed both here and in a CRM since the last sync.")
class SyncConflict:
    crm_value: str | None = strawberry.field(
        description="The CRM's value (for an import or a form: the other name it gave)."
    )
    local_value: str | None = strawberry.field(description="BR SCALE's value before the sync.")
    kept: ConflictWinner = strawberry.field(
        description="The side whose value the lead keeps: the CRM for contact data and stage, "
        "BR SCALE for its own tags, notes and score."
    )


@strawberry.type(description="One change to a lead, with the source that made it.")
class LeadChange:
    at: datetime
    source: str = strawberry.field(description="CSV, API, MANUAL, a CRM's name, NOTES, AI...")
    field: str
    before: str | None
    after: str | None
    conflict: SyncConflict | None = strawberry.field(
        default=None,
        description="Set when this change settled a conflict with a CRM, or when a record gave "
        "the lead another name that was not taken (source names it).",
    )

    @classmethod
    def from_row(cls, row: models.LeadChange) -> LeadChange:
        return cls(
            at=row.at,
            source=row.source,
            field=row.field,
            before=row.old_value,
            after=row.new_value,
            conflict=SyncConflict(
                crm_value=row.conflict.get("crm"),
                local_value=row.conflict.get("local"),
                kept=ConflictWinner(row.conflict.get("kept", "CRM")),
            )
            if row.conflict
            else None,
        )


@strawberry.type(description="What createLead did with its input.")
class LeadCapture:
    merged: bool = strawberry.field(
        description="True when the email or phone named a known lead, merged into it."
    )
    changes: list[LeadChange] = strawberry.field(
        description="What the merge changed (also in Lead.history); empty for a new lead."
    )


@strawberry.type
class Lead(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.Lead
    scope: ClassVar[str] = "leads:read"
    id: relay.NodeID[int]
    name: str
    email: str | None
    phone: str | None
    other_emails: list[str]
    other_phones: list[str]
    last_contact_at: datetime | None
    temperature: Temperature = strawberry.field(  # type: ignore[valid-type]
        description="Computed from lastContactAt for today's date."
    )
    qualification_score: int
    opted_out: bool = strawberry.field(description="True when the lead stopped every channel.")
    opted_out_channels: list[Channel] = strawberry.field(  # type: ignore[valid-type]
        description='The channels the lead stopped, one by one ("no SMS, email me") or all '
        "at once; nothing is sent on them."
    )
    status: LeadStatus = strawberry.field(  # type: ignore[valid-type]
        description="Whether the lead is still looking: only ACTIVE leads are matched and reached."
    )
    source: str
    external_id: str | None
    crm_status: str | None
    tags: list[str]
    notes: str
    language: str | None
    preferences: Preferences
    created_at: datetime
    capture: LeadCapture | None = strawberry.field(
        default=None,
        description="On createLead's answer only: whether it created this lead or merged into it.",
    )
    assignee_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The agent working this lead (routing or assignLead).")
    async def assignee(self, info: Info) -> User | None:
        return await User.by_id(info, self.assignee_id)

    @strawberry.field(description="Every change to the lead with its source, newest first.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[LeadChange]:
        info.context.require(self.scope)
        return await nested_page(
            info,
            model=models.LeadChange,
            parent_column="lead_id",
            parent_id=self.id,
            order=[models.LeadChange.id],
            first=first,
            after=after,
            convert=LeadChange.from_row,
        )

    @strawberry.field(
        description="Every CRM record of this lead: one per CRM it lives in (a lead merged "
        "across CRMs has one in each, and write-back reaches each)."
    )
    async def external_ids(self, info: Info) -> list[ExternalId]:
        info.context.require(self.scope)
        loader: DataLoader[int, list[CrmLink]] = batched(
            info, "crm_links", crm_repository.links_of_leads, list
        )
        links = await loader.load(self.id)
        return [ExternalId(provider=link.provider, id=link.external_id) for link in links]

    @strawberry.field(description="The listings this lead matches, best score first.")
    async def matches(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Match, strawberry.lazy("graphql_schema.properties.types")]]:
        from app.matching.models import Match as MatchRow
        from graphql_schema.properties.types import Match

        info.context.require("leads:read")
        return await nested_page(
            info,
            model=MatchRow,
            parent_column="lead_id",
            parent_id=self.id,
            order=[MatchRow.score, MatchRow.id],
            first=first,
            after=after,
            convert=Match.from_row,
        )

    @strawberry.field(description="Its conversations, one per listing, newest first.")
    async def conversations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: Annotated[
            ConversationStatus,  # type: ignore[valid-type]
            strawberry.lazy("graphql_schema.conversations.types"),
        ]
        | None = None,
    ) -> Connection[Annotated[Conversation, strawberry.lazy("graphql_schema.conversations.types")]]:
        from app.conversations.models import Conversation as ConversationRow
        from graphql_schema.conversations.types import Conversation

        info.context.require("conversations:read")
        return await nested_page(
            info,
            model=ConversationRow,
            parent_column="lead_id",
            parent_id=self.id,
            order=[ConversationRow.id],
            first=first,
            after=after,
            convert=Conversation.from_row,
            filters=[ConversationRow.status == status] if status is not None else [],
            filter_key=status,
        )

    @classmethod
    def from_row(cls, row: Any, now: datetime | None = None) -> Lead:
        """From a lead row, or from a row of some of its columns (`lead_columns`): a field whose
        columns were not read is not asked for, and is left unset. `now`: the temperature's
        date (a page passes one for all its rows)."""
        if now is None:
            now = utcnow()
        if isinstance(row, dict):
            return cls._from_columns(row, now)
        return cls(
            id=row.id,
            name=row.name,
            email=row.email,
            phone=row.phone,
            other_emails=list(row.other_emails or []),
            other_phones=list(row.other_phones or []),
            last_contact_at=row.last_contact_at,
            temperature=lead_temperature(row.last_contact_at, now),
            qualification_score=row.qualification_score,
            opted_out=row.opted_out,
            opted_out_channels=[messaging.Channel(c) for c in sorted(stopped_channels(row))],
            status=row.status,
            source=row.source,
            external_id=row.external_id,
            crm_status=row.crm_status,
            tags=list(row.tags or []),
            notes=row.notes,
            language=row.language,
            preferences=_preferences({name: getattr(row, name) for name in _PREFERENCES}),
            created_at=row.created_at,
            assignee_id=row.assignee_id,
        )

    @classmethod
    def _from_columns(cls, values: dict[str, Any], now: datetime) -> Lead:
        # A page of 50 built through the dataclass constructor, every field filled, was a
        # tenth of the request: set what was read, nothing else.
        lead = cls.__new__(cls)
        lead.capture = None
        fields = lead.__dict__
        fields.update(values)
        if "last_contact_at" in values:
            fields["temperature"] = lead_temperature(values["last_contact_at"], now)
        for listed in ("other_emails", "other_phones", "tags"):
            if listed in values:
                fields[listed] = list(values[listed] or [])
        if "operation" in values:
            fields["preferences"] = _preferences(values)
        return lead


def _preferences(values: dict[str, Any]) -> Preferences:
    return Preferences(
        locations=list(values["locations"] or []),
        **{name: values[name] for name in _PREFERENCES[1:]},
    )


_PREFERENCES = (
    "locations",
    "min_budget",
    "max_budget",
    "rent_min_budget",
    "rent_max_budget",
    "currency",
    "bedrooms",
    "operation",
)
# The columns each field of Lead reads; fields resolved from other tables need only the id.
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "name": ("name",),
    "email": ("email",),
    "phone": ("phone",),
    "otherEmails": ("other_emails",),
    "otherPhones": ("other_phones",),
    "lastContactAt": ("last_contact_at",),
    "temperature": ("last_contact_at",),
    "qualificationScore": ("qualification_score",),
    "optedOut": ("opted_out",),
    "source": ("source",),
    "externalId": ("external_id",),
    "crmStatus": ("crm_status",),
    "tags": ("tags",),
    "notes": ("notes",),
    "language": ("language",),
    "preferences": _PREFERENCES,
    "createdAt": ("created_at",),
    "history": (),
    "externalIds": (),
    "matches": (),
    "conversations": (),
    "capture": (),
    "__typename": (),
}


def lead_columns(fields: AbstractSet[str]) -> Bundle[Any]:
    """The lead columns a selection of `fields` needs, as one bundle of dicts (every column
    when a field is not known here: a new field is never served from a column not read)."""
    table = models.Lead.__table__
    if not fields <= _FIELD_COLUMNS.keys():
        return ColumnDict("lead", *table.columns)
    wanted = {"id"}.union(*(_FIELD_COLUMNS[f] for f in fields))
    return ColumnDict("lead", *(c for c in table.columns if c.key in wanted))


@strawberry.input
class CreateLeadInput:
    name: str
    email: str | None = None
    phone: str | None = None
    locations: list[str] = strawberry.field(default_factory=list)
    min_budget: Money | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Purchase budget."
    )
    max_budget: Money | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Purchase budget."
    )
    rent_min_budget: Money | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Monthly rent budget."
    )
    rent_max_budget: Money | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Monthly rent budget."
    )
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code of both budgets, e.g. MXN; the region's currency when omitted.",
    )
    bedrooms: int | None = None
    operation: LeadOperation = models.Operation.ANY  # type: ignore[valid-type]
    language: str | None = None
    notes: str = ""
    source: str = "API"
    default_region: str | None = strawberry.field(
        default=None, description="ISO country for a phone without +code."
    )
