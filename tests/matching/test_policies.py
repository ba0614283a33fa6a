"""Tier thresholds, outreach channels, and per-brokerage overrides stored as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.core.vocabulary import Tier
from app.matching.outreach import (
    Channel,
    outreach_channels,
    reachable_channels,
)
from app.matching.scoring import (
    LeadFacts,
    ListingOperation,
    MatchReason,
    PropertyFacts,
    ScoreBreakdown,
    ScoringWeights,
    TierPolicy,
    score_match,
)

NOW = datetime(2026, 11, 25, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        (0, None),
        (30, None),
        (30.05, Tier.LOW),
        (31, Tier.LOW),
        (50, Tier.LOW),
        (51, Tier.MEDIUM),
        (70, Tier.MEDIUM),
        (70.1, Tier.HOT),
        (71, Tier.HOT),
        (100, Tier.HOT),
    ],
)
def test_default_tiers_start_strictly_above_30_50_and_70(score: float, tier: Tier | None) -> None:
    assert TierPolicy().tier_for(score) is tier


def test_tier_thresholds_are_configurable() -> None:
    strict = TierPolicy.from_dict({"hot": 85, "low": 40})
    assert (strict.hot, strict.medium, strict.low) == (85, 50, 40)
    assert strict.threshold == 40
    assert [strict.tier_for(s) for s in (40, 41, 51, 85, 86)] == [
        None,
        Tier.LOW,
        Tier.MEDIUM,
        Tier.MEDIUM,
        Tier.HOT,
    ]


def test_tier_policy_round_trips_through_json() -> None:
    policy = TierPolicy(hot=80, medium=60, low=35)
    assert TierPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy
    assert TierPolicy.from_dict(None) == TierPolicy() == TierPolicy.from_dict({})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hot": 40}, "low <= medium <= hot"),
        ({"warm": 40}, "unknown TierPolicy field(s): warm"),
        ({"low": "30"}, "TierPolicy.low must be a number, got '30'"),
        ({"low": True}, "TierPolicy.low must be a number, got True"),
        ({"low": -1}, "TierPolicy.low must be a finite number 0 or more, got -1"),
        ({"hot": float("nan")}, "TierPolicy.hot must be a finite number"),
        ([70, 50, 30], "TierPolicy overrides must be an object, got list"),
    ],
)
def test_bad_tier_overrides_are_refused_with_a_clear_message(overrides: Any, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        TierPolicy.from_dict(overrides)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("tier", "channels"),
    [
        (Tier.HOT, (Channel.EMAIL, Channel.SMS)),
        (Tier.MEDIUM, (Channel.EMAIL, Channel.SMS)),
        (Tier.LOW, (Channel.EMAIL,)),
        (None, ()),
    ],
)
def test_each_tier_has_its_channels(tier: Tier | None, channels: tuple[Channel, ...]) -> None:
    assert outreach_channels(tier) == channels


def test_a_low_lead_without_email_keeps_no_channel_to_reach() -> None:
    assert reachable_channels(Tier.LOW, has_email=False, has_phone=True) == ()
    assert reachable_channels(Tier.MEDIUM, has_email=False, has_phone=True) == (Channel.SMS,)
    assert reachable_channels(Tier.HOT, has_email=True, has_phone=False) == (Channel.EMAIL,)


def test_default_weights_are_the_design_formula() -> None:
    assert ScoringWeights().to_dict() == {
        "location": 30,
        "price": 25,
        "bedrooms": 15,
        "recency": {"30": 20, "60": 10, "90": 5},
        "quality_factor": 0.1,
        "cap": 100,
    }


def test_partial_weight_overrides_keep_the_other_defaults() -> None:
    weights = ScoringWeights.from_dict({"location": 40, "recency": {"14": 25, "45": 10}})
    assert weights.location == 40
    assert weights.price == 25
    assert weights.recency == ((14, 25), (45, 10))
    assert ScoringWeights.from_dict(json.loads(json.dumps(weights.to_dict()))) == weights


def test_weight_overrides_change_the_score() -> None:
    weights = ScoringWeights.from_dict(
        {"location": 40, "bedrooms": 0, "recency": {"14": 25, "45": 10}, "quality_factor": 0.2}
    )
    prop = PropertyFacts(1, "centro", "sevilla", 200_000, 3, ListingOperation.SALE)
    lead = LeadFacts(
        id=1,
        location_keys=("sevilla",),
        bedrooms=3,
        last_contact_at=NOW - timedelta(days=20),
        qualification_score=50,
    )
    assert score_match(lead, prop, weights, NOW) == ScoreBreakdown(
        40, 0, 0, 10, 10.0, 60.0, MatchReason.PLACE
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"price": -5}, "ScoringWeights.price must be a finite number 0 or more, got -5"),
        ({"cap": 0}, "ScoringWeights.cap must be a finite number greater than 0, got 0"),
        ({"location": None}, "ScoringWeights.location must be a number, got None"),
        ({"recency": [30, 20]}, "ScoringWeights.recency must be an object"),
        ({"recency": {"soon": 20}}, "days must be a whole number > 0, got 'soon'"),
        ({"recency": {"0": 20}}, "days must be a whole number > 0, got '0'"),
        ({"recency": {"30": 20, 30: 5}}, "30 days given twice"),
        ({"recency": {"30": "lots"}}, "ScoringWeights.recency[30] must be a number"),
        ({"bedroom": 10}, "unknown ScoringWeights field(s): bedroom"),
    ],
)
def test_bad_weight_overrides_are_refused_with_a_clear_message(
    overrides: Any, message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        ScoringWeights.from_dict(overrides)
    assert message in str(refused.value)
