"""Zapier REST hooks on the webhook subscriptions: subscribe, unsubscribe, sample, auth test.

    POST   /zapier/hooks            {"hookUrl": "...", "event": "LEAD_QUALIFIED"} -> 201 {"id"}
    DELETE /zapier/hooks/{id}       -> 200 {"id"}
    GET    /zapier/samples/{event}  -> 200 [ {id, type, at, data}, ... ] (latest first)
    GET    /zapier/me               -> 200 {"brokerage"} (Zapier's connection test)

Authenticated with an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`) that has
`crm:manage`. Deliveries are the same signed POSTs as every webhook's.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.accounts.models import Brokerage
from app.accounts.principal import Principal
from app.accounts.service import authenticate
from app.core.errors import BadUserInput, DomainError, RateLimited, Unauthenticated
from app.core.runtime import Runtime
from app.core.uow import commit
from app.webhooks import service
from app.webhooks.models import WebhookDelivery, WebhookEventType
from graphql_schema.relay import decode_id, encode_id

SCOPE = "crm:manage"
SAMPLE_DATA: dict[str, Any] = {
    "lead": {
        "id": encode_id("Lead", 1),
        "name": "Ana López",
        "email": "ana@example.com",
        "phone": "+525512345678",
    },
    "property": {"id": encode_id("Property", 1), "title": "Depa en Polanco"},
    "conversationId": encode_id("Conversation", 1),
    "messageId": encode_id("Message", 1),
}


def _error(exc: DomainError) -> Response:
    codes = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "RATE_LIMITED": 429}
    status = codes.get(exc.code, 400)
    return JSONResponse(
        {"errors": [{"message": exc.message, "extensions": exc.extensions}]}, status
    )


async def _principal(request: Request) -> Principal:
    runtime: Runtime = request.app.state.runtime
    authorization = request.headers.get("authorization") or ""
    key = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
    key = key or request.headers.get("x-api-key")
    if not key:
        raise Unauthenticated()
    async with runtime.session() as session:
        principal = await authenticate(session, runtime.tokens, key)
        await session.commit()
    if principal is None:
        raise Unauthenticated()
    principal.require(SCOPE)
    if not await runtime.limiter.allow(principal.rate_key):
        raise RateLimited("Too many requests: slow down and retry in a minute.")
    return principal


def _event(value: Any) -> str:
    if value not in {e.value for e in WebhookEventType}:
        raise BadUserInput(
            f"`event` must be one of {', '.join(e.value for e in WebhookEventType)}."
        )
    return str(value)


async def subscribe(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        principal = await _principal(request)
        try:
            body = await request.json()
        except ValueError as exc:
            raise BadUserInput("The body must be JSON.") from exc
        if not isinstance(body, dict):
            raise BadUserInput("The body must be a JSON object.")
        url = body.get("hookUrl") or body.get("target_url") or body.get("url")
        if not isinstance(url, str):
            raise BadUserInput("`hookUrl` is required.")
        async with runtime.session() as session:
            created = await service.create_subscription(
                session,
                runtime.secrets,
                principal.brokerage_id,
                url,
                [_event(body.get("event"))],
                allow_loopback=runtime.settings.webhook_allow_loopback,
                source="zapier",
            )
            await commit(session)
    except DomainError as exc:
        return _error(exc)
    return JSONResponse({"id": encode_id("WebhookSubscription", created.subscription.id)}, 201)


async def unsubscribe(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        principal = await _principal(request)
        subscription_id = decode_id(request.path_params["id"], "WebhookSubscription")
        async with runtime.session() as session:
            await service.delete_subscription(session, principal.brokerage_id, subscription_id)
            await commit(session)
    except DomainError as exc:
        return _error(exc)
    return JSONResponse({"id": request.path_params["id"]})


async def sample(request: Request) -> Response:
    """The latest deliveries of that event to this brokerage, or a made-up one when none."""
    runtime: Runtime = request.app.state.runtime
    try:
        principal = await _principal(request)
        event = _event(request.path_params["event"])
        async with runtime.session() as session:
            bodies = (
                await session.scalars(
                    select(WebhookDelivery.body)
                    .where(
                        WebhookDelivery.brokerage_id == principal.brokerage_id,
                        WebhookDelivery.type == event,
                    )
                    .order_by(WebhookDelivery.id.desc())
                    .limit(3)
                )
            ).all()
    except DomainError as exc:
        return _error(exc)
    samples = [json.loads(body) for body in bodies] or [
        {
            "id": encode_id("ActivityEvent", 1),
            "type": event,
            "at": "2026-01-15T16:30:00+00:00",
            "data": SAMPLE_DATA,
        }
    ]
    return JSONResponse(samples)


async def me(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        principal = await _principal(request)
    except DomainError as exc:
        return _error(exc)
    async with runtime.session() as session:
        name = await session.scalar(
            select(Brokerage.name).where(Brokerage.id == principal.brokerage_id)
        )
    return JSONResponse({"brokerage": name})


def routes() -> list[BaseRoute]:
    return [
        Route("/zapier/hooks", subscribe, methods=["POST"]),
        Route("/zapier/hooks/{id}", unsubscribe, methods=["DELETE"]),
        Route("/zapier/samples/{event}", sample, methods=["GET"]),
        Route("/zapier/me", me, methods=["GET"]),
    ]
