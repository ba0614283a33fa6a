"""Database plumbing shared by every domain: the declarative base, portable column types, engines.

One model set and one migration history serve PostgreSQL (asyncpg) and the embedded SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import os
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    DateTime,
    Enum,
    Integer,
    Select,
    String,
    event,
    make_url,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    create_async_engine,
)
from sqlalchemy.orm import Bundle, DeclarativeBase, InstrumentedAttribute, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util.concurrency import await_

from app.core.visibility import visible_to_agent

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

JsonDoc = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments an INTEGER PRIMARY KEY, PostgreSQL wants BIGINT for headroom.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def str_enum(enum_cls: type[enum.Enum], length: int = 24) -> Enum:
    """An enum stored as VARCHAR + CHECK on both databases (no native ENUM types to migrate)."""
    return Enum(enum_cls, native_enum=False, length=length, validate_strings=True)


class Base(DeclarativeBase):
    type_annotation_map = {dict: JsonDoc, list: JsonDoc, datetime: UtcDateTime()}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utcnow, server_default=text("CURRENT_TIMESTAMP")
    )


class SharedSession(AsyncSession):
    """One session for everything a GraphQL operation reads, shared by the resolvers GraphQL runs
    concurrently: their statements take turns on its one connection.

    A session per resolver held a pooled connection per alias until the operation ended, so one
    query with 30 aliases drained the pool and stalled every other caller.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Exclusive use for the running task; re-entrant (`scalars` calls `execute`)."""
        task = asyncio.current_task()
        if task is not None and self._holder is task:
            yield
            return
        async with self._turn:
            self._holder = task
            try:
                yield
            finally:
                self._holder = None


def _taking_turns(name: str) -> Any:
    method = getattr(AsyncSession, name)

    @functools.wraps(method)
    async def wrapper(self: SharedSession, *args: Any, **kwargs: Any) -> Any:
        async with self.turn():
            return await method(self, *args, **kwargs)

    return wrapper


for _name in (
    "execute",
    "scalar",
    "scalars",
    "get",
    "get_one",
    "stream",
    "stream_scalars",
    "flush",
    "commit",
    "rollback",
    "refresh",
    "merge",
    "delete",
    "run_sync",
    "connection",
    "close",
):
    setattr(SharedSession, _name, _taking_turns(_name))


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    # A failed statement's error message must not carry its parameters (leads' emails and
    # phones) into the logs.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            _private_file(Path(database))
        else:  # one in-memory database per connection: no pool to size
            for key in ("pool_size", "max_overflow", "pool_timeout"):
                kwargs.pop(key, None)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if "poolclass" not in kwargs:
        # Sized for MAX_CONCURRENT_CONVERSATIONS: an overflow connection is closed when returned,
        # and opening connections under load costs more than keeping them.
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 10)
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine, "handle_error", _fatal_is_disconnect)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine.sync_engine, "checkout", _ping_if_idle)
        event.listen(engine.sync_engine, "checkin", _note_checkin)
    return engine


# A pooled connection idle for longer than this is checked (one round trip) before it is lent.
# SQLAlchemy's pre-ping checks every checkout, in three round trips on asyncpg (BEGIN, a ping,
# ROLLBACK): on a short read that tripled the statements. A connection that died while in busy
# use fails its next statement instead, which invalidates the whole pool at once.
PING_AFTER_IDLE_SECONDS = 2.0


# The server's FATAL errors: it closes the connection right after sending one.
_FATAL = (
    asyncpg.exceptions.AdminShutdownError,  # pg_terminate_backend, a shutdown
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
)


def doomed(exc: BaseException) -> bool:
    """`exc` (or its cause) means the connection is gone, even if asyncpg has not yet seen its
    socket close: such a connection is in the middle of consuming the error, and the next
    statement lent it fails with "cannot switch to state 12; another operation (2) is in
    progress" (a masked error, not retried: 1 failed dashboard read in the drill
    `pg-terminate`)."""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (OSError, asyncpg.PostgresConnectionError, *_FATAL)):
            return True
        current = current.__cause__ or current.__context__
    return False


def _fatal_is_disconnect(context: Any) -> None:
    """SQLAlchemy's asyncpg dialect takes an error as a disconnect only once asyncpg has seen
    the socket close; a FATAL error is one already: the connection is invalidated, not lent
    again, and so is the rest of the pool (they die together)."""
    if not context.is_disconnect and doomed(context.original_exception):
        context.is_disconnect = True


def _note_checkin(_dbapi_conn: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    if dbapi_conn._connection.is_closed():
        # Its server went away and asyncpg already saw the socket close (`pg_terminate_backend`
        # on every connection at once, a failover): never lent, however lately it was returned.
        raise DisconnectionError("connection is closed")
    checked_in = record.info.get("checked_in_at")
    if checked_in is not None and time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
        return
    try:
        await_(dbapi_conn._connection.fetchrow(";"))  # the asyncpg connection itself
    except Exception as exc:  # the pool retries with a fresh connection
        raise DisconnectionError(str(exc)) from exc


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only (leads' personal data lives there);
    SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    path.chmod(0o600)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "busy_timeout=30000",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """`INSERT` with PostgreSQL's and SQLite's shared `ON CONFLICT` support, for this session's
    database."""
    from sqlalchemy.dialects import postgresql, sqlite

    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["configure_logger"] = False
    return cfg


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision` (the app's own tables only)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))

    def upgrade(sync_conn: Any) -> None:
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(upgrade)


_DROP = 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'


async def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database of `url`, migrated (tests and benchmarks)."""
    await _on_server(url, _DROP, 'CREATE DATABASE "{name}"')
    engine = create_engine("postgresql+asyncpg://" + url.split("://", 1)[1])
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


async def drop_database(url: str) -> None:
    await _on_server(url, _DROP)


async def _on_server(url: str, *statements: str) -> None:
    """Run statements about the database of `url` from the server's `postgres` database."""
    server_url, name = url.rsplit("/", 1)
    admin = await asyncpg.connect(server_url + "/postgres")
    try:
        for statement in statements:
            await admin.execute(statement.format(name=name))
    finally:
        await admin.close()


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))

    def run(sync_conn: Any) -> None:
        cfg.attributes["connection"] = sync_conn
        command.downgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


# --- plain reads ------------------------------------------------------------------------------


class ColumnDict(Bundle[Any]):
    """Some columns of a row, read as one dict of them (no Row object per row)."""

    def create_row_processor(self, query: Any, procs: Any, labels: Any) -> Any:
        def values(row: Any) -> dict[str, Any]:
            return dict(zip(labels, [proc(row) for proc in procs], strict=True))

        return values


# Column types whose result and bind processing does not depend on the driver's type code, so a
# statement compiled once reads them exactly as SQLAlchemy's own execution would.
_PLAIN_TYPES = (Integer, String, Boolean, UtcDateTime)


@dataclass(frozen=True)
class _PlainSelect:
    sql: str
    names: tuple[str, ...]  # the parameters, in their positional order
    binds: tuple[Any, ...]  # a bind processor per parameter (or None)
    results: tuple[Any, ...]  # a result processor per column (or None)
    # per item of the row: the labels of a ColumnDict, or None for one column
    shape: tuple[tuple[str, ...] | None, ...]


def _plain_select(stmt: Select[Any], dialect: Any) -> _PlainSelect | None:
    """`stmt` compiled for asyncpg, when its items are all columns of plain types or
    ColumnDicts of them and it needs nothing rendered per execution."""
    shape: list[tuple[str, ...] | None] = []
    for description in stmt.column_descriptions:
        expr = description["expr"]
        if isinstance(expr, ColumnDict):
            shape.append(tuple(expr.c.keys()))
        elif isinstance(expr, (ColumnElement, InstrumentedAttribute)):
            shape.append(None)
        else:
            return None  # an entity: the ORM's to build
    compiled = stmt.compile(dialect=dialect)
    columns = compiled._result_columns
    if (
        compiled.positiontup is None
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or len(columns) != sum(1 if labels is None else len(labels) for labels in shape)
        or not all(isinstance(column.type, _PLAIN_TYPES) for column in columns)
    ):
        return None
    names = tuple(compiled.positiontup)
    processors = compiled._bind_processors
    return _PlainSelect(
        sql=compiled.string,
        names=names,
        binds=tuple(processors.get(name) for name in names),
        results=tuple(column.type._cached_result_processor(dialect, None) for column in columns),
        shape=tuple(shape),
    )


# Compiled SELECTs by statement (the statements come from a bounded cache of their own and are
# held here, so an id is not reused while its entry lives).
_PLAIN_SELECTS: dict[int, tuple[Select[Any], _PlainSelect | None]] = {}
_MAX_PLAIN_SELECTS = 1024


async def read_rows(
    session: AsyncSession, stmt: Select[Any], params: dict[str, Any]
) -> Sequence[Any]:
    """The rows of a SELECT built once and run many times (a list's page), as tuples.

    On PostgreSQL, a statement of plain columns run outside a transaction (a GraphQL query's
    session) goes straight to asyncpg on the session's connection: compiled once, no ORM
    execution, no Row objects. Everything else, and whenever something else must see the
    statement (an AGENT's row filter, listeners on the engine's statements), goes through
    `session.execute` as usual; the rows are the same.
    """
    bind = session.bind
    plain = None
    if (
        isinstance(bind, AsyncEngine)
        and bind.dialect.driver == "asyncpg"
        and visible_to_agent.get() is None
        and not _statement_listeners(bind)
    ):
        entry = _PLAIN_SELECTS.get(id(stmt))
        if entry is None or entry[0] is not stmt:
            if len(_PLAIN_SELECTS) >= _MAX_PLAIN_SELECTS:
                _PLAIN_SELECTS.clear()
            entry = _PLAIN_SELECTS[id(stmt)] = (stmt, _plain_select(stmt, bind.dialect))
        plain = entry[1]
    if plain is None:
        return (await session.execute(stmt, params)).all()
    assert isinstance(bind, AsyncEngine)
    shared = session if isinstance(session, SharedSession) else None
    async with shared.turn() if shared is not None else contextlib.nullcontext():
        if session.in_transaction():  # the session holds a connection: that one
            records = await _fetch(await session.connection(), plain, params)
        else:  # lent for this one statement (the session's turn keeps it one at a time)
            async with bind.connect() as connection:
                records = await _fetch(connection, plain, params)
    if records is None:
        return (await session.execute(stmt, params)).all()
    return _shaped(records, plain)


async def _fetch(
    connection: AsyncConnection, plain: _PlainSelect, params: dict[str, Any]
) -> list[Any] | None:
    """The records, or None when the connection is in a transaction (SQLAlchemy's to begin)."""
    raw = await connection.get_raw_connection()
    if not getattr(raw.dbapi_connection, "autocommit", False):
        return None
    args = [
        params[name] if process is None else process(params[name])
        for name, process in zip(plain.names, plain.binds, strict=True)
    ]
    driver = raw.driver_connection
    assert driver is not None
    try:
        records: list[Any] = await driver.fetch(plain.sql, *args)
    except Exception as exc:
        if doomed(exc) or driver.is_closed():
            # As SQLAlchemy does on a disconnect: every connection of the pool lent before now
            # is opened afresh when next lent. They all died together (a failover,
            # `pg_terminate_backend`), and the query's one retry must not be lent the next dead
            # one (it was: 2 failed dashboard reads in the drill `pg-terminate`).
            connection.sync_engine.pool._invalidate(raw, exc, _checkin=False)
            await connection.invalidate(exc)
        raise
    return records


def _statement_listeners(bind: AsyncEngine) -> bool:
    dispatch = bind.sync_engine.dispatch
    return bool(dispatch.before_cursor_execute) or bool(dispatch.after_cursor_execute)


def _shaped(records: list[Any], plain: _PlainSelect) -> list[tuple[Any, ...]]:
    results = plain.results
    shape = plain.shape
    first = shape[0] if shape else None
    if first is not None and all(labels is None for labels in shape[1:]):
        # a list's page: (ColumnDict of the item's columns, *order values), a third faster
        # without the general loop below
        width = len(first)
        processors = [(i, process) for i, process in enumerate(results) if process is not None]
        page = []
        for record in records:
            values = list(record)
            for i, process in processors:
                values[i] = process(values[i])
            page.append((dict(zip(first, values[:width], strict=True)), *values[width:]))
        return page
    processed = [i for i, process in enumerate(results) if process is not None]
    rows = []
    for record in records:
        values = list(record)
        for i in processed:
            values[i] = results[i](values[i])
        row: list[Any] = []
        start = 0
        for labels in plain.shape:
            if labels is None:
                row.append(values[start])
                start += 1
            else:
                end = start + len(labels)
                row.append(dict(zip(labels, values[start:end], strict=True)))
                start = end
        rows.append(tuple(row))
    return rows
