"""Suppression: a person erased (or who must never be messaged again) stays out of every import.

Only a SHA-256 digest of each normalised email and phone is kept, scoped to the brokerage, so the
entry holds no readable personal data. Every way a lead comes in (CSV and workbook imports,
`createLead`, CRM syncs) goes through `leads.service.upsert_leads`, which drops suppressed
people before anything is written; the import reports each one as a skipped row with its line.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.leads import repository

SKIPPED = "Row skipped: this person's lead was erased and they must not be contacted again"


def digest(kind: str, address: str) -> str:
    """kind 'e' (a normalised email) or 'p' (an E.164 phone)."""
    return hashlib.sha256(f"{kind}:{address}".encode()).hexdigest()


def digests_of(values: dict[str, Any]) -> list[str]:
    """The digests of every email and phone of a lead (a row's values or a lead's columns)."""
    emails = [values.get("email"), *(values.get("other_emails") or [])]
    phones = [values.get("phone"), *(values.get("other_phones") or [])]
    return [digest("e", a) for a in emails if a] + [digest("p", a) for a in phones if a]


async def without_suppressed(
    session: AsyncSession, brokerage_id: int, incoming: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[int]]:
    """`incoming` without the suppressed people, and the positions of those left out."""
    if not incoming or not await repository.has_suppressions(session, brokerage_id):
        return incoming, []  # most brokerages erased nobody: no digest to make per address
    per_row = [digests_of(values) for values in incoming]
    found = await repository.suppressed(session, brokerage_id, (d for ds in per_row for d in ds))
    if not found:
        return incoming, []
    dropped = [i for i, ds in enumerate(per_row) if found.intersection(ds)]
    skip = set(dropped)
    return [v for i, v in enumerate(incoming) if i not in skip], dropped


async def suppress(
    session: AsyncSession, brokerage_id: int, lead: dict[str, Any], reason: str
) -> None:
    await repository.add_suppressions(session, brokerage_id, digests_of(lead), reason)
