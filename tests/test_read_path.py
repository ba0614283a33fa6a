"""The read path stays cheap as lists grow: each main list costs a small, fixed number of SQL
statements however many rows and relations a page asks for, `totalCount` is counted only when
selected, the caller is read once and then remembered briefly (but never past a logOut), and
keyset pagination still walks every row exactly once."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from app.accounts.models import User
from app.conversations.models import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    TaskKind,
    TaskStatus,
)
from app.core import db
from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.vocabulary import Tier
from app.leads.models import Lead
from app.matching.models import Match
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.properties.models import ListingOperation, Property
from graphql_schema import relay
from tests.conftest import Api, error_codes

LEADS, LISTINGS = 60, 3


@contextlib.contextmanager
def statements(runtime: Runtime) -> Iterator[list[str]]:
    """Every SQL statement sent on the runtime's real engine while the block runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", record)


async def seed(
    runtime: Runtime, leads: int = LEADS, listings: int = LISTINGS, tag: str = ""
) -> int:
    """A brokerage's book: every lead matched to every listing, each pair in a conversation of
    two messages, and a task per conversation. Returns the brokerage id."""
    async with runtime.session() as session:
        brokerage_id = (await session.execute(select(User.brokerage_id))).scalars().first()
        assert brokerage_id is not None
        now = utcnow()
        homes = [
            Property(
                brokerage_id=brokerage_id,
                title=f"Casa {i}",
                location="Roma Norte",
                location_key="roma norte",
                price=5_000_000 + i,
                operation=ListingOperation.SALE,
            )
            for i in range(listings)
        ]
        people = [
            Lead(
                brokerage_id=brokerage_id,
                name=f"Lead {tag}{i}",
                email=f"lead{tag}{i}@example.com",
                phone=f"+5255{len(tag)}00{i:05d}",
                last_contact_at=now - timedelta(days=i),
            )
            for i in range(leads)
        ]
        session.add_all([*homes, *people])
        await session.flush()
        talks = []
        for home in homes:
            for person in people:
                session.add(
                    Match(
                        brokerage_id=brokerage_id,
                        lead_id=person.id,
                        property_id=home.id,
                        score=50 + person.id % 40,
                        tier=Tier.MEDIUM,
                        breakdown={"location": 30},
                    )
                )
                talk = Conversation(
                    brokerage_id=brokerage_id,
                    lead_id=person.id,
                    property_id=home.id,
                    thread_id=f"lead_{person.id}_property_{home.id}",
                    status=ConversationStatus.WAITING,
                    channels=["EMAIL"],
                )
                session.add(talk)
                talks.append(talk)
        await session.flush()
        for talk in talks:
            for n, direction in enumerate((Direction.OUTBOUND, Direction.INBOUND)):
                session.add(
                    Message(
                        brokerage_id=brokerage_id,
                        conversation_id=talk.id,
                        lead_id=talk.lead_id,
                        direction=direction,
                        channel=Channel.EMAIL,
                        status=MessageStatus.SENT,
                        idempotency_key=f"{talk.id}:{n}",
                        body=f"message {n} of {talk.id}",
                    )
                )
            # one open task per lead and kind: a kind per listing, the rest done
            n = [home.id for home in homes].index(talk.property_id)
            kinds = list(TaskKind)
            session.add(
                BrokerTask(
                    brokerage_id=brokerage_id,
                    conversation_id=talk.id,
                    lead_id=talk.lead_id,
                    property_id=talk.property_id,
                    kind=kinds[n % len(kinds)],
                    status=TaskStatus.OPEN if n < len(kinds) else TaskStatus.DONE,
                    title=f"Call {talk.lead_id}",
                )
            )
        await session.commit()
    return brokerage_id


async def counted(runtime: Runtime, api: Api, query: str) -> tuple[dict[str, Any], list[str]]:
    await api.ok("{ me { id } }")  # the caller is read (and remembered) before counting
    with statements(runtime) as seen:
        data = await api.ok(query)
    return data, seen


LEADS_PAGE = """{ leads(first: 50) { pageInfo { hasNextPage endCursor } edges { node {
  id name email phone temperature lastContactAt
  matches(first: 5) { edges { node { score tier lead { id } property { id title } } } }
  conversations(first: 5) { edges { node { status property { title }
    lastMessage { body direction } } } }
  externalIds { provider id }
} } } }"""


async def test_a_page_of_50_leads_with_matches_conversations_and_last_messages_costs_7_statements(
    runtime: Runtime, api: Api
) -> None:
    await api.sign_up()
    await seed(runtime)

    data, seen = await counted(runtime, api, LEADS_PAGE)

    edges = data["leads"]["edges"]
    assert len(edges) == 50 and data["leads"]["pageInfo"]["hasNextPage"] is True
    first = edges[0]["node"]
    assert first["name"] == f"Lead {LEADS - 1}"
    assert len(first["matches"]["edges"]) == LISTINGS
    assert {e["node"]["lead"]["id"] for e in first["matches"]["edges"]} == {first["id"]}
    assert len(first["conversations"]["edges"]) == LISTINGS
    assert all(
        e["node"]["lastMessage"]["direction"] == "INBOUND" for e in first["conversations"]["edges"]
    )
    # leads, their matches, the matches' leads, the listings (matched and conversed: one
    # loader), their conversations, last messages, CRM links; no COUNT.
    assert len(seen) == 7, seen
    assert not any("count(" in s.lower() for s in seen)


async def test_total_count_is_counted_only_when_selected(runtime: Runtime, api: Api) -> None:
    await api.sign_up()
    await seed(runtime, leads=7, listings=1)

    without, plain = await counted(runtime, api, "{ leads(first: 2) { edges { node { id } } } }")
    with_total, counting = await counted(
        runtime, api, "{ leads(first: 2) { totalCount edges { node { id } } } }"
    )

    assert len(without["leads"]["edges"]) == 2 and with_total["leads"]["totalCount"] == 7
    assert [s for s in plain if "count(" in s.lower()] == []
    assert len([s for s in counting if "count(" in s.lower()]) == 1
    assert len(counting) == len(plain) + 1
    # nested lists count in one grouped statement for the whole page
    nested, seen = await counted(
        runtime,
        api,
        "{ properties { edges { node { matches(first: 1) { totalCount } "
        "conversations(first: 1) { totalCount } } } } }",
    )
    assert [e["node"]["matches"]["totalCount"] for e in nested["properties"]["edges"]] == [7]
    assert [e["node"]["conversations"]["totalCount"] for e in nested["properties"]["edges"]] == [7]
    assert len([s for s in seen if "count(" in s.lower()]) == 2


PROPERTIES_PAGE = """{ properties(first: 50) { totalCount edges { node {
  id title price
  stats { totalConversations waiting responding cold qualified variants { variant sent } }
  matches(first: 10) { totalCount edges { node { score lead { name temperature } } } }
  conversations(first: 10, status: WAITING) { edges { node { status lead { name }
    lastMessage { body } } } }
} } } }"""


async def test_properties_with_stats_matches_and_conversations_cost_a_fixed_number(
    runtime: Runtime, api: Api
) -> None:
    await api.sign_up()
    await seed(runtime, leads=20, listings=8)

    data, seen = await counted(runtime, api, PROPERTIES_PAGE)

    nodes = [e["node"] for e in data["properties"]["edges"]]
    assert data["properties"]["totalCount"] == 8 and len(nodes) == 8
    assert all(n["stats"]["totalConversations"] == 20 for n in nodes)
    assert all(n["stats"]["responding"] == 20 for n in nodes)  # every lead replied once
    assert all(n["matches"]["totalCount"] == 20 for n in nodes)
    assert all(len(n["matches"]["edges"]) == 10 for n in nodes)
    assert all(len(n["conversations"]["edges"]) == 10 for n in nodes)
    # properties, their count, status counts, variants, match pages, match counts, leads,
    # conversation pages, last messages
    assert len(seen) == 9, seen

    # twice the listings, the same statements
    await seed(runtime, leads=5, listings=8, tag="b")
    _, again = await counted(runtime, api, PROPERTIES_PAGE)
    assert len(again) == len(seen)


async def test_conversations_tasks_and_matches_lists_cost_a_fixed_number(
    runtime: Runtime, api: Api
) -> None:
    await api.sign_up()
    await seed(runtime, leads=30, listings=2)

    conversations, seen = await counted(
        runtime,
        api,
        """{ conversations(first: 50) { edges { node { status
          lead { name email } property { title } lastMessage { body }
          messages { body } tasks { title } viewing { status } } } } }""",
    )
    assert len(conversations["conversations"]["edges"]) == 50
    # conversations, leads, listings, last messages, messages, tasks, viewings
    assert len(seen) == 7, seen

    tasks, seen = await counted(
        runtime,
        api,
        """{ brokerTasks(first: 50) { edges { node { title kind
          lead { name } property { title } conversation { status lastMessage { body } }
          assignee { name } } } } }""",
    )
    assert len(tasks["brokerTasks"]["edges"]) == 50
    # tasks, leads, listings, conversations, last messages (no assignee: nothing to read)
    assert len(seen) == 5, seen

    matches, seen = await counted(
        runtime,
        api,
        """{ properties { edges { node { matches(first: 30) { edges { node {
          score breakdown { location } lead { name matches(first: 2) { edges { node {
            property { title } } } } } } } } } } } }""",
    )
    pages = [e["node"]["matches"]["edges"] for e in matches["properties"]["edges"]]
    assert [len(p) for p in pages] == [30, 30]
    # properties, match pages, leads, the leads' match pages, listings
    assert len(seen) == 5, seen


async def test_keyset_pagination_walks_every_lead_once_newest_first(
    runtime: Runtime, api: Api
) -> None:
    await api.sign_up()
    await seed(runtime, leads=23, listings=1)

    seen_ids: list[str] = []
    after = None
    while True:
        page = (
            await api.ok(
                "query($after: String) { leads(first: 5, after: $after) { "
                "pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }",
                {"after": after},
            )
        )["leads"]
        seen_ids.extend(e["node"]["id"] for e in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert len(seen_ids) == 23 and len(set(seen_ids)) == 23
    names = await api.ok("{ leads(first: 23) { edges { node { id } } } }")
    assert seen_ids == [e["node"]["id"] for e in names["leads"]["edges"]]

    # a nested list pages after its own cursor too (matches best first, then by id)
    listing = await api.ok(
        "{ properties { edges { node { matches(first: 10) { pageInfo { endCursor } "
        "edges { node { score lead { id } } } } } } } }"
    )
    first_page = listing["properties"]["edges"][0]["node"]["matches"]
    lead = await api.ok(
        "query($after: String) { properties { edges { node { matches(first: 50, after: $after) "
        "{ pageInfo { hasNextPage } edges { node { score lead { id } } } } } } } }",
        {"after": first_page["pageInfo"]["endCursor"]},
    )
    rest = lead["properties"]["edges"][0]["node"]["matches"]
    walked = [e["node"] for e in first_page["edges"]] + [e["node"] for e in rest["edges"]]
    assert len(walked) == 23 and len({m["lead"]["id"] for m in walked}) == 23
    assert [m["score"] for m in walked] == sorted((m["score"] for m in walked), reverse=True)
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_the_caller_is_read_once_then_remembered_but_not_past_log_out(
    runtime: Runtime, api: Api
) -> None:
    token = await api.sign_up()
    user_reads = 0

    def is_user_read(statements_seen: list[str]) -> int:
        return sum(1 for s in statements_seen if "FROM users" in s)

    with statements(runtime) as seen:
        await api.ok("{ leads(first: 1) { edges { node { id } } } }")
        await api.ok("{ leads(first: 1) { edges { node { id } } } }")
        await api.ok("{ leads(first: 1) { edges { node { id } } } }")
    user_reads = is_user_read(seen)
    assert user_reads == 1, seen

    assert (await api.ok("mutation { logOut }"))["logOut"] is True
    body = await api("{ leads(first: 1) { edges { node { id } } } }", token=token)
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_changed_password_or_revoked_key_stops_working_at_once(
    runtime: Runtime, api: Api
) -> None:
    old = await api.sign_up()
    created = await api.ok(
        'mutation { createApiKey(input: {name: "zap", scopes: ["leads:read"]}) '
        "{ secret apiKey { id } } }"
    )
    secret = created["createApiKey"]["secret"]
    query = "{ leads(first: 1) { edges { node { id } } } }"
    await api.ok(query, token=secret)
    await api.ok(query, token=secret)  # now remembered

    await api.ok(
        "mutation($id: ID!) { revokeApiKey(id: $id) { id } }",
        {"id": created["createApiKey"]["apiKey"]["id"]},
    )
    assert error_codes(await api(query, token=secret)) == ["UNAUTHENTICATED"]

    changed = await api.ok(
        'mutation { changePassword(input: {currentPassword: "correct horse battery", '
        'newPassword: "another horse battery"}) { token } }'
    )
    assert error_codes(await api(query, token=old)) == ["UNAUTHENTICATED"]
    await api.ok(query, token=changed["changePassword"]["token"])


async def test_a_page_reads_only_the_columns_its_fields_need_fragments_included(
    runtime: Runtime, api: Api
) -> None:
    await api.sign_up()
    await seed(runtime, leads=3, listings=1)

    six, seen = await counted(
        runtime,
        api,
        "{ leads(first: 2) { edges { node { id name email phone temperature lastContactAt } } } }",
    )
    page = next(s for s in seen if "FROM leads" in s)
    assert "leads.notes" not in page and "leads.tags" not in page
    assert six["leads"]["edges"][0]["node"]["name"] == "Lead 2"

    fragment, seen = await counted(
        runtime,
        api,
        "fragment Card on Lead { notes preferences { operation } } "
        "{ leads(first: 1) { edges { node { name ...Card ... on Lead { tags } } } } }",
    )
    node = fragment["leads"]["edges"][0]["node"]
    assert node == {"name": "Lead 2", "notes": "", "preferences": {"operation": "ANY"}, "tags": []}
    page = next(s for s in seen if "FROM leads" in s)
    assert "leads.notes" in page and "leads.tags" in page and "leads.email" not in page

    # the list asked for twice (merged into one field): both selections' columns are read
    twice = await api.ok(
        "{ leads(first: 1) { edges { node { id } } } leads(first: 1) { edges { node { email } } } }"
    )
    assert twice["leads"]["edges"][0]["node"]["email"] == "lead2@example.com"


async def test_a_list_is_built_once_per_shape_and_each_request_brings_its_own_values(
    runtime: Runtime, api: Api
) -> None:
    await api.sign_up()
    await seed(runtime, leads=12, listings=1)
    other = Api(api.client)
    await other.sign_up("bea@example.com", "Casa Bea")
    await seed(runtime, leads=3, listings=1, tag="b")  # seeded into the first brokerage
    query = (
        "query($s: String, $t: Temperature, $after: String) { leads(first: 4, search: $s, "
        "temperature: $t, after: $after) { pageInfo { endCursor } edges { node { name } } } }"
    )

    def names(data: dict[str, Any]) -> list[str]:
        return [e["node"]["name"] for e in data["leads"]["edges"]]

    with statements(runtime) as seen:
        first = await api.ok(query)
        again = await api.ok(query, {"after": first["leads"]["pageInfo"]["endCursor"]})
        theirs = await other.ok(query)
        found = await api.ok(query, {"s": "lead 1"})
        hot = await api.ok(query, {"t": "HOT", "s": "LEAD"})
        cold = await api.ok(query, {"t": "COLD"})
        empty = await api.ok(query, {"after": ""})  # an empty cursor is no cursor

    assert names(first) == ["Lead b2", "Lead b1", "Lead b0", "Lead 11"]
    assert names(again) == ["Lead 10", "Lead 9", "Lead 8", "Lead 7"]
    assert names(theirs) == []  # the same statement, another brokerage's parameter
    assert names(found) == ["Lead 11", "Lead 10", "Lead 1"]
    assert names(hot) == ["Lead b2", "Lead b1", "Lead b0", "Lead 11"]
    assert names(cold) == []  # contacted within the last 12 days
    assert names(empty) == names(first)
    pages = [s for s in seen if "FROM leads" in s]
    # the first page's statement text is the same for both brokerages: values are parameters
    assert len(pages) == 7 and pages[0] == pages[2] == pages[6] and pages[1] != pages[0]
    assert "lead 1" not in " ".join(pages).lower()
    # and no new statement for known shapes, whoever asks and whatever they search
    built = len(relay._PAGES)
    await api.ok(query, {"s": "another name"})
    await other.ok(query, {"t": "HOT", "s": "ana"})
    assert len(relay._PAGES) == built


async def test_a_page_read_straight_off_the_driver_answers_what_the_orm_answers(
    runtime: Runtime, api: Api
) -> None:
    """On PostgreSQL a query's page of plain columns skips the ORM (app.core.db.read_rows);
    with a listener on the engine's statements it goes the ORM's way. Both answer alike, for
    every filter, cursor and field."""
    await api.sign_up()
    await seed(runtime, leads=12, listings=1)
    query = (
        "query($s: String, $t: Temperature, $after: String) { leads(first: 4, search: $s, "
        "temperature: $t, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor "
        "node { id name email phone temperature lastContactAt } } } }"
    )
    first = await api.ok(query)
    cases: list[dict[str, Any]] = [
        {},
        {"after": first["leads"]["pageInfo"]["endCursor"]},
        {"s": "lead 1"},
        {"s": "5500000", "t": "HOT"},
        {"t": "WARM"},
        {"t": "COLD"},
    ]
    plain = [await api.ok(query, variables) for variables in cases]
    with statements(runtime) as seen:
        through_the_orm = [await api.ok(query, variables) for variables in cases]

    assert plain == through_the_orm and len(seen) == len(cases)
    assert [e["node"]["name"] for e in plain[1]["leads"]["edges"]] == [
        "Lead 7",
        "Lead 6",
        "Lead 5",
        "Lead 4",
    ]
    assert plain[0]["leads"]["edges"][0]["node"]["lastContactAt"].endswith("+00:00")
    if runtime.settings.is_postgres:  # the straight way was taken
        assert any(plain_select is not None for _, plain_select in db._PLAIN_SELECTS.values())
