"""Sign-up, log-in, token and API-key authentication, and API key management."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository
from app.accounts.availability import InvalidAvailability, Window, make_window
from app.accounts.models import ApiKey, Brokerage, Formality, LeadRouting, Role, User
from app.accounts.principal import AGENT_SCOPES, SCOPES, Principal
from app.accounts.principal_cache import PrincipalCache
from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict, Forbidden, RateLimited, Unauthenticated
from app.core.ratelimit import LoginThrottle
from app.core.security import (
    TokenSigner,
    api_key_matches,
    api_key_prefix,
    hash_password_off_loop,
    new_api_key,
    verify_password_off_loop,
)
from app.core.tenancy import get_scoped, scoped
from app.core.vocabulary import MatchGate, ScoringWeights, TierPolicy

MIN_PASSWORD = 8
MAX_PASSWORD = 256  # hashing cost must not grow with whatever a client sends
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    token: str
    user: User


def normalized_email(raw: str) -> str:
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
    """Create a brokerage with its owner at once and sign them in: for the demo and scripts,
    run by whoever operates the server. The API signs people up through an e-mail link
    (`app.teams.signup`), whose answer does not tell whether an address has an account.
    """
    check_new_password(password)
    if not brokerage_name.strip() or not name.strip():
        raise BadUserInput("A name and a brokerage name are required.")
    normalized = normalized_email(email)
    password_hash = await hash_password_off_loop(password)
    # The agent speaks for the broker who signed up ("se lo pregunto a Ana") until settings
    # name someone else; a brokerage's name in that sentence reads like a call centre.
    brokerage = Brokerage(name=brokerage_name.strip(), agent_name=name.strip()[:120])
    session.add(brokerage)
    await session.flush()
    user = User(
        brokerage_id=brokerage.id,
        email=normalized,
        name=name.strip(),
        password_hash=password_hash,
        role=Role.OWNER,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"{normalized} already has an account.") from exc
    return Session(token=tokens.issue(user.id, brokerage.id, user.token_version), user=user)


TOO_MANY_ATTEMPTS = "Too many attempts: wait 15 minutes and try again."


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadUserInput(f"The password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise BadUserInput(f"The password has at most {MAX_PASSWORD} characters.")


async def log_in(
    session: AsyncSession,
    tokens: TokenSigner,
    logins: LoginThrottle,
    *,
    email: str,
    password: str,
    address: str,
) -> Session:
    """A session token for the right password. Wrong and unknown accounts answer alike, in
    the same time; past the failures allowed per account or per address, RATE_LIMITED."""
    account = email.strip().lower()
    if not await logins.attempt(account, address):
        raise RateLimited(TOO_MANY_ATTEMPTS)
    user = await repository.user_by_email(session, account)
    if not await verify_password_off_loop(
        user.password_hash if user else None, password[:MAX_PASSWORD]
    ):
        raise Unauthenticated("Wrong email or password.")
    assert user is not None
    await logins.succeeded(account, address)
    return Session(token=tokens.issue(user.id, user.brokerage_id, user.token_version), user=user)


async def log_out(session: AsyncSession, principal: Principal) -> None:
    """End every session of the signed-in user: their tokens stop working at once."""
    user = await _signed_in_user(session, principal)
    user.token_version += 1
    await session.flush()


async def change_password(
    session: AsyncSession,
    tokens: TokenSigner,
    principal: Principal,
    *,
    current_password: str,
    new_password: str,
) -> Session:
    """A new password ends every other session; the caller gets a fresh token."""
    user = await _signed_in_user(session, principal)
    if not await verify_password_off_loop(user.password_hash, current_password[:MAX_PASSWORD]):
        raise Unauthenticated("The current password is wrong.")
    check_new_password(new_password)
    user.password_hash = await hash_password_off_loop(new_password)
    user.token_version += 1
    await session.flush()
    return Session(token=tokens.issue(user.id, user.brokerage_id, user.token_version), user=user)


async def _signed_in_user(session: AsyncSession, principal: Principal) -> User:
    if principal.user_id is None:
        raise Forbidden("Only a signed-in user has sessions and a password, not an API key.")
    user = await session.get(User, principal.user_id)
    if user is None:
        raise Unauthenticated()
    return user


def remembered_principal(
    tokens: TokenSigner, bearer: str, cache: PrincipalCache
) -> Principal | None:
    """The principal `cache` still knows for this bearer (no I/O); None: ask `authenticate`.

    A session token's signature is checked once per TTL (its expiry every time); whether its
    user's sessions still stand is the user's entry, which logOut and changePassword forget.
    """
    digest = PrincipalCache.key_digest(bearer)
    if api_key_prefix(bearer) is not None:
        return cache.api_key(digest)
    claims = cache.token(digest)
    if claims is None:
        claims = tokens.verify(bearer)
        if claims is None:
            return None
        cache.remember_token(digest, claims)
    return cache.user(claims.user_id, claims.brokerage_id, claims.version)


async def authenticate(
    session: AsyncSession,
    tokens: TokenSigner,
    bearer: str,
    cache: PrincipalCache | None = None,
) -> Principal | None:
    """The principal behind a session token or an API key; None when neither is valid.

    With a `cache`, a token is still verified here (signature, expiry) but the database is read
    only when the cache does not know the user's current token version (or the key).
    """
    prefix = api_key_prefix(bearer)
    if prefix is not None:
        digest = PrincipalCache.key_digest(bearer)
        if cache is not None and (known := cache.api_key(digest)) is not None:
            return known
        epoch = cache.epoch() if cache is not None else 0
        key = await repository.api_key_by_prefix(session, prefix)
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
        principal = Principal(key.brokerage_id, None, key.id, frozenset(key.scopes))
        if cache is not None:
            cache.remember_api_key(digest, principal, epoch)
        return principal
    claims = tokens.verify(bearer)
    if claims is None:
        return None
    if cache is not None and (
        known := cache.user(claims.user_id, claims.brokerage_id, claims.version)
    ):
        return known
    epoch = cache.epoch() if cache is not None else 0
    user = await session.get(User, claims.user_id)
    if (
        user is None
        or user.brokerage_id != claims.brokerage_id
        or user.token_version != claims.version  # logged out, or the password changed
    ):
        return None
    scopes = AGENT_SCOPES if user.role is Role.AGENT else frozenset(SCOPES)
    principal = Principal(user.brokerage_id, user.id, None, scopes, user.role)
    if cache is not None:
        cache.remember_user(user.token_version, principal, epoch)
    return principal


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
    agent_name: str | None = None
    formality: Formality | None = None
    requires_approval: bool | None = None
    scoring_weights: dict[str, Any] | None = None
    tier_thresholds: dict[str, Any] | None = None
    match_gate: MatchGate | None = None
    # [(weekday, "HH:MM", "HH:MM")]: replaces every window; an empty list means the default hours.
    availability: list[tuple[str, str, str]] | None = None
    lead_routing: LeadRouting | None = None


def _window_order(window: Window) -> tuple[int, time]:
    return window.weekday, window.start


def _require_owner(principal: Principal) -> None:
    if principal.user_id is None:
        raise Forbidden("Brokerage settings are changed by a signed-in owner.")


async def update_brokerage(
    session: AsyncSession, principal: Principal, user_role: Role | None, changes: BrokerageChanges
) -> tuple[Brokerage, bool]:
    """Apply the owner's changes; the flag says whether matching must run again (scoring
    changed)."""
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
    if changes.agent_name is not None:
        name = changes.agent_name.strip()
        if "\n" in name or len(name) > 120:
            raise BadUserInput("agentName is a name (one line), not a signature block.")
        brokerage.agent_name = name
    for field_name in (
        "postal_address",
        "signature",
        "requires_approval",
        "formality",
        "lead_routing",
    ):
        value = getattr(changes, field_name)
        if value is not None:
            setattr(brokerage, field_name, value)
    if changes.availability is not None:
        try:
            windows = [make_window(*window) for window in changes.availability]
        except InvalidAvailability as exc:
            raise BadUserInput(str(exc)) from exc
        brokerage.availability = [w.as_dict() for w in sorted(windows, key=_window_order)]
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


def user_phone(raw: str | None, region: str) -> str | None:
    """A person's mobile in E.164 (their task notices are texted to it); blank removes it."""
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise BadUserInput(f"'{raw}' is not a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise BadUserInput(f"'{raw}' is not a phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


async def update_profile(
    session: AsyncSession,
    user_id: int,
    *,
    name: str | None = None,
    phone: str | None = None,
    signature: str | None = None,
    morning_digest: bool | None = None,
) -> User:
    """The signed-in person's own profile and settings; only the ones given change. A phone
    without a country code is read in the brokerage's region."""
    user = await session.get(User, user_id)
    if user is None:
        raise Unauthenticated()
    if name is not None:
        if not name.strip():
            raise BadUserInput("Your name cannot be empty.")
        user.name = name.strip()
    if phone is not None:
        brokerage = await session.get(Brokerage, user.brokerage_id)
        user.phone = user_phone(phone, brokerage.default_region if brokerage else "MX")
    if signature is not None:
        user.signature = signature.strip()
    if morning_digest is not None:
        user.morning_digest = morning_digest
    await session.flush()
    return user
