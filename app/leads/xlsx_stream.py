"""Stream an .xlsx sheet row by row, so a workbook's memory does not grow with its rows.

python-calamine reads a whole sheet into memory before its first row (calamine has no lazy
reader), and openpyxl's read-only mode streams but is about 15 times slower. This reads the
sheet's XML straight from the zip with the C ElementTree parser, one `<row>` at a time, and
drops each row once read. What is held: the shared-string table (one copy of each distinct text
in the workbook, as Excel and Google Sheets write them) and one flag per cell style.

Values come back as calamine gives them (numbers as floats, date cells as datetimes, booleans),
so `xlsx_reader.cell_text` makes the same text of them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree as ET

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_REL = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
# Number formats Excel builds in that show a date or a time (ECMA-376 §18.8.30).
_BUILTIN_DATES = frozenset((*range(14, 23), 45, 46, 47))
_QUOTED = re.compile(r'"[^"]*"|\\.|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]', re.IGNORECASE)
_DATE_PART = re.compile(r"[dmyhs]", re.IGNORECASE)
_ELAPSED = re.compile(r"\[(?:h+|m+|s+)\]", re.IGNORECASE)
_COLUMN = re.compile(r"[A-Z]+")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _kind_of_format(code: str) -> str:
    """'date', 'elapsed' ([h]:mm, a duration) or '' for a number format code."""
    if _ELAPSED.search(code):
        return "elapsed"
    bare = _QUOTED.sub("", code.split(";")[0])
    return "date" if _DATE_PART.search(bare) and "General" not in bare else ""


def column_index(reference: str) -> int:
    """'A1' -> 0, 'AB12' -> 27."""
    letters = _COLUMN.match(reference)
    index = 0
    for letter in letters[0] if letters else "":
        index = index * 26 + ord(letter) - 64
    return index - 1


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    visible: bool
    path: str


class XlsxBook:
    """An .xlsx workbook opened for streaming: its sheets, shared strings and date styles."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(stream)
        names = set(self._zip.namelist())
        workbook = "xl/workbook.xml"
        rels = self._relationships(workbook, names)
        root = ET.fromstring(self._zip.read(workbook))
        self.epoch = dt.datetime(1899, 12, 30)
        self.sheets: list[SheetInfo] = []
        for element in root.iter():
            tag = _local(element.tag)
            if tag == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = dt.datetime(1904, 1, 1)
            elif tag == "sheet":
                target = rels.get(element.get(_REL) or element.get(_STRICT_REL) or "", "")
                if target in names:
                    self.sheets.append(
                        SheetInfo(
                            element.get("name", ""),
                            element.get("state", "visible") == "visible",
                            target,
                        )
                    )
        by_type = {kind.rpartition("/")[2]: target for target, kind in self._types.items()}
        self._strings = self._shared_strings(by_type.get("sharedStrings"), names)
        self._styles = self._date_styles(by_type.get("styles"), names)

    def _relationships(self, part: str, names: set[str]) -> dict[str, str]:
        folder, file = posixpath.split(part)
        path = posixpath.join(folder, "_rels", file + ".rels")
        self._types: dict[str, str] = {}
        if path not in names:
            return {}
        targets: dict[str, str] = {}
        for element in ET.fromstring(self._zip.read(path)):
            target = element.get("Target", "")
            if element.get("TargetMode") == "External":
                continue
            full = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            targets[element.get("Id", "")] = full
            self._types[full] = element.get("Type", "")
        return targets

    def _shared_strings(self, path: str | None, names: set[str]) -> list[str]:
        path = path or "xl/sharedStrings.xml"
        if path not in names:
            return []
        strings: list[str] = []
        with self._zip.open(path) as part:
            for _, element in ET.iterparse(part):
                if _local(element.tag) == "si":
                    strings.append(_text(element))
                    element.clear()
        return strings

    def _date_styles(self, path: str | None, names: set[str]) -> list[str]:
        """Per cell style (a cell's `s`), 'date', 'elapsed' or ''."""
        path = path or "xl/styles.xml"
        if path not in names:
            return []
        root = ET.fromstring(self._zip.read(path))
        custom: dict[int, str] = {}
        kinds: list[str] = []
        for element in root:
            tag = _local(element.tag)
            if tag == "numFmts":
                for fmt in element:
                    custom[int(fmt.get("numFmtId", "0"))] = _kind_of_format(
                        fmt.get("formatCode", "")
                    )
            elif tag == "cellXfs":
                for xf in element:
                    number_format = int(xf.get("numFmtId", "0"))
                    kind = custom.get(number_format)
                    if kind is None:
                        kind = "date" if number_format in _BUILTIN_DATES else ""
                    kinds.append(kind)
        return kinds

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, dict[int, Any]]]:
        """(row number, {column index: value}) for each row that has a cell, in order."""
        strings, styles, epoch = self._strings, self._styles, self.epoch
        columns: dict[str, int] = {}
        with self._zip.open(sheet.path) as part:
            events = ET.iterparse(part, events=("start", "end"))
            for event, element in events:
                if event == "start" and _local(element.tag) == "sheetData":
                    parent, namespace = element, element.tag[: -len("sheetData")]
                    break
            else:
                return
            row_tag, value_tag = namespace + "row", namespace + "v"
            expected = 0
            for event, element in events:
                if event == "start" or element.tag != row_tag:
                    continue
                number = int(element.get("r") or expected + 1)
                expected = number
                cells: dict[int, Any] = {}
                column = -1
                for cell in element:
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip("0123456789")
                        column = columns.get(letters, -1)
                        if column < 0:
                            column = columns[letters] = column_index(letters)
                    else:
                        column += 1
                    kind = cell.get("t")
                    if kind == "s":  # most text: an index into the shared strings
                        raw = cell.findtext(value_tag)
                        if raw:
                            index = int(raw)
                            if 0 <= index < len(strings) and strings[index]:
                                cells[column] = strings[index]
                        continue
                    value = _value(cell, kind or "n", strings, styles, epoch)
                    if value is not None and value != "":
                        cells[column] = value
                parent.clear()  # the rows read so far
                if cells:
                    yield number, cells

    def dimension_start(self, sheet: SheetInfo) -> int | None:
        """The first column of the sheet's declared range (`<dimension ref="B1:F9">`), if it
        says one before its rows."""
        with self._zip.open(sheet.path) as part:
            for _, element in ET.iterparse(part, events=("start",)):
                tag = _local(element.tag)
                if tag == "dimension":
                    return column_index(element.get("ref", "A1"))
                if tag == "sheetData":
                    return None
        return None

    def close(self) -> None:
        self._zip.close()


def _text(element: ET.Element) -> str:
    """A shared or inline string's text: its runs, without phonetic guides (`rPh`)."""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _value(
    cell: ET.Element, kind: str, strings: list[str], styles: list[str], epoch: dt.datetime
) -> Any:
    raw: str | None = None
    for child in cell:
        tag = _local(child.tag)
        if tag == "v":
            raw = child.text
        elif tag == "is":
            return _text(child)
    if raw is None:
        return None
    if kind == "s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind in ("str", "e", "inlineStr"):
        return raw
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw.rstrip("Z"))
        except ValueError:
            return raw
    try:
        number = float(raw)
    except ValueError:
        return raw
    style = int(cell.get("s") or 0)
    form = styles[style] if style < len(styles) else ""
    if form == "elapsed":
        return dt.timedelta(seconds=round(number * 86400))
    if form == "date":
        if 0 <= number < 1:
            seconds = round(number * 86400) % 86400
            return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        # Excel's 1900 system counts a 29 February 1900 that never was: serials before it
        # are one day later than the shared epoch says.
        start = epoch + dt.timedelta(days=1) if epoch.year == 1899 and number < 60 else epoch
        try:
            return start + dt.timedelta(seconds=round(number * 86400))
        except OverflowError:
            return number
    return number
