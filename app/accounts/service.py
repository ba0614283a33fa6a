"""Sign-up, log-in, token and API-key authentication, and API key management."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import ApiKey, Brokerage, Role, User
from app.accounts.principal import SCOPES, Principal
from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict, Unauthenticated
from app.core.security import (
    TokenSigner,
    api_key_matches,
    api_key_prefix,
    hash_password,
    new_api_key,
    verify_password,
)
from app.core.tenancy import get_scoped, scoped

MIN_PASSWORD = 8


@dataclass(frozen=True)
class Session:
    token: str
    user: User


def _normalized_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise BadUserInput(f"'{raw}' is not a valid email address: {exc}") from exc


async def sign_up(
    session: AsyncSession,
    tokens: TokenSigner,
    *,
    email: str,
    password: str,
    name: str,
    brokerage_name: str,
) -> Session:
    """Create a brokerage with its owner and sign them in."""
    if len(password) < MIN_PASSWORD:
        raise BadUserInput(f"The password needs at least {MIN_PASSWORD} characters.")
    if not brokerage_name.strip() or not name.strip():
        raise BadUserInput("A name and a brokerage name are required.")
    brokerage = Brokerage(name=brokerage_name.strip())
    session.add(brokerage)
    await session.flush()
    user = User(
        brokerage_id=brokerage.id,
        email=_normalized_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        role=Role.OWNER,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("An account with this email already exists.") from exc
    return Session(token=tokens.issue(user.id, brokerage.id), user=user)


async def log_in(
    session: AsyncSession, tokens: TokenSigner, *, email: str, password: str
) -> Session:
    user = (
        await session.execute(select(User).where(User.email == email.strip().lower()))
    ).scalar_one_or_none()
    if user is None or not verify_password(user.password_hash, password):
        raise Unauthenticated("Wrong email or password.")
    return Session(token=tokens.issue(user.id, user.brokerage_id), user=user)


async def authenticate(session: AsyncSession, tokens: TokenSigner, bearer: str) -> Principal | None:
    """The principal behind a session token or an API key; None when neither is valid."""
    prefix = api_key_prefix(bearer)
    if prefix is not None:
        key = (
            await session.execute(select(ApiKey).where(ApiKey.prefix == prefix))
        ).scalar_one_or_none()
        if (
            key is None
            or key.revoked_at is not None
            or not api_key_matches(bearer, key.secret_hash)
        ):
            return None
        key.last_used_at = utcnow()
        await session.flush()
        return Principal(key.brokerage_id, None, key.id, frozenset(key.scopes))
    claims = tokens.verify(bearer)
    if claims is None:
        return None
    user = await session.get(User, claims.user_id)
    if user is None or user.brokerage_id != claims.brokerage_id:
        return None
    return Principal(user.brokerage_id, user.id, None, frozenset(SCOPES))


async def create_api_key(
    session: AsyncSession, principal: Principal, *, name: str, scopes: list[str]
) -> tuple[ApiKey, str]:
    """A new key and its secret, which is shown once: only its hash is stored."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise BadUserInput(f"Unknown scopes: {', '.join(unknown)}. Known: {', '.join(SCOPES)}.")
    if not principal.scopes.issuperset(scopes):
        raise BadUserInput("An API key cannot grant scopes its creator does not have.")
    fresh = new_api_key()
    key = ApiKey(
        brokerage_id=principal.brokerage_id,
        created_by_id=principal.user_id,
        name=name.strip() or "API key",
        prefix=fresh.prefix,
        secret_hash=fresh.secret_hash,
        scopes=sorted(set(scopes)),
    )
    session.add(key)
    await session.flush()
    return key, fresh.secret


async def revoke_api_key(session: AsyncSession, principal: Principal, key_id: int) -> ApiKey:
    key = await get_scoped(session, ApiKey, principal.brokerage_id, key_id, what="API key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key


async def list_api_keys(session: AsyncSession, principal: Principal) -> list[ApiKey]:
    stmt = (
        scoped(ApiKey, principal.brokerage_id)
        .where(ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.id)
    )
    keys: list[ApiKey] = list((await session.execute(stmt)).scalars())
    return keys
