"""The scoring table of DESIGN.md section 4, case by case, on the reference `score_match`.

The component tests run with the gate open (MatchGate.NONE) so each component is seen alone;
the PLACE_OR_BUDGET gate, budgets by kind and currencies have tests of their own below.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

import pytest

from app.matching.scoring import (
    LeadFacts,
    ListingOperation,
    MatchGate,
    MatchReason,
    Operation,
    PropertyFacts,
    ScoreBreakdown,
    ScoringWeights,
    location_keys,
)
from app.matching.scoring import score_match as gated_score_match

score_match = functools.partial(gated_score_match, gate=MatchGate.NONE)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

# A two-bedroom flat for sale in Chamberí (Madrid) at 300,000.
FLAT = PropertyFacts(
    id=1,
    location_key="chamberi",
    city_key="madrid",
    price=300_000,
    bedrooms=2,
    operation=ListingOperation.SALE,
)


def lead(**facts: object) -> LeadFacts:
    """A lead scoring nothing but what the test gives it."""
    return LeadFacts(id=7, **facts)  # type: ignore[arg-type]


def test_a_lead_with_nothing_in_common_scores_zero_on_every_component() -> None:
    assert score_match(lead(), FLAT, now=NOW) == ScoreBreakdown(0, 0, 0, 0, 0, 0)


def test_every_component_at_once_adds_up() -> None:
    full = lead(
        location_keys=("chamberi",),
        min_budget=250_000,
        max_budget=350_000,
        bedrooms=2,
        last_contact_at=NOW - timedelta(days=3),
        qualification_score=40,
    )
    assert score_match(full, FLAT, now=NOW) == ScoreBreakdown(
        30, 25, 15, 20, 4.0, 94.0, MatchReason.PLACE_AND_BUDGET
    )


@pytest.mark.parametrize(
    ("wanted", "points"),
    [(("chamberi",), 30), (("salamanca", "chamberi"), 30), (("salamanca",), 0), ((), 0)],
)
def test_location_scores_30_when_any_wanted_location_is_the_neighbourhood(
    wanted: tuple[str, ...], points: float
) -> None:
    breakdown = score_match(lead(location_keys=wanted), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.location == points
    assert breakdown.total == points


@pytest.mark.parametrize("typed", ["Chamberí", "CHAMBERI", " chamberí ", "ChAmBeRi"])
def test_location_ignores_case_and_accents_on_the_neighbourhood(typed: str) -> None:
    prop = PropertyFacts(
        id=2,
        location_key=location_keys(["Chamberi"])[0],
        city_key=location_keys(["Madrid"])[0],
        price=1,
        bedrooms=None,
        operation="SALE",  # type: ignore[arg-type]
    )
    breakdown = score_match(lead(location_keys=location_keys([typed])), prop, now=NOW)
    assert breakdown is not None
    assert breakdown.location == 30


@pytest.mark.parametrize("typed", ["Málaga", "MALAGA", "malaga"])
def test_location_matches_on_the_city_too(typed: str) -> None:
    prop = PropertyFacts(
        id=3,
        location_key=location_keys(["El Palo"])[0],
        city_key=location_keys(["Malaga"])[0],
        price=1,
        bedrooms=None,
        operation=ListingOperation.SALE,
    )
    breakdown = score_match(lead(location_keys=location_keys([typed])), prop, now=NOW)
    assert breakdown is not None
    assert breakdown.location == 30


def test_location_keys_fold_and_drop_blanks_and_duplicates() -> None:
    assert location_keys(["Peñas", "PENAS", "", None, "  Las   Rozas "]) == ("penas", "las rozas")


@pytest.mark.parametrize(
    ("min_budget", "max_budget", "points"),
    [
        (250_000, 350_000, 25),
        (300_000, 300_000, 25),  # both ends inclusive
        (300_001, 400_000, 0),  # price under the minimum
        (100_000, 299_999, 0),  # price over the maximum
        (None, 300_000, 25),  # no minimum: from 0
        (None, 299_999, 0),
        (300_000, None, 25),  # no maximum: no ceiling
        (300_001, None, 0),
        (None, None, 0),  # no budget at all scores nothing
    ],
)
def test_price_scores_25_within_the_budget(
    min_budget: int | None, max_budget: int | None, points: float
) -> None:
    breakdown = score_match(lead(min_budget=min_budget, max_budget=max_budget), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.price == points
    assert breakdown.total == points


@pytest.mark.parametrize(("bedrooms", "points"), [(2, 15), (1, 0), (3, 0), (None, 0)])
def test_bedrooms_score_15_only_when_equal(bedrooms: int | None, points: float) -> None:
    breakdown = score_match(lead(bedrooms=bedrooms), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.bedrooms == points


def test_a_property_without_bedrooms_gives_no_bedroom_points() -> None:
    studio = PropertyFacts(9, "chamberi", "madrid", 1, None, ListingOperation.SALE)
    breakdown = score_match(lead(bedrooms=0), studio, now=NOW)
    assert breakdown is not None
    assert breakdown.bedrooms == 0


@pytest.mark.parametrize(
    ("age", "points"),
    [
        (timedelta(0), 20),
        (timedelta(days=29), 20),
        (timedelta(days=30) - timedelta(microseconds=1), 20),
        (timedelta(days=30), 10),
        (timedelta(days=59), 10),
        (timedelta(days=60), 5),
        (timedelta(days=89), 5),
        (timedelta(days=90) - timedelta(microseconds=1), 5),
        (timedelta(days=90), 0),
        (timedelta(days=400), 0),
    ],
)
def test_recency_by_days_since_last_contact(age: timedelta, points: float) -> None:
    breakdown = score_match(lead(last_contact_at=NOW - age), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.recency == points


def test_a_lead_never_contacted_gets_no_recency_points() -> None:
    breakdown = score_match(lead(last_contact_at=None), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.recency == 0


def test_a_naive_last_contact_is_read_as_utc() -> None:
    naive = (NOW - timedelta(days=30)).replace(tzinfo=None)
    breakdown = score_match(lead(last_contact_at=naive), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.recency == 10


@pytest.mark.parametrize(("score", "points"), [(0, 0.0), (None, 0.0), (55, 5.5), (100, 10.0)])
def test_quality_is_a_tenth_of_the_qualification_score(score: int | None, points: float) -> None:
    breakdown = score_match(lead(qualification_score=score), FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.quality == points


def test_the_total_is_capped_at_100() -> None:
    generous = ScoringWeights(location=50, price=50)
    full = lead(
        location_keys=("madrid",),
        max_budget=300_000,
        bedrooms=2,
        last_contact_at=NOW,
        qualification_score=100,
    )
    breakdown = score_match(full, FLAT, generous, now=NOW)
    assert breakdown == ScoreBreakdown(50, 50, 15, 20, 10.0, 100, MatchReason.PLACE_AND_BUDGET)


def test_the_default_formula_reaches_exactly_100_at_most() -> None:
    full = lead(
        location_keys=("madrid",),
        max_budget=300_000,
        bedrooms=2,
        last_contact_at=NOW,
        qualification_score=100,
    )
    breakdown = score_match(full, FLAT, now=NOW)
    assert breakdown is not None
    assert breakdown.total == 100


@pytest.mark.parametrize(
    ("wants", "listing", "scored"),
    [
        (Operation.BUY, ListingOperation.SALE, True),
        (Operation.RENT, ListingOperation.SALE, False),
        (Operation.ANY, ListingOperation.SALE, True),
        (Operation.BUY, ListingOperation.RENT, False),
        (Operation.RENT, ListingOperation.RENT, True),
        (Operation.ANY, ListingOperation.RENT, True),
    ],
)
def test_rent_only_leads_skip_sales_and_buyers_skip_rentals(
    wants: Operation, listing: ListingOperation, scored: bool
) -> None:
    prop = PropertyFacts(4, "chamberi", "madrid", 1_200, 2, listing)
    keen = lead(location_keys=("chamberi",), bedrooms=2, operation=wants, qualification_score=90)
    breakdown = score_match(keen, prop, now=NOW)
    assert (breakdown is not None) is scored


def test_an_opted_out_lead_gets_no_score_even_when_perfect() -> None:
    perfect = lead(
        location_keys=("chamberi",),
        max_budget=300_000,
        bedrooms=2,
        last_contact_at=NOW,
        qualification_score=100,
        opted_out=True,
    )
    assert score_match(perfect, FLAT, now=NOW) is None


def test_operations_from_other_enums_or_strings_are_understood() -> None:
    class OrmOperation:  # stands for app.leads.models.Operation, a plain Enum
        value = "RENT"

    renter = LeadFacts(id=1, operation=OrmOperation())  # type: ignore[arg-type]
    assert renter.operation is Operation.RENT
    with pytest.raises(ValueError):
        LeadFacts(id=1, operation="LEASE")  # type: ignore[arg-type]


# --- budgets by kind and currency, and the gate ------------------------------------------------

# A flat in Roma Norte for rent at 28,000 MXN a month.
RENTAL = PropertyFacts(
    id=2,
    location_key="roma norte",
    city_key="ciudad de mexico",
    price=28_000,
    bedrooms=2,
    operation=ListingOperation.RENT,
    currency="MXN",
)
HOUSE = PropertyFacts(
    id=3,
    location_key="polanco",
    city_key="ciudad de mexico",
    price=3_200_000,
    bedrooms=3,
    operation=ListingOperation.SALE,
    currency="MXN",
)


def test_a_monthly_rent_never_satisfies_a_purchase_budget() -> None:
    buyer = lead(min_budget=0, max_budget=5_000_000, currency="MXN")
    assert score_match(buyer, RENTAL, now=NOW).price == 0  # type: ignore[union-attr]
    assert score_match(buyer, HOUSE, now=NOW).price == 25  # type: ignore[union-attr]


def test_a_rent_budget_scores_rentals_only() -> None:
    renter = lead(rent_max_budget=30_000, currency="MXN")
    assert score_match(renter, RENTAL, now=NOW).price == 25  # type: ignore[union-attr]
    assert score_match(renter, HOUSE, now=NOW).price == 0  # type: ignore[union-attr]


def test_a_lead_with_both_budgets_is_scored_on_the_one_of_the_listings_kind() -> None:
    both = lead(max_budget=3_500_000, rent_max_budget=25_000, currency="MXN")
    assert score_match(both, HOUSE, now=NOW).price == 25  # type: ignore[union-attr]
    assert score_match(both, RENTAL, now=NOW).price == 0  # type: ignore[union-attr] # over 25k


@pytest.mark.parametrize(
    ("lead_currency", "listing_currency", "points"),
    [
        ("USD", "MXN", 0),
        ("usd", "USD", 25),
        ("MXN", "MXN", 25),
        (None, "MXN", 25),
        ("USD", None, 25),
    ],
)
def test_no_price_points_across_currencies(
    lead_currency: str | None, listing_currency: str | None, points: float
) -> None:
    buyer = lead(max_budget=3_500_000, currency=lead_currency)
    listing = PropertyFacts(
        3, "polanco", None, 3_200_000, 3, ListingOperation.SALE, listing_currency
    )
    assert score_match(buyer, listing, now=NOW).price == points  # type: ignore[union-attr]


def test_bedrooms_and_recency_without_place_or_budget_are_no_match() -> None:
    # 15 + 20 = 35 points, above the line of 30, but nothing a broker would call a reason.
    stranger = lead(
        location_keys=("monterrey",),
        bedrooms=3,
        last_contact_at=NOW - timedelta(days=2),
        max_budget=9_000_000,
        min_budget=5_000_000,
        currency="MXN",
    )
    assert gated_score_match(stranger, HOUSE, now=NOW) is None
    relaxed = gated_score_match(stranger, HOUSE, now=NOW, gate=MatchGate.NONE)
    assert relaxed == ScoreBreakdown(0, 0, 15, 20, 0.0, 35.0, MatchReason.RELAXED)


def test_a_fitting_budget_is_no_reason_for_a_lead_who_named_other_places() -> None:
    # Polanco only, 3 bedrooms, budget fits: 25 + 15 + 20 = 60 points but the wrong place.
    polanco = lead(
        location_keys=("polanco",),
        bedrooms=3,
        last_contact_at=NOW - timedelta(days=2),
        max_budget=9_000_000,
        currency="MXN",
    )
    coyoacan = PropertyFacts(9, "del carmen, coyoacan", None, 6_000_000, 3, ListingOperation.SALE)
    assert gated_score_match(polanco, coyoacan, now=NOW) is None
    relaxed = gated_score_match(polanco, coyoacan, now=NOW, gate=MatchGate.NONE)
    assert relaxed == ScoreBreakdown(0, 25, 15, 20, 0.0, 60.0, MatchReason.RELAXED)
    anywhere = lead(bedrooms=3, max_budget=9_000_000, currency="MXN")
    assert gated_score_match(anywhere, coyoacan, now=NOW).gate is MatchReason.BUDGET  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"location_keys": ("polanco",)}, MatchReason.PLACE),
        ({"location_keys": ("ciudad de mexico",)}, MatchReason.PLACE),
        ({"max_budget": 3_500_000}, MatchReason.BUDGET),
        ({"location_keys": ("polanco",), "max_budget": 3_500_000}, MatchReason.PLACE_AND_BUDGET),
    ],
)
def test_the_breakdown_names_the_gate_that_let_the_match_through(
    facts: dict[str, object], reason: MatchReason
) -> None:
    breakdown = gated_score_match(lead(bedrooms=3, **facts), HOUSE, now=NOW)
    assert breakdown is not None
    assert breakdown.gate is reason
