"""Whose rows the running operation may read: everyone's in the brokerage, or one agent's.

Set by the transport around each GraphQL operation of an AGENT (app.teams.visibility adds the
filter to every ORM query of that operation); jobs and everything else run with None.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

# The user id of the AGENT whose assigned leads (and what hangs off them) are all that reads
# return; None reads the whole brokerage (still scoped to it by app.core.tenancy).
visible_to_agent: ContextVar[int | None] = ContextVar("brscale_visible_to_agent", default=None)


@contextlib.contextmanager
def seen_by(agent_id: int | None) -> Iterator[None]:
    token = visible_to_agent.set(agent_id)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):  # finalized in another context
            visible_to_agent.reset(token)


@contextlib.contextmanager
def whole_brokerage() -> Iterator[None]:
    """Lift an agent's filter for rules that must see every row (deduplication, routing),
    after the caller's access was checked."""
    with seen_by(None):
        yield
