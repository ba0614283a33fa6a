"""The demo: import a messy CSV, list a property, let the agent reach the matches, play a few
replies, and print what a broker would see on the dashboard."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from app.accounts.service import sign_up
from app.conversations.inbound import receive_lead_message
from app.conversations.models import BrokerTask, Conversation, ConversationStatus
from app.core.config import Settings
from app.core.runtime import Runtime, open_runtime
from app.core.uow import commit
from app.leads import repository
from app.leads.importer import ImportOptions, create_import, run_import
from app.leads.models import Lead
from app.matching.models import Match
from app.messaging.models import Channel, Direction, Message
from app.properties.models import ListingOperation
from app.properties.service import PropertyFields, create_property

SAMPLE = Path(__file__).with_name("sample_leads.csv")
REPLIES = (
    "¡Me encanta! ¿La puedo ver el sábado en la mañana?",
    "¿Cuánto es de mantenimiento? ¿Aceptan mascotas?",
    "No me interesa, ya compré otra. Gracias",
)


async def run_demo(settings: Settings, console: Console) -> None:
    data_dir = settings.data_dir / "demo"
    shutil.rmtree(data_dir, ignore_errors=True)
    demo_settings = settings.model_copy(
        update={"data_dir": data_dir, "database_url": None, "redis_url": None}
    )
    async with open_runtime(demo_settings) as runtime:
        brokerage_id = await _brokerage(runtime)
        await _import(runtime, brokerage_id, console)
        property_id = await _list_property(runtime, brokerage_id, console)
        await runtime.drain_jobs()
        await _show_matches(runtime, property_id, console)
        await _play_replies(runtime, property_id, console)
        await runtime.drain_jobs()  # the answers reach the outbox before the figures
        await _dashboard(runtime, brokerage_id, console)
    console.print(f"\nEverything the agent sent is in [bold]{data_dir / 'outbox.jsonl'}[/].")


async def _brokerage(runtime: Runtime) -> int:
    async with runtime.session() as session:
        result = await sign_up(
            session,
            runtime.tokens,
            email="demo@brscale.example",
            password="demo-password",
            name="Ana Broker",
            brokerage_name="Casa Demo",
        )
        await commit(session)
        return result.user.brokerage_id


async def _import(runtime: Runtime, brokerage_id: int, console: Console) -> None:
    async with runtime.session() as session:
        record = await create_import(session, brokerage_id, SAMPLE.name)
        await commit(session)
    done = await run_import(runtime, record.id, SAMPLE, ImportOptions(default_region="MX"))
    async with runtime.session() as session:
        problems = await repository.import_errors(session, done.id, limit=5)
    console.rule("1. Import")
    console.print(
        f"{done.total_rows} rows: {done.imported} new leads, {done.updated} updated, "
        f"{done.duplicates} duplicates merged, {done.error_count} problems reported"
    )
    for error in problems:
        console.print(f"  line {error['line']} [{error['column'] or 'row'}]: {error['message']}")


async def _list_property(runtime: Runtime, brokerage_id: int, console: Console) -> int:
    async with runtime.session() as session:
        listing = await create_property(
            session,
            brokerage_id,
            PropertyFields(
                title="Departamento con terraza en Condesa",
                location="Condesa",
                city="Ciudad de México",
                price=8_500_000,
                operation=ListingOperation.SALE,
                bedrooms=2,
                bathrooms=2,
                description=(
                    "Piso 4 con terraza y un estacionamiento; se aceptan mascotas. "
                    "Mantenimiento $3,500 al mes."
                ),
            ),
        )
        await commit(session)
    console.rule("2. New listing")
    console.print(
        f"{listing.title}, ${listing.price:,} {listing.currency}: matching and outreach start"
    )
    return listing.id


async def _show_matches(runtime: Runtime, property_id: int, console: Console) -> None:
    async with runtime.session() as session:
        rows = (
            await session.execute(
                select(Lead.name, Match.score, Match.tier, Match.breakdown, Conversation.channels)
                .join(Lead, Lead.id == Match.lead_id)
                .outerjoin(
                    Conversation,
                    (Conversation.lead_id == Match.lead_id)
                    & (Conversation.property_id == property_id),
                )
                .where(Match.property_id == property_id)
                .order_by(Match.score.desc())
            )
        ).all()
    table = Table("lead", "score", "tier", "why", "reached by", title="3. Matches")
    for name, score, tier, breakdown, channels in rows:
        why = ", ".join(f"{k} {v:g}" for k, v in breakdown.items() if v)
        table.add_row(
            name, f"{score:g}", tier.value, why, " + ".join(channels or []) or "no channel"
        )
    console.print(table)


async def _play_replies(runtime: Runtime, property_id: int, console: Console) -> None:
    async with runtime.session() as session:
        conversations = (
            await session.execute(
                select(Conversation.id, Lead.name, Lead.phone)
                .join(Lead, Lead.id == Conversation.lead_id)
                .join(
                    Match,
                    (Match.lead_id == Conversation.lead_id) & (Match.property_id == property_id),
                )
                .where(Conversation.property_id == property_id)
                .order_by(Match.score.desc(), Conversation.id)
                .limit(len(REPLIES))
            )
        ).all()
    console.rule("4. Leads reply")
    for (conversation_id, name, phone), text in zip(conversations, REPLIES, strict=False):
        channel = Channel.SMS if phone else Channel.EMAIL
        await receive_lead_message(runtime, conversation_id, channel, text)
        async with runtime.session() as session:
            conversation = await session.get(Conversation, conversation_id)
            answer = await session.scalar(
                select(Message.body)
                .where(
                    Message.conversation_id == conversation_id,
                    Message.direction == Direction.OUTBOUND,
                )
                .order_by(Message.id.desc())
                .limit(1)
            )
            inbound_intent = await session.scalar(
                select(Message.intent)
                .where(
                    Message.conversation_id == conversation_id,
                    Message.direction == Direction.INBOUND,
                )
                .order_by(Message.id.desc())
                .limit(1)
            )
        assert conversation is not None
        console.print(f"[bold]{name}[/]: {text}")
        console.print(
            f"  understood: {inbound_intent} -> {conversation.status.value}, "
            f"score {conversation.qualification_score}"
        )
        console.print(f"  agent: {answer.splitlines()[0] if answer else '(no answer)'} ...\n")


async def _dashboard(runtime: Runtime, brokerage_id: int, console: Console) -> None:
    async with runtime.session() as session:
        by_status = dict(
            (
                await session.execute(
                    select(Conversation.status, func.count())
                    .where(Conversation.brokerage_id == brokerage_id)
                    .group_by(Conversation.status)
                )
            ).all()
        )
        sent = await session.scalar(
            select(func.count()).where(
                Message.brokerage_id == brokerage_id, Message.direction == Direction.OUTBOUND
            )
        )
        tasks = (
            (
                await session.execute(
                    select(BrokerTask.title).where(BrokerTask.brokerage_id == brokerage_id)
                )
            )
            .scalars()
            .all()
        )
    console.rule("5. Dashboard")
    table = Table("figure", "value")
    table.add_row("conversations", str(sum(by_status.values())))
    for status in ConversationStatus:
        if by_status.get(status):
            table.add_row(f"  {status.value.lower()}", str(by_status[status]))
    table.add_row("messages sent", str(sent))
    table.add_row("tasks for the broker", str(len(tasks)))
    console.print(table)
    for title in tasks:
        console.print(f"  - {title}")
