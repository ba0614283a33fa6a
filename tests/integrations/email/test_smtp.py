"""Outreach emails rendered, sent with SmtpSender and read back from a real aiosmtpd server."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from integrations.email.outgoing import make_message_id, reply_address
from integrations.email.render import Brokerage, compose_email
from integrations.email.smtp import SmtpSender, parse_smtp_url
from integrations.messaging import PermanentFailure, TransientFailure
from tests.support.smtp_server import SmtpRecorder, running_smtp_server

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

CASA_SOL = Brokerage(
    name="Casa Sol Realty",
    postal_address="1200 Brickell Ave, Suite 400\nMiami, FL 33131",
    signature="María López\nAgente, Casa Sol Realty\n+1 305 555 0100",
)
UNSUBSCRIBE = "https://brscale.example.com/u/eyJsZWFkIjo0Mn0.sig"


def spanish_email(to: str = "ana@example.org"):
    return compose_email(
        to=to,
        from_="María López <maria@casasol.example.com>",
        subject="¿Sigue buscando casa en Coral Gables?",
        paragraphs=["Hola Ana:", "Vi que buscaba una casa de 3 recámaras <con jardín> & alberca."],
        brokerage=CASA_SOL,
        language="es",
        unsubscribe_url=UNSUBSCRIBE,
        unsubscribe_mailto="unsubscribe+t0k3n@in.casasol.example.com",
        message_id=make_message_id("casasol.example.com"),
        reply_to=reply_address("replies@in.casasol.example.com", "t0k3n"),
    )


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[SmtpRecorder, str]]:
    with running_smtp_server(credentials=("brscale", "s3cret")) as server:
        yield server


async def test_email_arrives_with_both_parts_headers_and_footer(smtp):
    recorder, url = smtp
    recorder.received.clear()
    email = spanish_email()

    message_id = await SmtpSender(url, timeout=5).send(email)

    [received] = recorder.received
    assert message_id == email.message_id
    assert received.login == "brscale"
    assert received.rcpt_tos == ["ana@example.org"]
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert message["Message-ID"] == email.message_id
    assert message["Reply-To"] == "replies+t0k3n@in.casasol.example.com"
    assert message["Subject"] == "¿Sigue buscando casa en Coral Gables?"
    assert message["List-Unsubscribe"] == (
        f"<{UNSUBSCRIBE}>, <mailto:unsubscribe+t0k3n@in.casasol.example.com>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Vi que buscaba una casa de 3 recámaras <con jardín> & alberca." in text
    assert "Vi que buscaba una casa de 3 recámaras &lt;con jardín&gt; &amp; alberca." in html
    assert "<con jardín>" not in html
    for part in (text, html):
        assert "1200 Brickell Ave, Suite 400" in part
        assert "Miami, FL 33131" in part
        assert "María López" in part
        assert "Casa Sol Realty" in part
    assert f"Darse de baja: {UNSUBSCRIBE}" in text
    assert f'<a href="{UNSUBSCRIBE}">Darse de baja</a>' in html


async def test_english_footer_and_threading_headers():
    email = compose_email(
        to="john@example.org",
        from_="sam@casasol.example.com",
        subject="Re: 12 Palm Ct",
        paragraphs=["Hi John,\nthanks for getting back to me."],
        brokerage=CASA_SOL,
        language="en",
        unsubscribe_url=UNSUBSCRIBE,
        message_id="<b@casasol.example.com>",
        in_reply_to="<a@mail.example.org>",
        references=["<root@casasol.example.com>", "<a@mail.example.org>"],
    )
    assert "Hi John,<br>thanks for getting back to me." in email.html
    assert f"Unsubscribe: {UNSUBSCRIBE}" in email.text
    assert email.headers["In-Reply-To"] == "<a@mail.example.org>"
    assert email.headers["References"] == "<root@casasol.example.com> <a@mail.example.org>"
    assert email.headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"


async def test_wrong_password_is_a_permanent_failure(smtp):
    recorder, url = smtp
    recorder.received.clear()
    bad = url.replace("s3cret", "nope")
    with pytest.raises(PermanentFailure) as failure:
        await SmtpSender(bad, timeout=5).send(spanish_email())
    assert failure.value.code == 535
    assert recorder.received == []


async def test_refused_recipient_maps_by_reply_code():
    with running_smtp_server() as (recorder, url):
        recorder.refuse = {
            "gone@example.org": "550 5.1.1 No such user",
            "full@example.org": "452 4.2.2 Mailbox full",
        }
        with pytest.raises(PermanentFailure) as permanent:
            await SmtpSender(url, timeout=5).send(spanish_email("gone@example.org"))
        with pytest.raises(TransientFailure) as transient:
            await SmtpSender(url, timeout=5).send(spanish_email("full@example.org"))
        assert (permanent.value.code, transient.value.code) == (550, 452)
        assert recorder.received == []


async def test_unreachable_server_is_transient():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TransientFailure):
        await SmtpSender(f"smtp://127.0.0.1:{port}", timeout=2).send(spanish_email())


def test_smtp_urls():
    plain = parse_smtp_url("smtp://user%40x.com:p%3Ass@mail.example.com")
    assert (plain.hostname, plain.port, plain.username, plain.password, plain.use_tls) == (
        "mail.example.com",
        587,
        "user@x.com",
        "p:ss",
        False,
    )
    implicit = parse_smtp_url("smtps://mail.example.com")
    assert (implicit.port, implicit.use_tls, implicit.username) == (465, True, None)
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example.com")


def test_message_ids_are_unique_and_bracketed():
    ids = {make_message_id("casasol.example.com") for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("<") and i.endswith("@casasol.example.com>") for i in ids)
