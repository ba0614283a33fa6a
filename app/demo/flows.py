"""The demo's steps that write: the brokerage, the sample import and the listing, each in its
own transaction, as a broker's clicks would be."""

from __future__ import annotations

from pathlib import Path

from app.accounts.service import sign_up
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.flows import run_import
from app.leads.importer import ImportOptions, create_import
from app.leads.models import LeadImport
from app.properties.models import Property
from app.properties.service import PropertyFields, create_property


async def create_brokerage(runtime: Runtime) -> int:
    """The demo's brokerage, signed up as a broker would; its id."""
    async with runtime.session() as session:
        result = await sign_up(
            session,
            runtime.tokens,
            email="demo@brscale.example",
            password="demo-password",
            name="Ana Broker",
            brokerage_name="Casa Demo",
        )
        await commit(session)
        return result.user.brokerage_id


async def import_file(runtime: Runtime, brokerage_id: int, path: Path) -> LeadImport:
    """Import `path` (Mexican numbers by default) as an upload would; the finished import."""
    async with runtime.session() as session:
        record = await create_import(session, brokerage_id, path.name)
        await commit(session)
    return await run_import(runtime, record.id, path, ImportOptions(default_region="MX"))


async def list_property(runtime: Runtime, brokerage_id: int, fields: PropertyFields) -> Property:
    """A new listing; matching and outreach start when it commits."""
    async with runtime.session() as session:
        listing = await create_property(session, brokerage_id, fields)
        await commit(session)
    return listing
