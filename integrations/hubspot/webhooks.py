"""HubSpot webhook deliveries: request signatures v3 (preferred), v2 and v1, and the events.

As in external-apis.md 2.6: v3 is Base64 HMAC-SHA256 (client secret) of method + full URI + body
+ timestamp (ms, refused after 5 minutes); v2 is hex SHA-256 of secret + method + URI + body; v1
is hex SHA-256 of secret + body. v1/v2 carry no timestamp: replays are stopped by the inbox only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from integrations.crm import WebhookDelivery, WebhookRejected

MAX_AGE = timedelta(minutes=5)

# HubSpot decodes these escapes in the URI before signing v3 (its request-validation page).
_V3_URI_DECODES = {
    "%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$",
    "%27": "'", "%28": "(", "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";",
}  # fmt: skip


@dataclass(frozen=True)
class HubSpotWebhookEvent:
    event_id: str
    subscription_id: str | None
    subscription_type: str
    object_id: str
    occurred_at: datetime
    property_name: str | None = None
    property_value: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        # eventId alone is not guaranteed unique (external-apis.md 2.5).
        return f"{self.subscription_id}:{self.event_id}:{int(self.occurred_at.timestamp() * 1000)}"


def _v3_uri(uri: str) -> str:
    for escaped, char in _V3_URI_DECODES.items():
        uri = uri.replace(escaped, char).replace(escaped.lower(), char)
    return uri


def hubspot_signature_v3(
    client_secret: str, method: str, uri: str, body: bytes, timestamp_ms: str
) -> str:
    source = method.upper().encode() + _v3_uri(uri).encode() + body + timestamp_ms.encode()
    return base64.b64encode(
        hmac.new(client_secret.encode(), source, hashlib.sha256).digest()
    ).decode()


def hubspot_signature_v2(client_secret: str, method: str, uri: str, body: bytes) -> str:
    return hashlib.sha256(
        client_secret.encode() + method.upper().encode() + uri.encode() + body
    ).hexdigest()


def hubspot_signature_v1(client_secret: str, body: bytes) -> str:
    return hashlib.sha256(client_secret.encode() + body).hexdigest()


def verify_hubspot_request(
    headers: Mapping[str, str],
    method: str,
    uri: str,
    body: bytes,
    client_secret: str,
    *,
    now: datetime,
) -> None:
    """Raise `WebhookRejected` unless the request is signed by HubSpot (and, for v3, fresh).

    `headers` must be case-insensitive (Starlette's are); `uri` is the full URL HubSpot called,
    scheme, host and query included (behind a proxy, rebuild it from the forwarded headers).
    """
    signature_v3 = headers.get("x-hubspot-signature-v3")
    if signature_v3:
        timestamp = headers.get("x-hubspot-request-timestamp") or ""
        if not timestamp.isdigit():
            raise WebhookRejected("missing HubSpot request timestamp")
        age = now - datetime.fromtimestamp(int(timestamp) / 1000, UTC)
        if age > MAX_AGE:
            raise WebhookRejected("stale HubSpot delivery")
        expected = hubspot_signature_v3(client_secret, method, uri, body, timestamp)
        if not hmac.compare_digest(signature_v3, expected):
            raise WebhookRejected("bad X-HubSpot-Signature-v3")
        return
    signature = headers.get("x-hubspot-signature") or ""
    version = (headers.get("x-hubspot-signature-version") or "v1").lower()
    if version == "v2":
        expected = hubspot_signature_v2(client_secret, method, uri, body)
    elif version == "v1":
        expected = hubspot_signature_v1(client_secret, body)
    else:
        raise WebhookRejected(f"unknown HubSpot signature version {version}")
    if not signature or not hmac.compare_digest(signature.lower(), expected):
        raise WebhookRejected("bad X-HubSpot-Signature")


def parse_hubspot_events(body: bytes) -> list[HubSpotWebhookEvent]:
    """The events of a (verified) delivery: the body is a JSON array."""
    try:
        payload = json.loads(body)
        if not isinstance(payload, list):
            raise TypeError("not a list")
        return [
            HubSpotWebhookEvent(
                event_id=str(item["eventId"]),
                subscription_id=str(item["subscriptionId"]) if "subscriptionId" in item else None,
                subscription_type=str(item["subscriptionType"]),
                object_id=str(item["objectId"]),
                occurred_at=datetime.fromtimestamp(int(item["occurredAt"]) / 1000, UTC),
                property_name=item.get("propertyName"),
                property_value=item.get("propertyValue"),
                raw=item,
            )
            for item in payload
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise WebhookRejected("malformed HubSpot webhook body") from exc


@dataclass(frozen=True)
class HubSpotWebhookReader:
    """HubSpot's posts, signed with the app's client secret over the URL (`CrmWebhookReader`);
    each event names its portal, by which `crm_sync` routes it."""

    client_secret: str

    def read_webhook(
        self, body: bytes, headers: Mapping[str, str], url: str, now: datetime
    ) -> list[WebhookDelivery]:
        verify_hubspot_request(headers, "POST", url, body, self.client_secret, now=now)
        return [
            WebhookDelivery(
                e.dedupe_key,
                {"event": e.raw},
                str(e.raw["portalId"]) if e.raw.get("portalId") is not None else None,
            )
            for e in parse_hubspot_events(body)
        ]
