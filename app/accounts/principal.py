"""Who is calling: a signed-in user (every scope) or an API key (its own scopes)."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import Role
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
# An agent works leads and conversations; listings, CRM connections and keys are managed above.
AGENT_SCOPES = frozenset(SCOPES) - {"properties:write", "crm:manage"}


@dataclass(frozen=True)
class Principal:
    brokerage_id: int
    user_id: int | None
    api_key_id: int | None
    scopes: frozenset[str]
    # A user's role; None for an API key, which acts for the whole brokerage (an OWNER or
    # ADMIN creates it) but never in a user's name (no team or settings changes).
    role: Role | None = None

    @property
    def is_agent(self) -> bool:
        """An AGENT sees and acts on only what is assigned to them."""
        return self.role is Role.AGENT

    @property
    def agent_id(self) -> int | None:
        """The user whose assigned rows are all this caller may read; None: the brokerage's."""
        return self.user_id if self.role is Role.AGENT else None

    def require_manager(self, what: str = "This") -> None:
        """OWNER or ADMIN (or an API key, made by one): FORBIDDEN for an AGENT."""
        if self.role is Role.AGENT:
            raise Forbidden(f"{what} is for the brokerage's owner or admins, not agents.")

    def require_owner(self, what: str = "This") -> None:
        if self.user_id is None or self.role is not Role.OWNER:
            raise Forbidden(f"{what} is for the brokerage's owner.")

    @property
    def rate_key(self) -> str:
        return f"key:{self.api_key_id}" if self.api_key_id else f"user:{self.user_id}"

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"This API key lacks the '{scope}' scope.")
