"""The URL a provider posted to, as the public sees it: we may sit behind a proxy, and Twilio
and HubSpot sign that URL, not the proxy's inner one."""

from __future__ import annotations

from starlette.requests import Request

from app.core.runtime import Runtime


def public_url(request: Request) -> str:
    runtime: Runtime = request.app.state.runtime
    url = runtime.settings.public_url.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url
