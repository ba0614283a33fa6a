"""Every lead query: scoped to one brokerage, set-based, never one query per lead."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.tenancy import scoped
from app.leads.models import Lead, LeadChange
from app.leads.temperature import Temperature, temperature_bounds

# Columns an upsert reads back to merge into; everything a source can change.
MERGE_COLUMNS = (
    "id",
    "name",
    "email",
    "phone",
    "other_emails",
    "other_phones",
    "last_contact_at",
    "crm_status",
    "owner",
    "tags",
    "notes",
    "language",
    "locations",
    "location_keys",
    "min_budget",
    "max_budget",
    "currency",
    "bedrooms",
    "operation",
    "external_source",
    "external_id",
    "source",
)


def leads_query(
    brokerage_id: int, *, temperature: Temperature | None, search: str | None, now: datetime
) -> Select[Any]:
    stmt = scoped(Lead, brokerage_id)
    if temperature is not None:
        bounds = temperature_bounds(now)
        if temperature is Temperature.HOT:
            stmt = stmt.where(Lead.last_contact_at > bounds.hot_after)
        elif temperature is Temperature.WARM:
            stmt = stmt.where(
                Lead.last_contact_at > bounds.cold_at_or_before,
                Lead.last_contact_at <= bounds.hot_after,
            )
        else:
            stmt = stmt.where(
                or_(
                    Lead.last_contact_at.is_(None), Lead.last_contact_at <= bounds.cold_at_or_before
                )
            )
    if search and search.strip():
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            or_(Lead.name.ilike(pattern), Lead.email.ilike(pattern), Lead.phone.ilike(pattern))
        )
    return stmt


async def find_for_merge(
    session: AsyncSession,
    brokerage_id: int,
    *,
    emails: Iterable[str],
    phones: Iterable[str],
    external: tuple[str, Iterable[str]] | None = None,
) -> list[dict[str, Any]]:
    """Existing leads known by any of these emails, phones or external ids, as plain dicts."""
    emails, phones = list(set(emails)), list(set(phones))
    conditions: list[ColumnElement[bool]] = []
    if emails:
        conditions.append(Lead.email.in_(emails))
    if phones:
        conditions.append(Lead.phone.in_(phones))
    if external is not None:
        source, ids = external
        ids = list(set(ids))
        if ids:
            conditions.append(and_(Lead.external_source == source, Lead.external_id.in_(ids)))
    if not conditions:
        return []
    columns = [getattr(Lead, name) for name in MERGE_COLUMNS]
    stmt = select(*columns).where(Lead.brokerage_id == brokerage_id, or_(*conditions))
    return [dict(row._mapping) for row in await session.execute(stmt)]


async def insert_leads(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert many leads in one executemany round trip; their new ids, in order."""
    if not rows:
        return []
    # Core insert on the table: the ORM bulk path splices RETURNING rows once per row (O(n^2)).
    table = Lead.__table__
    assert isinstance(table, Table)
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list((await session.execute(stmt, list(rows))).scalars())


async def update_leads(session: AsyncSession, changes: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key; each dict holds `id` and the changed columns."""
    by_columns: dict[frozenset[str], list[dict[str, Any]]] = {}
    for change in changes:
        by_columns.setdefault(frozenset(change), []).append(change)
    for group in by_columns.values():
        await session.execute(update(Lead), group)


async def log_changes(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(LeadChange), list(rows))
