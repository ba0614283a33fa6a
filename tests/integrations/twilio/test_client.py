"""TwilioClient against the Twilio-shaped stand-in on loopback."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from integrations.http import RetryPolicy
from integrations.messaging import (
    DeliveryUnknown,
    PermanentFailure,
    RecipientOptedOut,
    TransientFailure,
)
from integrations.twilio.client import TwilioClient, WhatsAppTemplate
from tests.support.twilio_standin import Answer, TwilioStandIn, running_twilio_standin

FROM = "+13055550100"
TO = "+13055550123"
CALLBACK = "https://brscale.example.com/webhooks/twilio/status"
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=5)


@pytest.fixture(scope="module")
def standin_server() -> Iterator[TwilioStandIn]:
    with running_twilio_standin() as running:
        yield running


@pytest.fixture
def standin(standin_server: TwilioStandIn) -> TwilioStandIn:
    standin_server.reset()
    return standin_server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.5, connect=0.5)) as client:
        yield client


def make_client(
    http: httpx.AsyncClient, standin: TwilioStandIn, token: str | None = None
) -> TwilioClient:
    return TwilioClient(
        http,
        standin.base_url,
        standin.account_sid,
        token or standin.auth_token,
        FROM,
        policy=FAST,
    )


async def test_send_posts_the_form_and_returns_the_twilio_sid(http, standin):
    result = await make_client(http, standin).send(TO, "Hola Ana, ¿sigue buscando casa?", CALLBACK)

    [sent] = standin.messages
    assert result.sid == sent.sid
    assert result.sid.startswith("SM") and len(result.sid) == 34
    assert result.status == "queued"
    assert sent.form == {
        "To": TO,
        "From": FROM,
        "Body": "Hola Ana, ¿sigue buscando casa?",
        "StatusCallback": CALLBACK,
    }


async def test_wrong_credentials_are_a_permanent_failure(http, standin):
    with pytest.raises(PermanentFailure) as failure:
        await make_client(http, standin, token="wrong").send(TO, "hi")
    assert failure.value.code == 20003
    assert standin.messages == []


async def test_21610_means_the_recipient_opted_out(http, standin):
    standin.answer("opted_out")
    with pytest.raises(RecipientOptedOut) as failure:
        await make_client(http, standin).send(TO, "hi", CALLBACK)
    assert failure.value.code == 21610
    assert failure.value.more_info == "https://www.twilio.com/docs/errors/21610"
    assert standin.messages == []
    assert len(standin.attempts) == 1


async def test_invalid_number_is_permanent_and_not_an_opt_out(http, standin):
    standin.answer("invalid_number")
    with pytest.raises(PermanentFailure) as failure:
        await make_client(http, standin).send("+1555", "hi")
    assert type(failure.value) is PermanentFailure
    assert failure.value.code == 21211
    assert len(standin.attempts) == 1


async def test_429_waits_for_retry_after_then_sends_once(http, standin):
    standin.answer(Answer("rate_limited", retry_after=1))
    result = await make_client(http, standin).send(TO, "hi")

    [(first_at, _), (second_at, _)] = standin.attempts
    assert second_at - first_at >= 1.0
    [sent] = standin.messages
    assert result.sid == sent.sid


async def test_server_errors_after_all_retries_are_transient(http, standin):
    standin.answer("server_error", "server_error", "server_error")
    with pytest.raises(TransientFailure) as failure:
        await make_client(http, standin).send(TO, "hi")
    assert failure.value.code == 20500
    assert len(standin.attempts) == FAST.attempts
    assert standin.messages == []


async def test_server_error_then_success_sends_once(http, standin):
    standin.answer("server_error")
    result = await make_client(http, standin).send(TO, "hi")
    assert [m.sid for m in standin.messages] == [result.sid]


async def test_timeout_after_sending_is_unknown_and_never_resent(http, standin):
    standin.answer(Answer("hang", hang_seconds=1.5))
    with pytest.raises(DeliveryUnknown):
        await make_client(http, standin).send(TO, "hi")
    assert len(standin.attempts) == 1
    assert len(standin.messages) == 1


async def test_unreachable_api_is_transient(http):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    client = TwilioClient(
        http, f"http://127.0.0.1:{closed_port}", "AC1", "token", FROM, policy=FAST
    )
    with pytest.raises(TransientFailure):
        await client.send(TO, "hi")


async def test_whatsapp_template_outside_the_window(http, standin):
    template = WhatsAppTemplate("HX" + "a" * 32, {"1": "Ana", "2": "Coral Gables"})
    await make_client(http, standin).send_whatsapp(TO, template=template, status_callback=CALLBACK)

    [sent] = standin.messages
    assert sent.form["To"] == f"whatsapp:{TO}"
    assert sent.form["From"] == f"whatsapp:{FROM}"
    assert sent.form["ContentSid"] == "HX" + "a" * 32
    assert json.loads(sent.form["ContentVariables"]) == {"1": "Ana", "2": "Coral Gables"}
    assert "Body" not in sent.form


async def test_whatsapp_free_form_inside_the_window(http, standin):
    await make_client(http, standin).send_whatsapp(f"whatsapp:{TO}", "¿Le llamo mañana?")
    [sent] = standin.messages
    assert sent.form == {
        "To": f"whatsapp:{TO}",
        "From": f"whatsapp:{FROM}",
        "Body": "¿Le llamo mañana?",
    }


async def test_whatsapp_needs_exactly_one_of_body_or_template(http, standin):
    with pytest.raises(ValueError):
        await make_client(http, standin).send_whatsapp(TO)
    assert standin.attempts == []
