"""Size limits on every string and list a client sends, checked before any resolver runs.

Without them a 10 MB description was stored, a 20 MB `search` took seconds and 150 MB, and
values past a column's length failed in the database as a masked internal error. Limits are
keyed by the argument or input field's GraphQL name, wherever it appears; anything unnamed
here gets the defaults.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
    Visitor,
    value_from_ast_untyped,
    visit,
)
from strawberry.extensions import SchemaExtension

from app.core.errors import BadUserInput
from graphql_schema.documents import PerDocument

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
    """Every argument of a document in order: what a literal-only one is found to break (it
    cannot change), and the value of one that reads variables (checked per request)."""

    def __init__(self) -> None:
        super().__init__()
        self.arguments: list[tuple[str, ValueNode | None, str | None]] = []

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        name = node.name.value
        if _reads_variables(node.value):
            self.arguments.append((name, node.value, None))
        else:
            problem = next(oversized(name, value_from_ast_untyped(node.value), name), None)
            self.arguments.append((name, None, problem))
        return Visitor.SKIP  # the value's own nodes are read above


def _reads_variables(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(_reads_variables(item) for item in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_reads_variables(field.value) for field in node.fields)
    return False


def _arguments(document: DocumentNode) -> list[tuple[str, ValueNode | None, str | None]]:
    arguments = _Arguments()
    visit(document, arguments)
    return arguments.arguments


_DOCUMENT_ARGUMENTS = PerDocument(_arguments)


def first_problem(document: DocumentNode, variables: dict[str, Any]) -> str | None:
    """The first argument of `document` (in document order, variables put in) past its limit."""
    for name, value, problem in _DOCUMENT_ARGUMENTS(document):
        if value is not None:
            problem = next(oversized(name, value_from_ast_untyped(value, variables), name), None)
        if problem is not None:
            return problem
    return None


class InputLimits(SchemaExtension):
    """Refuse an operation whose arguments are too big, naming the argument (BAD_USER_INPUT).

    The document's arguments are read once per document (graphql_schema/documents.py); per
    request only those that read variables are checked again. Checked once per operation,
    beside validation (it must come after `DocumentValidation` in
    the schema's extensions: an invalid document keeps its validation errors), not in a
    resolver wrapper: a wrapper runs on every field of every answer, and a page of 50 items
    has hundreds.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            problem = first_problem(context.graphql_document, context.variables or {})
            if problem is not None:
                refusal = BadUserInput(problem)
                context.pre_execution_errors = [
                    GraphQLError(refusal.message, original_error=refusal)
                ]
        yield
