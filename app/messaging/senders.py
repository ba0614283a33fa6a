"""Senders behind one small protocol: email over SMTP, SMS/WhatsApp through Twilio, local outbox.

With no `SMTP_URL` / `TWILIO_*` configured, a channel's messages go to the local outbox file
(`{data_dir}/outbox.jsonl`) and are marked sent, so the demo and a new user see every message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from app.accounts.models import Brokerage
from app.core.db import utcnow
from app.core.runtime import Runtime
from app.leads.models import Lead
from app.messaging.config import MessagingConfig, messaging_config
from app.messaging.links import reply_token_for, unsubscribe_token
from app.messaging.models import Channel, Message
from app.threads.models import Conversation
from integrations.email import render
from integrations.email.outgoing import (
    Attachment,
    OutgoingEmail,
    make_message_id,
    reply_address,
)
from integrations.email.smtp import SmtpSender
from integrations.messaging import PermanentFailure
from integrations.twilio.client import TwilioClient, WhatsAppTemplate, within_whatsapp_window

SUBJECTS = {"es": "Una propiedad que puede interesarle", "en": "A property you may like"}


@dataclass(frozen=True)
class Claimed:
    """One claimed outbox row with everything a sender needs to deliver it."""

    message: Message
    lead: Lead
    conversation: Conversation
    brokerage: Brokerage
    last_inbound_at: datetime | None  # on this channel: WhatsApp's 24-hour window


# A provider's clock may run this far behind ours: a look-up takes messages created this long
# before the row was queued as candidates too.
CLOCK_SKEW = timedelta(minutes=2)


class Sender(Protocol):
    async def send(self, outgoing: Claimed) -> str:
        """Deliver; return the provider's id, or raise an `integrations.messaging` error."""
        ...

    async def find(self, message: Message) -> list[str] | None:
        """The provider's ids of the messages it holds that may be this row (to its address,
        with its text, created since it was queued), oldest first: how a row whose send was
        cut off (the worker killed, the answer never read) is settled without sending twice.
        None when the provider cannot be asked; raises a `DeliveryError` when not now."""
        ...


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _language(outgoing: Claimed) -> render.Language:
    return "en" if outgoing.conversation.language == "en" else "es"


class EmailSender:
    def __init__(self, smtp: SmtpSender, config: MessagingConfig, signing_key: str) -> None:
        self._smtp = smtp
        self._config = config
        self._key = signing_key

    def compose(self, outgoing: Claimed) -> OutgoingEmail:
        message, brokerage = outgoing.message, outgoing.brokerage
        language = _language(outgoing)
        token = reply_token_for(self._key, outgoing.conversation.id)
        domain = self._config.reply_base_address.rpartition("@")[2]
        return render.compose_email(
            to=message.to_address or "",
            from_=self._config.email_from,
            subject=message.subject or SUBJECTS[language],
            paragraphs=message.body.split("\n\n"),
            brokerage=render.Brokerage(
                name=brokerage.name,
                postal_address=brokerage.postal_address,
                signature=brokerage.signature,
            ),
            language=language,
            unsubscribe_url=self._config.unsubscribe_url(
                unsubscribe_token(self._key, outgoing.lead.id)
            ),
            message_id=make_message_id(domain),
            reply_to=reply_address(self._config.reply_base_address, token),
            attachments=[Attachment(**message.attachment)] if message.attachment else (),
        )

    async def send(self, outgoing: Claimed) -> str:
        return await self._smtp.send(self.compose(outgoing))

    async def find(self, message: Message) -> list[str] | None:
        """SMTP cannot be asked what it accepted."""
        return None


class TwilioSender:
    def __init__(self, client: TwilioClient, config: MessagingConfig) -> None:
        self._client = client
        self._config = config

    async def send(self, outgoing: Claimed) -> str:
        message = outgoing.message
        to = message.to_address or ""
        callback = self._config.status_callback_url
        if message.channel is Channel.SMS:
            return (await self._client.send(to, message.body, callback)).sid
        if within_whatsapp_window(outgoing.last_inbound_at, utcnow()):
            return (await self._client.send_whatsapp(to, message.body, callback)).sid
        if not self._config.whatsapp_template_sid:
            raise PermanentFailure(
                "outside WhatsApp's 24-hour window, and no approved template is configured"
            )
        template = WhatsAppTemplate(
            self._config.whatsapp_template_sid, {"1": outgoing.lead.name or ""}
        )
        return (await self._client.send_whatsapp(to, None, callback, template=template)).sid

    async def find(self, message: Message) -> list[str] | None:
        """Twilio's messages to the row's number since it was queued, with its text (a
        WhatsApp template's text is Twilio's, so any WhatsApp message then counts). The text
        may follow a trial account's prefix."""
        whatsapp = message.channel is Channel.WHATSAPP
        since = _aware(message.created_at) - CLOCK_SKEW
        sent = await self._client.sent_to(message.to_address or "", whatsapp=whatsapp)
        return [
            m.sid
            for m in reversed(sent)  # Twilio lists newest first
            if (m.created_at is None or m.created_at >= since)
            and (whatsapp or (m.body or "").endswith(message.body))
        ]


class LocalOutboxSender:
    """The embedded default: each message becomes one JSON line in a file beside the database.

    An e-mail carries the Reply-To and Message-ID the SMTP sender would give it (`reply_to`,
    `message_id`), and its Message-ID is the provider id: a reply to it, by its address or by
    In-Reply-To, finds its conversation as a reply to a real e-mail does."""

    def __init__(
        self, path: Path, config: MessagingConfig | None = None, signing_key: str | None = None
    ) -> None:
        self.path = path
        self._config = config
        self._key = signing_key

    async def send(self, outgoing: Claimed) -> str:
        message = outgoing.message
        provider_id = f"local:{message.id}"
        threading: dict[str, str] = {}
        if message.channel is Channel.EMAIL and self._config is not None and self._key:
            base = self._config.reply_base_address
            provider_id = make_message_id(base.rpartition("@")[2])
            token = reply_token_for(self._key, outgoing.conversation.id)
            threading = {"reply_to": reply_address(base, token), "message_id": provider_id}
        record: dict[str, object] = {
            "id": message.id,
            "at": utcnow().isoformat(),
            "brokerage_id": message.brokerage_id,
            "conversation_id": message.conversation_id,
            "lead_id": message.lead_id,
            "channel": message.channel.value,
            "to": message.to_address,
            "subject": message.subject,
            "body": message.body,
            **threading,
        }
        if message.attachment:
            record["attachment"] = message.attachment
        # One short append to a local file: cheaper done here than handed to a thread.
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return provider_id

    async def find(self, message: Message) -> list[str] | None:
        """The row's line in the file, if it was written (read in a thread: the file grows)."""
        return await asyncio.to_thread(self._find, message.id)

    def _find(self, message_id: int) -> list[str]:
        if not self.path.exists():
            return []
        marker = f'"id": {message_id},'
        found = []
        with self.path.open(encoding="utf-8") as file:
            for line in file:
                if marker not in line:
                    continue
                with contextlib.suppress(ValueError):
                    record = json.loads(line)
                    if record.get("id") == message_id:
                        found.append(str(record.get("message_id") or f"local:{message_id}"))
        return found


def local_outbox_path(runtime: Runtime) -> Path:
    return runtime.settings.data_dir / "outbox.jsonl"  # the data dir exists from startup


def sender_for(runtime: Runtime, channel: Channel) -> Sender:
    """The configured sender for `channel`, or the local outbox when its provider is not set."""
    settings = runtime.settings
    config = messaging_config(settings)
    if channel is Channel.EMAIL:
        if settings.smtp_url:
            return EmailSender(SmtpSender(settings.smtp_url), config, settings.signing_key)
    elif settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number:
        client = TwilioClient(
            runtime.http,
            settings.twilio_api_url,
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from_number,
        )
        return TwilioSender(client, config)
    return LocalOutboxSender(local_outbox_path(runtime), config, settings.signing_key)
