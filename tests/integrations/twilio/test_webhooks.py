"""Signature checks against the `twilio` package's validator, inbound parsing, keywords."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from integrations.twilio.webhooks import (
    Media,
    compute_signature,
    keyword_action,
    parse_inbound_message,
    parse_status_callback,
    twiml_response,
    validate_signature,
)
from tests.support.twilio_standin import TwilioStandIn

TOKEN = "12345678901234567890123456789012"
URL = "https://brscale.example.com/webhooks/twilio/sms?tenant=casa-sol"
PARAMS = {
    "MessageSid": "SM" + "f" * 32,
    "AccountSid": "AC" + "0" * 32,
    "From": "+13055550123",
    "To": "+13055550100",
    "Body": "Sí, me interesa. ¿Cuándo?",
    "NumMedia": "0",
}
ORACLE = RequestValidator(TOKEN)


def test_signature_matches_twilio_for_a_realistic_inbound_form():
    assert compute_signature(URL, PARAMS, TOKEN) == ORACLE.compute_signature(URL, PARAMS)
    assert validate_signature(URL, PARAMS, ORACLE.compute_signature(URL, PARAMS), TOKEN)


def test_signature_matches_twilio_for_repeated_keys():
    form = FormData([("MediaUrl", "https://b"), ("Body", "x"), ("MediaUrl", "https://a")])
    expected = ORACLE.compute_signature(URL, form)
    assert compute_signature(URL, form, TOKEN) == expected
    assert compute_signature(URL, list(form.multi_items()), TOKEN) == expected
    assert validate_signature(URL, form, expected, TOKEN)


@given(
    st.dictionaries(st.text(min_size=1, max_size=12), st.text(max_size=40), max_size=8),
    st.text(max_size=20),
)
def test_signature_matches_twilio_for_any_params(params, path):
    url = f"https://hooks.example.com/{path}"
    assert compute_signature(url, params, TOKEN) == ORACLE.compute_signature(url, params)


def test_signature_over_the_url_with_or_without_the_default_port():
    signed_without = ORACLE.compute_signature("https://brscale.example.com/sms", PARAMS)
    signed_with = ORACLE.compute_signature("https://brscale.example.com:443/sms", PARAMS)
    assert validate_signature("https://brscale.example.com:443/sms", PARAMS, signed_without, TOKEN)
    assert validate_signature("https://brscale.example.com/sms", PARAMS, signed_with, TOKEN)


@pytest.mark.parametrize(
    ("url", "params", "signature"),
    [
        ("https://brscale.example.com/webhooks/twilio/sms?tenant=other", PARAMS, None),
        ("http://brscale.example.com/webhooks/twilio/sms?tenant=casa-sol", PARAMS, None),
        (URL, {**PARAMS, "Body": "STOP"}, None),
        (URL, {**PARAMS, "Extra": ""}, None),
        (URL, {k: v for k, v in PARAMS.items() if k != "NumMedia"}, None),
        (URL, PARAMS, RequestValidator("another-token").compute_signature(URL, PARAMS)),
        (URL, PARAMS, ""),
        (URL, PARAMS, "bm90IGEgc2lnbmF0dXJl"),
    ],
)
def test_tampered_requests_are_refused(url, params, signature):
    genuine = ORACLE.compute_signature(URL, PARAMS)
    assert (
        validate_signature(url, params, signature if signature is not None else genuine, TOKEN)
        is False
    )


def test_inbound_sms_from_the_standin_is_valid_and_parsed():
    standin = TwilioStandIn(auth_token=TOKEN)
    form, signature = standin.inbound(URL, "+13055550123", "+13055550100", "Baja")

    assert validate_signature(URL, form, signature, TOKEN)
    message = parse_inbound_message(form)
    assert message.from_ == "+13055550123"
    assert message.to == "+13055550100"
    assert message.body == "Baja"
    assert message.channel == "sms"
    assert message.message_sid == form["MessageSid"]
    assert message.keyword == "STOP"


def test_inbound_whatsapp_with_media():
    message = parse_inbound_message(
        {
            **PARAMS,
            "From": "whatsapp:+5215512345678",
            "To": "whatsapp:+13055550100",
            "NumMedia": "2",
            "MediaUrl0": "https://api.twilio.com/media/ME1",
            "MediaContentType0": "image/jpeg",
            "MediaUrl1": "https://api.twilio.com/media/ME2",
            "MediaContentType1": "application/pdf",
            "ProfileName": "Lupita",
        }
    )
    assert message.channel == "whatsapp"
    assert message.profile_name == "Lupita"
    assert message.media == (
        Media("https://api.twilio.com/media/ME1", "image/jpeg"),
        Media("https://api.twilio.com/media/ME2", "application/pdf"),
    )


def test_advanced_opt_out_verdict_wins_over_our_keywords():
    message = parse_inbound_message({**PARAMS, "Body": "Detener", "OptOutType": "STOP"})
    assert message.keyword == "STOP"


def test_a_form_without_a_message_sid_is_rejected():
    with pytest.raises(ValueError):
        parse_inbound_message({"From": "+1", "To": "+2", "Body": "hi"})
    with pytest.raises(ValueError):
        parse_status_callback({"MessageSid": "SM1"})


def test_status_callback_legacy_names():
    update = parse_status_callback({"SmsSid": "SM1", "SmsStatus": "Delivered"})
    assert (update.message_sid, update.status, update.error_code) == ("SM1", "delivered", None)


@pytest.mark.parametrize(
    ("body", "action"),
    [
        ("STOP", "STOP"),
        ("stop", "STOP"),
        ("  Stop.  ", "STOP"),
        ("Unsubscribe!", "STOP"),
        ("stopall", "STOP"),
        ("CANCEL", "STOP"),
        ("end", "STOP"),
        ("quit", "STOP"),
        ("OptOut", "STOP"),
        ("opt out", "STOP"),
        ("revoke", "STOP"),
        ("BAJA", "STOP"),
        ("baja.", "STOP"),
        ("¡Alto!", "STOP"),
        ("Parar", "STOP"),
        ("PÁRAR", "STOP"),
        ("No más", "STOP"),
        ("start", "START"),
        ("Yes", "START"),
        ("UNSTOP", "START"),
        ("Alta", "START"),  # the opt-in word our Spanish STOP confirmation names
        ("help", "HELP"),
        ("Info?", "HELP"),
        ("stop please", None),
        ("Please stop texting me", None),
        ("stopped by the house", None),
        ("Sí", None),
        ("", None),
        ("¿Cuándo puedo ver la casa?", None),
    ],
)
def test_keyword_action(body, action):
    assert keyword_action(body) == action


def test_twiml_response_escapes_the_reply():
    assert twiml_response() == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    assert twiml_response("Te damos de baja <OK> & adiós") == (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<Response><Message>Te damos de baja &lt;OK&gt; &amp; adiós</Message></Response>"
    )
