"""Twilio Programmable Messaging over httpx: SMS and WhatsApp sends mapped to typed outcomes."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from integrations.http import DEFAULT_POLICY, RetryPolicy, Sleep, send_with_retries
from integrations.messaging import (
    DeliveryError,
    DeliveryUnknown,
    PermanentFailure,
    RecipientOptedOut,
    TransientFailure,
)
from integrations.twilio.segments import sms_segments

__all__ = [
    "DEFAULT_API_URL",
    "OutsideWhatsAppWindow",
    "SendResult",
    "SentMessage",
    "TwilioClient",
    "WhatsAppTemplate",
    "error_from_response",
    "sms_segments",
    "whatsapp_address",
    "within_whatsapp_window",
]

DEFAULT_API_URL = "https://api.twilio.com"
WHATSAPP_WINDOW = timedelta(hours=24)

OPTED_OUT = 21610
OUTSIDE_WHATSAPP_WINDOW = 63016
TOO_MANY_REQUESTS = 20429


class OutsideWhatsAppWindow(PermanentFailure):
    """Free-form WhatsApp text refused outside the 24-hour window: resend as a template."""


@dataclass(frozen=True)
class SendResult:
    sid: str
    status: str
    segments: int


@dataclass(frozen=True)
class SentMessage:
    """A message Twilio holds, as its list answers it (what a look-up compares)."""

    sid: str
    body: str | None
    created_at: datetime | None


@dataclass(frozen=True)
class WhatsAppTemplate:
    """An approved content template, required for WhatsApp sends outside the 24-hour window."""

    content_sid: str
    variables: Mapping[str, str] = field(default_factory=dict)


def whatsapp_address(number: str) -> str:
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


def within_whatsapp_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Free-form WhatsApp text is allowed only within 24 hours of the lead's last message."""
    return last_inbound_at is not None and now - last_inbound_at < WHATSAPP_WINDOW


def error_from_response(response: httpx.Response) -> DeliveryError:
    """Map a Twilio error answer (`code`, `message`, `more_info`) to a delivery outcome."""
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    code = payload.get("code")
    code = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    message = str(payload.get("message") or f"Twilio answered HTTP {response.status_code}")
    more_info = payload.get("more_info")
    if code == OPTED_OUT:
        return RecipientOptedOut(message, code=code, more_info=more_info)
    if code == OUTSIDE_WHATSAPP_WINDOW:
        return OutsideWhatsAppWindow(message, code=code, more_info=more_info)
    if response.status_code == 429 or response.status_code >= 500 or code == TOO_MANY_REQUESTS:
        return TransientFailure(message, code=code, more_info=more_info)
    return PermanentFailure(message, code=code, more_info=more_info)


class TwilioClient:
    """Sends through `POST /2010-04-01/Accounts/{sid}/Messages.json` on the shared httpx client."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        api_url: str,
        account_sid: str,
        auth_token: str,
        from_number: str,
        *,
        whatsapp_from: str | None = None,
        policy: RetryPolicy = DEFAULT_POLICY,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self._url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._headers = {"Authorization": f"Basic {credentials}", "Accept": "application/json"}
        self._from = from_number
        self._whatsapp_from = whatsapp_address(whatsapp_from or from_number)
        self._policy = policy
        self._sleep = sleep

    async def send(self, to: str, body: str, status_callback: str | None = None) -> SendResult:
        """Send an SMS; raises a `DeliveryError` subclass when it was not (surely) accepted."""
        form = [("To", to), ("From", self._from), ("Body", body)]
        return await self._create(form, status_callback, sms_segments(body))

    async def send_whatsapp(
        self,
        to: str,
        body: str | None = None,
        status_callback: str | None = None,
        *,
        template: WhatsAppTemplate | None = None,
    ) -> SendResult:
        """Send free-form text (inside the 24-hour window) or an approved `template` (outside)."""
        if (body is None) == (template is None):
            raise ValueError("pass exactly one of body or template")
        form = [("To", whatsapp_address(to)), ("From", self._whatsapp_from)]
        if template is not None:
            form.append(("ContentSid", template.content_sid))
            if template.variables:
                form.append(("ContentVariables", json.dumps(dict(template.variables))))
        else:
            form.append(("Body", body or ""))
        return await self._create(form, status_callback, 1)

    async def sent_to(
        self, to: str, *, whatsapp: bool = False, limit: int = 50
    ) -> list[SentMessage]:
        """The newest messages our number sent to `to` (`GET Messages.json?To=&From=`), to
        tell whether a send whose answer we never read reached Twilio: the Messages API takes
        no idempotency key, so a look-up is the only way to know without sending twice. Raises
        `TransientFailure` when Twilio cannot be asked now."""
        params = {
            "To": whatsapp_address(to) if whatsapp else to,
            "From": self._whatsapp_from if whatsapp else self._from,
            "PageSize": str(limit),
        }
        request = self._http.build_request("GET", self._url, params=params, headers=self._headers)
        try:
            response = await send_with_retries(
                self._http, request, policy=self._policy, sleep=self._sleep
            )
        except httpx.TransportError as exc:
            raise TransientFailure(f"could not ask Twilio: {exc!r}") from exc
        if response.status_code != 200:
            error = error_from_response(response)
            raise TransientFailure(f"could not ask Twilio: {error}", code=error.code)
        try:
            rows = response.json()["messages"]
            return [
                SentMessage(str(row["sid"]), row.get("body"), _twilio_time(row.get("date_created")))
                for row in rows
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise TransientFailure("Twilio's list of messages is unreadable") from exc

    async def _create(
        self, form: list[tuple[str, str]], status_callback: str | None, segments: int
    ) -> SendResult:
        if status_callback:
            form.append(("StatusCallback", status_callback))
        request = self._http.build_request(
            "POST", self._url, data=dict(form), headers=self._headers
        )
        try:
            # A timeout after the request left may mean Twilio accepted it: never resend blindly.
            response = await send_with_retries(
                self._http, request, policy=self._policy, retry_on_timeout=False, sleep=self._sleep
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransientFailure(f"could not reach Twilio: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise DeliveryUnknown(f"no answer from Twilio after sending: {exc!r}") from exc
        if response.status_code not in (200, 201):
            raise error_from_response(response)
        try:
            payload = response.json()
            sid = str(payload["sid"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryUnknown("Twilio accepted the request; its answer is unreadable") from exc
        reported = payload.get("num_segments")
        if isinstance(reported, int | str) and str(reported).isdigit() and int(reported) > 0:
            segments = int(reported)
        return SendResult(sid=sid, status=str(payload.get("status") or "queued"), segments=segments)


def _twilio_time(value: object) -> datetime | None:
    """Twilio's RFC 2822 dates ("Wed, 18 Aug 2010 20:01:40 +0000")."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
