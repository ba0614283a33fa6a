"""Domain errors become `extensions.code`; anything unexpected is masked and logged."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import strawberry
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from app.core.errors import DomainError, RateLimited
from graphql_schema.context import Context

log = logging.getLogger("brscale.graphql")


def is_request_error(error: GraphQLError) -> bool:
    """An error the client caused: a domain rule, a malformed id, or a request that failed
    validation or variable coercion (those have no path: nothing was resolved yet)."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, (DomainError, GlobalIDValueError))
        or not error.path
    )


def _code(error: GraphQLError) -> str | None:
    """Codes for errors that are not domain errors (those carry their own `extensions`)."""
    original = error.original_error
    if isinstance(original, DomainError):
        return None
    if isinstance(original, GlobalIDValueError):
        return "NOT_FOUND"
    if error.path:
        return None  # unexpected: masked, no code
    if "Variable" in error.message or original is not None:
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


class ErrorCodes(SchemaExtension):
    """Give every client-actionable error its stable code."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or []:
            code = _code(error)
            if code is not None:
                error.extensions = {**(error.extensions or {}), "code": code}


class RateLimit(SchemaExtension):
    """Refuse the whole operation when the caller is over its per-minute budget."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context) and context.rate_limited:
            error = RateLimited("Too many requests: slow down and retry in a minute.")
            self.execution_context.result = ExecutionResult(
                data=None,
                errors=[GraphQLError(error.message, original_error=error)],
            )
        yield


class SessionLifecycle(SchemaExtension):
    """Close the operation's database session however the operation ended."""

    async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
        yield
        context = self.execution_context.context
        if isinstance(context, Context):
            await context.close()


def masked_errors() -> MaskErrors:
    return MaskErrors(
        should_mask_error=lambda error: not is_request_error(error),
        error_message="Internal server error.",
    )


class BrScaleSchema(strawberry.Schema):
    """Logs only what went wrong on our side: a client's mistake is its answer, not a log line
    (and a failed log-in's query text, password included, never reaches the logs)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            if not is_request_error(error):
                log.error(
                    "unexpected error in %s",
                    ".".join(str(p) for p in error.path or ()),
                    exc_info=error.original_error,
                )
