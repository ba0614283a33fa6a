"""Vectorised match scoring: a brokerage's leads as numpy columns, scored per property in one pass.

Agrees exactly with `scoring.score_match`: the same float operations in the same order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from app.core.vocabulary import Tier
from app.matching.scoring import (
    DEFAULT_POLICY,
    DEFAULT_WEIGHTS,
    LeadFacts,
    ListingOperation,
    MatchGate,
    MatchReason,
    Operation,
    PropertyFacts,
    ScoreBreakdown,
    ScoringWeights,
    TierPolicy,
    as_utc,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_MICROSECONDS_PER_DAY = 86_400_000_000
# Older than any cutoff: a lead never contacted scores no recency points.
_NEVER = np.iinfo(np.int64).min


def epoch_microseconds(moment: datetime) -> int:
    """Exact integer microseconds since 1970 (naive means UTC), so cutoffs compare exactly."""
    return (as_utc(moment) - _EPOCH) // _MICROSECOND


def _id_array(ids: list[Hashable]) -> npt.NDArray[np.generic]:
    if all(type(lead_id) is int for lead_id in ids):
        try:
            return np.array(ids, dtype=np.int64)
        except OverflowError:
            pass
    array = np.empty(len(ids), dtype=object)
    array[:] = ids
    return array


@dataclass(frozen=True, eq=False)
class LeadMatrix:
    """Matchable leads (opted-out ones are left out) as columns, built once and reused.

    Locations are an inverted index, folded key -> row numbers, rather than a bitmask: it has
    no limit on the number of distinct locations and costs memory only for keys leads have.
    """

    lead_ids: npt.NDArray[np.generic]
    min_budget: FloatArray  # purchase budget; 0 when missing
    max_budget: FloatArray  # +inf when missing
    has_budget: BoolArray
    rent_min_budget: FloatArray  # monthly rent budget; 0 when missing
    rent_max_budget: FloatArray  # +inf when missing
    has_rent_budget: BoolArray
    currency: npt.NDArray[np.str_]  # ISO code, "" when unknown
    bedrooms: IntArray
    has_bedrooms: BoolArray
    last_contact_us: IntArray  # _NEVER when missing
    qualification: FloatArray
    takes_sale: BoolArray  # BUY or ANY
    takes_rent: BoolArray  # RENT or ANY
    names_places: BoolArray  # has a wanted place: then a fitting budget alone is no reason
    rows_by_location: dict[str, IntArray]

    @classmethod
    def from_facts(cls, leads: Iterable[LeadFacts]) -> LeadMatrix:
        ids: list[Hashable] = []
        min_budget: list[float] = []
        max_budget: list[float] = []
        has_budget: list[bool] = []
        rent_min: list[float] = []
        rent_max: list[float] = []
        has_rent: list[bool] = []
        currency: list[str] = []
        bedrooms: list[int] = []
        has_bedrooms: list[bool] = []
        last_contact: list[int] = []
        qualification: list[float] = []
        operations: list[Operation] = []
        names_places: list[bool] = []
        rows: dict[str, list[int]] = {}
        for lead in leads:
            if lead.opted_out:
                continue
            row = len(ids)
            ids.append(lead.id)
            low, high = lead.min_budget, lead.max_budget
            min_budget.append(0.0 if low is None else float(low))
            max_budget.append(np.inf if high is None else float(high))
            has_budget.append(low is not None or high is not None)
            low, high = lead.rent_min_budget, lead.rent_max_budget
            rent_min.append(0.0 if low is None else float(low))
            rent_max.append(np.inf if high is None else float(high))
            has_rent.append(low is not None or high is not None)
            currency.append(lead.currency or "")
            bedrooms.append(0 if lead.bedrooms is None else lead.bedrooms)
            has_bedrooms.append(lead.bedrooms is not None)
            when = lead.last_contact_at
            last_contact.append(_NEVER if when is None else epoch_microseconds(when))
            qualification.append(float(lead.qualification_score or 0))
            operations.append(lead.operation)
            names_places.append(any(lead.location_keys))
            for key in set(lead.location_keys):
                if key:
                    rows.setdefault(key, []).append(row)
        operation = np.array(operations, dtype="<U4")
        return cls(
            lead_ids=_id_array(ids),
            min_budget=np.array(min_budget, dtype=np.float64),
            max_budget=np.array(max_budget, dtype=np.float64),
            has_budget=np.array(has_budget, dtype=bool),
            rent_min_budget=np.array(rent_min, dtype=np.float64),
            rent_max_budget=np.array(rent_max, dtype=np.float64),
            has_rent_budget=np.array(has_rent, dtype=bool),
            currency=np.array(currency, dtype="<U3"),
            bedrooms=np.array(bedrooms, dtype=np.int64),
            has_bedrooms=np.array(has_bedrooms, dtype=bool),
            last_contact_us=np.array(last_contact, dtype=np.int64),
            qualification=np.array(qualification, dtype=np.float64),
            takes_sale=operation != Operation.RENT.value,
            takes_rent=operation != Operation.BUY.value,
            names_places=np.array(names_places, dtype=bool),
            rows_by_location={key: np.array(found, dtype=np.int64) for key, found in rows.items()},
        )

    def __len__(self) -> int:
        return len(self.lead_ids)


class ScoredLeads(NamedTuple):
    """Leads above the match threshold for one property, in matrix order, with their totals."""

    lead_ids: npt.NDArray[np.generic]
    totals: FloatArray


class MatchBreakdown(NamedTuple):
    lead_id: Hashable
    tier: Tier
    breakdown: ScoreBreakdown


_TIER_NAMES = np.array([Tier.LOW.value, Tier.MEDIUM.value, Tier.HOT.value])
_TIER_BY_NAME = {tier.value: tier for tier in Tier}
# Indexed by located + 2 * (a fitting budget that counts), as `scoring.match_reason` decides.
_REASON_NAMES = np.array(
    [
        MatchReason.RELAXED.value,
        MatchReason.PLACE.value,
        MatchReason.BUDGET.value,
        MatchReason.PLACE_AND_BUDGET.value,
    ]
)
_REASON_BY_NAME = {reason.value: reason for reason in MatchReason}


class MatchColumns(NamedTuple):
    """Every match of one property as columns, ready for a set-based insert (`unnest`, COPY)."""

    lead_ids: npt.NDArray[np.generic]
    tiers: npt.NDArray[np.str_]  # "HOT", "MEDIUM" or "LOW"
    location: FloatArray
    price: FloatArray
    bedrooms: FloatArray
    recency: FloatArray
    quality: FloatArray
    total: FloatArray
    gates: npt.NDArray[np.str_]  # the MatchReason that let each match through

    def rows(self) -> list[MatchBreakdown]:
        """One `MatchBreakdown` per match, in the same order."""
        explained = map(
            ScoreBreakdown,
            self.location.tolist(),
            self.price.tolist(),
            self.bedrooms.tolist(),
            self.recency.tolist(),
            self.quality.tolist(),
            self.total.tolist(),
            map(_REASON_BY_NAME.__getitem__, self.gates.tolist()),
        )
        tiers = map(_TIER_BY_NAME.__getitem__, self.tiers.tolist())
        # map() over whole columns keeps the cost per match to building its two tuples.
        return list(map(MatchBreakdown, self.lead_ids.tolist(), tiers, explained))


class _Components(NamedTuple):
    location: FloatArray
    price: FloatArray
    bedrooms: FloatArray
    total: FloatArray
    matched: BoolArray
    reasons: npt.NDArray[np.intp]  # index into _REASON_NAMES; 0 is RELAXED


class _Pass:
    """One scoring pass: the per-lead terms that do not depend on the property, computed once."""

    def __init__(
        self,
        matrix: LeadMatrix,
        weights: ScoringWeights,
        now: datetime,
        policy: TierPolicy,
        gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
    ) -> None:
        self.matrix = matrix
        self.weights = weights
        self.policy = policy
        self.gate = gate
        now_us = epoch_microseconds(now)
        recency = np.zeros(len(matrix), dtype=np.float64)
        # Widest tier first so the narrower (higher-scoring) tiers overwrite it.
        for days, points in reversed(weights.recency):
            recency[matrix.last_contact_us > now_us - days * _MICROSECONDS_PER_DAY] = points
        self.recency = recency
        self.quality = matrix.qualification * weights.quality_factor

    def components(self, prop: PropertyFacts) -> _Components:
        matrix, weights = self.matrix, self.weights
        located = np.zeros(len(matrix), dtype=bool)
        for key in prop.keys:
            rows = matrix.rows_by_location.get(key)
            if rows is not None:
                located[rows] = True
        price = float(prop.price)
        # Only the budget of the listing's kind, only in its currency (see scoring.price_fits).
        if prop.operation is ListingOperation.SALE:
            has, low, high = matrix.has_budget, matrix.min_budget, matrix.max_budget
        else:
            has, low, high = matrix.has_rent_budget, matrix.rent_min_budget, matrix.rent_max_budget
        in_budget = has & (low <= price) & (price <= high)
        if prop.currency is not None:
            in_budget &= (matrix.currency == prop.currency) | (matrix.currency == "")
        same_bedrooms = (
            matrix.has_bedrooms & (matrix.bedrooms == prop.bedrooms)
            if prop.bedrooms is not None
            else np.zeros(len(matrix), dtype=bool)
        )
        location_points = np.where(located, weights.location, 0.0)
        price_points = np.where(in_budget, weights.price, 0.0)
        bedroom_points = np.where(same_bedrooms, weights.bedrooms, 0.0)
        total = location_points + price_points
        total += bedroom_points
        total += self.recency
        total += self.quality
        np.minimum(total, weights.cap, out=total)
        takes = matrix.takes_sale if prop.operation is ListingOperation.SALE else matrix.takes_rent
        matched = takes & (total > self.policy.threshold)
        # A budget is a reason when the lead named no place, or alongside the place.
        budget_counts = in_budget & (located | ~matrix.names_places)
        reasons = located.astype(np.intp) + 2 * budget_counts.astype(np.intp)
        if self.gate is MatchGate.PLACE_OR_BUDGET:
            matched &= reasons > 0
        return _Components(location_points, price_points, bedroom_points, total, matched, reasons)

    def scores(self, prop: PropertyFacts) -> ScoredLeads:
        parts = self.components(prop)
        return ScoredLeads(self.matrix.lead_ids[parts.matched], parts.total[parts.matched])

    def columns(self, prop: PropertyFacts) -> MatchColumns:
        parts = self.components(prop)
        rows = np.flatnonzero(parts.matched)
        totals = parts.total[rows]
        # Every row is above `low`, so two comparisons tell LOW, MEDIUM and HOT apart.
        tier_codes = (totals > self.policy.medium).astype(np.intp) + (totals > self.policy.hot)
        return MatchColumns(
            lead_ids=self.matrix.lead_ids[rows],
            tiers=_TIER_NAMES[tier_codes],
            location=parts.location[rows],
            price=parts.price[rows],
            bedrooms=parts.bedrooms[rows],
            recency=self.recency[rows],
            quality=self.quality[rows],
            total=totals,
            gates=_REASON_NAMES[parts.reasons[rows]],
        )


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def score_property(
    matrix: LeadMatrix,
    prop: PropertyFacts,
    weights: ScoringWeights = DEFAULT_WEIGHTS,
    now: datetime | None = None,
    policy: TierPolicy = DEFAULT_POLICY,
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
) -> ScoredLeads:
    """The leads that match one property (total above the policy's threshold) and their totals."""
    return _Pass(matrix, weights, _now(now), policy, gate).scores(prop)


def score_properties(
    matrix: LeadMatrix,
    props: Sequence[PropertyFacts],
    weights: ScoringWeights = DEFAULT_WEIGHTS,
    now: datetime | None = None,
    policy: TierPolicy = DEFAULT_POLICY,
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
) -> list[ScoredLeads]:
    """`score_property` for many properties, one result per property in the same order."""
    scoring = _Pass(matrix, weights, _now(now), policy, gate)
    return [scoring.scores(prop) for prop in props]


def match_columns(
    matrix: LeadMatrix,
    props: Sequence[PropertyFacts],
    weights: ScoringWeights = DEFAULT_WEIGHTS,
    now: datetime | None = None,
    policy: TierPolicy = DEFAULT_POLICY,
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
) -> list[MatchColumns]:
    """Tiers and breakdowns of the matches of each property, as columns, in the same order."""
    scoring = _Pass(matrix, weights, _now(now), policy, gate)
    return [scoring.columns(prop) for prop in props]


def breakdowns(
    matrix: LeadMatrix,
    prop: PropertyFacts,
    weights: ScoringWeights = DEFAULT_WEIGHTS,
    now: datetime | None = None,
    policy: TierPolicy = DEFAULT_POLICY,
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
) -> list[MatchBreakdown]:
    """Tier and breakdown of every match of one property; built only for pairs above the line."""
    return _Pass(matrix, weights, _now(now), policy, gate).columns(prop).rows()


def breakdowns_for_properties(
    matrix: LeadMatrix,
    props: Sequence[PropertyFacts],
    weights: ScoringWeights = DEFAULT_WEIGHTS,
    now: datetime | None = None,
    policy: TierPolicy = DEFAULT_POLICY,
    gate: MatchGate = MatchGate.PLACE_OR_BUDGET,
) -> list[list[MatchBreakdown]]:
    """`breakdowns` for many properties, one list per property in the same order."""
    return [columns.rows() for columns in match_columns(matrix, props, weights, now, policy, gate)]
