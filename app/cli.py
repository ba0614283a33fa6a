"""`brscale`: serve the API, run a worker, migrate, import a CSV, play the demo."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from app.core.config import load_settings

cli = typer.Typer(
    add_completion=False, no_args_is_help=True, help="BR SCALE: AI lead reactivation."
)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the GraphQL API (and, without Redis, run jobs in-process)."""
    import uvicorn

    settings = load_settings()
    where = "PostgreSQL" if settings.is_postgres else f"SQLite in {settings.data_dir.resolve()}"
    typer.echo(f"BR SCALE on {where}; GraphQL at http://{host}:{port}/graphql", err=True)
    uvicorn.run(
        "graphql_schema.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )


@cli.command()
def worker() -> None:
    """Run an arq worker against REDIS_URL."""
    from arq.worker import run_worker

    from workers.settings import WorkerSettings, redis_settings

    run_worker(WorkerSettings, redis_settings=redis_settings())  # type: ignore[arg-type]


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (a deploy step before `serve` on PostgreSQL)."""
    from app.core.db import create_engine
    from app.core.db import migrate as run_migrations

    async def run() -> None:
        settings = load_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings.async_database_url)
        try:
            await run_migrations(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    typer.echo("Database is up to date.")


def main() -> None:
    sys.exit(cli())
