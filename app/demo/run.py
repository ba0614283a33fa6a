"""The demo: import a messy CSV, list a property, let the agent reach the matches, play a few
replies, and print what a broker would see on the dashboard."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

from app.conversations.inbound import receive_lead_message
from app.conversations.models import Conversation, ConversationStatus
from app.core.config import Settings
from app.core.runtime import Runtime, open_runtime
from app.demo import flows, repository
from app.leads import repository as leads_repository
from app.messaging.models import Channel, Direction
from app.properties.models import ListingOperation
from app.properties.service import PropertyFields

SAMPLE = Path(__file__).with_name("sample_leads.csv")
REPLIES = (
    "¡Me encanta! ¿La puedo ver el sábado en la mañana?",
    "¿Cuánto es de mantenimiento? ¿Aceptan mascotas?",
    "No me interesa, ya compré otra. Gracias",
)
LISTING = PropertyFields(
    title="Departamento con terraza en Condesa",
    location="Condesa",
    city="Ciudad de México",
    price=8_500_000,
    operation=ListingOperation.SALE,
    bedrooms=2,
    bathrooms=2,
    description=(
        "Piso 4 con terraza y un estacionamiento; se aceptan mascotas. Mantenimiento $3,500 al mes."
    ),
)


async def run_demo(settings: Settings, console: Console) -> None:
    data_dir = settings.data_dir / "demo"
    shutil.rmtree(data_dir, ignore_errors=True)
    demo_settings = settings.model_copy(
        update={"data_dir": data_dir, "database_url": None, "redis_url": None}
    )
    async with open_runtime(demo_settings) as runtime:
        brokerage_id = await flows.create_brokerage(runtime)
        await _import(runtime, brokerage_id, console)
        property_id = await _list_property(runtime, brokerage_id, console)
        await runtime.drain_jobs()
        await _show_matches(runtime, property_id, console)
        await _play_replies(runtime, property_id, console)
        await runtime.drain_jobs()  # the answers reach the outbox before the figures
        await _dashboard(runtime, brokerage_id, console)
    console.print(f"\nEverything the agent sent is in [bold]{data_dir / 'outbox.jsonl'}[/].")


async def _import(runtime: Runtime, brokerage_id: int, console: Console) -> None:
    done = await flows.import_file(runtime, brokerage_id, SAMPLE)
    async with runtime.session() as session:
        problems = await leads_repository.import_errors(session, done.id, limit=5)
    console.rule("1. Import")
    console.print(
        f"{done.total_rows} rows: {done.imported} new leads, {done.updated} updated, "
        f"{done.duplicates} duplicates merged, {done.error_count} problems reported"
    )
    for error in problems:
        console.print(f"  line {error['line']} [{error['column'] or 'row'}]: {error['message']}")


async def _list_property(runtime: Runtime, brokerage_id: int, console: Console) -> int:
    listing = await flows.list_property(runtime, brokerage_id, LISTING)
    console.rule("2. New listing")
    console.print(
        f"{listing.title}, ${listing.price:,} {listing.currency}: matching and outreach start"
    )
    return listing.id


async def _show_matches(runtime: Runtime, property_id: int, console: Console) -> None:
    async with runtime.session() as session:
        rows = await repository.matches_of(session, property_id)
    table = Table("lead", "score", "tier", "why", "reached by", title="3. Matches")
    for name, score, tier, breakdown, channels in rows:
        why = ", ".join(f"{k} {v:g}" for k, v in breakdown.items() if v)
        table.add_row(
            name, f"{score:g}", tier.value, why, " + ".join(channels or []) or "no channel"
        )
    console.print(table)


async def _play_replies(runtime: Runtime, property_id: int, console: Console) -> None:
    async with runtime.session() as session:
        conversations = await repository.best_matched_conversations(
            session, property_id, len(REPLIES)
        )
    console.rule("4. Leads reply")
    for (conversation_id, name, phone), text in zip(conversations, REPLIES, strict=False):
        channel = Channel.SMS if phone else Channel.EMAIL
        await receive_lead_message(runtime, conversation_id, channel, text)
        async with runtime.session() as session:
            conversation = await session.get(Conversation, conversation_id)
            answered = await repository.last_message(session, conversation_id, Direction.OUTBOUND)
            read = await repository.last_message(session, conversation_id, Direction.INBOUND)
        answer = answered.body if answered else None
        inbound_intent = read.intent if read else None
        assert conversation is not None
        console.print(f"[bold]{name}[/]: {text}")
        console.print(
            f"  understood: {inbound_intent} -> {conversation.status.value}, "
            f"score {conversation.qualification_score}"
        )
        console.print(f"  agent: {answer.splitlines()[0] if answer else '(no answer)'} ...\n")


async def _dashboard(runtime: Runtime, brokerage_id: int, console: Console) -> None:
    async with runtime.session() as session:
        by_status = await repository.conversations_by_status(session, brokerage_id)
        sent = await repository.messages_sent(session, brokerage_id)
        tasks = await repository.task_titles(session, brokerage_id)
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
