"""Accounts: sign-up, log-in, `me`, API keys."""

from __future__ import annotations

import dataclasses

import strawberry

from app.accounts import service
from app.accounts.flows import after_settings_change
from app.accounts.models import Brokerage as BrokerageRow
from app.accounts.models import User as UserRow
from app.capture import repository as capture_repository
from app.core.errors import Forbidden, Unauthenticated
from app.teams import audit, signup
from app.teams.models import AuditAction
from graphql_schema.accounts.types import (
    ApiKey,
    AuthPayload,
    Brokerage,
    ChangePasswordInput,
    ConfirmSignUpInput,
    CreateApiKeyInput,
    CreatedApiKey,
    LogInInput,
    SignUpInput,
    SignUpRequested,
    UpdateBrokerageInput,
    UpdateMeInput,
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

    @strawberry.field(description="Your brokerage and its settings.")
    async def brokerage(self, info: Info) -> Brokerage:
        row = await info.context.session.get(BrokerageRow, info.context.caller().brokerage_id)
        assert row is not None
        return Brokerage.from_row(row)

    @strawberry.field
    async def api_keys(self, info: Info) -> list[ApiKey]:
        principal = info.context.require("crm:manage")
        return [
            ApiKey.from_row(k) for k in await service.list_api_keys(info.context.session, principal)
        ]


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(
        description="Ask for an account: a link to confirm it is e-mailed to `email` (valid 24 "
        "hours); the answer never says whether the address already has an account."
    )
    async def sign_up(self, info: Info, input: SignUpInput) -> SignUpRequested:
        ctx = info.context
        email = await signup.request_sign_up(
            ctx.session,
            ctx.runtime,
            email=input.email,
            password=input.password,
            name=input.name,
            brokerage_name=input.brokerage_name,
            logins=ctx.runtime.logins,
            address=ctx.client_address,
        )
        return SignUpRequested(email=email)

    @strawberry.mutation(
        description="Open the sign-up e-mail's link: creates the brokerage and its owner and "
        "signs them in (BAD_USER_INPUT for a forged or expired link)."
    )
    async def confirm_sign_up(self, info: Info, input: ConfirmSignUpInput) -> AuthPayload:
        ctx = info.context
        result = await signup.confirm_sign_up(
            ctx.session,
            ctx.runtime,
            token=input.token,
            logins=ctx.runtime.logins,
            address=ctx.client_address,
        )
        await ctx.commit()
        return AuthPayload(token=result.token, user=User.from_row(result.user))

    @strawberry.mutation
    async def log_in(self, info: Info, input: LogInInput) -> AuthPayload:
        ctx = info.context
        result = await service.log_in(
            ctx.session,
            ctx.runtime.tokens,
            ctx.runtime.logins,
            email=input.email,
            password=input.password,
            address=ctx.client_address,
        )
        return AuthPayload(token=result.token, user=User.from_row(result.user))

    @strawberry.mutation(
        description="End every session of the signed-in user (all devices): their tokens "
        "stop working at once. API keys are revoked with revokeApiKey."
    )
    async def log_out(self, info: Info) -> bool:
        await service.log_out(info.context.session, info.context.caller())
        await info.context.commit()
        return True

    @strawberry.mutation(
        description="Change the signed-in user's password: every other session ends, the "
        "answer carries a fresh token."
    )
    async def change_password(self, info: Info, input: ChangePasswordInput) -> AuthPayload:
        ctx = info.context
        result = await service.change_password(
            ctx.session,
            ctx.runtime.tokens,
            ctx.caller(),
            current_password=input.current_password,
            new_password=input.new_password,
        )
        await ctx.commit()
        return AuthPayload(token=result.token, user=User.from_row(result.user))

    @strawberry.mutation
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreatedApiKey:
        principal = info.context.caller()
        if principal.user_id is None:
            raise Forbidden("API keys are created by a signed-in user.")
        principal.require_manager("Creating API keys")
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
        principal.require_manager("Revoking API keys")
        key = await service.revoke_api_key(info.context.session, principal, decode_id(id, "ApiKey"))
        await info.context.commit()
        return ApiKey.from_row(key)

    @strawberry.mutation(
        description="Change your own settings (the morning digest).",
        deprecation_reason="Use updateProfile(input: {morningDigest}): one mutation for your "
        "profile and settings.",
    )
    async def update_me(self, info: Info, input: UpdateMeInput) -> User:
        principal = info.context.caller()
        if principal.user_id is None:
            raise Unauthenticated("`updateMe` needs a signed-in user, not an API key.")
        row = await service.update_profile(
            info.context.session, principal.user_id, morning_digest=input.morning_digest
        )
        await info.context.commit()
        return User.from_row(row)

    @strawberry.mutation(
        description="Owner only. Changing weights, tiers or the match gate re-scores every listing."
    )
    async def update_brokerage(self, info: Info, input: UpdateBrokerageInput) -> Brokerage:
        principal = info.context.caller()
        session = info.context.session
        user = await session.get(UserRow, principal.user_id) if principal.user_id else None
        changes = service.BrokerageChanges(
            name=input.name,
            default_region=input.default_region,
            timezone=input.timezone,
            language=input.language,
            postal_address=input.postal_address,
            signature=input.signature,
            agent_name=input.agent_name,
            formality=input.formality,
            requires_approval=input.requires_approval,
            scoring_weights=_given(input.scoring_weights),
            tier_thresholds=_given(input.tier_thresholds),
            match_gate=input.match_gate,
            availability=None
            if input.availability is None
            else [(w.weekday.value, w.start_time, w.end_time) for w in input.availability],  # type: ignore[attr-defined]
            lead_routing=input.lead_routing,
        )
        routing_before = (await session.get(BrokerageRow, principal.brokerage_id)).lead_routing  # type: ignore[union-attr]
        row, rescore = await service.update_brokerage(
            session, principal, user.role if user else None, changes
        )
        if row.lead_routing is not routing_before:
            await audit.record(
                session,
                principal,
                AuditAction.ROUTING_CHANGED,
                "Brokerage",
                row.id,
                before=routing_before.value,
                after=row.lead_routing.value,
            )
        await after_settings_change(session, row.id, rescore=rescore, resumed=False)
        await info.context.commit()
        return Brokerage.from_row(row)

    @strawberry.mutation(
        description="A new capture key: forms still posting to the old capture URL are refused."
    )
    async def rotate_capture_key(self, info: Info) -> Brokerage:
        principal = info.context.require("leads:write")
        principal.require_manager("Rotating the capture key")
        session = info.context.session
        await capture_repository.rotate(session, principal.brokerage_id)
        row = await session.get(BrokerageRow, principal.brokerage_id)
        await info.context.commit()
        assert row is not None
        return Brokerage.from_row(row)

    @strawberry.mutation(
        description="Pause everything (nothing is sent, no campaign starts) or resume."
    )
    async def pause_brokerage(self, info: Info, paused: bool) -> Brokerage:
        principal = info.context.require("conversations:write")
        principal.require_manager("Pausing the brokerage")
        session = info.context.session
        row = await service.set_paused(session, principal, paused)
        await after_settings_change(session, row.id, rescore=False, resumed=not paused)
        await info.context.commit()
        return Brokerage.from_row(row)


def _given(value: object | None) -> dict[str, object] | None:
    """The fields of an input object the client actually set."""
    if value is None:
        return None
    return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}  # type: ignore[call-overload]
