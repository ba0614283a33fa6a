"""Inbound email: SendGrid and Mailgun forms, Mailgun signatures, reply tokens, threading ids."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from integrations.email.inbound import (
    message_ids,
    parse_mailgun,
    parse_sendgrid,
    verify_mailgun_signature,
)
from integrations.email.outgoing import reply_address, reply_token

BASE = "replies@in.casasol.example.com"
GMAIL_BODY = (
    "Sí, el sábado a las 11 me queda bien.\n"
    "\n"
    "El lun, 5 ene 2026 a las 10:02, María López (<maria@casasol.example.com>)\n"
    "escribió:\n"
    "\n"
    "> Hola Ana:\n"
    "> ¿Sigue buscando casa en Coral Gables?\n"
)
SENDGRID_HEADERS = (
    "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn\n"
    "From: =?UTF-8?Q?Ana_Garc=C3=ADa?= <ana@example.org>\n"
    "Date: Mon, 5 Jan 2026 10:15:02 -0500\n"
    "Message-ID: <CAJ1x=abc123@mail.gmail.com>\n"
    "In-Reply-To: <5f2c@casasol.example.com>\n"
    "References: <root1@casasol.example.com>\n"
    " <5f2c@casasol.example.com>\n"
    "Subject: Re: =?UTF-8?Q?=C2=BFSigue_buscando_casa=3F?=\n"
    "To: replies+t0k3n@in.casasol.example.com\n"
)


def test_sendgrid_parsed_form():
    email = parse_sendgrid(
        {
            "headers": SENDGRID_HEADERS,
            "from": "Ana García <ana@example.org>",
            "to": "replies+t0k3n@in.casasol.example.com",
            "cc": "Pedro <pedro@example.org>",
            "subject": "Re: ¿Sigue buscando casa?",
            "text": GMAIL_BODY,
            "html": "<div>Sí, el sábado a las 11 me queda bien.</div>",
            "envelope": json.dumps(
                {"to": ["replies+t0k3n@in.casasol.example.com"], "from": "ana@example.org"}
            ),
            "charsets": json.dumps({"to": "UTF-8", "text": "utf-8"}),
            "SPF": "pass",
            "attachments": "0",
        }
    )
    assert email.provider == "sendgrid"
    assert (email.sender, email.sender_name) == ("ana@example.org", "Ana García")
    assert email.recipients == ("replies+t0k3n@in.casasol.example.com", "pedro@example.org")
    assert email.subject == "Re: ¿Sigue buscando casa?"
    assert email.reply_text == "Sí, el sábado a las 11 me queda bien."
    assert email.message_id == "<CAJ1x=abc123@mail.gmail.com>"
    assert email.in_reply_to == "<5f2c@casasol.example.com>"
    assert email.references == ("<root1@casasol.example.com>", "<5f2c@casasol.example.com>")
    assert email.thread_ids() == ["<5f2c@casasol.example.com>", "<root1@casasol.example.com>"]
    assert email.reply_token(BASE) == "t0k3n"
    assert email.replay_key is None


def test_sendgrid_raw_mime_mode():
    raw = (
        "From: John Doe <john@example.org>\r\n"
        "To: replies+abc.123@in.casasol.example.com\r\n"
        "Subject: Re: 12 Palm Ct\r\n"
        "Message-ID: <m1@example.org>\r\n"
        "In-Reply-To: <out1@casasol.example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "\r\n"
        "Can we see it Friday?\r\n"
        "\r\n"
        "On Mon, Jan 5, 2026 at 10:02 AM Sam <sam@casasol.example.com> wrote:\r\n"
        "> Still looking?\r\n"
        "--b1\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n'
        "\r\n"
        "<p>Can we see it Friday?</p>\r\n"
        "--b1--\r\n"
    )
    email = parse_sendgrid({"email": raw, "envelope": json.dumps({"to": [], "from": ""})})
    assert email.sender == "john@example.org"
    assert email.reply_text == "Can we see it Friday?"
    assert email.html.strip() == "<p>Can we see it Friday?</p>"
    assert email.in_reply_to == "<out1@casasol.example.com>"
    assert email.reply_token(BASE) == "abc.123"


def test_mailgun_route_form():
    email = parse_mailgun(
        {
            "recipient": "replies+t0k3n@in.casasol.example.com",
            "sender": "bounce-ana@example.org",
            "from": "Ana García <ana@example.org>",
            "To": "María <replies+t0k3n@in.casasol.example.com>",
            "subject": "Re: ¿Sigue buscando casa?",
            "body-plain": GMAIL_BODY,
            "stripped-text": "Sí, el sábado a las 11 me queda bien.",
            "Message-Id": "<CAJ1x=abc123@mail.gmail.com>",
            "In-Reply-To": "<5f2c@casasol.example.com>",
            "References": "<root1@casasol.example.com> <5f2c@casasol.example.com>",
            "message-headers": json.dumps([["X-Mailgun-Spf", "Pass"], ["Subject", "ignored"]]),
            "timestamp": "1767625000",
            "token": "8b0a3f1c9d2e4b5a6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a",
            "signature": "x",
        }
    )
    assert email.provider == "mailgun"
    assert email.sender == "ana@example.org"
    assert email.recipients == ("replies+t0k3n@in.casasol.example.com",)
    assert email.subject == "Re: ¿Sigue buscando casa?"
    assert email.reply_text == "Sí, el sábado a las 11 me queda bien."
    assert email.message_id == "<CAJ1x=abc123@mail.gmail.com>"
    assert email.thread_ids() == ["<5f2c@casasol.example.com>", "<root1@casasol.example.com>"]
    assert email.reply_token(BASE) == "t0k3n"
    assert email.replay_key == "8b0a3f1c9d2e4b5a6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a"


def test_mailgun_threading_from_message_headers_only():
    email = parse_mailgun(
        {
            "recipient": "replies+zz@in.casasol.example.com",
            "sender": "ana@example.org",
            "body-plain": "Ok",
            "message-headers": json.dumps(
                [["Message-Id", "<a@x.org>"], ["In-Reply-To", "<b@casasol.example.com>"]]
            ),
        }
    )
    assert (email.message_id, email.in_reply_to) == ("<a@x.org>", "<b@casasol.example.com>")
    assert email.sender == "ana@example.org"


def test_html_only_reply_drops_the_blockquote():
    email = parse_mailgun(
        {
            "recipient": BASE,
            "sender": "ana@example.org",
            "body-html": (
                "<div dir='ltr'>Perfecto, &iexcl;gracias!</div><br>"
                "<div class='gmail_quote'><blockquote>Hola Ana, ...</blockquote></div>"
            ),
        }
    )
    assert email.reply_text == "Perfecto, ¡gracias!"
    assert email.reply_token(BASE) is None


SIGNING_KEY = "key-7b0a3f1c9d2e4b5a"
NOW = datetime(2026, 1, 5, 15, 16, 40, tzinfo=UTC)
TIMESTAMP = str(int(NOW.timestamp()) - 20)
TOKEN = "c5a3e1f2b9d84e7a6f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
SIGNATURE = hmac.new(SIGNING_KEY.encode(), (TIMESTAMP + TOKEN).encode(), hashlib.sha256).hexdigest()


def test_mailgun_signature_good():
    assert verify_mailgun_signature(SIGNING_KEY, TIMESTAMP, TOKEN, SIGNATURE, NOW)
    assert verify_mailgun_signature(SIGNING_KEY, TIMESTAMP, TOKEN, SIGNATURE, NOW.timestamp())


@pytest.mark.parametrize(
    ("key", "timestamp", "token", "signature"),
    [
        ("key-other", TIMESTAMP, TOKEN, SIGNATURE),
        (SIGNING_KEY, str(int(TIMESTAMP) + 1), TOKEN, SIGNATURE),
        (SIGNING_KEY, TIMESTAMP, TOKEN[:-1] + "f", SIGNATURE),
        (SIGNING_KEY, TIMESTAMP, TOKEN, SIGNATURE[:-1] + ("0" if SIGNATURE[-1] != "0" else "1")),
        (SIGNING_KEY, TIMESTAMP, TOKEN, ""),
        (SIGNING_KEY, "not-a-time", TOKEN, SIGNATURE),
    ],
)
def test_mailgun_signature_tampered(key, timestamp, token, signature):
    assert verify_mailgun_signature(key, timestamp, token, signature, NOW) is False


def test_mailgun_signature_stale_or_from_the_future():
    for offset in (301, -301):
        stamp = str(int(NOW.timestamp()) - offset)
        signed = hmac.new(SIGNING_KEY.encode(), (stamp + TOKEN).encode(), hashlib.sha256)
        assert not verify_mailgun_signature(SIGNING_KEY, stamp, TOKEN, signed.hexdigest(), NOW)
    assert verify_mailgun_signature(SIGNING_KEY, TIMESTAMP, TOKEN, SIGNATURE, NOW, max_age=20)
    assert not verify_mailgun_signature(SIGNING_KEY, TIMESTAMP, TOKEN, SIGNATURE, NOW, max_age=19)


def test_reply_addresses_round_trip():
    address = reply_address(BASE, "Ab-9_x.y=")
    assert address == "replies+Ab-9_x.y=@in.casasol.example.com"
    assert reply_token(address, BASE) == "Ab-9_x.y="
    assert reply_token("REPLIES+tok@IN.casasol.example.com", BASE) == "tok"
    assert reply_token("replies+tok@evil.example.com", BASE) is None
    assert reply_token("other+tok@in.casasol.example.com", BASE) is None
    assert reply_token(BASE, BASE) is None
    with pytest.raises(ValueError):
        reply_address(BASE, "bad token")
    with pytest.raises(ValueError):
        reply_address("no-at-sign", "tok")


def test_message_ids():
    assert message_ids("<a@x> <b@y>\r\n <c@z>") == ("<a@x>", "<b@y>", "<c@z>")
    assert message_ids("a@x") == ("<a@x>",)
    assert message_ids("") == ()
    assert message_ids(None) == ()
