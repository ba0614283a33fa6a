"""Every lead query: scoped to one brokerage, set-based, never one query per lead."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.tenancy import scoped
from app.core.text import fold
from app.leads.models import ImportRowError, Lead, LeadChange, LeadImport, Suppression
from app.leads.temperature import Temperature, temperature_bounds

# Columns an upsert reads back to merge into; everything a source can change.
MERGE_COLUMNS = (
    "id",
    "name",
    "email",
    "phone",
    "other_emails",
    "other_phones",
    "last_contact_at",
    "crm_status",
    "owner",
    "tags",
    "notes",
    "language",
    "locations",
    "location_keys",
    "min_budget",
    "max_budget",
    "rent_min_budget",
    "rent_max_budget",
    "currency",
    "bedrooms",
    "operation",
    "external_source",
    "external_id",
    "source",
)


@dataclass(frozen=True)
class LeadFilter:
    """The shape of a leads listing's filter; its values travel as parameters, so one
    statement per shape serves every brokerage, day and search text (`leads_statement`)."""

    temperature: Temperature | None = None
    search: bool = False
    phone: bool = False  # the search has 4+ digits: phones are searched too


def lead_filter(
    brokerage_id: int, *, temperature: Temperature | None, search: str | None, now: datetime
) -> tuple[LeadFilter, dict[str, Any]]:
    """The shape of the listing's filter and its parameters' values."""
    params: dict[str, Any] = {"brokerage_id": brokerage_id}
    if temperature is not None:
        bounds = temperature_bounds(now)
        params["hot_after"] = bounds.hot_after
        params["cold_at_or_before"] = bounds.cold_at_or_before
    folded = fold(search) if search else ""
    digits = "".join(ch for ch in search if ch.isdigit()) if folded and search else ""
    if folded:
        # Folded both ways: the stored `name_key` and the search text lose accents and case.
        text = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["search_text"] = f"%{text}%"
        if len(digits) >= 4:  # "55 1234 5678" finds +525512345678
            params["search_digits"] = f"%{digits}%"
    return LeadFilter(temperature, bool(folded), len(digits) >= 4), params


def leads_statement(shape: LeadFilter) -> Select[Any]:
    """A brokerage's leads filtered as `shape` says, the values as bound parameters
    (`lead_filter` gives them)."""
    stmt = scoped(Lead, bindparam("brokerage_id"))  # type: ignore[arg-type]
    if shape.temperature is Temperature.HOT:
        stmt = stmt.where(Lead.last_contact_at > bindparam("hot_after"))
    elif shape.temperature is Temperature.WARM:
        stmt = stmt.where(
            Lead.last_contact_at > bindparam("cold_at_or_before"),
            Lead.last_contact_at <= bindparam("hot_after"),
        )
    elif shape.temperature is Temperature.COLD:
        stmt = stmt.where(
            or_(
                Lead.last_contact_at.is_(None),
                Lead.last_contact_at <= bindparam("cold_at_or_before"),
            )
        )
    if shape.search:
        conditions = [
            Lead.name_key.like(bindparam("search_text"), escape="\\"),
            Lead.email.like(bindparam("search_text"), escape="\\"),
        ]
        if shape.phone:
            conditions.append(Lead.phone.like(bindparam("search_digits")))
        stmt = stmt.where(or_(*conditions))
    return stmt


def leads_query(
    brokerage_id: int, *, temperature: Temperature | None, search: str | None, now: datetime
) -> Select[Any]:
    shape, params = lead_filter(brokerage_id, temperature=temperature, search=search, now=now)
    return leads_statement(shape).params(params)


def _fold_name(name: str | None) -> str:
    return fold.__wrapped__(name or "")


async def find_for_merge(
    session: AsyncSession,
    brokerage_id: int,
    *,
    emails: Iterable[str],
    phones: Iterable[str],
    external: tuple[str, Iterable[str]] | None = None,
) -> list[dict[str, Any]]:
    """Existing leads known by any of these emails, phones or external ids, as plain dicts.

    An address is looked up as a lead's own (`email`, `phone`) and among the others it is known
    by (`other_emails`, `other_phones`). The leads found by their own addresses come first, so
    a merge's lookup by address prefers the lead whose own address it is.
    """
    emails, phones = list(set(emails)), list(set(phones))
    if session.get_bind().dialect.name == "postgresql":
        return await _find_for_merge_postgres(session, brokerage_id, emails, phones, external)
    columns = [getattr(Lead, name) for name in MERGE_COLUMNS]
    conditions: list[ColumnElement[bool]] = []
    if emails:
        conditions.append(Lead.email.in_(emails))
    if phones:
        conditions.append(Lead.phone.in_(phones))
    if external is not None and (ids := list(set(external[1]))):
        conditions.append(and_(Lead.external_source == external[0], Lead.external_id.in_(ids)))
    if not conditions:
        return []
    parts: list[Select[Any]] = [
        select(*columns).where(Lead.brokerage_id == brokerage_id, or_(*conditions))
    ]
    # SQLite: the other addresses through partial indexes of the leads that have some
    # (migration 0018), so a file of new leads does not read every lead's lists.
    for others, values in ((Lead.other_emails, emails), (Lead.other_phones, phones)):
        if values:
            each = func.json_each(others).table_valued("value")
            parts.append(
                select(*columns).where(
                    Lead.brokerage_id == brokerage_id,
                    others != text("'[]'"),
                    select(each.c.value).where(each.c.value.in_(values)).exists(),
                )
            )
    return await _distinct_leads(session, parts)


async def _find_for_merge_postgres(
    session: AsyncSession,
    brokerage_id: int,
    emails: list[str],
    phones: list[str],
    external: tuple[str, Iterable[str]] | None,
) -> list[dict[str, Any]]:
    """PostgreSQL: one index probe per address, each list one array parameter (IN would render
    a parameter per value, a new statement text and prepared statement for every batch size).

    An OR over the lists, or a join, is planned as a scan of the whole brokerage while the
    table has no statistics yet (a first big import) and costs a scan per batch however many
    leads match. Own addresses are unique in a brokerage (one row each); the other addresses
    are probed through their GIN indexes (jsonb containment, migration 0018), which may find
    several leads, in other brokerages too.
    """
    columns = [getattr(Lead, name) for name in MERGE_COLUMNS]
    parts: list[Select[Any]] = []
    arrays = {
        name: bindparam(name, values, type_=ARRAY(String))
        for name, values in (("emails", emails), ("phones", phones))
    }
    probes = (
        (Lead.email, emails, "emails", False),
        (Lead.phone, phones, "phones", False),
        (Lead.other_emails, emails, "emails", True),
        (Lead.other_phones, phones, "phones", True),
    )
    for column, values, name, others in probes:
        if not values:
            continue
        wanted = func.unnest(arrays[name]).table_valued("v").render_derived()
        if not others:
            found = (
                select(*columns)
                .where(Lead.brokerage_id == brokerage_id, column == wanted.c.v)
                .limit(1)
                .lateral()
            )
            parts.append(select(found).select_from(wanted).join(found, true()))
            continue
        # The brokerage is checked outside the probe, which OFFSET keeps apart: with the two
        # conditions together and no statistics yet, PostgreSQL walks the brokerage's leads
        # once per address (seconds a batch) instead of probing the GIN index (~10 us each).
        contains = column.op("@>", is_comparison=True)(func.jsonb_build_array(wanted.c.v))
        found = select(*columns, Lead.brokerage_id).where(contains).offset(0).lateral()
        parts.append(
            select(*(found.c[name] for name in MERGE_COLUMNS))
            .select_from(wanted)
            .join(found, true())
            .where(found.c.brokerage_id == brokerage_id)
        )
    if len(emails) + len(phones) >= _JIT_AFTER_ADDRESSES:
        # 2,000 GIN probes are estimated at ~300,000 (they take ~30 ms), past jit_above_cost
        # (100,000): JIT-compiling the statement took 3-5 s a batch (load 17). Off for the
        # rest of this transaction, whose other statements are inserts and updates by key.
        await session.execute(_NO_JIT)
    if external is not None and (ids := list(set(external[1]))):
        source, among = external[0], bindparam("external", ids, type_=ARRAY(String))
        parts.append(
            select(*columns).where(
                Lead.brokerage_id == brokerage_id,
                Lead.external_source == source,
                Lead.external_id == any_(among),
            )
        )
    return await _distinct_leads(session, parts)


async def _distinct_leads(session: AsyncSession, parts: list[Select[Any]]) -> list[dict[str, Any]]:
    """The leads the statements find, each once, in the order first found."""
    if not parts:
        return []
    found_leads: dict[int, dict[str, Any]] = {}
    for row in await session.execute(parts[0] if len(parts) == 1 else union_all(*parts)):
        found_leads.setdefault(row.id, dict(row._mapping))
    return list(found_leads.values())


async def insert_leads(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert many leads in one executemany round trip; their new ids, in order."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return await _copy_leads(session, rows)
    # Uncached: an import's 100k distinct names would only fill fold()'s cache.
    rows = [{**row, "name_key": _fold_name(row.get("name"))} for row in rows]
    # Core insert on the table: the ORM bulk path splices RETURNING rows once per row (O(n^2)).
    stmt = insert(_LEADS).returning(_LEADS.c.id, sort_by_parameter_order=True)
    return list((await session.execute(stmt, list(rows))).scalars())


_LEADS: Table = Lead.__table__  # type: ignore[assignment]
_IMPORT_ERRORS: Table = ImportRowError.__table__  # type: ignore[assignment]
_NO_JIT = text("SET LOCAL jit = off")
_JIT_AFTER_ADDRESSES = 200  # ~150 a probe: well below jit_above_cost
_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('leads', 'id')) FROM generate_series(1, :n)"
)


async def _copy_leads(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[int]:
    """PostgreSQL: ids drawn from the sequence, then one binary COPY in the session's transaction.

    Several times faster than INSERT for an import's batches (perf-baselines.md section 2). The
    values go through the same column types (bind processors) and Python defaults as an INSERT,
    and a taken email or phone fails the batch with an IntegrityError, as an INSERT would.
    """
    import asyncpg

    connection = await session.connection()
    if not connection.in_transaction():
        await connection.execute(text("SELECT 1"))
    ids = list((await connection.execute(_NEXT_IDS, {"n": len(rows)})).scalars())
    dialect = connection.dialect
    columns = [c for c in _LEADS.columns if c.name != "id"]
    defaults: dict[str, Any] = {}
    for column in columns:
        default = column.default
        if default is not None and getattr(default, "is_scalar", False):
            defaults[column.name] = default.arg  # type: ignore[attr-defined]
        elif default is not None and getattr(default, "is_callable", False):
            defaults[column.name] = default.arg(None)  # type: ignore[attr-defined]
        else:
            defaults[column.name] = None
    # Rows to columns in C (itemgetter, zip), then column by column through the bind
    # processors: per-value Python work only where a type needs it, for 30+ columns a row.
    names = [c.name for c in columns]
    cut = operator.itemgetter(*names)
    by_column: list[Sequence[Any]] = list(zip(*(cut(defaults | row) for row in rows), strict=True))
    # Uncached: an import's 100k distinct names would only fill fold()'s cache.
    by_column[names.index("name_key")] = tuple(_fold_name(row.get("name")) for row in rows)
    values: list[Sequence[Any]] = [ids]
    cells: Sequence[Any]
    for column, cells in zip(columns, by_column, strict=True):
        process = column.type._cached_bind_processor(dialect)
        if process is not None and isinstance(column.type, JSON):
            # A batch repeats a few lists ([], ["Miami"], ...): each one is serialised once.
            cells = _json_cells(cells, process)
        elif process is not None:
            cells = list(map(process, cells))
        values.append(cells)
    records = list(zip(*values, strict=True))
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None
    try:
        await raw.copy_records_to_table(
            _LEADS.name, records=records, columns=["id", *(c.name for c in columns)]
        )
    except asyncpg.UniqueViolationError as exc:
        raise IntegrityError("COPY leads", None, exc) from exc
    return ids


def _json_cells(cells: Sequence[Any], process: Callable[[Any], Any]) -> list[Any]:
    done: dict[tuple[Any, ...], Any] = {}
    out = []
    for cell in cells:
        if isinstance(cell, list) and (not cell or all(type(item) is str for item in cell)):
            key = tuple(cell)
            found = done.get(key)
            if found is None:
                found = done[key] = process(cell)
            out.append(found)
        else:
            out.append(process(cell))
    return out


async def update_leads(session: AsyncSession, changes: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key; each dict holds `id` and the changed columns."""
    by_columns: dict[frozenset[str], list[dict[str, Any]]] = {}
    for change in changes:
        if "name" in change:
            change = {**change, "name_key": _fold_name(change["name"])}
        by_columns.setdefault(frozenset(change), []).append(change)
    for group in by_columns.values():
        await session.execute(update(Lead), group)


async def log_changes(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(LeadChange), list(rows))


async def add_import_errors(
    session: AsyncSession, import_id: int, errors: Sequence[dict[str, Any]]
) -> None:
    """Store a batch's problems (dicts of line, column, message) in one statement."""
    if errors:
        await session.execute(
            insert(_IMPORT_ERRORS), [{"import_id": import_id, **e} for e in errors]
        )


async def import_errors(
    session: AsyncSession,
    import_id: int,
    *,
    lines: Iterable[int] | None = None,
    rows_only: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """An import's problems in file order: all of them, or those of `lines`, or only the
    rejected rows' verdicts (`rows_only`), at most `limit`."""
    stmt = select(
        ImportRowError.line, ImportRowError.column, ImportRowError.message, ImportRowError.cell
    ).where(ImportRowError.import_id == import_id)
    if lines is not None:
        stmt = stmt.where(ImportRowError.line.in_(list(lines)))
    if rows_only:
        stmt = stmt.where(ImportRowError.column.is_(None))
    stmt = stmt.order_by(ImportRowError.line, ImportRowError.id).limit(limit)
    return [dict(row._mapping) for row in await session.execute(stmt)]


async def rejected_row_count(session: AsyncSession, import_id: int) -> int:
    stmt = select(func.count()).where(
        ImportRowError.import_id == import_id, ImportRowError.column.is_(None)
    )
    return int(await session.scalar(stmt) or 0)


def imports_query(brokerage_id: int) -> Select[Any]:
    return scoped(LeadImport, brokerage_id)


async def has_leads(session: AsyncSession, brokerage_id: int) -> bool:
    stmt = select(Lead.id).where(Lead.brokerage_id == brokerage_id).limit(1)
    return (await session.scalar(stmt)) is not None


async def has_suppressions(session: AsyncSession, brokerage_id: int) -> bool:
    stmt = select(Suppression.id).where(Suppression.brokerage_id == brokerage_id).limit(1)
    return (await session.scalar(stmt)) is not None


async def suppressed(session: AsyncSession, brokerage_id: int, digests: Iterable[str]) -> set[str]:
    """Which of `digests` are suppressed in the brokerage."""
    wanted = list(set(digests))
    if not wanted:
        return set()
    among = (
        Suppression.digest == any_(bindparam("digests", wanted, type_=ARRAY(String)))
        if session.get_bind().dialect.name == "postgresql"  # one parameter, one statement text
        else Suppression.digest.in_(wanted)
    )
    stmt = select(Suppression.digest).where(Suppression.brokerage_id == brokerage_id, among)
    return set((await session.execute(stmt)).scalars())


async def add_suppressions(
    session: AsyncSession, brokerage_id: int, digests: Iterable[str], reason: str
) -> None:
    known = await suppressed(session, brokerage_id, digests)
    rows = [
        {"brokerage_id": brokerage_id, "digest": digest, "reason": reason}
        for digest in dict.fromkeys(digests)
        if digest not in known
    ]
    if rows:
        await session.execute(insert(Suppression), rows)


async def delete_lead(session: AsyncSession, brokerage_id: int, lead_id: int) -> None:
    """Delete a lead; its messages, conversations, matches, tasks, consents and history go with
    it (ON DELETE CASCADE on both databases)."""
    await session.execute(delete(Lead).where(Lead.brokerage_id == brokerage_id, Lead.id == lead_id))


async def contacts_of(
    session: AsyncSession, brokerage_id: int, lead_ids: Sequence[int]
) -> list[dict[str, Any]]:
    if not lead_ids:
        return []
    stmt = select(
        Lead.id, Lead.name, Lead.email, Lead.phone, Lead.other_emails, Lead.other_phones
    ).where(Lead.brokerage_id == brokerage_id, Lead.id.in_(list(lead_ids)))
    return [dict(row._mapping) for row in await session.execute(stmt)]


async def leads_page(
    session: AsyncSession, brokerage_id: int, *, after_id: int, limit: int
) -> list[Lead]:
    """A page of the brokerage's leads by id, for exports that stream in constant memory."""
    stmt = scoped(Lead, brokerage_id).where(Lead.id > after_id).order_by(Lead.id).limit(limit)
    return list((await session.execute(stmt)).scalars())
