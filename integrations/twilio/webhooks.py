"""Twilio webhooks: `X-Twilio-Signature` checks, inbound messages, status callbacks, keywords."""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

Params = Mapping[str, Any] | Iterable[tuple[str, Any]]
KeywordAction = Literal["STOP", "START", "HELP"]

# Twilio's default keywords plus Spanish ones (and the FCC's "opt out" / "no más" phrasings):
# revoking consent must be honoured in any reasonable wording, so err towards STOP.
KEYWORDS: dict[str, KeywordAction] = {
    **dict.fromkeys(
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"], "STOP"
    ),
    **dict.fromkeys(["OPT OUT", "BAJA", "ALTO", "PARAR", "NO MAS"], "STOP"),
    # ALTA: the Spanish opt-in our STOP confirmation names ("Responda ALTA para volver...").
    **dict.fromkeys(["START", "YES", "UNSTOP", "ALTA"], "START"),
    **dict.fromkeys(["HELP", "INFO"], "HELP"),
}
_TRIM = string.punctuation + "¡¿" + string.whitespace

# Progress order of outbound statuses: callbacks arrive out of order, keep the furthest one.
STATUS_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "failed": 4,
    "undelivered": 4,
    "partially_delivered": 4,
    "canceled": 4,
    "delivered": 5,
    "read": 6,
}


def _pairs(params: Params) -> list[tuple[str, str]]:
    if hasattr(params, "multi_items"):  # Starlette FormData / QueryParams keep repeated keys
        return [(str(k), str(v)) for k, v in params.multi_items()]
    if isinstance(params, Mapping):
        return [(str(k), str(v)) for k, v in params.items()]
    return [(str(k), str(v)) for k, v in params]


def compute_signature(url: str, params: Params, auth_token: str) -> str:
    """Base64 HMAC-SHA1 of the URL followed by each parameter name+value, sorted by name.

    Repeated names contribute each distinct value in sorted order, as Twilio's SDKs do.
    """
    values: dict[str, set[str]] = {}
    for name, value in _pairs(params):
        values.setdefault(name, set()).add(value)
    signed = "".join(name + value for name in sorted(values) for value in sorted(values[name]))
    payload = url + signed
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _url_variants(url: str) -> list[str]:
    """The URL as given, without and with the default port: Twilio signs either form."""
    parts = urlsplit(url)
    default_port = 443 if parts.scheme == "https" else 80
    host = parts.hostname or ""
    if parts.port is not None:
        without = urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))
        return [url, without]
    netloc = f"{parts.netloc}:{default_port}" if host else parts.netloc
    return [url, urlunsplit(parts._replace(netloc=netloc))]


def validate_signature(url: str, params: Params, signature: str, auth_token: str) -> bool:
    """True when `signature` (the X-Twilio-Signature header) matches the public `url` + params."""
    if not signature:
        return False
    pairs = _pairs(params)
    return any(
        hmac.compare_digest(compute_signature(candidate, pairs, auth_token), signature)
        for candidate in _url_variants(url)
    )


def keyword_action(body: str) -> KeywordAction | None:
    """STOP/START/HELP when the whole message is one of the keywords ("Stop." yes, "stop it" no)."""
    key = _without_accents(body.strip(_TRIM)).upper()
    return KEYWORDS.get(key)


@dataclass(frozen=True)
class Media:
    url: str
    content_type: str


@dataclass(frozen=True)
class InboundMessage:
    message_sid: str
    account_sid: str
    from_: str
    to: str
    body: str
    channel: Literal["sms", "whatsapp"]
    media: tuple[Media, ...] = ()
    num_segments: int = 1
    messaging_service_sid: str | None = None
    opt_out_type: str | None = None
    profile_name: str | None = None

    @property
    def keyword(self) -> KeywordAction | None:
        """Twilio's Advanced Opt-Out verdict when present, else our own keyword match."""
        if self.opt_out_type in ("STOP", "START", "HELP"):
            return self.opt_out_type  # type: ignore[return-value]
        return keyword_action(self.body)


@dataclass(frozen=True)
class StatusUpdate:
    message_sid: str
    status: str
    error_code: int | None
    to: str | None
    from_: str | None

    @property
    def rank(self) -> int:
        return STATUS_RANK.get(self.status, -1)


def _int(value: Any, default: int | None) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else default


def parse_inbound_message(params: Params) -> InboundMessage:
    """Read an inbound SMS/WhatsApp webhook form (after its signature was validated)."""
    form = dict(_pairs(params))
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid")
    if not sid or "From" not in form or "To" not in form:
        raise ValueError("not a Twilio inbound message: MessageSid, From and To are required")
    num_media = _int(form.get("NumMedia"), 0) or 0
    media = tuple(
        Media(form[f"MediaUrl{i}"], form.get(f"MediaContentType{i}", ""))
        for i in range(num_media)
        if f"MediaUrl{i}" in form
    )
    return InboundMessage(
        message_sid=sid,
        account_sid=form.get("AccountSid", ""),
        from_=form["From"],
        to=form["To"],
        body=form.get("Body", ""),
        channel="whatsapp" if form["From"].startswith("whatsapp:") else "sms",
        media=media,
        num_segments=_int(form.get("NumSegments"), 1) or 1,
        messaging_service_sid=form.get("MessagingServiceSid") or None,
        opt_out_type=(form.get("OptOutType") or "").upper() or None,
        profile_name=form.get("ProfileName") or None,
    )


def parse_status_callback(params: Params) -> StatusUpdate:
    """Read a status callback form: `MessageSid`, `MessageStatus`, `ErrorCode` on failure."""
    form = dict(_pairs(params))
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = form.get("MessageStatus") or form.get("SmsStatus")
    if not sid or not status:
        raise ValueError("not a Twilio status callback: MessageSid and MessageStatus are required")
    return StatusUpdate(
        message_sid=sid,
        status=status.lower(),
        error_code=_int(form.get("ErrorCode"), None),
        to=form.get("To"),
        from_=form.get("From"),
    )


def twiml_response(message: str | None = None) -> str:
    """TwiML answer to an inbound message: empty, or one reply message."""
    if message is None:
        return '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Response><Message>{escape(message)}</Message></Response>"
    )


def _without_accents(text: str) -> str:
    """'BAJA', 'bája' and 'Baja ' are one keyword (Spanish speakers type accents freely)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
