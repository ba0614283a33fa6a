"""HubSpot contact JSON -> `CrmContact`, and `X-HubSpot-RateLimit-*` headers -> `Quota` (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from integrations.crm import CrmContact
from integrations.ratelimit import Quota

# HubSpot returns only a handful of properties unless asked: name every one we map.
CONTACT_PROPERTIES = (
    "firstname",
    "lastname",
    "email",
    "hs_additional_emails",
    "phone",
    "mobilephone",
    "hs_lead_status",
    "lifecyclestage",
    "createdate",
    "lastmodifieddate",
    "notes_last_contacted",
    "notes_last_updated",
    "hs_analytics_source",
    "message",
)


def parse_datetime(value: object) -> datetime | None:
    """HubSpot dates: ISO 8601 strings or epoch milliseconds, as aware UTC datetimes."""
    if value in (None, ""):
        return None
    text = str(value)
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _unique(values: list[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip(), None)
    return list(seen)


def contact_to_crm(contact: Mapping[str, Any]) -> CrmContact:
    props: Mapping[str, Any] = contact.get("properties") or {}
    additional = (props.get("hs_additional_emails") or "").split(";")
    last_activity = [
        d
        for d in (
            parse_datetime(props.get("notes_last_contacted")),
            parse_datetime(props.get("notes_last_updated")),
        )
        if d is not None
    ]
    return CrmContact(
        external_id=str(contact["id"]),
        first_name=props.get("firstname") or None,
        last_name=props.get("lastname") or None,
        emails=_unique([props.get("email"), *additional]),
        phones=_unique([props.get("phone"), props.get("mobilephone")]),
        status=props.get("hs_lead_status") or props.get("lifecyclestage") or None,
        tags=[],  # HubSpot contacts have no tags
        price=None,
        last_activity_at=max(last_activity) if last_activity else None,
        created_at=parse_datetime(props.get("createdate") or contact.get("createdAt")),
        updated_at=parse_datetime(props.get("lastmodifieddate") or contact.get("updatedAt")),
        notes=props.get("message") or None,
        source=props.get("hs_analytics_source") or None,
        raw=dict(contact),
    )


def hubspot_quota(headers: httpx.Headers) -> Quota | None:
    try:
        return Quota(
            limit=int(headers["x-hubspot-ratelimit-max"]),
            remaining=int(headers["x-hubspot-ratelimit-remaining"]),
            window_seconds=int(headers.get("x-hubspot-ratelimit-interval-milliseconds", "10000"))
            / 1000,
        )
    except (KeyError, ValueError):
        return None
