"""Segments counted as carriers bill them: GSM-7 (with its extension table) or UCS-2."""

from __future__ import annotations

import pytest

from app.messaging.segments import sms_encoding, sms_segments


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        # The extension table costs two septets a character...
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("{" + "a" * 158, 1),
        ("{" + "a" * 159, 2),
        # ...and an escape pair is never split across parts: 306 septets, three segments.
        ("a" * 152 + "€" + "a" * 152, 3),
        # One accent outside GSM makes the whole text UCS-2: 70, then 67 a part.
        ("á" * 70, 1),
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        ("Hola, ¿cómo está?" + "a" * 53, 1),
        ("Hola, ¿cómo está?" + "a" * 54, 2),
        # An emoji is a surrogate pair: two units, never split.
        ("😀" * 35, 1),
        ("😀" * 36, 2),
        ("aa" + "😀" * 34, 1),
        ("aaa" + "😀" * 34, 2),
        ("a" * 66 + "😀" + "a" * 66, 3),
    ],
)
def test_segments_are_counted_as_carriers_do(body: str, segments: int) -> None:
    assert sms_segments(body) == segments


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        ("Reply STOP to opt out", "GSM-7"),
        ("¿Sigue disponible? Año, niño, café: ñ é ü ¿ ¡ are GSM", "GSM-7"),
        ("Price: 5,200,000 MXN [approx] ~ €", "GSM-7"),
        ("Responda BAJA para no recibir más mensajes", "UCS-2"),
        ("recámaras", "UCS-2"),
        ("great 👍", "UCS-2"),
        ("ç is not GSM but Ç is", "UCS-2"),
    ],
)
def test_encoding_follows_the_gsm_alphabet(body: str, encoding: str) -> None:
    assert sms_encoding(body) == encoding
