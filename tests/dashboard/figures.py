"""A brokerage whose every dashboard figure is known by construction: each row is written with
its own time, so each count below can be checked by reading this file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.conversations.models import Conversation, ConversationStatus, thread_id_for
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import ImportStatus, Lead, LeadImport
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.properties.models import ListingOperation, Property
from app.viewings.models import Viewing, ViewingStatus

# Monday 7 December 2026, 18:00 UTC: noon in Mexico City (the brokerage's time zone).
NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@dataclass
class Built:
    listings: dict[str, int] = field(default_factory=dict)
    leads: dict[str, int] = field(default_factory=dict)
    conversations: dict[str, int] = field(default_factory=dict)


async def build(runtime: Runtime, brokerage_id: int) -> Built:
    """Listings P1 (sale), P2 (rent), P3 (no result); conversations c1..c11; viewings; imports."""
    built = Built()
    async with runtime.session() as session:
        listings = {
            "P1": Property(
                brokerage_id=brokerage_id,
                title="Casa en Polanco",
                location="Polanco",
                location_key="polanco",
                price=5_000_000,
                currency="MXN",
                operation=ListingOperation.SALE,
            ),
            "P2": Property(
                brokerage_id=brokerage_id,
                title="Depa en Roma",
                location="Roma Norte",
                location_key="roma norte",
                price=25_000,
                currency="MXN",
                operation=ListingOperation.RENT,
            ),
            "P3": Property(
                brokerage_id=brokerage_id,
                title="Casa en Coyoacán",
                location="Coyoacán",
                location_key="coyoacan",
                price=7_000_000,
                currency="MXN",
                operation=ListingOperation.SALE,
            ),
        }
        session.add_all(listings.values())
        await session.flush()
        built.listings = {name: p.id for name, p in listings.items()}

        # name: (listing, status, score, qualified_at, last contact, messages)
        # messages: (direction, status, age, step); step names the outbox key's step.
        out, inb = Direction.OUTBOUND, Direction.INBOUND
        sent, rcvd, draft = MessageStatus.SENT, MessageStatus.RECEIVED, MessageStatus.DRAFT
        S = ConversationStatus
        plan: dict[str, tuple] = {
            # answered by the agent: the status went back to WAITING, still responding
            "c1": (
                "P1",
                S.WAITING,
                40,
                None,
                NOW - DAY,
                [
                    (out, sent, 3 * DAY, "first"),
                    (inb, rcvd, 2 * DAY, None),
                    (out, sent, 2 * DAY - timedelta(minutes=1), "reply:1"),
                ],
            ),
            "c2": (
                "P1",
                S.RESPONDING,
                50,
                None,
                NOW - 40 * DAY,
                [
                    (out, sent, DAY, "first"),
                    (inb, rcvd, 20 * HOUR, None),
                    (out, sent, 6 * HOUR, "answer:1"),  # the broker's own answer, relayed
                    (out, sent, 6 * HOUR, "reply:2"),  # and the agent's, at the same instant
                ],
            ),
            "c3": ("P1", S.WAITING, 20, None, None, [(out, sent, 2 * DAY, "first")]),
            # silent for 10 days after our message: cold though still WAITING
            "c4": ("P1", S.WAITING, 20, None, None, [(out, sent, 10 * DAY, "first")]),
            # replied once, then nothing for 9 days after our follow-up: cold
            "c5": (
                "P1",
                S.WAITING,
                30,
                None,
                None,
                [
                    (out, sent, 20 * DAY, "first"),
                    (inb, rcvd, 19 * DAY, None),
                    (out, sent, 9 * DAY, "followup:1"),
                ],
            ),
            "c6": ("P1", S.COLD, 10, None, None, [(out, sent, 15 * DAY, "first")]),
            "c7": ("P1", S.AWAITING_APPROVAL, 0, None, None, [(out, draft, HOUR, "first")]),
            "c8": (
                "P1",
                S.OPTED_OUT,
                0,
                None,
                None,
                [
                    (out, sent, 5 * DAY, "first"),
                    (inb, rcvd, 5 * DAY - HOUR, None),
                ],
            ),
            "c9": ("P1", S.CLOSED, 0, None, None, [(out, sent, 30 * DAY, "first")]),
            "c10": (
                "P1",
                S.HANDED_OFF,
                80,
                NOW - DAY,
                None,
                [
                    (out, sent, 3 * DAY, "first"),
                    (inb, rcvd, 2 * DAY, None),
                    (out, sent, DAY, "viewing:1:confirmed:0"),
                ],
            ),
            "c11": (
                "P2",
                S.HANDED_OFF,
                90,
                NOW - 20 * DAY,
                None,
                [
                    (out, sent, 25 * DAY, "first"),
                    (inb, rcvd, 24 * DAY, None),
                ],
            ),
        }
        for name, (listing, status, score, qualified_at, contact, messages) in plan.items():
            lead = Lead(brokerage_id=brokerage_id, name=f"Lead {name}", last_contact_at=contact)
            session.add(lead)
            await session.flush()
            conversation = Conversation(
                brokerage_id=brokerage_id,
                lead_id=lead.id,
                property_id=built.listings[listing],
                thread_id=thread_id_for(lead.id, built.listings[listing]),
                status=status,
                qualification_score=score,
                qualified_at=qualified_at,
                created_at=NOW - 30 * DAY,
            )
            session.add(conversation)
            await session.flush()
            built.leads[name] = lead.id
            built.conversations[name] = conversation.id
            for direction, state, age, step in messages:
                at = NOW - age
                key = f"{conversation.thread_id}:{step}:SMS" if step else f"in:{name}:{age}"
                session.add(
                    Message(
                        brokerage_id=brokerage_id,
                        conversation_id=conversation.id,
                        lead_id=lead.id,
                        direction=direction,
                        channel=Channel.SMS,
                        status=state,
                        idempotency_key=key,
                        body="…",
                        created_at=at,
                        sent_at=at if state is sent else None,
                    )
                )
        # Viewings: confirmed (c10, yesterday), requested but never confirmed (c2), done
        # (c11, confirmed 20 days ago), cancelled (c3).
        for name, status, confirmed in (
            ("c10", ViewingStatus.CONFIRMED, NOW - DAY),
            ("c2", ViewingStatus.PROPOSED, None),
            ("c11", ViewingStatus.DONE, NOW - 20 * DAY),
            ("c3", ViewingStatus.CANCELLED, None),
        ):
            conversation = await session.get(Conversation, built.conversations[name])
            assert conversation is not None
            session.add(
                Viewing(
                    brokerage_id=brokerage_id,
                    lead_id=conversation.lead_id,
                    property_id=conversation.property_id,
                    conversation_id=conversation.id,
                    status=status,
                    starts_at=NOW + DAY,
                    ends_at=NOW + DAY + HOUR,
                    confirmed_at=confirmed,
                )
            )
        # File imports: today (2 new leads), 3 days ago (5), 20 days ago (7); a dry run and a
        # preview wrote nothing and never count.
        for age, imported, status, dry_run in (
            (HOUR, 2, ImportStatus.COMPLETED, False),
            (3 * DAY, 5, ImportStatus.COMPLETED, False),
            (20 * DAY, 7, ImportStatus.FAILED, False),
            (2 * HOUR, 100, ImportStatus.COMPLETED, True),
            (2 * HOUR, 50, ImportStatus.PREVIEW, False),
        ):
            session.add(
                LeadImport(
                    brokerage_id=brokerage_id,
                    filename="leads.csv",
                    status=status,
                    imported=imported,
                    dry_run=dry_run,
                    created_at=NOW - age,
                    finished_at=NOW - age + timedelta(minutes=2),
                )
            )
        await commit(session)
    return built
