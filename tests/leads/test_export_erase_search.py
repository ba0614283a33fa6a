"""Leads leave as a CSV a spreadsheet opens safely; an erased lead never comes back into outreach;
search finds names and listings whatever their accents and case, both ways, on both databases."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import func, select

from app.conversations.models import Conversation
from app.core.runtime import Runtime
from app.leads.models import Lead, Suppression
from app.messaging.models import Message
from graphql_schema.relay import encode_id
from tests.conftest import Api, error_codes
from tests.leads.test_import_dry_run import upload
from tests.support.jobs import drain_jobs

CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id name } }"
ERASE = "mutation($id: ID!) { eraseLead(id: $id) { erasedId } }"


async def test_an_export_opens_as_csv_with_formulas_inert(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    await upload(
        api,
        (
            "Name,Email,Phone,Notes,Tags\n"
            '"=HYPERLINK(""http://evil.example"",""win"")",evil@example.com,,'
            '"@SUM(1+1)*cmd|\' /C calc\'!A0","-2+3"\n'
            "José Núñez,jose@example.com,+52 55 1234 5678,\tTab first,vip\n"
        ).encode(),
    )
    response = await api.client.get(
        "/exports/leads.csv", headers={"Authorization": f"Bearer {api.token}"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [
        (r["Name"], r["Email"], r["Phone"], r["Notes"], r["Tags"], r["Temperature"]) for r in rows
    ] == [
        (
            '\'=HYPERLINK("http://evil.example","win")',
            "evil@example.com",
            "",
            "'@SUM(1+1)*cmd|' /C calc'!A0",
            "'-2+3",
            "COLD",
        ),
        ("José Núñez", "jose@example.com", "'+525512345678", "Tab first", "vip", "COLD"),
    ]
    # No cell of the file starts with a character a spreadsheet would evaluate.
    every_cell = [cell for row in rows for cell in row.values()]
    assert not [c for c in every_cell if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


async def test_an_export_needs_leads_read(api: Api) -> None:
    assert (await api.client.get("/exports/leads.csv")).status_code == 401
    await api.sign_up()
    key = await api.ok(
        'mutation { createApiKey(input: {name: "props", scopes: ["properties:read"]}) { secret } }'
    )
    refused = await api.client.get(
        "/exports/leads.csv",
        headers={"Authorization": f"Bearer {key['createApiKey']['secret']}"},
    )
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_erased_lead_is_gone_and_a_reimport_does_not_message_it(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    content = (
        "Nombre,Correo,Teléfono,Zona,Presupuesto\n"
        "Ana Ruiz,ana@example.com,55 1234 5678,Polanco,5M\n"
        "Beto Gil,beto@example.com,55 8765 4321,Polanco,5M\n"
    ).encode()
    await upload(api, content)
    await api.ok(
        'mutation { createProperty(input: {title: "Casa en Polanco", location: "Polanco", '
        "price: 5000000, operation: SALE, bedrooms: 3}) { id } }"
    )
    await drain_jobs(runtime)
    async with runtime.session() as session:
        ana = await session.scalar(select(Lead).where(Lead.email == "ana@example.com"))
        assert ana is not None
        ana_messages = await session.scalar(
            select(func.count()).select_from(Message).where(Message.lead_id == ana.id)
        )
    assert ana_messages > 0  # the campaign reached her before she asked to be erased

    erased = await api.ok(ERASE, {"id": encode_id("Lead", ana.id)})
    assert erased["eraseLead"]["erasedId"] == encode_id("Lead", ana.id)

    async with runtime.session() as session:
        assert await session.get(Lead, ana.id) is None
        left = await session.scalar(
            select(func.count()).select_from(Message).where(Message.lead_id == ana.id)
        )
        conversations = await session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.lead_id == ana.id)
        )
        digests = list((await session.execute(select(Suppression.digest))).scalars())
    assert (left, conversations) == (0, 0)
    assert len(digests) == 2 and not any("ana" in d for d in digests)  # hashes, not addresses

    # The broker imports the same old export again, then lists a new property.
    again = await upload(api, content)
    assert (again["imported"], again["rejectedRows"]) == (0, 1)
    assert again["errors"] == [
        {
            "line": 2,
            "column": None,
            "cell": None,
            "message": "Fila omitida: el lead de esta persona se borró a petición suya y no se"
            " le debe volver a contactar",
        }
    ]
    await api.ok(
        'mutation { createProperty(input: {title: "Depa en Polanco", location: "Polanco", '
        "price: 4800000, operation: SALE, bedrooms: 2}) { id } }"
    )
    await drain_jobs(runtime)
    async with runtime.session() as session:
        reached = set(
            (
                await session.execute(select(Lead.email).join(Message, Message.lead_id == Lead.id))
            ).scalars()
        )
    assert reached == {"beto@example.com"}

    # A form or a partner cannot bring her back either, by email or by phone.
    for contact in ({"email": "ANA@example.com"}, {"phone": "+52 55 1234 5678"}):
        body = await api(CREATE_LEAD, {"i": {"name": "Ana", **contact}})
        assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_erasing_another_brokerages_lead_is_not_found(api: Api) -> None:
    await api.sign_up()
    created = await api.ok(CREATE_LEAD, {"i": {"name": "Ana", "email": "ana@example.com"}})
    await api.sign_up("other@example.com", "Otra")
    body = await api(ERASE, {"id": created["createLead"]["id"]})
    assert error_codes(body) == ["NOT_FOUND"]


LEADS = "query($s: String) { leads(search: $s) { edges { node { name } } } }"
PROPERTIES = "query($s: String) { properties(search: $s) { edges { node { title } } } }"


def names(data: dict[str, Any], field: str, key: str) -> set[str]:
    return {edge["node"][key] for edge in data[field]["edges"]}


async def test_search_ignores_accents_and_case_both_ways(
    api: Api, runtime: Runtime, backend: str
) -> None:
    await api.sign_up()
    for i, name in enumerate(("Sánchez López", "Ana Sanchez", "MARTÍNEZ", "Peña Nieto", "Otro")):
        await api.ok(CREATE_LEAD, {"i": {"name": name, "email": f"l{i}@example.com"}})
    for search, found in (
        ("sanchez", {"Sánchez López", "Ana Sanchez"}),
        ("sánchez", {"Sánchez López", "Ana Sanchez"}),
        ("SÁNCHEZ", {"Sánchez López", "Ana Sanchez"}),
        ("martinez", {"MARTÍNEZ"}),
        ("Martínez", {"MARTÍNEZ"}),
        ("pena", {"Peña Nieto"}),
        ("PEÑA", {"Peña Nieto"}),
        ("100%", set()),
    ):
        assert names(await api.ok(LEADS, {"s": search}), "leads", "name") == found, search

    for title, place in (("Casa en Querétaro", "Juriquilla"), ("Depa", "Benito Juárez")):
        await api.ok(
            "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }",
            {
                "i": {
                    "title": title,
                    "location": place,
                    "price": 3000000,
                    "operation": "SALE",
                    "bedrooms": 2,
                }
            },
        )
    for search, found in (
        ("queretaro", {"Casa en Querétaro"}),
        ("QUERÉTARO", {"Casa en Querétaro"}),
        ("juarez", {"Depa"}),
        ("Juárez", {"Depa"}),
        ("lomas", set()),
    ):
        assert names(await api.ok(PROPERTIES, {"s": search}), "properties", "title") == found
