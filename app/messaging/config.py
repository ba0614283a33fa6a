"""Messaging's view of the settings: senders' addresses, caps, quiet hours, retry limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from app.core.config import Settings
from app.messaging.rules import Caps, QuietHours

MAX_ATTEMPTS = 5
STUCK_SENDING_MINUTES = 10


@dataclass(frozen=True)
class MessagingConfig:
    public_url: str
    email_from: str
    reply_base_address: str  # replies+TOKEN@domain reach the inbound email webhook
    caps: Caps
    quiet_hours: QuietHours
    whatsapp_template_sid: str | None
    # How long after its e-mail the text of one of the agent's own steps goes.
    text_after_email: timedelta = timedelta(hours=3)

    @property
    def status_callback_url(self) -> str:
        return f"{self.public_url}/webhooks/twilio/status"

    def unsubscribe_url(self, token: str) -> str:
        return f"{self.public_url}/unsubscribe/{token}"


def messaging_config(settings: Settings) -> MessagingConfig:
    public_url = settings.public_url.rstrip("/")
    host = urlsplit(public_url).hostname or "localhost"
    domain = settings.inbound_email_domain or host
    return MessagingConfig(
        public_url=public_url,
        email_from=settings.email_from or f"BR SCALE <outreach@{domain}>",
        reply_base_address=f"replies@{domain}",
        caps=Caps(
            per_day=settings.messages_per_lead_per_day,
            per_week=settings.messages_per_lead_per_week,
        ),
        quiet_hours=QuietHours(),
        whatsapp_template_sid=settings.twilio_whatsapp_template_sid,
        text_after_email=timedelta(minutes=settings.text_after_email_minutes),
    )
