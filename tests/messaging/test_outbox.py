"""queue_messages: one row per step, suppression, quiet hours in the lead's zone, caps, drafts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.messaging.outbox import discard_drafts, release_drafts
from app.messaging.rules import Caps, lead_time_zones, next_sending_time, next_time_under_caps
from tests.messaging.conftest import World, make_world, queue_message


async def queue(runtime: Runtime, world: World, key: str, channel: Channel = Channel.EMAIL, **kw):
    async with runtime.session() as session:
        lead = await session.get(Lead, world.lead.id)
        message = await queue_message(
            session,
            conversation=world.conversation,
            lead=lead,
            channel=channel,
            body="Hola Lucía, tengo un depto para usted.",
            subject=None,
            key=key,
            **kw,
        )
        await commit(session)
        return message


async def test_one_key_gives_one_row_even_when_two_runs_race(
    backend: str, runtime: Runtime, world: World
):
    first = await queue(runtime, world, "conv:1:step:1:EMAIL")
    again = await queue(runtime, world, "conv:1:step:1:EMAIL")
    raced = await asyncio.gather(*(queue(runtime, world, "conv:1:step:2:EMAIL") for _ in range(4)))

    assert again.id == first.id
    assert len({m.id for m in raced}) == 1
    async with runtime.session() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 2


async def test_an_opted_out_lead_or_a_missing_address_is_suppressed_at_once(runtime: Runtime):
    world = await make_world(runtime, phone=None)
    no_phone = await queue(runtime, world, "k:sms", Channel.SMS)
    async with runtime.session() as session:
        lead = await session.get(Lead, world.lead.id)
        lead.opted_out = True
        await session.commit()
    opted_out = await queue(runtime, world, "k:email", Channel.EMAIL)

    assert (no_phone.status, no_phone.error) == (
        MessageStatus.SUPPRESSED,
        "the lead has no phone",
    )
    assert (opted_out.status, opted_out.error) == (MessageStatus.SUPPRESSED, "the lead opted out")


def test_quiet_hours_follow_the_phone_region_at_one_instant():
    # 22:30 in Mexico City is 05:30 the next morning in Madrid (and 04:30 in the Canaries).
    instant = datetime(2026, 3, 3, 4, 30, tzinfo=UTC)
    mexico = lead_time_zones("+525512345678", "UTC")
    madrid = lead_time_zones("+34911234567", "UTC")

    assert mexico == (ZoneInfo("America/Mexico_City"),)
    assert next_sending_time(instant, mexico) == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    assert next_sending_time(instant, madrid) == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    # At 12:00 UTC both are awake (06:00 Mexico City is not): only Madrid may be texted.
    noon = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert next_sending_time(noon, madrid) == noon
    assert next_sending_time(noon, mexico) == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def test_a_number_spanning_zones_waits_for_the_latest_morning_and_unknown_uses_brokerage():
    spain_mobile = lead_time_zones("+34612345678", "UTC")
    assert set(spain_mobile) == {ZoneInfo("Europe/Madrid"), ZoneInfo("Atlantic/Canary")}
    # 07:30 UTC: 08:30 in Madrid but 07:30 in the Canaries -> 08:00 UTC.
    early = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)
    assert next_sending_time(early, spain_mobile) == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert lead_time_zones(None, "Europe/Lisbon") == (ZoneInfo("Europe/Lisbon"),)


async def test_sms_queued_at_night_is_deferred_to_the_leads_morning_not_dropped(runtime: Runtime):
    mexico = await make_world(runtime, phone="+525512345678")
    madrid = await make_world(runtime, phone="+34911234567", email="pepe@example.es")
    with time_machine.travel(datetime(2026, 3, 3, 4, 30, tzinfo=UTC), tick=True):
        to_mexico = await queue(runtime, mexico, "mx:sms", Channel.SMS)
        to_madrid = await queue(runtime, madrid, "es:sms", Channel.SMS)
        email = await queue(runtime, mexico, "mx:email", Channel.EMAIL)

    assert to_mexico.status is MessageStatus.QUEUED
    assert to_mexico.deliver_after == datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    assert to_madrid.deliver_after == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    # Email has no quiet hours.
    assert email.deliver_after is not None
    assert email.deliver_after < datetime(2026, 3, 3, 4, 31, tzinfo=UTC)


def test_caps_defer_to_when_the_oldest_message_leaves_the_window():
    start = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    sent = [start - timedelta(hours=h) for h in (20, 10, 1)]
    assert next_time_under_caps(start, sent, Caps(per_day=3, per_week=6)) == start + timedelta(
        hours=4
    )
    # One a day at 11:00 from Feb 26 to Mar 3: the seventh waits until Feb 26's is a week old.
    week = [start - timedelta(days=d, hours=1) for d in range(6)]
    assert next_time_under_caps(start, week, Caps(per_day=3, per_week=6)) == datetime(
        2026, 3, 5, 11, 0, tzinfo=UTC
    )


async def test_the_fourth_email_in_a_day_waits_for_tomorrow(runtime: Runtime, world: World):
    with time_machine.travel(datetime(2026, 3, 3, 15, 0, tzinfo=UTC), tick=False):
        rows = [await queue(runtime, world, f"cap:{i}") for i in range(4)]

    now = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    assert [r.deliver_after for r in rows] == [now, now, now, now + timedelta(days=1)]


async def test_a_reply_lifts_the_caps_for_its_own_conversation_only(runtime: Runtime, world: World):
    """A lead who replied gets answers at once, but a first message about another listing
    still waits under the per-lead caps (a reply is not an invitation to every campaign)."""
    other = await make_world(runtime, brokerage=world.brokerage, lead=world.lead)
    now = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        for i in range(3):
            await queue(runtime, world, f"sent:{i}")
        async with runtime.session() as session:
            session.add(
                Message(
                    brokerage_id=world.brokerage.id,
                    conversation_id=world.conversation.id,
                    lead_id=world.lead.id,
                    direction=Direction.INBOUND,
                    channel=Channel.EMAIL,
                    status=MessageStatus.RECEIVED,
                    body="¿Sigue disponible?",
                    idempotency_key="inbound:1",
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
            )
            await session.commit()
        answer = await queue(runtime, world, "answer")
        new_listing = await queue(runtime, other, "first-message-of-another-listing")

    assert answer.deliver_after == now
    assert new_listing.deliver_after == now + timedelta(days=1)


async def test_drafts_wait_for_the_broker_then_go_with_the_edit_or_never(runtime: Runtime):
    approved = await make_world(runtime)
    rejected = await make_world(runtime, email="otro@example.com", phone="+525511112222")
    draft = await queue(runtime, approved, "d:1", draft=True)
    other = await queue(runtime, rejected, "d:2", draft=True)
    assert (draft.status, other.status) == (MessageStatus.DRAFT, MessageStatus.DRAFT)

    async with runtime.session() as session:
        [released] = await release_drafts(session, approved.conversation.id, "Texto editado")
        [discarded] = await discard_drafts(session, rejected.conversation.id)
        await commit(session)

    assert (released.status, released.body) == (MessageStatus.QUEUED, "Texto editado")
    assert released.deliver_after is not None
    assert (discarded.status, discarded.error) == (
        MessageStatus.SUPPRESSED,
        "rejected by the broker",
    )
