"""Plain objects (graphql_schema/execution.py) answer exactly what graphql-core answers: the
same data, the same errors at the same paths, the same resolvers and middleware run; only the
attribute reads of plain fields skip graphql-core's per-field machinery."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry
from graphql import GraphQLResolveInfo
from strawberry import relay
from strawberry.extensions import ParserCache, SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_schema.execution import PlainObjects


@strawberry.enum
class Mood(enum.Enum):
    HOT = "HOT"
    COLD = "COLD"


@strawberry.type
class Place:
    city: str
    tags: list[str]


@strawberry.type
class Person(relay.Node):
    id: relay.NodeID[int]
    name: str
    email: str | None
    mood: Mood
    seen_at: datetime | None
    home: Place | None
    places: list[Place]
    score: int = 0
    resolved: int = 0

    @strawberry.field
    def shout(self) -> str:
        type(self).resolved += 1
        return self.name.upper()


@strawberry.type
class Renamed(relay.Node):
    id: relay.NodeID[int]

    @classmethod
    def resolve_id(cls, root: Renamed, *, info: Any) -> str:
        return f"r{root.id}"


@strawberry.type
class Page:
    people: list[Person]
    renamed: list[Renamed]


PEOPLE: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    def page(self) -> Page:
        return Page(people=PEOPLE, renamed=[Renamed(id=1), Renamed(id=2)])


def person(i: int, **changes: Any) -> Person:
    values: dict[str, Any] = {
        "id": i,
        "name": f"Person {i}",
        "email": f"p{i}@example.com" if i % 2 else None,
        "mood": Mood.HOT if i % 3 else Mood.COLD,
        "seen_at": datetime(2026, 12, 1, 10, i % 60, tzinfo=UTC) if i % 4 else None,
        "home": Place(city="CDMX", tags=["a", "b"]) if i % 5 else None,
        "places": [Place(city=f"C{j}", tags=[]) for j in range(i % 3)],
        "score": i,
    }
    values.update(changes)
    return Person(**values)


class Counting:
    """An execution context that counts graphql-core's field executions."""

    def __init__(self, base: type[Any]) -> None:
        self.fields = 0
        counter = self

        class Counted(base):  # type: ignore[misc, valid-type]
            def execute_field(self, *args: Any, **kwargs: Any) -> Any:
                counter.fields += 1
                return super().execute_field(*args, **kwargs)

        self.context_class = Counted


def schema_with(context_class: type[Any], extensions: list[Any] | None = None) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query, execution_context_class=context_class, extensions=extensions or []
    )


async def both(
    query: str, variables: dict[str, Any] | None = None, extensions: list[Any] | None = None
) -> tuple[Any, Any]:
    """(stock answer, plain-objects answer) as (data, [(message, path)])."""
    answers = []
    for context_class in (StrawberryGraphQLCoreExecutionContext, PlainObjects):
        result = await schema_with(context_class, extensions).execute(
            query, variable_values=variables
        )
        errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or [])
        answers.append((result.data, errors))
    return answers[0], answers[1]


@pytest.fixture(autouse=True)
def people() -> None:
    PEOPLE[:] = [person(i) for i in range(1, 51)]
    Person.resolved = 0


EVERYTHING = """query($withHome: Boolean!) { page { __typename people {
  __typename id name email mood seenAt score
  alias: name
  home @include(if: $withHome) { city tags }
  places { city tags __typename }
  ...More
  ... on Person { email }
} renamed { id } } }
fragment More on Person { mood home @skip(if: $withHome) { city } }"""


@pytest.mark.parametrize("with_home", [True, False])
async def test_plain_fields_answer_exactly_as_graphql_core(with_home: bool) -> None:
    stock, plain = await both(EVERYTHING, {"withHome": with_home})
    assert stock[1] == [] and plain == stock
    first = plain[0]["page"]["people"][0]
    assert first["id"] == str(relay.GlobalID("Person", "1"))
    assert first["seenAt"] == "2026-12-01T10:01:00+00:00" and first["mood"] == "HOT"
    # an overridden resolve_id is still asked
    assert plain[0]["page"]["renamed"][0]["id"] == str(relay.GlobalID("Renamed", "r1"))


async def test_a_page_of_plain_objects_is_one_graphql_core_field_execution() -> None:
    query = "{ page { people { id name email mood seenAt home { city } places { city } } } }"
    counts = {}
    for name, base in (("stock", StrawberryGraphQLCoreExecutionContext), ("plain", PlainObjects)):
        counting = Counting(base)
        result = await schema_with(counting.context_class).execute(query)
        assert not result.errors
        counts[name] = counting.fields
    # page, and the page's plain object completed at once
    assert counts["plain"] == 1
    assert counts["stock"] > 50 * 7


@pytest.mark.parametrize(
    ("broken", "query"),
    [
        ({"name": None}, "{ page { people { id name } } }"),  # null in a non-null field
        ({"score": "many"}, "{ page { people { score } } }"),  # a value Int refuses
        ({"mood": "SAD"}, "{ page { people { mood } } }"),  # not a Mood
        ({"home": "not a place"}, "{ page { people { home { city } } } }"),  # wrong class
        ({"places": None}, "{ page { people { places { city } } } }"),  # null list
        ({"id": None}, "{ page { people { id } } }"),  # no id
    ],
)
async def test_errors_are_graphql_cores_own_with_their_paths(
    broken: dict[str, Any], query: str
) -> None:
    PEOPLE[7] = person(8, **broken)

    stock, plain = await both(query)

    assert plain == stock
    assert stock[1] and stock[1][0][1][:3] == ("page", "people", 7)


async def test_resolvers_and_middleware_run_as_they_would() -> None:
    seen: list[str] = []

    class Watch(SchemaExtension):
        def resolve(
            self,
            _next: Callable[..., Any],
            root: Any,
            info: GraphQLResolveInfo,
            *args: Any,
            **kw: Any,
        ) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kw)

    query = "{ page { people { name shout } } }"
    stock, plain = await both(query, extensions=[Watch])

    assert plain == stock and plain[0]["page"]["people"][0]["shout"] == "PERSON 1"
    # every field passed the middleware, in both runs; the resolver ran for every person
    assert len(seen) == 2 * (1 + 1 + 50 * 2)
    assert Person.resolved == 100


async def test_a_document_asked_again_answers_with_each_requests_own_values() -> None:
    """The parser cache hands back the same document: plans learned from it serve the next
    request, which still answers its own rows, falls back on its own surprises, and follows its
    own variables wherever @include and @skip decide the fields."""
    counting = Counting(PlainObjects)
    schema = strawberry.Schema(
        query=Query,
        execution_context_class=counting.context_class,
        extensions=[lambda: ParserCache(maxsize=10)],
    )
    stock = schema_with(StrawberryGraphQLCoreExecutionContext)
    query = "{ page { people { id name mood seenAt home { city } } } }"

    first = await schema.execute(query)
    PEOPLE[:] = [person(i) for i in range(100, 140)]
    counting.fields = 0
    again = await schema.execute(query)

    assert first.data is not None and first.data["page"]["people"][0]["name"] == "Person 1"
    assert again.data is not None and again.data == (await stock.execute(query)).data
    assert again.data["page"]["people"][0]["name"] == "Person 100" and counting.fields == 1

    PEOPLE[3] = person(103, name=None)
    broken = await schema.execute(query)
    assert broken.data == (await stock.execute(query)).data  # null up to the root
    assert [tuple(e.path or ()) for e in broken.errors or []] == [("page", "people", 3, "name")]

    for with_home in (True, False, True):
        answer = await schema.execute(EVERYTHING, variable_values={"withHome": with_home})
        expected = await stock.execute(EVERYTHING, variable_values={"withHome": with_home})
        assert answer.data == expected.data and answer.errors == expected.errors
