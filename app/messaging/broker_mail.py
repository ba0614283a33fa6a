"""E-mail to the brokerage's own people (the morning digest): over SMTP when `SMTP_URL` is set,
else a line in the local outbox (`{data_dir}/outbox.jsonl`), like every other message."""

from __future__ import annotations

import json

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.messaging.config import messaging_config
from app.messaging.senders import local_outbox_path
from integrations.email.outgoing import OutgoingEmail, make_message_id
from integrations.email.smtp import SmtpSender


def broker_email(
    runtime: Runtime, *, to: str, subject: str, text: str, html: str, kind: str
) -> OutgoingEmail:
    config = messaging_config(runtime.settings)
    domain = config.email_from.rpartition("@")[2].rstrip(">") or "localhost"
    return OutgoingEmail(
        to=to,
        from_=config.email_from,
        subject=subject,
        text=text,
        html=html,
        message_id=make_message_id(domain),
        headers={"X-BRScale-Kind": kind, "Auto-Submitted": "auto-generated"},
    )


async def send_broker_email(runtime: Runtime, email: OutgoingEmail) -> str:
    """Deliver; the provider's id (the Message-ID), or raise an `integrations.messaging` error."""
    if runtime.settings.smtp_url:
        return await SmtpSender(runtime.settings.smtp_url).send(email)
    record = {
        "at": utcnow().isoformat(),
        "kind": email.headers.get("X-BRScale-Kind", "broker"),
        "channel": "EMAIL",
        "to": email.to,
        "subject": email.subject,
        "body": email.text,
        "html": email.html,
    }
    with local_outbox_path(runtime).open("a", encoding="utf-8") as file:
        file.write(json.dumps(record, ensure_ascii=False) + "\n")
    return email.message_id
