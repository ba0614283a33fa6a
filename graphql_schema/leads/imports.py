"""CSV lead import over GraphQL: `importLeadsCsv` (with a dry run), `leadImport`, `importProgress`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, ClassVar

import phonenumbers
import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from app.accounts.models import Brokerage
from app.activity.events import import_channel
from app.core.errors import BadUserInput
from app.core.runtime import Runtime
from app.core.tenancy import get_scoped
from app.leads import importer, repository
from app.leads.fields import LeadField
from app.leads.models import ImportStatus
from app.leads.models import LeadImport as LeadImportRow
from graphql_schema.context import Info
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import decode_id
from graphql_schema.scalars import Money

LeadFieldEnum = strawberry.enum(LeadField, name="LeadField")
ImportStatusEnum = strawberry.enum(ImportStatus, name="ImportStatus")
UPLOAD_CHUNK = 256 * 1024
IMPORT_WAIT_SECONDS = 20.0
_FINISHED = (ImportStatus.COMPLETED, ImportStatus.FAILED, ImportStatus.PREVIEW)


@strawberry.type(description="A rejected row, or a value we could not use in a row we kept.")
class LeadImportError:
    line: int = strawberry.field(description="Physical line in the file where the row starts.")
    column: str | None = strawberry.field(description="The header; null for the row as a whole.")
    message: str


@strawberry.type
class ColumnMapping:
    column: str
    field: LeadFieldEnum  # type: ignore[valid-type]


@strawberry.type(description="A row as it would be imported (dry runs only).")
class ImportPreviewRow:
    line: int
    name: str | None
    email: str | None
    phone: str | None
    last_contact_at: datetime | None
    locations: list[str]
    min_budget: Money | None  # type: ignore[valid-type]
    max_budget: Money | None  # type: ignore[valid-type]
    bedrooms: int | None
    operation: str = strawberry.field(description="BUY, RENT or ANY.")
    language: str | None

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> ImportPreviewRow:
        last = row.get("last_contact_at")
        return cls(
            line=row["line"],
            name=row.get("name") or None,
            email=row.get("email"),
            phone=row.get("phone"),
            last_contact_at=datetime.fromisoformat(last) if last else None,
            locations=list(row.get("locations") or []),
            min_budget=row.get("min_budget"),
            max_budget=row.get("max_budget"),
            bedrooms=row.get("bedrooms"),
            operation=row.get("operation") or "ANY",
            language=row.get("language"),
        )


@strawberry.type(description="One CSV import: its progress, its counts and every rejected row.")
class LeadImport(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = LeadImportRow
    scope: ClassVar[str] = "leads:read"
    id: relay.NodeID[int]
    status: ImportStatusEnum  # type: ignore[valid-type]
    filename: str
    total_rows: int
    imported: int = strawberry.field(description="New leads created.")
    updated: int = strawberry.field(description="Leads that already existed, updated.")
    duplicates: int = strawberry.field(description="Rows repeating a person seen earlier.")
    error_count: int = strawberry.field(description="How many `errors` there are so far.")
    failure: str | None = strawberry.field(description="Why a FAILED import stopped.")
    mapping: list[ColumnMapping] = strawberry.field(description="How the columns were read.")
    preview: list[ImportPreviewRow] = strawberry.field(description="Dry runs: the first rows.")
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def from_row(cls, row: LeadImportRow) -> LeadImport:
        return cls(
            id=row.id,
            status=row.status,
            filename=row.filename,
            total_rows=row.total_rows,
            imported=row.imported,
            updated=row.updated,
            duplicates=row.duplicates,
            error_count=row.error_count,
            failure=row.failure,
            mapping=[
                ColumnMapping(column=column, field=LeadField(field))
                for column, field in (row.mapping or {}).items()
            ],
            preview=[ImportPreviewRow.from_json(p) for p in row.preview or []],
            created_at=row.created_at,
            finished_at=row.finished_at,
        )

    @strawberry.field(description="Every rejected row and unusable value, in file order.")
    async def errors(self, info: Info) -> list[LeadImportError]:
        # A short session of its own: under `importProgress` this runs on every event, and the
        # operation's session would stay open for the whole subscription.
        async with info.context.runtime.session() as session:
            found = await repository.import_errors(session, self.id)
        return [LeadImportError(**error) for error in found]


@strawberry.input
class ColumnMappingInput:
    column: str
    field: LeadFieldEnum  # type: ignore[valid-type]


@strawberry.input
class ImportOptionsInput:
    mapping: list[ColumnMappingInput] | None = strawberry.field(
        default=None, description="Overrides the detected field of these columns (IGNORE skips)."
    )
    default_region: str | None = strawberry.field(
        default=None, description="ISO country of phones written without +code (e.g. MX, US)."
    )
    dry_run: bool | None = strawberry.field(
        default=False, description="Return the mapping and a preview; import nothing."
    )


def _options(options: ImportOptionsInput | None) -> importer.ImportOptions:
    if options is None:
        return importer.ImportOptions()
    region = options.default_region.strip().upper() if options.default_region else None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        raise BadUserInput(f"defaultRegion '{options.default_region}' is not a country code.")
    mapping = {m.column: LeadField(m.field) for m in options.mapping} if options.mapping else None
    return importer.ImportOptions(mapping=mapping, default_region=region)


async def _save_upload(file: Any, target: Path, max_bytes: int) -> None:
    """Stream the upload to `target` a chunk at a time, refusing it past `max_bytes`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    out: IO[bytes] = await asyncio.to_thread(target.open, "wb")
    try:
        while chunk := await file.read(UPLOAD_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise BadUserInput(
                    f"The file is larger than the {max_bytes / 1024 / 1024:g} MB limit; "
                    "split it in parts"
                )
            await asyncio.to_thread(out.write, chunk)
    except BaseException:
        out.close()
        await asyncio.to_thread(target.unlink, missing_ok=True)
        raise
    out.close()


async def _load(runtime: Runtime, brokerage_id: int, import_id: int) -> LeadImportRow:
    async with runtime.session() as session:
        return await get_scoped(session, LeadImportRow, brokerage_id, import_id, what="LeadImport")


@strawberry.type
class ImportQuery:
    @strawberry.field(description="One import of your brokerage, with its rejected rows.")
    async def lead_import(self, info: Info, id: strawberry.ID) -> LeadImport:
        principal = info.context.require("leads:read")
        row = await get_scoped(
            info.context.session,
            LeadImportRow,
            principal.brokerage_id,
            decode_id(id, "LeadImport"),
            what="LeadImport",
        )
        return LeadImport.from_row(row)


@strawberry.type
class ImportMutation:
    @strawberry.mutation(
        description="Import leads from a CSV export. Returns when done, or after 20 s with the "
        "import RUNNING (follow it with `importProgress`)."
    )
    async def import_leads_csv(
        self, info: Info, file: Upload, options: ImportOptionsInput | None = None
    ) -> LeadImport:
        ctx = info.context
        principal = ctx.require("leads:write")
        runtime = ctx.runtime
        choices = _options(options)
        max_bytes = runtime.settings.import_max_bytes
        filename = (getattr(file, "filename", None) or "upload.csv")[:300]
        if options is not None and options.dry_run:
            brokerage = await ctx.session.get(Brokerage, principal.brokerage_id)
            region = brokerage.default_region if brokerage else "MX"
            stream: IO[bytes] = file.file  # type: ignore[attr-defined]  # starlette UploadFile
            record = await importer.preview(
                ctx.session, principal.brokerage_id, region, stream, filename, choices, max_bytes
            )
            await ctx.commit()
            return LeadImport.from_row(record)

        folder = runtime.settings.data_dir / "imports"
        upload = folder / f"upload-{uuid.uuid4().hex}.csv"
        await _save_upload(file, upload, max_bytes)
        try:
            await asyncio.to_thread(importer.check_file, upload, choices, max_bytes)
            record = await importer.create_import(ctx.session, principal.brokerage_id, filename)
            await ctx.commit()
            path = folder / f"{record.id}.csv"
            await asyncio.to_thread(upload.rename, path)
        except BaseException:
            await asyncio.to_thread(upload.unlink, missing_ok=True)
            raise
        finished = await importer.import_file(
            runtime, record.id, path, choices, wait=IMPORT_WAIT_SECONDS
        )
        if finished is None:  # still running: the record as it stands
            finished = await _load(runtime, principal.brokerage_id, record.id)
        return LeadImport.from_row(finished)


@strawberry.type
class ImportSubscription:
    @strawberry.subscription(
        description="An import's progress: a snapshot per batch until COMPLETED or FAILED."
    )
    async def import_progress(
        self, info: Info, import_id: strawberry.ID
    ) -> AsyncGenerator[LeadImport, None]:
        principal = info.context.require("leads:read")
        wanted = decode_id(import_id, "LeadImport")
        runtime = info.context.runtime
        # Subscribe before reading, so no batch finishing in between is missed.
        async with runtime.events.subscribe(import_channel(wanted)) as queue:
            row = await _load(runtime, principal.brokerage_id, wanted)
            yield LeadImport.from_row(row)
            while row.status not in _FINISHED:
                await queue.get()
                row = await _load(runtime, principal.brokerage_id, wanted)
                yield LeadImport.from_row(row)
