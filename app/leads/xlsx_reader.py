"""Read a workbook (Excel .xlsx, Google Sheets' .xlsx download, .xls, .ods) as a table of text rows.

The same `CsvTable` as a CSV gives, so a sheet goes through the same header search, mapping, row
parser, dry run and errors; `line` is the sheet's own row number, so an error can name its cell
("B12"). python-calamine (Rust) reads the sheet; values become the text a broker sees: a phone
typed as a number loses its ".0", a date cell becomes an ISO date.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

import python_calamine

from app.leads.columns import header_key
from app.leads.csv_reader import (
    HEADER_SEARCH_RECORDS,
    MAX_COLUMNS,
    CsvFormatError,
    CsvTable,
    check_width,
    header_score,
    too_large,
)
from app.leads.fields import LeadField

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
# A sheet's XML may be many times its zipped size; past this many uncompressed bytes per
# allowed upload byte it is refused before it is read (a zip bomb, or a sheet too big to import).
EXPANSION_LIMIT = 8


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with `head` is a workbook (by content: the name may say .csv)."""
    return head.startswith((ZIP_MAGIC, OLE_MAGIC))


def cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _check_zip(stream: IO[bytes], max_bytes: int) -> None:
    """Refuse a zip that is not a workbook, or whose sheets would expand past the limit."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if not any(n.startswith(("xl/", "content.xml")) for n in names):
                raise CsvFormatError(
                    "This file is a zip archive, not an Excel workbook or a CSV table"
                )
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise CsvFormatError("This workbook is damaged (it is not a readable .xlsx file)") from exc
    finally:
        stream.seek(0)
    if expanded > max_bytes * EXPANSION_LIMIT:
        raise too_large(max_bytes)


def read_workbook(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    max_bytes: int,
    sheet: str | None = None,
    mapping: Mapping[str, LeadField] | None = None,
) -> CsvTable:
    """The named sheet (else the first visible one) of a workbook, its header found as in a CSV."""
    if isinstance(source, str | os.PathLike):
        stream: IO[bytes] = open(source, "rb")  # noqa: SIM115  (closed below)
        owned = True
    else:
        stream, owned = source, False
    try:
        stream.seek(0, os.SEEK_END)
        if stream.tell() > max_bytes:
            raise too_large(max_bytes)
        stream.seek(0)
        if stream.read(4) == ZIP_MAGIC:
            stream.seek(0)
            _check_zip(stream, max_bytes)
        stream.seek(0)
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(stream)
            names = [
                m.name
                for m in book.sheets_metadata
                if m.visible == python_calamine.SheetVisibleEnum.Visible
            ]
            if sheet is not None:
                wanted = next(
                    (
                        n
                        for n in book.sheet_names
                        if n.strip().casefold() == sheet.strip().casefold()
                    ),
                    None,
                )
                if wanted is None:
                    raise CsvFormatError(
                        f'The workbook has no sheet "{sheet}"; its sheets are: '
                        + ", ".join(f'"{n}"' for n in book.sheet_names)
                    )
            else:
                if not (names or book.sheet_names):
                    raise CsvFormatError("The workbook has no sheet")
                wanted = (names or book.sheet_names)[0]
            table = book.get_sheet_by_name(wanted)
        except python_calamine.CalamineError as exc:
            raise CsvFormatError(f"This workbook could not be read ({exc})") from exc
    finally:
        if owned:
            stream.close()
    return _sheet_table(table, wanted, mapping)


def _sheet_table(sheet: Any, name: str, mapping: Mapping[str, LeadField] | None) -> CsvTable:
    first_column = sheet.start[1] if sheet.start else 0
    rows = iter(sheet.iter_rows())
    explicit_keys = frozenset(header_key(header) for header in mapping or {})
    searched: list[list[str]] = []
    header_index: int | None = None
    for index, raw in enumerate(rows):
        record = [cell_text(value) for value in raw]
        searched.append(record)
        if any(record) and header_score(record, explicit_keys):
            header_index = index
            break
        if sum(1 for r in searched if any(r)) >= HEADER_SEARCH_RECORDS:
            break
    if header_index is None:
        if not any(any(r) for r in searched):
            raise CsvFormatError(f'The sheet "{name}" is empty')
        raise CsvFormatError(
            f'We could not find a header row in the sheet "{name}": none of its first rows '
            "names a column we know (such as Name, Email, Phone, Nombre, Correo or Teléfono)"
        )
    headers = searched[header_index]
    check_width(headers, header_index + 1)
    return CsvTable(
        headers=headers,
        header_line=header_index + 1,
        encoding="xlsx",
        delimiter="",
        rows=_records(rows, header_index + 1),
        sheet=name,
        first_column=first_column,
    )


def _records(rows: Iterator[list[Any]], start: int) -> Iterator[tuple[int, list[str]]]:
    for number, raw in enumerate(rows, start=start + 1):
        record = [cell_text(value).replace("\x00", "") for value in raw[: MAX_COLUMNS + 1]]
        if any(cell.strip() for cell in record):
            yield number, record
