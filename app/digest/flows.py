"""The morning digest's sweep: claim each due user's digest of the day, build and send it, and
record how it went; every step is its own transaction (`service.py` builds the content)."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.uow import commit
from app.digest import repository
from app.digest.models import DigestStatus
from app.digest.render import render
from app.digest.service import content_for, due, local_day
from app.messaging.broker_mail import broker_email, send_broker_email
from integrations.messaging import DeliveryUnknown, PermanentFailure, TransientFailure

log = logging.getLogger("app.digest.service")

BATCH = 200


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
