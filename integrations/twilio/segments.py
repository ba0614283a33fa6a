"""How many billed SMS segments a body takes: GSM-7 160/153, UCS-2 70/67."""

from __future__ import annotations

# GSM 03.38 basic character set (the escape 0x1B itself is not a printable character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs two septets (escape + character).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


def is_gsm7(body: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body)


def _unit_costs(body: str) -> list[int]:
    """Per-character cost in the encoding's units; a character never straddles two segments."""
    if is_gsm7(body):
        return [2 if ch in GSM7_EXTENSION else 1 for ch in body]
    # UCS-2 counts UTF-16 code units: characters outside the BMP (emoji) take a surrogate pair.
    return [2 if ord(ch) > 0xFFFF else 1 for ch in body]


def sms_segments(body: str) -> int:
    """Segments a carrier bills for `body` (0 for an empty body)."""
    if not body:
        return 0
    costs = _unit_costs(body)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if is_gsm7(body) else (UCS2_SINGLE, UCS2_MULTI)
    if sum(costs) <= single:
        return 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            segments, used = segments + 1, 0
        used += cost
    return segments
