"""E-mail to the brokerage's own people (the morning digest): over SMTP when `SMTP_URL` is set,
else a line in the local outbox (`{data_dir}/outbox.jsonl`), like every other message."""

from __future__ import annotations

import json
import logging
import re

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.messaging.config import messaging_config
from app.messaging.senders import local_outbox_path
from integrations.email.outgoing import OutgoingEmail, make_message_id
from integrations.email.smtp import SmtpSender

log = logging.getLogger(__name__)
# E-mails whose link someone trying BR SCALE locally needs at once, with no mailbox to read.
_LINK_KINDS = frozenset({"sign-up"})


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
    if record["kind"] in _LINK_KINDS:
        # No e-mail server (a local trial): the link is printed where `./dev run` shows its log.
        for link in dict.fromkeys(re.findall(r"https?://\S+/app/\S+", email.text)):
            log.warning(
                "no SMTP_URL: open %s to go on (also in %s)",
                link,
                local_outbox_path(runtime),
                extra={"link": link},
            )
    return email.message_id
