"""Match scoring of DESIGN.md section 4: weights, tier policy and the plain-Python reference.

`score_match` scores one lead against one property; the numpy engine in `lead_matrix.py` must
agree with it exactly, so both add the same floats in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from app.core.text import fold
from app.core.vocabulary import (
    ListingOperation,
    MatchGate,
    Operation,
    ScoringWeights,
    TierPolicy,
)

Money = int | float | Decimal


class MatchReason(StrEnum):
    """Which gate let a match through: what the broker reads as the reason for it."""

    PLACE = "PLACE"
    BUDGET = "BUDGET"  # the lead named no place and the price fits
    PLACE_AND_BUDGET = "PLACE_AND_BUDGET"
    RELAXED = "RELAXED"  # no reason above; only the brokerage's gate NONE lets it through


def match_reason(located: bool, in_budget: bool, names_places: bool) -> MatchReason:
    """A wanted place is a reason; a fitting budget is one only for a lead who named no place
    (one who wants Polanco is not pitched a house in Coyoacán because its price fits)."""
    if located:
        return MatchReason.PLACE_AND_BUDGET if in_budget else MatchReason.PLACE
    return MatchReason.BUDGET if in_budget and not names_places else MatchReason.RELAXED


def currency_code(value: str | None) -> str | None:
    """Upper-cased ISO 4217 code, or None when unknown."""
    return value.strip().upper() or None if value else None


def location_keys(names: Iterable[str | None]) -> tuple[str, ...]:
    """Folded, de-duplicated, non-empty location keys: ['Peñas', 'PENAS', ''] -> ('penas',)."""
    keys = (fold(name) for name in names if name)
    return tuple(dict.fromkeys(key for key in keys if key))


def _enum_value(value: Any) -> Any:
    # The ORM models carry their own enum classes; accept those, ours, or their plain values.
    return getattr(value, "value", value)


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What matching needs to know about a lead; `location_keys` are already fold()-ed.

    `min_budget`/`max_budget` are a purchase budget, `rent_min_budget`/`rent_max_budget` a
    monthly rent, both in `currency` (None: unknown, taken to be the listing's).
    """

    id: Hashable
    location_keys: Collection[str] = ()
    min_budget: Money | None = None
    max_budget: Money | None = None
    rent_min_budget: Money | None = None
    rent_max_budget: Money | None = None
    currency: str | None = None
    bedrooms: int | None = None
    last_contact_at: datetime | None = None
    qualification_score: float | None = None
    operation: Operation = Operation.ANY
    opted_out: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "operation", Operation(_enum_value(self.operation)))
        object.__setattr__(self, "currency", currency_code(self.currency))

    def budget_for(self, operation: ListingOperation) -> tuple[Money | None, Money | None]:
        """The budget a listing of this kind is priced against: purchase for SALE, rent for RENT."""
        if operation is ListingOperation.SALE:
            return self.min_budget, self.max_budget
        return self.rent_min_budget, self.rent_max_budget


@dataclass(frozen=True, slots=True)
class PropertyFacts:
    """What matching needs to know about a listing; both keys are already fold()-ed. A RENT
    listing's price is per month; `currency` None means the brokerage's own."""

    id: Hashable
    location_key: str | None
    city_key: str | None
    price: Money
    bedrooms: int | None
    operation: ListingOperation
    currency: str | None = None
    # The wider areas the gazetteer places the listing in (zone, municipality, city), folded.
    area_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "operation", ListingOperation(_enum_value(self.operation)))
        object.__setattr__(self, "currency", currency_code(self.currency))

    @property
    def keys(self) -> frozenset[str]:
        own = frozenset(key for key in (self.location_key, self.city_key) if key)
        return own | self.area_keys if self.area_keys else own


DEFAULT_WEIGHTS = ScoringWeights()
DEFAULT_POLICY = TierPolicy()


class ScoreBreakdown(NamedTuple):
    """Points per component and their capped total: what the broker sees as the match's "why".

    A named tuple rather than a frozen dataclass: a campaign builds hundreds of thousands of them
    and a tuple is built about four times faster.
    """

    location: float
    price: float
    bedrooms: float
    recency: float
    quality: float
    total: float
    gate: MatchReason = MatchReason.RELAXED

    def to_dict(self) -> dict[str, float | str]:
        return {
            "location": self.location,
            "price": self.price,
            "bedrooms": self.bedrooms,
            "recency": self.recency,
            "quality": self.quality,
            "total": self.total,
            "gate": self.gate.value,
        }


def as_utc(moment: datetime) -> datetime:
    """Aware datetimes as they are; naive ones are taken to be UTC (SQLite drops the zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_eligible(lead: LeadFacts, prop: PropertyFacts) -> bool:
    """Opted-out leads never match; a rent-only lead skips sales and a buyer skips rentals."""
    if lead.opted_out:
        return False
    if prop.operation is ListingOperation.SALE:
        return lead.operation is not Operation.RENT
    return lead.operation is not Operation.BUY


def same_currency(lead: LeadFacts, prop: PropertyFacts) -> bool:
    """No price is compared across currencies (there is no exchange rate to trust); an unknown
    currency on either side is taken to be the other's."""
    return lead.currency is None or prop.currency is None or lead.currency == prop.currency


def price_fits(lead: LeadFacts, prop: PropertyFacts) -> bool:
    """The budget of the listing's kind, in its currency: min <= price <= max. No min means 0,
    no max means no ceiling; no budget of that kind, or another currency, never fits."""
    low_budget, high_budget = lead.budget_for(prop.operation)
    if low_budget is None and high_budget is None:
        return False
    if not same_currency(lead, prop):
        return False
    low = 0.0 if low_budget is None else float(low_budget)
    high = math.inf if high_budget is None else float(high_budget)
    return low <= float(prop.price) <= high


def recency_points(
    last_contact_at: datetime | None, now: datetime, weights: ScoringWeights
) -> float:
    """Points of the smallest recency tier the contact's age is under; no contact date scores 0."""
    if last_contact_at is None:
        return 0.0
    age = as_utc(now) - as_utc(last_contact_at)
    for days, points in weights.recency:
        if age < timedelta(days=days):
            return points
    return 0.0


def score_match(
    lead: LeadFacts,
    prop: PropertyFacts,
    weights: ScoringWeights = DEFAULT_WEIGHTS,
    now: datetime | None = None,
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
) -> ScoreBreakdown | None:
    """The breakdown of one (lead, property) pair, or None when the lead is skipped outright or,
    under the PLACE_OR_BUDGET gate, has no reason (`match_reason`): the listing is in none of the
    places the lead named, or the lead named none and the price does not fit."""
    if not is_eligible(lead, prop):
        return None
    keys = prop.keys
    located = any(key in keys for key in lead.location_keys)
    in_budget = price_fits(lead, prop)
    reason = match_reason(located, in_budget, any(lead.location_keys))
    if gate is MatchGate.PLACE_OR_BUDGET and reason is MatchReason.RELAXED:
        return None
    now = now or datetime.now(UTC)
    location = weights.location if located else 0.0
    price = weights.price if in_budget else 0.0
    same_bedrooms = lead.bedrooms is not None and lead.bedrooms == prop.bedrooms
    bedrooms = weights.bedrooms if same_bedrooms else 0.0
    recency = recency_points(lead.last_contact_at, now, weights)
    quality = float(lead.qualification_score or 0) * weights.quality_factor
    # The engine adds in exactly this order, so both give bit-identical floats.
    total = min(location + price + bedrooms + recency + quality, weights.cap)
    return ScoreBreakdown(location, price, bedrooms, recency, quality, total, reason)
