"""Inquiry e-mails that portals send to the broker, read into a capture submission (pure).

Inmuebles24, Vivanuncios, Lamudi and Zillow e-mail the broker a notification per inquiry: who
asked (name, e-mail, phone), what they wrote, and which listing. The broker forwards these (or
points the portal's contact address) to the brokerage's capture address, `leads+KEY@...`.
Their layouts differ and change, so the reader does not depend on one: it takes every
"Label: value" line (and a label on its own line followed by its value), maps the labels with
the capture form's aliases, and finds the portal by the sender's domain or its name in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.capture.submission import FIELD_OF, Submission, field_key, read_submission
from app.core.text import fold

PORTALS = {
    "inmuebles24": "Inmuebles24",
    "vivanuncios": "Vivanuncios",
    "lamudi": "Lamudi",
    "zillow": "Zillow",
    "propiedades.com": "Propiedades.com",
    "segundamano": "Segundamano",
}
# Where a portal's leads dial from, for numbers written without a country code.
PORTAL_REGIONS = {"Zillow": "US"}
# Portal notification labels beyond the form aliases.
_EXTRA_LABELS = {
    "nombre_del_interesado": "name",
    "interesado": "name",
    "contacto": "name",
    "from": "name",
    "lead_name": "name",
    "correo_del_interesado": "email",
    "email_del_interesado": "email",
    "telefono_del_interesado": "phone",
    "telefono_de_contacto": "phone",
    "phone_number": "phone",
    "comentario": "message",
    "comentarios_del_interesado": "message",
    "mensaje_del_interesado": "message",
    "their_message": "message",
    "aviso": "listing_title",
    "anuncio": "listing_title",
    "inmueble": "listing_title",
    "propiedad": "listing_title",
    "property": "listing_title",
    "listing": "listing_title",
    "titulo_del_aviso": "listing_title",
    "direccion": "listing_title",
    "address": "listing_title",
}
_LINE = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s*(.*?)\s*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Inquiry:
    submission: Submission
    portal: str | None
    listing_hint: str  # subject and the listing line(s): where the listing is named

    @property
    def phone_region(self) -> str | None:
        return PORTAL_REGIONS.get(self.portal or "")


def _portal(sender: str, text: str) -> str | None:
    haystack = fold(f"{sender} {text[:2000]}")
    return next((name for key, name in PORTALS.items() if key in haystack), None)


def _label(name: str) -> str | None:
    key = field_key(name)
    return _EXTRA_LABELS.get(key) or FIELD_OF.get(key)


def read_inquiry(sender: str, subject: str, text: str) -> Inquiry:
    """The lead an inquiry e-mail describes; BadUserInput when it names no way to reach them."""
    fields: dict[str, str] = {}
    listing_lines: list[str] = []
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    pending: str | None = None  # a label alone on its line: its value is on the next one
    for line in lines:
        if not line:
            continue
        match = _LINE.match(line)
        if match is not None and (label := _label(match.group(1))) is not None:
            value = match.group(2)
            if not value:
                pending = label
                continue
            pending = None
        elif pending is not None:
            label, value, pending = pending, line, None
        else:
            pending = _label(line) if len(line) <= 40 else None
            continue
        if label in ("listing_title", "listing"):
            listing_lines.append(value)
        else:
            fields.setdefault(label, value)
    if "email" not in fields:
        # Some notifications only show the address as a mailto link or in passing.
        own = fold(sender)
        found = [
            address
            for address in _EMAIL.findall(text)
            if fold(address) != own
            and "noreply" not in address.lower()
            and not any(portal in address.lower() for portal in PORTALS)
        ]
        if found:
            fields["email"] = found[0]
    portal = _portal(sender, f"{subject}\n{text}")
    submission = read_submission({**fields, "source": portal or "EMAIL"})
    return Inquiry(submission, portal, "\n".join([subject, *listing_lines]))
