"""Teams' flows: they take the runtime and own their transactions."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.uow import commit
from app.teams import repository
from app.teams.models import NoticeStatus
from app.teams.notices import send_notice

log = logging.getLogger("brscale.teams")


async def deliver_notices(runtime: Runtime, notice_ids: Sequence[int]) -> int:
    """Send the queued notices; a failure is kept on the row (the team's notices are not
    retried: the task they announce stays in the dashboard)."""
    sent = 0
    for notice_id in notice_ids:
        async with runtime.session() as session:
            notice = await repository.claim_notice(session, notice_id)
            if notice is None:
                continue
            notice.attempts += 1
            try:
                await send_notice(runtime, notice)
            except Exception as exc:  # a vendor's error: recorded, never raised into the job
                log.warning("staff notice %s failed: %s", notice.id, exc)
                notice.status, notice.error = NoticeStatus.FAILED, str(exc)[:500]
            else:
                notice.status, notice.sent_at = NoticeStatus.SENT, utcnow()
                sent += 1
            await commit(session)
    return sent
