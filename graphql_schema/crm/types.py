"""GraphQL types of the crm_sync domain; none of them has a field for a credential."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry import relay

from app.crm_sync.models import ConnectionStatus, CrmProviderName
from app.crm_sync.models import CrmConnection as CrmConnectionRow
from graphql_schema.nodes import ScopedNode

CrmProviderEnum = strawberry.enum(CrmProviderName, name="CrmProvider")
CrmConnectionStatusEnum = strawberry.enum(ConnectionStatus, name="CrmConnectionStatus")


@strawberry.type(description="A connected CRM. Its API key or tokens are never exposed.")
class CrmConnection(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = CrmConnectionRow
    scope: ClassVar[str] = "crm:manage"
    id: relay.NodeID[int]
    provider: CrmProviderEnum  # type: ignore[valid-type]
    status: CrmConnectionStatusEnum  # type: ignore[valid-type]
    last_sync_at: datetime | None
    last_error: str | None = strawberry.field(
        description="Why the last sync stopped, in words for the broker; null when it worked."
    )
    leads_imported: int = strawberry.field(
        description="Leads this CRM created or updated in the first import, plus new ones since."
    )

    @classmethod
    def from_row(cls, row: CrmConnectionRow) -> CrmConnection:
        return cls(
            id=row.id,
            provider=row.provider,
            status=row.status,
            last_sync_at=row.last_sync_at,
            last_error=row.last_error,
            leads_imported=row.leads_imported,
        )


@strawberry.type
class OAuthStart:
    authorize_url: str = strawberry.field(
        description="Send the broker's browser here; the CRM returns to /oauth/{provider}/callback."
    )


@strawberry.input
class ConnectFollowUpBossInput:
    api_key: str = strawberry.field(description="The broker's Follow Up Boss API key.")


@strawberry.type
class LeadBreakdown:
    hot: int = strawberry.field(description="Leads last contacted under 30 days ago.")
    warm: int = strawberry.field(description="Leads last contacted 30 to 59 days ago.")
    cold: int = strawberry.field(description="Leads last contacted 60+ days ago, or never.")


@strawberry.type
class AiActivity:
    messages_sent: int = strawberry.field(description="Outbound messages sent or delivered.")
    conversations_active: int = strawberry.field(
        description="Conversations awaiting approval, waiting for a reply, or in progress."
    )
    leads_qualified: int = strawberry.field(
        description="Leads with a conversation that qualified or was handed off to the broker."
    )
    meetings_scheduled: int = strawberry.field(description="Viewing tasks created for the broker.")


@strawberry.type
class Performance:
    response_rate: float = strawberry.field(
        description="Leads who replied / leads sent at least one message (0 to 1)."
    )
    qualification_rate: float = strawberry.field(
        description="Leads qualified / leads sent at least one message (0 to 1)."
    )
    conversion_rate: float = strawberry.field(
        description="Leads with a viewing scheduled / leads sent at least one message (0 to 1)."
    )


@strawberry.type
class CrmSyncStats:
    connected: bool = strawberry.field(description="A CRM is connected (even if its sync failed).")
    provider: CrmProviderEnum | None  # type: ignore[valid-type]
    total_leads_imported: int
    last_sync_at: datetime | None
    breakdown: LeadBreakdown
    ai_activity: AiActivity
    performance: Performance
