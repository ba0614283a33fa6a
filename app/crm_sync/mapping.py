"""CRM contacts to lead values, through the CSV import's own row parser (no I/O).

Going through `RowParser` means a CRM contact is normalised exactly like a spreadsheet row:
emails and phones checked and put in E.164, notes read for budget, places, bedrooms, language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.crm_sync.conflicts import without_own_tags
from app.crm_sync.models import CrmProviderName
from app.leads.fields import LeadField
from app.leads.merge import draft_values
from app.leads.rows import LeadDraft, RowParser
from integrations.crm import CrmContact

_COLUMNS = (
    LeadField.FIRST_NAME,
    LeadField.LAST_NAME,
    LeadField.EMAIL,
    LeadField.PHONE,
    LeadField.STATUS,
    LeadField.NOTES,
    LeadField.BUDGET,
    LeadField.TAGS,
)


def contact_parser(default_region: str | None, known_locations: Iterable[str]) -> RowParser:
    return RowParser(
        [field.value for field in _COLUMNS],
        dict(enumerate(_COLUMNS)),
        default_region=default_region,
        known_locations=known_locations,
    )


def _cells(contact: CrmContact) -> list[str]:
    return [
        contact.first_name or "",
        contact.last_name or "",
        "; ".join(contact.emails),
        "; ".join(contact.phones),
        contact.status or "",
        contact.notes or "",
        str(contact.price) if contact.price is not None else "",
        ", ".join(without_own_tags(contact.tags)),
    ]


def contact_values(
    contact: CrmContact, provider: CrmProviderName, parser: RowParser
) -> dict[str, Any] | None:
    """Values for `upsert_leads`, or None when the contact has no usable email or phone."""
    parsed = parser.parse(0, _cells(contact))
    if not isinstance(parsed, LeadDraft):
        return None
    parsed.last_contact_at = contact.last_activity_at
    parsed.created_at = contact.created_at
    parsed.external_id = contact.external_id
    values = draft_values(parsed)
    values["external_source"] = provider.value
    # New leads get the provider as their source; a lead we already had keeps its own.
    values["source"] = None
    return values


def lead_source(provider: CrmProviderName) -> str:
    """The `source` of leads a CRM brought in and of the changes it made to them."""
    return provider.value
