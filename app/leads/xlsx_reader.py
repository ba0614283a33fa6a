"""Read a workbook (Excel .xlsx, Google Sheets' .xlsx download, .xls, .ods) as a table of text rows.

The same `CsvTable` as a CSV gives, so a sheet goes through the same header search, mapping, row
parser, dry run and errors; `line` is the sheet's own row number, so an error can name its cell
("B12"). An .xlsx sheet is streamed row by row (`xlsx_stream`: its memory does not grow with its
rows); the older .xls and .ods go through python-calamine (Rust), which reads the whole sheet
first. Values become the text a broker sees: a phone typed as a number loses its ".0", a date
cell becomes an ISO date.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator, Mapping
from typing import IO, Any
from xml.etree import ElementTree as ET

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
from app.leads.xlsx_stream import XlsxBook

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


def _check_zip(stream: IO[bytes], max_bytes: int) -> bool:
    """Refuse a zip that is not a workbook, or whose sheets would expand past the limit; True
    for an .xlsx (streamed), False for an .ods."""
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
    return "xl/workbook.xml" in names


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
        xlsx = stream.read(4) == ZIP_MAGIC and _check_zip(stream, max_bytes)
        stream.seek(0)
        if xlsx:
            table = _streamed_sheet(stream, sheet, mapping)
            if owned:
                table._closer = stream  # the rows are read from it as they are imported
                owned = False
            return table
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(stream)
            names = [
                m.name
                for m in book.sheets_metadata
                if m.visible == python_calamine.SheetVisibleEnum.Visible
            ]
            wanted = _chosen_sheet(book.sheet_names, names, sheet)
            whole = book.get_sheet_by_name(wanted)
        except python_calamine.CalamineError as exc:
            raise CsvFormatError(f"This workbook could not be read ({exc})") from exc
    finally:
        if owned:
            stream.close()
    first_row, first_column = whole.start if whole.start else (0, 0)
    rows = (
        (first_row + index + 1, [cell_text(value) for value in raw])
        for index, raw in enumerate(whole.iter_rows())
    )
    return _sheet_table(rows, wanted, mapping, first_column)


def _chosen_sheet(all_names: list[str], visible: list[str], sheet: str | None) -> str:
    """The sheet named in the options (any case), else the first visible one."""
    if sheet is not None:
        wanted = next(
            (n for n in all_names if n.strip().casefold() == sheet.strip().casefold()), None
        )
        if wanted is None:
            raise CsvFormatError(
                f'The workbook has no sheet "{sheet}"; its sheets are: '
                + ", ".join(f'"{n}"' for n in all_names)
            )
        return wanted
    if not (visible or all_names):
        raise CsvFormatError("The workbook has no sheet")
    return (visible or all_names)[0]


def _streamed_sheet(
    stream: IO[bytes], sheet: str | None, mapping: Mapping[str, LeadField] | None
) -> CsvTable:
    try:
        book = XlsxBook(stream)
        chosen = _chosen_sheet(
            [s.name for s in book.sheets], [s.name for s in book.sheets if s.visible], sheet
        )
        info = next(s for s in book.sheets if s.name == chosen)
        first_column = book.dimension_start(info)
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError) as exc:
        if isinstance(exc, CsvFormatError):
            raise
        raise CsvFormatError(f"This workbook could not be read ({exc})") from exc
    return _sheet_table(_streamed_rows(book, info), chosen, mapping, first_column)


def _streamed_rows(book: XlsxBook, info: Any) -> Iterator[tuple[int, dict[int, str]]]:
    try:
        for number, cells in book.rows(info):
            yield (
                number,
                {c: v if type(v) is str else cell_text(v) for c, v in cells.items()},
            )
    except (zipfile.BadZipFile, ET.ParseError, ValueError, OSError) as exc:
        raise CsvFormatError(
            f"This workbook could not be read past its row {locals().get('number', 0)} ({exc})"
        ) from exc


def _sheet_table(
    rows: Iterator[tuple[int, list[str]]] | Iterator[tuple[int, dict[int, str]]],
    name: str,
    mapping: Mapping[str, LeadField] | None,
    first_column: int | None,
) -> CsvTable:
    """Find the header as in a CSV among the first rows; `rows` gives (sheet row number, its
    cells: a list from `first_column` on, or {column index: text} from a streamed sheet)."""
    explicit_keys = frozenset(header_key(header) for header in mapping or {})
    searched: list[tuple[int, list[str] | dict[int, str]]] = []
    header_at: int | None = None
    for number, raw in rows:
        searched.append((number, raw))
        record = raw if isinstance(raw, list) else list(raw.values())
        if any(record) and header_score(_as_list(raw, 0), explicit_keys):
            header_at = len(searched) - 1
            break
        if sum(1 for _, r in searched if any(r.values() if isinstance(r, dict) else r)) >= (
            HEADER_SEARCH_RECORDS
        ):
            break
    if header_at is None:
        if not any(any(r.values() if isinstance(r, dict) else r) for _, r in searched):
            raise CsvFormatError(f'The sheet "{name}" is empty')
        raise CsvFormatError(
            f'We could not find a header row in the sheet "{name}": none of its first rows '
            "names a column we know (such as Name, Email, Phone, Nombre, Correo or Teléfono)"
        )
    if first_column is None:  # a streamed sheet that declares no range: its leftmost cell so far
        first_column = min((min(r) for _, r in searched if isinstance(r, dict) and r), default=0)
    header_line, raw_headers = searched[header_at]
    headers = _as_list(raw_headers, first_column)
    check_width(headers, header_line)
    return CsvTable(
        headers=headers,
        header_line=header_line,
        encoding="xlsx",
        delimiter="",
        rows=_records(rows, first_column),
        sheet=name,
        first_column=first_column,
    )


def _as_list(raw: list[str] | dict[int, str], first_column: int) -> list[str]:
    if isinstance(raw, list):
        return raw
    if not raw:
        return []
    last = min(max(raw), first_column + MAX_COLUMNS)
    return [raw.get(column, "") for column in range(first_column, last + 1)]


def _records(
    rows: Iterator[tuple[int, list[str]]] | Iterator[tuple[int, dict[int, str]]],
    first_column: int,
) -> Iterator[tuple[int, list[str]]]:
    for number, raw in rows:
        record = [
            cell.replace("\x00", "") for cell in _as_list(raw, first_column)[: MAX_COLUMNS + 1]
        ]
        if any(cell.strip() for cell in record):
            yield number, record
