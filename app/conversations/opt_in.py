"""A lead who stopped our messages and writes "START", "ALTA" or "ya puedes escribirme" in a
conversation gets them back on the channel they wrote on (by text: what is sent to that number,
SMS and WhatsApp, as a STOP there stopped it), and one short line saying so, with the stop line
carriers want after an opt-in. Nothing else is reopened by it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations import repository
from app.conversations.intents import Language, detect_language, opt_in_rest
from app.conversations.models import ConversationStatus
from app.conversations.repository import Loaded
from app.conversations.templates import say, voice
from app.messaging.optout import PHONE_CHANNELS, opt_in_lead, stopped_channels
from app.messaging.stop_line import stop_line, with_stop_line


def asked(said: str, loaded: Loaded) -> str | None:
    """What else the reply says when it asks to get our messages again and something is
    stopped ("" when that is all); None when it does not ask, or nothing is stopped."""
    if not stopped_channels(loaded.lead):
        return None
    return opt_in_rest(said)


async def opt_back_in(
    session: AsyncSession, loaded: Loaded, said: str, arrival: str, key: str
) -> bool:
    """Give the lead their messages back and confirm it in one line on `arrival`; True when
    anything changed. A conversation that had ended for the stop stays ended (CLOSED: no longer
    stopped, so a question reopens it)."""
    lead, conversation = loaded.lead, loaded.conversation
    # By text, what is sent to that number (SMS and WhatsApp), as a STOP there stopped it.
    channels = set(PHONE_CHANNELS) if arrival in PHONE_CHANNELS else {arrival}
    changed = await opt_in_lead(
        session,
        lead.brokerage_id,
        lead.id,
        source="conversation",
        channel=arrival,
        detail=said[:200],
        channels=channels,
    )
    if not changed:
        return False
    if conversation.status is ConversationStatus.OPTED_OUT and not lead.opted_out:
        conversation.status = ConversationStatus.CLOSED
    language: Language = detect_language(said) or ("en" if conversation.language == "en" else "es")
    name = lead.name.split()[0].capitalize() if lead.name.split() else ""
    line = say(
        voice(language, loaded.brokerage.formality.value),
        "optin.done",
        comma_name=f", {name}" if name and "@" not in name else "",
    )
    if arrival in PHONE_CHANNELS:  # carriers want how to stop after every opt-in, not only once
        line = with_stop_line(line, stop_line(language, loaded.brokerage.formality.value))
    await repository.queue_on_channels(session, loaded, key, None, line, channels=[arrival])
    return True
