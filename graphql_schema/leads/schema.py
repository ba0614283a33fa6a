"""Leads: list and search them, capture one, reactivate a temperature band."""

from __future__ import annotations

import strawberry

from app.accounts.models import Brokerage
from app.conversations.engine import get_engine
from app.conversations.lead_status import set_lead_status
from app.conversations.repository import lead_thread_ids
from app.core.db import utcnow
from app.core.visibility import whole_brokerage
from app.leads import repository
from app.leads.erase import erase_lead
from app.leads.models import Lead as LeadRow
from app.leads.models import LeadStatus as LeadStatusValue
from app.leads.service import NewLead, create_lead
from app.leads.temperature import Temperature as TemperatureValue
from app.leads.triggers import leads_changed
from app.plans import service as plans
from app.plans.rules import Feature
from app.teams import routing
from graphql_schema.context import Info
from graphql_schema.leads.types import (
    CreateLeadInput,
    Lead,
    LeadCapture,
    LeadChange,
    LeadStatus,
    Temperature,
    lead_columns,
)
from graphql_schema.relay import Connection, decode_id, node_fields, paginate


@strawberry.type
class ReactivationPayload:
    leads_queued: int = strawberry.field(
        description="Leads being matched against every active listing."
    )


@strawberry.type
class LeadsQuery:
    @strawberry.field(
        description="Newest first; filter by temperature or search name, email and phone."
    )
    async def leads(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        temperature: Temperature | None = None,  # type: ignore[valid-type]
        search: str | None = None,
    ) -> Connection[Lead]:
        principal = info.context.require("leads:read")
        now = utcnow()
        shape, params = repository.lead_filter(
            principal.brokerage_id, temperature=temperature, search=search, now=now
        )
        # only the columns the selected fields read: a page of six fields skips the notes,
        # tags, budgets and JSON columns of 50 rows
        fields = frozenset(node_fields(info))
        return await paginate(
            info.context.session,
            lambda: repository.leads_statement(shape).with_only_columns(lead_columns(fields)),
            key=("leads", shape, fields),
            params=params,
            order=[LeadRow.id],
            first=first,
            after=after,
            convert=lambda row: Lead.from_row(row, now),
        )


@strawberry.type
class EraseLeadPayload:
    erased_id: strawberry.ID = strawberry.field(description="The lead that no longer exists.")


@strawberry.type
class LeadsMutation:
    @strawberry.mutation(
        description="Erase a lead for good (a data-protection request): the lead, its messages, "
        "conversations and threads. A hash of its email and phone stays, so no import, "
        "createLead or CRM sync brings the person back into outreach."
    )
    async def erase_lead(self, info: Info, id: strawberry.ID) -> EraseLeadPayload:
        principal = info.context.require("leads:write")
        principal.require_manager("Erasing a lead")
        lead_id = decode_id(id, "Lead")
        session = info.context.session
        threads = await lead_thread_ids(session, principal.brokerage_id, lead_id)
        await erase_lead(session, principal.brokerage_id, lead_id)
        await info.context.commit()
        if threads:  # checkpoints live in LangGraph's own tables: after the commit
            engine = await get_engine(info.context.runtime)
            for thread_id in threads:
                await engine.forget(thread_id)
        return EraseLeadPayload(erased_id=id)

    @strawberry.mutation(
        description="A lead from the broker or a partner form; matched against active listings "
        "at once."
    )
    async def create_lead(self, info: Info, input: CreateLeadInput) -> Lead:
        """Answers the lead with `capture { merged changes }` saying whether it was new."""
        principal = info.context.require("leads:write")
        session = info.context.session
        with whole_brokerage():  # the plan counts every lead, not the agent's
            await plans.require_room(session, principal.brokerage_id, "leads", utcnow())
        brokerage = await session.get(Brokerage, principal.brokerage_id)
        # Deduplication compares with every lead of the brokerage, an agent's call included.
        with whole_brokerage():
            created = await create_lead(
                session,
                principal.brokerage_id,
                NewLead(
                    name=input.name,
                    email=input.email,
                    phone=input.phone,
                    locations=tuple(input.locations),
                    min_budget=input.min_budget,
                    max_budget=input.max_budget,
                    rent_min_budget=input.rent_min_budget,
                    rent_max_budget=input.rent_max_budget,
                    currency=input.currency,
                    bedrooms=input.bedrooms,
                    operation=input.operation,
                    language=input.language,
                    notes=input.notes,
                    source=input.source,
                    default_region=input.default_region
                    or (brokerage.default_region if brokerage else None),
                ),
            )
            if created.lead.assignee_id is None and principal.agent_id is not None:
                await routing.assign(session, created.lead, principal.agent_id)  # theirs
            else:
                await routing.route_lead(session, created.lead)
        leads_changed(session, principal.brokerage_id, [created.lead.id])
        await info.context.commit()
        lead, now = Lead.from_row(created.lead), utcnow()
        lead.capture = LeadCapture(
            merged=created.merged,
            changes=[
                LeadChange(at=now, source=input.source, field=f, before=b, after=a)
                for f, b, a in created.changes
            ],
        )
        return lead

    @strawberry.mutation(
        description="Set whether the lead is still looking (the broker's word, or an undo of what "
        "the agent understood): BOUGHT_ELSEWHERE or STOPPED_LOOKING ends their open "
        "conversations, closes their tasks and leaves them out of matching; ACTIVE matches them "
        "again against every active listing."
    )
    async def update_lead_status(
        self,
        info: Info,
        id: strawberry.ID,
        status: LeadStatus,  # type: ignore[valid-type]
    ) -> Lead:
        principal = info.context.require("leads:write")
        session = info.context.session
        row = await set_lead_status(
            session, principal.brokerage_id, decode_id(id, "Lead"), status, source="MANUAL"
        )
        await info.context.commit()
        return Lead.from_row(row)

    @strawberry.mutation(
        description="Match every lead of this temperature against every active listing and "
        "reach them."
    )
    async def reactivate_leads(
        self,
        info: Info,
        temperature: Temperature = TemperatureValue.COLD,  # type: ignore[valid-type]
    ) -> ReactivationPayload:
        principal = info.context.require("conversations:write")
        principal.require_manager("Reactivating leads")
        session = info.context.session
        await plans.require_feature(session, principal.brokerage_id, Feature.REACTIVATION)
        stmt = repository.leads_query(
            principal.brokerage_id, temperature=temperature, search=None, now=utcnow()
        )
        ids = list(
            (
                await session.execute(
                    stmt.with_only_columns(LeadRow.id).where(
                        LeadRow.opted_out.is_(False), LeadRow.status == LeadStatusValue.ACTIVE
                    )
                )
            ).scalars()
        )
        leads_changed(session, principal.brokerage_id, ids)
        await info.context.commit()
        return ReactivationPayload(leads_queued=len(ids))
