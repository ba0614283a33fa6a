"""`importLeadsCsv` over HTTP multipart: counts, rejected rows, dry runs, mappings, bad files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.leads.models import Lead, LeadImport
from app.leads.repository import leads_query
from app.leads.temperature import Temperature
from tests.conftest import Api, error_codes
from tests.leads.uploads import import_ok, upload_csv

FIXTURES = Path(__file__).parent.parent / "fixtures" / "csv"


async def leads(runtime: Runtime) -> list[Lead]:
    async with runtime.session() as session:
        return list((await session.execute(select(Lead).order_by(Lead.id))).scalars())


async def test_follow_up_boss_export_is_imported_with_every_rejected_row_explained(
    api: Api, runtime: Runtime, backend: str
) -> None:
    await api.sign_up()
    result = await import_ok(api, (FIXTURES / "fub.csv").read_bytes(), {"defaultRegion": "US"})

    assert result["status"] == "COMPLETED"
    assert (result["totalRows"], result["imported"], result["updated"], result["duplicates"]) == (
        3,
        2,
        0,
        0,
    )
    # Eve's quoted notes span lines 2-4, so Frank is on physical line 5. A Spanish
    # brokerage (the default) reads them in Spanish.
    assert result["errors"] == [
        {"line": 5, "column": None, "message": "Fila omitida: no tiene correo ni teléfono"},
        {
            "line": 6,
            "column": "Email 1",
            "message": 'El correo "gina@example" no es una dirección válida',
        },
    ]
    saved = [
        (lead.name, lead.email, lead.phone, lead.other_emails) for lead in await leads(runtime)
    ]
    assert saved == [
        ("Eve Adams", "eve@example.com", "+13055550103", ["eve.work@example.com"]),
        ("Gina Lopez", None, "+17865550104", []),
    ]
    assert not list((runtime.settings.data_dir / "imports").iterdir())  # the upload is removed


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "en",
            [
                'Phone "123" is not a valid phone number for region MX',
                "Row skipped: it has no valid email or phone number",
                'Date "pronto" is not a date we can read (expected dd/mm/yyyy)',
                'Budget "mucho" is not an amount of money',
            ],
        ),
        (
            "es",
            [
                'El teléfono "123" no es un número válido para la región MX',
                "Fila omitida: no tiene un correo ni un teléfono válidos",
                'La fecha "pronto" no se puede leer (se esperaba dd/mm/aaaa)',
                'El presupuesto "mucho" no es una cantidad de dinero',
            ],
        ),
    ],
)
async def test_row_errors_are_in_the_brokerage_language(
    api: Api, language: str, messages: list[str]
) -> None:
    await api.sign_up()
    await api.ok(
        "mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) { language } }",
        {"i": {"language": language, "defaultRegion": "MX"}},
    )
    content = (
        "Nombre,Teléfono,Último contacto,Presupuesto\n"
        "Ana,123,01/02/2024,2000000\n"
        "Luis,55 1234 5678,pronto,mucho\n"
    ).encode()

    result = await import_ok(api, content)

    assert [error["message"] for error in result["errors"]] == messages


async def test_spanish_excel_file_uses_the_brokerage_region(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    result = await import_ok(api, (FIXTURES / "spanish_excel.csv").read_bytes())
    assert (result["totalRows"], result["imported"]) == (3, 2)
    assert [e["line"] for e in result["errors"]] == [5, 6]
    assert [lead.phone for lead in await leads(runtime)] == ["+525512345678", "+523312345678"]


async def test_dry_run_shows_mapping_and_preview_and_writes_no_lead(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    result = await import_ok(
        api, (FIXTURES / "seed.csv").read_bytes(), {"dryRun": True, "defaultRegion": "US"}
    )
    assert result["status"] == "PREVIEW"
    assert result["mapping"] == [
        {"column": "Name", "field": "NAME"},
        {"column": "Email", "field": "EMAIL"},
        {"column": "Phone", "field": "PHONE"},
        {"column": "Last Contact", "field": "LAST_CONTACT"},
        {"column": "Status", "field": "STATUS"},
        {"column": "Notes", "field": "NOTES"},
        {"column": "Budget", "field": "BUDGET"},
        {"column": "Location", "field": "LOCATION"},
    ]
    assert result["preview"][0] == {
        "line": 2,
        "name": "Ana Smith",
        "email": "ana@example.com",
        "phone": "+13055550100",
        "lastContactAt": "2024-03-01T06:00:00+00:00",  # midnight in the brokerage's Mexico City
        "locations": ["Miami", "Brickell"],
        "minBudget": None,
        "maxBudget": 598000,
        "bedrooms": 3,
        "operation": "RENT",
        "language": "en",
    }
    assert [row["line"] for row in result["preview"]] == [2, 3, 6]
    assert [(e["line"], e["column"]) for e in result["errors"]] == [
        (3, "Phone"),
        (4, "Email"),
        (4, "Phone"),
        (4, None),
        (6, "Last Contact"),
        (6, "Budget"),
    ]
    assert await leads(runtime) == []


async def test_explicit_mapping_overrides_detection(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    content = b"Cliente VIP,Cel,Email,Otro\nAna,55 1234 5678,not-used@example.com,x\n"
    result = await import_ok(
        api,
        content,
        {
            "mapping": [
                {"column": "Cliente VIP", "field": "NAME"},
                {"column": "cel", "field": "PHONE"},
                {"column": "Email", "field": "IGNORE"},
            ]
        },
    )
    assert (result["imported"], result["errors"]) == (1, [])
    assert {"column": "Cliente VIP", "field": "NAME"} in result["mapping"]
    assert [(lead.name, lead.email, lead.phone) for lead in await leads(runtime)] == [
        ("Ana", None, "+525512345678")
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("binary.bin", "This file is not a CSV table (it looks like a binary file)"),
        ("empty.csv", "The file is empty"),
        (
            "no_header.csv",
            "We could not find a header row: none of the first rows names a column we know "
            "(such as Name, Email, Phone, Nombre, Correo or Teléfono)",
        ),
    ],
)
async def test_a_file_that_is_not_a_table_gets_one_clear_error(
    api: Api, runtime: Runtime, name: str, message: str
) -> None:
    await api.sign_up()
    body = await upload_csv(api, (FIXTURES / name).read_bytes())
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == message
    async with runtime.session() as session:
        assert (await session.execute(select(LeadImport))).first() is None
    assert not list((runtime.settings.data_dir / "imports").iterdir())


async def test_import_needs_a_signed_in_caller(api: Api) -> None:
    body = await upload_csv(api, (FIXTURES / "seed.csv").read_bytes())
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_temperature_of_imported_leads_is_for_today(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    today = utcnow()
    rows = [
        ("hot", today - timedelta(days=3)),
        ("warm", today - timedelta(days=45)),
        ("cold", today - timedelta(days=90)),
    ]
    content = "Name,Email,Last Contact\n" + "".join(
        f"{name},{name}@example.com,{when:%Y-%m-%d}\n" for name, when in rows
    )
    content += "never,never@example.com,\n"
    await import_ok(api, content.encode())
    found = {}
    async with runtime.session() as session:
        for temperature in Temperature:
            stmt = leads_query(1, temperature=temperature, search=None, now=utcnow())
            found[temperature] = sorted(lead.name for lead in (await session.scalars(stmt)))
    assert found == {
        Temperature.HOT: ["hot"],
        Temperature.WARM: ["warm"],
        Temperature.COLD: ["cold", "never"],
    }


async def test_a_dry_run_of_a_file_broken_in_its_first_rows_says_where(api: Api) -> None:
    await api.sign_up()
    broken = b'Name,Email\nAna,ana@example.com\nBob,"bob@example.com\n' + b"x" * 200_000
    result = await import_ok(api, broken, {"dryRun": True})
    # As the import would: the rows before the break are checked, then the dry run says where.
    assert (result["status"], result["totalRows"], result["imported"]) == ("FAILED", 1, 1)
    assert result["failure"].startswith("Line 3: the file stops being a readable")
