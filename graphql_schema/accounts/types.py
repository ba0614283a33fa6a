"""GraphQL types of the accounts domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry import relay

from app.accounts import models
from app.accounts.availability import Weekday as WeekdayValue
from app.capture import repository as capture_repository
from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.vocabulary import MatchGate as MatchGateValue
from app.core.vocabulary import ScoringWeights as Weights
from app.core.vocabulary import TierPolicy
from app.plans import service as plans
from app.plans.rules import Feature, Plan
from graphql_schema.capture import capture_address
from graphql_schema.context import Info
from graphql_schema.loaders import rows_of
from graphql_schema.nodes import ScopedNode

Formality = strawberry.enum(models.Formality, name="Formality")
Role = strawberry.enum(
    models.Role,
    name="Role",
    description="OWNER and ADMIN see and run the whole brokerage; an AGENT sees the leads, "
    "conversations, tasks and viewings assigned to them.",
)
LeadRouting = strawberry.enum(
    models.LeadRouting,
    name="LeadRouting",
    description="Who gets a new lead: the next agent in turn, the agent of the listing it "
    "came for, or nobody until assignLead.",
)


@strawberry.type
class User(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.User
    scope: ClassVar[str] = "leads:read"
    id: relay.NodeID[int]
    email: str
    name: str
    role: Role  # type: ignore[valid-type]
    morning_digest: bool = strawberry.field(
        description="Gets the morning digest e-mail (whom to call, what the AI did yesterday, "
        "replies waiting) at 8:00 in the brokerage's time zone; brokerage owners only for now."
    )
    phone: str | None = strawberry.field(
        description="Where task notices are texted (E.164); null: e-mail only."
    )
    signature: str = strawberry.field(
        description="How messages to this agent's leads are signed; empty: name and brokerage."
    )

    @classmethod
    async def by_id(cls, info: Info, user_id: int | None) -> User | None:
        """The brokerage's user `user_id` through the request's loader (None: nobody, or a
        user who is gone)."""
        if user_id is None:
            return None
        row = await rows_of(info, models.User).load(user_id)
        return cls.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: models.User) -> User:
        return cls(
            id=row.id,
            email=row.email,
            name=row.name,
            role=row.role,
            morning_digest=row.morning_digest,
            phone=row.phone,
            signature=row.signature or "",
        )


@strawberry.type
class ApiKey(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.ApiKey
    scope: ClassVar[str] = "crm:manage"
    id: relay.NodeID[int]
    name: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    @classmethod
    def from_row(cls, row: models.ApiKey) -> ApiKey:
        return cls(
            id=row.id,
            name=row.name,
            scopes=list(row.scopes),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked=row.revoked_at is not None,
        )


@strawberry.type
class AuthPayload:
    token: str
    user: User


@strawberry.type
class CreatedApiKey:
    secret: str = strawberry.field(description="Shown once: only a hash of it is stored.")
    api_key: ApiKey


@strawberry.input(description="Your own settings; only the fields given change.")
class UpdateMeInput:
    morning_digest: bool | None = strawberry.field(
        default=None, description="false: no morning digest e-mail."
    )


@strawberry.input
class SignUpInput:
    email: str
    password: str
    name: str
    brokerage_name: str


@strawberry.type(
    description="A sign-up was asked for: the address gets an e-mail with a link that creates "
    "the account (confirmSignUp), or, when it already has one, a note saying so. The answer is "
    "the same either way: it does not tell whether an address has an account."
)
class SignUpRequested:
    email: str = strawberry.field(description="Where the e-mail went (normalized).")


@strawberry.input
class ConfirmSignUpInput:
    token: str = strawberry.field(description="The token of the sign-up e-mail's link.")


@strawberry.input
class LogInInput:
    email: str
    password: str


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[str]


@strawberry.type(description="Points each matching rule gives (DESIGN.md section 4).")
class ScoringWeights:
    location: float
    price: float
    bedrooms: float
    quality_factor: float
    recency: list[RecencyPoints]


@strawberry.type
class RecencyPoints:
    under_days: int
    points: float


@strawberry.type(description="Outreach tiers: a score above `low` is a match.")
class TierThresholds:
    hot: float
    medium: float
    low: float


MatchGate = strawberry.enum(
    MatchGateValue,
    name="MatchGate",
    description=(
        "What a lead needs before a listing's points count. PLACE_OR_BUDGET (default): the "
        "listing is in a place the lead wants or, for a lead who named no place, its price fits "
        "the budget of its kind; bedrooms and recency only add to such a fit. NONE: any score "
        "above the threshold matches."
    ),
)


PlanEnum = strawberry.enum(
    Plan,
    name="Plan",
    description="STANDALONE: new leads only, no CRM or old leads; CRM_ENHANCED: a CRM or files "
    "connected and every old lead reactivated; ENTERPRISE: a team of 5-15 agents.",
)


@strawberry.type
class PlanLimits:
    leads: int
    properties: int = strawberry.field(description="Active listings.")
    users: int
    messages_per_month: int = strawberry.field(
        description="New outreach stops for the rest of the month at this many messages; "
        "conversations already going are still answered."
    )


@strawberry.type
class PlanUsage:
    leads: int
    properties: int
    users: int
    messages_this_month: int = strawberry.field(description="Queued or sent since the 1st (UTC).")


@strawberry.type(description="What the brokerage's plan includes, holds, and what it uses now.")
class BrokeragePlan:
    name: PlanEnum  # type: ignore[valid-type]
    label: str
    features: list[str] = strawberry.field(description="What the plan includes, in words.")
    limits: PlanLimits
    usage: PlanUsage


Weekday = strawberry.enum(WeekdayValue, name="Weekday")


@strawberry.type(description="When viewings may be offered: local times in the brokerage's zone.")
class AvailabilityWindow:
    weekday: Weekday  # type: ignore[valid-type]
    start_time: str = strawberry.field(description='"HH:MM"')
    end_time: str = strawberry.field(description='"HH:MM"')


@strawberry.input
class AvailabilityWindowInput:
    weekday: Weekday  # type: ignore[valid-type]
    start_time: str = strawberry.field(description='"HH:MM", in the brokerage\'s time zone.')
    end_time: str


@strawberry.type
class Brokerage(relay.Node):
    id: relay.NodeID[int]
    name: str
    default_region: str
    timezone: str
    language: str
    postal_address: str
    signature: str = strawberry.field(description="The block that closes e-mails.")
    agent_name: str = strawberry.field(
        description='The name the agent signs with and speaks for ("se lo pregunto a Jorge").'
    )
    formality: Formality = strawberry.field(  # type: ignore[valid-type]
        description="How leads are addressed in Spanish: TU or USTED (the whole message)."
    )
    requires_approval: bool = strawberry.field(description="First messages wait for your approval.")
    paused: bool = strawberry.field(description="Nothing is sent and no campaign starts.")
    scoring_weights: ScoringWeights
    tier_thresholds: TierThresholds
    match_gate: MatchGate  # type: ignore[valid-type]
    availability: list[AvailabilityWindow] = strawberry.field(
        description="When viewings may be offered; empty: Monday to Friday 10:00-18:00 and "
        "Saturday 10:00-14:00."
    )
    lead_routing: LeadRouting = strawberry.field(  # type: ignore[valid-type]
        description="How new leads are assigned to agents."
    )

    @strawberry.field(description="The plan, its limits and today's usage.")
    async def plan(self, info: Info) -> BrokeragePlan:
        principal = info.context.caller()
        session = info.context.session
        spec = await plans.plan_of(session, principal.brokerage_id)
        now = await plans.usage(session, principal.brokerage_id, utcnow())
        return BrokeragePlan(
            name=spec.plan,
            label=spec.label,
            features=[feature.value for feature in Feature if feature in spec.features],
            limits=PlanLimits(
                leads=spec.leads,
                properties=spec.properties,
                users=spec.users,
                messages_per_month=spec.messages_per_month,
            ),
            usage=PlanUsage(
                leads=now.leads,
                properties=now.properties,
                users=now.users,
                messages_this_month=now.messages_this_month,
            ),
        )

    @strawberry.field(
        description="The secret part of your public capture URL: website forms and portals post "
        "new leads to `/capture/{captureKey}`. Anyone holding it can add leads: rotate it with "
        "`rotateCaptureKey` if it leaks."
    )
    async def capture_key(self, info: Info) -> str:
        principal = info.context.require("leads:write")
        row = await capture_repository.key_of(info.context.session, principal.brokerage_id)
        await info.context.commit()  # made on first use
        return row.key

    @strawberry.field(description="Where website forms and portals post new leads.")
    async def capture_url(self, info: Info) -> str:
        key = await self.capture_key(info)
        return f"{info.context.runtime.settings.public_url.rstrip('/')}/capture/{key}"

    @strawberry.field(
        description="Forward portals' inquiry e-mails (Inmuebles24, Vivanuncios, Lamudi, "
        "Zillow...) here, or give it to the portal as your contact address: each becomes a lead."
    )
    async def capture_email(self, info: Info) -> str:
        return capture_address(info.context.runtime, await self.capture_key(info))

    @classmethod
    def from_row(cls, row: models.Brokerage) -> Brokerage:
        weights = Weights.from_dict((row.scoring or {}).get("weights"))
        tiers = TierPolicy.from_dict((row.scoring or {}).get("tiers"))
        return cls(
            id=row.id,
            name=row.name,
            default_region=row.default_region,
            timezone=row.timezone,
            language=row.language,
            postal_address=row.postal_address,
            signature=row.signature,
            agent_name=row.agent_name,
            formality=row.formality,
            requires_approval=row.requires_approval,
            paused=row.paused,
            scoring_weights=ScoringWeights(
                location=weights.location,
                price=weights.price,
                bedrooms=weights.bedrooms,
                quality_factor=weights.quality_factor,
                recency=[RecencyPoints(under_days=d, points=p) for d, p in weights.recency],
            ),
            tier_thresholds=TierThresholds(hot=tiers.hot, medium=tiers.medium, low=tiers.low),
            match_gate=MatchGateValue(
                (row.scoring or {}).get("gate") or MatchGateValue.PLACE_OR_BUDGET.value
            ),
            availability=[
                AvailabilityWindow(
                    weekday=Weekday[window["weekday"]],
                    start_time=window["start"],
                    end_time=window["end"],
                )
                for window in row.availability or []
            ],
            lead_routing=row.lead_routing,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        own = str(info.context.caller().brokerage_id)  # a brokerage sees only itself
        ids = list(node_ids)
        if required and any(node_id != own for node_id in ids):
            raise NotFound("Brokerage not found")
        row = await info.context.session.get(models.Brokerage, int(own)) if own in ids else None
        return [
            cls.from_row(row) if row is not None and node_id == own else None for node_id in ids
        ]


@strawberry.input
class ScoringWeightsInput:
    location: float | None = None
    price: float | None = None
    bedrooms: float | None = None
    quality_factor: float | None = None


@strawberry.input
class TierThresholdsInput:
    hot: float | None = None
    medium: float | None = None
    low: float | None = None


@strawberry.input
class UpdateBrokerageInput:
    name: str | None = None
    default_region: str | None = strawberry.field(
        default=None, description="ISO country code, e.g. MX."
    )
    timezone: str | None = strawberry.field(
        default=None, description="IANA zone, e.g. America/Mexico_City."
    )
    language: str | None = None
    postal_address: str | None = None
    signature: str | None = None
    agent_name: str | None = strawberry.field(
        default=None, description="The name the agent speaks for, e.g. Jorge."
    )
    formality: Formality | None = None  # type: ignore[valid-type]
    requires_approval: bool | None = None
    scoring_weights: ScoringWeightsInput | None = None
    tier_thresholds: TierThresholdsInput | None = None
    match_gate: MatchGate | None = None  # type: ignore[valid-type]
    availability: list[AvailabilityWindowInput] | None = strawberry.field(
        default=None, description="Replaces every window; [] goes back to the default hours."
    )
    lead_routing: LeadRouting | None = None  # type: ignore[valid-type]
