"""Through the API: a match needs a place or a budget of the listing's kind and currency; the
breakdown names the gate that let it through; bedrooms and recency alone match nobody."""

from __future__ import annotations

from typing import Any

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.support.jobs import drain_jobs

CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_LISTING = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
MATCHES = """{ properties { edges { node { title matches { edges { node {
    lead { name } score breakdown { location price bedrooms recency gate } } } } } } } }"""


async def _matches(api: Api) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    data = await api.ok(MATCHES)
    return {
        edge["node"]["title"]: sorted(
            (m["node"]["lead"]["name"], m["node"]["breakdown"])
            for m in edge["node"]["matches"]["edges"]
        )
        for edge in data["properties"]["edges"]
    }


async def test_only_a_place_or_a_budget_of_the_listings_kind_makes_a_match(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    leads = [
        # 3 bedrooms, contacted today, wants Monterrey: 15 + 20 = 35 points and no reason.
        {"name": "Stranger", "email": "s@example.com", "locations": ["Monterrey"], "bedrooms": 3},
        # A purchase budget in the millions: a rent of 28,000 a month is not "within budget".
        {"name": "Buyer", "email": "b@example.com", "maxBudget": 5_000_000, "bedrooms": 3},
        {"name": "Renter", "email": "r@example.com", "rentMaxBudget": 30_000, "bedrooms": 3},
        # Dollars: no price points on peso listings (no exchange rate is assumed).
        {"name": "Gringo", "email": "g@example.com", "maxBudget": 300_000, "currency": "USD"},
        # "Roma Nte." is Roma Norte; Benito Juárez holds Del Valle Centro.
        {"name": "Roma", "email": "roma@example.com", "locations": ["Roma Nte."]},
        {"name": "BJ", "email": "bj@example.com", "locations": ["Benito Juárez"]},
    ]
    for lead in leads:
        await api.ok(CREATE_LEAD, {"i": lead})
    listings = [
        {"title": "Rental", "location": "Roma Norte", "city": "CDMX", "price": 28_000,
         "operation": "RENT", "bedrooms": 3, "currency": "MXN"},
        {"title": "House", "location": "Del Valle Centro", "city": "Ciudad de México",
         "price": 4_000_000, "operation": "SALE", "bedrooms": 3, "currency": "MXN"},
    ]  # fmt: skip
    for listing in listings:
        await api.ok(CREATE_LISTING, {"i": listing})
    await drain_jobs(runtime)

    def why(location: float, price: float, bedrooms: float, gate: str) -> dict[str, Any]:
        return {"location": location, "price": price, "bedrooms": bedrooms, "recency": 20.0,
                "gate": gate}  # fmt: skip

    assert await _matches(api) == {
        "Rental": [
            ("Renter", why(0, 25, 15, "BUDGET")),
            ("Roma", why(30, 0, 0, "PLACE")),
        ],
        "House": [
            ("BJ", why(30, 0, 0, "PLACE")),
            ("Buyer", why(0, 25, 15, "BUDGET")),
        ],
    }

    # The owner may relax the gate: then bedrooms and recency are enough again.
    await api.ok("mutation { updateBrokerage(input: {matchGate: NONE}) { matchGate } }")
    await drain_jobs(runtime)
    relaxed = await _matches(api)
    assert ("Stranger", why(0, 0, 15, "RELAXED")) in relaxed["House"]
    assert ("Buyer", why(0, 0, 15, "RELAXED")) in relaxed["Rental"]


async def test_a_colonia_alcaldia_listing_matches_leads_of_either_and_no_one_elsewhere(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    budget = {"maxBudget": 7_000_000, "currency": "MXN", "bedrooms": 3}
    leads = [
        {"name": "Alcaldía", "email": "a@example.com", "locations": ["Coyoacán"]},
        {"name": "Colonia", "email": "c@example.com", "locations": ["Del Carmen"]},
        # Wants Polanco only: the price fits, the place does not, so no pitch.
        {"name": "Polanco", "email": "p@example.com", "locations": ["Polanco"], **budget},
        # Named no place: a fitting budget is reason enough.
        {"name": "Anywhere", "email": "any@example.com", **budget},
    ]
    for lead in leads:
        await api.ok(CREATE_LEAD, {"i": lead})
    listings = [
        {"title": "Casa Del Carmen", "location": "Del Carmen, Coyoacán", "price": 6_200_000,
         "operation": "SALE", "bedrooms": 3, "currency": "MXN"},
        {"title": "Depa Roma", "location": "Roma Norte, Cuauhtémoc, CDMX", "price": 9_000_000,
         "operation": "SALE", "bedrooms": 2, "currency": "MXN"},
    ]  # fmt: skip
    for listing in listings:
        await api.ok(CREATE_LISTING, {"i": listing})
    await drain_jobs(runtime)

    matches = await _matches(api)
    assert [(name, why["location"], why["gate"]) for name, why in matches["Casa Del Carmen"]] == [
        ("Alcaldía", 30.0, "PLACE"),
        ("Anywhere", 0.0, "BUDGET"),
        ("Colonia", 30.0, "PLACE"),
    ]
    assert matches["Depa Roma"] == []

    # Relaxed, the Polanco lead is scored on points alone, and the breakdown says so.
    await api.ok("mutation { updateBrokerage(input: {matchGate: NONE}) { matchGate } }")
    await drain_jobs(runtime)
    relaxed = dict((await _matches(api))["Casa Del Carmen"])
    assert relaxed["Polanco"]["gate"] == "RELAXED"
    assert (relaxed["Polanco"]["location"], relaxed["Polanco"]["price"]) == (0.0, 25.0)
