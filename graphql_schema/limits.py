"""Size limits on every string and list a client sends, checked before any resolver runs.

Without them a 10 MB description was stored, a 20 MB `search` took seconds and 150 MB, and
values past a column's length failed in the database as a masked internal error. Limits are
keyed by the argument or input field's GraphQL name, wherever it appears; anything unnamed
here gets the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import ArgumentNode, GraphQLError, Visitor, value_from_ast_untyped, visit
from strawberry.extensions import SchemaExtension

from app.core.errors import BadUserInput

STRING_DEFAULT = 1_000
LIST_DEFAULT = 100

STRING_LIMITS: dict[str, int] = {
    # people and accounts (the columns' own lengths)
    "name": 200,
    "brokerageName": 200,
    "agentName": 200,
    "email": 320,
    "password": 256,
    "currentPassword": 256,
    "newPassword": 256,
    "phone": 64,
    "apiKey": 200,
    "url": 2_000,
    "source": 40,
    "language": 10,
    "defaultRegion": 10,
    "timezone": 64,
    "currency": 10,
    # listings
    "title": 300,
    "location": 200,
    "city": 200,
    # free text a broker writes
    "description": 20_000,
    "notes": 10_000,
    "signature": 2_000,
    "postalAddress": 1_000,
    "body": 5_000,
    # lookups
    "search": 200,
    "column": 300,
    # each item of these lists
    "locations": 200,
    "scopes": 40,
}
LIST_LIMITS: dict[str, int] = {
    "locations": 50,
    "scopes": 20,
    "mapping": 500,
    "availability": 50,
}


def oversized(name: str, value: Any, path: str) -> Iterator[str]:
    """Messages for each value under `path` past its limit (nested inputs and lists too)."""
    if isinstance(value, str):
        limit = STRING_LIMITS.get(name, STRING_DEFAULT)
        if len(value) > limit:
            yield f"`{path}` is too long: at most {limit} characters."
    elif isinstance(value, list):
        limit = LIST_LIMITS.get(name, LIST_DEFAULT)
        if len(value) > limit:
            yield f"`{path}` has too many items: at most {limit}."
            return
        for index, item in enumerate(value):
            yield from oversized(name, item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from oversized(key, item, f"{path}.{key}")


class _Arguments(Visitor):
    """Every argument of a document, with variables put in (both are held to the limits)."""

    def __init__(self, variables: dict[str, Any]) -> None:
        super().__init__()
        self.variables = variables
        self.problem: str | None = None

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        name = node.name.value
        value = value_from_ast_untyped(node.value, self.variables)
        for problem in oversized(name, value, name):
            self.problem = problem
            return Visitor.BREAK
        return Visitor.SKIP  # the value's own nodes are read above


class InputLimits(SchemaExtension):
    """Refuse an operation whose arguments are too big, naming the argument (BAD_USER_INPUT).

    Checked once per operation, beside validation (it must come after `ValidationCache` in
    the schema's extensions: an invalid document keeps its validation errors), not in a
    resolver wrapper: a wrapper runs on every field of every answer, and a page of 50 items
    has hundreds.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            arguments = _Arguments(context.variables or {})
            visit(context.graphql_document, arguments)
            if arguments.problem is not None:
                refusal = BadUserInput(arguments.problem)
                context.pre_execution_errors = [
                    GraphQLError(refusal.message, original_error=refusal)
                ]
        yield
