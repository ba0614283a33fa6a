"""`brscale`: serve the API, run a worker, migrate, import a CSV, play the demo."""

from __future__ import annotations

import asyncio
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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
    # uvicorn drains requests and runs the shutdown on SIGTERM, then re-raises the signal:
    # exit 0 then, as a clean stop should.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        "graphql_schema.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )


class Queue(StrEnum):
    ALL = "all"
    MAIN = "main"
    DELIVERIES = "deliveries"


@cli.command()
def worker(
    queue: Annotated[
        Queue,
        typer.Option(
            help="The queues to serve: conversations and every other job (main), message "
            "deliveries, or both."
        ),
    ] = Queue.ALL,
) -> None:
    """Run arq workers against REDIS_URL."""
    from workers.settings import QUEUES, serve

    asyncio.run(serve(list(QUEUES.values()) if queue is Queue.ALL else [QUEUES[queue.value]]))


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


@cli.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The CSV export to import.", exists=True)],
    brokerage: Annotated[
        str | None, typer.Option(help="Brokerage id or name (default: the only one).")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Country of phones written without +code, e.g. MX.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show how the file is read; import nothing.")
    ] = False,
) -> None:
    """Import leads from a CSV file, with a progress bar and every rejected row explained."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from sqlalchemy import func, select

    from app.accounts.models import Brokerage
    from app.core.errors import BadUserInput
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.leads import importer, repository
    from app.leads.csv_reader import read_table
    from app.leads.models import ImportStatus, LeadImport

    console = Console(soft_wrap=True)
    options = importer.ImportOptions(default_region=region.upper() if region else None)

    async def pick_brokerage(runtime: Any) -> Brokerage:
        async with runtime.session() as session:
            if brokerage is not None:
                wanted = (
                    Brokerage.id == int(brokerage)
                    if brokerage.isdigit()
                    else func.lower(Brokerage.name) == brokerage.strip().lower()
                )
                found = (await session.execute(select(Brokerage).where(wanted))).scalars().first()
                if found is None:
                    raise typer.BadParameter(
                        f"no brokerage {brokerage!r}", param_hint="--brokerage"
                    )
                return found
            every = list((await session.execute(select(Brokerage).limit(2))).scalars())
            if len(every) > 1:
                raise typer.BadParameter("there are several brokerages; pick one with --brokerage")
            if every:
                return every[0]
            created = Brokerage(name="My brokerage")
            session.add(created)
            await commit(session)
            return created

    def count_rows() -> int:
        with read_table(file, mapping=None) as table:
            return sum(1 for _ in table.rows)

    async def rejected(session: Any, import_id: int) -> tuple[int, list[dict[str, Any]]]:
        """How many rows were rejected, and every problem of the first ten of them."""
        first = await repository.import_errors(session, import_id, rows_only=True, limit=10)
        lines = [error["line"] for error in first]
        return (
            await repository.rejected_row_count(session, import_id),
            await repository.import_errors(session, import_id, lines=lines),
        )

    async def run() -> tuple[LeadImport, int, list[dict[str, Any]]]:
        settings = load_settings()
        async with open_runtime(settings) as runtime:
            chosen = await pick_brokerage(runtime)
            max_bytes = settings.import_max_bytes
            if dry_run:
                async with runtime.session() as session:
                    with file.open("rb") as stream:
                        record = await importer.preview(
                            session,
                            chosen.id,
                            chosen.default_region,
                            stream,
                            file.name,
                            options,
                            max_bytes,
                        )
                    problems = await rejected(session, record.id)
                    await session.rollback()  # a dry run from the terminal leaves nothing behind
                return record, *problems
            await asyncio.to_thread(importer.check_file, file, options, max_bytes)
            total = await asyncio.to_thread(count_rows)
            async with runtime.session() as session:
                record = await importer.create_import(session, chosen.id, file.name)
                await commit(session)
            started = time.monotonic()
            columns = (
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("rows  {task.fields[rate]} rows/s"),
            )
            with Progress(*columns, console=console, transient=False) as progress:
                task = progress.add_task(f"Importing {file.name}", total=total, rate="-")

                def show(current: LeadImport) -> None:
                    rate = current.total_rows / max(time.monotonic() - started, 1e-6)
                    progress.update(task, completed=current.total_rows, rate=f"{rate:,.0f}")

                result = await importer.run_import(
                    runtime, record.id, file, options, on_progress=show
                )
            await runtime.drain_jobs()
            async with runtime.session() as session:
                return result, *await rejected(session, result.id)

    try:
        record, rejected_rows, problems = asyncio.run(run())
    except BadUserInput as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None
    if record.status is ImportStatus.PREVIEW:
        console.print("Columns: " + ", ".join(f"{c} -> {f}" for c, f in record.mapping.items()))
        for row in record.preview:
            console.print(
                f"  line {row['line']}: {row['name'] or '-'}  {row['email'] or '-'}  "
                f"{row['phone'] or '-'}  last contact {row['last_contact_at'] or '-'}"
            )
    console.print(
        f"{record.total_rows} rows: {record.imported} new leads, {record.updated} updated, "
        f"{record.duplicates} duplicates, {rejected_rows} rejected"
    )
    first = sorted({e["line"] for e in problems if e["column"] is None})
    for line in first:
        reasons = "; ".join(e["message"] for e in problems if e["line"] == line)
        console.print(f"  line {line}: {reasons}")
    if rejected_rows > len(first):
        console.print(f"  ... and {rejected_rows - len(first)} more")
    if record.status is ImportStatus.FAILED:
        console.print(f"[red]Import failed: {record.failure}[/red]")
        raise typer.Exit(1)


@cli.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt stored CRM credentials under the newest key of BRSCALE_SECRET_KEY."""
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.crm_sync.service import rotate_credentials

    async def run() -> int:
        async with open_runtime(load_settings()) as runtime, runtime.session() as session:
            count = await rotate_credentials(session, runtime.secrets)
            await commit(session)
            return count

    count = asyncio.run(run())
    typer.echo(
        f"{count} credentials re-encrypted; keys after the first in BRSCALE_SECRET_KEY can go."
    )


@cli.command("eval")
def eval_(
    split: Annotated[
        str, typer.Option(help="The corpus part to score: heldout (never trained on) or train.")
    ] = "heldout",
    errors: Annotated[bool, typer.Option(help="Also list the replies read wrong.")] = False,
) -> None:
    """How well lead replies are understood: per intent, overall, act recall and opt-outs, on
    the evaluation corpus; through the chat model too when OPENAI_API_KEY is set."""
    from app.conversations.corpus import examples
    from app.conversations.evaluation import (
        Reader,
        evaluate,
        format_report,
        llm_reader,
        offline_reader,
    )
    from app.conversations.model import LLMConversationModel, build_model

    if split not in ("heldout", "train"):
        raise typer.BadParameter("heldout or train", param_hint="--split")
    part = examples("heldout" if split == "heldout" else "train")
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(_count(e.lang for e in part).items()))
    typer.echo(f"corpus: {len(part)} replies in the {split} part ({langs})")
    readers: list[tuple[str, Reader]] = [
        ("offline model (rules for opt-outs + classifier)", offline_reader)
    ]
    settings = load_settings()
    model = build_model(
        settings.openai_api_key, settings.openai_base_url, settings.openai_model, max_retries=2
    )
    if isinstance(model, LLMConversationModel):
        model.fallback_on_error = False  # a figure for the model, never the rules' in disguise
        readers.append((f"chat model {settings.openai_model}", llm_reader(model)))
    for title, reader in readers:
        report = asyncio.run(evaluate(part, reader))
        typer.echo("")
        typer.echo(format_report(report, title))
        if errors:
            for text, expected, got in report.errors:
                typer.echo(f"  {expected.value} read as {got.value}: {text!r}")


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


@cli.command()
def demo() -> None:
    """Play the whole flow on sample data in the terminal (embedded default, fresh demo data)."""
    from rich.console import Console

    from app.demo.run import run_demo

    asyncio.run(run_demo(load_settings(), Console()))


def main() -> None:
    sys.exit(cli())


if __name__ == "__main__":
    main()
