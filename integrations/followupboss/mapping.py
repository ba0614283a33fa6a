"""Follow Up Boss person JSON -> `CrmContact`, and the rate-limit headers -> `Quota` (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from integrations.crm import CrmContact
from integrations.ratelimit import Quota

# Asked for explicitly: FUB leaves some of these out of the default field set.
PERSON_FIELDS = (
    "id,firstName,lastName,emails,phones,stage,tags,price,lastActivity,created,updated,"
    "background,source"
)


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 (with `Z` or offset) as an aware UTC datetime; naive values are taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _values(items: object) -> list[str]:
    if not isinstance(items, list):
        return []
    values = (item.get("value") if isinstance(item, Mapping) else item for item in items)
    return [str(v).strip() for v in values if v and str(v).strip()]


def _price(value: object) -> Decimal | None:
    if value in (None, "", 0):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def person_to_contact(person: Mapping[str, Any]) -> CrmContact:
    tags = person.get("tags")
    return CrmContact(
        external_id=str(person["id"]),
        first_name=person.get("firstName") or None,
        last_name=person.get("lastName") or None,
        emails=_values(person.get("emails")),
        phones=_values(person.get("phones")),
        status=person.get("stage") or None,
        tags=[str(t) for t in tags] if isinstance(tags, list) else [],
        price=_price(person.get("price")),
        last_activity_at=parse_datetime(person.get("lastActivity")),
        created_at=parse_datetime(person.get("created")),
        updated_at=parse_datetime(person.get("updated")),
        notes=person.get("background") or None,
        source=person.get("source") or None,
        raw=dict(person),
    )


def fub_quota(headers: httpx.Headers) -> Quota | None:
    """`X-RateLimit-Limit/-Remaining/-Window` (sliding window in seconds), when all are present."""
    try:
        return Quota(
            limit=int(headers["x-ratelimit-limit"]),
            remaining=int(headers["x-ratelimit-remaining"]),
            window_seconds=float(headers.get("x-ratelimit-window", "10")),
        )
    except (KeyError, ValueError):
        return None
