"""Plain HTTP endpoints of crm_sync: the CRMs' webhooks and the OAuth callback.

Webhooks are verified, stored in the inbox (unique per event) and acknowledged at once; a worker
re-fetches what they name. A replayed delivery finds its row and queues nothing. How each CRM
signs and shapes its posts is its adapter's (`CrmWebhookReader`); what they change is
crm_sync's flows (app/crm_sync/flows.py).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from app.core.runtime import Runtime
from app.crm_sync import flows
from app.crm_sync.models import CrmProviderName
from graphql_schema.signed_posts import public_url
from integrations.crm import CrmError, WebhookRejected
from integrations.oauth import OAuthStateError

log = logging.getLogger("app.crm_sync.webhooks")  # the name it has always logged under

DASHBOARD_CONNECTED = "/app/?crm=connected"
PROVIDERS = {p.value.lower(): p for p in CrmProviderName}


def crm_webhook(provider: CrmProviderName) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of a CRM's deliveries: to a connection's own URL
    (`/webhooks/followupboss/{token}`, what BR SCALE registers with FUB), or to the shared one
    (HubSpot's app subscriptions; `?account=` for FUB webhooks set up by hand)."""
    source = provider.value.lower()

    async def receive(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        body = await request.body()
        try:
            receipt = await flows.receive_webhook(
                runtime,
                provider,
                body,
                request.headers,
                public_url(request),
                token=request.path_params.get("token"),
                account=request.query_params.get("account"),
            )
        except WebhookRejected as exc:
            log.warning("webhook refused", extra={"source": source, "reason": str(exc)})
            return JSONResponse({"error": "refused"}, status_code=401)
        if receipt is None:
            # 410 asks the CRM to delete the webhook: its connection is gone.
            return JSONResponse({"error": "no such connection"}, status_code=410)
        return JSONResponse({"received": receipt.received, "new": receipt.new})

    return receive


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
    try:
        await flows.complete_oauth(runtime, provider, dict(request.query_params))
    except OAuthStateError:
        return _error_page(
            "This connection link is no longer valid",
            "The sign-in took too long, was already used, or did not come from BR SCALE. "
            "Go back to BR SCALE and click Connect again.",
            400,
        )
    except CrmError as exc:
        return _error_page("The CRM did not connect", exc.message, 502)
    return RedirectResponse(DASHBOARD_CONNECTED, status_code=303)


def routes() -> list[BaseRoute]:
    fub = crm_webhook(CrmProviderName.FOLLOWUPBOSS)
    hubspot = crm_webhook(CrmProviderName.HUBSPOT)
    return [
        Route("/webhooks/followupboss", fub, methods=["POST"]),
        Route("/webhooks/followupboss/{token}", fub, methods=["POST"]),
        Route("/webhooks/hubspot", hubspot, methods=["POST"]),
        Route("/oauth/{provider}/callback", oauth_callback, methods=["GET"]),
    ]
