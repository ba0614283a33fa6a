"""What answering one reply costs the database: the statements and transactions of
`receive_lead_message` from the reply's arrival to its answer in the outbox (docs: the reply
benchmark, p95 < 300 ms at 25 replies a second, is bound by these round trips)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event, select

from app.conversations.inbound import receive_lead_message
from app.conversations.models import Conversation
from app.core.runtime import Runtime
from app.messaging.models import Channel, Direction, Message
from tests.conftest import Api
from tests.conversations.test_dialogues import LEAD, _start

TU = {"agentName": "Jorge", "formality": "TU", "language": "es"}


@contextlib.contextmanager
def sql_sent(runtime: Runtime) -> Iterator[dict[str, list[str]]]:
    """The app engine's statements, and the transactions it opened (a connection in
    autocommit sends no BEGIN: its statements are not counted as transactions)."""
    sent: dict[str, list[str]] = {"statements": [], "transactions": []}
    engine = runtime.engine.sync_engine

    def statement(_conn: Any, _cursor: Any, text: str, *_: Any) -> None:
        sent["statements"].append(" ".join(text.split()))

    def begin(conn: Any) -> None:
        if conn.get_isolation_level() != "AUTOCOMMIT" and (
            conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"
        ):
            sent["transactions"].append(sent["statements"][-1] if sent["statements"] else "")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)


async def _answers(runtime: Runtime, conversation_id: int) -> list[str]:
    async with runtime.session() as session:
        stmt = (
            select(Message.body)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.OUTBOUND,
                Message.idempotency_key.like("%:reply:%"),
            )
            .order_by(Message.id)
        )
        return list((await session.execute(stmt)).scalars())


async def test_a_reply_is_answered_in_few_statements_and_transactions(
    api: Api, runtime: Runtime
) -> None:
    await _start(api, runtime, TU, LEAD)
    async with runtime.session() as session:
        conversation_id = (await session.execute(select(Conversation.id))).scalar_one()
    await receive_lead_message(runtime, conversation_id, Channel.SMS, "Hola, sí me interesa")

    with sql_sent(runtime) as sent:
        await receive_lead_message(runtime, conversation_id, Channel.SMS, "¿Cuántos baños tiene?")

    assert (await _answers(runtime, conversation_id))[-1].startswith("Tiene 2.5 baños.")
    statements = sent["statements"]
    # Recorded (3: the conversation, the message, the lead's contact time), its LEAD_REPLIED
    # event (3: lock and webhooks, insert, unlock), the turn (9: load, unanswered replies,
    # their intent, an open viewing, the transcript, conversation, lead, numbers texted, the
    # answer) and the look for replies that came meanwhile (1).
    assert len(statements) <= 16, "\n".join(statements)
    # The reply, its event, the turn: the checks around them need no transaction of their own.
    assert len(sent["transactions"]) <= 3, sent["transactions"]
    # An answer to a reply needs no send history: the lead who just wrote is not capped.
    assert not [s for s in statements if "max(messages.created_at)" in s]
    # Replies that came meanwhile are looked for once, after the turn (not before: the reply
    # just recorded is unanswered).
    assert len([s for s in statements if "taken_over IS false AND (EXISTS" in s]) == 1
