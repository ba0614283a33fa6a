"""The engine's checkpointer (`app.conversations.checkpointer`): upstream's saver without thread
hops, and a turn that reads its thread's checkpoint once."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from sqlalchemy import select

from app.conversations.engine import Engine, get_engine
from app.conversations.inbound import receive_lead_message
from app.conversations.models import Conversation
from app.core.runtime import Runtime
from app.messaging.models import Channel, Direction, Message
from tests.conftest import Api
from tests.conversations.test_dialogues import LEAD, _start

# The upstream methods `TurnPostgresSaver` copies (langgraph-checkpoint-postgres 3.2.0), and the
# one it wraps. A new version that changes them needs the copies looked at again.
UPSTREAM = {
    "aput": "c685c7a8c88b7431",
    "aput_writes": "a2970ab04a7d7d5d",
    "_load_checkpoint_tuple": "507a19e7faee9d0d",
    "aget_tuple": "9237b115b7ab3e9f",
}


def test_the_copied_upstream_methods_are_the_ones_installed() -> None:
    installed = {
        name: hashlib.sha256(
            inspect.getsource(getattr(AsyncPostgresSaver, name)).encode()
        ).hexdigest()[:16]
        for name in UPSTREAM
    }
    assert installed == UPSTREAM


@pytest.fixture
def checkpoint_reads(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[str]]:
    """The checkpointer's reads of a thread's latest checkpoint, as sent to PostgreSQL."""
    reads: list[str] = []
    execute = psycopg.AsyncCursor.execute

    async def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if "from checkpoints" in str(query) and "ORDER BY checkpoint_id DESC" in str(query):
            reads.append(str(query))
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counted)
    yield reads


async def test_a_reply_reads_its_threads_checkpoint_once_and_the_next_reply_reads_it_anew(
    api: Api, runtime: Runtime, checkpoint_reads: list[str]
) -> None:
    await _start(api, runtime, {"agentName": "Jorge", "formality": "TU", "language": "es"}, LEAD)
    async with runtime.session() as session:
        conversation_id = (await session.execute(select(Conversation.id))).scalar_one()
    engine: Engine = await get_engine(runtime)

    checkpoint_reads.clear()
    await receive_lead_message(runtime, conversation_id, Channel.SMS, "Hola, sí me interesa")
    assert len(checkpoint_reads) == 1  # where it waits; the run is given that checkpoint
    checkpoint_reads.clear()
    await receive_lead_message(runtime, conversation_id, Channel.SMS, "¿Cuántos baños tiene?")
    assert len(checkpoint_reads) == 1  # the first turn's write was seen: read again, once

    async with runtime.session() as session:
        answers = (
            (
                await session.execute(
                    select(Message.body)
                    .where(
                        Message.direction == Direction.OUTBOUND,
                        Message.idempotency_key.like("%:reply:%"),
                    )
                    .order_by(Message.id)
                )
            )
            .scalars()
            .all()
        )
    assert len(answers) == 2 and answers[-1].startswith("Tiene 2.5 baños.")
    # Each turn left the thread waiting for the next reply, at its latest checkpoint.
    async with runtime.session() as session:
        thread_id = (await session.execute(select(Conversation.thread_id))).scalar_one()
    assert await engine.waiting_on(thread_id) == "wait"
    history = [s async for s in engine.graph.aget_state_history(engine.config(thread_id))]
    assert history[0].values["event"] == {"kind": "reply"}
