"""How many segments a text costs, counted the way carriers bill it (3GPP TS 23.038).

A text in the GSM 7-bit alphabet fits 160 characters in one segment and 153 in each part of a
longer one (the rest of each part is the concatenation header); a character of the extension
table (€ [ ] { } ...) takes two septets, and carriers never split its escape from it. One
character outside the alphabet (á í ó ú, ¿ is fine, emoji are not) makes the whole text UCS-2:
70 UTF-16 units in one segment, 67 per part, a surrogate pair never split.
"""

from __future__ import annotations

from typing import Literal

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

Encoding = Literal["GSM-7", "UCS-2"]

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PART = {"GSM-7": 153, "UCS-2": 67}


def sms_encoding(body: str) -> Encoding:
    """GSM-7 when every character is in the GSM alphabet or its extension table, else UCS-2."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in body):
        return "GSM-7"
    return "UCS-2"


def _units(body: str, encoding: Encoding) -> list[int]:
    """The size of each character in the encoding's units (septets or UTF-16 code units)."""
    if encoding == "GSM-7":
        return [2 if char in GSM_EXTENSION else 1 for char in body]
    return [2 if ord(char) > 0xFFFF else 1 for char in body]


def sms_segments(body: str) -> int:
    """Segments a carrier bills for `body` (an empty text still costs one)."""
    encoding = sms_encoding(body)
    units = _units(body, encoding)
    if sum(units) <= SINGLE[encoding]:
        return 1
    part = PART[encoding]
    segments, used = 1, 0
    for size in units:  # a character (escape pair, surrogate pair) never straddles two parts
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return segments
