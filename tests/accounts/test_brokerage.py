"""Brokerage settings: scoring weights and tiers re-score listings; a pause holds every message."""

from __future__ import annotations

from app.core.runtime import Runtime
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs

LEAD = {
    "name": "Ana",
    "email": "ana@example.com",
    "locations": ["Polanco"],
    "maxBudget": 6_000_000,
    "bedrooms": 2,
}
LISTING = {
    "title": "Depa",
    "location": "Polanco",
    "price": 5_000_000,
    "operation": "SALE",
    "bedrooms": 3,
}
SCORES = "{ properties { edges { node { matches { edges { node { score tier } } } } } } }"
MESSAGES = "{ conversations { edges { node { messages { status } } } } }"


async def _scores(api: Api) -> list[tuple[float, str]]:
    data = await api.ok(SCORES)
    edges = data["properties"]["edges"][0]["node"]["matches"]["edges"]
    return [(e["node"]["score"], e["node"]["tier"]) for e in edges]


async def test_new_weights_and_tiers_rescore_every_listing(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    await api.ok("mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }", {"i": LEAD})
    await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    await drain_jobs(runtime)
    assert await _scores(api) == [(75.0, "HOT")]  # 30 location + 25 price + 20 recency

    updated = await api.ok(
        """mutation { updateBrokerage(input: {scoringWeights: {location: 10}, tierThresholds: {hot: 90, medium: 60}})
           { scoringWeights { location price } tierThresholds { hot medium low } } }"""
    )
    assert updated["updateBrokerage"]["scoringWeights"] == {"location": 10.0, "price": 25.0}
    assert updated["updateBrokerage"]["tierThresholds"] == {
        "hot": 90.0,
        "medium": 60.0,
        "low": 30.0,
    }
    await drain_jobs(runtime)
    assert await _scores(api) == [(55.0, "LOW")]

    bad = await api("mutation { updateBrokerage(input: {tierThresholds: {hot: 10}}) { name } }")
    assert error_codes(bad) == ["BAD_USER_INPUT"]
    bad_zone = await api('mutation { updateBrokerage(input: {timezone: "Mars/Base"}) { name } }')
    assert error_codes(bad_zone) == ["BAD_USER_INPUT"]


async def test_a_paused_brokerage_sends_nothing_until_resumed(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    paused = await api.ok("mutation { pauseBrokerage(paused: true) { paused } }")
    assert paused["pauseBrokerage"]["paused"] is True
    await api.ok("mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }", {"i": LEAD})
    await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    await drain_jobs(runtime)
    assert (await api.ok(MESSAGES))["conversations"]["edges"] == []  # no campaign while paused

    await api.ok("mutation { pauseBrokerage(paused: false) { paused } }")
    await drain_jobs(runtime)
    conversations = (await api.ok(MESSAGES))["conversations"]["edges"]
    assert [m["status"] for m in conversations[0]["node"]["messages"]] == ["SENT"]


async def test_an_api_key_cannot_change_settings(api: Api) -> None:
    await api.sign_up()
    created = await api.ok(
        'mutation { createApiKey(input: {name: "k", scopes: ["crm:manage"]}) { secret } }'
    )
    body = await api(
        'mutation { updateBrokerage(input: {name: "X"}) { name } }',
        token=created["createApiKey"]["secret"],
    )
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await api.ok("{ brokerage { name } }"))["brokerage"]["name"] == "Casa Ana"


async def test_one_mutation_changes_a_persons_profile_and_settings(api: Api) -> None:
    """Name, signature, the digest and a mobile read in the brokerage's region (a US brokerage:
    a US number needs no +1); only the fields given change, and a bad number is refused."""
    await api.sign_up()
    await api.ok('mutation { updateBrokerage(input: {defaultRegion: "US"}) { id } }')
    profile = "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { name phone signature morningDigest } }"
    changed = await api.ok(
        profile, {"i": {"name": " Ana Ruiz ", "phone": "(415) 555-2671", "morningDigest": False}}
    )
    assert changed["updateProfile"] == {
        "name": "Ana Ruiz",
        "phone": "+14155552671",
        "signature": "",
        "morningDigest": False,
    }
    kept = await api.ok(profile, {"i": {"signature": "Ana · Casa Ana"}})
    assert kept["updateProfile"]["phone"] == "+14155552671"
    assert kept["updateProfile"]["morningDigest"] is False
    refused = await api(profile, {"i": {"phone": "12"}})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
