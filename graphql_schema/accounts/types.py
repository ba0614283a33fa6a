"""GraphQL types of the accounts domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from app.accounts import models
from graphql_schema.context import Info
from graphql_schema.nodes import resolve_scoped_nodes


@strawberry.type
class User(relay.Node):
    id: relay.NodeID[int]
    email: str
    name: str
    role: str

    @classmethod
    def from_row(cls, row: models.User) -> User:
        return cls(id=row.id, email=row.email, name=row.name, role=row.role.value)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await resolve_scoped_nodes(
            info,
            node_ids,
            required=required,
            model=models.User,
            scope="leads:read",
            convert=cls.from_row,
        )


@strawberry.type
class ApiKey(relay.Node):
    id: relay.NodeID[int]
    name: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    @classmethod
    def from_row(cls, row: models.ApiKey) -> ApiKey:
        return cls(
            id=row.id,
            name=row.name,
            scopes=list(row.scopes),
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked=row.revoked_at is not None,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await resolve_scoped_nodes(
            info,
            node_ids,
            required=required,
            model=models.ApiKey,
            scope="crm:manage",
            convert=cls.from_row,
        )


@strawberry.type
class AuthPayload:
    token: str
    user: User


@strawberry.type
class CreatedApiKey:
    secret: str = strawberry.field(description="Shown once: only a hash of it is stored.")
    api_key: ApiKey


@strawberry.input
class SignUpInput:
    email: str
    password: str
    name: str
    brokerage_name: str


@strawberry.input
class LogInInput:
    email: str
    password: str


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[str]
