"""Billed SMS segment counts."""

from __future__ import annotations

import pytest

from integrations.twilio.segments import sms_segments


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("ñÑüé¿¡" * 26 + "ab", 1),  # Spanish letters in GSM-7: 158 chars
        ("€" * 80, 1),  # extension characters count two septets: 160
        ("€" * 81, 2),
        ("a" * 159 + "{", 2),
        ("a" * 152 + "€" + "a" * 152, 3),  # the escape pair never straddles two segments
        ("á" * 70, 1),  # á is not GSM-7: UCS-2
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        ("¿Cómo está?", 1),
        ("😀" * 35, 1),  # surrogate pairs: 70 code units
        ("😀" * 36, 2),
    ],
)
def test_sms_segments(body, segments):
    assert sms_segments(body) == segments
