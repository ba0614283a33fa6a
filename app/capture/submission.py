"""What a website form or a portal posted, read field by field (pure: no I/O).

Forms name their fields every way there is ("nombre", "Your Name", "telefono", "correo
electrónico"...), so names are folded (case, accents, punctuation) and looked up among aliases.
A honeypot field (hidden from people, filled in by bots) marks the post as spam.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.core.errors import BadUserInput
from app.core.text import fold

MAX_FIELDS = 60
MAX_VALUE = 2_000
MAX_MESSAGE = 5_000

_ALIASES = {
    "name": "name nombre full_name fullname nombre_completo your_name tu_nombre contact_name",
    "first_name": "first_name firstname first nombres given_name",
    "last_name": "last_name lastname last apellido apellidos surname family_name",
    "email": "email e_mail correo correo_electronico mail email_address your_email",
    "phone": "phone telefono tel celular movil mobile whatsapp phone_number cell your_phone",
    "message": "message mensaje comments comentarios comment notes notas inquiry consulta",
    "listing": "listing property propiedad property_id listing_id inmueble listing_url",
    "source": "source origen fuente utm_source",
    "language": "language idioma lang",
}
FIELD_OF = {alias: field for field, aliases in _ALIASES.items() for alias in aliases.split()}
HONEYPOTS = frozenset({"website", "gotcha", "hp", "url_confirm", "fax", "company_website"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def field_key(name: str) -> str:
    """'Correo Electrónico' -> 'correo_electronico'; '_gotcha' -> 'gotcha'."""
    return _NOT_WORD.sub("_", fold(name)).strip("_")


@dataclass(frozen=True)
class Submission:
    name: str
    email: str | None
    phone: str | None
    message: str
    listing: str | None
    source: str | None
    language: str | None
    spam: bool


def read_submission(fields: Mapping[str, object]) -> Submission:
    """The lead a post describes; BadUserInput (with the field) for one no form would send."""
    if len(fields) > MAX_FIELDS:
        raise BadUserInput(f"Too many fields ({len(fields)}); a capture form sends a few.")
    found: dict[str, str] = {}
    spam = False
    for raw_name, raw_value in fields.items():
        key = field_key(str(raw_name))
        value = "" if raw_value is None else str(raw_value).strip()
        if key in HONEYPOTS:
            spam = spam or bool(value)
            continue
        field = FIELD_OF.get(key)
        if field is None or not value:
            continue
        limit = MAX_MESSAGE if field == "message" else MAX_VALUE
        if len(value) > limit:
            raise BadUserInput(f"'{raw_name}' is longer than {limit} characters.")
        found.setdefault(field, value)
    name = found.get("name") or " ".join(
        part for part in (found.get("first_name"), found.get("last_name")) if part
    )
    language = (found.get("language") or "").lower()[:2] or None
    return Submission(
        name=name,
        email=found.get("email"),
        phone=found.get("phone"),
        message=found.get("message", ""),
        listing=found.get("listing"),
        source=found.get("source"),
        language=language if language in ("es", "en") else None,
        spam=spam,
    )
