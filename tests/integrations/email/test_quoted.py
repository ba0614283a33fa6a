"""Quoted history and signatures removed from real-looking replies, English and Spanish."""

from __future__ import annotations

import pytest

from integrations.email.quoted import strip_quoted_reply

GMAIL_EN = """\
Yes, Saturday at 11 works for me.
Thanks!

On Mon, Jan 5, 2026 at 10:02 AM Sam Rivera <sam@casasol.example.com> wrote:

> Hi John,
> Are you still looking for a home in Coral Gables?
>
"""

GMAIL_ES_WRAPPED = """\
Sí, me interesa.

El lun, 5 ene 2026 a las 10:02, María López (<
maria@casasol.example.com>) escribió:

> Hola Ana:
> ¿Sigue buscando casa?
"""

OUTLOOK_EN = """\
Please call me after 5pm.

Get Outlook for iOS<https://aka.ms/o0ukef>
________________________________
From: Sam Rivera <sam@casasol.example.com>
Sent: Monday, January 5, 2026 10:02 AM
To: John Doe <john@example.org>
Subject: Still looking?

Hi John, are you still looking?
"""

OUTLOOK_ES = """\
Ya compramos, gracias.

De: María López <maria@casasol.example.com>
Enviado: lunes, 5 de enero de 2026 10:02
Para: Ana García <ana@example.org>
Asunto: ¿Sigue buscando casa?

Hola Ana, ¿sigue buscando casa?
"""

OUTLOOK_ORIGINAL_MESSAGE = """\
Not right now.

-----Original Message-----
From: Sam Rivera [mailto:sam@casasol.example.com]
Sent: Monday, January 5, 2026 10:02 AM
"""

OUTLOOK_ES_MENSAJE_ORIGINAL = """\
Ahora no, gracias.
-----Mensaje original-----
De: María López
Enviado el: lunes, 5 de enero de 2026 10:02
"""

APPLE_EN = """\
Can we see it Friday?

Sent from my iPhone

> On Jan 5, 2026, at 10:02 AM, Sam Rivera <sam@casasol.example.com> wrote:
>
> Hi John,
"""

APPLE_ES = """\
¿Tiene fotos de la cocina?

Enviado desde mi iPhone

El 5 ene 2026, a las 10:02, María López <maria@casasol.example.com> escribió:

Hola Ana,
"""

SIGNATURE = "Interested, send me the listing.\n\n-- \nJohn Doe\nSenior Accountant | ACME Corp\n"

INLINE_QUOTES = """\
> Are you still looking?
Yes.
> Which area?
Coral Gables or Coconut Grove.
"""


@pytest.mark.parametrize(
    ("body", "reply"),
    [
        (GMAIL_EN, "Yes, Saturday at 11 works for me.\nThanks!"),
        (GMAIL_ES_WRAPPED, "Sí, me interesa."),
        (OUTLOOK_EN, "Please call me after 5pm."),
        (OUTLOOK_ES, "Ya compramos, gracias."),
        (OUTLOOK_ORIGINAL_MESSAGE, "Not right now."),
        (OUTLOOK_ES_MENSAJE_ORIGINAL, "Ahora no, gracias."),
        (APPLE_EN, "Can we see it Friday?"),
        (APPLE_ES, "¿Tiene fotos de la cocina?"),
        (SIGNATURE, "Interested, send me the listing."),
        (INLINE_QUOTES, "Yes.\nCoral Gables or Coconut Grove."),
        (GMAIL_EN.replace("\n", "\r\n"), "Yes, Saturday at 11 works for me.\nThanks!"),
    ],
)
def test_quoted_history_is_removed(body, reply):
    assert strip_quoted_reply(body) == reply


@pytest.mark.parametrize(
    "body",
    [
        "On Monday we could meet at the house.\nEl sábado también puedo.",
        "De: parte de mi esposo, también nos interesa.\nGracias",
        "From: the listing I liked the pool.",
    ],
)
def test_ordinary_text_is_kept(body):
    assert strip_quoted_reply(body) == body
