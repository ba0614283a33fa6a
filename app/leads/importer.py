"""The CSV import flow: read, normalise, de-duplicate and write in batches, reporting every row.

Parsing is CPU-bound (phone and email checks): a file of one batch parses in a thread, a bigger
one across a pool of worker processes (`app.leads.parsing`), batches ahead of the writes, so the
event loop keeps serving and every core works while a large file imports. Each batch commits on its own: a
failure part-way leaves a FAILED `LeadImport` with its counts, and importing the same file
again finishes the job without duplicates.
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
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pyroaring import BitMap64
from sqlalchemy import String, select, union
from sqlalchemy.ext.asyncio import AsyncSession

import app.matching.tasks  # noqa: F401  (registers match_leads, queued after each import)
from app.accounts.models import Brokerage
from app.activity.events import import_channel
from app.core.db import utcnow
from app.core.errors import BadUserInput
from app.core.events import publish
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads import repository
from app.leads.columns import MappingError, detect_mapping
from app.leads.csv_reader import CsvFormatError, CsvTable, read_table
from app.leads.fields import LeadField
from app.leads.merge import draft_values
from app.leads.models import ImportStatus, Lead, LeadImport
from app.leads.parsing import Batch, BatchParser, ParsedBatch, process_pool
from app.leads.rows import LeadDraft, RowParser
from app.leads.service import upsert_leads
from app.matching.triggers import WHOLE_BROKERAGE, leads_changed
from app.properties.models import Property

log = logging.getLogger(__name__)
BATCH_ROWS = 2000
PREVIEW_ROWS = 10
SOURCE = "CSV"
_POOL = "lead_import_pool"


@dataclass(frozen=True)
class ImportOptions:
    mapping: dict[str, LeadField] | None = None
    default_region: str | None = None


# A long "Source" or "Owner" cell must not fail its whole batch on PostgreSQL's VARCHAR limits.
_LENGTHS = {
    column.name: column.type.length
    for column in Lead.__table__.columns
    if isinstance(column.type, String) and column.type.length
}


async def _known_locations(session: AsyncSession, brokerage_id: int) -> list[str]:
    """The brokerage's listing places: mentions of them in notes become preferences."""
    stmt = union(
        select(Property.location).where(Property.brokerage_id == brokerage_id),
        select(Property.city).where(Property.brokerage_id == brokerage_id),
    )
    return [place for place in (await session.execute(stmt)).scalars() if place]


async def _timezone(session: AsyncSession, brokerage_id: int) -> str:
    """Dates and times without a zone are the brokerage's wall clock."""
    brokerage = await session.get(Brokerage, brokerage_id)
    return brokerage.timezone if brokerage else "UTC"


def _open(
    source: Path | IO[bytes], options: ImportOptions, max_bytes: int
) -> tuple[CsvTable, dict[int, LeadField]]:
    try:
        table = read_table(source, max_bytes=max_bytes, mapping=options.mapping)
        mapping = detect_mapping(table.headers, options.mapping)
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
    table, _ = _open(source, options, max_bytes)
    table.close()


def _mapping_list(table: CsvTable, mapping: dict[int, LeadField]) -> dict[str, str]:
    return {table.headers[i]: field.value for i, field in sorted(mapping.items())}


async def preview(
    session: AsyncSession,
    brokerage_id: int,
    region: str,
    source: Path | IO[bytes],
    filename: str,
    options: ImportOptions,
    max_bytes: int,
) -> LeadImport:
    """A dry run: the detected mapping and the first rows as they would be imported."""
    table, mapping = _open(source, options, max_bytes)
    with table:
        parser = RowParser.for_table(
            table,
            mapping,
            default_region=options.default_region or region,
            known_locations=await _known_locations(session, brokerage_id),
            timezone=await _timezone(session, brokerage_id),
        )
        try:
            rows = list(itertools.islice(table.rows, PREVIEW_ROWS))
        except CsvFormatError as exc:  # the file breaks off within the rows shown
            raise BadUserInput(str(exc)) from exc
    drafts, errors = BatchParser(parser, _LENGTHS).drafts(rows)
    record = LeadImport(
        brokerage_id=brokerage_id,
        filename=filename,
        status=ImportStatus.PREVIEW,
        total_rows=len(rows),
        mapping=_mapping_list(table, mapping),
        preview=[_preview_row(draft) for draft in drafts],
        error_count=len(errors),
        finished_at=utcnow(),
    )
    session.add(record)
    await session.flush()
    await repository.add_import_errors(session, record.id, errors)
    return record


def _preview_row(draft: LeadDraft) -> dict[str, Any]:
    values = draft_values(draft)
    last = values["last_contact_at"]
    return {
        "line": draft.line,
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
    pool: Executor | None = runtime.services.get(_POOL)
    if pool is None:
        pool = runtime.services[_POOL] = process_pool(processes)
        runtime.closers.append(lambda: asyncio.to_thread(pool.shutdown, cancel_futures=True))
    return pool


@contextlib.asynccontextmanager
async def _parsed_batches(
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
        current: Executor | None = runtime.services.get(_POOL)
        if broken_pool is not None and current is broken_pool:
            del runtime.services[_POOL]
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


async def create_import(session: AsyncSession, brokerage_id: int, filename: str) -> LeadImport:
    record = LeadImport(brokerage_id=brokerage_id, filename=filename, status=ImportStatus.RUNNING)
    session.add(record)
    await session.flush()
    return record


Progress = Callable[[LeadImport], None]


async def run_import(
    runtime: Runtime,
    import_id: int,
    source: Path | IO[bytes],
    options: ImportOptions,
    *,
    on_progress: Progress | None = None,
) -> LeadImport:
    """Import every row of `source` into the import's brokerage; returns the finished record."""
    async with runtime.session() as session:
        record = await session.get(LeadImport, import_id)
        if record is None:
            raise LookupError(f"no lead import {import_id}")
        brokerage_id = record.brokerage_id
        brokerage = await session.get(Brokerage, brokerage_id)
        region = options.default_region or (brokerage.default_region if brokerage else None)
        known = await _known_locations(session, brokerage_id)
        try:
            table, mapping = _open(source, options, runtime.settings.import_max_bytes)
        except BadUserInput as exc:
            return await _finish(session, record, ImportStatus.FAILED, failure=exc.message)
        record.mapping = _mapping_list(table, mapping)
        # The leads this import inserted, named and updated, a compressed bitmap each: memory
        # stays flat however long the file is.
        inserted, named, updated = BitMap64(), BitMap64(), BitMap64()
        # The leads to match again afterwards: past WHOLE_BROKERAGE, all of them (None).
        changed: list[int] | None = []
        try:
            with table:
                row_parser = await asyncio.to_thread(
                    RowParser.for_table,
                    table,
                    mapping,
                    default_region=region,
                    known_locations=known,
                    timezone=brokerage.timezone if brokerage else "UTC",
                )
                parser = BatchParser(row_parser, _LENGTHS)
                async with _parsed_batches(runtime, table, parser) as batches:
                    async for parsed in batches:
                        result = await upsert_leads(
                            session, brokerage_id, parsed.leads, source=SOURCE, named=named
                        )
                        inserted.update(result.inserted)
                        named.update(result.inserted, result.existing)
                        updated.update(i for i in result.updated if i not in inserted)
                        if changed is not None:
                            # Unchanged leads are not matched again.
                            changed.extend([*result.inserted, *result.updated])
                            changed = changed if len(changed) <= WHOLE_BROKERAGE else None
                        record.total_rows += parsed.rows
                        record.imported = len(inserted)
                        record.updated = len(updated)
                        record.duplicates += result.duplicates
                        # Stored with the batch: memory does not grow with the bad rows.
                        await repository.add_import_errors(session, import_id, parsed.errors)
                        record.error_count += len(parsed.errors)
                        publish(session, import_channel(import_id), _progress(record))
                        await commit(session)
                        if on_progress is not None:
                            on_progress(record)
        except Exception as exc:
            await session.rollback()
            log.exception("lead import %s failed", import_id)
            reloaded = await session.get(LeadImport, import_id, populate_existing=True)
            assert reloaded is not None
            if isinstance(exc, BadUserInput):
                message = exc.message
            elif isinstance(exc, CsvFormatError):  # the file breaks off part-way
                message = str(exc)
            else:
                message = "The import stopped part-way; import the same file again to finish it."
            # The batches that did commit are real leads: match them too.
            leads_changed(session, brokerage_id, changed)
            return await _finish(session, reloaded, ImportStatus.FAILED, failure=message)
        leads_changed(session, brokerage_id, changed)
        return await _finish(session, record, ImportStatus.COMPLETED)


async def _finish(
    session: AsyncSession, record: LeadImport, status: ImportStatus, *, failure: str | None = None
) -> LeadImport:
    record.status = status
    record.failure = failure
    record.finished_at = utcnow()
    publish(session, import_channel(record.id), _progress(record))
    await commit(session)
    return record


def _progress(record: LeadImport) -> dict[str, Any]:
    return {
        "id": record.id,
        "status": record.status.value,
        "total_rows": record.total_rows,
        "imported": record.imported,
        "updated": record.updated,
        "duplicates": record.duplicates,
        "errors": record.error_count,
    }


async def import_file(
    runtime: Runtime, import_id: int, path: Path, options: ImportOptions, *, wait: float
) -> LeadImport | None:
    """Run an uploaded file's import in the background; its result if done within `wait` s.

    The task is kept in the runtime (not garbage-collected mid-run) and removes its file when done.
    """

    async def run() -> LeadImport:
        try:
            return await run_import(runtime, import_id, path, options)
        finally:
            await asyncio.to_thread(path.unlink, missing_ok=True)

    running: set[asyncio.Task[LeadImport]] = runtime.services.setdefault("lead_imports", set())
    task = asyncio.create_task(run())
    running.add(task)
    task.add_done_callback(running.discard)
    done, _ = await asyncio.wait({task}, timeout=wait)
    return task.result() if done else None
