"""The one lead-import flow, for the API and the CLI alike: check the file, record the import,
run it (or its dry run), in the foreground or in the background; the run commits batch by
batch (`run_import`), with the parts of `app.leads.importer`."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import IO, Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.activity.events import record_import_progress
from app.core.db import utcnow
from app.core.errors import BadUserInput
from app.core.runtime import Runtime
from app.core.services import ServiceKey
from app.core.uow import commit
from app.leads import importer, repository
from app.leads.csv_reader import CsvFormatError, CsvTable
from app.leads.importer import ImportOptions, Progress
from app.leads.models import ImportStatus, LeadImport
from app.leads.parsing import BatchParser
from app.leads.rows import RowParser
from app.leads.service import upsert_leads
from app.leads.triggers import leads_arrived, leads_changed
from app.properties.repository import listing_places

log = logging.getLogger(__name__)

# Imports running in this process, kept so a task is not garbage-collected mid-run.
RUNNING_IMPORTS: ServiceKey[set[asyncio.Task[LeadImport]]] = ServiceKey("leads.running_imports")


async def start_import(
    runtime: Runtime,
    brokerage_id: int,
    path: Path,
    filename: str,
    options: ImportOptions,
    *,
    dry_run: bool = False,
    wait: float | None = None,
    owned: bool = False,
    on_progress: Progress | None = None,
) -> LeadImport:
    """Import (or dry-run) the CSV or workbook at `path` into the brokerage.

    A file that cannot be imported at all (not a table, no email or phone column, a mapping
    naming a missing column) raises BadUserInput before anything is recorded. Otherwise the
    import is recorded RUNNING and committed, so `leadImports` lists it at once. With `wait`
    None it runs here and the finished record is returned; with a `wait` in seconds it runs in
    the background and the record is returned when done, or as it stands after `wait`. An
    `owned` file (an upload spooled for us) is removed when the import is done with it.
    """
    max_bytes = runtime.settings.import_max_bytes
    try:
        await asyncio.to_thread(importer.check_file, path, options, max_bytes)
        async with runtime.session() as session:
            record = await importer.create_import(session, brokerage_id, filename, dry_run=dry_run)
            await commit(session)
    except BaseException:
        if owned:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        raise

    async def run() -> LeadImport:
        try:
            return await run_import(runtime, record.id, path, options, on_progress=on_progress)
        finally:
            if owned:
                await asyncio.to_thread(path.unlink, missing_ok=True)

    if wait is None:
        return await run()
    # Kept in the runtime, so the task is not garbage-collected mid-run.
    running = runtime.services.setdefault(RUNNING_IMPORTS, set)
    task = asyncio.create_task(run())
    running.add(task)
    task.add_done_callback(running.discard)
    done, _ = await asyncio.wait({task}, timeout=wait)
    if done:
        return task.result()
    async with runtime.session() as session:
        current = await session.get(LeadImport, record.id)
        assert current is not None
        return current


async def run_import(
    runtime: Runtime,
    import_id: int,
    source: Path | IO[bytes],
    options: ImportOptions,
    *,
    on_progress: Progress | None = None,
) -> LeadImport:
    """Import every row of `source` into the import's brokerage; returns the finished record.

    A dry run (`LeadImport.dry_run`) goes through exactly the same reading, parsing, merging and
    writing, in a transaction that is rolled back: its counts are the import's by construction.
    """
    async with runtime.session() as session:
        record = await session.get(LeadImport, import_id)
        if record is None:
            raise LookupError(f"no lead import {import_id}")
        brokerage_id = record.brokerage_id
        brokerage = await session.get(Brokerage, brokerage_id)
        region = options.default_region or (brokerage.default_region if brokerage else None)
        # The brokerage's listing places: mentions of them in notes become preferences.
        known = await listing_places(session, brokerage_id)
        try:
            table, mapping = await asyncio.to_thread(
                importer.open_table, source, options, runtime.settings.import_max_bytes
            )
        except BadUserInput as exc:
            return await _finish(session, record, ImportStatus.FAILED, failure=exc.message)
        tally = importer.Tally()
        try:
            with table:
                record.mapping = importer.mapping_list(table, mapping)
                record.unrecognized = await asyncio.to_thread(
                    importer.unrecognized_columns, table, mapping, options
                )
                row_parser = await asyncio.to_thread(
                    RowParser.for_table,
                    table,
                    mapping,
                    default_region=region,
                    known_locations=known,
                    timezone=brokerage.timezone if brokerage else "UTC",
                )
                await commit(session)  # the mapping is visible while the rows are read
                parser = BatchParser(
                    row_parser,
                    importer.COLUMN_LENGTHS,
                    first_column=table.first_column if table.sheet is not None else None,
                )
                if record.dry_run:
                    return await _rehearse(runtime, session, record, table, parser, tally)
                async with importer.parsed_batches(runtime, table, parser) as batches:
                    async for parsed in batches:
                        result = await upsert_leads(
                            session,
                            brokerage_id,
                            parsed.leads,
                            source=importer.SOURCE,
                            named=tally.named,
                        )
                        errors = tally.add(record, parsed, result)
                        # Stored with the batch: memory does not grow with the bad rows.
                        await repository.add_import_errors(session, import_id, errors)
                        record_import_progress(session, brokerage_id, import_id, _progress(record))
                        await commit(session)
                        if on_progress is not None:
                            on_progress(record)
        except Exception as exc:
            await session.rollback()
            log.exception("lead import %s failed", import_id)
            reloaded = await session.get(LeadImport, import_id, populate_existing=True)
            assert reloaded is not None
            if not reloaded.dry_run:
                # The batches that did commit are real leads: match and route them too.
                leads_changed(session, brokerage_id, tally.changed)
                leads_arrived(session, brokerage_id, tally.arrived)
            return await _finish(session, reloaded, ImportStatus.FAILED, failure=_failure(exc))
        leads_changed(session, brokerage_id, tally.changed)
        leads_arrived(session, brokerage_id, tally.arrived)
        return await _finish(session, record, ImportStatus.COMPLETED)


def _failure(exc: Exception) -> str:
    if isinstance(exc, BadUserInput):
        return exc.message
    if isinstance(exc, CsvFormatError):  # the file breaks off part-way
        return str(exc)
    return "The import stopped part-way; import the same file again to finish it."


async def _rehearse(
    runtime: Runtime,
    session: AsyncSession,
    record: LeadImport,
    table: CsvTable,
    parser: BatchParser,
    tally: importer.Tally,
) -> LeadImport:
    """The import, batch by batch, in a sandbox session rolled back at the end.

    Its problems are kept until then (a second writer would wait on SQLite's lock), as compact
    tuples; the first rows become the preview and a few merging rows the examples. On a
    brokerage with no leads yet (a broker's first file, checked first) nothing is written: the
    rows merge with the file's earlier rows only, kept in memory by their addresses
    (`importer.FreshLeads`), the same merge as the import's (`service.fold_rows`).
    """
    errors: list[tuple[int, str | None, str, str | None]] = []
    examples = importer.MergeExamples(importer.MERGE_EXAMPLES)
    preview: list[dict[str, Any]] = []
    brokerage_id = record.brokerage_id
    failure: str | None = None
    async with runtime.session() as sandbox:
        fresh = None if await repository.has_leads(sandbox, brokerage_id) else importer.FreshLeads()
        try:
            async with importer.parsed_batches(runtime, table, parser) as batches:
                async for parsed in batches:
                    leads = parsed.leads
                    if fresh is not None:
                        result = await fresh.upsert(sandbox, brokerage_id, leads, tally.named)
                    else:
                        result = await upsert_leads(
                            sandbox, brokerage_id, leads, source=importer.SOURCE, named=tally.named
                        )
                    found = tally.add(record, parsed, result)
                    errors.extend(
                        (e["line"], e["column"], e["message"], e.get("cell")) for e in found
                    )
                    if len(preview) < importer.PREVIEW_ROWS:
                        room = importer.PREVIEW_ROWS - len(preview)
                        preview.extend(
                            importer.preview_row(line, values)
                            for line, values in zip(parsed.lines[:room], leads, strict=False)
                        )
                    await examples.add(
                        runtime, brokerage_id, parsed.lines, leads, result, tally.inserted
                    )
        except Exception as exc:  # reported as the import would, with what was checked before
            log.warning("dry run %s stopped: %s", record.id, exc)
            failure = _failure(exc)
        finally:
            await sandbox.rollback()
    record.preview = preview
    record.merges = examples.found
    for start in range(0, len(errors), importer.BATCH_ROWS):
        await repository.add_import_errors(
            session,
            record.id,
            [
                {"line": line, "column": column, "message": message, "cell": cell}
                for line, column, message, cell in errors[start : start + importer.BATCH_ROWS]
            ],
        )
    status = ImportStatus.PREVIEW if failure is None else ImportStatus.FAILED
    return await _finish(session, record, status, failure=failure)


async def _finish(
    session: AsyncSession, record: LeadImport, status: ImportStatus, *, failure: str | None = None
) -> LeadImport:
    record.status = status
    record.failure = failure
    record.finished_at = utcnow()
    record_import_progress(session, record.brokerage_id, record.id, _progress(record))
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
        "unchanged": record.unchanged,
        "errors": record.error_count,
    }
