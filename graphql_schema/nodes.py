"""`node(id:)` for every type, always within the caller's brokerage and behind the type's scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from app.core.errors import BadUserInput, NotFound
from app.core.tenancy import load_scoped
from graphql_schema.context import Info

N = TypeVar("N")


async def resolve_scoped_nodes(
    info: Info,
    node_ids: Iterable[str],
    *,
    required: bool,
    model: type[Any],
    scope: str,
    convert: Callable[[Any], N],
) -> list[N | None]:
    principal = info.context.require(scope)
    try:
        ids = [int(node_id) for node_id in node_ids]
    except ValueError as exc:
        raise BadUserInput("Malformed id.") from exc
    rows = await load_scoped(info.context.session, model, principal.brokerage_id, ids)
    if required and any(i not in rows for i in ids):
        raise NotFound(f"{model.__name__} not found")
    return [convert(rows[i]) if i in rows else None for i in ids]


class ScopedNode:
    """Mixin for a node type backed by a tenant-owned `model` and readable with `scope`.

    The type provides `from_row`; `node(id:)` then resolves it within the caller's brokerage.
    """

    model: ClassVar[type[Any]]
    scope: ClassVar[str]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        convert = cls.from_row  # type: ignore[attr-defined]
        return await resolve_scoped_nodes(
            info, node_ids, required=required, model=cls.model, scope=cls.scope, convert=convert
        )
