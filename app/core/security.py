"""Passwords (argon2), signed expiring session tokens (JWT), API key secrets, encryption at rest."""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_hasher = PasswordHasher()
API_KEY_PREFIX = "brs_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


# argon2 takes ~50 ms of CPU by design: on the event loop, a few log-ins in a loop stall every
# request of the process. In a thread (argon2 releases the GIL) the loop keeps serving.
async def hash_password_off_loop(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password_off_loop(password_hash: str | None, password: str) -> bool:
    """Verify against `password_hash`; for an unknown account (None) verify against a dummy
    hash, so the answer takes as long as for a real one and does not tell which emails exist."""
    if password_hash is None:
        await asyncio.to_thread(verify_password, _dummy_hash(), password)
        return False
    return await asyncio.to_thread(verify_password, password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    brokerage_id: int
    version: int  # the user's token version when issued: bumped to revoke every older token
    expires_at: float = 0.0  # Unix time


class TokenSigner:
    """HS256 session tokens signed with the newest key; tokens of older keys stay valid."""

    def __init__(self, keys: str | list[str], ttl: timedelta) -> None:
        keys = [keys] if isinstance(keys, str) else keys
        self._keys = [hashlib.sha256(b"session-token:" + key.encode()).digest() for key in keys]
        self._key = self._keys[0]
        self._ttl = ttl

    def issue(
        self, user_id: int, brokerage_id: int, version: int = 0, now: datetime | None = None
    ) -> str:
        now = now or datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "brk": brokerage_id,
            "ver": version,
            "iat": now,
            "exp": now + self._ttl,
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, token: str) -> TokenClaims | None:
        for key in self._keys:
            try:
                claims = jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp"]})
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                return None
            try:
                return TokenClaims(
                    user_id=int(claims["sub"]),
                    brokerage_id=int(claims["brk"]),
                    version=int(claims.get("ver", 0)),
                    expires_at=float(claims["exp"]),
                )
            except (KeyError, TypeError, ValueError):  # signed by us, yet not our shape
                return None
        return None


@dataclass(frozen=True)
class NewApiKey:
    prefix: str
    secret: str
    secret_hash: str


def new_api_key() -> NewApiKey:
    """`brs_<prefix>_<secret>`: the prefix finds the row, only a hash of the whole is kept."""
    prefix = secrets.token_hex(6)
    secret = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return NewApiKey(prefix=prefix, secret=secret, secret_hash=hash_api_key(secret))


def hash_api_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_prefix(secret: str) -> str | None:
    if not secret.startswith(API_KEY_PREFIX):
        return None
    prefix, sep, _ = secret.removeprefix(API_KEY_PREFIX).partition("_")
    return prefix if sep else None


def api_key_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(secret), secret_hash)


class SecretBox:
    """Fernet encryption for credentials at rest, with key rotation.

    `BRSCALE_SECRET_KEY` may list several keys separated by commas, newest first: new values are
    encrypted with the first, old ones still decrypt, and `rotate()` re-encrypts them.
    """

    def __init__(self, keys: list[str]) -> None:
        self._box = MultiFernet([Fernet(_fernet_key(k)) for k in keys])

    def encrypt(self, plaintext: str) -> str:
        return self._box.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._box.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ValueError(
                "stored credentials cannot be decrypted with the configured keys"
            ) from exc

    def rotate(self, ciphertext: str) -> str:
        return self._box.rotate(ciphertext.encode()).decode()


def _fernet_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(b"fernet:" + secret.encode()).digest())


def sign_value(key: str, value: str) -> str:
    """A URL-safe HMAC of `value`, for links that must keep working for months (unsubscribe)."""
    mac = hmac.new(hashlib.sha256(b"link:" + key.encode()).digest(), value.encode(), "sha256")
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode().rstrip("=")


class PurposeTokens:
    """Signed, expiring JWTs for one purpose (an invitation link), with a key derived for that
    purpose so a session token can never pass for one, nor the reverse."""

    def __init__(self, keys: str | list[str], purpose: str) -> None:
        keys = [keys] if isinstance(keys, str) else keys
        self._keys = [
            hashlib.sha256(f"{purpose}:".encode() + key.encode()).digest() for key in keys
        ]
        self._purpose = purpose

    def issue(self, claims: dict[str, object], expires_at: datetime) -> str:
        body = {**claims, "pur": self._purpose, "exp": expires_at}
        return jwt.encode(body, self._keys[0], algorithm="HS256")

    def verify(self, token: str) -> dict[str, object]:
        """The claims; raises `ExpiredToken` past its time, `InvalidToken` for anything else
        (forged, truncated, signed for another purpose)."""
        for key in self._keys:
            try:
                claims: dict[str, object] = jwt.decode(
                    token, key, algorithms=["HS256"], options={"require": ["exp"]}
                )
            except jwt.ExpiredSignatureError as exc:
                raise ExpiredToken() from exc
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError as exc:
                raise InvalidSignedToken() from exc
            if claims.get("pur") != self._purpose:
                raise InvalidSignedToken()
            return claims
        raise InvalidSignedToken()


class SealedTokens:
    """Encrypted, signed, expiring tokens for one purpose (a sign-up link): unlike a JWT their
    content cannot be read, so they may carry what only the server should see (a password's
    hash), and a key derived for the purpose keeps them from passing for anything else."""

    def __init__(self, keys: list[str], purpose: str) -> None:
        self._box = MultiFernet([Fernet(_fernet_key(f"{purpose}:{key}")) for key in keys])

    def seal(self, value: str) -> str:
        return self._box.encrypt(value.encode()).decode()

    def open(self, token: str, max_age: timedelta) -> str | None:
        """The sealed value; None when forged, truncated, for another purpose or too old."""
        try:
            return self._box.decrypt(token.encode(), ttl=int(max_age.total_seconds())).decode()
        except (InvalidToken, ValueError):
            return None


class InvalidSignedToken(Exception):
    pass


class ExpiredToken(InvalidSignedToken):
    pass
