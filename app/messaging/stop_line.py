"""The line a first text to a number carries to say how to stop (carriers and the TCPA ask for
it; CONVERSATION.md section 3): in the conversation's language, and in Spanish in the
brokerage's form of address. Later texts to the same number need not repeat it."""

from __future__ import annotations

STOP_LINES = {
    ("es", "TU"): "Responde BAJA para no recibir más mensajes",
    ("es", "USTED"): "Responda BAJA para no recibir más mensajes",
    ("en", "TU"): "Reply STOP to opt out",
    ("en", "USTED"): "Reply STOP to opt out",
}
# The longest of them, for a text that must leave room for whichever it gets.
LONGEST = max(STOP_LINES.values(), key=len)


def stop_line(language: str | None, formality: str | None = None) -> str:
    form = "USTED" if (formality or "").upper() == "USTED" else "TU"
    return STOP_LINES[("en" if language == "en" else "es", form)]


def stop_line_in(body: str) -> str | None:
    """The stop line a text ends with, if any."""
    last = body.rstrip().rpartition("\n")[2].strip()
    return last if last in STOP_LINES.values() else None


def with_stop_line(body: str, line: str) -> str:
    return body if stop_line_in(body) else f"{body.rstrip()}\n{line}"
