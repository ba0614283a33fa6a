"""The outgoing email DTO, its MIME form (text + HTML alternatives), Message-IDs, reply
addresses."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, localtime

_TOKEN = re.compile(r"^[A-Za-z0-9._=-]+$")


@dataclass(frozen=True)
class Attachment:
    """A text attachment, e.g. a calendar invite (`text/calendar; method=REQUEST`)."""

    filename: str
    content_type: str
    content: str


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    from_: str
    subject: str
    text: str
    html: str
    message_id: str
    reply_to: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


def make_message_id(domain: str) -> str:
    """A new `<id@domain>`; random so replies can't be forged into another lead's thread."""
    return f"<{secrets.token_hex(16)}@{domain}>"


def reply_address(base_address: str, token: str) -> str:
    """`replies@in.example.com` + token -> `replies+TOKEN@in.example.com` (RFC 5233)."""
    local, at, domain = base_address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an email address: {base_address!r}")
    if not _TOKEN.match(token):
        raise ValueError("reply tokens may only hold letters, digits and . _ = -")
    return f"{local.split('+', 1)[0]}+{token}@{domain}"


def reply_token(address: str, base_address: str) -> str | None:
    """The token of a plus address built by `reply_address`, None for any other address."""
    local, _, domain = address.strip().rpartition("@")
    base_local, _, base_domain = base_address.rpartition("@")
    name, plus, token = local.partition("+")
    if not plus or domain.lower() != base_domain.lower() or name.lower() != base_local.lower():
        return None
    return token if _TOKEN.match(token) else None


def build_mime(email: OutgoingEmail) -> EmailMessage:
    """multipart/alternative with the plain text first and the HTML preferred."""
    message = EmailMessage()
    message["From"] = email.from_
    message["To"] = email.to
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(localtime())
    message["Message-ID"] = email.message_id
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, *params = (part.strip() for part in rest.split(";"))
        message.add_attachment(
            attachment.content.encode("utf-8"),
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(param.split("=", 1) for param in params if "=" in param),
        )
    return message
