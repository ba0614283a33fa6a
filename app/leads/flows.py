"""The one lead-import flow, for the API and the CLI alike: check the file, record the import,
run it (or its dry run), in the foreground or in the background."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.runtime import Runtime
from app.core.services import ServiceKey
from app.core.uow import commit
from app.leads import importer
from app.leads.importer import ImportOptions, Progress
from app.leads.models import LeadImport

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
            return await importer.run_import(
                runtime, record.id, path, options, on_progress=on_progress
            )
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
