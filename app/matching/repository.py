"""Every query of matching: the leads' columns it scores, the candidates' notes, the listings
it scores them against, and the match rows it writes (tenant-scoped by brokerage)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.leads.models import Lead, LeadStatus
from app.matching.models import Match
from app.properties.models import Property

# Rows per statement of the match upsert (an executemany).
UPSERT_BATCH = 5000


async def lead_columns(
    session: AsyncSession, brokerage_id: int, lead_ids: Sequence[int] | None = None
) -> Sequence[Row[Any]]:
    """What scoring reads of the brokerage's matchable leads (all, or `lead_ids`), one statement."""
    stmt = select(
        Lead.id,
        Lead.location_keys,
        Lead.min_budget,
        Lead.max_budget,
        Lead.rent_min_budget,
        Lead.rent_max_budget,
        Lead.currency,
        Lead.bedrooms,
        Lead.last_contact_at,
        Lead.qualification_score,
        Lead.operation,
    ).where(
        Lead.brokerage_id == brokerage_id,
        Lead.opted_out.is_(False),
        # A lead who bought elsewhere or stopped looking is out of matching until put back.
        Lead.status == LeadStatus.ACTIVE,
    )
    if lead_ids is not None:
        stmt = stmt.where(Lead.id.in_(lead_ids))
    return (await session.execute(stmt)).all()


async def leads_with_notes(
    session: AsyncSession, brokerage_id: int, lead_ids: Sequence[int] | None = None
) -> Sequence[Any]:
    """(id, notes, locations, location_keys) of the brokerage's reachable leads with notes."""
    stmt = select(Lead.id, Lead.notes, Lead.locations, Lead.location_keys).where(
        Lead.brokerage_id == brokerage_id, Lead.notes != "", Lead.opted_out.is_(False)
    )
    if lead_ids is not None:
        stmt = stmt.where(Lead.id.in_(lead_ids))
    return (await session.execute(stmt)).all()


async def upsert_matches(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert the match rows, or update the score, tier, breakdown and gate of existing pairs."""
    if not rows:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(Match)
    stmt = stmt.on_conflict_do_update(
        index_elements=["lead_id", "property_id"],
        set_={
            "score": stmt.excluded.score,
            "tier": stmt.excluded.tier,
            "breakdown": stmt.excluded.breakdown,
            "gate": stmt.excluded.gate,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    for start in range(0, len(rows), UPSERT_BATCH):
        await session.execute(stmt, rows[start : start + UPSERT_BATCH])


async def matched_lead_ids(
    session: AsyncSession, property_id: int, lead_ids: Sequence[int] | None = None
) -> list[int]:
    """The leads (all, or among `lead_ids`) with a match row on the listing."""
    stmt = select(Match.lead_id).where(Match.property_id == property_id)
    if lead_ids is not None:
        stmt = stmt.where(Match.lead_id.in_(lead_ids))
    return list((await session.execute(stmt)).scalars())


async def delete_matches(session: AsyncSession, property_id: int, lead_ids: list[int]) -> None:
    await session.execute(
        delete(Match).where(
            tuple_(Match.property_id, Match.lead_id).in_([(property_id, g) for g in lead_ids])
        )
    )


async def active_properties(
    session: AsyncSession, brokerage_id: int, property_ids: Sequence[int] | None = None
) -> list[Property]:
    stmt = select(Property).where(Property.brokerage_id == brokerage_id, Property.active.is_(True))
    if property_ids is not None:
        stmt = stmt.where(Property.id.in_(property_ids))
    return list((await session.execute(stmt.order_by(Property.id))).scalars())
