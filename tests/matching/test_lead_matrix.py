"""The numpy engine gives exactly the reference's scores, tiers and breakdowns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.vocabulary import Tier
from app.matching.lead_matrix import (
    LeadMatrix,
    MatchBreakdown,
    breakdowns,
    breakdowns_for_properties,
    match_columns,
    score_properties,
    score_property,
)
from app.matching.scoring import (
    LeadFacts,
    ListingOperation,
    MatchGate,
    MatchReason,
    Operation,
    PropertyFacts,
    ScoreBreakdown,
    ScoringWeights,
    TierPolicy,
    score_match,
)

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PLACES = ("centro", "chamberi", "salamanca", "madrid", "sevilla", "triana")

budgets = st.one_of(st.none(), st.integers(0, 12).map(lambda n: n * 50_000), st.floats(0, 7e5))
# Ages cluster on the recency boundaries, to the microsecond, plus a few from the future.
ages = st.builds(
    lambda days, shift: timedelta(days=days, microseconds=shift),
    st.sampled_from([-1, 0, 1, 29, 30, 31, 59, 60, 61, 89, 90, 91, 365]),
    st.sampled_from([-1, 0, 1, 3_600_000_000]),
)
leads = st.builds(
    LeadFacts,
    id=st.integers(1, 10**9),
    location_keys=st.lists(st.sampled_from([*PLACES, ""]), max_size=3).map(tuple),
    min_budget=budgets,
    max_budget=budgets,
    rent_min_budget=budgets,
    rent_max_budget=budgets,
    currency=st.sampled_from([None, "MXN", "usd", "EUR"]),
    bedrooms=st.one_of(st.none(), st.integers(0, 4)),
    last_contact_at=st.one_of(st.none(), ages.map(lambda age: NOW - age)),
    qualification_score=st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100)),
    operation=st.sampled_from(Operation),
    opted_out=st.booleans(),
)
properties = st.builds(
    PropertyFacts,
    id=st.integers(1, 1000),
    location_key=st.one_of(st.none(), st.sampled_from(PLACES)),
    city_key=st.one_of(st.none(), st.sampled_from(PLACES)),
    price=st.one_of(st.integers(0, 12).map(lambda n: n * 50_000), st.floats(0, 7e5)),
    bedrooms=st.one_of(st.none(), st.integers(0, 4)),
    operation=st.sampled_from(ListingOperation),
    currency=st.sampled_from([None, "MXN", "USD"]),
)
weights = st.one_of(
    st.just(ScoringWeights()),
    st.builds(
        ScoringWeights,
        location=st.floats(0, 60),
        price=st.floats(0, 60),
        bedrooms=st.floats(0, 60),
        recency=st.dictionaries(st.integers(1, 120), st.floats(0, 40), max_size=4).map(
            lambda tiers: tuple(tiers.items())
        ),
        quality_factor=st.floats(0, 1),
        cap=st.floats(1, 150),
    ),
)
policies = st.sampled_from(
    [TierPolicy(), TierPolicy(hot=60, medium=40, low=0), TierPolicy(95, 90, 85)]
)


def reference(
    lead_list: list[LeadFacts],
    prop: PropertyFacts,
    w: ScoringWeights,
    policy: TierPolicy,
    gate: MatchGate,
) -> list[MatchBreakdown]:
    expected = []
    for lead in lead_list:
        breakdown = score_match(lead, prop, w, NOW, gate)
        if breakdown is not None and (tier := policy.tier_for(breakdown.total)) is not None:
            expected.append(MatchBreakdown(lead.id, tier, breakdown))
    return expected


@settings(max_examples=300, deadline=None)
@given(
    lead_list=st.lists(leads, max_size=40),
    props=st.lists(properties, min_size=1, max_size=4),
    w=weights,
    policy=policies,
    gate=st.sampled_from(MatchGate),
)
def test_vectorised_scores_equal_the_reference_exactly(
    lead_list: list[LeadFacts],
    props: list[PropertyFacts],
    w: ScoringWeights,
    policy: TierPolicy,
    gate: MatchGate,
) -> None:
    matrix = LeadMatrix.from_facts(lead_list)
    scored = score_properties(matrix, props, w, NOW, policy, gate)
    explained = breakdowns_for_properties(matrix, props, w, NOW, policy, gate)
    for prop, (lead_ids, totals), matches in zip(props, scored, explained, strict=True):
        expected = reference(lead_list, prop, w, policy, gate)
        assert matches == expected
        assert lead_ids.tolist() == [match.lead_id for match in expected]
        assert totals.tolist() == [match.breakdown.total for match in expected]


def test_one_property_gives_ids_totals_and_breakdowns_of_matches_only() -> None:
    prop = PropertyFacts(1, "triana", "sevilla", 180_000, 2, ListingOperation.SALE)
    hot = LeadFacts(
        id=10,
        location_keys=("sevilla",),
        max_budget=200_000,
        bedrooms=2,
        last_contact_at=NOW - timedelta(days=2),
        qualification_score=80,
    )
    low = LeadFacts(id=11, location_keys=("triana",), qualification_score=5)  # 30.5
    at_the_line = LeadFacts(id=12, location_keys=("triana",))  # exactly 30: not a match
    renter = LeadFacts(id=13, location_keys=("triana",), operation=Operation.RENT)
    gone = LeadFacts(id=14, location_keys=("triana",), max_budget=200_000, opted_out=True)
    matrix = LeadMatrix.from_facts([hot, low, at_the_line, renter, gone])

    assert len(matrix) == 4  # opted-out leads are left out of the matrix altogether
    lead_ids, totals = score_property(matrix, prop, now=NOW)
    assert lead_ids.tolist() == [10, 11]
    assert totals.tolist() == [98.0, 30.5]
    assert breakdowns(matrix, prop, now=NOW) == [
        MatchBreakdown(
            10, Tier.HOT, ScoreBreakdown(30, 25, 15, 20, 8.0, 98.0, MatchReason.PLACE_AND_BUDGET)
        ),
        MatchBreakdown(11, Tier.LOW, ScoreBreakdown(30, 0, 0, 0, 0.5, 30.5, MatchReason.PLACE)),
    ]
    (columns,) = match_columns(matrix, [prop], now=NOW)
    assert columns.lead_ids.tolist() == [10, 11]
    assert columns.tiers.tolist() == ["HOT", "LOW"]
    assert [columns.location.tolist(), columns.price.tolist(), columns.bedrooms.tolist()] == [
        [30, 30],
        [25, 0],
        [15, 0],
    ]
    assert [columns.recency.tolist(), columns.quality.tolist(), columns.total.tolist()] == [
        [20, 0],
        [8.0, 0.5],
        [98.0, 30.5],
    ]
    assert columns.gates.tolist() == ["PLACE_AND_BUDGET", "PLACE"]


def test_more_than_64_distinct_locations_are_told_apart() -> None:
    places = [f"barrio {n}" for n in range(150)]
    lead_list = [
        LeadFacts(id=n, location_keys=(places[n], places[(n + 70) % 150]), qualification_score=10)
        for n in range(150)
    ]
    matrix = LeadMatrix.from_facts(lead_list)
    for n in (0, 63, 64, 65, 100, 149):
        prop = PropertyFacts(n, places[n], None, 1, None, ListingOperation.RENT)
        lead_ids, totals = score_property(matrix, prop, now=NOW)
        assert sorted(lead_ids.tolist()) == sorted({n, (n - 70) % 150})
        assert totals.tolist() == [31.0, 31.0]


def test_string_lead_ids_are_kept_as_they_are() -> None:
    matrix = LeadMatrix.from_facts([LeadFacts(id="lead-a", location_keys=("centro",))])
    prop = PropertyFacts(1, "centro", None, 1, None, ListingOperation.SALE)
    lead_ids, totals = score_property(matrix, prop, now=NOW, policy=TierPolicy(70, 50, 20))
    assert lead_ids.tolist() == ["lead-a"]
    assert totals.tolist() == [30.0]


def test_an_empty_brokerage_matches_nobody() -> None:
    matrix = LeadMatrix.from_facts([])
    prop = PropertyFacts(1, "centro", None, 1, None, ListingOperation.SALE)
    lead_ids, totals = score_property(matrix, prop, now=NOW)
    assert (lead_ids.tolist(), totals.tolist()) == ([], [])
    assert breakdowns(matrix, prop, now=NOW) == []
