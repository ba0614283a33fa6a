"""HTTP endpoints of messaging: Twilio's inbound SMS and status callbacks, inbound email, and the
one-click unsubscribe link."""

from __future__ import annotations

import logging
import time
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from app.accounts.models import Brokerage
from app.conversations.intents import OptOutScope, opt_out_scope
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.text import fold
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging import repository, tasks
from app.messaging.links import lead_for_unsubscribe
from app.messaging.models import Channel, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR, PHONE_CHANNELS, opt_in_lead, opt_out_lead
from app.messaging.routing import channel_of, find_conversation_for_email, find_conversation_for_sms
from integrations.email.inbound import (
    InboundEmail,
    parse_mailgun,
    parse_sendgrid,
    verify_mailgun_signature,
)
from integrations.twilio.client import OPTED_OUT
from integrations.twilio.webhooks import (
    STATUS_RANK,
    InboundMessage,
    keyword_action,
    parse_inbound_message,
    parse_status_callback,
    twiml_response,
    validate_signature,
)

log = logging.getLogger(__name__)
RECEIVE_TASK = tasks.receive_inbound_message.__name__

# Keywords Twilio itself answers on long codes and toll-free numbers (external-apis.md 3.5):
# replying to them too would send the lead a second confirmation.
TWILIO_ANSWERS = frozenset(
    [
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
        "START",
        "YES",
        "UNSTOP",
        "HELP",
        "INFO",
    ]
)
CONFIRMATIONS = {
    "es": {
        "STOP": "Listo: no recibirá más mensajes de texto. Responda ALTA para volver a recibirlos.",
        "START": "Listo: volverá a recibir mensajes. Responda BAJA para dejar de recibirlos.",
        "HELP": "Mensajes sobre propiedades de su interés. Responda BAJA para no recibir más.",
    },
    "en": {
        "STOP": "Done: you will get no more text messages. Reply START to receive them again.",
        "START": "Done: you will receive messages again. Reply STOP to opt out.",
        "HELP": "Messages about properties you asked about. Reply STOP to opt out.",
    },
}
SPANISH_KEYWORDS = frozenset({"BAJA", "ALTO", "PARAR", "NO MAS", "ALTA"})
# Our status after a Twilio status, and how far along each of ours is, for forward-only moves.
TWILIO_TO_STATUS = {
    **dict.fromkeys(("accepted", "scheduled", "queued", "sending", "sent"), MessageStatus.SENT),
    **dict.fromkeys(
        ("failed", "undelivered", "partially_delivered", "canceled"), MessageStatus.FAILED
    ),
    **dict.fromkeys(("delivered", "read"), MessageStatus.DELIVERED),
}
OUR_RANK = {MessageStatus.SENT: STATUS_RANK["sent"], MessageStatus.FAILED: 4}
OUR_RANK[MessageStatus.DELIVERED] = STATUS_RANK["delivered"]


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _public_url(runtime: Runtime, request: Request) -> str:
    """The URL Twilio requested, as the public sees it (we may sit behind a proxy)."""
    url = runtime.settings.public_url.rstrip("/") + request.url.path
    return f"{url}?{request.url.query}" if request.url.query else url


async def _verified_twilio_form(request: Request) -> dict[str, str] | None:
    runtime = _runtime(request)
    token = runtime.settings.twilio_auth_token
    form = await request.form()
    signature = request.headers.get("x-twilio-signature", "")
    if not token or not validate_signature(_public_url(runtime, request), form, signature, token):
        return None
    return {key: str(value) for key, value in form.multi_items()}


def _twiml(message: str | None = None) -> Response:
    return Response(twiml_response(message), media_type="application/xml")


def _reply_for(inbound: InboundMessage, action: str, changed: bool) -> str | None:
    """Our one confirmation, unless Twilio sends its own or nothing changed."""
    word = fold(inbound.body.strip(" .!¡¿?")).upper()
    if inbound.opt_out_type or word in TWILIO_ANSWERS or (action != "HELP" and not changed):
        return None
    language = "es" if word in SPANISH_KEYWORDS else "en"
    return CONFIRMATIONS[language][action]


def _keyword_channels(inbound: InboundMessage) -> frozenset[str] | None:
    """What a STOP keyword stops: what is sent to this number (as the carrier blocks it), or
    everything for STOPALL / UNSUBSCRIBE (None)."""
    channel = channel_of(inbound.from_).value
    if opt_out_scope(inbound.body, channel) is OptOutScope.ALL:
        return None
    return PHONE_CHANNELS


async def _apply_keyword(session: AsyncSession, inbound: InboundMessage, action: str) -> bool:
    """Opt every lead with this number out (or in) of texts; True when any of them changed."""
    phone = inbound.from_.removeprefix("whatsapp:")
    channel = channel_of(inbound.from_).value
    changed = False
    for lead in await repository.leads_with_phone(session, phone):
        source, detail = f"{channel.lower()}:{action}", f"{inbound.message_sid}: {inbound.body}"
        if action == "STOP":
            changed |= await opt_out_lead(
                session,
                lead.brokerage_id,
                lead.id,
                source=source,
                channel=channel,
                detail=detail,
                channels=_keyword_channels(inbound),
            )
        elif action == "START":  # texts again; an e-mail stop is the lead's own business
            changed |= await opt_in_lead(
                session,
                lead.brokerage_id,
                lead.id,
                source=source,
                channel=channel,
                detail=detail,
                channels=PHONE_CHANNELS,
            )
    return changed


async def twilio_sms(request: Request) -> Response:
    form = await _verified_twilio_form(request)
    if form is None:
        return Response("invalid signature", status_code=403)
    try:
        inbound = parse_inbound_message(form)
    except ValueError as exc:  # signed, yet not an inbound message (no From, To or sid)
        return Response(str(exc), status_code=400)
    async with _runtime(request).session() as session:
        if not await repository.record_webhook_once(session, "twilio", inbound.message_sid, form):
            return _twiml()  # a repeated delivery: handled the first time
        reply = None
        action = inbound.keyword
        if action is not None:
            changed = await _apply_keyword(session, inbound, action)
            reply = _reply_for(inbound, action, changed)
        if action not in ("STOP", "START"):
            conversation = await find_conversation_for_sms(session, inbound.from_, inbound.to)
            if conversation is None:
                log.info("inbound text from an unknown number", extra={"sid": inbound.message_sid})
            else:
                enqueue(
                    session,
                    RECEIVE_TASK,
                    conversation.id,
                    channel_of(inbound.from_).value,
                    inbound.body,
                    inbound.message_sid,
                    job_id=f"inbound:{inbound.message_sid}",
                    # A lead waiting for an answer goes ahead of a campaign's queued batches.
                    urgent=True,
                )
        await commit(session)
    return _twiml(reply)


async def twilio_status(request: Request) -> Response:
    form = await _verified_twilio_form(request)
    if form is None:
        return Response("invalid signature", status_code=403)
    try:
        update_ = parse_status_callback(form)
    except ValueError as exc:
        return Response(str(exc), status_code=400)
    async with _runtime(request).session() as session:
        message = await repository.message_by_provider_id(
            session, [update_.message_sid], Channel.SMS
        ) or await repository.message_by_provider_id(
            session, [update_.message_sid], Channel.WHATSAPP
        )
        if message is None:
            return Response(status_code=200)
        if update_.error_code == OPTED_OUT:
            await opt_out_lead(
                session,
                message.brokerage_id,
                message.lead_id,
                source="provider",
                channel=message.channel.value,
                detail=f"{update_.message_sid}: error {OPTED_OUT}",
                channels=PHONE_CHANNELS,  # the number is blocked, not the lead's e-mail
            )
            message.status, message.error = MessageStatus.SUPPRESSED, OPTED_OUT_ERROR
        else:
            new = TWILIO_TO_STATUS.get(update_.status)
            current = OUR_RANK.get(message.status)
            # Callbacks arrive out of order: keep the furthest status reached.
            if new is not None and current is not None and OUR_RANK[new] > current:
                message.status = new
                if update_.error_code is not None:
                    message.error = f"Twilio error {update_.error_code}"
        await commit(session)
    return Response(status_code=200)


async def email_inbound(request: Request) -> Response:
    runtime = _runtime(request)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    key = runtime.settings.mailgun_signing_key
    # With a signing key set, every post must be signed with it, whatever its shape: an
    # unsigned SendGrid-shaped post must not slip past the check meant for Mailgun's.
    if key and not verify_mailgun_signature(
        key,
        fields.get("timestamp", ""),
        fields.get("token", ""),
        fields.get("signature", ""),
        time.time(),
    ):
        return Response("invalid signature", status_code=403)
    async with runtime.session() as session:
        inbound: InboundEmail
        if "signature" in fields or "body-plain" in fields:
            token = fields.get("token", "")
            # Mailgun's token is single-use: a replayed POST is refused (406: do not retry).
            if token and not await repository.record_webhook_once(
                session, "mailgun", token, {"recipient": fields.get("recipient", "")}
            ):
                return Response("replayed", status_code=406)
            inbound = parse_mailgun(form)
        else:
            inbound = parse_sendgrid(form)
            if inbound.message_id and not await repository.record_webhook_once(
                session, "sendgrid", inbound.message_id, {"from": inbound.sender}
            ):
                return Response(status_code=200)
        conversation = await find_conversation_for_email(session, inbound)
        if conversation is None:
            log.info("inbound email matched no conversation", extra={"from": inbound.sender})
        elif keyword_action(inbound.reply_text) == "STOP":
            # "STOP" by e-mail stops e-mail; "unsubscribe" (or STOPALL) everything.
            scope = opt_out_scope(inbound.reply_text, Channel.EMAIL.value)
            await opt_out_lead(
                session,
                conversation.brokerage_id,
                conversation.lead_id,
                source="email:reply",
                channel=Channel.EMAIL.value,
                detail=inbound.reply_text[:200],
                channels=None if scope is OptOutScope.ALL else [Channel.EMAIL.value],
            )
        else:
            enqueue(
                session,
                RECEIVE_TASK,
                conversation.id,
                Channel.EMAIL.value,
                inbound.reply_text,
                inbound.message_id,
                job_id=f"inbound:{inbound.message_id}" if inbound.message_id else None,
                urgent=True,  # ahead of a campaign's queued batches
            )
        await commit(session)
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
    runtime = _runtime(request)
    token = request.path_params["token"]
    lead_id = lead_for_unsubscribe(runtime.settings.signing_keys, token)
    async with runtime.session() as session:
        lead = await session.get(Lead, lead_id) if lead_id is not None else None
        if lead is None:
            return HTMLResponse("This link is not valid.", status_code=404)
        brokerage = await session.get(Brokerage, lead.brokerage_id)
        name = escape(brokerage.name if brokerage else "")
        lang = (
            "en" if (lead.language or (brokerage.language if brokerage else "es")) == "en" else "es"
        )
        words = UNSUBSCRIBE_WORDS[lang]
        if request.method == "POST":  # RFC 8058 one-click, or the page's button
            await opt_out_lead(
                session, lead.brokerage_id, lead.id, source="email:unsubscribe", channel=None
            )
            await commit(session)
            text, form = words["done"].format(name=name), ""
        else:
            text = words["ask"].format(name=name)
            form = (
                f'<form method="post"><input type="hidden" name="List-Unsubscribe" '
                f'value="One-Click"><button type="submit">{words["button"]}</button></form>'
            )
    return HTMLResponse(PAGE.format(lang=lang, title=words["title"], text=text, form=form))


def routes() -> list[BaseRoute]:
    return [
        Route("/webhooks/twilio/sms", twilio_sms, methods=["POST"]),
        Route("/webhooks/twilio/status", twilio_status, methods=["POST"]),
        Route("/webhooks/email/inbound", email_inbound, methods=["POST"]),
        Route("/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"]),
    ]
