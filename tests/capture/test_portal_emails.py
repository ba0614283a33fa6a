"""Portals' inquiry e-mails, forwarded to the brokerage's capture address, become leads tied to
the listing they ask about, whatever the portal's layout."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Api

LISTINGS = [
    {"title": "Depa en Polanco", "location": "Polanco", "price": 5_000_000, "operation": "SALE"},
    {"title": "Casa en Coyoacán", "location": "Coyoacán", "price": 28_000, "operation": "RENT"},
]

INMUEBLES24 = (
    "Inmuebles24 <notificaciones@inmuebles24.com>",
    'Nuevo contacto para tu aviso "Depa en Polanco"',
    """¡Tienes un nuevo interesado en tu aviso!

Aviso: Depa en Polanco
Código del aviso: 58392012

Datos del interesado
Nombre: María José Ríos
Email: mariajose.rios@gmail.com
Teléfono: 55 3456 7890

Mensaje:
Hola, me interesa este inmueble. ¿Aceptan crédito Infonavit?

Responde rápido: los interesados que reciben respuesta en la primera hora compran más.
""",
)
VIVANUNCIOS = (
    "Vivanuncios <no-reply@vivanuncios.com.mx>",
    "Alguien está interesado en tu anuncio: Casa en Coyoacán",
    """Nombre
Roberto Salas
Correo electrónico
roberto.salas@hotmail.com
Teléfono
5512345678
Comentarios
Buenas tardes, ¿la casa sigue disponible? Me gustaría agendar una visita.
""",
)
# Forwarded by the broker from their own mailbox: the portal is only named in the text.
LAMUDI_FORWARDED = (
    "Jorge Ramírez <jorge@casaana.mx>",
    "Fwd: Lamudi: nueva consulta sobre Depa en Polanco",
    """---------- Forwarded message ---------
De: Lamudi <avisos@lamudi.com.mx>
Tienes una nueva consulta en Lamudi.
Propiedad: Depa en Polanco - $5,000,000
Nombre del interesado: Ana Gómez
Teléfono de contacto: +52 1 55 9876 5432
Mensaje del interesado: Quiero saber el costo de mantenimiento.
Responder a ana.gomez@yahoo.com.mx
""",
)
ZILLOW = (
    "Zillow <noreply@mail.zillow.com>",
    "New Contact from Zillow",
    """You have a new contact from Zillow!

Listing: Depa en Polanco
Name: John Smith
Phone: (305) 555-0142
Email: john.smith@example.com
Message: I'd like to schedule a tour this weekend.
""",
)


def _mailgun(to: str, sender: str, subject: str, body: str, token: str) -> dict[str, str]:
    return {
        "recipient": to,
        "sender": sender,
        "from": sender,
        "subject": subject,
        "body-plain": body,
        "timestamp": "1765000000",
        "token": token,
        "signature": "",
        "message-headers": json.dumps([["Message-Id", f"<{token}@mail.example>"]]),
    }


async def _leads(api: Api) -> dict[str, dict[str, Any]]:
    data = await api.ok(
        "{ leads(first: 50) { edges { node { name email phone source notes "
        "preferences { locations operation } } } } }"
    )
    return {e["node"]["email"]: e["node"] for e in data["leads"]["edges"]}


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_inquiry_emails_from_four_portals_become_leads_on_their_listings(
    api: Api, backend: str
) -> None:
    await api.sign_up()
    for listing in LISTINGS:
        await api.ok(
            "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": listing}
        )
    address = (await api.ok("{ brokerage { captureEmail } }"))["brokerage"]["captureEmail"]
    assert address.startswith("leads+")

    for n, (sender, subject, body) in enumerate(
        [INMUEBLES24, VIVANUNCIOS, LAMUDI_FORWARDED, ZILLOW, INMUEBLES24]  # the last: a replay
    ):
        token = f"t{min(n, 3) if n < 4 else 0}"
        response = await api.client.post(
            "/capture/email", data=_mailgun(address, sender, subject, body, token)
        )
        assert response.status_code == 200

    leads = await _leads(api)
    assert sorted(leads) == [
        "ana.gomez@yahoo.com.mx",
        "john.smith@example.com",
        "mariajose.rios@gmail.com",
        "roberto.salas@hotmail.com",
    ]
    maria = leads["mariajose.rios@gmail.com"]
    assert (maria["name"], maria["phone"], maria["source"]) == (
        "María José Ríos",
        "+525534567890",
        "Inmuebles24",
    )
    assert maria["notes"] == (
        "Hola, me interesa este inmueble. ¿Aceptan crédito Infonavit?\nPreguntó por: Depa en Polanco"
    )
    assert maria["preferences"] == {"locations": ["Polanco"], "operation": "BUY"}
    roberto = leads["roberto.salas@hotmail.com"]
    assert (roberto["name"], roberto["phone"], roberto["source"]) == (
        "Roberto Salas",
        "+525512345678",
        "Vivanuncios",
    )
    assert roberto["preferences"] == {"locations": ["Coyoacán"], "operation": "RENT"}
    ana = leads["ana.gomez@yahoo.com.mx"]
    assert (ana["name"], ana["phone"], ana["source"]) == ("Ana Gómez", "+525598765432", "Lamudi")
    assert ana["notes"].endswith("Preguntó por: Depa en Polanco")
    john = leads["john.smith@example.com"]
    assert (john["name"], john["source"], john["phone"]) == ("John Smith", "Zillow", "+13055550142")


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_mail_to_an_unknown_address_or_without_contact_details_creates_nothing(
    api: Api, backend: str
) -> None:
    await api.sign_up()
    address = (await api.ok("{ brokerage { captureEmail } }"))["brokerage"]["captureEmail"]
    stranger = address.replace("leads+", "leads+nope")
    no_contact = "Nombre: Alguien\nMensaje: hola"

    one = await api.client.post("/capture/email", data=_mailgun(stranger, *ZILLOW, token="a"))
    two = await api.client.post(
        "/capture/email", data=_mailgun(address, "x@y.mx", "Hola", no_contact, token="b")
    )

    assert (one.status_code, two.status_code) == (200, 200)
    assert await _leads(api) == {}


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_phone_the_brokerage_cannot_read_goes_to_the_notes_and_the_lead_stays(
    api: Api, backend: str
) -> None:
    await api.sign_up()
    key = (await api.ok("{ brokerage { captureKey } }"))["brokerage"]["captureKey"]

    response = await api.client.post(
        f"/capture/{key}", json={"name": "Li Wei", "email": "li@example.cn", "phone": "12345"}
    )

    assert response.status_code == 201
    (lead,) = (await _leads(api)).values()
    assert (lead["phone"], lead["notes"]) == (None, "Teléfono (sin validar): 12345")
