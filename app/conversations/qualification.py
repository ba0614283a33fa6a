"""Qualification a broker recognises: explicit signals with points, kept as a breakdown.

Pure, no I/O. Each signal counts once per conversation (saying "crédito aprobado" twice does
not make a lead twice as qualified); the score is the sum, capped at 100, and a refusal or a
stop caps it. Financing, a timeline and a viewing together (30 + 25 + 25) qualify a lead
(above 75), as a broker would say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from app.conversations.intents import Intent
from app.core.text import fold

POINTS: dict[str, int] = {
    "financing": 30,  # mortgage approved, or paying cash
    "timeline": 25,  # "este mes", "antes de diciembre", "this month"
    "viewing_requested": 25,
    "viewing_confirmed": 30,
    "budget_confirmed": 15,  # the price fits what they said they can pay
    "interested": 10,
    "quick_reply": 10,  # answered within the hour
}
QUICK_REPLY = timedelta(hours=1)

_MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre"
    "|diciembre|january|february|march|april|may|june|july|august|september|october|november"
    "|december|fin de ano|end of the year|navidad|christmas"
)
_FINANCING = re.compile(
    r"\b(?:credito|hipoteca|prestamo|financiamiento|infonavit|fovissste)\w*"
    r"(?: \w+){0,3} (?:aprobad|autorizad|preaprobad|pre-aprobad|listo)\w*"
    r"|\b(?:pre-?aprobad|preautorizad)\w*"
    r"|\b(?:ya (?:tengo|tenemos|nos dieron|me dieron|nos aprobaron|me aprobaron)"
    r"|(?:ya )?(?:contamos con|cuento con)) (?:el |mi |nuestro |un )?(?:credito|hipoteca|prestamo)"
    r"|\bwe (?:have|got) (?:the |our |a )?(?:mortgage|loan|financing)\b"
    r"|\b(?:de|al) contado\b|\ben efectivo\b"
    r"|\bpre-?approved\b|\b(?:mortgage|loan|financing) (?:is |was )?approved\b"
    r"|\bapproved for (?:a |the )?(?:mortgage|loan)\b|\b(?:paying|pay|in|all) cash\b"
    r"|\bcash buyer\b"
)
_TIMELINE = re.compile(
    r"\b(?:este|el proximo|el siguiente) mes\b|\bel mes que entra\b|\besta semana\b"
    r"|\bantes de(?:l)? (?:" + _MONTHS + r")\b|\bpara (?:" + _MONTHS + r")\b"
    r"|\blo antes posible\b|\bcuanto antes\b|\burge\w*|\bcerrar (?:ya|pronto|rapido)\b"
    r"|\bthis (?:month|week)\b|\bnext month\b|\bbefore (?:" + _MONTHS + r")\b"
    r"|\bby (?:" + _MONTHS + r")\b|\basap\b|\bas soon as possible\b|\bright away\b"
    r"|\bwithin (?:a|\d+|one|two|three) (?:days?|weeks?|months?)\b"
    r"|\ben (?:\d+|una|dos|tres) (?:semanas?|meses)\b"
)
_BUDGET = re.compile(
    r"\bdentro de (?:mi|nuestro) presupuesto\b|\bme alcanza\b|\bnos alcanza\b"
    r"|\b(?:el precio|la renta) (?:esta|me parece|se me hace) (?:bien|bueno|justo|razonable)"
    r"|\bentra en (?:mi|nuestro) presupuesto\b"
    r"|\b(?:fits|within|in) (?:my|our) budget\b|\b(?:the )?(?:price|rent) (?:is|looks|seems) "
    r"(?:fine|ok|okay|good|fair|right)\b|\bwe can afford\b|\bi can afford\b"
)


def signals_in(text: str) -> dict[str, str]:
    """The signals a message states, each with the words that stated it."""
    folded = fold(text)
    found: dict[str, str] = {}
    for name, pattern in (
        ("financing", _FINANCING),
        ("timeline", _TIMELINE),
        ("budget_confirmed", _BUDGET),
    ):
        match = pattern.search(folded)
        if match:
            found[name] = match.group(0)
    return found


def update(
    breakdown: Mapping[str, int],
    text: str,
    intent: Intent,
    *,
    replied_at: datetime | None = None,
    last_sent_at: datetime | None = None,
) -> dict[str, int]:
    """The breakdown after this reply: new signals added with their points, old ones kept."""
    updated = dict(breakdown)
    if intent in (Intent.OPT_OUT, Intent.NOT_INTERESTED):
        return updated  # the cap in `score` says it; the history stays for the broker
    names = set(signals_in(text))
    if intent is Intent.VIEWING_REQUEST:
        names.add("viewing_requested")
    if intent in (Intent.INTERESTED, Intent.VIEWING_REQUEST):
        names.add("interested")
    if (
        replied_at is not None
        and last_sent_at is not None
        and timedelta(0) <= replied_at - last_sent_at <= QUICK_REPLY
    ):
        names.add("quick_reply")
    for name in names:
        updated.setdefault(name, POINTS[name])
    return updated


def with_signal(breakdown: Mapping[str, int], name: str) -> dict[str, int]:
    """The breakdown with one more signal the agent saw happen (a viewing confirmed), kept
    once like every signal."""
    return {**breakdown, name: breakdown.get(name, POINTS[name])}


def score(breakdown: Mapping[str, int], intent: Intent | None = None) -> int:
    """The qualification score: the signals' points, at most 100; a refusal caps it at 10 and
    a stop at 0."""
    total = min(100, sum(int(points) for points in breakdown.values()))
    if intent is Intent.OPT_OUT:
        return 0
    if intent is Intent.NOT_INTERESTED:
        return min(total, 10)
    return total
