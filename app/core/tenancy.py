"""Reads of one brokerage's rows by id or as a list: the statements that take the tenant as an
argument, so a row of another brokerage reads as not found."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound

T = TypeVar("T")


def scoped(model: type[T], brokerage_id: int) -> Select[Any]:
    return select(model).where(model.brokerage_id == brokerage_id)  # type: ignore[attr-defined]


async def get_scoped(
    session: AsyncSession, model: type[T], brokerage_id: int, id_: Any, *, what: str | None = None
) -> T:
    """The row with `id_` in the caller's brokerage, or NOT_FOUND (also for other tenants' rows)."""
    stmt = scoped(model, brokerage_id).where(model.id == id_)  # type: ignore[attr-defined]
    row: T | None = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"{what or model.__name__} not found")
    return row


async def load_scoped(
    session: AsyncSession, model: type[T], brokerage_id: int, ids: list[Any]
) -> dict[Any, T]:
    """Rows by id within the brokerage, for DataLoaders and `node(id:)`."""
    if not ids:
        return {}
    stmt = scoped(model, brokerage_id).where(model.id.in_(ids))  # type: ignore[attr-defined]
    rows: list[Any] = list((await session.execute(stmt)).scalars())
    return {row.id: row for row in rows}
