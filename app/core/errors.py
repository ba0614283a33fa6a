"""Domain errors with stable codes; the GraphQL layer turns them into `extensions.code`."""

from __future__ import annotations


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def extensions(self) -> dict[str, str]:
        """GraphQL copies these onto the error it reports, over HTTP and WebSocket alike."""
        return {"code": self.code}


class BadUserInput(DomainError):
    code = "BAD_USER_INPUT"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in or send a valid API key.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    code = "FORBIDDEN"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class RateLimited(DomainError):
    code = "RATE_LIMITED"


class Unavailable(DomainError):
    """Out of capacity for a moment (no database connection freed in time): retry shortly."""

    code = "SERVICE_UNAVAILABLE"
