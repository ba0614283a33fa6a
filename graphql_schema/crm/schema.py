"""CRM connections: connect (API key or OAuth), list, sync now, disconnect; dashboard stats."""

from __future__ import annotations

import strawberry

from app.crm_sync import flows, service
from app.plans import service as plans
from app.plans.rules import Feature
from graphql_schema.context import Info
from graphql_schema.crm.types import (
    ConnectFollowUpBossInput,
    CrmConnection,
    CrmProviderEnum,
    OAuthStart,
    UpdateCrmConnectionInput,
)
from graphql_schema.relay import decode_id

SCOPE = "crm:manage"


@strawberry.type
class CrmQuery:
    @strawberry.field
    async def crm_connections(self, info: Info) -> list[CrmConnection]:
        principal = info.context.require(SCOPE)
        rows = await service.list_connections(info.context.session, principal.brokerage_id)
        return [CrmConnection.from_row(row) for row in rows]


@strawberry.type
class CrmMutation:
    @strawberry.mutation(
        description="Check the key with Follow Up Boss, store it, start the import."
    )
    async def connect_follow_up_boss(
        self, info: Info, input: ConnectFollowUpBossInput
    ) -> CrmConnection:
        ctx = info.context
        principal = ctx.require(SCOPE)
        await plans.require_feature(ctx.session, principal.brokerage_id, Feature.CRM_SYNC)
        row = await service.connect_followupboss(
            ctx.session, ctx.runtime, principal.brokerage_id, input.api_key
        )
        await ctx.commit()
        return CrmConnection.from_row(row)

    @strawberry.mutation(
        name="startCrmOAuth",
        description="Begin an OAuth connection; open `authorizeUrl` in a browser.",
    )
    async def start_crm_oauth(self, info: Info, provider: CrmProviderEnum) -> OAuthStart:  # type: ignore[valid-type]
        principal = info.context.require(SCOPE)
        await plans.require_feature(info.context.session, principal.brokerage_id, Feature.CRM_SYNC)
        url = await service.start_oauth(info.context.runtime, principal.brokerage_id, provider)
        return OAuthStart(authorize_url=url)

    @strawberry.mutation(
        description="Sync now: finish the import, or catch up since the last sync."
    )
    async def sync_crm(self, info: Info, id: strawberry.ID) -> CrmConnection:
        ctx = info.context
        principal = ctx.require(SCOPE)
        row = await service.sync_now(
            ctx.session, principal.brokerage_id, decode_id(id, "CrmConnection")
        )
        await ctx.commit()
        return CrmConnection.from_row(row)

    @strawberry.mutation(
        description="Choose the HubSpot deal pipeline and the stages of qualified leads and "
        "confirmed viewings (checked against the CRM's pipelines)."
    )
    async def update_crm_connection(
        self, info: Info, id: strawberry.ID, input: UpdateCrmConnectionInput
    ) -> CrmConnection:
        ctx = info.context
        principal = ctx.require(SCOPE)
        row = await service.update_deal_settings(
            ctx.session,
            ctx.runtime,
            principal.brokerage_id,
            decode_id(id, "CrmConnection"),
            {
                "deal_pipeline": input.deal_pipeline,
                "qualified_stage": input.qualified_deal_stage,
                "viewing_stage": input.viewing_deal_stage,
            },
            flows.open_provider,
        )
        await ctx.commit()
        return CrmConnection.from_row(row)

    @strawberry.mutation(
        description="Remove the webhooks BR SCALE registered and delete the stored credentials; "
        "imported leads stay."
    )
    async def disconnect_crm(self, info: Info, id: strawberry.ID) -> CrmConnection:
        ctx = info.context
        principal = ctx.require(SCOPE)
        row = await service.disconnect(
            ctx.session,
            ctx.runtime,
            principal.brokerage_id,
            decode_id(id, "CrmConnection"),
            flows.open_provider,
        )
        await ctx.commit()
        return CrmConnection.from_row(row)
