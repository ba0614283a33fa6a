"""Excel and Google Sheets workbooks import like CSVs: same mapping, dry run and errors, with cells."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from app.core.runtime import Runtime
from app.leads.models import Lead
from app.leads.xlsx_reader import read_workbook
from tests.conftest import Api
from tests.leads.test_import_dry_run import COUNTS, upload


def workbook(sheets: dict[str, list[list[Any]]], *, start: str = "A1") -> bytes:
    """An .xlsx with these sheets, each table's top-left cell at `start`."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    first_row = int(start[1:])
    first_column = ord(start[0]) - 64
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(row=first_row + r, column=first_column + c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# A Mexican broker's sheet: a title above the table, which starts at column B; phones typed as
# numbers, dates as date cells; a bad email in D7, a row with no contact on row 9.
SPANISH = [
    ["Cartera de clientes 2025"],
    [],
    ["Nombre", "Teléfono", "Correo electrónico", "Último contacto", "Zonas", "Presupuesto"],
    ["Juan Pérez", 5512345678, "juan@example.com", dt.date(2025, 3, 1), "Roma Norte", "3.5M"],
    ["María López", 3312345678, "maria@example.com", dt.datetime(2025, 2, 1, 10, 30), "Polanco", None],
    ["Juan Pérez", 5598765432, "JUAN@example.com", None, None, "2-3 millones"],
    ["Luis Gómez", None, "luis@@example", None, None, None],
    ["Ana Ruiz", "55 1111 2222", None, "ayer no", None, None],
    ["Sin contacto", None, None, None, "Condesa", None],
]  # fmt: skip
ENGLISH = [
    ["First Name", "Last Name", "Email", "Phone Number", "Lead Status"],
    ["Ann", "Lee", "ann@example.com", "+1 305 555 0100", "New"],
    ["Bob", "Ray", "bob@example", None, "Open"],
]


async def test_an_xlsx_dry_run_names_cells_and_its_counts_are_the_imports(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    content = workbook({"Clientes": SPANISH, "Otra": ENGLISH}, start="B1")

    dry = await upload(api, content, {"dryRun": True}, filename="clientes.xlsx")
    assert (dry["status"], dry["dryRun"]) == ("PREVIEW", True)
    assert dry["mapping"] == [
        {"column": "Nombre", "field": "FIRST_NAME"},
        {"column": "Teléfono", "field": "PHONE"},
        {"column": "Correo electrónico", "field": "EMAIL"},
        {"column": "Último contacto", "field": "LAST_CONTACT"},
        {"column": "Zonas", "field": "LOCATION"},
        {"column": "Presupuesto", "field": "BUDGET"},
    ]
    assert [(e["line"], e["cell"], e["column"]) for e in dry["errors"]] == [
        (7, "D7", "Correo electrónico"),
        (7, None, None),
        (8, "E8", "Último contacto"),
        (9, None, None),
    ]
    assert dry["errors"][0]["message"] == 'El correo "luis@@example" no es una dirección válida'
    assert {k: dry[k] for k in COUNTS} == {
        "totalRows": 6,
        "imported": 3,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 1,
        "errorCount": 4,
        "rejectedRows": 2,
    }
    assert [(m["line"], m["sameAsLine"]) for m in dry["merges"]] == [(6, 4)]

    real = await upload(api, content, filename="clientes.xlsx")
    assert {k: real[k] for k in COUNTS} == {k: dry[k] for k in COUNTS}
    assert real["errors"] == dry["errors"]
    async with runtime.session() as session:
        saved = list((await session.execute(select(Lead).order_by(Lead.id))).scalars())
    assert [(lead.name, lead.email, lead.phone) for lead in saved] == [
        ("Juan Pérez", "juan@example.com", "+525512345678"),
        ("María López", "maria@example.com", "+523312345678"),
        ("Ana Ruiz", None, "+525511112222"),
    ]
    assert saved[0].other_phones == ["+525598765432"]  # row 6 merged into row 4's lead
    assert saved[0].last_contact_at is not None
    assert saved[0].last_contact_at.date() == dt.date(2025, 3, 1)
    assert saved[0].locations == ["Roma Norte"]


async def test_the_sheet_named_in_the_options_is_imported(api: Api) -> None:
    await api.sign_up()
    content = workbook({"Clientes": SPANISH, "Otra": ENGLISH})
    result = await upload(api, content, {"sheet": "otra", "defaultRegion": "US"}, "export")
    assert (result["status"], result["imported"]) == ("COMPLETED", 1)
    assert [(e["line"], e["cell"]) for e in result["errors"]] == [(3, "C3"), (3, None)]

    body = await api.client.post(
        "/graphql",
        data={
            "operations": '{"query": "mutation($f: Upload!) { importLeadsCsv(file: $f, '
            'options: {sheet: \\"Ventas\\"}) { id } }", "variables": {"f": null}}',
            "map": '{"0": ["variables.f"]}',
        },
        files={"0": ("leads.xlsx", content, "application/octet-stream")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    error = body.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (
        error["message"] == 'The workbook has no sheet "Ventas"; its sheets are: "Clientes", "Otra"'
    )


async def test_a_zip_that_is_not_a_workbook_is_refused_clearly(api: Api) -> None:
    import zipfile

    await api.sign_up()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("leads.csv", "Name,Email\nAna,ana@example.com\n")
    body = await api.client.post(
        "/graphql",
        data={
            "operations": '{"query": "mutation($f: Upload!) { importLeadsCsv(file: $f) { id } }",'
            ' "variables": {"f": null}}',
            "map": '{"0": ["variables.f"]}',
        },
        files={"0": ("leads.csv", out.getvalue(), "text/csv")},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    error = body.json()["errors"][0]
    assert error["message"] == "This file is a zip archive, not an Excel workbook or a CSV table"


def test_cells_read_as_the_broker_sees_them_in_both_date_systems() -> None:
    rows = [
        ["Nombre", "Teléfono", "Activo", "Alta", "Última llamada", "Presupuesto", "Hora"],
        ["Ana Ruiz", 5512345678, True, dt.date(2025, 3, 1), dt.datetime(2025, 2, 1, 10, 30),
         3_500_000.5, dt.time(9, 15)],
        [None, "55 1111 2222", False, None, None, 0, None],
    ]  # fmt: skip
    for epoch in (openpyxl.utils.datetime.CALENDAR_WINDOWS_1900,
                  openpyxl.utils.datetime.CALENDAR_MAC_1904):  # fmt: skip
        book = openpyxl.Workbook()
        book.epoch = epoch
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        table = read_workbook(io.BytesIO(out.getvalue()), max_bytes=1 << 20)
        assert table.headers == rows[0]
        # (trailing blank cells dropped: a sheet's range may pad a row with them)
        assert [(line, _trimmed(cells)) for line, cells in table.rows] == [
            (2, ["Ana Ruiz", "5512345678", "TRUE", "2025-03-01", "2025-02-01 10:30:00",
                 "3500000.5", "09:15:00"]),
            (3, ["", "55 1111 2222", "FALSE", "", "", "0"]),
        ]  # fmt: skip


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


_PEAK = """
import sys
from pathlib import Path
from app.leads.xlsx_reader import read_workbook

def peak_kb():
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))

before = peak_kb()
table = read_workbook(sys.argv[1], max_bytes=50 << 20)
print(sum(1 for _ in table.rows), peak_kb() - before)
"""


def test_a_big_sheet_is_read_in_memory_that_does_not_grow_with_its_rows(tmp_path: Path) -> None:
    """A broker's 20,000-row workbook takes no more memory to read than a 2,000-row one (the
    whole sheet used to be loaded first: about 10 MB more per 20,000 rows of six columns)."""
    grown = {}
    for count in (2_000, 20_000):
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Clientes")
        sheet.append(["Nombre", "Teléfono", "Correo", "Notas", "Presupuesto", "Último contacto"])
        for i in range(count):
            sheet.append(
                [f"Cliente {i % 50}", 5512340000 + i, f"c{i}@example.com",
                 "Busca en Polanco, 3 recámaras", 3_500_000 + i,
                 dt.date(2025, 1, 1) + dt.timedelta(days=i % 300)]
            )  # fmt: skip
        path = tmp_path / f"{count}.xlsx"
        book.save(path)
        out = subprocess.run(
            [sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, check=True
        )
        read, grown[count] = map(int, out.stdout.split())
        assert read == count
    assert grown[20_000] - grown[2_000] < 3 * 1024, grown  # KB
