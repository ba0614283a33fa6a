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

import keyword
from binascii import b2a_base64
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import EnumMeta
from typing import Any, NamedTuple
from uuid import UUID

from graphql import (
    DirectiveNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    Node,
    OperationDefinitionNode,
    Undefined,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails
from graphql.language import FieldNode
from graphql.pyutils import Path
from graphql.type.introspection import TypeNameMetaFieldDef
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_string
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.schema.types.base_scalars import isoformat as _ISOFORMAT

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


def _has_no_directives(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> bool:
    if any(fragment.variable_signatures for fragment in fragments.values()):
        return False
    definitions = [fragment.definition for fragment in fragments.values()]
    return not _directives_in(operation) and not _directives_in(definitions)


def _directives_in(node: Any) -> bool:
    if isinstance(node, DirectiveNode):
        return True
    if isinstance(node, Node):
        return any(_directives_in(getattr(node, key, None)) for key in node.keys)
    if isinstance(node, (list, tuple)):
        return any(_directives_in(item) for item in node)
    return False


class _PerOperation:
    """`_has_no_directives` of an operation and its document's fragments, worked out once per
    parsed document (the parser cache hands back the same nodes for the same text); the
    operation is held so that its id is not reused."""

    def __init__(self, maxsize: int = 512) -> None:
        self._entries: OrderedDict[int, tuple[OperationDefinitionNode, bool]] = OrderedDict()
        self._maxsize = maxsize

    def __call__(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
    ) -> bool:
        entry = self._entries.get(id(operation))
        if entry is not None and entry[0] is operation:
            return entry[1]
        answer = _has_no_directives(operation, fragments)
        self._entries[id(operation)] = (operation, answer)
        while len(self._entries) > self._maxsize:
            self._entries.popitem(last=False)
        return answer


_WITHOUT_DIRECTIVES = _PerOperation()
# Plans by (type name, the ids of the field group's nodes); bounded, least recently used out.
_SHARED_PLANS: OrderedDict[
    tuple[str, tuple[int, ...]], tuple[Any, GraphQLObjectType, FieldDetailsList, Plan | None]
] = OrderedDict()
_MAX_SHARED_PLANS = 2048


class PlainObjects(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain objects completed by a per-request plan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._planning = not (manager is not None and manager.middlewares)
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[FieldDetailsList, Plan | None]] = {}
        self._shared = self._planning and _WITHOUT_DIRECTIVES(self.operation, self.fragments)

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
            cached = (field_details_list, self._shared_plan(object_type, field_details_list))
            self._plans[key] = cached
        return cached[1]

    def _shared_plan(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Plan | None:
        """A plan built by an earlier request of the same document, when nothing but the
        document decides it: no directive anywhere in it (an @include's variable could change
        the fields), and fields with arguments are never planned."""
        if not self._shared:
            return self._build_object_plan(object_type, field_details_list)
        key = (object_type.name, tuple(id(details.node) for details in field_details_list))
        entry = _SHARED_PLANS.get(key)
        if entry is not None and entry[0] is self.schema and entry[1] is object_type:
            _SHARED_PLANS.move_to_end(key)
            return entry[3]
        plan = self._build_object_plan(object_type, field_details_list)
        # the field group is kept alive with the plan: its nodes' ids are not reused meanwhile
        _SHARED_PLANS[key] = (self.schema, object_type, field_details_list, plan)
        while len(_SHARED_PLANS) > _MAX_SHARED_PLANS:
            _SHARED_PLANS.popitem(last=False)
        return plan

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
        steps: list[_Step] = []
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
            steps.append(_Step(response_name, read, complete, self._shortcut(field.type, details)))
        return _compiled(object_type, steps)

    def _shortcut(self, type_: GraphQLOutputType, details: FieldDetailsList) -> _Shortcut | None:
        """What the compiled plan may do without calling the field's completer: a value of
        one exact class that the completer would give back unchanged, an enum member's name,
        or a nested object's plan."""
        named = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(named, GraphQLScalarType):
            output = named.coerce_output_value
            if output is _ISOFORMAT:
                return ("iso", None)
            kind = _SAME.get(output)
            return ("same", kind) if kind is not None else None
        if isinstance(named, GraphQLEnumType):
            cls = getattr(named, "wrapped_cls", None)
            if not isinstance(cls, EnumMeta) or type(named).coerce_output_value is not (
                _STRAWBERRY_ENUM_OUTPUT
            ):
                return None
            names: dict[Any, str] = {}
            for member in cls:  # type: ignore[var-annotated]
                for name, value in named.values.items():  # the completer's own search
                    if member.value == value.value:
                        names[member] = name
                        break
            return ("enum", (cls, names))
        if isinstance(named, GraphQLObjectType):
            nested = self._object_plan(named, details)
            return ("object", nested) if nested is not None else None
        return None

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


class _Step(NamedTuple):
    name: str  # the response key
    read: Plan | str  # an attribute's name (read with getattr) or a reader
    complete: Plan  # the completer: takes any value, falls back on anything unexpected
    shortcut: _Shortcut | None


# ("same", cls): a value of exactly `cls` is its own answer; ("iso", None): a datetime or date
# is its isoformat(); ("enum", (cls, names)): a member of `cls` is its name; ("object", plan).
_Shortcut = tuple[str, Any]
_SAME: dict[Any, type] = {serialize_string: str, serialize_id: str, serialize_boolean: bool}
_STRAWBERRY_ENUM_OUTPUT = CustomGraphQLEnumType.coerce_output_value


def _compiled(object_type: GraphQLObjectType, steps: list[_Step]) -> Plan:
    """The plan of one object as one Python function: each field read and coerced in line,
    the completer called only for values the shortcut does not cover (its answer and its
    fallbacks are then the completer's own)."""
    scope: dict[str, Any] = {
        "_Fallback": _Fallback,
        "is_type_of": object_type.is_type_of,
        "_getattr": getattr,
        "_datetime": datetime,
        "_date": date,
    }
    lines = ["def plan(source):"]
    if object_type.is_type_of is not None:
        lines.append("    if not is_type_of(source, None): raise _Fallback")
    for i, step in enumerate(steps):
        value, complete = f"v{i}", f"c{i}"
        scope[complete] = step.complete
        if isinstance(step.read, str):
            scope[f"a{i}"] = step.read
            read = (
                f"source.{step.read}"
                if step.read.isidentifier()
                and not keyword.iskeyword(step.read)
                and not step.read.startswith("__")
                else f"_getattr(source, a{i})"
            )
        else:
            scope[f"r{i}"] = step.read
            read = f"r{i}(source)"
        lines.append(f"    {value} = {read}")
        kind, data = step.shortcut if step.shortcut is not None else ("", (None, None))
        if kind == "same":
            scope[f"t{i}"] = data
            lines.append(f"    if type({value}) is not t{i}: {value} = {complete}({value})")
        elif kind == "iso":
            lines.append(
                f"    {value} = {value}.isoformat() if type({value}) is _datetime "
                f"or type({value}) is _date else {complete}({value})"
            )
        elif kind == "enum":
            scope[f"e{i}"], scope[f"n{i}"] = data
            lines.append(
                f"    {value} = (n{i}.get({value}) if type({value}) is e{i} else None) "
                f"or {complete}({value})"
            )
        elif kind == "object":
            scope[f"p{i}"] = data
            lines.append(
                f"    {value} = p{i}({value}) if {value} is not None else {complete}({value})"
            )
        else:
            lines.append(f"    {value} = {complete}({value})")
    entries = ", ".join(f"{step.name!r}: v{i}" for i, step in enumerate(steps))
    lines.append(f"    return {{{entries}}}")
    code = compile("\n".join(lines), f"<plan of {object_type.name}>", "exec")
    exec(code, scope)
    plan: Plan = scope["plan"]
    return plan


def _plain_node(details: FieldDetails) -> bool:
    node: FieldNode = details.node
    if details.fragment_variable_values is not None:
        return False
    return all(d.name.value in _INCLUSION for d in node.directives or ())


def _reader(object_type: GraphQLObjectType, field: GraphQLField) -> Plan | str | None:
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
        if default_resolver is getattr:
            return python_name  # read in line by the compiled plan
        return lambda source: default_resolver(source, python_name)
    resolver = definition.base_resolver
    func = getattr(getattr(resolver, "wrapped_func", None), "__func__", None)
    if func is _NODE_ID and not definition.extensions:
        type_name = object_type.name
        prefix = f"{type_name}:".encode()
        named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        # graphql-core's ID serializes a GlobalID as str(): the plan writes that string at once
        as_text = named is GraphQLID and named.coerce_output_value is serialize_id

        # the classes seen to keep Relay's own id, with the attribute that holds it
        id_attrs: dict[type, str] = {}

        def node_id(source: Any) -> Any:
            cls = type(source)
            attr = id_attrs.get(cls)
            if attr is None:
                if (
                    not isinstance(source, relay.Node)
                    or cls.resolve_id.__func__ is not _DEFAULT_RESOLVE_ID  # type: ignore[attr-defined]
                    or cls.resolve_typename.__func__ is not _DEFAULT_RESOLVE_TYPENAME  # type: ignore[attr-defined]
                ):
                    raise _Fallback
                attr = id_attrs[cls] = cls.resolve_id_attr()
            value = getattr(source, attr)
            if value is None:
                raise _Fallback
            if as_text:  # to_base64(type_name, value), its checks of the type made once
                return b2a_base64(prefix + str(value).encode(), newline=False).decode()
            return relay.GlobalID(type_name=type_name, node_id=str(value))

        return node_id
    return None
