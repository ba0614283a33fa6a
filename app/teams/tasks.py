"""The team's jobs: delivering notices to its people."""

from __future__ import annotations

from typing import Any

from app.core.jobs import task
from app.core.runtime import Runtime
from app.teams.notices import deliver_notices


@task  # registered by its name, DELIVER_NOTICES
async def deliver_staff_notices(ctx: dict[str, Any], notice_ids: list[int]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await deliver_notices(runtime, notice_ids)
