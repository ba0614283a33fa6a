"""Relay plumbing: opaque global ids, and keyset-paginated connections with `totalCount`."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from strawberry import relay

from app.core.errors import BadUserInput, NotFound

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


@strawberry.type(description="An item of a list and the cursor to continue after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, newest first unless the field says otherwise.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: relay.PageInfo
    total_count: int


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
    stmt: Select[Any],
    *,
    order: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]],
    first: int | None,
    after: str | None,
    convert: Callable[[Any], T],
) -> Connection[T]:
    """Keyset pagination over `stmt`, descending on the `order` columns (the last must be unique)."""
    limit = page_size(first)
    total = (
        await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
    ).scalar_one()
    page = stmt.add_columns(*order).order_by(*(column.desc() for column in order))
    if after:
        values = _uncursor(after)
        if len(values) != len(order):
            raise BadUserInput("The `after` cursor is not one this API gave out.")
        page = page.where(tuple_(*order) < tuple_(*values))
    rows = (await session.execute(page.limit(limit + 1))).all()
    edges = [
        Edge(cursor=_cursor([_plain(v) for v in row[1:]]), node=convert(row[0]))
        for row in rows[:limit]
    ]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > limit,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
