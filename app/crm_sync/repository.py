"""Every crm_sync query: connections (scoped to a brokerage), the webhook inbox, the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations.models import BrokerTask
from app.core.tenancy import scoped
from app.crm_sync import conflicts
from app.crm_sync.models import (
    ConnectionStatus,
    CrmConnection,
    CrmLink,
    CrmProviderName,
    SyncKind,
    SyncRun,
    TimelineLog,
)
from app.inbox.models import WebhookEvent
from app.leads.models import Lead
from app.messaging.models import Direction, Message, MessageStatus
from app.properties.models import Property

SENT_MESSAGE = (MessageStatus.SENT, MessageStatus.DELIVERED)


def connections(brokerage_id: int) -> Select[Any]:
    return scoped(CrmConnection, brokerage_id).order_by(CrmConnection.id)


async def list_connections(session: AsyncSession, brokerage_id: int) -> list[CrmConnection]:
    return list((await session.execute(connections(brokerage_id))).scalars())


async def connection_for(
    session: AsyncSession, brokerage_id: int, provider: CrmProviderName
) -> CrmConnection | None:
    stmt = scoped(CrmConnection, brokerage_id).where(CrmConnection.provider == provider)
    row: CrmConnection | None = (await session.execute(stmt)).scalar_one_or_none()
    return row


async def webhook_connections(
    session: AsyncSession,
    provider: CrmProviderName,
    account_id: str | None,
    connection_id: int | None = None,
) -> list[CrmConnection]:
    """Connections a webhook is for: the one whose own URL it came to; else by account id; else
    the only live one (a single-tenant install still using the shared URL)."""
    live = select(CrmConnection).where(
        CrmConnection.provider == provider,
        CrmConnection.credentials.is_not(None),
    )
    if connection_id is not None:
        return list(
            (await session.execute(live.where(CrmConnection.id == connection_id))).scalars()
        )
    if account_id is not None:
        rows = list(
            (await session.execute(live.where(CrmConnection.account_id == account_id))).scalars()
        )
        if rows:
            return rows
    rows = list((await session.execute(live.limit(2))).scalars())
    return rows if len(rows) == 1 else []


async def connection_by_webhook_token(
    session: AsyncSession, provider: CrmProviderName, token: str
) -> CrmConnection | None:
    """The live connection a per-connection webhook URL belongs to (not tenant-scoped: the
    token is the credential, and the caller only learns whether it exists)."""
    stmt = select(CrmConnection).where(
        CrmConnection.provider == provider,
        CrmConnection.webhook_token == token,
        CrmConnection.credentials.is_not(None),
    )
    row: CrmConnection | None = (await session.execute(stmt)).scalar_one_or_none()
    return row


def sync_runs(brokerage_id: int, connection_id: int) -> Select[Any]:
    """A connection's sync runs, for keyset pagination on `SyncRun.id`."""
    return scoped(SyncRun, brokerage_id).where(SyncRun.connection_id == connection_id)


async def connections_with_credentials(session: AsyncSession) -> Sequence[CrmConnection]:
    """Every brokerage's connections that hold credentials (a key rotation re-encrypts them)."""
    return (
        (await session.execute(select(CrmConnection).where(CrmConnection.credentials.is_not(None))))
        .scalars()
        .all()
    )


async def connections_to_catch_up(session: AsyncSession) -> list[int]:
    """Every connection whose first import finished and that still holds a credential."""
    stmt = select(CrmConnection.id).where(
        CrmConnection.status == ConnectionStatus.CONNECTED,
        CrmConnection.credentials.is_not(None),
    )
    return list((await session.execute(stmt)).scalars())


async def unfinished_runs(session: AsyncSession, connection_id: int) -> Sequence[SyncRun]:
    """The connection's imports and catch-ups that never recorded their end."""
    stmt = select(SyncRun).where(
        SyncRun.connection_id == connection_id,
        SyncRun.kind.in_((SyncKind.IMPORT, SyncKind.CATCH_UP)),
        SyncRun.finished_at.is_(None),
    )
    return (await session.execute(stmt)).scalars().all()


async def still_connected(session: AsyncSession, connection_id: int) -> bool:
    """Whether the connection still holds a credential, its row locked until the caller's
    commit: a disconnection waits for the sync's page in progress, and a sync that comes after
    one sees it."""
    stmt = (
        select(CrmConnection.id)
        .where(CrmConnection.id == connection_id, CrmConnection.credentials.is_not(None))
        .with_for_update()
    )
    return await session.scalar(stmt) is not None


async def interrupted_syncs(session: AsyncSession) -> list[int]:
    """Connections left SYNCING that still hold a credential (a running sync is among them)."""
    stmt = select(CrmConnection.id).where(
        CrmConnection.status == ConnectionStatus.SYNCING,
        CrmConnection.credentials.is_not(None),
    )
    return list((await session.execute(stmt)).scalars())


async def known_locations(session: AsyncSession, brokerage_id: int) -> list[str]:
    """The brokerage's listing places: mentions of them in CRM notes become preferences."""
    stmt = union(
        select(Property.location).where(Property.brokerage_id == brokerage_id).distinct(),
        select(Property.city).where(Property.brokerage_id == brokerage_id).distinct(),
    )
    return [place for place in (await session.execute(stmt)).scalars() if place]


async def claim_external_ids(
    session: AsyncSession, brokerage_id: int, provider: CrmProviderName, external_ids: Sequence[str]
) -> None:
    """Name the CRM on leads that took one of its ids in a merge but no source with it."""
    if external_ids:
        await session.execute(
            update(Lead)
            .where(
                Lead.brokerage_id == brokerage_id,
                Lead.external_source.is_(None),
                Lead.external_id.in_(list(external_ids)),
            )
            .values(external_source=provider.value)
        )


async def link_records(
    session: AsyncSession,
    brokerage_id: int,
    provider: CrmProviderName,
    values: Sequence[dict[str, Any]],
) -> None:
    """Remember which lead each CRM record of a page became, once the page is upserted.

    A record already linked keeps its lead; otherwise it is the lead holding this CRM id, else
    the one with its email, else its phone (the keys the merge itself used).
    """
    records = [v for v in values if v.get("external_id")]
    if not records:
        return
    ids = [str(v["external_id"]) for v in records]
    emails = [v["email"] for v in records if v.get("email")]
    phones = [v["phone"] for v in records if v.get("phone")]
    linked = dict(
        (
            await session.execute(
                select(CrmLink.external_id, CrmLink.lead_id).where(
                    CrmLink.brokerage_id == brokerage_id,
                    CrmLink.provider == provider,
                    CrmLink.external_id.in_(ids),
                )
            )
        ).all()
    )
    leads = (
        await session.execute(
            select(Lead.id, Lead.email, Lead.phone, Lead.external_source, Lead.external_id).where(
                Lead.brokerage_id == brokerage_id,
                or_(
                    Lead.email.in_(emails),
                    Lead.phone.in_(phones),
                    and_(Lead.external_source == provider.value, Lead.external_id.in_(ids)),
                ),
            )
        )
    ).all()
    by_key: dict[str, int] = {}
    for lead_id, email, phone, source, lead_external_id in leads:
        if source == provider.value and lead_external_id:
            by_key[f"x:{lead_external_id}"] = lead_id
        if email:
            by_key.setdefault(f"e:{email}", lead_id)
        if phone:
            by_key.setdefault(f"p:{phone}", lead_id)
    rows: dict[str, dict[str, Any]] = {}  # by CRM id: a record twice in a page is one row
    for v in records:
        external_id = str(v["external_id"])
        keys = (f"x:{external_id}", f"e:{v.get('email')}", f"p:{v.get('phone')}")
        match = linked.get(external_id) or next((by_key[k] for k in keys if k in by_key), None)
        if match is not None:
            rows[external_id] = {
                "brokerage_id": brokerage_id,
                "lead_id": match,
                "provider": provider,
                "external_id": external_id,
                "synced": conflicts.baseline(v),
            }
    if rows:
        # A record already linked keeps its lead; what its CRM said becomes the new baseline.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(CrmLink).values(list(rows.values()))
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["brokerage_id", "provider", "external_id"],
                set_={"synced": stmt.excluded.synced},
            )
        )


async def baselines(
    session: AsyncSession, brokerage_id: int, provider: CrmProviderName, external_ids: list[Any]
) -> dict[str, dict[str, Any]]:
    """What the CRM said last time of each of these records (`CrmLink.synced`), by CRM id."""
    ids = [str(i) for i in external_ids if i]
    if not ids:
        return {}
    stmt = select(CrmLink.external_id, CrmLink.synced).where(
        CrmLink.brokerage_id == brokerage_id,
        CrmLink.provider == provider,
        CrmLink.external_id.in_(ids),
    )
    return {
        external_id: synced for external_id, synced in (await session.execute(stmt)).all() if synced
    }


async def links_of(session: AsyncSession, brokerage_id: int, lead_id: int) -> list[CrmLink]:
    """Every CRM record of a lead, oldest link first."""
    stmt = scoped(CrmLink, brokerage_id).where(CrmLink.lead_id == lead_id).order_by(CrmLink.id)
    return list((await session.execute(stmt)).scalars())


async def links_of_leads(
    session: AsyncSession, brokerage_id: int, lead_ids: list[int]
) -> dict[int, list[CrmLink]]:
    """Every CRM record of each of these leads, oldest link first (one statement)."""
    stmt = scoped(CrmLink, brokerage_id).where(CrmLink.lead_id.in_(lead_ids)).order_by(CrmLink.id)
    grouped: dict[int, list[CrmLink]] = {}
    for link in (await session.execute(stmt)).scalars():
        grouped.setdefault(link.lead_id, []).append(link)
    return grouped


@dataclass(frozen=True)
class TimelineItem:
    message_id: int
    conversation_id: int
    external_id: str
    direction: Direction
    channel: str
    body: str
    at: datetime
    lead_name: str
    lead_phone: str | None


async def messages_to_log(
    session: AsyncSession, connection: CrmConnection, since: datetime, limit: int
) -> list[TimelineItem]:
    """Messages of the connection's leads (by their CRM link) sent or received since `since`
    and not on this CRM's timeline yet, oldest first. Outbound ones only once actually sent."""
    logged = select(TimelineLog.id).where(
        TimelineLog.connection_id == connection.id, TimelineLog.message_id == Message.id
    )
    stmt = (
        select(
            Message.id,
            Message.conversation_id,
            CrmLink.external_id,
            Message.direction,
            Message.channel,
            Message.body,
            func.coalesce(Message.sent_at, Message.created_at),
            Lead.name,
            Lead.phone,
        )
        .join(
            CrmLink,
            and_(
                CrmLink.lead_id == Message.lead_id,
                CrmLink.brokerage_id == connection.brokerage_id,
                CrmLink.provider == connection.provider,
            ),
        )
        .join(Lead, Lead.id == Message.lead_id)
        .where(
            Message.brokerage_id == connection.brokerage_id,
            Message.created_at >= since,
            or_(Message.direction == Direction.INBOUND, Message.status.in_(SENT_MESSAGE)),
            ~logged.exists(),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return [
        TimelineItem(m, c, x, d, ch.value, b, at, n or "", p)
        for m, c, x, d, ch, b, at, n, p in (await session.execute(stmt)).all()
    ]


async def insert_inbox(
    session: AsyncSession, source: str, event_id: str, payload: dict[str, Any]
) -> int | None:
    """Store a delivery; None when this (source, event id) was already received (a replay)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(WebhookEvent)
        .values(source=source, event_id=event_id, payload=payload)
        .on_conflict_do_nothing(index_elements=["source", "event_id"])
        .returning(WebhookEvent.id)
    )
    inserted: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return inserted


async def last_inbound_bodies(session: AsyncSession, conversation_id: int, limit: int) -> list[str]:
    """What the lead said last in the conversation, newest first (`limit` messages)."""
    rows = await session.execute(
        select(Message.body)
        .where(Message.conversation_id == conversation_id, Message.direction == Direction.INBOUND)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())


async def task_titles(session: AsyncSession, conversation_id: int) -> list[str]:
    """The titles of the conversation's broker tasks, oldest first."""
    rows = await session.execute(
        select(BrokerTask.title)
        .where(BrokerTask.conversation_id == conversation_id)
        .order_by(BrokerTask.id)
    )
    return list(rows.scalars())
