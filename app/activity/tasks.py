"""The activity history's retention sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.activity import repository
from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.core.uow import commit


@periodic(every_seconds=3600)
async def prune_activity(ctx: dict[str, Any]) -> int:
    """Forget events older than the retention (a subscriber away that long re-reads the lists)."""
    runtime: Runtime = ctx["runtime"]
    before = utcnow() - timedelta(days=runtime.settings.activity_retention_days)
    async with runtime.session() as session:
        removed = await repository.prune(session, before)
        await commit(session)
    return removed
