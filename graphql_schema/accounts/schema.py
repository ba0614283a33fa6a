"""Accounts: sign-up, log-in, `me`, API keys."""

from __future__ import annotations

import strawberry

from app.accounts import service
from app.accounts.models import User as UserRow
from app.core.errors import Forbidden, Unauthenticated
from graphql_schema.accounts.types import (
    ApiKey,
    AuthPayload,
    CreateApiKeyInput,
    CreatedApiKey,
    LogInInput,
    SignUpInput,
    User,
)
from graphql_schema.context import Info
from graphql_schema.relay import decode_id


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in user (API keys have no user: UNAUTHENTICATED).")
    async def me(self, info: Info) -> User:
        principal = info.context.caller()
        if principal.user_id is None:
            raise Unauthenticated("`me` needs a signed-in user, not an API key.")
        row = await info.context.session.get(UserRow, principal.user_id)
        if row is None:
            raise Unauthenticated()
        return User.from_row(row)

    @strawberry.field
    async def api_keys(self, info: Info) -> list[ApiKey]:
        principal = info.context.require("crm:manage")
        return [
            ApiKey.from_row(k) for k in await service.list_api_keys(info.context.session, principal)
        ]


@strawberry.type
class AccountsMutation:
    @strawberry.mutation
    async def sign_up(self, info: Info, input: SignUpInput) -> AuthPayload:
        ctx = info.context
        result = await service.sign_up(
            ctx.session,
            ctx.runtime.tokens,
            email=input.email,
            password=input.password,
            name=input.name,
            brokerage_name=input.brokerage_name,
        )
        await ctx.commit()
        return AuthPayload(token=result.token, user=User.from_row(result.user))

    @strawberry.mutation
    async def log_in(self, info: Info, input: LogInInput) -> AuthPayload:
        ctx = info.context
        result = await service.log_in(
            ctx.session, ctx.runtime.tokens, email=input.email, password=input.password
        )
        return AuthPayload(token=result.token, user=User.from_row(result.user))

    @strawberry.mutation
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreatedApiKey:
        principal = info.context.caller()
        if principal.user_id is None:
            raise Forbidden("API keys are created by a signed-in user.")
        key, secret = await service.create_api_key(
            info.context.session, principal, name=input.name, scopes=input.scopes
        )
        await info.context.commit()
        return CreatedApiKey(secret=secret, api_key=ApiKey.from_row(key))

    @strawberry.mutation
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> ApiKey:
        principal = info.context.caller()
        if principal.user_id is None:
            raise Forbidden("API keys are revoked by a signed-in user.")
        key = await service.revoke_api_key(info.context.session, principal, decode_id(id, "ApiKey"))
        await info.context.commit()
        return ApiKey.from_row(key)
