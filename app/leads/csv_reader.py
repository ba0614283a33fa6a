"""Stream the rows of any CSV a broker has: encoding, delimiter and header row found for them."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any

import charset_normalizer

from app.leads.columns import detect_field, header_key
from app.leads.fields import LeadField

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024
HEADER_SEARCH_RECORDS = 30
MAX_COLUMNS = 1000  # a lead table has a few dozen; a million columns is not a table to import
DELIMITERS = (",", ";", "\t", "|")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or a zip file; save it as CSV and try again"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls); save it as CSV and try again"),
    (b"%PDF", "a PDF document, not a table"),
)
_CsvReader = Any  # the csv module does not export its reader type
_CONTROL = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r", "\f"}


class CsvFormatError(ValueError):
    """The file is not a table we can read; str(error) is the message for the broker."""


class CsvTooLargeError(CsvFormatError):
    pass


def _raising(error: Exception) -> Iterator[Any]:
    raise error
    yield  # a generator: raises when iterated, not when called


@dataclass
class CsvTable:
    """A table being read: its header, how it was decoded, and its rows streamed lazily.

    `rows` yields (physical line where the record starts, 1-based; cells) and skips blank
    records. Cells are exactly as in the file (not stripped); rows may be shorter or longer
    than `headers`.
    """

    headers: list[str]
    header_line: int
    encoding: str
    delimiter: str
    rows: Iterator[tuple[int, list[str]]]
    _closer: IO[bytes] | None = field(default=None, repr=False)
    # A workbook's sheet: its name, and the column index of its first cell (a sheet's table
    # may start at column C), so a line and a header give back a cell reference.
    sheet: str | None = None
    first_column: int = 0

    def peek(self, count: int) -> list[tuple[int, list[str]]]:
        """The next `count` rows, left in place for `rows` to yield again (a file that breaks
        within them yields the rows before the break, then raises its error)."""
        sample: list[tuple[int, list[str]]] = []
        try:
            sample.extend(itertools.islice(self.rows, count))
        except CsvFormatError as exc:
            self.rows = itertools.chain(sample, _raising(exc))
        else:
            self.rows = itertools.chain(sample, self.rows)
        return sample

    def close(self) -> None:
        if self._closer is not None:
            self._closer.close()

    def __enter__(self) -> CsvTable:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _LimitedReader(io.RawIOBase):
    """Serves the already-read sample, then the rest of the source, failing past max_bytes."""

    def __init__(self, prefix: bytes, source: IO[bytes], max_bytes: int) -> None:
        self._prefix = memoryview(prefix)
        self._source = source
        self._max_bytes = max_bytes
        self._count = len(prefix)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._source.read(len(buffer))
        self._count += len(data)
        if self._count > self._max_bytes:
            raise too_large(self._max_bytes)
        buffer[: len(data)] = data
        return len(data)


def too_large(max_bytes: int) -> CsvTooLargeError:
    return CsvTooLargeError(
        f"The file is larger than the {max_bytes / 1024 / 1024:g} MB limit; split it in parts"
    )


def _remaining_size(stream: IO[bytes]) -> int | None:
    try:
        if not stream.seekable():
            return None
        position = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(position)
    except (OSError, ValueError):
        return None
    return end - position


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel "Unicode text"; the codec reads the BOM for the byte order
    for signature, what in _SIGNATURES:
        if sample.startswith(signature):
            raise CsvFormatError(f"This file is {what}")
    head = sample[:4096]
    if head.count(0) > len(head) // 100:  # a stray NUL or two is dropped from its cell later
        half = max(len(head) // 2, 1)
        zeros_even, zeros_odd = head[0::2].count(0), head[1::2].count(0)
        if zeros_odd > half * 0.3 and zeros_even < half * 0.02:
            return "utf-16-le"
        if zeros_even > half * 0.3 and zeros_odd < half * 0.02:
            return "utf-16-be"
        raise CsvFormatError("This file is not a CSV table (it looks like a binary file)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Excel on Windows saves "CSV" in the ANSI code page: Windows-1252 for English and Spanish.
    if not _CP1252_UNDEFINED.intersection(sample):
        return "cp1252"
    best = charset_normalizer.from_bytes(sample).best()
    return best.encoding if best is not None else "latin-1"


def header_score(record: list[str], explicit_keys: frozenset[str]) -> int:
    return sum(
        1
        for cell in record
        if cell.strip() and (header_key(cell) in explicit_keys or detect_field(cell) is not None)
    )


def _sniff(text: str, explicit_keys: frozenset[str]) -> tuple[str, int] | None:
    """(delimiter, index of the header record) that recognises the most columns."""
    best: tuple[int, int, int] | None = None
    chosen: tuple[str, int] | None = None
    for rank, delimiter in enumerate(DELIMITERS):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            records = list(itertools.islice(reader, HEADER_SEARCH_RECORDS))
        except csv.Error:
            continue
        for index, record in enumerate(records):
            score = header_score(record, explicit_keys)
            if score:
                key = (score, len(record), -rank)
                if best is None or key > best:
                    best, chosen = key, (delimiter, index)
                break
    return chosen


def _open(source: str | os.PathLike[str] | IO[bytes], max_bytes: int) -> tuple[IO[bytes], bool]:
    if isinstance(source, str | os.PathLike):
        if os.path.getsize(source) > max_bytes:
            raise too_large(max_bytes)
        return open(source, "rb"), True  # closed by CsvTable, or on error
    remaining = _remaining_size(source)
    if remaining is not None and remaining > max_bytes:
        raise too_large(max_bytes)
    return source, False


def read_table(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    mapping: Mapping[str, LeadField] | None = None,
) -> CsvTable:
    """Open a CSV (path or binary stream) and find its header; rows stream in constant memory.

    The header is the first of the first 30 records that names at least one column we know
    (or one of the explicit `mapping`'s columns); title lines above it are skipped. Raises
    CsvFormatError for an empty, binary or headerless file and CsvTooLargeError (also from
    `rows`, for a stream of unknown size) past `max_bytes`.
    """
    stream, owned = _open(source, max_bytes)
    try:
        return _read_table(stream, owned, max_bytes, mapping)
    except BaseException:
        if owned:
            stream.close()
        raise


def _read_table(
    stream: IO[bytes], owned: bool, max_bytes: int, mapping: Mapping[str, LeadField] | None
) -> CsvTable:
    sample = stream.read(SAMPLE_BYTES)
    if len(sample) > max_bytes:
        raise too_large(max_bytes)
    if not sample.strip():
        raise CsvFormatError("The file is empty")
    encoding = _detect_encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if not text.strip():
        raise CsvFormatError("The file is empty")
    if sum(1 for char in text if char in _CONTROL) > len(text) // 100:
        raise CsvFormatError("This file is not a CSV table (it looks like a binary file)")
    explicit_keys = frozenset(header_key(header) for header in mapping or {})
    sniffed = _sniff(text, explicit_keys)
    if sniffed is None:
        raise CsvFormatError(
            "We could not find a header row: none of the first rows names a column we know "
            "(such as Name, Email, Phone, Nombre, Correo or Teléfono)"
        )
    delimiter, header_index = sniffed
    raw = io.BufferedReader(_LimitedReader(sample, stream, max_bytes))
    lines = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(lines, delimiter=delimiter)
    headers: list[str] = []
    header_line = 0
    previous_end = 0
    for index, record in enumerate(reader):
        start, previous_end = previous_end + 1, reader.line_num
        if index == header_index:
            headers, header_line = record, start
            break
    check_width(headers, header_line)
    return CsvTable(
        headers=headers,
        header_line=header_line,
        encoding=encoding,
        delimiter=delimiter,
        rows=_records(reader, lines),
        _closer=stream if owned else None,
    )


def check_width(headers: list[str], line: int) -> None:
    if len(headers) > MAX_COLUMNS:
        raise CsvFormatError(
            f"Line {line}: the header has {len(headers):,} columns; a lead table can have at "
            f"most {MAX_COLUMNS:,}"
        )


def _records(reader: _CsvReader, lines: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
    previous_end = reader.line_num
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if len(record) > MAX_COLUMNS:  # cells past any header's are reported, not kept
                record = record[: MAX_COLUMNS + 1]
            joined = "".join(record)
            if "\x00" in joined:  # NUL bytes: no database stores them in text
                record = [cell.replace("\x00", "") for cell in record]
                joined = joined.replace("\x00", "")
            if record and joined.strip():
                yield start, record
    except csv.Error as error:
        raise CsvFormatError(
            f"Line {previous_end + 1}: the file stops being a readable table here ({error}); "
            'check for a value with an unclosed quote (")'
        ) from None
    finally:
        lines.close()  # closes our buffers only: the caller's stream stays open
