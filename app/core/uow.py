"""Unit of work: side effects (jobs, published events) leave only after the transaction commits.

Services flush and register what should happen after the commit; the edge (a GraphQL mutation, a
job, a webhook) calls `commit()`, which commits and then runs them in order. A rollback drops them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

AfterCommit = Callable[[], Awaitable[Any]]
_KEY = "after_commit"
_BATCHES = "after_commit_batches"


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    session.info.setdefault(_KEY, []).append(action)


def after_commit_batch(
    session: AsyncSession, name: str, item: Any, flush: Callable[[list[Any]], Awaitable[Any]]
) -> None:
    """Collect `item` under `name`; after the commit, `flush` runs once with all of them."""
    batches: dict[str, list[Any]] = session.info.setdefault(_BATCHES, {})
    if name not in batches:
        items: list[Any] = []
        batches[name] = items

        async def send() -> None:
            batches.pop(name, None)
            await flush(items)

        after_commit(session, send)
    batches[name].append(item)


async def commit(session: AsyncSession) -> None:
    await session.commit()
    actions: list[AfterCommit] = session.info.pop(_KEY, [])
    for action in actions:
        await action()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_BATCHES, None)
