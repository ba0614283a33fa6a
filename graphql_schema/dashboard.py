"""The dashboard's figures: `crmSyncStats(window:)` (sources, breakdown, AI activity, funnel,
ROI). Each part is computed only when selected; all counts are SQL aggregates (app.dashboard)."""

from __future__ import annotations

import asyncio
import enum
from datetime import datetime
from typing import Any

import strawberry

from app.core.db import utcnow
from app.dashboard import repository, service
from app.dashboard.service import StatsWindow as StatsWindowValue
from app.properties.models import ListingOperation as ListingOperationValue
from app.properties.models import Property as PropertyRow
from graphql_schema.context import Info
from graphql_schema.loaders import rows_of
from graphql_schema.properties.types import ListingOperation, Property
from graphql_schema.scalars import Money

StatsWindow = strawberry.enum(
    StatsWindowValue,
    name="StatsWindow",
    description="The period of the activity figures: TODAY (since midnight in the brokerage's "
    "time zone), LAST_7_DAYS, LAST_30_DAYS (back from now), ALL_TIME.",
)


class LeadSourceProviderValue(enum.Enum):
    FOLLOWUPBOSS = "FOLLOWUPBOSS"
    HUBSPOT = "HUBSPOT"
    CSV = "CSV"


LeadSourceProvider = strawberry.enum(
    LeadSourceProviderValue,
    name="LeadSourceProvider",
    description="Where leads came from: a CRM, or CSV / Excel files imported by the broker.",
)


@strawberry.type
class LeadBreakdown:
    hot: int = strawberry.field(description="Leads last contacted under 30 days ago.")
    warm: int = strawberry.field(description="Leads last contacted 30 to 59 days ago.")
    cold: int = strawberry.field(description="Leads last contacted 60+ days ago, or never.")


@strawberry.type(description="What the agent did within the window.")
class AiActivity:
    messages_sent: int = strawberry.field(
        description="Messages the agent sent or delivered within the window (the broker's own "
        "answers relayed from a task are the broker's, not counted)."
    )
    conversations_active: int = strawberry.field(
        description=(
            "Conversations still in progress (not closed or opted out) with a message sent or"
            " received within the window."
        )
    )
    leads_qualified: int = strawberry.field(
        description="Leads whose conversation qualified (score above 75) within the window."
    )
    meetings_scheduled: int = strawberry.field(
        description="Viewings the lead confirmed within the window (CONFIRMED, or DONE since); "
        "a viewing requested or proposed but not confirmed is not a meeting."
    )


@strawberry.type(description="The funnel's rates, 0 to 1, over the leads contacted (`funnel`).")
class Performance:
    response_rate: float = strawberry.field(description="leadsReplied / leadsContacted.")
    qualification_rate: float = strawberry.field(description="leadsQualified / leadsContacted.")
    conversion_rate: float = strawberry.field(description="leadsWithViewing / leadsContacted.")


@strawberry.type(description="One source of leads: a CRM connection or the file imports.")
class LeadSourceStats:
    provider: LeadSourceProvider  # type: ignore[valid-type]
    connected: bool = strawberry.field(description="A CRM with stored credentials; CSV: false.")
    total_leads_imported: int = strawberry.field(description="New leads from it, all time.")
    leads_imported: int = strawberry.field(description="New leads from it within the window.")
    last_sync_at: datetime | None = strawberry.field(
        description="Its last sync; CSV: when the last file import finished."
    )


@strawberry.type(
    description="The cohort behind `performance`: leads we messaged within the window, and of "
    "them, those who replied within it, who are qualified (score above 75), and who have a "
    "confirmed viewing. Each step is a subset of `leadsContacted`."
)
class Funnel:
    leads_contacted: int
    leads_replied: int
    leads_qualified: int
    leads_with_viewing: int


@strawberry.type(
    description="Messages the agent sent within the window that a broker would otherwise have "
    "written, by step (the broker's own answers relayed to leads are not counted)."
)
class AiWork:
    first_messages: int = strawberry.field(description="First messages to a lead.")
    follow_ups: int = strawberry.field(description="Nudges to leads who had not answered.")
    replies: int = strawberry.field(description="Answers to a lead's message.")
    viewing_messages: int = strawberry.field(
        description="Viewing confirmations, changes, cancellations and reminders."
    )
    total: int


@strawberry.type(
    description="The asking prices of listings with a result in the window, per currency and "
    "operation (a month's rent is never added to a sale price)."
)
class ListingValue:
    currency: str
    operation: ListingOperation  # type: ignore[valid-type]
    listings: int
    amount: Money  # type: ignore[valid-type]


@strawberry.type(description="What the agent got for one listing within the window.")
class ListingResult:
    property_id: strawberry.Private[int]
    qualified_leads: int = strawberry.field(
        description="Leads whose conversation about it qualified (score above 75) in the window."
    )
    viewings: int = strawberry.field(description="Viewings of it confirmed in the window.")
    value: Money = strawberry.field(  # type: ignore[valid-type]
        description="Its asking price (in its currency; a RENT price is per month)."
    )
    currency: str

    @strawberry.field
    async def property(self, info: Info) -> Property:
        return Property.from_row(await rows_of(info, PropertyRow).load(self.property_id))


@strawberry.type(description="The return a broker asks about, within the window.")
class Roi:
    qualified_leads: int = strawberry.field(
        description="Leads qualified (score above 75) within the window, each counted once."
    )
    viewings: int = strawberry.field(description="Viewings confirmed within the window.")
    listings: list[ListingResult] = strawberry.field(
        description="Per listing with a qualified lead or a confirmed viewing, best first."
    )
    listing_value: list[ListingValue]
    ai_messages: AiWork


@strawberry.type(description="The dashboard's CRM and AI activity figures.")
class CrmSyncStats:
    brokerage_id: strawberry.Private[int]
    start: strawberry.Private[datetime | None]
    now: strawberry.Private[datetime]
    memo: strawberry.Private[dict[str, Any]]
    window: StatsWindow = strawberry.field(  # type: ignore[valid-type]
        description="The period of the activity figures."
    )

    async def _once(self, info: Info, key: str, compute: Any) -> Any:
        """Each figure group is one SQL statement, run at most once per request."""
        task = self.memo.get(key)
        if task is None:
            task = self.memo[key] = asyncio.ensure_future(compute(info.context.session))
        return await task

    async def _sources(self, info: Info) -> list[repository.SourceCounts]:
        result: list[repository.SourceCounts] = await self._once(
            info,
            "sources",
            lambda s: repository.lead_sources(s, self.brokerage_id, self.start),
        )
        return result

    async def _counts(self, info: Info) -> repository.ActivityCounts:
        result: repository.ActivityCounts = await self._once(
            info,
            "counts",
            lambda s: repository.activity_counts(s, self.brokerage_id, self.now, self.start),
        )
        return result

    @strawberry.field(description="A CRM is connected (even if its sync failed).")
    async def connected(self, info: Info) -> bool:
        return service.sources_connected(await self._sources(info))

    @strawberry.field(
        description="The connected CRM; else the source leads last came from (CSV for files)."
    )
    async def provider(self, info: Info) -> LeadSourceProvider | None:  # type: ignore[valid-type]
        name = service.main_provider(await self._sources(info))
        return LeadSourceProviderValue(name) if name else None

    @strawberry.field(description="New leads from every source (CRMs and files), all time.")
    async def total_leads_imported(self, info: Info) -> int:
        return sum(s.total_imported for s in await self._sources(info))

    @strawberry.field(description="New leads from every source within the window.")
    async def leads_imported(self, info: Info) -> int:
        return sum(s.imported_in_window for s in await self._sources(info))

    @strawberry.field(description="The latest sync or file import of any source.")
    async def last_sync_at(self, info: Info) -> datetime | None:
        dates = [s.last_sync_at for s in await self._sources(info) if s.last_sync_at]
        return max(dates) if dates else None

    @strawberry.field(description="Every source of leads: each CRM connection, then CSV files.")
    async def sources(self, info: Info) -> list[LeadSourceStats]:
        return [
            LeadSourceStats(
                provider=LeadSourceProviderValue(s.provider),
                connected=s.connected,
                total_leads_imported=s.total_imported,
                leads_imported=s.imported_in_window,
                last_sync_at=s.last_sync_at,
            )
            for s in await self._sources(info)
        ]

    @strawberry.field(description="Every lead by temperature now (not windowed).")
    async def breakdown(self, info: Info) -> LeadBreakdown:
        c = await self._counts(info)
        return LeadBreakdown(hot=c.hot, warm=c.warm, cold=c.cold)

    @strawberry.field
    async def ai_activity(self, info: Info) -> AiActivity:
        c = await self._counts(info)
        return AiActivity(
            messages_sent=c.messages_sent,
            conversations_active=c.conversations_active,
            leads_qualified=c.leads_qualified,
            meetings_scheduled=c.meetings_scheduled,
        )

    @strawberry.field
    async def funnel(self, info: Info) -> Funnel:
        c = await self._counts(info)
        return Funnel(
            leads_contacted=c.leads_contacted,
            leads_replied=c.leads_replied,
            leads_qualified=c.leads_contacted_qualified,
            leads_with_viewing=c.leads_contacted_with_viewing,
        )

    @strawberry.field(description="The funnel's rates (`funnel`'s counts over leadsContacted).")
    async def performance(self, info: Info) -> Performance:
        c = await self._counts(info)
        return Performance(
            response_rate=service.rate(c.leads_replied, c.leads_contacted),
            qualification_rate=service.rate(c.leads_contacted_qualified, c.leads_contacted),
            conversion_rate=service.rate(c.leads_contacted_with_viewing, c.leads_contacted),
        )

    @strawberry.field
    async def roi(self, info: Info) -> Roi:
        session = info.context.session
        counts = await self._counts(info)
        work = await repository.ai_work(session, self.brokerage_id, self.start)
        listings = await repository.listing_results(session, self.brokerage_id, self.start)
        values = await repository.listing_value(session, self.brokerage_id, self.start)
        return Roi(
            qualified_leads=counts.leads_qualified,
            viewings=counts.meetings_scheduled,
            listings=[
                ListingResult(
                    property_id=r.property_id,
                    qualified_leads=r.qualified_leads,
                    viewings=r.viewings,
                    value=r.price,
                    currency=r.currency,
                )
                for r in listings
            ],
            listing_value=[
                ListingValue(
                    currency=v.currency,
                    operation=ListingOperationValue(v.operation),
                    listings=v.listings,
                    amount=v.amount,
                )
                for v in values
            ],
            ai_messages=AiWork(
                first_messages=work.first_messages,
                follow_ups=work.follow_ups,
                replies=work.replies,
                viewing_messages=work.viewing_messages,
                total=work.first_messages + work.follow_ups + work.replies + work.viewing_messages,
            ),
        )


@strawberry.type
class DashboardQuery:
    @strawberry.field(description="The dashboard's CRM and AI activity numbers.")
    async def crm_sync_stats(
        self,
        info: Info,
        window: StatsWindow = StatsWindowValue.LAST_7_DAYS,  # type: ignore[valid-type]
    ) -> CrmSyncStats:
        principal = info.context.require("leads:read")
        now = utcnow()
        start = await service.start_of(info.context.session, principal.brokerage_id, window, now)
        return CrmSyncStats(
            brokerage_id=principal.brokerage_id,
            start=start,
            now=now,
            memo={},
            window=window,
        )
