"""Every dashboard figure as SQL aggregates (FILTER / GROUP BY): one statement per figure group,
never a Python loop over rows, so each count is the database's and adds up by construction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations.models import Conversation, ConversationStatus
from app.crm_sync.models import CrmConnection, SyncRun
from app.leads.models import ImportStatus, Lead, LeadImport
from app.leads.temperature import temperature_bounds
from app.messaging.models import Direction, Message, MessageStatus
from app.properties.models import Property
from app.viewings.models import Viewing, ViewingStatus

# API.md: qualified = qualification score above 75.
QUALIFIED_ABOVE = 75
# API.md: cold = no reply 7+ days after our last message.
COLD_AFTER = timedelta(days=7)
# Closed and opted-out conversations are over; every other one is open.
OVER = (ConversationStatus.CLOSED, ConversationStatus.OPTED_OUT)
SENT = (MessageStatus.SENT, MessageStatus.DELIVERED)
# The outbox key of a broker's own answer relayed from a task (conversations.broker_tasks).
RELAYED_ANSWER = "%:answer:%"
# A meeting is scheduled once the lead confirmed a time (and still counts once it happened).
MEETINGS = (ViewingStatus.CONFIRMED, ViewingStatus.DONE)
# Imports that wrote leads (a failed one keeps the batches it committed); dry runs wrote none.
IMPORTS_THAT_WROTE = (ImportStatus.RUNNING, ImportStatus.COMPLETED, ImportStatus.FAILED)


def _since(column: Any, start: datetime | None, end: datetime | None = None) -> ColumnElement[bool]:
    """`start <= column` (None: since ever) and, with `end`, `column < end`."""
    after = column >= start if start is not None else true()
    return and_(after, column < end) if end is not None else after


def _sent_at() -> Any:
    return func.coalesce(Message.sent_at, Message.created_at)


# --- Property.stats ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationCounts:
    total: int = 0
    responding: int = 0
    waiting: int = 0
    cold: int = 0
    qualified: int = 0
    awaiting_approval: int = 0
    opted_out: int = 0


async def conversation_counts(
    session: AsyncSession, brokerage_id: int, property_ids: Sequence[int], now: datetime
) -> dict[int, ConversationCounts]:
    """Per listing: its conversations, the open ones split into responding / waiting / cold.

    An open conversation is cold when its status is COLD or our last message went out 7+ days
    ago with no reply since; otherwise responding when the lead ever replied (whatever the
    agent answered after), else waiting. So each open one is in exactly one of the three."""
    listed = and_(
        Conversation.brokerage_id == brokerage_id, Conversation.property_id.in_(property_ids)
    )
    # Each conversation's last reply and last message sent, in one grouped pass: the listings'
    # conversations joined to their messages (correlated subqueries per conversation, repeated
    # in every count they fed, took 7-9 s for 20 listings of 500 conversations; reading the
    # conversations once rather than twice, for the messages' IN list and again for the
    # counts, cut the statement by a fifth on bench_api's 10k conversations).
    per = (
        select(
            Conversation.property_id.label("property_id"),
            Conversation.status.label("status"),
            Conversation.qualification_score.label("score"),
            func.max(Message.created_at)
            .filter(Message.direction == Direction.INBOUND)
            .label("last_in"),
            func.max(_sent_at())
            .filter(Message.direction == Direction.OUTBOUND, Message.status.in_(SENT))
            .label("last_out"),
        )
        .outerjoin(
            Message,
            and_(
                Message.conversation_id == Conversation.id,
                Message.brokerage_id == brokerage_id,
            ),
        )
        .where(listed)
        .group_by(Conversation.id)
        .subquery()
    )
    is_open = per.c.status.not_in(OVER)
    silent = and_(
        per.c.last_out.is_not(None),
        per.c.last_out <= now - COLD_AFTER,
        or_(per.c.last_in.is_(None), per.c.last_in < per.c.last_out),
    )
    is_cold = and_(is_open, or_(per.c.status == ConversationStatus.COLD, silent))
    warm = and_(is_open, ~is_cold)
    stmt = select(
        per.c.property_id,
        func.count(),
        func.count().filter(and_(warm, per.c.last_in.is_not(None))),
        func.count().filter(and_(warm, per.c.last_in.is_(None))),
        func.count().filter(is_cold),
        func.count().filter(per.c.score > QUALIFIED_ABOVE),
        func.count().filter(per.c.status == ConversationStatus.AWAITING_APPROVAL),
        func.count().filter(per.c.status == ConversationStatus.OPTED_OUT),
    ).group_by(per.c.property_id)
    rows = (await session.execute(stmt)).all()
    return {row[0]: ConversationCounts(*(int(v) for v in row[1:])) for row in rows}


# --- crmSyncStats ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceCounts:
    """One source of leads: a CRM connection or the CSV / Excel imports."""

    provider: str  # FOLLOWUPBOSS | HUBSPOT | CSV
    connected: bool
    total_imported: int
    imported_in_window: int
    last_sync_at: datetime | None


async def lead_sources(
    session: AsyncSession, brokerage_id: int, start: datetime | None
) -> list[SourceCounts]:
    """Every source leads came from: each CRM connection (its sync runs) and the file imports."""
    in_window = (
        select(func.coalesce(func.sum(SyncRun.imported), 0))
        .where(SyncRun.connection_id == CrmConnection.id, _since(SyncRun.started_at, start))
        .scalar_subquery()
    )
    crm = (
        await session.execute(
            select(
                CrmConnection.provider,
                CrmConnection.credentials.is_not(None),
                CrmConnection.leads_imported,
                in_window,
                CrmConnection.last_sync_at,
            )
            .where(CrmConnection.brokerage_id == brokerage_id)
            .order_by(CrmConnection.id)
        )
    ).all()
    files = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(LeadImport.imported), 0),
                func.coalesce(
                    func.sum(LeadImport.imported).filter(_since(LeadImport.created_at, start)), 0
                ),
                func.max(func.coalesce(LeadImport.finished_at, LeadImport.created_at)),
            ).where(
                LeadImport.brokerage_id == brokerage_id,
                LeadImport.dry_run.is_(False),
                LeadImport.status.in_(IMPORTS_THAT_WROTE),
            )
        )
    ).one()
    sources = [
        SourceCounts(provider.value, bool(live), int(total), int(window), last)
        for provider, live, total, window, last in crm
    ]
    if files[0]:
        sources.append(SourceCounts("CSV", False, int(files[1]), int(files[2]), files[3]))
    return sources


_FINISHED = (ConversationStatus.CLOSED, ConversationStatus.OPTED_OUT)


@dataclass(frozen=True)
class ActivityCounts:
    """The activity figures of one window (`start` None: all time) and today's breakdown."""

    hot: int
    warm: int
    cold: int
    messages_sent: int
    conversations_active: int
    leads_qualified: int
    meetings_scheduled: int
    leads_contacted: int
    leads_replied: int
    leads_contacted_qualified: int
    leads_contacted_with_viewing: int


async def activity_counts(
    session: AsyncSession,
    brokerage_id: int,
    now: datetime,
    start: datetime | None,
    end: datetime | None = None,
) -> ActivityCounts:
    """All of crmSyncStats' counts for one brokerage and window in one round trip.

    The funnel is a cohort: the leads we messaged in the window, then those of them who
    replied in it, who are qualified (score above 75), who have a confirmed viewing."""
    bounds = temperature_bounds(now)
    temperature = select(
        func.count().filter(Lead.last_contact_at > bounds.hot_after),
        func.count().filter(
            and_(
                Lead.last_contact_at > bounds.cold_at_or_before,
                Lead.last_contact_at <= bounds.hot_after,
            )
        ),
        func.count().filter(
            or_(Lead.last_contact_at.is_(None), Lead.last_contact_at <= bounds.cold_at_or_before)
        ),
    ).where(Lead.brokerage_id == brokerage_id)
    sent_in_window = and_(
        Message.direction == Direction.OUTBOUND,
        Message.status.in_(SENT),
        _since(_sent_at(), start, end),
        Message.idempotency_key.not_like(RELAYED_ANSWER),  # the broker's words, not the agent's
    )
    received_in_window = and_(
        Message.direction == Direction.INBOUND, _since(Message.created_at, start, end)
    )
    # Active: still in progress (not CLOSED or OPTED_OUT) and written in the window; a
    # finished conversation is no work the agent is doing.
    messages = (
        select(
            func.count().filter(sent_in_window),
            func.count(distinct(Message.conversation_id)).filter(
                or_(sent_in_window, received_in_window), Conversation.status.not_in(_FINISHED)
            ),
        )
        .select_from(Message)
        .outerjoin(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.brokerage_id == brokerage_id)
    )
    qualified = select(func.count(distinct(Conversation.lead_id))).where(
        Conversation.brokerage_id == brokerage_id,
        Conversation.qualification_score > QUALIFIED_ABOVE,
        _since(Conversation.qualified_at, start, end),
    )
    meetings = select(func.count()).where(
        Viewing.brokerage_id == brokerage_id,
        Viewing.status.in_(MEETINGS),
        _since(Viewing.confirmed_at, start, end),
    )
    # The cohort in one grouped pass over the brokerage's messages (each lead messaged in the
    # window, and whether it replied in it), then hashed against the leads with a qualified
    # conversation and those with a confirmed viewing: not a second scan of the messages and
    # three correlated probes per lead contacted.
    contacted = (
        select(
            Message.lead_id.label("lead_id"),
            func.max(case((received_in_window, 1), else_=0)).label("replied"),
        )
        .where(Message.brokerage_id == brokerage_id, or_(sent_in_window, received_in_window))
        .group_by(Message.lead_id)
        .having(func.max(case((sent_in_window, 1), else_=0)) == 1)
        .subquery()
    )
    qualified_leads = (
        select(Conversation.lead_id.label("lead_id"))
        .where(
            Conversation.brokerage_id == brokerage_id,
            Conversation.qualification_score > QUALIFIED_ABOVE,
        )
        .distinct()
        .subquery()
    )
    viewing_leads = (
        select(Viewing.lead_id.label("lead_id"))
        .where(Viewing.brokerage_id == brokerage_id, Viewing.status.in_(MEETINGS))
        .distinct()
        .subquery()
    )
    funnel = select(
        func.count(),
        func.count().filter(contacted.c.replied == 1),
        func.count(qualified_leads.c.lead_id),
        func.count(viewing_leads.c.lead_id),
    ).select_from(
        contacted.outerjoin(
            qualified_leads, qualified_leads.c.lead_id == contacted.c.lead_id
        ).outerjoin(viewing_leads, viewing_leads.c.lead_id == contacted.c.lead_id)
    )
    t, m, f = temperature.subquery(), messages.subquery(), funnel.subquery()
    stmt = select(
        *t.c, *m.c, qualified.scalar_subquery(), meetings.scalar_subquery(), *f.c
    ).select_from(t.join(m, true()).join(f, true()))
    row = (await session.execute(stmt)).one()
    (hot, warm, cold, sent, active, qualified_n, meetings_n, c, r, q, v) = (
        int(value or 0) for value in row
    )
    return ActivityCounts(hot, warm, cold, sent, active, qualified_n, meetings_n, c, r, q, v)


# --- ROI ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AiWork:
    """Messages the agent sent in the window that a broker would otherwise have written."""

    first_messages: int
    follow_ups: int
    replies: int
    viewing_messages: int


async def ai_work(
    session: AsyncSession, brokerage_id: int, start: datetime | None, end: datetime | None = None
) -> AiWork:
    """By kind of step, read from the outbox key (`{thread}:{step}:...:{channel}`); the broker's
    own answers relayed to a lead (`answer`) are the broker's work, not counted."""
    key = Message.idempotency_key
    stmt = select(
        func.count().filter(key.like("%:first:%")),
        func.count().filter(key.like("%:followup:%")),
        func.count().filter(key.like("%:reply:%")),
        func.count().filter(key.like("%:viewing:%")),
    ).where(
        Message.brokerage_id == brokerage_id,
        Message.direction == Direction.OUTBOUND,
        Message.status.in_(SENT),
        _since(_sent_at(), start, end),
    )
    return AiWork(*(int(v or 0) for v in (await session.execute(stmt)).one()))


@dataclass(frozen=True)
class ListingResult:
    property_id: int
    price: int
    currency: str
    operation: str
    qualified_leads: int
    viewings: int


async def listing_results(
    session: AsyncSession, brokerage_id: int, start: datetime | None
) -> list[ListingResult]:
    """Per listing with any result in the window: leads qualified on it and viewings confirmed
    for it (best first)."""
    qualified = (
        select(
            Conversation.property_id.label("property_id"),
            func.count(distinct(Conversation.lead_id)).label("n"),
        )
        .where(
            Conversation.brokerage_id == brokerage_id,
            Conversation.qualification_score > QUALIFIED_ABOVE,
            _since(Conversation.qualified_at, start),
        )
        .group_by(Conversation.property_id)
        .subquery()
    )
    viewings = (
        select(Viewing.property_id.label("property_id"), func.count().label("n"))
        .where(
            Viewing.brokerage_id == brokerage_id,
            Viewing.status.in_(MEETINGS),
            _since(Viewing.confirmed_at, start),
        )
        .group_by(Viewing.property_id)
        .subquery()
    )
    q = func.coalesce(qualified.c.n, 0)
    v = func.coalesce(viewings.c.n, 0)
    stmt = (
        select(Property.id, Property.price, Property.currency, Property.operation, q, v)
        .outerjoin(qualified, qualified.c.property_id == Property.id)
        .outerjoin(viewings, viewings.c.property_id == Property.id)
        .where(Property.brokerage_id == brokerage_id, or_(q > 0, v > 0))
        .order_by(q.desc(), v.desc(), Property.id)
    )
    return [
        ListingResult(pid, int(price), currency, operation.value, int(nq), int(nv))
        for pid, price, currency, operation, nq, nv in (await session.execute(stmt)).all()
    ]


@dataclass(frozen=True)
class ListingValue:
    currency: str
    operation: str
    listings: int
    amount: int


async def listing_value(
    session: AsyncSession, brokerage_id: int, start: datetime | None
) -> list[ListingValue]:
    """The asking prices of the listings with a lead qualified or a viewing confirmed in the
    window, summed per currency and operation (a month's rent is never added to a price)."""
    with_result = or_(
        select(Conversation.id)
        .where(
            Conversation.property_id == Property.id,
            Conversation.qualification_score > QUALIFIED_ABOVE,
            _since(Conversation.qualified_at, start),
        )
        .exists(),
        select(Viewing.id)
        .where(
            Viewing.property_id == Property.id,
            Viewing.status.in_(MEETINGS),
            _since(Viewing.confirmed_at, start),
        )
        .exists(),
    )
    stmt = (
        select(Property.currency, Property.operation, func.count(), func.sum(Property.price))
        .where(Property.brokerage_id == brokerage_id, with_result)
        .group_by(Property.currency, Property.operation)
        .order_by(Property.currency, Property.operation)
    )
    return [
        ListingValue(currency, operation.value, int(n), int(total or 0))
        for currency, operation, n, total in (await session.execute(stmt)).all()
    ]
