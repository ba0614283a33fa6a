"""Every digest query: who is due, the day's claim, whom to call, the replies waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, Role, User
from app.conversations.models import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    TaskKind,
    TaskStatus,
)
from app.core.db import dialect_insert
from app.digest.models import Digest, DigestStatus
from app.leads.models import Lead
from app.messaging.models import Direction, Message, MessageStatus
from app.properties.models import Property
from app.viewings.models import Viewing, ViewingStatus

# A PENDING digest is tried again by later sweeps of the same morning, this many times at most.
MAX_ATTEMPTS = 3
OVER = (ConversationStatus.CLOSED, ConversationStatus.OPTED_OUT)


async def time_zones(session: AsyncSession) -> list[str]:
    """The time zones of brokerages with someone who wants the digest."""
    stmt = (
        select(Brokerage.timezone)
        .distinct()
        .join(User, User.brokerage_id == Brokerage.id)
        .where(User.morning_digest.is_(True))
    )
    return list((await session.execute(stmt)).scalars())


async def due_users(
    session: AsyncSession, zone: str, day: date, limit: int
) -> list[tuple[int, int]]:
    """(user, brokerage) pairs in `zone` with no digest for `day` yet, or one still PENDING."""
    done = (
        select(Digest.id)
        .where(
            Digest.user_id == User.id,
            Digest.day == day,
            or_(Digest.status != DigestStatus.PENDING, Digest.attempts >= MAX_ATTEMPTS),
        )
        .exists()
    )
    stmt = (
        select(User.id, User.brokerage_id)
        .join(Brokerage, Brokerage.id == User.brokerage_id)
        .where(Brokerage.timezone == zone, User.morning_digest.is_(True), ~done)
        .order_by(User.id)
        .limit(limit)
    )
    return [(u, b) for u, b in (await session.execute(stmt)).all()]


async def claim(session: AsyncSession, user_id: int, brokerage_id: int, day: date) -> int | None:
    """The day's digest row of the user, created if missing; None when it is no longer PENDING
    (another sweep has it)."""
    insert = dialect_insert(session, Digest)
    await session.execute(
        insert.values(
            brokerage_id=brokerage_id,
            user_id=user_id,
            day=day,
            status=DigestStatus.PENDING.value,
            attempts=0,
            subject="",
            body="",
        ).on_conflict_do_nothing(index_elements=["user_id", "day"])
    )
    # Only one sweep moves it out of PENDING: the claim is this conditional update.
    stmt = (
        update(Digest)
        .where(
            Digest.user_id == user_id,
            Digest.day == day,
            Digest.status == DigestStatus.PENDING,
            Digest.attempts < MAX_ATTEMPTS,
        )
        .values(status=DigestStatus.SENDING, attempts=Digest.attempts + 1)
        .returning(Digest.id)
    )
    claimed: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return claimed


async def finish(
    session: AsyncSession,
    digest_id: int,
    status: DigestStatus,
    *,
    subject: str = "",
    body: str = "",
    error: str | None = None,
    sent_at: datetime | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "error": error, "sent_at": sent_at}
    if subject:
        values.update(subject=subject, body=body)
    await session.execute(update(Digest).where(Digest.id == digest_id).values(**values))


@dataclass(frozen=True)
class Call:
    """A lead to call today, and why: VIEWING (confirmed for today), QUALIFIED, HOT."""

    reason: str
    lead_name: str
    phone: str | None
    email: str | None
    listing: str
    at: datetime | None  # the viewing's time
    score: int


_PRIORITY = {"VIEWING": 0, "QUALIFIED": 1, "HOT": 2}


async def calls(
    session: AsyncSession, brokerage_id: int, day_start: datetime, day_end: datetime
) -> list[Call]:
    """Whom to call today: viewings confirmed for today, then the open QUALIFIED and hand-off
    tasks, then the open hot-lead tasks; each lead once, for its first reason."""
    viewing = select(
        literal("VIEWING").label("reason"),
        Viewing.lead_id.label("lead_id"),
        Viewing.property_id.label("property_id"),
        Viewing.starts_at.label("at"),
    ).where(
        Viewing.brokerage_id == brokerage_id,
        Viewing.status == ViewingStatus.CONFIRMED,
        Viewing.starts_at >= day_start,
        Viewing.starts_at < day_end,
    )
    qualified = select(
        literal("QUALIFIED").label("reason"),
        BrokerTask.lead_id,
        BrokerTask.property_id,
        literal(None).label("at"),
    ).where(
        BrokerTask.brokerage_id == brokerage_id,
        BrokerTask.status == TaskStatus.OPEN,
        BrokerTask.kind.in_((TaskKind.QUALIFIED, TaskKind.HANDOFF)),
    )
    hot = select(
        literal("HOT").label("reason"),
        BrokerTask.lead_id,
        BrokerTask.property_id,
        literal(None).label("at"),
    ).where(
        BrokerTask.brokerage_id == brokerage_id,
        BrokerTask.status == TaskStatus.OPEN,
        BrokerTask.kind == TaskKind.CALL_HOT_LEAD,
    )
    every = union_all(viewing, qualified, hot).subquery()
    score = (
        select(func.max(Conversation.qualification_score))
        .where(Conversation.lead_id == every.c.lead_id)
        .scalar_subquery()
    )
    stmt = (
        select(
            every.c.reason,
            Lead.id,
            Lead.name,
            Lead.phone,
            Lead.email,
            func.coalesce(Property.title, ""),
            every.c.at,
            func.coalesce(score, 0),
        )
        .join(Lead, Lead.id == every.c.lead_id)
        .outerjoin(Property, Property.id == every.c.property_id)
        .where(Lead.opted_out.is_(False))
    )
    rows = (await session.execute(stmt)).all()
    best: dict[int, Call] = {}
    for reason, lead_id, name, phone, email, listing, at, points in rows:
        call = Call(reason, name or "", phone, email, listing, at, int(points))
        known = best.get(lead_id)
        if known is None or _PRIORITY[reason] < _PRIORITY[known.reason]:
            best[lead_id] = call
    return sorted(
        best.values(),
        key=lambda c: (_PRIORITY[c.reason], c.at or day_start, -c.score, c.lead_name),
    )


@dataclass(frozen=True)
class Waiting:
    """A reply waiting for the broker: QUESTION (the agent could not answer), APPROVAL (a
    drafted answer to approve), TAKEN_OVER (the lead wrote in a conversation the broker took)."""

    kind: str
    lead_name: str
    listing: str
    text: str


async def waiting(session: AsyncSession, brokerage_id: int) -> list[Waiting]:
    """Replies waiting for the broker, oldest first."""
    last_in = (
        select(func.max(Message.id))
        .where(Message.conversation_id == Conversation.id, Message.direction == Direction.INBOUND)
        .correlate(Conversation)
        .scalar_subquery()
    )
    last_out = (
        select(func.max(Message.id))
        .where(
            Message.conversation_id == Conversation.id,
            Message.direction == Direction.OUTBOUND,
            Message.status != MessageStatus.DRAFT,
        )
        .correlate(Conversation)
        .scalar_subquery()
    )
    questions = select(
        literal("QUESTION").label("kind"),
        BrokerTask.lead_id.label("lead_id"),
        BrokerTask.property_id.label("property_id"),
        BrokerTask.title.label("text"),
        BrokerTask.created_at.label("since"),
    ).where(
        BrokerTask.brokerage_id == brokerage_id,
        BrokerTask.status == TaskStatus.OPEN,
        BrokerTask.kind == TaskKind.QUESTION,
    )
    inbound = (
        select(Message.body)
        .where(Message.conversation_id == Conversation.id, Message.direction == Direction.INBOUND)
        .order_by(Message.id.desc())
        .limit(1)
        .correlate(Conversation)
        .scalar_subquery()
    )
    approvals = select(
        literal("APPROVAL").label("kind"),
        Conversation.lead_id,
        Conversation.property_id,
        func.coalesce(inbound, "").label("text"),
        Conversation.updated_at.label("since"),
    ).where(
        Conversation.brokerage_id == brokerage_id,
        Conversation.status == ConversationStatus.AWAITING_APPROVAL,
        last_in.is_not(None),
    )
    taken = select(
        literal("TAKEN_OVER").label("kind"),
        Conversation.lead_id,
        Conversation.property_id,
        func.coalesce(inbound, "").label("text"),
        Conversation.updated_at.label("since"),
    ).where(
        Conversation.brokerage_id == brokerage_id,
        Conversation.taken_over.is_(True),
        Conversation.status.not_in(OVER),
        last_in.is_not(None),
        or_(last_out.is_(None), last_in > last_out),
    )
    every = union_all(questions, approvals, taken).subquery()
    stmt = (
        select(every.c.kind, Lead.name, func.coalesce(Property.title, ""), every.c.text)
        .join(Lead, Lead.id == every.c.lead_id)
        .outerjoin(Property, Property.id == every.c.property_id)
        .order_by(every.c.since, Lead.id)
    )
    return [Waiting(k, n or "", p, t) for k, n, p, t in (await session.execute(stmt)).all()]


async def drafts_waiting(session: AsyncSession, brokerage_id: int) -> int:
    """First messages drafted and waiting for the broker's approval (no reply from the lead)."""
    replied = (
        select(Message.id)
        .where(Message.conversation_id == Conversation.id, Message.direction == Direction.INBOUND)
        .exists()
    )
    stmt = select(func.count()).where(
        Conversation.brokerage_id == brokerage_id,
        Conversation.status == ConversationStatus.AWAITING_APPROVAL,
        ~replied,
    )
    return int((await session.execute(stmt)).scalar_one())


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    email: str
    brokerage_id: int
    brokerage_name: str
    language: str
    formality: str
    timezone: str
    role: Role


async def recipient(session: AsyncSession, user_id: int) -> Recipient | None:
    stmt = (
        select(
            User.id,
            User.name,
            User.email,
            Brokerage.id,
            Brokerage.name,
            Brokerage.language,
            Brokerage.formality,
            Brokerage.timezone,
            User.role,
        )
        .join(Brokerage, Brokerage.id == User.brokerage_id)
        .where(User.id == user_id, User.morning_digest.is_(True))
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        return None
    uid, name, email, bid, bname, language, formality, zone, role = row
    return Recipient(uid, name, email, bid, bname, language, str(formality), zone, role)
