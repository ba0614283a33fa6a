"""Inbound email webhooks (SendGrid Inbound Parse, Mailgun routes) read into one DTO."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email import message_from_string, policy
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr
from typing import Any, Literal

from integrations.email.outgoing import reply_token
from integrations.email.quoted import html_to_text, strip_quoted_reply

__all__ = [
    "InboundEmail",
    "message_ids",
    "parse_mailgun",
    "parse_sendgrid",
    "strip_quoted_reply",
    "verify_mailgun_signature",
]

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class InboundEmail:
    provider: Literal["sendgrid", "mailgun"]
    sender: str  # address of the From header (the envelope sender when missing)
    sender_name: str
    recipients: tuple[str, ...]  # envelope recipients first, then To and Cc; plus tokens kept
    subject: str
    text: str  # the whole plain-text body as received
    html: str
    reply_text: str  # what the lead wrote: quoted history and signature removed
    message_id: str | None  # with angle brackets, like `make_message_id`
    in_reply_to: str | None
    references: tuple[str, ...]
    replay_key: str | None = None  # Mailgun's token: store it to refuse a replayed POST

    def reply_token(self, base_address: str) -> str | None:
        """The token of our `reply_address` among the recipients, if any."""
        return next(
            (t for r in self.recipients if (t := reply_token(r, base_address)) is not None), None
        )

    def thread_ids(self) -> list[str]:
        """Message-IDs to look up, best first: In-Reply-To, then References right to left."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids += reversed(self.references)
        return list(dict.fromkeys(ids))


def message_ids(value: str | None) -> tuple[str, ...]:
    """The `<id@host>` items of a Message-ID / In-Reply-To / References header value."""
    if not value:
        return ()
    found = _MESSAGE_ID.findall(value)
    if found:
        return tuple(found)
    bare = value.strip()
    return (f"<{bare}>",) if bare and " " not in bare else ()


def verify_mailgun_signature(
    signing_key: str,
    timestamp: str,
    token: str,
    signature: str,
    now: datetime | float,
    max_age: float = 300,
) -> bool:
    """Hex HMAC-SHA256 of timestamp+token with the webhook signing key, and a fresh timestamp.

    Replays within `max_age` pass here: the caller records `token` and refuses one seen before.
    """
    try:
        sent_at = float(timestamp)
    except (TypeError, ValueError):
        return False
    current = now.timestamp() if isinstance(now, datetime) else now
    if abs(current - sent_at) > max_age:
        return False
    expected = hmac.new(
        signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, signature.lower())


def _field(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""  # file uploads (attachments) are skipped


def _addresses(*values: str) -> list[str]:
    return [addr for _, addr in getaddresses([v for v in values if v]) if "@" in addr]


def _unique(addresses: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(address.lower(), address)
    return tuple(seen.values())


def _build(
    provider: Literal["sendgrid", "mailgun"],
    *,
    from_header: str,
    envelope_from: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str,
    headers: Message | Mapping[str, str | None],
    replay_key: str | None = None,
) -> InboundEmail:
    name, address = parseaddr(from_header)
    own_message_id = message_ids(headers.get("Message-ID"))
    in_reply_to = message_ids(headers.get("In-Reply-To"))
    body = text or html_to_text(html)
    return InboundEmail(
        provider=provider,
        sender=address or envelope_from,
        sender_name=name,
        recipients=_unique(recipients),
        subject=subject,
        text=text,
        html=html,
        reply_text=strip_quoted_reply(body),
        message_id=own_message_id[0] if own_message_id else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=message_ids(headers.get("References")),
        replay_key=replay_key,
    )


def _mime_bodies(message: EmailMessage) -> tuple[str, str]:
    parts = []
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        parts.append(str(part.get_content()) if isinstance(part, EmailMessage) else "")
    return parts[0], parts[1]


def parse_sendgrid(form: Mapping[str, Any]) -> InboundEmail:
    """SendGrid Inbound Parse, default (parsed) or raw-MIME (`email` field) mode."""
    try:
        envelope = json.loads(_field(form, "envelope") or "{}")
    except ValueError:
        envelope = {}
    envelope_to = [str(a) for a in envelope.get("to") or []] if isinstance(envelope, dict) else []
    envelope_from = str(envelope.get("from") or "") if isinstance(envelope, dict) else ""
    raw = _field(form, "email")
    if raw:
        mime = message_from_string(raw, policy=policy.default)
        assert isinstance(mime, EmailMessage)
        text, html = _mime_bodies(mime)
        headers: Message = mime
        subject = str(mime.get("Subject", ""))
        from_header, to, cc = (str(mime.get(name, "")) for name in ("From", "To", "Cc"))
    else:
        headers = HeaderParser().parsestr(_field(form, "headers"))
        text, html = _field(form, "text"), _field(form, "html")
        subject = _field(form, "subject")
        from_header, to, cc = _field(form, "from"), _field(form, "to"), _field(form, "cc")
    return _build(
        "sendgrid",
        from_header=from_header,
        envelope_from=envelope_from,
        recipients=envelope_to + _addresses(to, cc),
        subject=subject,
        text=text,
        html=html,
        headers=headers,
    )


def parse_mailgun(form: Mapping[str, Any]) -> InboundEmail:
    """A Mailgun route `forward()` POST; check `verify_mailgun_signature` first."""
    headers: dict[str, str] = {}
    try:
        pairs = json.loads(_field(form, "message-headers") or "[]")
    except ValueError:
        pairs = []
    for pair in pairs if isinstance(pairs, list) else []:
        if isinstance(pair, list) and len(pair) == 2:
            headers.setdefault(str(pair[0]).lower(), str(pair[1]))
    # Top-level fields win over message-headers; header names are matched case-insensitively.
    for key, value in form.items():
        if isinstance(value, str):
            headers[key.lower()] = value
    threading = {
        name: headers.get(name.lower()) for name in ("Message-ID", "In-Reply-To", "References")
    }
    return _build(
        "mailgun",
        from_header=headers.get("from") or _field(form, "sender"),
        envelope_from=_field(form, "sender"),
        recipients=_addresses(
            _field(form, "recipient"), headers.get("to", ""), headers.get("cc", "")
        ),
        subject=headers.get("subject", ""),
        text=_field(form, "body-plain"),
        html=_field(form, "body-html"),
        headers=threading,
        replay_key=_field(form, "token") or None,
    )
