"""Plain HTTP endpoints of crm_sync: the two CRM webhooks and the OAuth callback.

Webhooks are verified, stored in the inbox (unique per event) and acknowledged at once; a worker
re-fetches what they name. A replayed delivery finds its row and queues nothing.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.uow import commit
from app.crm_sync import repository, service
from app.crm_sync.models import CrmProviderName
from integrations.crm import CrmError, WebhookRejected
from integrations.followupboss import parse_fub_webhook
from integrations.hubspot import parse_hubspot_events, verify_hubspot_request
from integrations.oauth import OAuthStateError, utc_now

log = logging.getLogger(__name__)

DASHBOARD_CONNECTED = "/app/?crm=connected"
PROVIDERS = {p.value.lower(): p for p in CrmProviderName}


def _refused(source: str, reason: str) -> Response:
    log.warning("webhook refused", extra={"source": source, "reason": reason})
    return JSONResponse({"error": "refused"}, status_code=401)


def _public_url(runtime: Runtime, request: Request) -> str:
    """The URL the CRM called (and signed): the public address, not the proxy's inner one."""
    url = runtime.settings.public_url.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url


async def _store(runtime: Runtime, source: str, events: list[tuple[str, dict[str, Any]]]) -> int:
    """Insert each event into the inbox and queue the new ones; how many were new."""
    async with runtime.session() as session:
        new = 0
        for event_id, payload in events:
            inbox_id = await repository.insert_inbox(session, source, event_id, payload)
            if inbox_id is not None:
                new += 1
                enqueue(session, "crm_process_webhook", inbox_id, job_id=f"crm-webhook:{inbox_id}")
        await commit(session)
    return new


async def followupboss_webhook(request: Request) -> Response:
    """A FUB delivery, to a connection's own URL (`/webhooks/followupboss/{token}`, what
    BR SCALE registers) or to the shared one (`?account=`, for webhooks set up by hand)."""
    runtime: Runtime = request.app.state.runtime
    system_key = runtime.settings.followupboss_system_key
    if not system_key:
        return _refused("followupboss", "FOLLOWUPBOSS_SYSTEM_KEY is not set")
    body = await request.body()
    try:
        event = parse_fub_webhook(
            body, request.headers.get("fub-signature"), system_key, now=utc_now()
        )
    except WebhookRejected as exc:
        return _refused("followupboss", str(exc))
    connection_id: int | None = None
    if token := request.path_params.get("token"):
        async with runtime.session() as session:
            connection = await repository.connection_by_webhook_token(
                session, CrmProviderName.FOLLOWUPBOSS, token
            )
        if connection is None:
            # 410 asks FUB to delete the webhook: its connection is gone.
            return JSONResponse({"error": "no such connection"}, status_code=410)
        connection_id = connection.id
    payload = {
        "provider": CrmProviderName.FOLLOWUPBOSS.value,
        "connection_id": connection_id,
        "account_id": request.query_params.get("account"),
        "event_id": event.event_id,
        "event": event.event,
        "resource_ids": event.resource_ids,
        "uri": event.uri,
        "created_at": event.created_at.isoformat() if event.created_at else None,
    }
    # One inbox row per connection: the same event may reach two brokerages' URLs.
    key = f"{event.event_id}:{connection_id}" if connection_id else event.event_id
    new = await _store(runtime, "followupboss", [(key, payload)])
    return JSONResponse({"received": 1, "new": new})


async def hubspot_webhook(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    secret = runtime.settings.hubspot_client_secret
    if not secret:
        return _refused("hubspot", "HUBSPOT_CLIENT_SECRET is not set")
    body = await request.body()
    try:
        verify_hubspot_request(
            request.headers, "POST", _public_url(runtime, request), body, secret, now=utc_now()
        )
        events = parse_hubspot_events(body)
    except WebhookRejected as exc:
        return _refused("hubspot", str(exc))
    rows = [
        (
            e.dedupe_key,
            {
                "provider": CrmProviderName.HUBSPOT.value,
                "account_id": e.raw.get("portalId"),
                "event": e.raw,
            },
        )
        for e in events
    ]
    new = await _store(runtime, "hubspot", rows)
    return JSONResponse({"received": len(rows), "new": new})


def _error_page(title: str, message: str, status_code: int) -> HTMLResponse:
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BR SCALE: {html.escape(title)}</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 4rem auto;">
<h1>{html.escape(title)}</h1>
<p>{html.escape(message)}</p>
<p><a href="/app/">Back to BR SCALE</a></p>
</body></html>"""
    return HTMLResponse(page, status_code=status_code)


async def oauth_callback(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    provider = PROVIDERS.get(request.path_params["provider"])
    if provider is None:
        return _error_page("Unknown CRM", "BR SCALE does not connect to this CRM.", 404)
    async with runtime.session() as session:
        try:
            await service.complete_oauth(session, runtime, provider, dict(request.query_params))
        except OAuthStateError:
            return _error_page(
                "This connection link is no longer valid",
                "The sign-in took too long, was already used, or did not come from BR SCALE. "
                "Go back to BR SCALE and click Connect again.",
                400,
            )
        except CrmError as exc:
            return _error_page("The CRM did not connect", exc.message, 502)
        await commit(session)
    return RedirectResponse(DASHBOARD_CONNECTED, status_code=303)


def routes() -> list[BaseRoute]:
    return [
        Route("/webhooks/followupboss", followupboss_webhook, methods=["POST"]),
        Route("/webhooks/followupboss/{token}", followupboss_webhook, methods=["POST"]),
        Route("/webhooks/hubspot", hubspot_webhook, methods=["POST"]),
        Route("/oauth/{provider}/callback", oauth_callback, methods=["GET"]),
    ]
