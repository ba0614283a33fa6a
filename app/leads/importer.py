"""The lead import's parts (CSV or workbook): read, map, parse and de-duplicate in batches,
count every row. `app.leads.flows.run_import` runs them, a batch to a transaction.

Parsing is CPU-bound (phone and email checks): a file of one batch parses in a thread, a bigger
one across a pool of worker processes (`app.leads.parsing`), batches ahead of the writes, so the
event loop keeps serving and every core works while a large file imports. Each batch commits on
its own: a failure part-way leaves a FAILED `LeadImport` with its counts, and importing the same
file again finishes the job without duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pyroaring import BitMap64
from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadUserInput
from app.core.runtime import Runtime
from app.core.services import ServiceKey
from app.leads import repository
from app.leads.columns import MappingError, detect_mapping, header_key, suggest_field
from app.leads.csv_reader import CsvFormatError, CsvTable, read_table
from app.leads.fields import LeadField
from app.leads.models import ImportStatus, Lead, LeadImport
from app.leads.parsing import Batch, BatchParser, ParsedBatch, process_pool
from app.leads.service import UpsertResult, fold_rows
from app.leads.suppression import SKIPPED, without_suppressed
from app.leads.triggers import WHOLE_BROKERAGE
from app.leads.xlsx_reader import is_workbook, read_workbook

log = logging.getLogger(__name__)
BATCH_ROWS = 2000
PREVIEW_ROWS = 10
SAMPLE_ROWS = 200  # rows read ahead for an unrecognised column's sample values
SAMPLE_VALUES = 3
MERGE_EXAMPLES = 5
SOURCE = "CSV"
# The process's parse workers, made at the first import big enough to use them.
PARSE_POOL: ServiceKey[Executor] = ServiceKey("leads.parse_pool")


@dataclass(frozen=True)
class ImportOptions:
    mapping: dict[str, LeadField] | None = None
    default_region: str | None = None
    sheet: str | None = None  # a workbook's sheet (default: its first visible one)


# A long "Source" or "Owner" cell must not fail its whole batch on PostgreSQL's VARCHAR limits.
COLUMN_LENGTHS = {
    column.name: column.type.length
    for column in Lead.__table__.columns
    if isinstance(column.type, String) and column.type.length
}


def read_any(source: Path | IO[bytes], options: ImportOptions, max_bytes: int) -> CsvTable:
    """A CSV or a workbook, told apart by content (a Sheets download may be named anything)."""
    if isinstance(source, Path):
        with source.open("rb") as probe:
            head = probe.read(8)
    else:
        position = source.tell()
        head = source.read(8)
        source.seek(position)
    if is_workbook(head):
        return read_workbook(
            source, max_bytes=max_bytes, sheet=options.sheet, mapping=options.mapping
        )
    return read_table(source, max_bytes=max_bytes, mapping=options.mapping)


def open_table(
    source: Path | IO[bytes], options: ImportOptions, max_bytes: int
) -> tuple[CsvTable, dict[int, LeadField]]:
    try:
        table = read_any(source, options, max_bytes)
        sample = [cells for _, cells in table.peek(SAMPLE_ROWS)]
        mapping = detect_mapping(table.headers, options.mapping, sample)
    except (CsvFormatError, MappingError) as exc:
        raise BadUserInput(str(exc)) from exc
    if not any(f in (LeadField.EMAIL, LeadField.PHONE) for f in mapping.values()):
        table.close()
        raise BadUserInput(
            "No email or phone column found; map one with `mapping` (columns: "
            + ", ".join(f'"{h}"' for h in table.headers if h.strip())
            + ")."
        )
    return table, mapping


def check_file(source: Path | IO[bytes], options: ImportOptions, max_bytes: int) -> None:
    """Raise BadUserInput with the reader's message unless `source` is a table we can import."""
    table, _ = open_table(source, options, max_bytes)
    table.close()


def mapping_list(table: CsvTable, mapping: dict[int, LeadField]) -> dict[str, str]:
    return {table.headers[i]: field.value for i, field in sorted(mapping.items())}


def unrecognized_columns(
    table: CsvTable, mapping: dict[int, LeadField], options: ImportOptions
) -> list[dict[str, Any]]:
    """The columns left out (not ones the broker set to IGNORE), with a few of their values and
    a proposed field. Reads ahead without consuming: the rows stay in `table.rows`."""
    ignored = {header_key(h) for h, f in (options.mapping or {}).items() if f is LeadField.IGNORE}
    left = [
        i
        for i, header in enumerate(table.headers)
        if i not in mapping and header.strip() and header_key(header) not in ignored
    ]
    if not left:
        return []
    sample = table.peek(SAMPLE_ROWS)
    found = []
    for index in left:
        values = [cells[index].strip() for _, cells in sample if index < len(cells)]
        samples = list(dict.fromkeys(v[:80] for v in values if v))[:SAMPLE_VALUES]
        suggestion = suggest_field(table.headers[index], values)
        found.append(
            {
                "column": table.headers[index],
                "samples": samples,
                "suggestion": None
                if suggestion is None
                else {
                    "field": suggestion.field.value,
                    "confidence": suggestion.confidence,
                    "reason": suggestion.reason,
                },
            }
        )
    return found


def preview_row(line: int, values: dict[str, Any]) -> dict[str, Any]:
    last = values["last_contact_at"]
    return {
        "line": line,
        "name": values["name"],
        "email": values["email"],
        "phone": values["phone"],
        "last_contact_at": last.isoformat() if last else None,
        "locations": values["locations"],
        "min_budget": values["min_budget"],
        "max_budget": values["max_budget"],
        "bedrooms": values["bedrooms"],
        "operation": values["operation"],
        "language": values["language"],
    }


def _read_batch(rows: Iterator[tuple[int, list[str]]]) -> tuple[Batch, CsvFormatError | None]:
    """The next rows, and the error that stopped the file part-way, if one did."""
    batch: Batch = []
    try:
        batch.extend(itertools.islice(rows, BATCH_ROWS))
    except CsvFormatError as exc:
        return batch, exc
    return batch, None


def _parse_pool(runtime: Runtime) -> Executor | None:
    """The process's parse workers (None: parse in a thread of this process)."""
    processes = runtime.settings.import_processes
    if processes <= 0:
        return None
    pool = runtime.services.get(PARSE_POOL)
    if pool is None:
        pool = runtime.services.set(PARSE_POOL, process_pool(processes))
        runtime.closers.append(lambda: asyncio.to_thread(pool.shutdown, cancel_futures=True))
    return pool


@contextlib.asynccontextmanager
async def parsed_batches(
    runtime: Runtime, table: CsvTable, parser: BatchParser
) -> AsyncIterator[AsyncIterator[ParsedBatch]]:
    """The table's batches parsed in file order, the next ones parsing while one is written.

    A file of one batch parses in a thread; a bigger one across the process pool, several
    batches ahead. Reads happen here only, between batches, so the file is idle when it closes.
    """
    loop = asyncio.get_running_loop()
    pending: deque[asyncio.Future[ParsedBatch]] = deque()
    executor: Executor | None = None

    async def batches() -> AsyncIterator[ParsedBatch]:
        nonlocal executor
        batch, broken = await asyncio.to_thread(_read_batch, table.rows)
        executor = _parse_pool(runtime) if len(batch) == BATCH_ROWS and not broken else None
        # One batch being written while each parser (thread or process) works on the next.
        ahead = 1 + (runtime.settings.import_processes if executor is not None else 1)
        while batch or pending:
            while batch and len(pending) < ahead:
                pending.append(loop.run_in_executor(executor, parser, batch))
                last = len(batch) < BATCH_ROWS or broken is not None
                batch, broken = (
                    ([], broken) if last else await asyncio.to_thread(_read_batch, table.rows)
                )
            yield await pending.popleft()
        if broken is not None:  # every row before the break is in: now say where it broke
            raise broken

    try:
        yield batches()
    except BrokenProcessPool:
        # A worker died (killed, out of memory): this import fails, the next one gets a new
        # pool (unless another import has already replaced this one).
        broken_pool = executor
        current = runtime.services.get(PARSE_POOL)
        if broken_pool is not None and current is broken_pool:
            runtime.services.pop(PARSE_POOL)
            broken_pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        for future in pending:
            future.cancel()
        if pending:
            await asyncio.wait(pending)
            for future in pending:
                if not future.cancelled():
                    future.exception()  # retrieved: read-ahead past a failure is not reported


async def create_import(
    session: AsyncSession, brokerage_id: int, filename: str, *, dry_run: bool = False
) -> LeadImport:
    record = LeadImport(
        brokerage_id=brokerage_id,
        filename=filename,
        status=ImportStatus.RUNNING,
        dry_run=dry_run,
    )
    session.add(record)
    await session.flush()
    return record


Progress = Callable[[LeadImport], None]


@dataclass
class Tally:
    """What an import did so far, in compressed bitmaps of lead ids: memory stays flat however
    long the file is."""

    inserted: BitMap64 = field(default_factory=BitMap64)
    named: BitMap64 = field(default_factory=BitMap64)
    updated: BitMap64 = field(default_factory=BitMap64)
    # Leads the brokerage had that the file named (updated or not).
    existing: BitMap64 = field(default_factory=BitMap64)
    # The leads to match again afterwards: past WHOLE_BROKERAGE, all of them (None).
    changed: list[int] | None = field(default_factory=list)

    @property
    def arrived(self) -> list[int] | None:
        """The new leads, to route (past WHOLE_BROKERAGE: None, every unassigned lead)."""
        return list(self.inserted) if len(self.inserted) <= WHOLE_BROKERAGE else None

    def add(
        self, record: LeadImport, parsed: ParsedBatch, result: UpsertResult
    ) -> list[dict[str, Any]]:
        """Count a written batch into `record`; returns the batch's errors to store."""
        self.inserted.update(result.inserted)
        self.named.update(result.inserted, result.existing)
        self.updated.update(i for i in result.updated if i not in self.inserted)
        self.existing.update(i for i in result.existing if i not in self.inserted)
        if self.changed is not None:
            # Unchanged leads are not matched again.
            self.changed.extend([*result.inserted, *result.updated])
            self.changed = self.changed if len(self.changed) <= WHOLE_BROKERAGE else None
        errors = parsed.errors
        if result.suppressed:
            errors = sorted(
                [
                    *errors,
                    *(
                        {"line": parsed.lines[i], "column": None, "message": SKIPPED, "cell": None}
                        for i in result.suppressed
                    ),
                ],
                key=lambda error: error["line"],
            )
        record.total_rows += parsed.rows
        record.imported = len(self.inserted)
        record.updated = len(self.updated)
        # Every row is counted once: new, updated, unchanged, duplicate or rejected.
        record.unchanged = len(self.existing) - len(self.updated)
        record.duplicates += result.duplicates
        record.error_count += len(errors)
        return errors


class FreshLeads:
    """A dry run's leads on a brokerage that had none, in memory: only what a later row's merge
    and the counts depend on (an id and the addresses), found as `find_for_merge` finds them (by
    any of their addresses, those found by their own address first); the rows' other values are
    not kept."""

    def __init__(self) -> None:
        # Address -> the leads whose own address it is, then those it is another address of.
        self._own: dict[str, dict[str, Any]] = {}
        self._other: dict[str, dict[int, dict[str, Any]]] = {}
        self._next_id = 1

    async def upsert(
        self,
        session: AsyncSession,
        brokerage_id: int,
        incoming: list[dict[str, Any]],
        named: BitMap64,
    ) -> UpsertResult:
        """`upsert_leads` on these leads (suppressions are still read from the database)."""
        result = UpsertResult()
        incoming, result.suppressed = await without_suppressed(session, brokerage_id, incoming)
        wanted = [
            {a for v in incoming for a in (v.get(primary), *(v.get(others) or [])) if a}
            for primary, others in (("email", "other_emails"), ("phone", "other_phones"))
        ]
        found: dict[int, dict[str, Any]] = {}
        for addresses in wanted:  # in find_for_merge's order: own addresses, then the others
            for address in addresses:
                lead = self._own.get(address)
                if lead is not None and lead["id"] not in found:
                    found[lead["id"]] = dict(lead)  # the fold updates its copy
        for addresses in wanted:
            for address in addresses:
                for lead in self._other.get(address, {}).values():
                    if lead["id"] not in found:
                        found[lead["id"]] = dict(lead)
        fold = fold_rows(brokerage_id, incoming, list(found.values()), source=SOURCE, named=named)
        for row in fold.new_rows:
            lead = {column: row.get(column) for column in _ADDRESS_COLUMNS}
            lead["id"] = self._next_id
            self._next_id += 1
            result.inserted.append(lead["id"])
            self._keep(lead)
        for lead_id, changes in fold.dirty.items():
            lead = found[lead_id]
            lead.update({c: changes[c] for c in _ADDRESS_COLUMNS if c in changes})
            self._keep({column: lead.get(column) for column in ("id", *_ADDRESS_COLUMNS)})
        result.duplicates = fold.duplicates
        result.existing = list(fold.matched)
        result.updated = list(fold.dirty)
        return result

    def _keep(self, lead: dict[str, Any]) -> None:
        """Index the lead by its addresses (a merge only ever adds addresses)."""
        lead["other_emails"] = lead["other_emails"] or []
        lead["other_phones"] = lead["other_phones"] or []
        for primary, others in (("email", "other_emails"), ("phone", "other_phones")):
            if lead[primary]:
                self._own[lead[primary]] = lead
            for address in lead[others]:
                self._other.setdefault(address, {})[lead["id"]] = lead


_ADDRESS_COLUMNS = ("email", "other_emails", "phone", "other_phones")


class MergeExamples:
    """A few rows of a dry run that merge: with an earlier row of the file, or with a lead the
    brokerage already has, with the name of the lead it merges into (the lead's, or the earlier
    row's). Remembers each address of the file with the line and name that brought it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: list[dict[str, Any]] = []
        self._lines: dict[str, tuple[int, str | None]] = {}

    async def add(
        self,
        runtime: Runtime,
        brokerage_id: int,
        lines: list[int],
        rows: list[dict[str, Any]],
        result: UpsertResult,
        inserted: BitMap64,
    ) -> None:
        if len(self.found) >= self.limit:
            return  # enough examples: the file's addresses need no remembering any more
        known: dict[str, tuple[int, str]] = {}
        if result.existing:
            earlier = [i for i in result.existing if i not in inserted][: self.limit]
            # Read outside the dry run's transaction: the leads as they are, not as merged.
            async with runtime.session() as reader:
                leads = await repository.contacts_of(reader, brokerage_id, earlier)
            for lead in leads:
                for address in _addresses(lead):
                    known.setdefault(address, (lead["id"], lead["name"]))
        for line, values in zip(lines, rows, strict=True):
            addresses = _addresses(values)
            self._example(line, addresses, known)
            if len(self.found) >= self.limit:
                self._lines.clear()
                return
            for address in addresses:
                self._lines.setdefault(address, (line, values.get("name") or None))

    def _example(self, line: int, addresses: list[str], known: dict[str, tuple[int, str]]) -> None:
        for address in addresses:
            if address in self._lines:
                same_as_line, name = self._lines[address]
                self.found.append(
                    {"line": line, "same_as_line": same_as_line, "lead_id": None,
                     "lead_name": name, "matched_on": address}
                )  # fmt: skip
                return
        for address in addresses:
            if address in known:
                lead_id, name = known[address]
                self.found.append(
                    {"line": line, "same_as_line": None, "lead_id": lead_id,
                     "lead_name": name, "matched_on": address}
                )  # fmt: skip
                return


def _addresses(values: dict[str, Any]) -> list[str]:
    return [
        a
        for a in (
            values.get("email"),
            *(values.get("other_emails") or []),
            values.get("phone"),
            *(values.get("other_phones") or []),
        )
        if a
    ]
