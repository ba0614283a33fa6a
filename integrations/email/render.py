"""Outreach emails from Jinja2 templates (Spanish or English) with CAN-SPAM footer and headers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from integrations.email.outgoing import Attachment, OutgoingEmail

Language = Literal["es", "en"]

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "why": "You received this email because you contacted us about a property.",
        "unsubscribe": "Unsubscribe",
    },
    "es": {
        "why": "Recibe este correo porque nos contactó por una propiedad.",
        "unsubscribe": "Darse de baja",
    },
}

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Brokerage:
    name: str
    postal_address: str  # street or PO box, one line or several
    signature: str  # the agent's sign-off, e.g. "María López\nCasa Sol Realty\n+1 305 555 0100"


@dataclass(frozen=True)
class RenderedEmail:
    text: str
    html: str


def render_body(
    paragraphs: Sequence[str],
    brokerage: Brokerage,
    unsubscribe_url: str,
    language: Language,
    subject: str = "",
) -> RenderedEmail:
    """Plain-text and HTML bodies: the paragraphs, the signature and the footer."""
    context = {
        "lang": language,
        "subject": subject,
        "paragraphs": [p.strip() for p in paragraphs if p.strip()],
        "signature": brokerage.signature.strip(),
        "brokerage_name": brokerage.name,
        "postal_address": brokerage.postal_address.strip(),
        "unsubscribe_url": unsubscribe_url,
        "words": WORDS[language],
    }
    return RenderedEmail(
        text=_ENV.get_template("message.txt").render(context),
        html=_ENV.get_template("message.html").render(context),
    )


def list_unsubscribe_headers(
    unsubscribe_url: str, unsubscribe_mailto: str | None
) -> dict[str, str]:
    """RFC 2369 / RFC 8058 one-click unsubscribe headers (the URL must accept a POST)."""
    targets = [f"<{unsubscribe_url}>"]
    if unsubscribe_mailto:
        mailto = unsubscribe_mailto.removeprefix("mailto:")
        targets.append(f"<mailto:{mailto}>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def compose_email(
    *,
    to: str,
    from_: str,
    subject: str,
    paragraphs: Sequence[str],
    brokerage: Brokerage,
    language: Language,
    unsubscribe_url: str,
    message_id: str,
    reply_to: str | None = None,
    unsubscribe_mailto: str | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    attachments: Sequence[Attachment] = (),
) -> OutgoingEmail:
    """Everything the outbox stores and `SmtpSender.send` delivers for one outreach email."""
    body = render_body(paragraphs, brokerage, unsubscribe_url, language, subject)
    headers = list_unsubscribe_headers(unsubscribe_url, unsubscribe_mailto)
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        ancestors = [ref for ref in references if ref != in_reply_to]
        headers["References"] = " ".join([*ancestors, in_reply_to])
    return OutgoingEmail(
        to=to,
        from_=from_,
        subject=subject,
        text=body.text,
        html=body.html,
        message_id=message_id,
        reply_to=reply_to,
        headers=headers,
        attachments=tuple(attachments),
    )
