"""Alembic environment: async engines, one history for PostgreSQL and SQLite.

LangGraph's checkpoint tables live in the same PostgreSQL database but belong to the
checkpointer, so `include_name` keeps autogenerate away from them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.core.db import Base, create_engine

target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    if type_ == "table":
        return name in target_metadata.tables
    return True


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_engine(
        context.config.get_main_option("sqlalchemy.url") or "", poolclass=NullPool
    )
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (conn := context.config.attributes.get("connection")) is not None:
    do_run_migrations(conn)
else:
    asyncio.run(run_async_migrations())
