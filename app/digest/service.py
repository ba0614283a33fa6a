"""The morning digest: at 8:00 in the brokerage's time zone, each person who wants it gets whom to
call today, what the AI did yesterday and the replies waiting for them; once per user and day.
The owner and admins read the whole brokerage; an agent reads their own leads, through the same
filter as everything else they read (`app.teams.visibility`)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

import app.teams.visibility  # noqa: F401  (installs the agent's filter, in workers too)
from app.accounts.models import Role
from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.uow import commit
from app.core.visibility import seen_by
from app.dashboard import repository as figures
from app.digest import repository
from app.digest.models import DigestStatus
from app.digest.render import DigestContent, Yesterday, render
from app.messaging.broker_mail import broker_email, send_broker_email
from integrations.messaging import DeliveryUnknown, PermanentFailure, TransientFailure

log = logging.getLogger(__name__)

SEND_AT = time(8, 0)
# A digest is sent from 8:00 until noon, local time: a system down all morning sends no stale one.
SEND_UNTIL = time(12, 0)
BATCH = 200


def local_day(now: datetime, zone: ZoneInfo) -> tuple[date, datetime, datetime]:
    """The local date at `now` and its bounds (midnight to midnight, as aware instants)."""
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), time(0), tzinfo=zone)
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    return local.date(), start, end


def due(now: datetime, zone: ZoneInfo) -> bool:
    return SEND_AT <= now.astimezone(zone).time() < SEND_UNTIL


async def content_for(
    session: AsyncSession, runtime: Runtime, recipient: repository.Recipient, now: datetime
) -> DigestContent:
    with seen_by(recipient.user_id if recipient.role is Role.AGENT else None):
        return await _content(session, runtime, recipient, now)


async def _content(
    session: AsyncSession, runtime: Runtime, recipient: repository.Recipient, now: datetime
) -> DigestContent:
    zone = ZoneInfo(recipient.timezone)
    day, today_start, today_end = local_day(now, zone)
    yesterday_start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=zone)
    brokerage_id = recipient.brokerage_id
    counts = await figures.activity_counts(
        session, brokerage_id, now, yesterday_start, end=today_start
    )
    work = await figures.ai_work(session, brokerage_id, yesterday_start, end=today_start)
    base = runtime.settings.public_url.rstrip("/")
    return DigestContent(
        name=recipient.name,
        brokerage=recipient.brokerage_name,
        language=recipient.language,
        formality=recipient.formality,
        day=day,
        calls=await repository.calls(session, brokerage_id, today_start, today_end),
        yesterday=Yesterday(
            first_messages=work.first_messages,
            follow_ups=work.follow_ups,
            replies=work.replies,
            viewing_messages=work.viewing_messages,
            leads_replied=counts.leads_replied,
            leads_qualified=counts.leads_qualified,
            meetings=counts.meetings_scheduled,
        ),
        waiting=await repository.waiting(session, brokerage_id),
        drafts=await repository.drafts_waiting(session, brokerage_id),
        dashboard_url=f"{base}/app/",
        settings_url=f"{base}/app/settings",
        zone=zone,
    )


async def send_digest(runtime: Runtime, user_id: int, brokerage_id: int, now: datetime) -> bool:
    """Claim the user's digest of the day, render it and send it; False when it was not sent
    (already claimed, nothing to tell, opted out or a failed delivery)."""
    async with runtime.session() as session:
        recipient = await repository.recipient(session, user_id)
        if recipient is None:
            return False
        day, _, _ = local_day(now, ZoneInfo(recipient.timezone))
        digest_id = await repository.claim(session, user_id, brokerage_id, day)
        await commit(session)  # from here the row is SENDING: no other sweep sends it
    if digest_id is None:
        return False
    async with runtime.session() as session:
        try:
            content = await content_for(session, runtime, recipient, now)
        except Exception:
            await session.rollback()
            await repository.finish(session, digest_id, DigestStatus.PENDING, error="not built")
            await commit(session)
            raise
        if content.empty:
            await repository.finish(session, digest_id, DigestStatus.SKIPPED)
            await commit(session)
            return False
        rendered = render(content)
        email = broker_email(
            runtime,
            to=recipient.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            kind="digest",
        )
        try:
            await send_broker_email(runtime, email)
        except TransientFailure as exc:
            # Not delivered: PENDING again, so a later sweep of the morning tries once more.
            await repository.finish(session, digest_id, DigestStatus.PENDING, error=str(exc))
            await commit(session)
            return False
        except PermanentFailure as exc:
            await repository.finish(session, digest_id, DigestStatus.FAILED, error=str(exc))
            await commit(session)
            return False
        except DeliveryUnknown as exc:
            # The server may have it: stays SENDING (never sent twice), with the reason.
            await repository.finish(session, digest_id, DigestStatus.SENDING, error=str(exc))
            await commit(session)
            return False
        await repository.finish(
            session,
            digest_id,
            DigestStatus.SENT,
            subject=rendered.subject,
            body=rendered.text,
            sent_at=utcnow(),
        )
        await commit(session)
    return True


async def send_due_digests(runtime: Runtime, now: datetime) -> int:
    """Every digest due at `now`: time zones where it is between 8:00 and noon."""
    sent = 0
    async with runtime.session() as session:
        zones = await repository.time_zones(session)
    for name in zones:
        zone = ZoneInfo(name)
        if not due(now, zone):
            continue
        day, _, _ = local_day(now, zone)
        async with runtime.session() as session:
            users = await repository.due_users(session, name, day, BATCH)
        for user_id, brokerage_id in users:
            try:
                sent += await send_digest(runtime, user_id, brokerage_id, now)
            except Exception:  # one broker's digest never holds up the others'
                log.exception("morning digest of user %s failed", user_id)
    return sent
