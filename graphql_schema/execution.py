"""Plain objects completed without graphql-core's per-field machinery.

A page of 50 leads with six fields is ~350 field executions, each with a path, a resolve info,
a resolver call chain, an awaitable check and a completion dispatch: in the profile about half
of the request's CPU. Most of those fields only read an attribute (Strawberry's "basic" fields,
no resolver, no extensions) and coerce a scalar. For an object whose selected fields are all
of that kind (or the Relay `id`, or objects and lists of such objects), `PlainObjects` builds
once per request and selection a plan that reads and coerces them directly.

The plan only takes the happy path: anything it does not expect (a null in a non-null field, a
value a scalar refuses, an awaitable, an unexpected class, an overridden `resolve_id`) makes
it give the object back to graphql-core, which completes it as usual, so errors, their paths
and null propagation are graphql-core's own. Reading an attribute twice is harmless, which is
why only attribute reads are planned. Fields with arguments or resolvers, abstract types,
`@defer`/`@stream` and any resolve middleware (a schema extension's `resolve` hook) always go
the general way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import EnumMeta
from typing import Any
from uuid import UUID

from graphql import (
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.language import FieldNode
from graphql.pyutils import Path
from graphql.type.introspection import TypeNameMetaFieldDef
from graphql.type.scalars import serialize_id
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

FieldDetailsList = list[FieldDetails]
Plan = Callable[[Any], Any]

_BACKREF = "strawberry-definition"
_NODE_ID = relay.Node._id.__func__  # type: ignore[attr-defined]
_DEFAULT_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
_DEFAULT_RESOLVE_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
# Directives that only decide whether a field is there (collect_fields has applied them).
_INCLUSION = frozenset({"skip", "include"})
# Values that are never awaitable (the common case, checked first; enum members too).
_PLAIN = frozenset(
    {type(None), bool, int, float, str, list, tuple, dict, datetime, date, Decimal, UUID}
)


class _Fallback(Exception):
    """The plan met something it does not handle: graphql-core completes the object."""


def _strawberry_is_type_of(object_type: GraphQLObjectType) -> bool:
    """Whether the type's `is_type_of` is Strawberry's, which reads only the object (so the
    plan may call it without a resolve info)."""
    check = object_type.is_type_of
    return check is None or check.__module__ == "strawberry.schema.schema_converter"


class PlainObjects(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain objects completed by a per-request plan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._planning = not (manager is not None and manager.middlewares)
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[FieldDetailsList, Plan | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._planning:
            plan = self._object_plan(return_type, field_details_list)
            if plan is not None:
                try:
                    return plan(result)
                except Exception:
                    pass
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    # --- plans ------------------------------------------------------------------------------

    def _object_plan(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Plan | None:
        # Memoized like graphql-core's collect_subfields: on the identity of the field group,
        # kept alive beside the plan so that its id is not reused during the request.
        key = (object_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is None:
            cached = (field_details_list, self._build_object_plan(object_type, field_details_list))
            self._plans[key] = cached
        return cached[1]

    def _build_object_plan(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Plan | None:
        if not _strawberry_is_type_of(object_type):
            return None
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(
            object_type, field_details_list
        )
        if new_defer_usages:
            return None
        steps: list[tuple[str, Plan, Plan]] = []
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            if not all(_plain_node(d) for d in details):
                return None
            field = self.schema.get_field(object_type, node.name.value)
            if field is None:
                continue  # graphql-core leaves an unknown field out too
            if field.args or node.arguments:
                return None
            read = _reader(object_type, field)
            complete = self._completer(field.type, details) if read is not None else None
            if read is None or complete is None:
                return None
            steps.append((response_name, read, complete))
        is_type_of = object_type.is_type_of

        def plan(source: Any) -> dict[str, Any]:
            if is_type_of is not None and not is_type_of(source, None):  # type: ignore[arg-type]
                raise _Fallback
            return {name: complete(read(source)) for name, read, complete in steps}

        return plan

    def _completer(self, type_: GraphQLOutputType, details: FieldDetailsList) -> Plan | None:
        if is_non_null_type(type_):
            assert isinstance(type_, GraphQLNonNull)
            inner = self._completer(type_.of_type, details)
            if inner is None:
                return None

            def non_null(value: Any) -> Any:
                completed = inner(value)
                if completed is None:
                    raise _Fallback
                return completed

            return non_null
        if is_leaf_type(type_):
            coerce = type_.coerce_output_value  # type: ignore[union-attr]
            is_awaitable = self.is_awaitable

            def leaf(value: Any) -> Any:
                if value is None:
                    return None
                kind = type(value)
                if kind not in _PLAIN and not isinstance(kind, EnumMeta) and is_awaitable(value):
                    raise _Fallback
                coerced = coerce(value)
                if coerced is None or coerced is Undefined:
                    raise _Fallback
                return coerced

            return leaf
        if is_list_type(type_):
            assert isinstance(type_, GraphQLList)
            item = self._completer(type_.of_type, details)
            if item is None:
                return None

            def items(value: Any) -> Any:
                if value is None:
                    return None
                if type(value) is not list and type(value) is not tuple:
                    raise _Fallback  # iterators, async iterables: the general way
                return [item(one) for one in value]

            return items
        if is_object_type(type_):
            assert isinstance(type_, GraphQLObjectType)
            nested = self._object_plan(type_, details)
            if nested is None:
                return None

            def obj(value: Any) -> Any:
                return None if value is None else nested(value)

            return obj
        return None  # interfaces and unions: resolved per object by graphql-core


def _plain_node(details: FieldDetails) -> bool:
    node: FieldNode = details.node
    if details.fragment_variable_values is not None:
        return False
    return all(d.name.value in _INCLUSION for d in node.directives or ())


def _reader(object_type: GraphQLObjectType, field: GraphQLField) -> Plan | None:
    """How the plan reads `field` of an object, when that is only an attribute read."""
    if field is TypeNameMetaFieldDef:
        name = object_type.name
        return lambda _source: name
    resolve = field.resolve
    definition = (field.extensions or {}).get(_BACKREF)
    if resolve is None or definition is None:
        return None
    if getattr(resolve, "_is_default", False):  # Strawberry's basic field: getattr
        default_resolver, python_name = definition.default_resolver, definition.python_name
        return lambda source: default_resolver(source, python_name)
    resolver = definition.base_resolver
    func = getattr(getattr(resolver, "wrapped_func", None), "__func__", None)
    if func is _NODE_ID and not definition.extensions:
        type_name = object_type.name
        named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        # graphql-core's ID serializes a GlobalID as str(): the plan writes that string at once
        as_text = named is GraphQLID and named.coerce_output_value is serialize_id

        def node_id(source: Any) -> Any:
            cls = type(source)
            if (
                not isinstance(source, relay.Node)
                or cls.resolve_id.__func__ is not _DEFAULT_RESOLVE_ID  # type: ignore[attr-defined]
                or cls.resolve_typename.__func__ is not _DEFAULT_RESOLVE_TYPENAME  # type: ignore[attr-defined]
            ):
                raise _Fallback
            value = getattr(source, cls.resolve_id_attr())
            if value is None:
                raise _Fallback
            if as_text:
                return to_base64(type_name, str(value))
            return relay.GlobalID(type_name=type_name, node_id=str(value))

        return node_id
    return None
