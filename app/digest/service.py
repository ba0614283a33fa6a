"""The morning digest: at 8:00 in the brokerage's time zone, each person who wants it gets whom to
call today, what the AI did yesterday and the replies waiting for them; once per user and day.
The owner and admins read the whole brokerage; an agent reads their own leads, through the same
filter as everything else they read (`app.teams.visibility`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

import app.teams.visibility  # noqa: F401  (installs the agent's filter, in workers too)
from app.accounts.models import Role
from app.core.runtime import Runtime
from app.core.visibility import seen_by
from app.dashboard import repository as figures
from app.digest import repository
from app.digest.render import DigestContent, Yesterday

SEND_AT = time(8, 0)
# A digest is sent from 8:00 until noon, local time: a system down all morning sends no stale one.
SEND_UNTIL = time(12, 0)


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
