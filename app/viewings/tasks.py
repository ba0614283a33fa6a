"""The viewing sweep: the day-before reminders that are due, each sent once."""

from __future__ import annotations

from typing import Any

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.core.uow import commit
from app.viewings import repository, service

SWEEP_LIMIT = 500


@periodic(every_seconds=300)
async def send_viewing_reminders(ctx: dict[str, Any]) -> int:
    """Remind leads of tomorrow's viewings. Each reminder is claimed on its row and committed
    with its outbox rows, so overlapping sweeps or a re-run never send one twice."""
    runtime: Runtime = ctx["runtime"]
    now = utcnow()
    sent = 0
    async with runtime.session() as session:
        due = await repository.due_reminders(session, now, SWEEP_LIMIT)
    for viewing_id in due:
        async with runtime.session() as session:
            if await service.send_reminder(session, viewing_id, now):
                sent += 1
            await commit(session)
    return sent
