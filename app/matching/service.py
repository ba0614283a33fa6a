"""Matching, set-based: load a brokerage's leads column-wise once, score with numpy, upsert rows
(the statements are matching/repository.py's).

Never a query per lead: one SELECT for the leads, one for the properties, one executemany upsert
for the matches and one DELETE for pairs that stopped matching.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.core.db import utcnow
from app.core.text import fold
from app.leads import repository as leads_repository
from app.leads.places import listing_keys, location_parts
from app.matching import repository
from app.matching.lead_matrix import LeadMatrix, MatchColumns, match_columns
from app.matching.scoring import (
    LeadFacts,
    MatchGate,
    PropertyFacts,
    ScoringWeights,
    TierPolicy,
)
from app.properties.models import Property


@dataclass(frozen=True)
class ScoringConfig:
    weights: ScoringWeights
    policy: TierPolicy
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET

    @classmethod
    def for_brokerage(cls, brokerage: Brokerage | None) -> ScoringConfig:
        scoring = (brokerage.scoring if brokerage else None) or {}
        return cls(
            ScoringWeights.from_dict(scoring.get("weights")),
            TierPolicy.from_dict(scoring.get("tiers")),
            MatchGate(scoring.get("gate") or MatchGate.PLACE_OR_BUDGET.value),
        )


async def load_lead_matrix(
    session: AsyncSession, brokerage_id: int, lead_ids: Sequence[int] | None = None
) -> LeadMatrix:
    rows = await repository.lead_columns(session, brokerage_id, lead_ids)
    return LeadMatrix.from_facts(
        LeadFacts(
            id=row.id,
            location_keys=row.location_keys or (),
            min_budget=row.min_budget,
            max_budget=row.max_budget,
            rent_min_budget=row.rent_min_budget,
            rent_max_budget=row.rent_max_budget,
            currency=row.currency,
            bedrooms=row.bedrooms,
            last_contact_at=row.last_contact_at,
            qualification_score=row.qualification_score,
            operation=row.operation,
        )
        for row in rows
    )


def property_facts(listing: Property) -> PropertyFacts:
    return PropertyFacts(
        id=listing.id,
        location_key=listing.location_key,
        city_key=listing.city_key,
        price=listing.price,
        bedrooms=listing.bedrooms,
        operation=listing.operation,
        currency=listing.currency,
        area_keys=listing_keys(listing.location, listing.city),
    )


def _rows(brokerage_id: int, property_id: int, columns: MatchColumns) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "brokerage_id": brokerage_id,
            "lead_id": lead_id,
            "property_id": property_id,
            "score": round(total, 2),
            "tier": tier,
            "breakdown": {
                "location": location,
                "price": price,
                "bedrooms": bedrooms,
                "recency": recency,
                "quality": round(quality, 2),
            },
            "gate": gate,
            "created_at": now,
            "updated_at": now,
        }
        for lead_id, tier, location, price, bedrooms, recency, quality, total, gate in zip(
            columns.lead_ids.tolist(),
            columns.tiers.tolist(),
            columns.location.tolist(),
            columns.price.tolist(),
            columns.bedrooms.tolist(),
            columns.recency.tolist(),
            columns.quality.tolist(),
            columns.total.tolist(),
            columns.gates.tolist(),
            strict=True,
        )
    ]


async def match_properties(
    session: AsyncSession,
    brokerage_id: int,
    listings: Sequence[Property],
    *,
    lead_ids: Sequence[int] | None = None,
) -> dict[int, int]:
    """Score leads (all, or `lead_ids`) against `listings`; store matches; count per property.

    Pairs scored here that no longer clear the threshold lose their match row (their
    conversation, if any, stays).
    """
    if not listings:
        return {}
    await adopt_places_from_notes(session, brokerage_id, listings, lead_ids)
    config = ScoringConfig.for_brokerage(await session.get(Brokerage, brokerage_id))
    matrix = await load_lead_matrix(session, brokerage_id, lead_ids)
    results = match_columns(
        matrix,
        [property_facts(p) for p in listings],
        config.weights,
        utcnow(),
        config.policy,
        config.gate,
    )
    counts: dict[int, int] = {}
    for listing, columns in zip(listings, results, strict=True):
        rows = _rows(brokerage_id, listing.id, columns)
        await repository.upsert_matches(session, rows)
        counts[listing.id] = len(rows)
        matched = {row["lead_id"] for row in rows}
        stale = await repository.matched_lead_ids(session, listing.id, lead_ids)
        gone = [lead for lead in stale if lead not in matched]
        if gone:
            await repository.delete_matches(session, listing.id, gone)
    return counts


async def adopt_places_from_notes(
    session: AsyncSession,
    brokerage_id: int,
    listings: Sequence[Property],
    lead_ids: Sequence[int] | None = None,
) -> int:
    """Leads whose notes name a listing's neighbourhood ("busca algo en Polanco") prefer it.

    The import reads notes against the listings known then; a listing created later gets the
    same reading here. Only neighbourhoods: a city named in notes says too little, so of a
    "Colonia, Alcaldía" place only the colonia is looked for.
    """
    places: dict[str, str] = {}
    for listing in listings:
        if parts := location_parts(listing.location or ""):
            places.setdefault(fold(parts[0]), parts[0])
    if not places:
        return 0
    mention = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in places) + r")(?!\w)")
    rows = await repository.leads_with_notes(session, brokerage_id, lead_ids)
    changes, log = [], []
    now = utcnow()
    for lead_id, notes, locations, keys in rows:
        found = {m for m in mention.findall(fold(notes)) if m not in (keys or [])}
        if found:
            new_locations = [*(locations or []), *(places[k] for k in sorted(found))]
            changes.append(
                {
                    "id": lead_id,
                    "locations": new_locations,
                    "location_keys": [*(keys or []), *sorted(found)],
                }
            )
            log.append(
                {
                    "brokerage_id": brokerage_id,
                    "lead_id": lead_id,
                    "source": "NOTES",
                    "field": "locations",
                    "old_value": ", ".join(locations or []),
                    "new_value": ", ".join(new_locations),
                    "at": now,
                }
            )
    await leads_repository.update_leads(session, changes)
    await leads_repository.log_changes(session, log)
    return len(changes)
