"""How a freshly read lead (CSV row, CRM contact, form) folds into what we already know.

Pure rules, no I/O: the newest last contact wins; no known email or phone is ever dropped;
values the source actually has replace blanks and stale values; opt-outs and AI fields
(qualification score) are never touched by an import.
"""

from __future__ import annotations

from typing import Any

from app.leads.places import lead_key
from app.leads.rows import LeadDraft

# Contact and preference fields a source may set; the AI's own fields are not among them.
_REPLACEABLE = (
    "name",
    "crm_status",
    "owner",
    "notes",
    "min_budget",
    "max_budget",
    "rent_min_budget",
    "rent_max_budget",
    "currency",
    "bedrooms",
    "language",
    "source",
)


def draft_values(draft: LeadDraft) -> dict[str, Any]:
    """Column values for a new lead from a draft."""
    locations = list(draft.locations)
    return {
        "name": draft.name or "",
        "email": draft.emails[0] if draft.emails else None,
        "phone": draft.phones[0] if draft.phones else None,
        "other_emails": draft.emails[1:],
        "other_phones": draft.phones[1:],
        "last_contact_at": draft.last_contact_at,
        "crm_status": draft.status,
        "owner": draft.owner,
        "tags": list(draft.tags),
        "notes": draft.notes or "",
        "language": draft.language,
        "locations": locations,
        "location_keys": location_keys(locations),
        "min_budget": draft.min_budget,
        "max_budget": draft.max_budget,
        "rent_min_budget": draft.rent_min_budget,
        "rent_max_budget": draft.rent_max_budget,
        "currency": draft.currency,
        "bedrooms": draft.bedrooms,
        "operation": draft.operation.value if draft.operation else "ANY",
        "external_id": draft.external_id,
        "source": draft.source,
    }


def location_keys(locations: list[str]) -> list[str]:
    """What matching compares a lead's places by: the gazetteer's key of each ("Roma Nte." and
    "roma norte" alike), else the folded text."""
    keys = [key for key in map(lead_key, locations) if key]
    return keys if len(keys) < 2 else list(dict.fromkeys(keys))


def merge_into(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The changed columns when `incoming` (from `draft_values`) is folded into `current`."""
    changes: dict[str, Any] = {}
    for column in _REPLACEABLE:
        value = incoming.get(column)
        if value not in (None, "") and value != current.get(column):
            changes[column] = value
    # Notes accumulate: a second row, a CRM background and a form each add what they know.
    notes, known = incoming.get("notes") or "", current.get("notes") or ""
    if notes and known and notes not in known:
        changes["notes"] = f"{known}\n\n{notes}"
    elif notes and notes in known:
        changes.pop("notes", None)

    newest = _newest(current.get("last_contact_at"), incoming.get("last_contact_at"))
    if newest != current.get("last_contact_at"):
        changes["last_contact_at"] = newest

    emails = _addresses(current, incoming, "email", "other_emails")
    phones = _addresses(current, incoming, "phone", "other_phones")
    changes.update(emails)
    changes.update(phones)

    tags = list(dict.fromkeys([*(current.get("tags") or []), *(incoming.get("tags") or [])]))
    if tags != (current.get("tags") or []):
        changes["tags"] = tags
    if incoming.get("locations") and incoming["locations"] != current.get("locations"):
        changes["locations"] = incoming["locations"]
        changes["location_keys"] = incoming["location_keys"]
    if incoming.get("operation") not in (None, "ANY") and incoming["operation"] != current.get(
        "operation"
    ):
        changes["operation"] = incoming["operation"]
    if incoming.get("external_id") and not current.get("external_id"):
        changes["external_id"] = incoming["external_id"]
    return changes


def _newest(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _addresses(
    current: dict[str, Any], incoming: dict[str, Any], primary: str, others: str
) -> dict[str, Any]:
    """Keep the current primary; every other address either side knows goes to `others`."""
    known = [current.get(primary), *(current.get(others) or [])]
    seen = [a for a in dict.fromkeys(known) if a]
    for address in [incoming.get(primary), *(incoming.get(others) or [])]:
        if address and address not in seen:
            seen.append(address)
    changes: dict[str, Any] = {}
    new_primary = current.get(primary) or (seen[0] if seen else None)
    rest = [a for a in seen if a != new_primary]
    if new_primary != current.get(primary):
        changes[primary] = new_primary
    if rest != (current.get(others) or []):
        changes[others] = rest
    return changes
