"""The morning digest sweep: every minute, the digests due at 8:00 somewhere, each sent once."""

from __future__ import annotations

from typing import Any

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.digest import flows


@periodic(every_seconds=60)
async def send_morning_digests(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await flows.send_due_digests(runtime, utcnow())
