"""Conversations: list them, let a partner's channel deliver a reply, approve drafts, take over."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.conversations import broker_tasks, flows
from app.conversations.inbound import receive_lead_message
from app.conversations.models import BrokerTask as BrokerTaskRow
from app.conversations.models import Conversation as ConversationRow
from app.conversations.models import TaskStatus as TaskStatusValue
from app.core.errors import BadUserInput
from app.core.tenancy import get_scoped, scoped
from app.core.visibility import whole_brokerage
from app.properties.models import Property as PropertyRow
from graphql_schema.context import Info
from graphql_schema.conversations.types import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    ReceiveLeadMessageInput,
    TaskKind,
    TaskStatus,
)
from graphql_schema.relay import Connection, decode_id, encode_id, paginate


async def _conversation(info: Info, conversation_id: int) -> Conversation:
    principal = info.context.caller()
    async with info.context.runtime.session() as session:
        row = await get_scoped(
            session, ConversationRow, principal.brokerage_id, conversation_id, what="Conversation"
        )
    return Conversation.from_row(row)


@strawberry.type(description="A draft `approveMessages` did not approve.")
class RefusedMessage:
    message_id: strawberry.ID
    code: str = strawberry.field(description="NOT_FOUND, CONFLICT, ... as an error's code.")
    message: str


@strawberry.type(description="What `approveMessages` did.")
class ApprovedMessages:
    conversations: list[Conversation] = strawberry.field(
        description="The conversations whose drafts went out, in the order asked."
    )
    refused: list[RefusedMessage] = strawberry.field(
        description="The drafts that were not approved, each with why."
    )


@strawberry.type
class ConversationsQuery:
    @strawberry.field(description="Newest first; filter by status and listing.")
    async def conversations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: ConversationStatus | None = None,  # type: ignore[valid-type]
        property_id: strawberry.ID | None = None,
    ) -> Connection[Conversation]:
        principal = info.context.require("conversations:read")
        stmt = scoped(ConversationRow, principal.brokerage_id)
        if status is not None:
            stmt = stmt.where(ConversationRow.status == status)
        if property_id is not None:
            listing = decode_id(property_id, "Property")
            await get_scoped(
                info.context.session, PropertyRow, principal.brokerage_id, listing, what="Property"
            )
            stmt = stmt.where(ConversationRow.property_id == listing)
        return await paginate(
            info.context.session,
            stmt,
            order=[ConversationRow.id],
            first=first,
            after=after,
            convert=Conversation.from_row,
        )

    @strawberry.field(
        description="Whom to call today: the agent's tasks for you, oldest first (open ones by "
        "default)."
    )
    async def broker_tasks(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: TaskStatus | None = TaskStatusValue.OPEN,  # type: ignore[valid-type]
        kind: TaskKind | None = None,  # type: ignore[valid-type]
        property_id: strawberry.ID | None = None,
        done: Annotated[bool | None, strawberry.argument(deprecation_reason="Use status.")] = None,
    ) -> Connection[BrokerTask]:
        principal = info.context.require("conversations:read")
        stmt = scoped(BrokerTaskRow, principal.brokerage_id)
        if done is not None:
            stmt = stmt.where(
                BrokerTaskRow.status != TaskStatusValue.OPEN
                if done
                else BrokerTaskRow.status == TaskStatusValue.OPEN
            )
        elif status is not None:
            stmt = stmt.where(BrokerTaskRow.status == status)
        if kind is not None:
            stmt = stmt.where(BrokerTaskRow.kind == kind)
        if property_id is not None:
            stmt = stmt.where(BrokerTaskRow.property_id == decode_id(property_id, "Property"))
        return await paginate(
            info.context.session,
            stmt,
            order=[BrokerTaskRow.id],
            first=first,
            after=after,
            convert=BrokerTask.from_row,
        )


@strawberry.type
class ConversationsMutation:
    @strawberry.mutation(
        description="A reply your own channel received; it resumes exactly that conversation."
    )
    async def receive_lead_message(
        self, info: Info, input: ReceiveLeadMessageInput
    ) -> Conversation:
        principal = info.context.require("conversations:write")
        conversation_id = decode_id(input.conversation_id, "Conversation")
        if not input.body.strip():
            raise BadUserInput("The message body is empty.")
        async with info.context.runtime.session() as session:
            await get_scoped(
                session,
                ConversationRow,
                principal.brokerage_id,
                conversation_id,
                what="Conversation",
            )
        # Checked above as the caller; the conversation's own work sees the whole brokerage
        # (an agent's filter must not hide, say, the listing's other viewings from the calendar).
        with whole_brokerage():
            await receive_lead_message(
                info.context.runtime, conversation_id, input.channel, input.body
            )
        return await _conversation(info, conversation_id)

    @strawberry.mutation(description="Mark a task done (or open again with done: false).")
    async def complete_broker_task(
        self, info: Info, id: strawberry.ID, done: bool = True
    ) -> BrokerTask:
        principal = info.context.require("conversations:write")
        task = await broker_tasks.set_task_done(
            info.context.session, principal.brokerage_id, decode_id(id, "BrokerTask"), done
        )
        await info.context.commit()
        return BrokerTask.from_row(task)

    @strawberry.mutation(
        description="Answer the lead's question from its task: the answer goes to the lead in "
        "their conversation, on the channel they last wrote from, and the task is done."
    )
    async def answer_broker_task(self, info: Info, id: strawberry.ID, answer: str) -> BrokerTask:
        principal = info.context.require("conversations:write")
        task = await broker_tasks.answer_task(
            info.context.session, principal.brokerage_id, decode_id(id, "BrokerTask"), answer
        )
        await info.context.commit()
        return BrokerTask.from_row(task)

    @strawberry.mutation(
        description="Send the drafted message, with your edits if you give a body."
    )
    async def approve_message(
        self, info: Info, id: strawberry.ID, body: str | None = None
    ) -> Conversation:
        principal = info.context.require("conversations:write")
        conversation_id = await flows.decide_draft(
            info.context.runtime, principal, decode_id(id, "Message"), approved=True, body=body
        )
        return await _conversation(info, conversation_id)

    @strawberry.mutation(
        description="Send many drafted messages as they are (at most 500): each is approved on "
        "its own, so one that cannot be (already decided, not found) is listed in `refused` "
        "and the others go out."
    )
    async def approve_messages(self, info: Info, ids: list[strawberry.ID]) -> ApprovedMessages:
        principal = info.context.require("conversations:write")
        conversation_ids, refused = await flows.approve_drafts(
            info.context.runtime, principal, [decode_id(i, "Message") for i in ids]
        )
        async with info.context.runtime.session() as session:
            rows = {
                row.id: row
                for row in (
                    await session.scalars(
                        scoped(ConversationRow, principal.brokerage_id).where(
                            ConversationRow.id.in_(conversation_ids)
                        )
                    )
                )
            }
        return ApprovedMessages(
            conversations=[Conversation.from_row(rows[i]) for i in conversation_ids if i in rows],
            refused=[
                RefusedMessage(
                    message_id=strawberry.ID(encode_id("Message", r.message_id)),
                    code=r.code,
                    message=r.message,
                )
                for r in refused
            ],
        )

    @strawberry.mutation(description="Discard the drafted message; the conversation closes.")
    async def reject_message(self, info: Info, id: strawberry.ID) -> Conversation:
        principal = info.context.require("conversations:write")
        conversation_id = await flows.decide_draft(
            info.context.runtime, principal, decode_id(id, "Message"), approved=False
        )
        return await _conversation(info, conversation_id)

    @strawberry.mutation(
        description="You talk to this lead now: the AI stays silent on this conversation."
    )
    async def take_over_conversation(self, info: Info, id: strawberry.ID) -> Conversation:
        principal = info.context.require("conversations:write")
        conversation_id = await flows.set_taken_over(
            info.context.runtime, principal, decode_id(id, "Conversation"), True
        )
        return await _conversation(info, conversation_id)

    @strawberry.mutation(
        description="Give the conversation back to the AI; replies that came meanwhile get "
        "answered."
    )
    async def hand_back_conversation(self, info: Info, id: strawberry.ID) -> Conversation:
        principal = info.context.require("conversations:write")
        conversation_id = await flows.set_taken_over(
            info.context.runtime, principal, decode_id(id, "Conversation"), False
        )
        return await _conversation(info, conversation_id)
