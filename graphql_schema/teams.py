"""The team: invitations, roles, removal, lead assignment and the audit of who did what."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry import relay

from app.accounts import service as accounts
from app.core.db import utcnow
from app.core.errors import Unauthenticated
from app.core.tenancy import scoped
from app.teams import audit, service
from app.teams.models import AuditAction as AuditActionValue
from app.teams.models import AuditEntry as AuditEntryRow
from app.teams.models import Invitation as InvitationRow
from graphql_schema.accounts.types import AuthPayload, Role, User
from graphql_schema.context import Info
from graphql_schema.leads.types import Lead
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection, decode_id, encode_id, paginate

AuditAction = strawberry.enum(AuditActionValue, name="AuditAction")


@strawberry.type(description="An invitation sent by e-mail; its link works once, for 7 days.")
class Invitation(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = InvitationRow
    scope: ClassVar[str] = "crm:manage"
    id: relay.NodeID[int]
    email: str
    role: Role  # type: ignore[valid-type]
    expires_at: datetime
    accepted: bool

    @classmethod
    def from_row(cls, row: InvitationRow) -> Invitation:
        return cls(
            id=row.id,
            email=row.email,
            role=row.role,
            expires_at=row.expires_at,
            accepted=row.accepted_at is not None,
        )


@strawberry.type(description="Who did what: take-overs, approvals, assignments, the team.")
class AuditEntry(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = AuditEntryRow
    scope: ClassVar[str] = "crm:manage"  # OWNER and ADMIN (and keys they gave it)
    id: relay.NodeID[int]
    at: datetime
    actor_name: str = strawberry.field(description="Kept when the person is removed.")
    action: AuditAction  # type: ignore[valid-type]
    subject_type: str
    subject_id: strawberry.ID | None = strawberry.field(
        description="The global id of what was acted on (it may no longer exist)."
    )
    detail: strawberry.scalars.JSON
    actor_id: strawberry.Private[int | None]

    @strawberry.field
    async def actor(self, info: Info) -> User | None:
        return await User.by_id(info, self.actor_id)

    @classmethod
    def from_row(cls, row: AuditEntryRow) -> AuditEntry:
        return cls(
            id=row.id,
            at=row.at,
            actor_name=row.actor_name,
            action=row.action,
            subject_type=row.subject_type,
            subject_id=strawberry.ID(encode_id(row.subject_type, row.subject_id))
            if row.subject_id is not None
            else None,
            detail=row.detail or {},  # type: ignore[arg-type]
            actor_id=row.actor_id,
        )


@strawberry.input
class InviteUserInput:
    email: str
    role: Role = strawberry.field(default=Role.AGENT)  # type: ignore[valid-type]


@strawberry.input
class AcceptInvitationInput:
    token: str
    name: str
    password: str
    phone: str | None = strawberry.field(
        default=None, description="Your mobile, for task notices by SMS (optional)."
    )


@strawberry.input
class UpdateProfileInput:
    name: str | None = None
    phone: str | None = strawberry.field(
        default=None, description="E.164 or national; an empty string removes it."
    )
    signature: str | None = None
    morning_digest: bool | None = strawberry.field(
        default=None, description="false: no morning digest e-mail."
    )


@strawberry.type
class RemoveUserPayload:
    removed_id: strawberry.ID
    leads_rerouted: int = strawberry.field(
        description="Their leads, given back to the brokerage's routing."
    )


@strawberry.type
class TeamQuery:
    @strawberry.field(description="Everyone in the brokerage.")
    async def users(self, info: Info) -> list[User]:
        principal = info.context.caller()
        return [User.from_row(u) for u in await service.list_users(info.context.session, principal)]

    @strawberry.field(description="Invitations not yet accepted (OWNER and ADMIN).")
    async def invitations(self, info: Info) -> list[Invitation]:
        principal = info.context.caller()
        principal.require_manager("The team's invitations")
        stmt = (
            scoped(InvitationRow, principal.brokerage_id)
            .where(InvitationRow.accepted_at.is_(None), InvitationRow.revoked_at.is_(None))
            .order_by(InvitationRow.id)
        )
        rows = (await info.context.session.execute(stmt)).scalars()
        return [Invitation.from_row(row) for row in rows]

    @strawberry.field(description="Who did what, newest first (OWNER and ADMIN).")
    async def audit_log(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        action: AuditAction | None = None,  # type: ignore[valid-type]
    ) -> Connection[AuditEntry]:
        principal = info.context.caller()
        principal.require_manager("The audit log")
        return await paginate(
            info.context.session,
            audit.entries_query(principal, action),
            order=[AuditEntryRow.id],
            first=first,
            after=after,
            convert=AuditEntry.from_row,
        )


@strawberry.type
class TeamMutation:
    @strawberry.mutation(
        description="Invite someone by e-mail (OWNER and ADMIN; only an owner invites an "
        "owner). The plan's users limit counts pending invitations."
    )
    async def invite_user(self, info: Info, input: InviteUserInput) -> Invitation:
        ctx = info.context
        sent = await service.invite_user(
            ctx.session,
            ctx.caller(),
            service.invitation_tokens(ctx.runtime.settings.signing_keys),
            email=input.email,
            role=input.role,
            public_url=ctx.runtime.settings.public_url,
            now=utcnow(),
        )
        await ctx.commit()
        return Invitation.from_row(sent.invitation)

    @strawberry.mutation(
        description="Join the brokerage with the invitation's link: creates your user and "
        "signs you in. Expired or forged links answer BAD_USER_INPUT, used ones CONFLICT."
    )
    async def accept_invitation(self, info: Info, input: AcceptInvitationInput) -> AuthPayload:
        ctx = info.context
        result = await service.accept_invitation(
            ctx.session,
            service.invitation_tokens(ctx.runtime.settings.signing_keys),
            ctx.runtime.tokens,
            token=input.token,
            name=input.name,
            password=input.password,
            now=utcnow(),
        )
        if input.phone:
            await accounts.update_profile(ctx.session, result.user.id, phone=input.phone)
        await ctx.commit()
        return AuthPayload(token=result.token, user=User.from_row(result.user))

    @strawberry.mutation(
        description="Your own profile and settings: name, phone for task notices, signature, "
        "morning digest. Only the fields given change."
    )
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> User:
        principal = info.context.caller()
        if principal.user_id is None:
            raise Unauthenticated("A profile belongs to a signed-in user, not an API key.")
        row = await accounts.update_profile(
            info.context.session,
            principal.user_id,
            name=input.name,
            phone=input.phone,
            signature=input.signature,
            morning_digest=input.morning_digest,
        )
        await info.context.commit()
        return User.from_row(row)

    @strawberry.mutation(description="Owner only: make someone OWNER, ADMIN or AGENT.")
    async def update_user_role(
        self,
        info: Info,
        user_id: strawberry.ID,
        role: Role,  # type: ignore[valid-type]
    ) -> User:
        row = await service.update_user_role(
            info.context.session, info.context.caller(), decode_id(user_id, "User"), role
        )
        await info.context.commit()
        return User.from_row(row)

    @strawberry.mutation(
        description="Remove someone (OWNER and ADMIN): their sessions end and their leads go "
        "back to the brokerage's routing."
    )
    async def remove_user(self, info: Info, user_id: strawberry.ID) -> RemoveUserPayload:
        rerouted = await service.remove_user(
            info.context.session, info.context.caller(), decode_id(user_id, "User")
        )
        await info.context.commit()
        return RemoveUserPayload(removed_id=user_id, leads_rerouted=rerouted)

    @strawberry.mutation(
        description="Give a lead (and its open tasks) to someone (OWNER and ADMIN); "
        "userId null leaves it unassigned."
    )
    async def assign_lead(
        self, info: Info, lead_id: strawberry.ID, user_id: strawberry.ID | None
    ) -> Lead:
        session = info.context.session
        row = await service.assign_lead(
            session,
            info.context.caller(),
            decode_id(lead_id, "Lead"),
            decode_id(user_id, "User") if user_id is not None else None,
        )
        await info.context.commit()
        return Lead.from_row(row)
