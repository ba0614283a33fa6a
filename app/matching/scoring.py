"""Match scoring of DESIGN.md section 4: weights, tier policy and the plain-Python reference.

`score_match` scores one lead against one property; the numpy engine in `lead_matrix.py` must
agree with it exactly, so both add the same floats in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from app.core.text import fold

Money = int | float | Decimal


class LeadOperation(StrEnum):
    BUY = "BUY"
    RENT = "RENT"
    ANY = "ANY"


class PropertyOperation(StrEnum):
    SALE = "SALE"
    RENT = "RENT"


class Tier(StrEnum):
    HOT = "HOT"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


def location_keys(names: Iterable[str | None]) -> tuple[str, ...]:
    """Folded, de-duplicated, non-empty location keys: ['Peñas', 'PENAS', ''] -> ('penas',)."""
    keys = (fold(name) for name in names if name)
    return tuple(dict.fromkeys(key for key in keys if key))


def _enum_value(value: Any) -> Any:
    # The ORM models carry their own enum classes; accept those, ours, or their plain values.
    return getattr(value, "value", value)


@dataclass(frozen=True, slots=True)
class LeadFacts:
    """What matching needs to know about a lead; `location_keys` are already fold()-ed."""

    id: Hashable
    location_keys: Collection[str] = ()
    min_budget: Money | None = None
    max_budget: Money | None = None
    bedrooms: int | None = None
    last_contact_at: datetime | None = None
    qualification_score: float | None = None
    operation: LeadOperation = LeadOperation.ANY
    opted_out: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "operation", LeadOperation(_enum_value(self.operation)))


@dataclass(frozen=True, slots=True)
class PropertyFacts:
    """What matching needs to know about a listing; both keys are already fold()-ed."""

    id: Hashable
    location_key: str | None
    city_key: str | None
    price: Money
    bedrooms: int | None
    operation: PropertyOperation

    def __post_init__(self) -> None:
        object.__setattr__(self, "operation", PropertyOperation(_enum_value(self.operation)))

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for key in (self.location_key, self.city_key) if key)


def _number(owner: str, name: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{owner}.{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        bound = "greater than 0" if positive else "0 or more"
        raise ValueError(f"{owner}.{name} must be a finite number {bound}, got {value!r}")
    return number


def _overrides(owner: str, data: Any, allowed: Collection[str]) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError(f"{owner} overrides must be an object, got {type(data).__name__}")
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise ValueError(f"unknown {owner} field(s): {', '.join(unknown)}")
    return data


def _recency_days(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"ScoringWeights.recency: days must be a whole number, got {value!r}")
    try:
        days = int(value) if isinstance(value, int | str) else None
    except ValueError:
        days = None
    if days is None or days <= 0:
        raise ValueError(f"ScoringWeights.recency: days must be a whole number > 0, got {value!r}")
    return days


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """Points per component. `recency` is (days, points) pairs: under that many days, those points.

    Stored per brokerage as JSON (`to_dict`); `from_dict` takes a partial override of the defaults
    (a `recency` override replaces the whole table).
    """

    location: float = 30.0
    price: float = 25.0
    bedrooms: float = 15.0
    recency: tuple[tuple[int, float], ...] = ((30, 20.0), (60, 10.0), (90, 5.0))
    quality_factor: float = 0.1
    cap: float = 100.0

    def __post_init__(self) -> None:
        owner = "ScoringWeights"
        for name in ("location", "price", "bedrooms", "quality_factor"):
            object.__setattr__(self, name, _number(owner, name, getattr(self, name)))
        object.__setattr__(self, "cap", _number(owner, "cap", self.cap, positive=True))
        tiers: dict[int, float] = {}
        for days, points in self.recency:
            day_count = _recency_days(days)
            if day_count in tiers:
                raise ValueError(f"ScoringWeights.recency: {day_count} days given twice")
            tiers[day_count] = _number(owner, f"recency[{day_count}]", points)
        object.__setattr__(self, "recency", tuple(sorted(tiers.items())))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ScoringWeights:
        fields = _overrides("ScoringWeights", data, cls.__dataclass_fields__)
        values = dict(fields)
        if "recency" in values:
            recency = values["recency"]
            if not isinstance(recency, Mapping):
                raise ValueError('ScoringWeights.recency must be an object like {"30": 20}')
            values["recency"] = tuple(recency.items())
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "price": self.price,
            "bedrooms": self.bedrooms,
            "recency": {str(days): points for days, points in self.recency},
            "quality_factor": self.quality_factor,
            "cap": self.cap,
        }


@dataclass(frozen=True, slots=True)
class TierPolicy:
    """Outreach tier by score: above `hot`, above `medium`, above `low`; `low` is the match line."""

    hot: float = 70.0
    medium: float = 50.0
    low: float = 30.0

    def __post_init__(self) -> None:
        for name in ("hot", "medium", "low"):
            object.__setattr__(self, name, _number("TierPolicy", name, getattr(self, name)))
        if not self.low <= self.medium <= self.hot:
            raise ValueError(
                f"TierPolicy thresholds must satisfy low <= medium <= hot, "
                f"got low={self.low}, medium={self.medium}, hot={self.hot}"
            )

    @property
    def threshold(self) -> float:
        """Scores above this are matches."""
        return self.low

    def tier_for(self, score: float) -> Tier | None:
        if score > self.hot:
            return Tier.HOT
        if score > self.medium:
            return Tier.MEDIUM
        if score > self.low:
            return Tier.LOW
        return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> TierPolicy:
        return cls(**_overrides("TierPolicy", data, cls.__dataclass_fields__))

    def to_dict(self) -> dict[str, float]:
        return {"hot": self.hot, "medium": self.medium, "low": self.low}


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

    def to_dict(self) -> dict[str, float]:
        return {
            "location": self.location,
            "price": self.price,
            "bedrooms": self.bedrooms,
            "recency": self.recency,
            "quality": self.quality,
            "total": self.total,
        }


def as_utc(moment: datetime) -> datetime:
    """Aware datetimes as they are; naive ones are taken to be UTC (SQLite drops the zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_eligible(lead: LeadFacts, prop: PropertyFacts) -> bool:
    """Opted-out leads never match; a rent-only lead skips sales and a buyer skips rentals."""
    if lead.opted_out:
        return False
    if prop.operation is PropertyOperation.SALE:
        return lead.operation is not LeadOperation.RENT
    return lead.operation is not LeadOperation.BUY


def price_fits(lead: LeadFacts, price: Money) -> bool:
    """min <= price <= max; no min means 0, no max means no ceiling, no budget at all never fits."""
    if lead.min_budget is None and lead.max_budget is None:
        return False
    low = 0.0 if lead.min_budget is None else float(lead.min_budget)
    high = math.inf if lead.max_budget is None else float(lead.max_budget)
    return low <= float(price) <= high


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
) -> ScoreBreakdown | None:
    """The breakdown of one (lead, property) pair, or None when the lead is skipped outright."""
    if not is_eligible(lead, prop):
        return None
    now = now or datetime.now(UTC)
    keys = prop.keys
    location = weights.location if any(key in keys for key in lead.location_keys) else 0.0
    price = weights.price if price_fits(lead, prop.price) else 0.0
    same_bedrooms = lead.bedrooms is not None and lead.bedrooms == prop.bedrooms
    bedrooms = weights.bedrooms if same_bedrooms else 0.0
    recency = recency_points(lead.last_contact_at, now, weights)
    quality = float(lead.qualification_score or 0) * weights.quality_factor
    # The engine adds in exactly this order, so both give bit-identical floats.
    total = min(location + price + bedrooms + recency + quality, weights.cap)
    return ScoreBreakdown(location, price, bedrooms, recency, quality, total)
