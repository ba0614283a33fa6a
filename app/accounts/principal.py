"""Who is calling: a signed-in user (every scope) or an API key (its own scopes)."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import Forbidden

SCOPES = (
    "leads:read",
    "leads:write",
    "properties:read",
    "properties:write",
    "conversations:read",
    "conversations:write",
    "crm:manage",
)


@dataclass(frozen=True)
class Principal:
    brokerage_id: int
    user_id: int | None
    api_key_id: int | None
    scopes: frozenset[str]

    @property
    def rate_key(self) -> str:
        return f"key:{self.api_key_id}" if self.api_key_id else f"user:{self.user_id}"

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"This API key lacks the '{scope}' scope.")
