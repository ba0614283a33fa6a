"""The team: inviting people by email, accepting an invitation, roles, removing someone,
assigning a lead. Takes a session, flushes, never commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, Role, User
from app.accounts.principal import Principal
from app.accounts.repository import user_by_email
from app.accounts.service import Session, check_new_password, normalized_email
from app.core.errors import BadUserInput, Conflict, Forbidden, NotFound
from app.core.security import (
    ExpiredToken,
    InvalidSignedToken,
    PurposeTokens,
    TokenSigner,
    hash_password_off_loop,
)
from app.core.tenancy import get_scoped, scoped
from app.core.visibility import whole_brokerage
from app.leads.models import Lead
from app.plans.rules import limit_refusal
from app.plans.service import plan_of
from app.properties.models import Property
from app.teams import audit, repository, routing
from app.teams.models import AuditAction, Invitation, NoticeChannel
from app.teams.notices import queue_notice

INVITATION_TTL = timedelta(days=7)
INVALID_INVITATION = "This invitation link is not valid: ask for a new invitation."
EXPIRED_INVITATION = "This invitation has expired: ask for a new invitation."
USED_INVITATION = "This invitation was already accepted: log in instead."


def invitation_tokens(signing_keys: list[str]) -> PurposeTokens:
    return PurposeTokens(signing_keys, "invitation")


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    token: str


async def _room_for_people(session: AsyncSession, brokerage_id: int, now: datetime) -> None:
    """CONFLICT when one more person (members and pending invitations) passes the plan."""
    users = await repository.people(session, brokerage_id)
    pending = await repository.pending_invitations(session, brokerage_id, now)
    refusal = limit_refusal(await plan_of(session, brokerage_id), "users", users, 1 + pending)
    if refusal is not None:
        raise Conflict(refusal + " Invitations not yet accepted count too.")


async def invite_user(
    session: AsyncSession,
    principal: Principal,
    tokens: PurposeTokens,
    *,
    email: str,
    role: Role,
    public_url: str,
    now: datetime,
) -> SentInvitation:
    """An invitation email with a signed link that expires in a week and works once; a new
    invitation to the same address replaces the pending one."""
    principal.require_manager("Inviting people")
    if role is Role.OWNER and principal.role is not Role.OWNER:
        raise Forbidden("Only the owner invites another owner.")
    address = normalized_email(email)
    # An address with an account (a person belongs to one brokerage) is invited like any
    # other, the same answer and a pending invitation, but its e-mail is a note, not a link:
    # refusing would tell any manager, anyone who signed up, who has an account.
    taken = await user_by_email(session, address) is not None
    await repository.revoke_pending_invitations(session, principal.brokerage_id, address, now)
    await _room_for_people(session, principal.brokerage_id, now)
    invitation = Invitation(
        brokerage_id=principal.brokerage_id,
        email=address,
        role=role,
        invited_by_id=principal.user_id,
        nonce=secrets.token_urlsafe(24),
        expires_at=now + INVITATION_TTL,
    )
    session.add(invitation)
    await session.flush()
    token = tokens.issue({"inv": invitation.id, "n": invitation.nonce}, invitation.expires_at)
    brokerage = await session.get(Brokerage, principal.brokerage_id)
    assert brokerage is not None
    inviter = await audit.actor_name(session, principal)
    link = f"{public_url.rstrip('/')}/app/invitations/{token}"
    if taken:
        subject, body = _invited_with_an_account(inviter, brokerage.name, brokerage.language)
    elif brokerage.language == "en":
        subject = f"{inviter} invites you to {brokerage.name} on BR SCALE"
        body = (
            f"{inviter} invites you to join {brokerage.name} on BR SCALE as "
            f"{role.value.lower()}.\n\nAccept within 7 days: {link}"
        )
    else:
        subject = f"{inviter} te invita a {brokerage.name} en BR SCALE"
        body = (
            f"{inviter} te invita a unirte a {brokerage.name} en BR SCALE como "
            f"{_ROLE_ES[role]}.\n\nAcepta en los próximos 7 días: {link}"
        )
    await queue_notice(
        session,
        brokerage_id=principal.brokerage_id,
        user_id=None,
        channel=NoticeChannel.EMAIL,
        to=address,
        subject=subject,
        body=body,
        key=f"invitation:{invitation.id}",
    )
    await audit.record(
        session,
        principal,
        AuditAction.USER_INVITED,
        "Invitation",
        invitation.id,
        email=address,
        role=role.value,
    )
    return SentInvitation(invitation, token)


def _invited_with_an_account(inviter: str, brokerage: str, language: str) -> tuple[str, str]:
    if language == "en":
        return (
            f"{inviter} invites you to {brokerage} on BR SCALE",
            f"{inviter} invited this address to join {brokerage} on BR SCALE, but it already "
            "has a BR SCALE account, and an account belongs to one brokerage. To join, ask "
            f"{inviter} to invite another address of yours. If this was unexpected, ignore it: "
            "nothing changed.",
        )
    return (
        f"{inviter} te invita a {brokerage} en BR SCALE",
        f"{inviter} invitó a este correo a unirse a {brokerage} en BR SCALE, pero ya tiene una "
        "cuenta de BR SCALE, y una cuenta pertenece a una sola inmobiliaria. Para unirte, pide "
        f"a {inviter} que invite otro de tus correos. Si no lo esperabas, ignóralo: nada cambió.",
    )


_ROLE_ES = {Role.OWNER: "propietario", Role.ADMIN: "administrador", Role.AGENT: "agente"}


async def accept_invitation(
    session: AsyncSession,
    tokens: PurposeTokens,
    signer: TokenSigner,
    *,
    token: str,
    name: str,
    password: str,
    now: datetime,
) -> Session:
    """Create the invited user and sign them in. A forged or expired link answers
    BAD_USER_INPUT; a link already used (or replaced by a newer invitation) CONFLICT."""
    try:
        claims = tokens.verify(token.strip())
    except ExpiredToken as exc:
        raise BadUserInput(EXPIRED_INVITATION) from exc
    except InvalidSignedToken as exc:
        raise BadUserInput(INVALID_INVITATION) from exc
    invitation = await session.get(Invitation, claims.get("inv"))
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(claims.get("n"))):
        raise BadUserInput(INVALID_INVITATION)
    if invitation.accepted_at is not None:
        raise Conflict(USED_INVITATION)
    if invitation.revoked_at is not None:
        raise Conflict("This invitation was replaced or withdrawn: ask for a new one.")
    if invitation.expires_at <= now:
        raise BadUserInput(EXPIRED_INVITATION)
    if not name.strip():
        raise BadUserInput("Your name is required.")
    check_new_password(password)
    # Single use even when two accept at once: only one update finds it unaccepted.
    if not await repository.claim_invitation(session, invitation.id, now):
        raise Conflict(USED_INVITATION)
    users = await repository.people(session, invitation.brokerage_id)
    refusal = limit_refusal(await plan_of(session, invitation.brokerage_id), "users", users)
    if refusal is not None:
        raise Conflict(refusal)
    user = User(
        brokerage_id=invitation.brokerage_id,
        email=invitation.email,
        name=name.strip(),
        password_hash=await hash_password_off_loop(password),
        role=invitation.role,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"{invitation.email} already has a BR SCALE account.") from exc
    joined = Principal(user.brokerage_id, user.id, None, frozenset(), user.role)
    await audit.record(
        session, joined, AuditAction.USER_JOINED, "User", user.id, role=user.role.value
    )
    return Session(token=signer.issue(user.id, user.brokerage_id, user.token_version), user=user)


async def list_users(session: AsyncSession, principal: Principal) -> list[User]:
    stmt = scoped(User, principal.brokerage_id).order_by(User.id)
    return list((await session.execute(stmt)).scalars())


async def update_user_role(
    session: AsyncSession, principal: Principal, user_id: int, role: Role
) -> User:
    principal.require_owner("Changing roles")
    user = await get_scoped(session, User, principal.brokerage_id, user_id, what="User")
    if user.id == principal.user_id:
        raise BadUserInput("You cannot change your own role: another owner can.")
    before = user.role
    if before is not role:
        user.role = role
        await session.flush()
        await audit.record(
            session,
            principal,
            AuditAction.ROLE_CHANGED,
            "User",
            user.id,
            name=user.name,
            before=before.value,
            after=role.value,
        )
    return user


async def remove_user(session: AsyncSession, principal: Principal, user_id: int) -> int:
    """Remove someone from the brokerage: their sessions end, their leads go back to routing
    (and their open tasks with them), their listings have no agent. Returns leads rerouted."""
    principal.require_manager("Removing people")
    user = await get_scoped(session, User, principal.brokerage_id, user_id, what="User")
    if user.id == principal.user_id:
        raise BadUserInput("You cannot remove yourself.")
    if user.role is Role.OWNER and principal.role is not Role.OWNER:
        raise Forbidden("Only an owner removes an owner.")
    with whole_brokerage():
        leads = await repository.leads_of(session, principal.brokerage_id, user.id)
        for lead in leads:
            await routing.assign(session, lead, None)
            await routing.route_lead(session, lead, excluding=user.id)
        await repository.release_work_of(session, user.id)
    await audit.record(
        session,
        principal,
        AuditAction.USER_REMOVED,
        "User",
        user.id,
        name=user.name,
        email=user.email,
        leads_rerouted=len(leads),
    )
    await session.delete(user)
    await session.flush()
    return len(leads)


async def assign_lead(
    session: AsyncSession, principal: Principal, lead_id: int, user_id: int | None
) -> Lead:
    """Managers give any lead to anyone of the brokerage (None: unassigned)."""
    principal.require_manager("Assigning leads")
    lead = await get_scoped(session, Lead, principal.brokerage_id, lead_id, what="Lead")
    if user_id is not None:
        await get_scoped(session, User, principal.brokerage_id, user_id, what="User")
    before = lead.assignee_id
    if before != user_id:
        await routing.assign(session, lead, user_id)
        await audit.record(
            session,
            principal,
            AuditAction.LEAD_ASSIGNED,
            "Lead",
            lead.id,
            before=before,
            after=user_id,
        )
    return lead


async def set_listing_agent(
    session: AsyncSession, principal: Principal, listing: Property, agent_id: int | None
) -> None:
    if agent_id is not None:
        try:
            await get_scoped(session, User, principal.brokerage_id, agent_id, what="User")
        except NotFound as exc:
            raise BadUserInput("agentId is not someone of this brokerage.") from exc
    listing.agent_id = agent_id
    await session.flush()
