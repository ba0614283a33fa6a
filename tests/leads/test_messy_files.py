"""Messy broker files in Spanish and English, read into drafts with known truth: budgets by kind
and currency, places from notes and columns, every phone and date form, and the row warnings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from app.leads.columns import detect_mapping
from app.leads.csv_reader import CsvTable, read_table
from app.leads.preferences import Operation
from app.leads.rows import LeadDraft, RowError, RowParser
from app.leads.xlsx_reader import read_workbook

FIXTURES = Path(__file__).parent.parent / "fixtures" / "csv"


def parse_file(name: str, region: str, timezone: str) -> list[LeadDraft | list[RowError]]:
    with read_table(FIXTURES / name) as table:
        return parse_table(table, region, timezone)


def parse_table(table: CsvTable, region: str, timezone: str) -> list[LeadDraft | list[RowError]]:
    mapping = detect_mapping(table.headers)
    parser = RowParser.for_table(table, mapping, default_region=region, timezone=timezone)
    return [parser.parse(line, cells) for line, cells in table.rows]


def facts(draft: LeadDraft | list[RowError]) -> dict[str, object]:
    assert isinstance(draft, LeadDraft), draft
    return {
        "phones": draft.phones,
        "last_contact_at": draft.last_contact_at,
        "purchase": (draft.min_budget, draft.max_budget),
        "rent": (draft.rent_min_budget, draft.rent_max_budget),
        "currency": draft.currency,
        "locations": draft.locations,
        "bedrooms": draft.bedrooms,
        "warnings": [(w.column, w.message) for w in draft.warnings],
    }


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_mexican_brokers_file() -> None:
    maria, juan, ana, luis, sofia, pedro = parse_file("mx_messy.csv", "MX", "America/Mexico_City")
    assert facts(maria) == {
        "phones": ["+525512345678"],  # 044 + ten digits: the retired local mobile prefix
        "last_contact_at": utc(2024, 3, 5, 6),  # 5 March in Mexico City, not the evening before
        "purchase": (None, None),
        "rent": (None, 25_000),  # "renta hasta 25 mil"
        "currency": "MXN",
        "locations": ["Polanco"],  # "Busca en Polanco 4 recámaras": the 4 is bedrooms
        "bedrooms": 4,
        "warnings": [],
    }
    assert facts(juan) == {
        "phones": ["+523312345678", "+525587654321"],  # +52 1 (WhatsApp) and 045; first primary
        "last_contact_at": utc(2024, 3, 6, 0, 30),  # 18:30 in Mexico City
        "purchase": (None, 3_500_000),  # "$3.5M para comprar"
        "rent": (None, None),
        "currency": "MXN",
        "locations": ["Roma Norte"],  # "Roma Nte."
        "bedrooms": None,
        "warnings": [],
    }
    assert facts(ana) == {
        # The mobile first: a number with an extension takes no text message.
        "phones": ["+525523456789", "+525512340000;ext=12"],
        "last_contact_at": utc(2024, 3, 5, 6),  # Excel serial 45356: a wall-clock day
        "purchase": (2_000_000, 3_000_000),  # "2-3 millones"
        "rent": (None, None),
        "currency": "MXN",
        "locations": ["Del Valle Centro"],  # "Col. Del Valle Centro"
        "bedrooms": None,
        "warnings": [],
    }
    assert facts(luis) == {
        "phones": ["+525598765432"],
        "last_contact_at": None,  # in the future: flagged, not used for temperature
        "purchase": (5_000_000, 6_000_000),  # "5-6M"
        "rent": (None, None),
        "currency": "MXN",
        "locations": ["Ciudad de México"],  # "CDMX"
        "bedrooms": None,
        "warnings": [
            ("Última actividad", 'Date "01/12/2099" is in the future; not used as the last contact')
        ],
    }
    assert facts(sofia) == {
        "phones": ["+525534567890"],
        "last_contact_at": None,
        "purchase": (None, 300_000),  # "USD 300k": a purchase in dollars
        "rent": (None, None),
        "currency": "USD",
        "locations": ["Benito Juárez"],
        "bedrooms": None,
        "warnings": [
            (
                "Column 8",
                'Line has 8 cells but the header has 7: "Extra celda" not imported '
                "(a comma inside a value without quotes?)",
            )
        ],
    }
    assert facts(pedro) == {
        "phones": [],
        "last_contact_at": None,
        "purchase": (None, 2_500_000),  # "hasta 2.5 mdp" in the notes
        "rent": (None, 28_000),  # 28,000 in the budget column: a month's rent, not a price
        "currency": "MXN",
        "locations": [],
        "bedrooms": 3,
        "warnings": [],
    }


def test_an_english_file_with_rent_and_currency_columns() -> None:
    kate, tom, lia = parse_file("us_messy.csv", "US", "America/New_York")
    assert facts(kate) == {
        "phones": ["+13055550100;ext=204"],
        "last_contact_at": utc(2024, 3, 5, 5),  # midnight in New York
        "purchase": (None, None),
        "rent": (None, 4_500),  # the rent budget column
        "currency": "USD",
        "locations": ["Miami", "Brickell"],
        "bedrooms": None,
        "warnings": [],
    }
    assert facts(tom) == {
        "phones": ["+13055550101", "+17865550102"],  # two numbers in one cell, first primary
        "last_contact_at": utc(2024, 3, 5, 5),
        "purchase": (None, None),
        "rent": (None, 4_500),  # "budget 4,500/mo" in the notes
        "currency": "USD",
        "locations": [],
        "bedrooms": None,
        "warnings": [],
    }
    assert facts(lia) == {
        "phones": [],
        "last_contact_at": None,
        "purchase": (None, 650_000),
        "rent": (None, None),
        "currency": "EUR",  # the currency column
        "locations": ["Coral Gables"],
        "bedrooms": None,
        "warnings": [
            ("Last Activity", 'Date "2030-01-01" is in the future; not used as the last contact')
        ],
    }
    assert isinstance(lia, LeadDraft) and lia.operation is Operation.BUY


@pytest.mark.parametrize(
    ("name", "region", "timezone"),
    [("mx_messy.csv", "MX", "America/Mexico_City"), ("us_messy.csv", "US", "America/New_York")],
)
def test_the_same_messy_files_saved_as_xlsx_give_the_same_truth(
    name: str, region: str, timezone: str, tmp_path: Path
) -> None:
    """A broker who keeps the file in Excel: each cell typed as the CSV has it (text, so "044 55…"
    keeps its prefix), saved as .xlsx, reads into the same leads, budgets by kind and currency,
    dates, places and warnings (an extra cell is named by its column letter instead)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    with read_table(FIXTURES / name) as table:
        sheet.append(table.headers)
        for _, cells in table.rows:
            sheet.append(cells)
    path = tmp_path / name.replace(".csv", ".xlsx")
    book.save(path)
    with read_workbook(path, max_bytes=10_000_000) as table:
        from_xlsx = parse_table(table, region, timezone)
    from_csv = parse_file(name, region, timezone)

    def comparable(draft: LeadDraft | list[RowError]) -> object:
        if not isinstance(draft, LeadDraft):
            return [(e.line, e.message) for e in draft]
        return {**facts(draft), "warnings": [w.message for w in draft.warnings]}

    assert len(from_xlsx) == len(from_csv)
    assert [comparable(d) for d in from_xlsx] == [comparable(d) for d in from_csv]
