"""The words every domain shares, defined once (models and pure modules import them from here,
so no layer converts one domain's copy into another's by its string).

- `Tier`: how strongly a lead matches a listing (DESIGN.md section 4: HOT > 70, MEDIUM > 50,
  LOW > 30), which decides the outreach channels.
- `Channel`: where a message goes.
- `Operation`: what a lead looks for (to buy, to rent, either); `ListingOperation`: what a
  listing is (for sale or for rent).
- `MatchGate`, `ScoringWeights`, `TierPolicy`: how a brokerage has matching score (its settings,
  kept by accounts and read by matching; DESIGN.md section 4).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Tier(StrEnum):
    HOT = "HOT"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


class Channel(StrEnum):
    EMAIL = "EMAIL"
    SMS = "SMS"
    WHATSAPP = "WHATSAPP"


class Operation(StrEnum):
    BUY = "BUY"
    RENT = "RENT"
    ANY = "ANY"


class ListingOperation(StrEnum):
    SALE = "SALE"
    RENT = "RENT"


class MatchGate(StrEnum):
    """What a pair needs before its points count (a brokerage setting, `matchGate`).

    PLACE_OR_BUDGET: the listing is in a place the lead wants or, for a lead who named no
    place, its price fits the budget of its kind; bedrooms and recency only add to such a fit.
    NONE: any score above the line matches.
    """

    PLACE_OR_BUDGET = "PLACE_OR_BUDGET"
    NONE = "NONE"


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
