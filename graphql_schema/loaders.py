"""Per-request DataLoaders: one scoped query per type (or relation) per request, however many
fields ask. A list of 50 items asking for a relation costs one statement, not 50.

Each batch runs in a short session of its own: loaders may run while a subscription holds no
session, and batches of sibling fields run concurrently.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from strawberry.dataloader import DataLoader

from app.core.tenancy import load_scoped
from graphql_schema.context import Info
from graphql_schema.relay import Connection, after_values, page_of, page_size

T = TypeVar("T")
V = TypeVar("V")


def batched(
    info: Info,
    key: str,
    load: Callable[[AsyncSession, int, list[Any]], Awaitable[Mapping[Any, V]]],
    default: Callable[[], V],
) -> DataLoader[Any, V]:
    """The request's loader named `key`: `load(session, brokerage_id, keys)` answers a dict by
    key (for the caller's brokerage only); keys it leaves out get `default()`."""
    loader: DataLoader[Any, V] | None = info.context.loaders.get(key)
    if loader is None:
        brokerage_id = info.context.caller().brokerage_id
        runtime = info.context.runtime

        async def load_batch(keys: list[Any]) -> list[V]:
            async with runtime.read_session() as session:
                found = await load(session, brokerage_id, list(keys))
            return [found[k] if k in found else default() for k in keys]

        loader = DataLoader(load_fn=load_batch)
        info.context.loaders[key] = loader
    return loader


def rows_of(info: Info, model: type[Any]) -> DataLoader[int, Any]:
    """A loader of `model` rows by id within the caller's brokerage (None for other tenants')."""

    async def load(session: AsyncSession, brokerage_id: int, ids: list[int]) -> dict[int, Any]:
        return await load_scoped(session, model, brokerage_id, ids)

    return batched(info, f"rows:{model.__name__}", load, lambda: None)


def children_of(
    info: Info, model: type[Any], parent_column: str, order_by: str = "id"
) -> DataLoader[int, list[Any]]:
    """A loader of `model` rows grouped by `parent_column`, in `order_by` order, within the
    brokerage."""
    parent = getattr(model, parent_column)

    async def load(session: AsyncSession, brokerage_id: int, ids: list[int]) -> dict[int, Any]:
        stmt = (
            select(model)
            .where(model.brokerage_id == brokerage_id, parent.in_(ids))
            .order_by(getattr(model, order_by))
        )
        grouped: dict[int, list[Any]] = {}
        for row in (await session.execute(stmt)).scalars():
            grouped.setdefault(getattr(row, parent_column), []).append(row)
        return grouped

    return batched(info, f"children:{model.__name__}:{parent_column}:{order_by}", load, list)


def _count_loader(
    info: Info,
    model: type[Any],
    parent_column: str,
    filters: Sequence[ColumnElement[bool]],
    filter_key: Hashable,
) -> DataLoader[int, int]:
    parent = getattr(model, parent_column)

    async def load(session: AsyncSession, brokerage_id: int, ids: list[int]) -> dict[int, int]:
        stmt = (
            select(parent, func.count())
            .where(model.brokerage_id == brokerage_id, parent.in_(ids), *filters)
            .group_by(parent)
        )
        return {pid: int(n) for pid, n in (await session.execute(stmt)).all()}

    key = f"count:{model.__name__}:{parent_column}:{filter_key!r}"
    return batched(info, key, load, lambda: 0)


async def nested_page(
    info: Info,
    *,
    model: type[Any],
    parent_column: str,
    parent_id: int,
    order: Sequence[Any],
    first: int | None,
    after: str | None,
    convert: Callable[[Any], T],
    filters: Sequence[ColumnElement[bool]] = (),
    filter_key: Hashable = None,
) -> Connection[T]:
    """A page of the `model` rows under one parent (a listing's matches, a lead's
    conversations), descending on `order` (the last unique) like `paginate`.

    First pages of every parent in the request are read in one statement (a window function
    numbers each parent's rows); a page after a cursor, which a client asks of one parent at a
    time, is its own statement. `totalCount`, when selected, is one grouped COUNT for all.
    """
    limit = page_size(first)
    parent = getattr(model, parent_column)
    counter = _count_loader(info, model, parent_column, filters, filter_key)

    async def count() -> int:
        return await counter.load(parent_id)

    if after:
        values = after_values(after, order)
        brokerage_id = info.context.caller().brokerage_id
        stmt = (
            select(model, *order)
            .where(
                model.brokerage_id == brokerage_id,
                parent == parent_id,
                tuple_(*order) < tuple_(*values),
                *filters,
            )
            .order_by(*(column.desc() for column in order))
            .limit(limit + 1)
        )
        rows = (await info.context.session.execute(stmt)).all()
    else:
        pages = _first_pages(info, model, parent_column, order, limit, filters, filter_key)
        rows = await pages.load(parent_id)
    return page_of(rows, limit=limit, after=after, convert=convert, count=count)


def _first_pages(
    info: Info,
    model: type[Any],
    parent_column: str,
    order: Sequence[Any],
    limit: int,
    filters: Sequence[ColumnElement[bool]],
    filter_key: Hashable,
) -> DataLoader[int, list[Any]]:
    parent = getattr(model, parent_column)

    async def load(session: AsyncSession, brokerage_id: int, ids: list[int]) -> dict[int, Any]:
        position = (
            func.row_number()
            .over(partition_by=parent, order_by=[column.desc() for column in order])
            .label("position")
        )
        numbered = (
            select(model, position)
            .where(model.brokerage_id == brokerage_id, parent.in_(ids), *filters)
            .subquery()
        )
        row = aliased(model, numbered)
        ordered = [getattr(row, column.key) for column in order]
        stmt = (
            select(row, *ordered)
            .where(numbered.c.position <= limit + 1)
            .order_by(getattr(row, parent_column), numbered.c.position)
        )
        grouped: dict[int, list[Any]] = {}
        for found in (await session.execute(stmt)).all():
            grouped.setdefault(getattr(found[0], parent_column), []).append(found)
        return grouped

    sort = ",".join(column.key for column in order)
    key = f"pages:{model.__name__}:{parent_column}:{limit}:{sort}:{filter_key!r}"
    return batched(info, key, load, list)
