"""Sign-up, log-in, token and API-key authentication, and API key management."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import ApiKey, Brokerage, Role, User
from app.accounts.principal import SCOPES, Principal
from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict, Forbidden, Unauthenticated
from app.core.security import (
    TokenSigner,
    api_key_matches,
    api_key_prefix,
    hash_password,
    new_api_key,
    verify_password,
)
from app.core.tenancy import get_scoped, scoped
from app.matching.scoring import MatchGate, ScoringWeights, TierPolicy

MIN_PASSWORD = 8
LAST_USED_PRECISION = timedelta(minutes=1)


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
        now = utcnow()
        # A write on every request would tax the hot path: a minute's precision is enough.
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
            key.last_used_at = now
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


@dataclass(frozen=True)
class BrokerageChanges:
    """Fields a brokerage owner may change; None leaves a field as it is."""

    name: str | None = None
    default_region: str | None = None
    timezone: str | None = None
    language: str | None = None
    postal_address: str | None = None
    signature: str | None = None
    requires_approval: bool | None = None
    scoring_weights: dict[str, Any] | None = None
    tier_thresholds: dict[str, Any] | None = None
    match_gate: MatchGate | None = None


def _require_owner(principal: Principal) -> None:
    if principal.user_id is None:
        raise Forbidden("Brokerage settings are changed by a signed-in owner.")


async def update_brokerage(
    session: AsyncSession, principal: Principal, user_role: Role | None, changes: BrokerageChanges
) -> tuple[Brokerage, bool]:
    """Apply the owner's changes; the flag says whether matching must run again (scoring changed)."""
    _require_owner(principal)
    if user_role is not Role.OWNER:
        raise Forbidden("Only the brokerage owner changes its settings.")
    brokerage = await session.get(Brokerage, principal.brokerage_id)
    assert brokerage is not None
    if changes.name is not None:
        if not changes.name.strip():
            raise BadUserInput("The brokerage needs a name.")
        brokerage.name = changes.name.strip()
    if changes.default_region is not None:
        region = changes.default_region.strip().upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise BadUserInput(f"'{changes.default_region}' is not a country code like MX or US.")
        brokerage.default_region = region
    if changes.timezone is not None:
        try:
            ZoneInfo(changes.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BadUserInput(
                f"'{changes.timezone}' is not a time zone like America/Mexico_City."
            ) from exc
        brokerage.timezone = changes.timezone
    if changes.language is not None:
        if changes.language not in ("es", "en"):
            raise BadUserInput("The language is 'es' or 'en'.")
        brokerage.language = changes.language
    for field_name in ("postal_address", "signature", "requires_approval"):
        value = getattr(changes, field_name)
        if value is not None:
            setattr(brokerage, field_name, value)
    rescore = False
    scored = (changes.scoring_weights, changes.tier_thresholds, changes.match_gate)
    if any(change is not None for change in scored):
        scoring = dict(brokerage.scoring or {})
        if changes.match_gate is not None:
            scoring["gate"] = MatchGate(changes.match_gate).value
        try:
            if changes.scoring_weights is not None:
                merged = {**scoring.get("weights", {}), **changes.scoring_weights}
                scoring["weights"] = ScoringWeights.from_dict(merged).to_dict()
            if changes.tier_thresholds is not None:
                merged = {**scoring.get("tiers", {}), **changes.tier_thresholds}
                scoring["tiers"] = TierPolicy.from_dict(merged).to_dict()
        except ValueError as exc:
            raise BadUserInput(str(exc)) from exc
        rescore = scoring != brokerage.scoring
        brokerage.scoring = scoring
    await session.flush()
    return brokerage, rescore


async def set_paused(session: AsyncSession, principal: Principal, paused: bool) -> Brokerage:
    """Pause everything: nothing is delivered and no campaign starts until resumed."""
    brokerage = await session.get(Brokerage, principal.brokerage_id)
    assert brokerage is not None
    brokerage.paused = paused
    await session.flush()
    return brokerage
