"""Lead import over GraphQL: `importLeadsCsv` (CSV or workbook, with a dry run), `leadImport`,
`leadImports`, `importProgress`."""

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
from app.activity import repository as activity
from app.activity.events import Stream
from app.core.db import utcnow
from app.core.errors import BadUserInput
from app.core.runtime import Runtime
from app.core.tenancy import get_scoped
from app.leads import importer, repository
from app.leads.error_text import import_error_text
from app.leads.fields import LeadField
from app.leads.flows import start_import
from app.leads.models import ImportStatus
from app.leads.models import LeadImport as LeadImportRow
from app.plans import service as plans
from app.plans.rules import Feature
from graphql_schema.activity import decode_after, event_id, follow
from graphql_schema.context import Info
from graphql_schema.live import current_state
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection, decode_id, encode_id, paginate
from graphql_schema.scalars import Money

LeadFieldEnum = strawberry.enum(LeadField, name="LeadField")
ImportStatusEnum = strawberry.enum(ImportStatus, name="ImportStatus")
UPLOAD_CHUNK = 256 * 1024
IMPORT_WAIT_SECONDS = 20.0
_FINISHED = (ImportStatus.COMPLETED, ImportStatus.FAILED, ImportStatus.PREVIEW)


@strawberry.type(description="A rejected row, or a value we could not use in a row we kept.")
class LeadImportError:
    line: int = strawberry.field(
        description="Physical line in the file where the row starts (a sheet's row number)."
    )
    column: str | None = strawberry.field(description="The header; null for the row as a whole.")
    cell: str | None = strawberry.field(
        default=None, description='A workbook\'s cell, such as "B12"; null for a CSV.'
    )
    message: str


@strawberry.type(description="A field proposed for a column we did not recognise.")
class FieldSuggestion:
    field: LeadFieldEnum  # type: ignore[valid-type]
    confidence: float = strawberry.field(description="0 to 1.")
    reason: str


@strawberry.type(
    description="A column the import leaves out: a few of its values and, when one is close, "
    "a proposed field. Nothing is applied until you map it with `ImportOptionsInput.mapping`."
)
class UnrecognizedColumn:
    column: str
    samples: list[str]
    suggestion: FieldSuggestion | None


@strawberry.type(
    description="A row that merges into another: an earlier row of the file (`sameAsLine`) or "
    "a lead you already have (`leadId`)."
)
class ImportMerge:
    line: int
    same_as_line: int | None
    lead_id: strawberry.ID | None
    lead_name: str | None = strawberry.field(
        description="The name of the lead it merges into: yours, or the earlier row's."
    )
    matched_on: str = strawberry.field(description="The email or phone they share.")


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


@strawberry.type(
    description="One import (or dry run): its progress, its counts and every rejected row."
)
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
    unchanged: int = strawberry.field(
        description="Leads that already existed, their row bringing nothing new. totalRows = "
        "imported + updated + unchanged + duplicates + rejectedRows."
    )
    error_count: int = strawberry.field(description="How many `errors` there are so far.")
    failure: str | None = strawberry.field(description="Why a FAILED import stopped.")
    mapping: list[ColumnMapping] = strawberry.field(description="How the columns were read.")
    preview: list[ImportPreviewRow] = strawberry.field(description="Dry runs: the first rows.")
    dry_run: bool = strawberry.field(
        description="A dry run: the whole file read, checked and merged as the import would, "
        "nothing kept but this record (status PREVIEW when done)."
    )
    unrecognized_columns: list[UnrecognizedColumn]
    merges: list[ImportMerge] = strawberry.field(
        description="Dry runs: a few rows that would merge (see `duplicates` and `updated`)."
    )
    created_at: datetime
    finished_at: datetime | None
    event_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="importProgress: the event this snapshot follows (pass it as `after` when "
        "you subscribe again); null elsewhere.",
    )

    @classmethod
    def from_row(cls, row: LeadImportRow, event: int | None = None) -> LeadImport:
        return cls(
            event_id=event_id(event),
            id=row.id,
            status=row.status,
            filename=row.filename,
            total_rows=row.total_rows,
            imported=row.imported,
            updated=row.updated,
            duplicates=row.duplicates,
            unchanged=row.unchanged,
            error_count=row.error_count,
            failure=row.failure,
            mapping=[
                ColumnMapping(column=column, field=LeadField(field))
                for column, field in (row.mapping or {}).items()
            ],
            preview=[ImportPreviewRow.from_json(p) for p in row.preview or []],
            dry_run=row.dry_run,
            unrecognized_columns=[
                UnrecognizedColumn(
                    column=c["column"],
                    samples=list(c["samples"]),
                    suggestion=FieldSuggestion(
                        field=LeadField(c["suggestion"]["field"]),
                        confidence=c["suggestion"]["confidence"],
                        reason=c["suggestion"]["reason"],
                    )
                    if c.get("suggestion")
                    else None,
                )
                for c in row.unrecognized or []
            ],
            merges=[
                ImportMerge(
                    line=m["line"],
                    same_as_line=m["same_as_line"],
                    lead_id=strawberry.ID(encode_id("Lead", m["lead_id"]))
                    if m["lead_id"] is not None
                    else None,
                    lead_name=m["lead_name"],
                    matched_on=m["matched_on"],
                )
                for m in row.merges or []
            ],
            created_at=row.created_at,
            finished_at=row.finished_at,
        )

    @strawberry.field(description="Every rejected row and unusable value, in file order.")
    async def errors(self, info: Info) -> list[LeadImportError]:
        # A short session of its own: under `importProgress` this runs on every event, and the
        # operation's session would stay open for the whole subscription.
        async with info.context.runtime.session() as session:
            found = await repository.import_errors(session, self.id)
            principal = info.context.principal
            brokerage = await session.get(Brokerage, principal.brokerage_id) if principal else None
        # Read in the brokerage's language (the parser writes each error once, in English).
        language = brokerage.language if brokerage is not None else None
        return [
            LeadImportError(**{**error, "message": import_error_text(error["message"], language)})
            for error in found
        ]

    @strawberry.field(description="Rows skipped as a whole (no email or phone, erased person).")
    async def rejected_rows(self, info: Info) -> int:
        async with info.context.runtime.session() as session:
            return await repository.rejected_row_count(session, self.id)


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
        default=False,
        description="Check the whole file as the import would (counts, merges, every rejected "
        "line, the mapping and unrecognised columns); import nothing.",
    )
    sheet: str | None = strawberry.field(
        default=None, description="A workbook's sheet to import (default: the first one)."
    )


def _options(options: ImportOptionsInput | None) -> importer.ImportOptions:
    if options is None:
        return importer.ImportOptions()
    region = options.default_region.strip().upper() if options.default_region else None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        raise BadUserInput(f"defaultRegion '{options.default_region}' is not a country code.")
    mapping = {m.column: LeadField(m.field) for m in options.mapping} if options.mapping else None
    sheet = options.sheet.strip() if options.sheet and options.sheet.strip() else None
    return importer.ImportOptions(mapping=mapping, default_region=region, sheet=sheet)


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

    @strawberry.field(description="Your imports and dry runs, newest first (running ones too).")
    async def lead_imports(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[LeadImport]:
        principal = info.context.require("leads:read")
        return await paginate(
            info.context.session,
            repository.imports_query(principal.brokerage_id),
            order=[LeadImportRow.id],
            first=first,
            after=after,
            convert=LeadImport.from_row,
        )


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
        principal.require_manager("Importing leads")
        await plans.require_feature(ctx.session, principal.brokerage_id, Feature.IMPORT)
        await plans.require_room(ctx.session, principal.brokerage_id, "leads", utcnow())
        runtime = ctx.runtime
        choices = _options(options)
        filename = (getattr(file, "filename", None) or "upload.csv")[:300]
        upload = runtime.settings.data_dir / "imports" / f"upload-{uuid.uuid4().hex}"
        await _save_upload(file, upload, runtime.settings.import_max_bytes)
        record = await start_import(
            runtime,
            principal.brokerage_id,
            upload,
            filename,
            choices,
            dry_run=bool(options is not None and options.dry_run),
            wait=IMPORT_WAIT_SECONDS,
            owned=True,
        )
        return LeadImport.from_row(record)


@strawberry.type
class ImportSubscription:
    @strawberry.subscription(
        description="An import's progress: a snapshot per batch until COMPLETED or FAILED."
    )
    async def import_progress(
        self, info: Info, import_id: strawberry.ID, after: strawberry.ID | None = None
    ) -> AsyncGenerator[LeadImport, None]:
        principal = info.context.require("leads:read")
        wanted_id = decode_id(import_id, "LeadImport")
        since = decode_after(after)
        runtime = info.context.runtime
        state = current_state()
        stmt = activity.feed(principal.brokerage_id, Stream.IMPORT, import_id=wanted_id)
        if state.mode != "live":  # this subscriber's own start: the import as it is
            async with runtime.session() as session:
                # The latest id first: an event stored after it is sent live, never skipped.
                latest = await activity.latest(session, stmt)
                row = await get_scoped(
                    session, LeadImportRow, principal.brokerage_id, wanted_id, what="LeadImport"
                )
            latest_id = latest.id if latest is not None else 0
            state.last_id = max(state.last_id, since, latest_id)
            if not since or latest_id > since:
                yield LeadImport.from_row(row, latest_id)
            if row.status in _FINISHED:
                state.finished = True
                return
            if state.mode == "catch_up":
                return

        def wanted(payload: dict[str, Any]) -> bool:
            return payload["stream"] == Stream.IMPORT.value and payload["import_id"] == wanted_id

        events = follow(runtime, principal.brokerage_id, stmt, wanted, state.last_id)
        try:
            async for payload in events:
                row = await _load(runtime, principal.brokerage_id, wanted_id)
                yield LeadImport.from_row(row, payload["id"])
                if row.status in _FINISHED:
                    return
        finally:
            await events.aclose()
