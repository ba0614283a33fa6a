"""Follow Up Boss webhook deliveries: the `FUB-Signature` check and the event they carry (no I/O).

Signature (external-apis.md 1.8, from several independent implementations; not in FUB's official
text): hex HMAC-SHA256, keyed with our X-System-Key, of the Base64 of the raw body bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from integrations.crm import WebhookDelivery, WebhookRejected
from integrations.followupboss.mapping import parse_datetime

# FUB retries a failed delivery for up to about 8 hours, and the signature covers no timestamp
# header; the signed body's `eventCreated` bounds replays instead, with room for those retries.
DEFAULT_MAX_AGE = timedelta(hours=12)

# People events whose resources are people we can re-fetch.
PEOPLE_EVENTS = frozenset(
    {"peopleCreated", "peopleUpdated", "peopleTagsCreated", "peopleStageUpdated"}
)


@dataclass(frozen=True)
class FubWebhookEvent:
    event_id: str
    event: str
    resource_ids: list[str]
    uri: str | None
    created_at: datetime | None
    data: dict[str, Any] = field(default_factory=dict)


def fub_signature(body: bytes, system_key: str) -> str:
    return hmac.new(system_key.encode(), base64.b64encode(body), hashlib.sha256).hexdigest()


def verify_fub_signature(body: bytes, signature: str | None, system_key: str) -> bool:
    if not signature:
        return False
    given = signature.strip().removeprefix("sha256=").lower()
    return hmac.compare_digest(given, fub_signature(body, system_key))


def parse_fub_webhook(
    body: bytes,
    signature: str | None,
    system_key: str,
    *,
    now: datetime,
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> FubWebhookEvent:
    """The verified event of a delivery, or `WebhookRejected`. Dedupe on `event_id` afterwards."""
    if not verify_fub_signature(body, signature, system_key):
        raise WebhookRejected("bad FUB-Signature")
    try:
        payload = json.loads(body)
        event = FubWebhookEvent(
            event_id=str(payload["eventId"]),
            event=str(payload["event"]),
            resource_ids=[str(r) for r in payload.get("resourceIds") or []],
            uri=payload.get("uri"),
            created_at=parse_datetime(payload.get("eventCreated")),
            data=payload.get("data") or {},
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise WebhookRejected("malformed FUB webhook body") from exc
    if event.created_at is None or now - event.created_at > max_age:
        raise WebhookRejected("stale FUB webhook delivery")
    return event


@dataclass(frozen=True)
class FubWebhookReader:
    """Follow Up Boss's posts, signed with the system key (`CrmWebhookReader`)."""

    system_key: str

    def read_webhook(
        self, body: bytes, headers: Mapping[str, str], url: str, now: datetime
    ) -> list[WebhookDelivery]:
        event = parse_fub_webhook(body, headers.get("fub-signature"), self.system_key, now=now)
        payload = {
            "event_id": event.event_id,
            "event": event.event,
            "resource_ids": event.resource_ids,
            "uri": event.uri,
            "created_at": event.created_at.isoformat() if event.created_at else None,
        }
        return [WebhookDelivery(event.event_id, payload)]
