"""Status callbacks posted by the stand-in, signed as Twilio signs them, checked by our code."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from integrations.twilio.client import TwilioClient
from integrations.twilio.webhooks import StatusUpdate, parse_status_callback, validate_signature
from tests.support.twilio_standin import TwilioStandIn, running_twilio_standin, serve_app


class Receiver:
    def __init__(self, auth_token: str) -> None:
        self.auth_token = auth_token
        self.updates: list[StatusUpdate] = []
        self.public_url = ""

    async def status(self, request: Request) -> Response:
        form = await request.form()
        signature = request.headers.get("x-twilio-signature", "")
        if not validate_signature(self.public_url, form, signature, self.auth_token):
            return Response(status_code=403)
        self.updates.append(parse_status_callback(form))
        return Response(status_code=204)


@pytest.fixture
def setup() -> Iterator[tuple[TwilioStandIn, Receiver]]:
    with running_twilio_standin() as standin:
        receiver = Receiver(standin.auth_token)
        app = Starlette(
            routes=[Route("/webhooks/twilio/status", receiver.status, methods=["POST"])]
        )
        with serve_app(app) as base_url:
            receiver.public_url = f"{base_url}/webhooks/twilio/status"
            yield standin, receiver


async def test_status_callbacks_are_signed_verified_and_parsed(setup):
    standin, receiver = setup
    async with httpx.AsyncClient() as http:
        client = TwilioClient(http, standin.base_url, standin.account_sid, standin.auth_token, "+1")
        result = await client.send("+13055550123", "hi", receiver.public_url)
    [message] = standin.messages

    assert standin.post_status_callback(message, "sent").status_code == 204
    assert standin.post_status_callback(message, "undelivered", error_code=30003).status_code == 204

    assert receiver.updates == [
        StatusUpdate(result.sid, "sent", None, "+13055550123", "+1"),
        StatusUpdate(result.sid, "undelivered", 30003, "+13055550123", "+1"),
    ]
    assert receiver.updates[1].rank > receiver.updates[0].rank


async def test_a_forged_status_callback_is_refused(setup):
    standin, receiver = setup
    async with httpx.AsyncClient() as http:
        client = TwilioClient(http, standin.base_url, standin.account_sid, standin.auth_token, "+1")
        await client.send("+13055550123", "hi", receiver.public_url)
    [message] = standin.messages
    url, params, signature = standin.status_callback(message, "delivered")
    params["MessageStatus"] = "failed"

    async with httpx.AsyncClient() as http:
        response = await http.post(url, data=params, headers={"X-Twilio-Signature": signature})

    assert response.status_code == 403
    assert receiver.updates == []
