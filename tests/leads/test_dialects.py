"""Each kind of file brokers upload, read end to end into drafts and row errors."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.leads.columns import detect_mapping
from app.leads.csv_reader import CsvFormatError, CsvTooLargeError, read_table
from app.leads.fields import LeadField
from app.leads.preferences import Operation
from app.leads.rows import LeadDraft, RowError, RowParser

FIXTURES = Path(__file__).parent.parent / "fixtures" / "csv"


def parse_file(name: str, region: str, known: tuple[str, ...] = ()) -> list[object]:
    with read_table(FIXTURES / name) as table:
        mapping = detect_mapping(table.headers)
        parser = RowParser.for_table(table, mapping, default_region=region, known_locations=known)
        return [parser.parse(line, cells) for line, cells in table.rows]


def day(year: int, month: int, date: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, date, hour, minute, tzinfo=UTC)


def test_seed_format_keeps_good_rows_and_explains_bad_ones() -> None:
    assert parse_file("seed.csv", "US") == [
        LeadDraft(
            line=2,
            name="Ana Smith",
            emails=["ana@example.com"],
            phones=["+13055550100"],
            last_contact_at=day(2024, 3, 1),
            status="active",
            notes="Looking in Brickell, 3BR, rent only",
            max_budget=598000,  # no month's rent: a purchase budget, whatever the lead says
            currency="USD",  # a bare "$" in a US brokerage
            locations=["Miami", "Brickell"],
            bedrooms=3,
            operation=Operation.RENT,
            language="en",
        ),
        LeadDraft(
            line=3,
            name="Bob Jones",
            emails=["bob@example.com"],
            last_contact_at=day(2024, 3, 15),
            status="cold",
            min_budget=300000,
            max_budget=400000,
            currency="USD",
            locations=["Coral Gables", "Coconut Grove"],
            warnings=[
                RowError(3, "Phone", 'Phone "12345" is not a valid phone number for region US')
            ],
        ),
        [
            RowError(4, "Email", 'Email "not-an-email" is not a valid email address'),
            RowError(4, "Phone", 'Phone "123" is not a valid phone number for region US'),
            RowError(4, None, "Row skipped: it has no valid email or phone number"),
        ],
        LeadDraft(
            line=6,
            name="Dana",
            phones=["+13055550102"],
            language="en",  # a US number, nothing else to go by
            warnings=[
                RowError(
                    6,
                    "Last Contact",
                    'Date "2024-13-45" is not a date we can read (expected mm/dd/yyyy)',
                ),
                RowError(6, "Budget", 'Budget "lots" is not an amount of money'),
            ],
        ),
    ]


def test_follow_up_boss_crlf_numbered_columns_and_multiline_quoted_notes() -> None:
    assert parse_file("fub.csv", "US", known=("Coconut Grove",)) == [
        LeadDraft(
            line=2,
            name="Eve Adams",
            emails=["eve@example.com", "eve.work@example.com"],
            phones=["+13055550103"],
            last_contact_at=day(2024, 1, 20, 15, 15),
            created_at=day(2024, 1, 2),
            status="Lead",
            notes='She said "call me"\r\nafter 5pm\r\nwants to buy',
            min_budget=4000000,
            max_budget=6000000,
            currency="USD",
            operation=Operation.BUY,
            language="en",
            source="Zillow",
            owner="Mark Agent",
            tags=["buyer", "vip"],
        ),
        # The previous record spans lines 2-4, so Frank starts on physical line 5.
        [RowError(5, None, "Row skipped: it has no email or phone number")],
        LeadDraft(
            line=6,
            name="Gina Lopez",
            phones=["+17865550104"],
            language="en",  # a US number, nothing else to go by
            created_at=day(2023, 12, 1),
            status="Nurture",
            notes="interested in Coconut Grove",
            locations=["Coconut Grove"],
            source="Realtor.com",
            warnings=[RowError(6, "Email 1", 'Email "gina@example" is not a valid email address')],
        ),
    ]


def test_hubspot_export_keeps_record_ids() -> None:
    assert parse_file("hubspot.csv", "US") == [
        LeadDraft(
            line=2,
            name="Hank Hill",
            emails=["hank@example.com"],
            last_contact_at=day(2024, 2, 10, 14, 35),
            created_at=day(2023, 11, 2, 9),
            status="OPEN",
            external_id="51",
            owner="owner@broker.com",
        ),
        LeadDraft(
            line=3,
            name="Ivy",
            phones=["+12125550105"],
            language="en",  # a US number, nothing else to go by
            created_at=day(2023, 11, 3, 10),
            external_id="52",
            owner="owner@broker.com",
        ),
    ]


def test_spanish_excel_semicolon_windows_1252_with_title_line() -> None:
    with read_table(FIXTURES / "spanish_excel.csv") as table:
        assert (table.encoding, table.delimiter, table.header_line) == ("cp1252", ";", 3)
        assert table.headers[:3] == ["Nombre", "Apellido(s)", "Correo electrónico"]
    assert parse_file("spanish_excel.csv", "MX") == [
        LeadDraft(
            line=4,
            name="José Núñez Peña",
            emails=["jose.nunez@correo.mx"],
            phones=["+525512345678"],
            last_contact_at=day(2024, 3, 25),
            notes="Busca en Polanco, llamar después de las 6",
            max_budget=1500000,
            currency="MXN",
            locations=["Polanco", "Condesa", "Roma Norte"],
            bedrooms=3,
            operation=Operation.RENT,
            language="es",
        ),
        LeadDraft(
            line=5,
            name="María García",
            phones=["+523312345678"],
            last_contact_at=day(2024, 4, 5),
            notes="Quiere casa con jardín; presupuesto flexible",
            min_budget=4000000,
            max_budget=6000000,
            currency="MXN",
            locations=["Del Valle"],
            operation=Operation.BUY,
            language="es",
            warnings=[
                RowError(
                    5, "Correo electrónico", 'Email "maria@correo" is not a valid email address'
                )
            ],
        ),
        [RowError(6, None, "Row skipped: it has no email or phone number")],
    ]


def test_excel_unicode_text_is_utf16_tab_separated() -> None:
    with read_table(FIXTURES / "utf16_tab.txt") as table:
        assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert parse_file("utf16_tab.txt", "ES") == [
        LeadDraft(
            line=2,
            name="Luis Ortega",
            emails=["luis@example.com"],
            phones=["+34612345678"],
            locations=["Madrid"],
        ),
        LeadDraft(
            line=3, name="Marta Ruiz", phones=["+34612345679"], locations=["Sevilla", "Málaga"]
        ),
    ]


def test_utf8_bom_with_min_and_max_budget_columns() -> None:
    with read_table(FIXTURES / "bom.csv") as table:
        assert table.encoding == "utf-8-sig"
        assert table.headers[0] == "Nombre completo"
    assert parse_file("bom.csv", "MX") == [
        LeadDraft(
            line=2,
            name="Ñoño Pérez",
            emails=["nono@example.com"],
            phones=["+525512345679"],  # WhatsApp's old "+52 1" mobile prefix
            min_budget=2000000,
            max_budget=3000000,
            currency="MXN",
            language="es",
        )
    ]


def test_header_only_file_is_a_table_without_rows() -> None:
    with read_table(FIXTURES / "header_only.csv") as table:
        assert table.headers == ["Name", "Email", "Phone"]
        assert list(table.rows) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty"),
        ("binary.bin", "This file is not a CSV table (it looks like a binary file)"),
        (
            "workbook.xlsx",
            "This file is an Excel workbook (.xlsx) or a zip file; save it as CSV and try again",
        ),
        (
            "no_header.csv",
            "We could not find a header row: none of the first rows names a column we know "
            "(such as Name, Email, Phone, Nombre, Correo or Teléfono)",
        ),
    ],
)
def test_files_that_are_not_tables_get_one_clear_error(name: str, message: str) -> None:
    with pytest.raises(CsvFormatError) as raised:
        read_table(FIXTURES / name)
    assert str(raised.value) == message


def test_explicit_mapping_finds_the_header_and_overrides_detection() -> None:
    data = b"Cliente VIP,Cel,Otro\nAna,55 1234 5678,x\n"
    mapping = {"Cliente VIP": LeadField.NAME, "cel": LeadField.PHONE, "Otro": LeadField.IGNORE}
    with read_table(io.BytesIO(data), mapping=mapping) as table:
        assert detect_mapping(table.headers, mapping) == {0: LeadField.NAME, 1: LeadField.PHONE}


def test_size_limit_for_paths_and_for_streams_of_unknown_size(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"Name,Email\n" + b"Ana,ana@example.com\n" * 60_000)
    with pytest.raises(CsvTooLargeError) as raised:
        read_table(path, max_bytes=1024 * 1024)
    assert str(raised.value) == "The file is larger than the 1 MB limit; split it in parts"

    class Unseekable(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    stream = io.BufferedReader(Unseekable(b"Name,Email\n" + b"Ana,ana@example.com\n" * 10000))
    table = read_table(stream, max_bytes=100_000)
    with pytest.raises(CsvTooLargeError):
        list(table.rows)


def test_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b'Name,Email\nAna,ana@example.com\nBob,"bob@example.com\n' + b"x" * 200_000)
    with read_table(path) as table, pytest.raises(CsvFormatError, match=r"^Line 3: "):
        list(table.rows)
