"""Per-request DataLoaders: one scoped query per type per request, however many fields ask."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from app.core.tenancy import load_scoped
from graphql_schema.context import Info


def rows_of(info: Info, model: type[Any]) -> DataLoader[int, Any]:
    """A loader of `model` rows by id within the caller's brokerage (None for other tenants')."""
    key = f"rows:{model.__name__}"
    loader: DataLoader[int, Any] | None = info.context.loaders.get(key)
    if loader is None:
        brokerage_id = info.context.caller().brokerage_id
        runtime = info.context.runtime

        async def load(ids: list[int]) -> list[Any]:
            # Its own short session: loaders may run while a subscription holds no session.
            async with runtime.session() as session:
                rows = await load_scoped(session, model, brokerage_id, list(ids))
            return [rows.get(i) for i in ids]

        loader = DataLoader(load_fn=load)
        info.context.loaders[key] = loader
    return loader


def children_of(
    info: Info, model: type[Any], parent_column: str, order_by: str = "id"
) -> DataLoader[int, list[Any]]:
    """A loader of `model` rows grouped by `parent_column`, in `order_by` order, within the brokerage."""
    key = f"children:{model.__name__}:{parent_column}"
    loader: DataLoader[int, list[Any]] | None = info.context.loaders.get(key)
    if loader is None:
        brokerage_id = info.context.caller().brokerage_id
        runtime = info.context.runtime
        parent = getattr(model, parent_column)

        async def load(ids: list[int]) -> list[list[Any]]:
            from sqlalchemy import select

            stmt = (
                select(model)
                .where(model.brokerage_id == brokerage_id, parent.in_(ids))
                .order_by(getattr(model, order_by))
            )
            grouped: dict[int, list[Any]] = {i: [] for i in ids}
            async with runtime.session() as session:
                for row in (await session.execute(stmt)).scalars():
                    grouped[getattr(row, parent_column)].append(row)
            return [grouped[i] for i in ids]

        loader = DataLoader(load_fn=load)
        info.context.loaders[key] = loader
    return loader
