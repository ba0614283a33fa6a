"""`POST /capture/{captureKey}`: website forms (urlencoded or multipart) and portals (JSON)
hand a new lead to the brokerage whose key it is, at any hour.

Answers: JSON posts get JSON (201, or an error with a message); a browser's form post gets a
short thank-you page in the brokerage's language. Posts are limited per IP; a honeypot field
filled in is answered like a success and stored nowhere, so bots learn nothing. Any origin may
post (it is a public form endpoint holding no cookie or token): CORS is open on this path only.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.accounts.models import Brokerage
from app.capture import repository
from app.capture.portals import read_inquiry
from app.capture.service import capture_lead, listing_named_in
from app.capture.submission import read_submission
from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict
from app.core.ratelimit import RequestLimiter
from app.core.runtime import Runtime
from app.core.uow import commit
from app.messaging.config import messaging_config
from app.messaging.repository import record_webhook_once
from app.plans import service as plans
from graphql_schema.signed_posts import mailgun_signed
from integrations.email.inbound import (
    InboundEmail,
    parse_mailgun,
    parse_sendgrid,
)
from integrations.email.outgoing import reply_token
from integrations.email.quoted import html_to_text

log = logging.getLogger(__name__)

PER_IP_PER_MINUTE = 10
MAX_BODY = 64 * 1024
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
}
_THANKS = {
    "es": ("¡Gracias!", "Recibimos tus datos. Te escribiremos muy pronto."),
    "en": ("Thank you!", "We received your details and will be in touch shortly."),
}


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _answer(request: Request, status: int, body: dict[str, Any], language: str) -> Response:
    if "application/json" in request.headers.get("content-type", ""):
        return JSONResponse(body, status_code=status, headers=CORS)
    if status < 300:
        title, text = _THANKS.get(language, _THANKS["en"])
    else:
        title, text = ("Error", body.get("error", ""))
    page = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto;">'
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return HTMLResponse(page, status_code=status, headers=CORS)


async def _fields(request: Request) -> dict[str, Any]:
    if "application/json" in request.headers.get("content-type", ""):
        body = await request.body()
        if len(body) > MAX_BODY:
            raise BadUserInput("The post is too large for a capture form.")
        try:
            data = json.loads(body or b"{}")
        except ValueError as exc:
            raise BadUserInput("The body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise BadUserInput("Send one JSON object with the lead's fields.")
        return data
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        raise BadUserInput("The post is too large for a capture form.")
    form = await request.form(max_files=0, max_fields=100)
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


def _capture_base(runtime: Runtime) -> str:
    """`leads@<inbound domain>`: the domain replies already reach; each brokerage's address adds
    its key (`leads+KEY@...`)."""
    domain = messaging_config(runtime.settings).reply_base_address.rpartition("@")[2]
    return f"leads@{domain}"


def capture_address(runtime: Runtime, key: str) -> str:
    """The brokerage's capture e-mail address: portals' inquiry e-mails forwarded here become
    leads."""
    local, _, domain = _capture_base(runtime).partition("@")
    return f"{local}+{key}@{domain}"


async def capture_email(request: Request) -> Response:
    """An inquiry e-mail (Mailgun route or SendGrid Inbound Parse) sent to a capture address.

    Acknowledged with 200 whatever it holds (the provider must not retry a mail nobody can
    read); a forged Mailgun post is refused, a replay is read once.
    """
    runtime: Runtime = request.app.state.runtime
    form = await request.form(max_files=0)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    key = runtime.settings.mailgun_signing_key
    inbound: InboundEmail
    if "signature" in fields or "body-plain" in fields:
        if key and not mailgun_signed(key, fields):
            return Response("invalid signature", status_code=403)
        inbound = parse_mailgun(form)
    elif key:
        return Response("unsigned post", status_code=403)
    else:
        inbound = parse_sendgrid(form)
    base = _capture_base(runtime)
    capture_key = next(
        (t for r in inbound.recipients if (t := reply_token(r, base)) is not None), None
    )
    if capture_key is None:
        return Response(status_code=200)
    async with runtime.session() as session:
        brokerage_id = await repository.brokerage_for(session, capture_key)
        replay = inbound.replay_key or inbound.message_id
        if brokerage_id is None or (
            replay and not await record_webhook_once(session, "capture-email", replay, {})
        ):
            await commit(session)
            return Response(status_code=200)
        try:
            inquiry = read_inquiry(
                inbound.sender, inbound.subject, inbound.text or html_to_text(inbound.html)
            )
            listing = await listing_named_in(session, brokerage_id, inquiry.listing_hint)
            await capture_lead(
                session, brokerage_id, inquiry.submission, listing, inquiry.phone_region
            )
        except BadUserInput as exc:
            log.warning(
                "capture e-mail not read as a lead",
                extra={"brokerage_id": brokerage_id, "reason": exc.message},
            )
            await session.rollback()
            await record_webhook_once(session, "capture-email", replay or "", {})
        await commit(session)
    return Response(status_code=200)


def routes() -> list[BaseRoute]:
    limiters: dict[int, RequestLimiter] = {}

    async def capture(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        limiter = limiters.setdefault(id(runtime), RequestLimiter(PER_IP_PER_MINUTE, runtime.redis))
        if not await limiter.allow(f"capture:{_client_ip(request)}"):
            error = {"error": "Too many submissions from this address; try again in a minute."}
            return _answer(request, 429, error, "en")
        async with runtime.session() as session:
            brokerage_id = await repository.brokerage_for(session, request.path_params["key"])
            if brokerage_id is None:
                return _answer(request, 404, {"error": "No form is set up at this address."}, "en")
            brokerage = await session.get(Brokerage, brokerage_id)
            language = brokerage.language if brokerage is not None else "es"
            try:
                submission = read_submission(await _fields(request))
                if submission.spam:
                    log.info("capture: honeypot filled", extra={"brokerage_id": brokerage_id})
                    return _answer(request, 201, {"received": True}, language)
                await plans.require_room(session, brokerage_id, "leads", utcnow())
                await capture_lead(session, brokerage_id, submission)
            except BadUserInput as exc:
                return _answer(request, 422, {"error": exc.message}, language)
            except Conflict as exc:  # the plan's lead limit: the form's owner must act
                log.warning("capture refused", extra={"brokerage_id": brokerage_id})
                return _answer(request, 409, {"error": exc.message}, language)
            await commit(session)
        return _answer(request, 201, {"received": True}, language)

    async def preflight(request: Request) -> Response:
        return Response(status_code=204, headers={**CORS, "Access-Control-Max-Age": "86400"})

    return [
        Route("/capture/email", capture_email, methods=["POST"]),
        Route("/capture/{key}", capture, methods=["POST"]),
        Route("/capture/{key}", preflight, methods=["OPTIONS"]),
    ]
