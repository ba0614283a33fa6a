"""Domain errors become `extensions.code`; anything unexpected is masked and logged."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

from app.core.errors import DomainError, RateLimited
from graphql_schema.context import Context

log = logging.getLogger("brscale.graphql")


def _is_expected(error: GraphQLError) -> bool:
    return error.original_error is None or isinstance(error.original_error, DomainError)


class ErrorCodes(SchemaExtension):
    """Give every client-actionable error its stable code."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or []:
            original = error.original_error
            code = original.code if isinstance(original, DomainError) else None
            if code is None and original is None:
                code = (
                    "BAD_USER_INPUT" if "Variable" in error.message else "GRAPHQL_VALIDATION_FAILED"
                )
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
        should_mask_error=lambda error: not _is_expected(error),
        error_message="Internal server error.",
    )
