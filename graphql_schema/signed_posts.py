"""What providers' posts are checked against: the URL they were made to, as the public sees it
(we may sit behind a proxy, and Twilio and HubSpot sign that URL, not the proxy's inner one),
and Mailgun's signature over a post's timestamp and token."""

from __future__ import annotations

import time

from starlette.requests import Request

from app.core.runtime import Runtime
from integrations.email.inbound import verify_mailgun_signature


def public_url(request: Request) -> str:
    runtime: Runtime = request.app.state.runtime
    url = runtime.settings.public_url.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url


def mailgun_signed(key: str, fields: dict[str, str]) -> bool:
    """Whether a post's fields carry a fresh Mailgun signature made with `key`."""
    return verify_mailgun_signature(
        key,
        fields.get("timestamp", ""),
        fields.get("token", ""),
        fields.get("signature", ""),
        time.time(),
    )
