"""HTTP endpoints of messaging: Twilio's inbound SMS and status callbacks, inbound email, and the
one-click unsubscribe link. They verify and parse what the provider posts and answer it; what it
changes is messaging's flows (app/messaging/flows.py)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from app.core.runtime import Runtime
from app.messaging import flows
from graphql_schema.signed_posts import mailgun_signed, public_url
from integrations.email.inbound import (
    InboundEmail,
    parse_mailgun,
    parse_sendgrid,
)
from integrations.twilio.webhooks import (
    parse_inbound_message,
    parse_status_callback,
    twiml_response,
    validate_signature,
)

_Parsed = TypeVar("_Parsed")


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _verified_twilio_form(request: Request) -> dict[str, str] | None:
    runtime = _runtime(request)
    token = runtime.settings.twilio_auth_token
    form = await request.form()
    signature = request.headers.get("x-twilio-signature", "")
    if not token or not validate_signature(public_url(request), form, signature, token):
        return None
    return {key: str(value) for key, value in form.multi_items()}


def _twiml(message: str | None = None) -> Response:
    return Response(twiml_response(message), media_type="application/xml")


async def _twilio_post(
    request: Request, parse: Callable[[dict[str, str]], _Parsed]
) -> tuple[dict[str, str], _Parsed] | Response:
    """A Twilio post's form and what `parse` reads in it; 403 unsigned, 400 when it is signed
    yet not what this endpoint takes (no From, To or sid)."""
    form = await _verified_twilio_form(request)
    if form is None:
        return Response("invalid signature", status_code=403)
    try:
        return form, parse(form)
    except ValueError as exc:
        return Response(str(exc), status_code=400)


async def twilio_sms(request: Request) -> Response:
    posted = await _twilio_post(request, parse_inbound_message)
    if isinstance(posted, Response):
        return posted
    form, inbound = posted
    return _twiml(await flows.receive_text(_runtime(request), inbound, form))


async def twilio_status(request: Request) -> Response:
    posted = await _twilio_post(request, parse_status_callback)
    if isinstance(posted, Response):
        return posted
    await flows.record_status(_runtime(request), posted[1])
    return Response(status_code=200)


async def email_inbound(request: Request) -> Response:
    runtime = _runtime(request)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    key = runtime.settings.mailgun_signing_key
    # With a signing key set, every post must be signed with it, whatever its shape: an
    # unsigned SendGrid-shaped post must not slip past the check meant for Mailgun's.
    if key and not mailgun_signed(key, fields):
        return Response("invalid signature", status_code=403)
    inbound: InboundEmail
    if "signature" in fields or "body-plain" in fields:
        token = fields.get("token", "")
        inbound = parse_mailgun(form)
        once = ("mailgun", token, {"recipient": fields.get("recipient", "")}) if token else None
        # Mailgun's token is single-use: a replayed POST is refused (406: do not retry).
        replayed = Response("replayed", status_code=406)
    else:
        inbound = parse_sendgrid(form)
        once = (
            ("sendgrid", inbound.message_id, {"from": inbound.sender})
            if inbound.message_id
            else None
        )
        replayed = Response(status_code=200)
    if not await flows.receive_email(runtime, inbound, once):
        return replayed
    return Response(status_code=200)


PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>{title}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:3em auto">
<h1>{title}</h1><p>{text}</p>{form}</body></html>"""
UNSUBSCRIBE_WORDS = {
    "es": {
        "title": "Darse de baja",
        "ask": "¿Dejar de recibir mensajes de {name}?",
        "button": "Darme de baja",
        "done": "Listo: {name} no le enviará más mensajes.",
    },
    "en": {
        "title": "Unsubscribe",
        "ask": "Stop receiving messages from {name}?",
        "button": "Unsubscribe",
        "done": "Done: {name} will not message you again.",
    },
}


async def unsubscribe(request: Request) -> Response:
    confirm = request.method == "POST"  # RFC 8058 one-click, or the page's button
    found = await flows.unsubscribe(
        _runtime(request), request.path_params["token"], confirm=confirm
    )
    if found is None:
        return HTMLResponse("This link is not valid.", status_code=404)
    words = UNSUBSCRIBE_WORDS[found.language]
    name = escape(found.brokerage_name)
    if confirm:
        text, form = words["done"].format(name=name), ""
    else:
        text = words["ask"].format(name=name)
        form = (
            f'<form method="post"><input type="hidden" name="List-Unsubscribe" '
            f'value="One-Click"><button type="submit">{words["button"]}</button></form>'
        )
    return HTMLResponse(
        PAGE.format(lang=found.language, title=words["title"], text=text, form=form)
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/webhooks/twilio/sms", twilio_sms, methods=["POST"]),
        Route("/webhooks/twilio/status", twilio_status, methods=["POST"]),
        Route("/webhooks/email/inbound", email_inbound, methods=["POST"]),
        Route("/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"]),
    ]
