"""Who a bearer is, remembered for a few seconds so a request does not read its user again.

A session token is still verified on every request (signature and expiry: no I/O); what is
cached is the database's answer to "is this user's token version still current", keyed by user,
and for an API key the key's row (not revoked), keyed by a hash of the whole secret. Anything
that ends a session in this process (logOut, changePassword, a revoked key) forgets the entry at
its commit, so it takes effect at once here; another API process notices within the TTL.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.accounts.models import ApiKey, User
from app.accounts.principal import Principal
from app.core.security import TokenClaims
from app.core.services import ServiceKey

_FORGET = "forget_principals"


@dataclass(frozen=True)
class _UserEntry:
    version: int
    principal: Principal
    until: float


@dataclass(frozen=True)
class _TokenEntry:
    claims: TokenClaims
    until: float


@dataclass(frozen=True)
class _KeyEntry:
    principal: Principal
    until: float


class PrincipalCache:
    """Per-process, bounded, short-lived; never holds a raw secret (API keys by their hash)."""

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._users: dict[int, _UserEntry] = {}
        self._keys: dict[str, _KeyEntry] = {}
        self._tokens: dict[str, _TokenEntry] = {}
        # Bumped by every forget: an answer read from the database before a forget is not
        # remembered (it may be the very session that just ended).
        self._epoch = 0

    def epoch(self) -> int:
        """Take before reading the database; give it back to `remember_*`."""
        return self._epoch

    @staticmethod
    def key_digest(bearer: str) -> str:
        return hashlib.sha256(bearer.encode()).hexdigest()

    def token(self, digest: str) -> TokenClaims | None:
        """A session token verified lately (signature), still short of its expiry."""
        entry = self._tokens.get(digest)
        if entry is None or entry.until < time.monotonic() or entry.claims.expires_at < time.time():
            return None
        return entry.claims

    def remember_token(self, digest: str, claims: TokenClaims) -> None:
        if self.ttl <= 0:
            return
        self._make_room(self._tokens)
        self._tokens[digest] = _TokenEntry(claims, time.monotonic() + self.ttl)

    def user(self, user_id: int, brokerage_id: int, version: int) -> Principal | None:
        entry = self._users.get(user_id)
        if entry is None or entry.until < time.monotonic():
            return None
        if entry.version != version or entry.principal.brokerage_id != brokerage_id:
            return None
        return entry.principal

    def remember_user(self, version: int, principal: Principal, epoch: int) -> None:
        if self.ttl <= 0 or principal.user_id is None or epoch != self._epoch:
            return
        self._make_room(self._users)
        self._users[principal.user_id] = _UserEntry(version, principal, time.monotonic() + self.ttl)

    def api_key(self, digest: str) -> Principal | None:
        entry = self._keys.get(digest)
        if entry is None or entry.until < time.monotonic():
            return None
        return entry.principal

    def remember_api_key(self, digest: str, principal: Principal, epoch: int) -> None:
        if self.ttl <= 0 or epoch != self._epoch:
            return
        self._make_room(self._keys)
        self._keys[digest] = _KeyEntry(principal, time.monotonic() + self.ttl)

    def forget_user(self, user_id: int) -> None:
        self._epoch += 1
        self._users.pop(user_id, None)

    def forget_api_key(self, api_key_id: int) -> None:
        self._epoch += 1
        for digest in [d for d, e in self._keys.items() if e.principal.api_key_id == api_key_id]:
            self._keys.pop(digest, None)

    def clear(self) -> None:
        self._epoch += 1
        self._tokens.clear()
        self._users.clear()
        self._keys.clear()

    def _make_room(self, entries: dict[Any, Any]) -> None:
        if len(entries) < self.max_entries:
            return
        now = time.monotonic()
        for key in [k for k, e in entries.items() if e.until < now]:
            del entries[key]
        while len(entries) >= self.max_entries:  # still full: drop the oldest inserted
            del entries[next(iter(entries))]


PRINCIPALS: ServiceKey[PrincipalCache] = ServiceKey("accounts.principals")


def principal_cache(runtime: Any) -> PrincipalCache:
    """The process's cache (one per runtime), opened on first use."""
    return runtime.services.setdefault(  # type: ignore[no-any-return]
        PRINCIPALS, lambda: PrincipalCache(runtime.settings.principal_cache_seconds)
    )


# Whatever ends a session is seen at the flush that writes it (a new token version, a revoked
# or deleted key, a deleted user) and forgotten when that transaction commits, whichever code
# path made the change.
@event.listens_for(Session, "after_flush")
def _note_ended_sessions(session: Session, _flush_context: Any) -> None:
    ended: set[tuple[str, int]] = set()
    for obj in session.dirty:
        if isinstance(obj, User) and (
            inspect(obj).attrs.token_version.history.has_changes()
            or inspect(obj).attrs.role.history.has_changes()  # what the principal may do
        ):
            ended.add(("user", obj.id))
        elif isinstance(obj, ApiKey) and inspect(obj).attrs.revoked_at.history.has_changes():
            ended.add(("key", obj.id))
    for obj in session.deleted:
        if isinstance(obj, User):
            ended.add(("user", obj.id))
        elif isinstance(obj, ApiKey):
            ended.add(("key", obj.id))
    if ended:
        session.info.setdefault(_FORGET, set()).update(ended)


@event.listens_for(Session, "after_commit")
def _forget_ended_sessions(session: Session) -> None:
    ended: set[tuple[str, int]] = session.info.pop(_FORGET, set())
    runtime = session.info.get("runtime")
    if not ended or runtime is None:
        return
    cache = principal_cache(runtime)
    for kind, ident in ended:
        if kind == "user":
            cache.forget_user(ident)
        else:
            cache.forget_api_key(ident)


@event.listens_for(Session, "after_rollback")
def _keep_sessions(session: Session) -> None:
    session.info.pop(_FORGET, None)
