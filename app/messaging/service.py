"""Messaging's rules on a session: what a keyword text (STOP, START, HELP) changes and what we
answer it, and how a provider's status report moves an outbox row. Flushes, never commits."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.text import fold
from app.messaging import repository
from app.messaging.models import Channel, Message, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR, PHONE_CHANNELS, opt_in_lead, opt_out_lead
from app.messaging.routing import channel_of
from integrations.twilio.client import OPTED_OUT
from integrations.twilio.webhooks import STATUS_RANK, InboundMessage, StatusUpdate

# Keywords Twilio itself answers on long codes and toll-free numbers (external-apis.md 3.5):
# replying to them too would send the lead a second confirmation.
TWILIO_ANSWERS = frozenset(
    [
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
        "START",
        "YES",
        "UNSTOP",
        "HELP",
        "INFO",
    ]
)
CONFIRMATIONS = {
    "es": {
        "STOP": "Listo: no recibirá más mensajes nuestros. Responda ALTA para volver a recibirlos.",
        "START": "Listo: volverá a recibir mensajes. Responda BAJA para dejar de recibirlos.",
        "HELP": "Mensajes sobre propiedades de su interés. Responda BAJA para no recibir más.",
    },
    "en": {
        "STOP": "Done: you will get no more messages from us. Reply START to receive them again.",
        "START": "Done: you will receive messages again. Reply STOP to opt out.",
        "HELP": "Messages about properties you asked about. Reply STOP to opt out.",
    },
}
SPANISH_KEYWORDS = frozenset({"BAJA", "ALTO", "PARAR", "NO MAS", "ALTA"})
# Our status after a Twilio status, and how far along each of ours is, for forward-only moves.
TWILIO_TO_STATUS = {
    **dict.fromkeys(("accepted", "scheduled", "queued", "sending", "sent"), MessageStatus.SENT),
    **dict.fromkeys(
        ("failed", "undelivered", "partially_delivered", "canceled"), MessageStatus.FAILED
    ),
    **dict.fromkeys(("delivered", "read"), MessageStatus.DELIVERED),
}
OUR_RANK = {MessageStatus.SENT: STATUS_RANK["sent"], MessageStatus.FAILED: 4}
OUR_RANK[MessageStatus.DELIVERED] = STATUS_RANK["delivered"]


def keyword_reply(inbound: InboundMessage, action: str, changed: bool) -> str | None:
    """Our one confirmation, unless Twilio sends its own or nothing changed."""
    word = fold(inbound.body.strip(" .!¡¿?")).upper()
    if inbound.opt_out_type or word in TWILIO_ANSWERS or (action != "HELP" and not changed):
        return None
    language = "es" if word in SPANISH_KEYWORDS else "en"
    return CONFIRMATIONS[language][action]


async def apply_keyword(session: AsyncSession, inbound: InboundMessage, action: str) -> bool:
    """Opt every lead with this number out (or in) of texts; True when any of them changed."""
    phone = inbound.from_.removeprefix("whatsapp:")
    channel = channel_of(inbound.from_).value
    changed = False
    for lead in await repository.leads_with_phone(session, phone):
        source, detail = f"{channel.lower()}:{action}", f"{inbound.message_sid}: {inbound.body}"
        if action == "STOP":
            changed |= await opt_out_lead(
                session,
                lead.brokerage_id,
                lead.id,
                source=source,
                channel=channel,
                detail=detail,
                channels=None,  # STOP, BAJA, CANCELAR: everything (CONVERSATION.md section 5)
            )
        elif action == "START":  # texts again; an e-mail stop is the lead's own business
            changed |= await opt_in_lead(
                session,
                lead.brokerage_id,
                lead.id,
                source=source,
                channel=channel,
                detail=detail,
                channels=PHONE_CHANNELS,
            )
    return changed


async def apply_status(session: AsyncSession, message: Message, update_: StatusUpdate) -> None:
    """A provider's report on a sent row: an opted-out number, or how far the row got."""
    if update_.error_code == OPTED_OUT:
        await provider_opted_out(session, message, f"{update_.message_sid}: error {OPTED_OUT}")
        message.status, message.error = MessageStatus.SUPPRESSED, OPTED_OUT_ERROR
        return
    new = TWILIO_TO_STATUS.get(update_.status)
    current = OUR_RANK.get(message.status)
    # Callbacks arrive out of order: keep the furthest status reached.
    if new is not None and current is not None and OUR_RANK[new] > current:
        message.status = new
        if update_.error_code is not None:
            message.error = f"Twilio error {update_.error_code}"


async def provider_opted_out(session: AsyncSession, message: Message, detail: str) -> None:
    """The provider says the lead blocked what `message` was sent to: that stops (a number: the
    lead's texts and WhatsApp, Twilio 21610; an address: e-mail), not the lead's other channels."""
    await opt_out_lead(
        session,
        message.brokerage_id,
        message.lead_id,
        source="provider",
        channel=message.channel.value,
        detail=detail,
        channels=PHONE_CHANNELS if message.channel is not Channel.EMAIL else [Channel.EMAIL.value],
    )
