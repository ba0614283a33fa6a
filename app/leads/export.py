"""Every lead of a brokerage as CSV rows a spreadsheet opens safely.

A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, the OWASP advice for CSV injection: Excel and Sheets show the
text as typed and run nothing. That includes E.164 phones ("+52..."), which Excel would otherwise
turn into a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.leads.models import Lead
from app.leads.temperature import lead_temperature

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADERS = (
    "Name", "Email", "Phone", "Other emails", "Other phones", "Last contact", "Temperature",
    "Opted out", "Source", "External ID", "CRM status", "Owner", "Tags", "Notes", "Language",
    "Locations", "Min budget", "Max budget", "Currency", "Bedrooms", "Operation", "Created",
)  # fmt: skip


def inert(value: Any) -> str:
    """The cell's text, with an apostrophe before anything a spreadsheet would evaluate."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def lead_row(lead: Lead, now: datetime) -> list[str]:
    values: list[Any] = [
        lead.name,
        lead.email,
        lead.phone,
        "; ".join(lead.other_emails or []),
        "; ".join(lead.other_phones or []),
        lead.last_contact_at,
        lead_temperature(lead.last_contact_at, now).value,
        "yes" if lead.opted_out else "no",
        lead.source,
        lead.external_id,
        lead.crm_status,
        lead.owner,
        "; ".join(lead.tags or []),
        lead.notes,
        lead.language,
        "; ".join(lead.locations or []),
        lead.min_budget,
        lead.max_budget,
        lead.currency,
        lead.bedrooms,
        lead.operation.value,
        lead.created_at,
    ]
    return [inert(value) for value in values]


def csv_text(rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def first_chunk() -> str:
    """A UTF-8 BOM (so Excel reads the accents right), then the header."""
    return BOM + csv_text([HEADERS])
