"""GraphQL types of the crm_sync domain; none of them has a field for a credential."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry import relay

from app.crm_sync import flows, repository, service
from app.crm_sync.flows import webhooks_registered
from app.crm_sync.models import ConnectionStatus, CrmProviderName, SyncKind
from app.crm_sync.models import CrmConnection as CrmConnectionRow
from app.crm_sync.models import SyncRun as SyncRunRow
from app.crm_sync.writeback import deal_settings
from graphql_schema.context import Info
from graphql_schema.loaders import rows_of
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection, paginate

CrmProviderEnum = strawberry.enum(CrmProviderName, name="CrmProvider")
CrmConnectionStatusEnum = strawberry.enum(ConnectionStatus, name="CrmConnectionStatus")
SyncKindEnum = strawberry.enum(
    SyncKind,
    name="SyncKind",
    description="IMPORT: the first full import; CATCH_UP: changes since the last sync; "
    "WEBHOOK: one live update the CRM pushed.",
)


@strawberry.type(description="One pass of a CRM sync and what it changed.")
class SyncRun:
    connection_id: strawberry.Private[int]
    kind: SyncKindEnum  # type: ignore[valid-type]
    started_at: datetime
    finished_at: datetime | None = strawberry.field(description="Null while it runs.")
    imported: int = strawberry.field(description="New leads.")
    updated: int = strawberry.field(description="Existing leads that changed.")
    conflicts: int = strawberry.field(
        description="Fields changed both here and in the CRM, settled by the rule (the CRM keeps "
        "contact data and its stage; BR SCALE its tags, notes and score). Each one is in "
        "Lead.history with both values."
    )
    errors: int
    error: str | None = strawberry.field(description="Why it stopped, in words for the broker.")
    lag_seconds: float | None = strawberry.field(
        description="Webhook runs: seconds from the change in the CRM to its arrival here."
    )

    @strawberry.field(description="The CRM synced.")
    async def provider(self, info: Info) -> CrmProviderEnum:  # type: ignore[valid-type]
        connection = await rows_of(info, CrmConnectionRow).load(self.connection_id)
        return connection.provider

    @classmethod
    def from_row(cls, row: SyncRunRow) -> SyncRun:
        return cls(
            connection_id=row.connection_id,
            kind=row.kind,
            started_at=row.started_at,
            finished_at=row.finished_at,
            imported=row.imported,
            updated=row.updated,
            conflicts=row.conflicts,
            errors=row.errors,
            error=row.error,
            lag_seconds=row.lag_seconds,
        )


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
    webhooks_registered: bool = strawberry.field(
        description="The CRM pushes changes live: BR SCALE registered (and last checked) its "
        "webhooks. False until the first sync, after a disconnect, or when the CRM refused."
    )
    webhook_error: str | None = strawberry.field(
        description="Why live updates could not be set up, in words for the broker."
    )
    deal_pipeline: str = strawberry.field(
        description="HubSpot: the deal pipeline a qualified lead or a confirmed viewing goes to."
    )
    qualified_deal_stage: str = strawberry.field(
        description="HubSpot: the stage a lead's deal is created in or moved to on qualifying."
    )
    viewing_deal_stage: str = strawberry.field(
        description="HubSpot: the stage the deal moves to when a viewing is confirmed."
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
            webhooks_registered=webhooks_registered(row),
            webhook_error=row.webhook_error if row.credentials is not None else None,
            deal_pipeline=deal_settings(row.settings)["deal_pipeline"],
            qualified_deal_stage=deal_settings(row.settings)["qualified_stage"],
            viewing_deal_stage=deal_settings(row.settings)["viewing_stage"],
        )

    @strawberry.field(
        description="The CRM's deal pipelines and stages to choose from (HubSpot; read live)."
    )
    async def deal_pipelines(self, info: Info) -> list[DealPipeline]:
        principal = info.context.require(self.scope)
        pipelines = await service.deal_pipelines(
            info.context.session,
            info.context.runtime,
            principal.brokerage_id,
            self.id,
            flows.open_provider,
        )
        return [
            DealPipeline(
                id=p.id,
                label=p.label,
                stages=[DealStage(id=st.id, label=st.label) for st in p.stages],
            )
            for p in pipelines
        ]

    @strawberry.field(description="Imports, catch-ups and live updates, newest first.")
    async def sync_runs(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[SyncRun]:
        principal = info.context.require(self.scope)
        return await paginate(
            info.context.session,
            repository.sync_runs(principal.brokerage_id, self.id),
            order=[SyncRunRow.id],
            first=first,
            after=after,
            convert=SyncRun.from_row,
        )


@strawberry.type
class DealStage:
    id: str
    label: str


@strawberry.type
class DealPipeline:
    id: str
    label: str
    stages: list[DealStage]


@strawberry.input
class UpdateCrmConnectionInput:
    deal_pipeline: str | None = None
    qualified_deal_stage: str | None = None
    viewing_deal_stage: str | None = None


@strawberry.type
class OAuthStart:
    authorize_url: str = strawberry.field(
        description="Send the broker's browser here; the CRM returns to /oauth/{provider}/callback."
    )


@strawberry.input
class ConnectFollowUpBossInput:
    api_key: str = strawberry.field(description="The broker's Follow Up Boss API key.")
