"""Messaging's view of the settings: senders' addresses, caps, quiet hours, retry limits.

Optional settings are read with defaults so this domain works before they exist in `Settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def status_callback_url(self) -> str:
        return f"{self.public_url}/webhooks/twilio/status"

    def unsubscribe_url(self, token: str) -> str:
        return f"{self.public_url}/unsubscribe/{token}"


def messaging_config(settings: Settings) -> MessagingConfig:
    public_url = settings.public_url.rstrip("/")
    host = urlsplit(public_url).hostname or "localhost"
    domain = getattr(settings, "inbound_email_domain", None) or host
    return MessagingConfig(
        public_url=public_url,
        email_from=getattr(settings, "email_from", None) or f"BR SCALE <outreach@{domain}>",
        reply_base_address=f"replies@{domain}",
        caps=Caps(
            per_day=int(getattr(settings, "messages_per_lead_per_day", 3)),
            per_week=int(getattr(settings, "messages_per_lead_per_week", 6)),
        ),
        quiet_hours=QuietHours(),
        whatsapp_template_sid=getattr(settings, "twilio_whatsapp_template_sid", None),
    )
