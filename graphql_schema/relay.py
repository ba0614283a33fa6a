"""Relay plumbing: opaque global ids, and keyset-paginated connections with `totalCount`.

`totalCount` is a COUNT over the whole filtered list, by far the dearest part of a page on a
big brokerage: it runs only when the query selects it (it is resolved, not precomputed).
"""

from __future__ import annotations

import base64
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from strawberry import relay

from app.core.db import read_rows
from app.core.errors import BadUserInput, NotFound

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


@strawberry.type(description="An item of a list and the cursor to continue after it.")
class Edge(Generic[T]):
    node: T
    order: strawberry.Private[Sequence[Any]]

    @strawberry.field(description="Pass it as `after` to continue after this item.")
    def cursor(self) -> str:  # encoded only when asked: most pages ask for the last one only
        return _cursor([_plain(v) for v in self.order])


@strawberry.type(description="A page of a list, newest first unless the field says otherwise.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: relay.PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has (counted only when asked).")
    async def total_count(self) -> int:
        return await self.count()


def decode_id(global_id: str | strawberry.ID, expected: str | Sequence[str]) -> int:
    """The database id inside a Relay global id of one of the `expected` types."""
    names = (expected,) if isinstance(expected, str) else tuple(expected)
    try:
        gid = relay.GlobalID.from_id(str(global_id))
        node_id = int(gid.node_id)
    except (ValueError, TypeError) as exc:
        raise BadUserInput(f"'{global_id}' is not a valid id.") from exc
    if gid.type_name not in names:
        raise NotFound(f"No {' or '.join(names)} with id '{global_id}'.")
    return node_id


def encode_id(type_name: str, node_id: int) -> str:
    return str(relay.GlobalID(type_name, str(node_id)))


def _cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), default=str).encode()).decode()


def _uncursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as exc:
        raise BadUserInput("The `after` cursor is not one this API gave out.") from exc
    if not isinstance(values, list):
        raise BadUserInput("The `after` cursor is not one this API gave out.")
    return values


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise BadUserInput(f"`first` must be between 0 and {MAX_PAGE}.")
    return first


async def paginate(
    session: AsyncSession,
    stmt: Select[Any] | Callable[[], Select[Any]],
    *,
    order: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]],
    first: int | None,
    after: str | None,
    convert: Callable[[Any], T],
    key: Hashable | None = None,
    params: dict[str, Any] | None = None,
) -> Connection[T]:
    """Keyset pagination over `stmt`, descending on the `order` columns (the last must be
    unique).

    With a `key` (naming `stmt`'s shape and `order`), `stmt` is a function building the
    statement with bound parameters whose values are `params`: the page's statement is then
    built once per process and shape, not per request (building and caching-keying a fresh
    statement was a sixth of a short page's time), and its size and cursor travel as
    parameters too.
    """
    limit = page_size(first)
    values = dict(params or {})
    if key is None:
        assert not callable(stmt)
        base = stmt
        page = base.add_columns(*order).order_by(*(column.desc() for column in order))
        if after:
            page = page.where(tuple_(*order) < tuple_(*after_values(after, order)))
        page = page.limit(limit + 1)
    else:
        base, page = _page_statement(key, stmt, order, bool(after))
        values[_LIMIT] = limit + 1
        if after:
            for i, value in enumerate(after_values(after, order)):
                values[f"{_AFTER}{i}"] = value

    async def count() -> int:
        counted = select(func.count()).select_from(base.order_by(None).subquery())
        return int((await session.execute(counted, params)).scalar_one())

    if key is None:
        rows = (await session.execute(page, values)).all()
    else:  # a statement kept for good: compiled once, read without the ORM where it can be
        rows = await read_rows(session, page, values)
    return page_of(rows, limit=limit, after=after, convert=convert, count=count)


_LIMIT, _AFTER = "page_limit", "page_after_"
# Page statements by shape, most recently used last; bounded (a shape is a list, its filters'
# kinds and the columns its fields read: a handful per list in practice).
_PAGES: OrderedDict[tuple[Hashable, bool], tuple[Select[Any], Select[Any]]] = OrderedDict()
_MAX_PAGES = 512


def _page_statement(
    key: Hashable,
    build: Select[Any] | Callable[[], Select[Any]],
    order: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]],
    after: bool,
) -> tuple[Select[Any], Select[Any]]:
    """(the list's statement, its page's) for a shape, built on first use."""
    cached = _PAGES.get((key, after))
    if cached is not None:
        _PAGES.move_to_end((key, after))
        return cached
    base = build() if callable(build) else build
    page = base.add_columns(*order).order_by(*(column.desc() for column in order))
    if after:
        bounds = [bindparam(f"{_AFTER}{i}", type_=column.type) for i, column in enumerate(order)]
        page = page.where(tuple_(*order) < tuple_(*bounds))
    page = page.limit(bindparam(_LIMIT, type_=Integer()))
    _PAGES[(key, after)] = (base, page)
    while len(_PAGES) > _MAX_PAGES:
        _PAGES.popitem(last=False)
    return base, page


def page_of(
    rows: Sequence[Any],
    *,
    limit: int,
    after: str | None,
    convert: Callable[[Any], T],
    count: Callable[[], Awaitable[int]],
) -> Connection[T]:
    """A connection from up to `limit + 1` rows of (item, *order values)."""
    edges = [Edge(node=convert(row[0]), order=row[1:]) for row in rows[:limit]]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > limit,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor() if edges else None,
            end_cursor=edges[-1].cursor() if edges else None,
        ),
        count=count,
    )


def after_values(after: str, order: Sequence[Any]) -> list[Any]:
    """The order values inside an `after` cursor of a list sorted on `order`."""
    values = _uncursor(after)
    if len(values) != len(order):
        raise BadUserInput("The `after` cursor is not one this API gave out.")
    return values


def node_fields(info: Any) -> set[str]:
    """The GraphQL names of the fields a query selects on a connection's nodes (through
    fragments too, every occurrence of the list field merged), so a list reads only the
    columns they need. Read from the document's nodes as they are: @skip and @include are not
    applied, so a skipped field's columns are read as well."""
    raw = info._raw_info
    fragments = raw.fragments
    names: set[str] = set()
    wanted = ("edges", "node")

    def walk(selection_set: SelectionSetNode | None, depth: int) -> None:
        for selection in selection_set.selections if selection_set is not None else ():
            if isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, depth)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    walk(fragment.selection_set, depth)
            elif isinstance(selection, FieldNode):
                if depth == len(wanted):
                    names.add(selection.name.value)
                elif selection.name.value == wanted[depth]:
                    walk(selection.selection_set, depth + 1)

    for node in raw.field_nodes:
        walk(node.selection_set, 0)
    return names


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
