"""Oversized input is refused with BAD_USER_INPUT naming the field, before anything is stored
or searched, on both databases; values within the limits go through. (Values are up to 1.5 MB:
a body past BRSCALE_MAX_BODY_BYTES, 2 MB, is refused before GraphQL reads it.)"""

from __future__ import annotations

import time

import pytest
from graphql import parse

from graphql_schema.limits import first_problem
from tests.conftest import Api, error_codes

pytestmark = pytest.mark.usefixtures("backend")

CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id name } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
LEADS = "query($s: String) { leads(first: 10, search: $s) { totalCount } }"


def refused(body: dict[str, object], message: str) -> bool:
    errors = body.get("errors") or []
    assert isinstance(errors, list)
    return error_codes(body) == ["BAD_USER_INPUT"] and errors[0]["message"] == message


async def test_a_huge_lead_name_is_refused_and_nothing_is_stored(api: Api) -> None:
    await api.sign_up()
    body = await api(CREATE_LEAD, {"i": {"name": "x" * 1_000_000, "phone": "+5215512345678"}})
    assert refused(body, "`input.name` is too long: at most 200 characters.")
    assert (await api.ok(LEADS))["leads"]["totalCount"] == 0
    # at the limit it is fine
    ok = await api.ok(CREATE_LEAD, {"i": {"name": "y" * 200, "phone": "+5215512345678"}})
    assert ok["createLead"]["name"] == "y" * 200


async def test_a_huge_description_and_too_many_locations_are_refused(api: Api) -> None:
    await api.sign_up()
    listing = {
        "title": "Loft",
        "location": "Roma Norte",
        "price": 6_400_000,
        "operation": "SALE",
        "description": "d" * 1_500_000,
    }
    body = await api(CREATE_PROPERTY, {"i": listing})
    assert refused(body, "`input.description` is too long: at most 20000 characters.")
    lead = {"name": "Ana", "phone": "+5215512345678", "locations": ["Roma"] * 51}
    body = await api(CREATE_LEAD, {"i": lead})
    assert refused(body, "`input.locations` has too many items: at most 50.")
    lead["locations"] = ["Roma", "z" * 201]
    body = await api(CREATE_LEAD, {"i": lead})
    assert refused(body, "`input.locations[1]` is too long: at most 200 characters.")


async def test_a_huge_search_is_refused_at_once(api: Api) -> None:
    await api.sign_up()
    started = time.monotonic()
    body = await api(LEADS, {"s": "a" * 1_000_000})
    assert refused(body, "`search` is too long: at most 200 characters.")
    assert time.monotonic() - started < 3
    # a literal in the query document is held to the same limit
    literal = '{ leads(first: 1, search: "' + "b" * 1_000_000 + '") { totalCount } }'
    assert refused(await api(literal), "`search` is too long: at most 200 characters.")


async def test_an_api_key_with_a_flood_of_scopes_is_refused(api: Api) -> None:
    await api.sign_up()
    body = await api(
        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
        {"i": {"name": "flood", "scopes": ["leads:read"] * 100_000}},
    )
    assert refused(body, "`input.scopes` has too many items: at most 20.")
    assert (await api.ok("{ apiKeys { id } }"))["apiKeys"] == []


PAST_THEIR_COLUMN = [  # within the argument's size limit, past the column's length
    ("mutation($v: String) { updateBrokerage(input: {agentName: $v}) { name } }", "A" * 150),
    ("mutation($v: String) { updateBrokerage(input: {language: $v}) { name } }", "abcdefghij"),
    ("mutation($v: String) { updateBrokerage(input: {defaultRegion: $v}) { name } }", "ABCDEFGHIJ"),
    (
        'mutation($v: String) { createLead(input: {name: "x", email: "x@example.com",'
        " currency: $v}) { id } }",
        "ABCDEFGHIJ",
    ),
    (
        'mutation($v: String) { createLead(input: {name: "x", email: "y@example.com",'
        " language: $v}) { id } }",
        "abcdefghij",
    ),
    (
        'mutation($v: String) { createLead(input: {name: "x", email: "z@example.com",'
        " phone: $v}) { id } }",
        "+52 55 " + "1" * 50,
    ),
    ("mutation($v: String) { updateProfile(input: {phone: $v}) { id } }", "+52 55 " + "1" * 50),
]


@pytest.mark.parametrize(("mutation", "value"), PAST_THEIR_COLUMN)
async def test_a_value_past_its_column_is_refused_not_masked(
    api: Api, mutation: str, value: str
) -> None:
    """On PostgreSQL a value longer than its column fails in the database as a masked internal
    error unless the service refuses it first (every input field whose limit passes its
    column is here)."""
    await api.sign_up()
    assert error_codes(await api(mutation, {"v": value})) == ["BAD_USER_INPUT"]


def test_a_documents_arguments_are_read_once_and_its_variables_on_every_request() -> None:
    document = parse(
        "query($s: String, $l: [String!]) { leads(search: $s) { totalCount } "
        'a: leads(search: "' + "q" * 201 + '") { totalCount } '
        "properties(locations: $l) { totalCount } }"
    )
    with_variables = parse("query($s: String) { leads(search: $s) { totalCount } }")

    # the first argument past its limit, in document order, variables put in
    assert (
        first_problem(document, {"s": "x" * 201}) == "`search` is too long: at most 200 characters."
    )
    assert first_problem(document, {"s": "ok"}) == "`search` is too long: at most 200 characters."
    assert first_problem(with_variables, {"s": "ok"}) is None
    assert first_problem(with_variables, {"s": "x" * 201}) is not None
    assert first_problem(with_variables, {"s": "ok"}) is None
    assert first_problem(with_variables, {}) is None
