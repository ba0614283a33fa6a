"""Query cost: how many fields an operation can resolve, refused past a budget before it runs.

Each field costs 1 for every object it is resolved on: a field inside `leads(first: 50)` counts
50 times, one inside its `matches(first: 20)` 1,000 times. A paginated field without `first`
counts the default page (20); a plain list of objects counts `LIST_WEIGHT`. The dashboard's
largest screen (a listing's board: 100 conversations with their messages) costs about 6,400.
The depth limit (QueryDepthLimiter) answers `QUERY_TOO_DEEP`; this one `QUERY_TOO_COMPLEX`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from app.core.errors import DomainError
from graphql_schema.documents import PerDocument
from graphql_schema.relay import DEFAULT_PAGE

MAX_COST = 50_000
LIST_WEIGHT = 10


class QueryTooComplex(DomainError):
    code = "QUERY_TOO_COMPLEX"


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: dict[str, Any] | None = None,
) -> int:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _cost(schema, operation.selection_set, root, 1, fragments, variables or {})


def _cost(
    schema: GraphQLSchema,
    selection_set: SelectionSetNode,
    parent: GraphQLNamedType,
    multiplier: int,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    total = 0
    fields: dict[str, GraphQLField] = getattr(parent, "fields", {})
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            definition = fields.get(selection.name.value)
            if definition is None:  # __typename and the like
                continue
            total += multiplier
            if selection.selection_set is not None:
                inner = multiplier * _fan_out(selection, definition, variables)
                total += _cost(
                    schema,
                    selection.selection_set,
                    get_named_type(definition.type),
                    inner,
                    fragments,
                    variables,
                )
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            named = schema.get_type(condition.name.value) if condition is not None else parent
            total += _cost(
                schema, selection.selection_set, named or parent, multiplier, fragments, variables
            )
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                named = schema.get_type(fragment.type_condition.name.value) or parent
                total += _cost(
                    schema, fragment.selection_set, named, multiplier, fragments, variables
                )
        if total > MAX_COST * 10:
            break  # far past the budget already: no need to count the rest
    return total


def _fan_out(node: FieldNode, definition: GraphQLField, variables: dict[str, Any]) -> int:
    """How many objects the field's selection is resolved on, at most."""
    if node.name.value in ("edges", "nodes"):
        return 1  # a connection's page: already counted by its `first`
    if "first" in definition.args:
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = value_from_ast_untyped(argument.value, variables)
                return value if isinstance(value, int) and value >= 0 else DEFAULT_PAGE
        return DEFAULT_PAGE
    field_type = definition.type
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return LIST_WEIGHT if isinstance(field_type, GraphQLList) else 1


class _PageVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        if node.name.value == "first" and isinstance(node.value, VariableNode):
            self.names.add(node.value.name.value)
        return Visitor.SKIP


def _costs(document: DocumentNode) -> tuple[tuple[str, ...], dict[Hashable, int]]:
    found = _PageVariables()
    visit(document, found)
    return tuple(sorted(found.names)), {}


# Per document: the variables its cost depends on (those giving a page size), and the costs
# worked out so far for their values.
_DOCUMENT_COSTS = PerDocument(_costs)


def remembered_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> int:
    """`operation_cost`, worked out once per document, operation and page sizes."""
    names, known = _DOCUMENT_COSTS(document)
    values = variables or {}
    # with each value's type: 1, 1.0 and True are one dict key, not one page size here
    sizes = [values.get(name) for name in names]
    key = (id(schema), operation_name, *((type(v), v) for v in sizes))
    try:
        return known[key]
    except KeyError:
        pass
    except TypeError:  # a page size that is not a plain value: counted, not remembered
        return operation_cost(schema, document, operation_name, variables)
    cost = known[key] = operation_cost(schema, document, operation_name, variables)
    if len(known) > 64:
        known.pop(next(iter(known)))
    return cost


class QueryCost(SchemaExtension):
    """Refuse an operation whose cost is past `MAX_COST` (QUERY_TOO_COMPLEX), before it runs."""

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            cost = remembered_cost(
                context.schema._schema, document, context.operation_name, context.variables
            )
            if cost > MAX_COST:
                error = QueryTooComplex(
                    f"This operation would resolve about {cost:,} fields; at most "
                    f"{MAX_COST:,} are allowed. Ask for smaller pages or fewer nested lists."
                )
                context.result = ExecutionResult(
                    data=None, errors=[GraphQLError(error.message, original_error=error)]
                )
        yield
