"""Which failures are the infrastructure's, not the work's: a database or Redis connection that
dropped, a pool with nothing free. Work that failed on one of these is worth running again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
import psycopg
import redis.exceptions
import sqlalchemy.exc

log = logging.getLogger(__name__)
T = TypeVar("T")

_TRANSIENT: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # the connection is gone
    asyncpg.exceptions.OperatorInterventionError,  # pg_terminate_backend, shutdown, cancel
    asyncpg.exceptions.InterfaceError,  # "connection is closed"
    asyncpg.exceptions.TooManyConnectionsError,  # the server's (or role's) limit, for now
    psycopg.OperationalError,  # the checkpointer's connections (psycopg pool)
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection freed in time
    ConnectionError,
    TimeoutError,
)


def is_transient(exc: BaseException) -> bool:
    """True when `exc`, or what caused it, is a lost or unavailable connection."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _TRANSIENT):
            return True
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, sqlalchemy.exc.OperationalError) and "locked" in str(current):
            return True  # SQLite's single writer, busy past its timeout
        current = current.__cause__ or current.__context__
    return False


def lost_connection(exc: BaseException) -> bool:
    """A connection fault worth one more try at once: transient, but not a dry pool (which
    answers SERVICE_UNAVAILABLE at once rather than wait out the pool's timeout twice)."""
    return is_transient(exc) and not isinstance(exc, sqlalchemy.exc.TimeoutError)


def backoff_seconds(attempt: int, cap: float = 60.0) -> float:
    """2, 4, 8, 16... seconds after the 1st, 2nd, 3rd... failed attempt, at most `cap`."""
    return float(min(cap, 2**attempt))


async def retrying(
    action: Callable[..., Awaitable[T]], *args: Any, attempts: int = 5, first_wait: float = 0.25
) -> T:
    """Run `action(*args)`, again after a short doubling wait while it fails on a transient fault.

    For a write that must not be lost once its side effect happened (an SMS that went out
    must be marked SENT): a job retried from the start would not know what was sent.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await action(*args)
        except Exception as exc:
            if attempt == attempts or not is_transient(exc):
                raise
            log.warning(
                "transient fault, trying again", extra={"attempt": attempt, "error": repr(exc)}
            )
            await asyncio.sleep(first_wait * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
